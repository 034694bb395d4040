//! `bench-chat`: how long the assistant takes to answer five typical chat questions, with the
//! local model and with the model off (templates only), in one run.
//!
//! A scratch SQLite database gets a company registered through GraphQL (in process, the
//! server's own schema), 300 clients and 6,000 completed sales over the last 400 days (fixed
//! seed). Then for each configuration — the model off, and the GGUF given with `--model` (the
//! default weights, on the threads `CANDLE_NUM_THREADS` and `RAYON_NUM_THREADS` give, which
//! must be equal; every core when both are unset) — each question is
//! asked through `crm_api::chat::ask` and its answer followed through `crm_api::chat::follow`
//! (what the `askAssistant` mutation and the `assistantAnswer` subscription call), timing:
//! - the template answer (our text from the tool's figures, the first event): the first text
//!   a user sees;
//! - the model's time to first token: from its request entering the model's queue to its
//!   first new token (the queue wait and the prompt pass, from the model's own counters); the
//!   model starts once the template answer is stored;
//! - the first checked sentence of the model (the first `delta`; the gate lets text through a
//!   whole sentence at a time, so this is what a user first sees of it);
//! - the last event (everything stored).
//!
//! ```text
//! CANDLE_NUM_THREADS=1 RAYON_NUM_THREADS=1 cargo run --release -p crm-bench --bin bench-chat -- \
//!   --model ~/.cache/crm-models/SmolLM2-135M-Instruct.Q4_1.gguf
//! ```

// A benchmark program: a failed step ends the run with its message.
#![allow(clippy::indexing_slicing)]

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use async_graphql::{Request, Variables};
use chrono::{Days, Utc};
use crm_api::assistant::{ModelPhase, ModelSource};
use crm_api::auth::Principal;
use crm_api::chat::{self, Asker};
use crm_api::{App, Config};
use crm_test_support::{Backend, ScratchDb};
use futures::StreamExt;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};

const QUESTIONS: [&str; 5] = [
    "how much did we sell last month?",
    "top 5 clients this year",
    "which clients are at risk of leaving?",
    "forecast for next quarter",
    "compare this month with last month",
];
const CLIENTS: usize = 300;
const SALES: usize = 6_000;

#[tokio::main]
async fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let mut model = None;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--model" => model = args.next().map(PathBuf::from),
            other => bail!("unknown argument {other}"),
        }
    }
    let model = model.context("--model PATH (the GGUF) is required")?;
    // candle's quantized kernels read CANDLE_NUM_THREADS; its f32 GEMM and our kernels size
    // their work by rayon's pool (RAYON_NUM_THREADS): one count for both, as the server sets.
    let threads = std::env::var("CANDLE_NUM_THREADS").ok();
    ensure!(
        threads == std::env::var("RAYON_NUM_THREADS").ok(),
        "set CANDLE_NUM_THREADS and RAYON_NUM_THREADS to the same count"
    );
    let db = ScratchDb::new(Backend::Sqlite, "bench_chat").await;
    let mut config = Config {
        database_url: Some(db.url.clone()),
        ..Config::default()
    };
    let app = App::start(config.clone()).await?;
    let principal = seed(&app).await?;
    let asker = Asker::of(&principal).map_err(api)?;
    println!(
        "{CLIENTS} clients, {SALES} sales over 400 days; SQLite; {} CPU thread(s) for the model",
        threads.as_deref().unwrap_or("all")
    );
    println!("\n## model off (templates only)");
    run(&app, asker).await?;
    drop(app);

    config.assistant.source = ModelSource::Path(model);
    let app = App::start(config).await?;
    let started = Instant::now();
    loop {
        match app.assistant.state().phase {
            ModelPhase::Ready => break,
            ModelPhase::Failed => bail!("the model failed: {:?}", app.assistant.state().reason),
            _ => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
    println!(
        "\n## default model ({}, loaded in {:.1} s)",
        app.assistant.state().model,
        started.elapsed().as_secs_f64()
    );
    run(&app, asker).await?;
    Ok(())
}

async fn graphql(
    app: &Arc<App>,
    principal: &Principal,
    query: &str,
    variables: Value,
) -> Result<Value> {
    let schema = crm_api::graphql::build_schema(app.clone());
    let response = schema
        .execute(
            Request::new(query)
                .variables(Variables::from_json(variables))
                .data(principal.clone()),
        )
        .await;
    ensure!(response.errors.is_empty(), "{:?}", response.errors);
    Ok(response.data.into_json()?)
}

/// Registers a company and pushes its clients and sales; the owner's principal.
async fn seed(app: &Arc<App>) -> Result<Principal> {
    let data = graphql(
        app,
        &Principal::Anonymous,
        "mutation($i: RegisterInput!) { register(input: $i) { accessToken } }",
        json!({ "i": { "email": "bench@example.com", "password": "long enough password",
                       "displayName": "Bench", "companyName": "Bench", "baseCurrency": "RUB",
                       "locale": "en" } }),
    )
    .await?;
    let token = data["register"]["accessToken"]
        .as_str()
        .context("no token")?;
    let principal = app.authenticate(Some(token)).await.map_err(api)?;
    let clients: Vec<Value> = (0..CLIENTS)
        .map(|i| json!({ "externalId": format!("c{i}"), "name": format!("Client {i:03}") }))
        .collect();
    graphql(
        app,
        &principal,
        "mutation($r: [ClientUpsertInput!]!) { upsertClients(clients: $r) { created } }",
        json!({ "r": clients }),
    )
    .await?;
    let mut rng = StdRng::seed_from_u64(7);
    let today = Utc::now();
    let sales: Vec<Value> = (0..SALES)
        .map(|i| {
            // Skewed: low client numbers buy far more often.
            let client = (rng.random::<f64>().powi(3) * CLIENTS as f64) as usize;
            let day = today
                .checked_sub_days(Days::new(rng.random_range(0..400)))
                .unwrap_or(today);
            json!({ "externalId": format!("s{i}"), "clientExternalId": format!("c{client}"),
                    "amountMinor": rng.random_range(10_000..1_000_000), "currency": "RUB",
                    "soldAt": day.to_rfc3339() })
        })
        .collect();
    for chunk in sales.chunks(1_000) {
        graphql(
            app,
            &principal,
            "mutation($r: [SaleUpsertInput!]!) { upsertSales(sales: $r) { created } }",
            json!({ "r": chunk }),
        )
        .await?;
    }
    Ok(principal)
}

/// An API error as the benchmark reports it.
fn api(e: crm_api::error::ApiError) -> anyhow::Error {
    anyhow::anyhow!("{}", e.message())
}

fn ms(d: Option<Duration>) -> String {
    d.map_or_else(
        || "—".to_owned(),
        |d| format!("{:.0} ms", d.as_secs_f64() * 1000.0),
    )
}

async fn run(app: &Arc<App>, asker: Asker) -> Result<()> {
    println!(
        "| question | template answer | model's first token | first AI sentence | done | AI words |"
    );
    println!("|---|---|---|---|---|---|");
    let first_tokens = || app.assistant.local().map(|m| m.stats().time_to_first_token);
    for q in QUESTIONS {
        let before = first_tokens();
        let started = Instant::now();
        let message = chat::ask(app, asker, None, q).await.map_err(api)?;
        let mut events = std::pin::pin!(chat::follow(app, asker, message.id).await.map_err(api)?);
        let (mut template, mut first, mut done, mut status) = (None, None, None, String::new());
        while let Some(e) = events.next().await {
            if e.answer.is_some() && template.is_none() {
                template = Some(started.elapsed());
            }
            if !e.delta.is_empty() && first.is_none() {
                first = Some(started.elapsed());
            }
            if e.done {
                done = Some(started.elapsed());
                if template.is_none() && e.answer.is_some() {
                    template = done;
                }
                status = format!("{:?}", e.narrative_status);
                if let Some(err) = e.error {
                    status = format!("error: {err}");
                }
            }
        }
        // One generation per answer at most: the change of the sum is this answer's.
        let first_token = first_tokens()
            .zip(before)
            .map(|(after, before)| after.saturating_sub(before))
            .filter(|d| !d.is_zero());
        println!(
            "| {q} | {} | {} | {} | {} | {status} |",
            ms(template),
            ms(first_token),
            ms(first),
            ms(done)
        );
    }
    Ok(())
}
