//! `bench-ingest`: how fast the real API takes in sales, compared with PostgreSQL's own bulk
//! load, and how fast the clients list answers once the company has many sales.
//!
//! What it measures, all in one run against a live PostgreSQL:
//!
//! 1. **GraphQL ingestion**: the real server is started in-process on a fresh database
//!    (`crm_bench_api_<pid>`); a user registers, creates an API key, upserts 10,000 clients,
//!    then N sales are sent with `upsertSales` in batches of the server's maximum (10,000),
//!    one HTTP call after another. Only the sending of the pre-serialized batches is timed.
//! 2. **COPY reference**: the same N sales are written as CSV and loaded with
//!    `psql -c "\copy sales(...) FROM ... WITH (FORMAT csv)"` into a second fresh database
//!    (`crm_bench_copy_<pid>`) that has the same schema, company and clients.
//!
//!    Both loads run in 3 interleaved rounds (GraphQL, COPY, GraphQL, COPY, …), each round on
//!    its own pair of fresh databases (`…_<pid>_<round>`), so a slow moment of the machine hits
//!    both sides alike. Every round is printed; the ratio of the median throughputs is reported
//!    against the target of 0.5.
//! 3. **Page latency at scale**: the API database is topped up server-side to M sales in total,
//!    client aggregates are recomputed and the tables analyzed; then the clients page (50 rows
//!    with totals and last sale) is requested over HTTP 200 times after 10 warm-ups, sorted by
//!    total spent (descending) and by the default sort (name). p50 and p99 are reported.
//!
//! Run it with
//!
//! ```text
//! BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/postgres \
//!   cargo run --release -p crm-bench --bin bench-ingest -- [--sales 100000] [--page-sales 1000000]
//! ```
//!
//! `--analyze-empty` runs `ANALYZE` on each API database after the clients are in and before
//! the sales come: the statistics then say the sales table is empty while the import fills it,
//! as after a self-hoster truncates and re-imports.
//!
//! `BENCH_PG_URL` must name a role that may create databases; `psql` must be on `PATH`. Both
//! databases are dropped at the end, also when a step fails.

// A benchmark program: a panic on a broken assumption is the right answer.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod api;
mod data;
mod sql;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use chrono::{DateTime, NaiveDateTime, SecondsFormat, TimeDelta, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::task::JoinHandle;

use api::*;
use data::*;
use sql::*;

/// mimalloc: the GraphQL layer allocates many small objects per request (a 10,000-row batch
/// is tens of thousands of values), which glibc's allocator serves slowly.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Used when `BENCH_PG_URL` is not set.
const DEFAULT_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";
const DEFAULT_SALES: usize = 100_000;
const DEFAULT_PAGE_SALES: usize = 1_000_000;

/// Clients the sales are spread over (sent in one `upsertClients` call, the server's maximum).
const CLIENTS: usize = 10_000;
/// Sales per `upsertSales` call: the largest batch the server accepts, as an integrator would.
const BATCH: usize = crm_api::domain::MAX_BATCH;
/// Seed of the sales generator, so every run sends the same rows.
const SEED: u64 = 42;
/// Sales are dated over the last three years.
const HISTORY_DAYS: i64 = 3 * 365;
/// Page size of the clients-list query.
const PAGE_SIZE: usize = 50;
const WARMUP_REQUESTS: usize = 10;
const MEASURED_REQUESTS: usize = 200;
/// GraphQL ingestion should reach at least this fraction of COPY's throughput.
const TARGET_RATIO: f64 = 0.5;

const COPY_COLUMNS: &str = "company_id, client_id, external_id, amount_minor, currency, sold_at, \
                            status, items, created_at, updated_at";

const REGISTER: &str =
    "mutation($input: RegisterInput!) { register(input: $input) { accessToken } }";
const CREATE_API_KEY: &str = "mutation { createApiKey(name: \"bench-ingest\") { secret } }";
const UPSERT_CLIENTS: &str = "mutation($clients: [ClientUpsertInput!]!) { \
     upsertClients(clients: $clients) { created updated unchanged rejected } }";
const UPSERT_SALES: &str = "mutation($sales: [SaleUpsertInput!]!) { \
     upsertSales(sales: $sales) { created updated unchanged rejected } }";
/// What the clients list of the web app asks for: one page with totals and the last sale.
const PAGE_FIELDS: &str = "totalCount edges { node { id name email totalSpent { amount currency } \
     lastPurchaseAt lastSale { id soldAt amount { amount currency } } } } \
     pageInfo { hasNextPage endCursor }";

const USAGE: &str = "usage: bench-ingest [--sales N] [--page-sales M] [--analyze-empty]\n\
  --sales N        sales sent through GraphQL and through COPY (default 100000)\n\
  --page-sales M   sales in the API database when page latency is measured (default 1000000)\n\
  --analyze-empty  ANALYZE the API database while its sales table is still empty\n\
  BENCH_PG_URL     PostgreSQL admin URL (default postgres://postgres@127.0.0.1:5432/postgres)";

#[tokio::main]
async fn main() -> Result<()> {
    // RUST_LOG=crm_api=debug shows where a batch spends its time.
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    let Some(args) = Args::parse(std::env::args().skip(1))? else {
        println!("{USAGE}");
        return Ok(());
    };
    let admin = pg_connect(&args.admin_url)
        .await
        .context("connecting to BENCH_PG_URL")?;
    let pid = std::process::id();
    let names = BenchDatabases { pid };
    let outcome: Result<Report> = async {
        for name in names.all() {
            create_database(&admin, &name).await?;
        }
        run(&args, &names).await
    }
    .await;
    // Cleanup runs whatever happened above, so a failed run leaves no databases behind.
    if let Err(e) = drop_databases(&admin, &names).await {
        eprintln!("warning: could not drop the benchmark databases: {e:#}");
    }
    outcome?.print();
    Ok(())
}

/// Command-line options and the admin URL.
struct Args {
    sales: usize,
    page_sales: usize,
    analyze_empty: bool,
    admin_url: String,
}

impl Args {
    /// `None` when help was asked for.
    fn parse(mut args: impl Iterator<Item = String>) -> Result<Option<Args>> {
        let mut sales = DEFAULT_SALES;
        let mut page_sales = DEFAULT_PAGE_SALES;
        let mut analyze_empty = false;
        while let Some(arg) = args.next() {
            let (name, inline) = match arg.split_once('=') {
                Some((n, v)) => (n.to_owned(), Some(v.to_owned())),
                None => (arg.clone(), None),
            };
            let mut value = |name: &str| -> Result<usize> {
                let v = match inline.clone() {
                    Some(v) => v,
                    None => args
                        .next()
                        .with_context(|| format!("{name} needs a value\n{USAGE}"))?,
                };
                v.replace('_', "")
                    .parse()
                    .with_context(|| format!("{name}: {v:?} is not a number"))
            };
            match name.as_str() {
                "--sales" => sales = value("--sales")?,
                "--page-sales" => page_sales = value("--page-sales")?,
                "--analyze-empty" => analyze_empty = true,
                "-h" | "--help" => return Ok(None),
                other => bail!("unknown argument {other:?}\n{USAGE}"),
            }
        }
        ensure!(sales > 0, "--sales must be at least 1");
        let admin_url = std::env::var("BENCH_PG_URL")
            .ok()
            .filter(|v| !v.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_ADMIN_URL.to_owned());
        Ok(Some(Args {
            sales,
            page_sales,
            analyze_empty,
            admin_url,
        }))
    }
}

/// Names of the throwaway databases of this run: an API and a COPY one per round.
struct BenchDatabases {
    pid: u32,
}

impl BenchDatabases {
    fn api(&self, round: usize) -> String {
        format!("crm_bench_api_{}_{round}", self.pid)
    }

    fn copy(&self, round: usize) -> String {
        format!("crm_bench_copy_{}_{round}", self.pid)
    }

    fn all(&self) -> Vec<String> {
        (1..=ROUNDS)
            .flat_map(|r| [self.api(r), self.copy(r)])
            .collect()
    }
}

/// Interleaved rounds of the two loads.
const ROUNDS: usize = 3;

/// Everything the run measured.
struct Report {
    graphql: Vec<Throughput>,
    copy: Vec<Throughput>,
    pages: PageReport,
}

/// The round with the median throughput.
fn median(rounds: &[Throughput]) -> &Throughput {
    let mut sorted: Vec<&Throughput> = rounds.iter().collect();
    sorted.sort_by(|a, b| a.rows_per_sec().total_cmp(&b.rows_per_sec()));
    sorted[sorted.len() / 2]
}

struct Throughput {
    rows: usize,
    elapsed: Duration,
}

impl Throughput {
    fn rows_per_sec(&self) -> f64 {
        self.rows as f64 / self.elapsed.as_secs_f64().max(f64::EPSILON)
    }
}

struct PageReport {
    sales: i64,
    clients: i64,
    by_total_spent: Latency,
    by_name: Latency,
}

struct Latency {
    p50: Duration,
    p99: Duration,
}

impl Report {
    fn print(&self) {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!();
        let (graphql, copy) = (median(&self.graphql), median(&self.copy));
        println!(
            "Sales ingestion: {} sales over {CLIENTS} clients, batches of {BATCH}, {ROUNDS} interleaved rounds",
            graphql.rows
        );
        println!(
            "{:<22} {:>6} {:>10} {:>10} {:>12}",
            "method", "round", "rows", "seconds", "rows/s"
        );
        for (round, (g, c)) in self.graphql.iter().zip(&self.copy).enumerate() {
            for (label, t) in [("GraphQL upsertSales", g), ("psql COPY", c)] {
                println!(
                    "{:<22} {:>6} {:>10} {:>10.3} {:>12.0}",
                    label,
                    round + 1,
                    t.rows,
                    t.elapsed.as_secs_f64(),
                    t.rows_per_sec()
                );
            }
        }
        println!(
            "median: GraphQL {:.0} rows/s, COPY {:.0} rows/s",
            graphql.rows_per_sec(),
            copy.rows_per_sec()
        );
        let ratio = graphql.rows_per_sec() / copy.rows_per_sec();
        println!(
            "ratio graphql/copy     {ratio:>10.3}   target >= {TARGET_RATIO}: {}",
            if ratio >= TARGET_RATIO {
                "met"
            } else {
                "NOT met"
            }
        );
        println!();
        println!(
            "Clients page (first: {PAGE_SIZE}), {MEASURED_REQUESTS} requests after {WARMUP_REQUESTS} warm-up, {} clients",
            self.pages.clients
        );
        println!(
            "{:<28} {:>10} {:>10} {:>10}",
            "sort", "sales", "p50 ms", "p99 ms"
        );
        for (label, l) in [
            ("TOTAL_SPENT DESC", &self.pages.by_total_spent),
            ("NAME (default)", &self.pages.by_name),
        ] {
            println!(
                "{:<28} {:>10} {:>10.2} {:>10.2}",
                label,
                self.pages.sales,
                ms(l.p50),
                ms(l.p99)
            );
        }
    }
}

/// The whole benchmark, on databases that already exist.
async fn run(args: &Args, dbs: &BenchDatabases) -> Result<Report> {
    // Whole seconds, so the CSV and the GraphQL path store exactly the same timestamps.
    let now = DateTime::<Utc>::from_timestamp(Utc::now().timestamp(), 0)
        .context("the clock is out of range")?
        .naive_utc();
    let sales = generate_sales(args.sales, now);

    let mut graphql = Vec::with_capacity(ROUNDS);
    let mut copy = Vec::with_capacity(ROUNDS);
    let mut last = None;
    for round in 1..=ROUNDS {
        let api_url = with_database(&args.admin_url, &dbs.api(round))?;
        let copy_url = with_database(&args.admin_url, &dbs.copy(round))?;
        let server = Server::start(&api_url).await?;
        let tokens = sign_up(&server.api).await?;
        upsert_clients(&server.api, &tokens.api_key).await?;
        if args.analyze_empty {
            pg_connect(&api_url)
                .await?
                .batch_execute("ANALYZE")
                .await
                .context("ANALYZE")?;
        }
        eprintln!(
            "round {round}: sending {} sales through upsertSales…",
            sales.len()
        );
        graphql.push(time_graphql_ingest(&server.api, &tokens.api_key, &sales).await?);
        eprintln!(
            "round {round}: loading {} sales with psql \\copy…",
            sales.len()
        );
        copy.push(time_copy(&copy_url, &sales, now).await?);
        last = Some((api_url, server, tokens));
    }
    let (api_url, server, tokens) = last.context("no rounds ran")?;
    let pages = page_latency(&api_url, &server.api, &tokens.access_token, args.page_sales).await?;
    Ok(Report {
        graphql,
        copy,
        pages,
    })
}
