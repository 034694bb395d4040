//! `bench-report-view`: how long the web app takes to render the report view of a general
//! sales report over 100,000 sales, beside the GraphQL query alone, and how long each export
//! takes — all through the real HTTP server (the web router with the API merged in, on a
//! loopback port), measured in the same run.
//!
//! A scratch database (PostgreSQL by default, `--sqlite` for SQLite) gets a company registered
//! through the web app, an API key, 2,000 clients and the sales pushed through `upsertClients` /
//! `upsertSales` in batches of 10,000: a fixed seed, dates over the last 365 days, amounts
//! 100–10,000 RUB, 5 % in USD (with a rate), 90 % completed. Then:
//!
//! 1. the report view: `GET /reports/new?kind=general&from=…&to=…` as the signed-in browser
//!    gets it (server-rendered page with the report, its charts and tables; a report that runs
//!    past the view's two-second wait shows its progress instead, and is counted), `--loads`
//!    times, after loading it until it held the report once;
//! 2. the GraphQL query alone: `POST /graphql` with the query the report view sends for its
//!    data (`crm_web::gql::RunReport`), with the session's access token, as many times;
//! 3. each export (`/reports/export?format=pdf|csv|xlsx`), 10 times.
//!
//! It prints p50 and p99 (nearest rank) for each, and the ratio of the view's p50 to the
//! query's. Run it with
//!
//! ```text
//! CRM_TEST_PG_URL=postgres://postgres@127.0.0.1:5432/postgres \
//!   cargo run --release -p crm-bench --bin bench-report-view [-- --sales 100000 --loads 50 --sqlite]
//! ```

// A benchmark program: a failed step ends the run with its message, as in the other benches.
#![allow(clippy::indexing_slicing)]

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use chrono::{Days, Utc};
use cynic::QueryBuilder;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};

use crm_test_support::{Backend, ScratchDb};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const CLIENTS: usize = 2_000;
const BATCH: usize = 10_000;
const EXPORT_LOADS: usize = 10;

fn arg<T: std::str::FromStr>(args: &[String], name: &str, default: T) -> T {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The nearest-rank percentile `p` (0..=100) of sorted `times`.
fn percentile(sorted: &[Duration], p: usize) -> Duration {
    let rank = (p * sorted.len()).div_ceil(100).max(1);
    sorted[rank.min(sorted.len()) - 1]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

struct Client {
    http: reqwest::Client,
    base: String,
    cookie: String,
}

impl Client {
    async fn call(&self, path: &str, args: Value) -> Result<(Option<String>, Value)> {
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .header("origin", &self.base)
            .header("cookie", &self.cookie)
            .json(&args)
            .send()
            .await?;
        let cookie = response
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .map(|v| v.split(';').next().unwrap_or("").to_owned());
        let status = response.status();
        let body = response.text().await?;
        ensure!(status.is_success(), "{path}: {status} {body}");
        Ok((cookie, serde_json::from_str(&body).unwrap_or(Value::Null)))
    }

    async fn graphql(&self, bearer: &str, query: &str, variables: Value) -> Result<Value> {
        let body: Value = self
            .http
            .post(format!("{}/graphql", self.base))
            .bearer_auth(bearer)
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await?
            .json()
            .await?;
        if body["errors"].is_array() {
            bail!("GraphQL: {}", body["errors"]);
        }
        Ok(body["data"].clone())
    }

    /// A GET as the signed-in browser sends it (in Russian).
    fn browser_get(&self, path: &str) -> reqwest::RequestBuilder {
        self.http
            .get(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .header("accept-language", "ru")
    }

    /// One page as the signed-in browser gets it.
    async fn get(&self, path: &str) -> Result<Vec<u8>> {
        let response = self.browser_get(path).send().await?;
        ensure!(
            response.status().is_success(),
            "{path}: {}",
            response.status()
        );
        Ok(response.bytes().await?.to_vec())
    }

    /// Times one GET as the signed-in browser; checks the answer with `ok`.
    async fn timed_get(&self, path: &str, ok: impl Fn(&[u8]) -> bool) -> Result<Duration> {
        let started = Instant::now();
        let response = self.browser_get(path).send().await?;
        let status = response.status();
        let body = response.bytes().await?;
        let took = started.elapsed();
        ensure!(
            status.is_success() && ok(&body),
            "{path}: {status}, {} bytes: {}",
            body.len(),
            // What the page shows under the builder and its presets.
            String::from_utf8_lossy(&body)
                .rsplit("</nav>")
                .next()
                .unwrap_or_default()
                .chars()
                .take(2000)
                .collect::<String>()
        );
        Ok(took)
    }
}

/// Clients and sales as the shop pushes them: a fixed seed, skewed so some clients buy far
/// more than others.
fn made_up_sales(n: usize, today: chrono::NaiveDate) -> Vec<Value> {
    let mut rng = StdRng::seed_from_u64(7);
    (0..n)
        .map(|i| {
            let client = (rng.random::<f64>().powi(2) * CLIENTS as f64) as usize;
            let day = today - Days::new(rng.random_range(0..365));
            let usd = rng.random_bool(0.05);
            let status = match rng.random_range(0..100) {
                0..90 => "COMPLETED",
                90..95 => "PENDING",
                95..98 => "REFUNDED",
                _ => "CANCELLED",
            };
            json!({
                "externalId": format!("s{i}"),
                "clientExternalId": format!("c{client}"),
                "amountMinor": rng.random_range(10_000..1_000_000),
                "currency": if usd { "USD" } else { "RUB" },
                "status": status,
                "soldAt": format!("{day}T12:00:00Z"),
            })
        })
        .collect()
}

#[tokio::main]
async fn main() -> Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .init();
    let args: Vec<String> = std::env::args().collect();
    let sales: usize = arg(&args, "--sales", 100_000);
    let loads: usize = arg(&args, "--loads", 50);
    let backend = if args.iter().any(|a| a == "--sqlite") {
        Backend::Sqlite
    } else {
        Backend::Postgres
    };
    let db = ScratchDb::new(backend, "bench_view").await;
    let config = crm_api::Config {
        database_url: Some(db.url.clone()),
        ..Default::default()
    };
    let router = crm_web::server::build(config).await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    tokio::spawn(crm_api::serve(listener, router));

    let mut c = Client {
        http: reqwest::Client::builder()
            .timeout(Duration::from_secs(600))
            .build()?,
        base,
        cookie: String::new(),
    };
    let (cookie, _) = c
        .call(
            "/api/session/register",
            json!({"email": "bench@example.com", "password": "long enough", "display_name": "Bench",
                   "company_name": "Bench", "base_currency": "RUB"}),
        )
        .await?;
    c.cookie = cookie.context("no session cookie")?;
    let (_, key) = c
        .call("/api/keys", json!({"name": "Shop", "scope": "READ_WRITE"}))
        .await?;
    let key = key["secret"].as_str().context("no key secret")?.to_owned();
    let tokens = c
        .graphql(
            "",
            "mutation { login(email: \"bench@example.com\", password: \"long enough\") { accessToken } }",
            json!({}),
        )
        .await?;
    let access = tokens["login"]["accessToken"]
        .as_str()
        .context("no access token")?
        .to_owned();

    let today = Utc::now().date_naive();
    let year_ago = today - Days::new(365);
    c.graphql(
        &access,
        "mutation($d: NaiveDate!) { setExchangeRate(currency: \"USD\", validOn: $d, rate: \"90\") { id } }",
        json!({"d": (year_ago - Days::new(1)).to_string()}),
    )
    .await
    .context("exchange rate")?;
    let clients: Vec<Value> = (0..CLIENTS)
        .map(|i| json!({"externalId": format!("c{i}"), "name": format!("Клиент {i}")}))
        .collect();
    c.graphql(
        &key,
        "mutation($r: [ClientUpsertInput!]!) { upsertClients(clients: $r) { created } }",
        json!({"r": clients}),
    )
    .await?;
    let started = Instant::now();
    for batch in made_up_sales(sales, today).chunks(BATCH) {
        c.graphql(
            &key,
            "mutation($r: [SaleUpsertInput!]!) { upsertSales(sales: $r) { created } }",
            json!({"r": batch}),
        )
        .await?;
    }
    println!(
        "{sales} sales of {CLIENTS} clients pushed in {:.1} s ({backend:?})",
        started.elapsed().as_secs_f64()
    );

    let (from, to) = (year_ago.to_string(), today.to_string());
    let view = format!("/reports/new?kind=general&from={from}&to={to}");
    let operation = crm_web::gql::RunReport::build(crm_web::gql::ReportVariables {
        input: crm_web::gql::ReportInput {
            kind: crm_web::gql::ReportKind::General,
            from: crm_web::gql::NaiveDate(from.clone()),
            to: crm_web::gql::NaiveDate(to.clone()),
            granularity: crm_web::gql::Granularity::Month,
            filters: None,
            horizon: 3,
        },
    });
    let variables = serde_json::to_value(&operation.variables)?;
    // The page holds the report (its key figures), not the progress of a running one.
    let rendered = |b: &[u8]| {
        let text = String::from_utf8_lossy(b);
        text.contains("id=\"key-figures\"") && !text.contains("id=\"report-progress\"")
    };
    // Warm-up: the first report over freshly imported sales may run longer than the two
    // seconds the view waits (statistics not yet analysed, the score cache built); load until
    // the view holds the report.
    let started = Instant::now();
    c.graphql(&access, &operation.query, variables.clone())
        .await?;
    println!(
        "first report (GraphQL, cold): {:.0} ms",
        ms(started.elapsed())
    );
    let mut warm = 0;
    while !rendered(&c.get(&view).await?) {
        warm += 1;
        ensure!(warm < 60, "the report view never held the report");
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    let (mut page, mut query, mut progress_pages) = (Vec::new(), Vec::new(), 0);
    for _ in 0..loads {
        let started = Instant::now();
        let body = c.get(&view).await?;
        page.push(started.elapsed());
        if !rendered(&body) {
            progress_pages += 1;
        }
        let started = Instant::now();
        let data = c
            .graphql(&access, &operation.query, variables.clone())
            .await?;
        query.push(started.elapsed());
        ensure!(data["report"]["body"]["totals"]["salesCount"].as_i64() > Some(0));
    }
    page.sort();
    query.sort();
    println!("\n{loads} loads each    p50 ms    p99 ms");
    for (name, t) in [
        ("report view (SSR)", &page),
        ("GraphQL query alone", &query),
    ] {
        println!(
            "{name:<20} {:>8.1} {:>9.1}",
            ms(percentile(t, 50)),
            ms(percentile(t, 99))
        );
    }
    println!(
        "view / query (p50)   {:.2}",
        ms(percentile(&page, 50)) / ms(percentile(&query, 50))
    );
    println!(
        "loads that showed the progress instead of the report: {progress_pages} of {loads} \
         ({warm} warm-up loads before the first report)"
    );

    println!("\nexport ({EXPORT_LOADS} each)    p50 ms    p99 ms    bytes");
    for (format, magic) in [
        ("pdf", &b"%PDF"[..]),
        ("csv", &b""[..]),
        ("xlsx", &b"PK"[..]),
    ] {
        let path =
            format!("/reports/export?kind=general&from={from}&to={to}&format={format}&lang=ru");
        let mut times = Vec::new();
        for _ in 0..EXPORT_LOADS {
            times.push(
                c.timed_get(&path, |b| b.starts_with(magic) && b.len() > 100)
                    .await?,
            );
        }
        times.sort();
        let size = c.get(&path).await?.len();
        println!(
            "{format:<20} {:>8.1} {:>9.1} {size:>8}",
            ms(percentile(&times, 50)),
            ms(percentile(&times, 99))
        );
    }
    Ok(())
}
