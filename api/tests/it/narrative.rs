//! The assistant's narrative on a report, end to end: an OpenAI-compatible model (a real HTTP
//! server here, answering like a model that copies one figure faithfully and invents another)
//! streams through the subscription; only checked sentences arrive; the narrative is cached in
//! the job's result and a saved report's snapshot, and labelled in the exports.

use std::io::Read;
use std::time::Duration;

use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::post;
use crm_api::assistant::RemoteModel;
use serde_json::{Value, json};

use crate::harness::{Server, TestDb, UPSERT_CLIENTS, UPSERT_SALES};
use crate::ws;

crate::on_both_backends!(the_narrative_streams_checked_sentences_and_is_cached);

const START: &str = "mutation($i: ReportInput!) { startReport(input: $i) { id } }";
const JOB: &str = "query($id: ID!) { reportJob(id: $id) { state report { narratives { language text withheld droppedSentences model writtenAt } } } }";

/// A model that reads the revenue line of the fact sheet and writes four sentences about it:
/// the figure copied, an invented client and figure, and two plain ones.
async fn completions(body: axum::Json<Value>) -> impl IntoResponse {
    let prompt = body["messages"][1]["content"].as_str().unwrap_or_default();
    let revenue = prompt
        .lines()
        .find_map(|l| l.strip_prefix("- Revenue: "))
        .unwrap_or("nothing");
    let russian = body["messages"][0]["content"]
        .as_str()
        .unwrap_or_default()
        .contains("русском");
    let text = if russian {
        format!(
            "Выручка составила {revenue}. Globex купил 40 штук. Это хороший результат. Так держать."
        )
    } else {
        format!(
            "Revenue reached {revenue}. Globex Industries bought 40 units. That is a good result. Keep it up."
        )
    };
    // A few characters per event, as tokens arrive.
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    for piece in chars.chunks(4) {
        let piece: String = piece.iter().collect();
        let event = json!({"choices": [{"delta": {"content": piece}}]});
        out.push_str(&format!("data: {event}\n\n"));
    }
    out.push_str("data: [DONE]\n\n");
    ([(header::CONTENT_TYPE, "text/event-stream")], out).into_response()
}

async fn model_server() -> RemoteModel {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = axum::Router::new().route("/v1/chat/completions", post(completions));
    tokio::spawn(async move { axum::serve(listener, router).await });
    RemoteModel {
        base_url: format!("http://{addr}/v1"),
        model: "analyst-model".to_owned(),
        api_key: None,
        tool_calls: false,
    }
}

/// The events of one narrative subscription, up to the last.
async fn narrate(url: &str, token: &str, args: &str) -> Vec<Value> {
    let mut socket = ws::connect(url, Some(token)).await.unwrap();
    let query = format!(
        "subscription {{ reportNarrative({args}) {{ delta unavailable narrative {{ language text withheld droppedSentences model writtenAt }} }} }}"
    );
    ws::subscribe(&mut socket, "1", &query).await;
    let mut events = Vec::new();
    while let Some(m) = ws::next(&mut socket, Duration::from_secs(20)).await {
        match m["type"].as_str() {
            Some("next") => {
                if let Some(errors) = m["payload"]["errors"].as_array() {
                    events.push(json!({ "error": errors[0]["extensions"]["code"] }));
                    break;
                }
                events.push(m["payload"]["data"]["reportNarrative"].clone());
            }
            Some("error") => {
                events.push(json!({ "error": m["payload"][0]["extensions"]["code"] }));
                break;
            }
            _ => break,
        }
    }
    events
}

async fn done_job(s: &Server, token: &str) -> String {
    let id = s
        .data(
            Some(token),
            START,
            json!({ "i": { "kind": "GENERAL", "from": "2026-01-01", "to": "2026-12-31" } }),
        )
        .await["startReport"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for _ in 0..200 {
        let job = s.data(Some(token), JOB, json!({ "id": id })).await;
        if job["reportJob"]["state"] == "DONE" {
            return id;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the report job never finished");
}

/// The text of an XLSX's shared strings.
fn xlsx_strings(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    zip.by_name("xl/sharedStrings.xml")
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

async fn the_narrative_streams_checked_sentences_and_is_cached(db: TestDb) {
    let mut config = db.config();
    config.assistant.remote = Some(model_server().await);
    let s = Server::with_config(config, db).await;
    let url = s.serve_ws().await;

    let (token, _) = s.register("owner@example.com", "Acme").await;
    s.data(
        Some(&token),
        UPSERT_CLIENTS,
        json!({ "rows": [{ "externalId": "c0", "name": "Иван Петров" }] }),
    )
    .await;
    s.data(
        Some(&token),
        UPSERT_SALES,
        json!({ "rows": [
            { "externalId": "s0", "clientExternalId": "c0", "amountMinor": 123_456_789,
              "currency": "RUB", "soldAt": "2026-03-10T10:00:00Z" },
            { "externalId": "s1", "clientExternalId": "c0", "amountMinor": 100_000,
              "currency": "RUB", "soldAt": "2026-04-10T10:00:00Z" }] }),
    )
    .await;
    let id = done_job(&s, &token).await;

    let events = narrate(&url, &token, &format!("jobId: \"{id}\", language: EN")).await;
    let last = events.last().unwrap().clone();
    let narrative = &last["narrative"];
    let expected = "Revenue reached 1,235,567.89 RUB. That is a good result. Keep it up.";
    assert_eq!(narrative["text"], expected, "{events:?}");
    assert_eq!(narrative["withheld"], false);
    assert_eq!(narrative["droppedSentences"], 1);
    assert_eq!(narrative["model"], "analyst-model");
    // Streamed: whole checked sentences before the end, never the invented one.
    let streamed: String = events
        .iter()
        .map(|e| e["delta"].as_str().unwrap_or_default())
        .collect();
    assert!(events.len() >= 2, "{events:?}");
    assert!(
        expected.starts_with(&streamed) && !streamed.is_empty(),
        "{streamed:?}"
    );
    assert!(!streamed.contains("Globex"));

    // Cached in the job's result: the next subscription answers at once with the same text.
    let job = s.data(Some(&token), JOB, json!({ "id": id })).await;
    assert_eq!(job["reportJob"]["report"]["narratives"][0], *narrative);
    let again = narrate(&url, &token, &format!("jobId: \"{id}\", language: EN")).await;
    assert_eq!(again.len(), 1);
    assert_eq!(again[0]["narrative"], *narrative);

    // A model that writes Russian gets a Russian narrative, kept beside the English one.
    let ru = narrate(&url, &token, &format!("jobId: \"{id}\", language: RU")).await;
    let ru = &ru.last().unwrap()["narrative"];
    assert_eq!(
        ru["text"],
        "Выручка составила 1,235,567.89 RUB. Это хороший результат. Так держать."
    );
    let job = s.data(Some(&token), JOB, json!({ "id": id })).await;
    assert_eq!(
        job["reportJob"]["report"]["narratives"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // The exports carry it, labelled.
    let xlsx = crate::exports::get_body(
        &s,
        &format!("/reports/jobs/{id}/export?format=xlsx&lang=en"),
        Some(&token),
    )
    .await;
    let strings = xlsx_strings(&xlsx);
    assert!(
        strings.contains("Revenue reached 1,235,567.89 RUB."),
        "{strings}"
    );
    assert!(strings.contains("Written by the AI assistant (analyst-model)"));

    // Another company sees nothing of it; bad arguments are coded errors.
    let (other, _) = s.register("other@example.com", "Globex").await;
    let refused = narrate(&url, &other, &format!("jobId: \"{id}\", language: EN")).await;
    assert_eq!(refused, [json!({ "error": "NOT_FOUND" })]);
    let neither = narrate(&url, &token, "language: EN").await;
    assert_eq!(neither, [json!({ "error": "BAD_USER_INPUT" })]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_model_the_narrative_says_why() {
    let db = TestDb::new(crate::harness::Backend::Sqlite).await;
    let s = Server::start(db).await;
    let url = s.serve_ws().await;
    let (token, _) = s.register("owner@example.com", "Acme").await;
    let id = done_job(&s, &token).await;
    let events = narrate(&url, &token, &format!("jobId: \"{id}\", language: EN")).await;
    assert_eq!(
        events,
        [json!({ "delta": "", "unavailable": "MODEL_OFF", "narrative": null })]
    );
}
