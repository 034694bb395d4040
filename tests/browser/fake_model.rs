//! An OpenAI-compatible model server for the browser flow, speaking plain HTTP/1.1 over a
//! socket: it reads the first revenue line of the fact sheet (a report's or a chat answer's) and
//! streams four sentences as server-sent events, in Russian when asked to write Russian — the
//! revenue copied, a plain one, an invented figure the checker must drop, then (after a pause
//! long enough to see the first ones on screen) a last one.

use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The pause before the last sentence.
pub const PAUSE: Duration = Duration::from_secs(4);

/// Starts the server; returns its base URL (`http://127.0.0.1:port/v1`).
pub async fn start() -> String {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("model server: {e}"));
    let addr = listener
        .local_addr()
        .unwrap_or_else(|e| panic!("model server: {e}"));
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            tokio::spawn(answer(socket));
        }
    });
    format!("http://{addr}/v1")
}

async fn answer(mut socket: TcpStream) {
    let Some(request) = read_json(&mut socket).await else {
        return;
    };
    let prompt = request["messages"][1]["content"]
        .as_str()
        .unwrap_or_default();
    // The first revenue line: a report's or a chat answer's total, or a top client's.
    let revenue = prompt
        .lines()
        .find_map(|l| l.split_once("evenue: ").map(|(_, v)| v))
        .unwrap_or("nothing")
        .to_owned();
    let russian = request["messages"][0]["content"]
        .as_str()
        .unwrap_or_default()
        .contains("русском");
    let head = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n";
    if socket.write_all(head.as_bytes()).await.is_err() {
        return;
    }
    let (first, last) = if russian {
        (
            format!("Выручка составила {revenue}. Это хороший результат. Globex купил 40 штук. "),
            "Так держать.",
        )
    } else {
        (
            format!(
                "Revenue reached {revenue}. That is a good result. Globex Industries bought 40 units. "
            ),
            "Keep it up.",
        )
    };
    for (i, piece) in [first.as_str(), last].into_iter().enumerate() {
        if i > 0 {
            tokio::time::sleep(PAUSE).await;
        }
        for chunk in piece.chars().collect::<Vec<_>>().chunks(5) {
            let text: String = chunk.iter().collect();
            let event = json!({ "choices": [{ "delta": { "content": text } }] });
            if socket
                .write_all(format!("data: {event}\n\n").as_bytes())
                .await
                .is_err()
            {
                return;
            }
        }
    }
    let _ = socket.write_all(b"data: [DONE]\n\n").await;
    let _ = socket.shutdown().await;
}

/// The JSON body of one request (headers, then `content-length` bytes).
async fn read_json(socket: &mut TcpStream) -> Option<Value> {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = socket.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(buf.get(..n)?);
        let text = String::from_utf8_lossy(&data);
        if let Some(end) = text.find("\r\n\r\n") {
            let length: usize = text
                .get(..end)?
                .lines()
                .find_map(|l| {
                    let (name, value) = l.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse().ok())?
                })
                .unwrap_or(0);
            if data.len() >= end + 4 + length {
                return serde_json::from_slice(data.get(end + 4..end + 4 + length)?).ok();
            }
        }
    }
}
