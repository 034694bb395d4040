//! A remote model that calls tools (`CRM_LLM_TOOL_CALLS=on`) picks the chat's tool itself: its
//! call runs through the same tools for the asker's company, and whenever it calls none, calls
//! one that does not exist, writes arguments that fail a check or fails, our own reader
//! answers. The model here is an OpenAI-compatible server written for the test.

use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::post;
use chrono::{Datelike, Months, NaiveDate, Utc};
use crm_api::assistant::RemoteModel;
use serde_json::{Value, json};

use crate::chat::{CONVERSATIONS, ask, follow};
use crate::harness::{Server, TestDb, UPSERT_CLIENTS, UPSERT_SALES};

crate::on_both_backends!(a_model_that_calls_tools_picks_them_through_our_checks);

#[derive(Clone)]
struct Model {
    /// The first day of last month, in the company's zone (Europe/Moscow, the default).
    last_month: NaiveDate,
    /// Every tool-choice request received.
    asked: Arc<Mutex<Vec<Value>>>,
}

/// Picks a tool by a keyword of the question (the last message), as a real model would by
/// its meaning; narrative requests (no `tools`) get an empty stream.
async fn completions(State(model): State<Model>, body: axum::Json<Value>) -> impl IntoResponse {
    if body.get("tools").is_none() {
        return (
            [(header::CONTENT_TYPE, "text/event-stream")],
            "data: [DONE]\n\n",
        )
            .into_response();
    }
    model.asked.lock().unwrap().push(body.0.clone());
    let question = body["messages"][1]["content"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let first = model.last_month;
    let call = |name: &str, args: Value| {
        json!({ "choices": [{ "message": { "role": "assistant", "content": null,
            "tool_calls": [{ "id": "call_1", "type": "function",
                "function": { "name": name, "arguments": args.to_string() } }] } }] })
    };
    let reply = if question.contains("first ten days") {
        call(
            "figures",
            json!({ "from": first.to_string(), "to": first.with_day(10).unwrap().to_string() }),
        )
    } else if question.contains("доволен") {
        call("client", json!({ "name": "Петрову" }))
    } else if question.contains("competitor") {
        call("client", json!({ "name": "Initech" }))
    } else if question.contains("impossible") {
        call("figures", json!({ "from": "2026-13-01" }))
    } else if question.contains("unknown tool") {
        call("drop_tables", json!({}))
    } else if question.contains("in words") {
        json!({ "choices": [{ "message": { "role": "assistant", "content": "Top clients, I think." } }] })
    } else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "overloaded").into_response();
    };
    axum::Json(reply).into_response()
}

async fn a_model_that_calls_tools_picks_them_through_our_checks(db: TestDb) {
    // The company's today: registered companies are in Europe/Moscow unless they say otherwise.
    let today = Utc::now()
        .with_timezone(&chrono_tz::Europe::Moscow)
        .date_naive();
    let last_month = today
        .with_day(1)
        .unwrap()
        .checked_sub_months(Months::new(1))
        .unwrap();
    let model = Model {
        last_month,
        asked: Arc::default(),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = axum::Router::new()
        .route("/v1/chat/completions", post(completions))
        .with_state(model.clone());
    tokio::spawn(async move { axum::serve(listener, router).await });
    let mut config = db.config();
    config.assistant.remote = Some(RemoteModel {
        base_url: format!("http://{addr}/v1"),
        model: "tool-model".to_owned(),
        api_key: None,
        tool_calls: true,
    });
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
    let at = |d: NaiveDate| format!("{d}T10:00:00Z");
    s.data(
        Some(&token),
        UPSERT_SALES,
        json!({ "rows": [
            { "externalId": "s0", "clientExternalId": "c0", "amountMinor": 1_200_00,
              "currency": "RUB", "soldAt": at(last_month.with_day(5).unwrap()) },
            { "externalId": "s1", "clientExternalId": "c1", "amountMinor": 300_00,
              "currency": "RUB", "soldAt": at(last_month.with_day(20).unwrap()) }] }),
    )
    .await;
    let (other, _) = s.register("other@example.com", "Initech Ltd").await;
    s.data(
        Some(&other),
        UPSERT_CLIENTS,
        json!({ "rows": [{ "externalId": "g0", "name": "Initech" }] }),
    )
    .await;

    let answer = |question: &'static str| {
        let (s, url, token) = (&s, &url, &token);
        async move {
            let asked = ask(s, token, question, None).await;
            let events = follow(url, token, asked["id"].as_str().unwrap()).await;
            let last = events.last().unwrap().clone();
            assert_eq!(last["done"], true, "{question}: {events:?}");
            last
        }
    };

    // The model's period, which our reader would not give ("last month" to it is the whole
    // month): only the sale of the 5th.
    let last = answer("numbers for the first ten days of last month").await;
    assert_eq!(
        last["facts"]["period"],
        json!({ "from": last_month.to_string(), "to": last_month.with_day(10).unwrap().to_string() }),
        "{last}"
    );
    let text = last["answer"].as_str().unwrap();
    assert!(
        text.contains("1,200.00") && text.contains("1 sale"),
        "{text}"
    );

    // The model's client name goes through our matching: declined Russian finds the client.
    let last = answer("а Иван доволен?").await;
    assert_eq!(last["facts"]["clients"][0]["name"], "Иван Петров", "{last}");

    // Another company's client is not found: the tools run for the asker's company only.
    let last = answer("what about our competitor's buyer?").await;
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

    // Calls that fail a check, a tool that does not exist, words instead of a call, an
    // error: our reader answers each.
    for question in [
        "impossible: top clients last month",
        "unknown tool: top clients last month",
        "in words: top clients last month",
        "top clients last month",
    ] {
        let last = answer(question).await;
        let rows = last["facts"]["table"]["rows"].as_array().unwrap();
        assert_eq!(rows.len(), 2, "{question}: {last}");
        assert_eq!(
            last["facts"]["clients"][0]["name"], "Иван Петров",
            "{question}: {last}"
        );
    }

    let list = s.data(Some(&token), CONVERSATIONS, json!({})).await;
    let mut tools: Vec<String> = list["conversations"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            e["node"]["messages"][0]["tool"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    tools.sort();
    assert_eq!(
        tools,
        [
            "CHOOSE_CLIENT",
            "CLIENT",
            "FIGURES",
            "TOP_CLIENTS",
            "TOP_CLIENTS",
            "TOP_CLIENTS",
            "TOP_CLIENTS"
        ]
    );

    // The model was offered the ten tools and told the company's today, every time.
    let asked = model.asked.lock().unwrap().clone();
    assert_eq!(asked.len(), 7);
    for body in &asked {
        assert_eq!(body["tools"].as_array().unwrap().len(), 10);
        assert_eq!(body["model"], "tool-model");
        let system = body["messages"][0]["content"].as_str().unwrap();
        assert!(system.contains(&format!("Today is {today}")), "{system}");
    }
}
