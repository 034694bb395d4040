//! A minimal graphql-transport-ws client for tests.

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

pub type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Connects to `url` (ws://…/graphql/ws) and sends `connection_init` with the token.
/// Returns the socket after `connection_ack`, or the first other message as an error.
pub async fn connect(url: &str, token: Option<&str>) -> Result<Socket, String> {
    let mut request = url.into_client_request().map_err(|e| e.to_string())?;
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        "graphql-transport-ws".parse().unwrap(),
    );
    let (mut socket, _) = tokio_tungstenite::connect_async(request)
        .await
        .map_err(|e| e.to_string())?;
    let payload = match token {
        Some(t) => json!({ "authorization": format!("Bearer {t}") }),
        None => json!({}),
    };
    send(
        &mut socket,
        json!({ "type": "connection_init", "payload": payload }),
    )
    .await;
    match next(&mut socket, Duration::from_secs(10)).await {
        Some(m) if m["type"] == "connection_ack" => Ok(socket),
        other => Err(format!("not acknowledged: {other:?}")),
    }
}

pub async fn send(socket: &mut Socket, message: Value) {
    socket
        .send(Message::Text(message.to_string().into()))
        .await
        .expect("send");
}

/// Starts a subscription and waits a moment for the server to register it.
pub async fn subscribe(socket: &mut Socket, id: &str, query: &str) {
    send(
        socket,
        json!({ "id": id, "type": "subscribe", "payload": { "query": query } }),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
}

/// What the server sent: a JSON message, or the close (with its code, if any).
enum Incoming {
    Message(Value),
    Closed(Option<u16>),
}

/// The next message until `deadline`, answering pings; `None` on timeout or a broken socket.
async fn receive(socket: &mut Socket, deadline: tokio::time::Instant) -> Option<Incoming> {
    loop {
        let msg = tokio::time::timeout_at(deadline, socket.next())
            .await
            .ok()??
            .ok()?;
        match msg {
            Message::Text(t) => {
                let v: Value = serde_json::from_str(&t).ok()?;
                if v["type"] == "ping" {
                    send(socket, json!({ "type": "pong" })).await;
                    continue;
                }
                return Some(Incoming::Message(v));
            }
            Message::Close(frame) => {
                return Some(Incoming::Closed(frame.map(|f| u16::from(f.code))));
            }
            _ => continue,
        }
    }
}

/// The next JSON message, `None` on timeout or close.
pub async fn next(socket: &mut Socket, within: Duration) -> Option<Value> {
    match receive(socket, tokio::time::Instant::now() + within).await? {
        Incoming::Message(v) => Some(v),
        Incoming::Closed(_) => None,
    }
}

/// Opens a socket without sending `connection_init`.
pub async fn open(url: &str) -> Socket {
    let mut request = url.into_client_request().expect("request");
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        "graphql-transport-ws".parse().unwrap(),
    );
    tokio_tungstenite::connect_async(request)
        .await
        .expect("socket opens")
        .0
}

/// Waits for the server to close the socket; returns its close code (`None` when it stays
/// open for `within`, or ends without a close frame). Other messages are skipped.
pub async fn close_code(socket: &mut Socket, within: Duration) -> Option<u16> {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match receive(socket, deadline).await? {
            Incoming::Message(_) => continue,
            Incoming::Closed(code) => return code,
        }
    }
}
