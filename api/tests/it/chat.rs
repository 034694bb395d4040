//! The assistant's chat end to end over GraphQL: questions in English and Russian answered by
//! the tools from real figures, the template answer first, then the model's checked words
//! (an OpenAI-compatible model server that copies one figure and invents another), the facts
//! last; conversations stored, listed and deleted per asker; tenants and limits kept.

use std::time::Duration;

use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::post;
use chrono::{Datelike, Months, Utc};
use crm_api::assistant::RemoteModel;
use serde_json::{Value, json};

use crate::harness::{Server, TestDb, UPSERT_CLIENTS, UPSERT_SALES, error_code};
use crate::ws;

crate::on_both_backends!(questions_are_answered_from_the_figures_and_kept);

const ASK: &str = "mutation($q: String!, $c: ID) { askAssistant(question: $q, conversationId: $c) { id conversationId question language state } }";
pub(crate) const CONVERSATIONS: &str = "{ conversations(first: 10) { totalCount edges { node { id title messages { id question language state tool answer narrative narrativeStatus facts { figures { label value } clients { id name } candidates { name } examples period { from to } } } } } } }";

/// A model that copies the first money line of the fact sheet and invents a client and a
/// figure; it waits a little first, so an answer stays "being written" for a moment.
async fn completions(body: axum::Json<Value>) -> impl IntoResponse {
    tokio::time::sleep(Duration::from_millis(300)).await;
    let prompt = body["messages"][1]["content"].as_str().unwrap_or_default();
    let figure = prompt
        .lines()
        .find_map(|l| l.strip_prefix("- Revenue: "))
        .or_else(|| prompt.lines().find_map(|l| l.strip_prefix("- Purchases: ")))
        .unwrap_or("nothing");
    let russian = body["messages"][0]["content"]
        .as_str()
        .unwrap_or_default()
        .contains("русском");
    let text = if russian {
        format!("Итог: {figure}. Globex купил 40 штук.")
    } else {
        format!("The figure is {figure}. Globex Industries bought 40 units.")
    };
    let mut out = String::new();
    for piece in text.chars().collect::<Vec<_>>().chunks(5) {
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

/// Every event of one answer, up to the last (or the error).
pub(crate) async fn follow(url: &str, token: &str, message_id: &str) -> Vec<Value> {
    let mut socket = ws::connect(url, Some(token)).await.unwrap();
    let query = format!(
        "subscription {{ assistantAnswer(messageId: \"{message_id}\") {{ messageId answer delta done narrative narrativeStatus retryAfterSeconds error facts {{ figures {{ label value }} table {{ columns rows clientIds }} clients {{ id name }} candidates {{ id name }} examples period {{ from to }} }} }} }}"
    );
    ws::subscribe(&mut socket, "1", &query).await;
    let mut events = Vec::new();
    while let Some(m) = ws::next(&mut socket, Duration::from_secs(30)).await {
        match m["type"].as_str() {
            Some("next") => {
                if let Some(errors) = m["payload"]["errors"].as_array() {
                    events.push(json!({ "error": errors[0]["extensions"]["code"] }));
                    break;
                }
                let event = m["payload"]["data"]["assistantAnswer"].clone();
                let done = event["done"] == true;
                events.push(event);
                if done {
                    break;
                }
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

pub(crate) async fn ask(
    s: &Server,
    token: &str,
    question: &str,
    conversation: Option<&str>,
) -> Value {
    s.data(
        Some(token),
        ASK,
        json!({ "q": question, "c": conversation }),
    )
    .await["askAssistant"]
        .clone()
}

async fn questions_are_answered_from_the_figures_and_kept(db: TestDb) {
    let mut config = db.config();
    config.assistant.remote = Some(model_server().await);
    let s = Server::with_config(config, db).await;
    let url = s.serve_ws().await;

    let (token, _) = s.register("owner@example.com", "Acme").await;
    s.data(
        Some(&token),
        UPSERT_CLIENTS,
        json!({ "rows": [
            { "externalId": "c0", "name": "Иван Петров" },
            { "externalId": "c1", "name": "Globe Trading" }] }),
    )
    .await;
    // Two sales on the 10th of last month, one today, in the company's time zone (Europe/Moscow,
    // the default; a sale at 10:00 or 00:00:01 UTC is on the same day there).
    let today = Utc::now()
        .with_timezone(&chrono_tz::Europe::Moscow)
        .date_naive();
    let last_month = today
        .with_day(10)
        .unwrap()
        .checked_sub_months(Months::new(1))
        .unwrap();
    let at = |d: chrono::NaiveDate| format!("{d}T10:00:00Z");
    s.data(
        Some(&token),
        UPSERT_SALES,
        json!({ "rows": [
            { "externalId": "s0", "clientExternalId": "c0", "amountMinor": 1_200_00,
              "currency": "RUB", "soldAt": at(last_month) },
            { "externalId": "s1", "clientExternalId": "c1", "amountMinor": 300_00,
              "currency": "RUB", "soldAt": at(last_month) },
            { "externalId": "s2", "clientExternalId": "c0", "amountMinor": 50_00,
              "currency": "RUB", "soldAt": format!("{today}T00:00:01Z") }] }),
    )
    .await;

    // English: figures for last month, the template first, then checked words, then facts.
    let asked = ask(&s, &token, "how much did we sell last month?", None).await;
    assert_eq!(asked["state"], "PENDING");
    assert_eq!(asked["language"], "EN");
    let conversation = asked["conversationId"].as_str().unwrap().to_owned();
    let events = follow(&url, &token, asked["id"].as_str().unwrap()).await;
    let first = &events[0];
    let answer = first["answer"].as_str().unwrap_or_default();
    assert!(answer.contains("1,500.00"), "{events:?}");
    assert!(answer.contains("2 sales"), "{answer}");
    let last = events.last().unwrap();
    assert_eq!(last["done"], true, "{events:?}");
    assert_eq!(last["narrativeStatus"], "WRITTEN", "{events:?}");
    let narrative = last["narrative"].as_str().unwrap();
    assert!(narrative.contains("1,500"), "{narrative}");
    assert!(
        !narrative.contains("Globex"),
        "the invented sentence is dropped"
    );
    let streamed: String = events
        .iter()
        .map(|e| e["delta"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(streamed, narrative, "the deltas add up to the narrative");
    let facts = &last["facts"];
    assert_eq!(
        facts["period"]["from"],
        last_month.with_day(1).unwrap().to_string()
    );
    assert!(
        facts["figures"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["value"] == "2"),
        "{facts}"
    );

    // Russian, in the same conversation: a declined name finds the client.
    let asked = ask(&s, &token, "расскажи про Петрова", Some(&conversation)).await;
    assert_eq!(asked["language"], "RU");
    let events = follow(&url, &token, asked["id"].as_str().unwrap()).await;
    let last = events.last().unwrap();
    assert_eq!(
        last["facts"]["clients"][0]["name"], "Иван Петров",
        "{events:?}"
    );
    let answer = events[0]["answer"].as_str().unwrap_or_default();
    assert!(answer.starts_with("Иван Петров"), "{answer}");
    assert!(answer.contains("2 покупки"), "{answer}");

    // Out of scope: the plain refusal with three example questions, no model words.
    let asked = ask(
        &s,
        &token,
        "what's the weather in Paris?",
        Some(&conversation),
    )
    .await;
    let events = follow(&url, &token, asked["id"].as_str().unwrap()).await;
    let last = events.last().unwrap();
    assert!(
        last["answer"]
            .as_str()
            .unwrap()
            .starts_with("I can only answer questions about your sales data"),
        "{last}"
    );
    assert_eq!(last["facts"]["examples"].as_array().unwrap().len(), 3);
    assert_eq!(last["narrativeStatus"], "NOT_NEEDED");

    // Kept: the conversation lists its three questions with their answers; a finished answer
    // followed again comes as one last event.
    let list = s.data(Some(&token), CONVERSATIONS, json!({})).await;
    assert_eq!(list["conversations"]["totalCount"], 1);
    let node = &list["conversations"]["edges"][0]["node"];
    assert_eq!(node["title"], "how much did we sell last month?");
    let messages = node["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 3);
    assert_eq!(messages[0]["tool"], "FIGURES");
    assert_eq!(messages[1]["tool"], "CLIENT");
    assert_eq!(messages[2]["tool"], "OUT_OF_SCOPE");
    assert!(messages.iter().all(|m| m["state"] == "ANSWERED"));
    let again = follow(&url, &token, messages[0]["id"].as_str().unwrap()).await;
    assert_eq!(again.len(), 1);
    assert_eq!(again[0]["narrative"], messages[0]["narrative"]);

    // One answer at a time per asker: a second question while the model writes waits.
    let slow = ask(&s, &token, "top 3 clients last month", None).await;
    let r = s
        .call(
            Some(&token),
            ASK,
            json!({ "q": "and this month?", "c": null }),
        )
        .await;
    assert_eq!(error_code(&r), "RATE_LIMITED", "{r}");
    let events = follow(&url, &token, slow["id"].as_str().unwrap()).await;
    let last = events.last().unwrap();
    assert_eq!(
        last["facts"]["table"]["rows"].as_array().unwrap().len(),
        2,
        "{last}"
    );
    assert_eq!(last["facts"]["clients"][0]["name"], "Иван Петров");

    // Bad questions are refused with a code and store nothing.
    for bad in ["   ", &"x".repeat(501), "sales\u{7}today"] {
        let r = s
            .call(Some(&token), ASK, json!({ "q": bad, "c": null }))
            .await;
        assert_eq!(error_code(&r), "BAD_USER_INPUT", "{bad:?}: {r}");
    }
    let list = s.data(Some(&token), CONVERSATIONS, json!({})).await;
    assert_eq!(list["conversations"]["totalCount"], 2);

    // Another company: its own clients only, and none of the first company's conversations.
    let (other, _) = s.register("other@example.com", "Other").await;
    let asked = ask(&s, &other, "tell me about Petrov", None).await;
    let events = follow(&url, &other, asked["id"].as_str().unwrap()).await;
    let last = events.last().unwrap();
    assert!(
        last["facts"]["clients"].as_array().unwrap().is_empty(),
        "{last}"
    );
    assert!(
        last["facts"]["candidates"].as_array().unwrap().is_empty(),
        "{last}"
    );
    assert!(
        last["answer"].as_str().unwrap().contains("no client named"),
        "{last}"
    );
    let r = s
        .call(
            Some(&other),
            "query($id: ID!) { conversation(id: $id) { id } }",
            json!({ "id": conversation }),
        )
        .await;
    assert_eq!(error_code(&r), "NOT_FOUND");
    let theirs = follow(&url, &other, messages[0]["id"].as_str().unwrap()).await;
    assert_eq!(theirs, vec![json!({ "error": "NOT_FOUND" })]);
    let r = s
        .call(
            Some(&other),
            ASK,
            json!({ "q": "and last week?", "c": conversation }),
        )
        .await;
    assert_eq!(error_code(&r), "NOT_FOUND");

    // An integrator's API key asks too, in conversations of its own.
    let key = s.api_key(&token, "READ").await;
    let asked = ask(&s, &key, "revenue this month", None).await;
    let events = follow(&url, &key, asked["id"].as_str().unwrap()).await;
    assert!(
        events[0]["answer"].as_str().unwrap().contains("50.00"),
        "{events:?}"
    );
    let keys = s.data(Some(&key), CONVERSATIONS, json!({})).await;
    assert_eq!(keys["conversations"]["totalCount"], 1);

    // Deleted with its messages.
    let r = s
        .data(
            Some(&token),
            "mutation($id: ID!) { deleteConversation(id: $id) }",
            json!({ "id": conversation }),
        )
        .await;
    assert_eq!(r["deleteConversation"], conversation);
    let list = s.data(Some(&token), CONVERSATIONS, json!({})).await;
    assert_eq!(list["conversations"]["totalCount"], 1);
    let gone = follow(&url, &token, messages[0]["id"].as_str().unwrap()).await;
    assert_eq!(gone, vec![json!({ "error": "NOT_FOUND" })]);
}
