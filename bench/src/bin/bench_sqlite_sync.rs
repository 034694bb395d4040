//! `bench-sqlite-sync`: what SQLite's `synchronous = FULL` (the default, `CRM_SQLITE_SYNCHRONOUS`)
//! costs against `NORMAL`, through the real API over HTTP on a SQLite file.
//!
//! For each setting, in interleaved rounds, a fresh server on a fresh file in the system's temp
//! folder (override with `--dir`) gets one company with 1,000 clients, then the timed work:
//! `upsertSales` batches of 10,000 new sales, and single `createSale` mutations (one commit
//! each, where the sync per commit shows most). It prints the medians of both settings and
//! their ratio. Run it with
//!
//! ```text
//! cargo run --release -p crm-bench --bin bench-sqlite-sync [-- --rounds 3 --dir /var/lib/crm]
//! ```
//!
//! The figures depend on the disk under the folder: run it where the data directory will be.

// A benchmark program: a panic on a broken assumption is the right answer.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, ensure};
use crm_api::db::SqliteSynchronous;
use serde_json::{Value, json};

const CLIENTS: usize = 1_000;
const BATCH: usize = 10_000;
const BATCHES_PER_ROUND: usize = 2;
const SINGLES_PER_ROUND: usize = 100;

#[tokio::main]
async fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let rounds: usize = arg("--rounds").map_or(Ok(3), |v| v.parse())?;
    let dir = arg("--dir").map_or_else(std::env::temp_dir, PathBuf::from);
    let mut batches = [Vec::new(), Vec::new()];
    let mut singles = [Vec::new(), Vec::new()];
    let modes = [SqliteSynchronous::Normal, SqliteSynchronous::Full];
    for round in 0..rounds {
        for (m, mode) in modes.into_iter().enumerate() {
            let (b, s) = measure(&dir, mode, round).await?;
            batches[m].extend(b);
            singles[m].extend(s);
        }
    }
    println!(
        "SQLite synchronous, {rounds} rounds, files under {}",
        dir.display()
    );
    println!(
        "{:<36} {:>12} {:>12} {:>8}",
        "median", "NORMAL", "FULL", "FULL/NORMAL"
    );
    for (what, figures) in [
        (format!("upsertSales, {BATCH} new sales"), &batches),
        ("createSale, one sale".to_owned(), &singles),
    ] {
        let normal = median(&figures[0]);
        let full = median(&figures[1]);
        println!(
            "{:<36} {:>9.1} ms {:>9.1} ms {:>8.2}",
            what,
            ms(normal),
            ms(full),
            full.as_secs_f64() / normal.as_secs_f64()
        );
    }
    Ok(())
}

/// One round for one setting: per-batch and per-mutation times.
async fn measure(
    dir: &Path,
    mode: SqliteSynchronous,
    round: usize,
) -> Result<(Vec<Duration>, Vec<Duration>)> {
    let data = dir.join(format!(
        "crm_bench_sqlite_sync_{}_{round}_{}",
        std::process::id(),
        mode.as_str()
    ));
    std::fs::create_dir_all(&data)?;
    let config = crm_api::Config {
        database_url: Some(data.join("crm.sqlite3").display().to_string()),
        data_dir: data.clone(),
        sqlite_synchronous: mode,
        api_key_rate_per_min: 1_000_000,
        user_rate_per_min: 1_000_000,
        ..crm_api::Config::default()
    };
    let (_app, router) = crm_api::build_router(config).await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/graphql", listener.local_addr()?);
    let server = tokio::spawn(crm_api::serve(listener, router));
    let http = reqwest::Client::new();
    let result = async {
        let token = call(
            &http,
            &url,
            None,
            "mutation($i: RegisterInput!) { register(input: $i) { accessToken } }",
            json!({"i": {"email": "bench@example.com", "password": "bench password",
                          "displayName": "Bench", "companyName": "Bench"}}),
        )
        .await?["register"]["accessToken"]
            .as_str()
            .context("token")?
            .to_owned();
        let clients: Vec<Value> = (0..CLIENTS)
            .map(|i| json!({"externalId": format!("c{i}"), "name": format!("Client {i}")}))
            .collect();
        call(
            &http,
            &url,
            Some(&token),
            "mutation($r: [ClientUpsertInput!]!) { upsertClients(clients: $r) { created } }",
            json!({"r": clients}),
        )
        .await?;
        let some_client = call(&http, &url, Some(&token), "{ clients(first: 1) { nodes { id } } }", json!({}))
            .await?["clients"]["nodes"][0]["id"]
            .as_str()
            .context("a client")?
            .to_owned();
        let mut batches = Vec::new();
        for b in 0..BATCHES_PER_ROUND {
            let sales: Vec<Value> = (0..BATCH)
                .map(|i| {
                    json!({"externalId": format!("b{b}-{i}"), "clientExternalId": format!("c{}", i % CLIENTS),
                           "amountMinor": 1000 + i, "currency": "RUB", "soldAt": "2026-11-20T10:00:00Z"})
                })
                .collect();
            let started = Instant::now();
            let created = call(
                &http,
                &url,
                Some(&token),
                "mutation($s: [SaleUpsertInput!]!) { upsertSales(sales: $s) { created } }",
                json!({"s": sales}),
            )
            .await?["upsertSales"]["created"]
                .as_u64();
            batches.push(started.elapsed());
            ensure!(created == Some(BATCH as u64), "the batch was not written");
        }
        let mut singles = Vec::new();
        for i in 0..SINGLES_PER_ROUND {
            let started = Instant::now();
            call(
                &http,
                &url,
                Some(&token),
                "mutation($i: SaleInput!) { createSale(input: $i) { id } }",
                json!({"i": {"clientId": some_client, "externalId": format!("single-{i}"),
                              "amountMinor": 500, "currency": "RUB", "soldAt": "2026-11-21T10:00:00Z"}}),
            )
            .await?;
            singles.push(started.elapsed());
        }
        Ok::<_, anyhow::Error>((batches, singles))
    }
    .await;
    server.abort();
    let _ = std::fs::remove_dir_all(&data);
    result
}

async fn call(
    http: &reqwest::Client,
    url: &str,
    token: Option<&str>,
    query: &str,
    variables: Value,
) -> Result<Value> {
    let mut request = http
        .post(url)
        .json(&json!({"query": query, "variables": variables}));
    if let Some(t) = token {
        request = request.bearer_auth(t);
    }
    let answer: Value = request.send().await?.json().await?;
    ensure!(answer.get("errors").is_none(), "{answer}");
    Ok(answer["data"].clone())
}

fn median(v: &[Duration]) -> Duration {
    let mut v = v.to_vec();
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
