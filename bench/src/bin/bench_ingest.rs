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

use std::io::Write as _;
use std::net::SocketAddr;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use chrono::{DateTime, NaiveDateTime, SecondsFormat, TimeDelta, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::task::JoinHandle;
use tokio_postgres::NoTls;

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

// ---------------------------------------------------------------------------------------------
// Databases
// ---------------------------------------------------------------------------------------------

async fn pg_connect(url: &str) -> Result<tokio_postgres::Client> {
    let (client, connection) = tokio_postgres::connect(url, NoTls)
        .await
        .context("connecting to PostgreSQL")?;
    // The connection future does the actual I/O; its error, if any, surfaces on the next query.
    tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok(client)
}

async fn create_database(admin: &tokio_postgres::Client, name: &str) -> Result<()> {
    // Names are built from our pid only ([a-z0-9_]), so quoting them is enough.
    admin
        .batch_execute(&format!("CREATE DATABASE \"{name}\""))
        .await
        .with_context(|| format!("creating database {name}"))
}

async fn drop_databases(admin: &tokio_postgres::Client, dbs: &BenchDatabases) -> Result<()> {
    let mut failures = Vec::new();
    // All are attempted even when one fails.
    for name in dbs.all() {
        // FORCE: the in-process server's pool and its LISTEN connection may still be open.
        let sql = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        if let Err(e) = admin.batch_execute(&sql).await {
            failures.push(format!("{name}: {e}"));
        }
    }
    ensure!(failures.is_empty(), "{}", failures.join("; "));
    Ok(())
}

/// `url` with its database name replaced by `db` (user, host, port and parameters kept).
fn with_database(url: &str, db: &str) -> Result<String> {
    let scheme_end = url
        .find("://")
        .context("BENCH_PG_URL must look like postgres://user@host:port/db")?
        + 3;
    let (head, rest) = url.split_at(scheme_end);
    let (rest, params) = match rest.find('?') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let authority = rest.split('/').next().unwrap_or_default();
    Ok(format!("{head}{authority}/{db}{params}"))
}

// ---------------------------------------------------------------------------------------------
// The server and its HTTP API
// ---------------------------------------------------------------------------------------------

/// The real server, running in this process on an ephemeral port.
struct Server {
    api: Api,
    /// Kept so the state outlives every request; dropped with the server.
    _app: Arc<crm_api::App>,
    task: JoinHandle<std::io::Result<()>>,
}

impl Server {
    async fn start(database_url: &str) -> Result<Server> {
        let config = crm_api::Config {
            database_url: Some(database_url.to_owned()),
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            // The benchmark sends far more than an integrator's default allowance per minute.
            api_key_rate_per_min: 1_000_000,
            // The page measurements come after the bulk top-up; the user's token must still be
            // valid then, however long the top-up takes on a slow machine.
            access_token_ttl: Duration::from_secs(24 * 3600),
            ..Default::default()
        };
        // build_router migrates the fresh database.
        let (app, router) = crm_api::build_router(config)
            .await
            .context("starting the API server")?;
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
            .await
            .context("binding 127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let task = tokio::spawn(crm_api::serve(listener, router));
        let http = reqwest::Client::builder()
            // Loopback only: an HTTP_PROXY in the environment must not be used.
            .no_proxy()
            .timeout(Duration::from_secs(600))
            .build()
            .context("building the HTTP client")?;
        Ok(Server {
            api: Api {
                http,
                url: format!("http://{addr}/graphql"),
            },
            _app: app,
            task,
        })
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

struct Api {
    http: reqwest::Client,
    url: String,
}

impl Api {
    /// Posts a pre-serialized GraphQL request and returns the raw answer, so callers can stop
    /// their timer before parsing.
    async fn send(&self, token: Option<&str>, body: String) -> Result<(StatusCode, String)> {
        let mut request = self
            .http
            .post(&self.url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.context("sending a GraphQL request")?;
        let status = response.status();
        let text = response
            .text()
            .await
            .context("reading a GraphQL response")?;
        Ok((status, text))
    }

    /// Posts a request and returns its `data`, failing on any GraphQL error.
    async fn call(&self, token: Option<&str>, body: String) -> Result<Value> {
        let (status, text) = self.send(token, body).await?;
        graphql_data(status, &text)
    }
}

fn graphql_data(status: StatusCode, text: &str) -> Result<Value> {
    let mut response: Value = serde_json::from_str(text).with_context(|| {
        format!(
            "HTTP {status}: the response is not JSON: {}",
            text.chars().take(300).collect::<String>()
        )
    })?;
    if let Some(errors) = response
        .get("errors")
        .filter(|e| e.as_array().is_some_and(|a| !a.is_empty()))
    {
        bail!("HTTP {status}: GraphQL errors: {errors}");
    }
    ensure!(status.is_success(), "HTTP {status}: {text}");
    Ok(response
        .get_mut("data")
        .map(Value::take)
        .unwrap_or(Value::Null))
}

struct Tokens {
    /// The user's session token (for the clients page, as the web app would ask).
    access_token: String,
    /// An integration key (for the upserts, as an integrator would send them).
    api_key: String,
}

async fn sign_up(api: &Api) -> Result<Tokens> {
    let body = json!({
        "query": REGISTER,
        "variables": { "input": {
            "email": format!("bench-{}@example.com", std::process::id()),
            "password": "bench-ingest-password",
            "displayName": "Bench User",
            "companyName": "Bench Company",
        }},
    });
    let data = api.call(None, body.to_string()).await.context("register")?;
    let access_token = data["register"]["accessToken"]
        .as_str()
        .context("register returned no accessToken")?
        .to_owned();
    let body = json!({ "query": CREATE_API_KEY });
    let data = api
        .call(Some(&access_token), body.to_string())
        .await
        .context("createApiKey")?;
    let api_key = data["createApiKey"]["secret"]
        .as_str()
        .context("createApiKey returned no secret")?
        .to_owned();
    Ok(Tokens {
        access_token,
        api_key,
    })
}

/// Per-status totals of batch upserts.
#[derive(Debug, Default)]
struct BatchCounts {
    created: u64,
    updated: u64,
    unchanged: u64,
    rejected: u64,
}

impl BatchCounts {
    fn parse(result: &Value) -> Result<BatchCounts> {
        let field = |name: &str| {
            result[name]
                .as_u64()
                .with_context(|| format!("batch result without {name}: {result}"))
        };
        Ok(BatchCounts {
            created: field("created")?,
            updated: field("updated")?,
            unchanged: field("unchanged")?,
            rejected: field("rejected")?,
        })
    }

    fn add(&mut self, other: &BatchCounts) {
        self.created += other.created;
        self.updated += other.updated;
        self.unchanged += other.unchanged;
        self.rejected += other.rejected;
    }

    /// Every row of a fresh load must have been created.
    fn ensure_all_created(&self, rows: usize, what: &str) -> Result<()> {
        ensure!(
            self.created == rows as u64
                && self.updated == 0
                && self.unchanged == 0
                && self.rejected == 0,
            "{what}: expected {rows} created, got {self:?}"
        );
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Test data
// ---------------------------------------------------------------------------------------------

fn client_external_id(i: usize) -> String {
    format!("c{i}")
}

fn client_name(i: usize) -> String {
    // Zero-padded so the name order is the numeric order.
    format!("Client {i:05}")
}

fn client_email(i: usize) -> String {
    format!("client{i}@example.com")
}

/// One generated sale; its external id is `s<index>`.
struct SaleRow {
    /// Index of the client, 0..CLIENTS.
    client: usize,
    amount_minor: i64,
    sold_at: NaiveDateTime,
}

/// The same sales on every run (fixed seed); dates are relative to `now`.
fn generate_sales(n: usize, now: NaiveDateTime) -> Vec<SaleRow> {
    let mut rng = StdRng::seed_from_u64(SEED);
    let history_secs = HISTORY_DAYS * 24 * 3600;
    (0..n)
        .map(|_| SaleRow {
            client: rng.random_range(0..CLIENTS),
            amount_minor: rng.random_range(100..10_000_000),
            sold_at: now - TimeDelta::seconds(rng.random_range(0..history_secs)),
        })
        .collect()
}

async fn upsert_clients(api: &Api, key: &str) -> Result<()> {
    let clients: Vec<Value> = (0..CLIENTS)
        .map(|i| {
            json!({
                "externalId": client_external_id(i),
                "name": client_name(i),
                "email": client_email(i),
            })
        })
        .collect();
    let body = json!({ "query": UPSERT_CLIENTS, "variables": { "clients": clients } });
    let data = api
        .call(Some(key), body.to_string())
        .await
        .context("upsertClients")?;
    BatchCounts::parse(&data["upsertClients"])?.ensure_all_created(CLIENTS, "upsertClients")
}

// ---------------------------------------------------------------------------------------------
// GraphQL ingestion
// ---------------------------------------------------------------------------------------------

/// Request bodies of `upsertSales`, one per batch, serialized up front so the timing covers
/// the server's work and the transfer, not building JSON in this process.
fn sale_bodies(sales: &[SaleRow]) -> Vec<String> {
    sales
        .chunks(BATCH)
        .enumerate()
        .map(|(batch, chunk)| {
            let rows: Vec<Value> = chunk
                .iter()
                .enumerate()
                .map(|(j, sale)| {
                    json!({
                        "externalId": format!("s{}", batch * BATCH + j),
                        "clientExternalId": client_external_id(sale.client),
                        "amountMinor": sale.amount_minor,
                        "currency": "RUB",
                        "soldAt": sale.sold_at.and_utc().to_rfc3339_opts(SecondsFormat::Secs, true),
                    })
                })
                .collect();
            json!({ "query": UPSERT_SALES, "variables": { "sales": rows } }).to_string()
        })
        .collect()
}

async fn time_graphql_ingest(api: &Api, key: &str, sales: &[SaleRow]) -> Result<Throughput> {
    let bodies = sale_bodies(sales);
    let mut total = BatchCounts::default();
    // Sequential on purpose: one integrator pushing its backlog, batch after batch.
    let start = Instant::now();
    for body in bodies {
        let data = api.call(Some(key), body).await.context("upsertSales")?;
        total.add(&BatchCounts::parse(&data["upsertSales"])?);
    }
    let elapsed = start.elapsed();
    total.ensure_all_created(sales.len(), "upsertSales")?;
    Ok(Throughput {
        rows: sales.len(),
        elapsed,
    })
}

// ---------------------------------------------------------------------------------------------
// COPY reference
// ---------------------------------------------------------------------------------------------

const TIMESTAMP_FORMAT: &str = "%Y-%m-%d %H:%M:%S";

async fn time_copy(url: &str, sales: &[SaleRow], now: NaiveDateTime) -> Result<Throughput> {
    // The server's own migrations give the COPY target the same tables, indexes and checks as
    // the API database, so both paths pay for the same constraints.
    let db = crm_api::db::Db::connect(url, 2)
        .await
        .context("migrating the COPY database")?;
    drop(db);
    let pg = pg_connect(url).await?;
    let company_id: i64 = pg
        .query_one(
            "INSERT INTO companies (name, base_currency, created_at) \
             VALUES ('Bench Company', 'RUB', now() AT TIME ZONE 'utc') RETURNING id",
            &[],
        )
        .await
        .context("inserting the COPY company")?
        .get(0);
    let client_ids = insert_clients_sql(&pg, company_id).await?;

    let path = std::env::temp_dir().join(format!("crm_bench_sales_{}.csv", std::process::id()));
    let result = match write_csv(&path, company_id, &client_ids, sales, now) {
        Ok(()) => run_psql_copy(url, &path),
        Err(e) => Err(e),
    };
    let _ = std::fs::remove_file(&path);
    let elapsed = result?;

    let stored: i64 = pg
        .query_one("SELECT count(*) FROM sales", &[])
        .await?
        .get(0);
    ensure!(
        stored == sales.len() as i64,
        "COPY stored {stored} sales, expected {}",
        sales.len()
    );
    Ok(Throughput {
        rows: sales.len(),
        elapsed,
    })
}

/// Inserts the same clients as `upsertClients` did; returns their ids by client index.
async fn insert_clients_sql(pg: &tokio_postgres::Client, company_id: i64) -> Result<Vec<i64>> {
    let external: Vec<String> = (0..CLIENTS).map(client_external_id).collect();
    let names: Vec<String> = (0..CLIENTS).map(client_name).collect();
    let emails: Vec<String> = (0..CLIENTS).map(client_email).collect();
    let search: Vec<String> = (0..CLIENTS)
        .map(|i| crm_api::db::clients::search_text(&names[i], Some(&emails[i]), None))
        .collect();
    let rows = pg
        .query(
            "INSERT INTO clients (company_id, external_id, name, email, status, search_text, \
                                  created_at, updated_at) \
             SELECT $1::bigint, t.e, t.n, t.m, 'active', t.s, \
                    now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc' \
             FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS t(e, n, m, s) \
             RETURNING id, external_id",
            &[&company_id, &external, &names, &emails, &search],
        )
        .await
        .context("inserting the COPY clients")?;
    let mut ids = vec![0i64; CLIENTS];
    for row in rows {
        let id: i64 = row.get(0);
        let external: String = row.get(1);
        let index: usize = external
            .strip_prefix('c')
            .and_then(|n| n.parse().ok())
            .with_context(|| format!("unexpected client external id {external:?}"))?;
        ids[index] = id;
    }
    ensure!(
        ids.iter().all(|&id| id != 0),
        "not every client was inserted"
    );
    Ok(ids)
}

/// Writes the sales in the column order of [`COPY_COLUMNS`]; built before the timer starts.
fn write_csv(
    path: &Path,
    company_id: i64,
    client_ids: &[i64],
    sales: &[SaleRow],
    now: NaiveDateTime,
) -> Result<()> {
    let file =
        std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
    let mut out = std::io::BufWriter::new(file);
    let now = now.format(TIMESTAMP_FORMAT).to_string();
    for (i, sale) in sales.iter().enumerate() {
        writeln!(
            out,
            "{company_id},{},s{i},{},RUB,{},completed,[],{now},{now}",
            client_ids[sale.client],
            sale.amount_minor,
            sale.sold_at.format(TIMESTAMP_FORMAT),
        )?;
    }
    out.flush()
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

/// Runs psql's `\copy` and returns how long the whole command took (process start and
/// connection included: that is what loading a file with psql costs).
fn run_psql_copy(url: &str, path: &Path) -> Result<Duration> {
    let file = path
        .to_str()
        .context("the temporary path is not UTF-8")?
        .replace('\'', "''");
    let command = format!("\\copy sales({COPY_COLUMNS}) FROM '{file}' WITH (FORMAT csv)");
    // std::process blocks this worker thread; nothing else is running meanwhile.
    let start = Instant::now();
    let output = Command::new("psql")
        .arg("--no-psqlrc")
        .arg("--set=ON_ERROR_STOP=1")
        .arg("--dbname")
        .arg(url)
        .arg("--command")
        .arg(&command)
        .output()
        .context("running psql (is it on PATH?)")?;
    let elapsed = start.elapsed();
    ensure!(
        output.status.success(),
        "psql \\copy failed ({}): {}",
        output.status,
        String::from_utf8_lossy(&output.stderr).trim()
    );
    Ok(elapsed)
}

// ---------------------------------------------------------------------------------------------
// Page latency at scale
// ---------------------------------------------------------------------------------------------

async fn page_latency(
    api_url: &str,
    api: &Api,
    access_token: &str,
    target_sales: usize,
) -> Result<PageReport> {
    let pg = pg_connect(api_url).await?;
    let company_id: i64 = pg
        .query_one("SELECT id FROM companies ORDER BY id LIMIT 1", &[])
        .await
        .context("finding the API company")?
        .get(0);
    top_up_sales(&pg, company_id, target_sales).await?;
    eprintln!("recomputing client aggregates and analyzing…");
    refresh_aggregates(&pg, company_id).await?;
    // Fresh statistics, as autovacuum would have gathered after such a load.
    pg.batch_execute("ANALYZE").await.context("ANALYZE")?;

    let sales: i64 = pg
        .query_one(
            "SELECT count(*) FROM sales WHERE company_id = $1::bigint",
            &[&company_id],
        )
        .await?
        .get(0);
    let clients: i64 = pg
        .query_one(
            "SELECT count(*) FROM clients WHERE company_id = $1::bigint AND archived_at IS NULL",
            &[&company_id],
        )
        .await?
        .get(0);

    eprintln!("measuring the clients page at {sales} sales…");
    let by_total = page_body(&format!(
        "first: {PAGE_SIZE}, sort: {{field: TOTAL_SPENT, direction: DESC}}"
    ));
    let by_name = page_body(&format!("first: {PAGE_SIZE}"));
    Ok(PageReport {
        sales,
        clients,
        by_total_spent: measure_page(api, access_token, &by_total, clients).await?,
        by_name: measure_page(api, access_token, &by_name, clients).await?,
    })
}

fn page_body(arguments: &str) -> String {
    json!({ "query": format!("{{ clients({arguments}) {{ {PAGE_FIELDS} }} }}") }).to_string()
}

/// Adds sales on the server side until the company has `target` of them: generating a million
/// rows through the API would take long and is not what this part measures.
async fn top_up_sales(pg: &tokio_postgres::Client, company_id: i64, target: usize) -> Result<()> {
    let current: i64 = pg
        .query_one(
            "SELECT count(*) FROM sales WHERE company_id = $1::bigint",
            &[&company_id],
        )
        .await?
        .get(0);
    let missing = i64::try_from(target)?.saturating_sub(current);
    if missing <= 0 {
        return Ok(());
    }
    eprintln!("topping up the API database with {missing} sales…");
    // A fixed seed for random() in this session keeps the top-up reproducible too.
    pg.batch_execute("SELECT setseed(0.42)").await?;
    pg.execute(
        "INSERT INTO sales (company_id, client_id, external_id, amount_minor, currency, sold_at, \
                            status, items, created_at, updated_at) \
         SELECT $1::bigint, \
                c.ids[1 + floor(random() * cardinality(c.ids))::int], \
                'g' || g.n, \
                100 + floor(random() * 9999900)::bigint, \
                'RUB', \
                date_trunc('second', c.ts - random() * make_interval(days => $3::int)), \
                'completed', '[]', c.ts, c.ts \
         FROM (SELECT array_agg(id ORDER BY id) AS ids, now() AT TIME ZONE 'utc' AS ts \
               FROM clients WHERE company_id = $1::bigint) AS c, \
              generate_series(1::bigint, $2::bigint) AS g(n)",
        &[&company_id, &missing, &(HISTORY_DAYS as i32)],
    )
    .await
    .context("topping up sales")?;
    Ok(())
}

/// Recomputes every client's stored aggregates in one statement, with the server's own
/// definition: completed sales; the total only in the company's base currency.
async fn refresh_aggregates(pg: &tokio_postgres::Client, company_id: i64) -> Result<()> {
    pg.execute(
        "WITH agg AS ( \
             SELECT s.client_id, \
                    count(*) AS sales_count, \
                    COALESCE(SUM(s.amount_minor) FILTER (WHERE s.currency = co.base_currency), 0)::bigint AS total, \
                    max(s.sold_at) AS last_purchase \
             FROM sales s JOIN companies co ON co.id = s.company_id \
             WHERE s.company_id = $1::bigint AND s.status = 'completed' \
             GROUP BY s.client_id) \
         UPDATE client_stats c \
         SET sales_count = agg.sales_count, \
             total_spent_minor = agg.total, \
             last_purchase_at = agg.last_purchase \
         FROM agg \
         WHERE c.client_id = agg.client_id AND c.company_id = $1::bigint",
        &[&company_id],
    )
    .await
    .context("recomputing client aggregates")?;
    Ok(())
}

/// Warms up, then times each request from sending to the last byte of the answer.
async fn measure_page(api: &Api, token: &str, body: &str, clients: i64) -> Result<Latency> {
    for _ in 0..WARMUP_REQUESTS {
        let (status, text) = api.send(Some(token), body.to_owned()).await?;
        check_page(status, &text, clients)?;
    }
    let mut samples = Vec::with_capacity(MEASURED_REQUESTS);
    for _ in 0..MEASURED_REQUESTS {
        let body = body.to_owned();
        let start = Instant::now();
        let (status, text) = api.send(Some(token), body).await?;
        samples.push(start.elapsed());
        // Checked after the timer: parsing here is the client's cost, not the server's.
        check_page(status, &text, clients)?;
    }
    samples.sort();
    Ok(Latency {
        p50: percentile(&samples, 50.0),
        p99: percentile(&samples, 99.0),
    })
}

/// A full first page with the right total, and no errors.
fn check_page(status: StatusCode, text: &str, clients: i64) -> Result<()> {
    let data = graphql_data(status, text).context("clients page")?;
    let page = &data["clients"];
    let total = page["totalCount"].as_i64();
    ensure!(
        total == Some(clients),
        "clients page: totalCount {total:?}, expected {clients}"
    );
    let edges = page["edges"].as_array().map_or(0, Vec::len);
    let expected = PAGE_SIZE.min(usize::try_from(clients).unwrap_or(usize::MAX));
    ensure!(
        edges == expected,
        "clients page: {edges} edges, expected {expected}"
    );
    Ok(())
}

/// Nearest-rank percentile of sorted samples.
fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = (p / 100.0 * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}
