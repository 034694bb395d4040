//! `bench-reports`: the general sales report over 1,000,000 sales (12 months, 20,000 clients)
//! on PostgreSQL, against the same aggregates written by hand in SQL and run through `psql` in
//! the same run.
//!
//! A scratch database (`crm_bench_reports_<pid>`) gets the server's migrations, one company
//! (Europe/Moscow, RUB, with a USD rate) and 20,000 clients; the sales are generated server-side
//! with a fixed seed: dates spread over 2025, amounts 100–10,000 RUB, 5% in USD, 90% completed
//! and the rest pending, refunded or cancelled, clients skewed so some buy far more than others.
//! Then, 5 timed rounds after a warm-up, interleaved:
//!
//! 1. `crm_api::reports::run` for the general report of 2025 by month (what `report(input)`
//!    and the export routes call): periods, previous year, totals, top clients, statuses,
//!    currencies, RFM segments, cohorts;
//! 2. `psql -f` with hand-written SQL for the same figures: month buckets by `date_trunc` in the
//!    time zone, first purchases, the previous year, statuses, top clients, per-client
//!    histories and all-time revenue, cohorts.
//!
//! It prints both medians and minimums and the ratio of the medians (target: ≤ 1.2). Run it with
//!
//! ```text
//! BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/postgres \
//!   cargo run --release -p crm-bench --bin bench-reports [-- --sales 1000000]
//! ```
//!
//! `psql` must be on `PATH`; the database is dropped at the end, also when a step fails, unless
//! `--keep` is given (to look at query plans afterwards).

// A benchmark program: a panic on a broken assumption is the right answer.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, ensure};
use chrono::NaiveDate;
use crm_api::reports::{self, Filters, Granularity, ReportKind, ReportParameters};
use crm_bench::pg::{create_database, pg_connect, with_database};

const CLIENTS: i64 = 20_000;
const ROUNDS: usize = 5;

#[tokio::main]
async fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let sales: i64 = args
        .iter()
        .position(|a| a == "--sales")
        .and_then(|i| args.get(i + 1))
        .map_or(Ok(1_000_000), |v| v.parse())?;
    let admin_url = std::env::var("BENCH_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let name = format!("crm_bench_reports_{}", std::process::id());
    let admin = pg_connect(&admin_url).await?;
    create_database(&admin, &name).await?;
    let url = with_database(&admin_url, &name)?;
    let result = run(&url, sales).await;
    if args.iter().any(|a| a == "--keep") {
        println!("kept the database {name} (--keep)");
    } else {
        admin
            .batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
            .await?;
    }
    result
}

async fn run(url: &str, sales: i64) -> Result<()> {
    let db = crm_api::db::Db::connect(url, 4)
        .await
        .context("migrating the scratch database")?;
    let pg = pg_connect(url).await?;
    let started = Instant::now();
    let company_id = generate(&pg, sales).await?;
    println!(
        "generated {sales} sales for {CLIENTS} clients in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let parameters = ReportParameters {
        kind: ReportKind::General,
        from: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
        to: NaiveDate::from_ymd_opt(2025, 12, 31).unwrap(),
        granularity: Granularity::Month,
        filters: Filters::default(),
        horizon: 3,
    };
    let script = std::env::temp_dir().join(format!("crm_bench_reports_{}.sql", std::process::id()));
    std::fs::write(&script, hand_written_sql(company_id)).context("writing the SQL script")?;

    // Warm-up of both, then interleaved rounds.
    let report = reports::run(&db, company_id, parameters.clone())
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let reports::ReportBody::General(general) = &report.body else {
        anyhow::bail!("not a general report")
    };
    println!(
        "report: {} sales counted, {} buyers, {} top clients, {} cohorts",
        general.totals.sales_count,
        general.totals.buyers,
        general.top_clients.len(),
        general.cohorts.len()
    );
    psql(url, &script)?;
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for round in 1..=ROUNDS {
        let t = Instant::now();
        reports::run(&db, company_id, parameters.clone())
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        ours.push(t.elapsed());
        let t = Instant::now();
        psql(url, &script)?;
        theirs.push(t.elapsed());
        println!(
            "round {round}: report {:>7.1} ms, psql {:>7.1} ms",
            ms(ours[round - 1]),
            ms(theirs[round - 1])
        );
    }
    let _ = std::fs::remove_file(&script);
    let (ours_median, theirs_median) = (median(&ours), median(&theirs));
    println!();
    println!("{:<28} {:>10} {:>10}", "", "median", "min");
    println!(
        "{:<28} {:>8.1}ms {:>8.1}ms",
        "general report (crm-api)",
        ms(ours_median),
        ms(*ours.iter().min().unwrap())
    );
    println!(
        "{:<28} {:>8.1}ms {:>8.1}ms",
        "hand-written SQL (psql)",
        ms(theirs_median),
        ms(*theirs.iter().min().unwrap())
    );
    println!(
        "ratio of medians: {:.2} (target ≤ 1.2)",
        ours_median.as_secs_f64() / theirs_median.as_secs_f64()
    );
    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn median(times: &[Duration]) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort();
    sorted[sorted.len() / 2]
}

fn psql(url: &str, script: &std::path::Path) -> Result<()> {
    let output = Command::new("psql")
        .args([
            "-X",
            "-q",
            "-o",
            "/dev/null",
            "-v",
            "ON_ERROR_STOP=1",
            "-d",
            url,
            "-f",
        ])
        .arg(script)
        .output()
        .context("running psql")?;
    ensure!(
        output.status.success(),
        "psql failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Ok(())
}

/// One company, its clients and `sales` sales, generated in the database with a fixed seed.
async fn generate(pg: &tokio_postgres::Client, sales: i64) -> Result<i64> {
    let row = pg
        .query_one("INSERT INTO companies (name, base_currency, created_at, time_zone) VALUES ('Bench', 'RUB', now(), 'Europe/Moscow') RETURNING id", &[])
        .await?;
    let company: i64 = row.get(0);
    pg.batch_execute(&format!(
        "INSERT INTO exchange_rates (company_id, currency, valid_on, rate_nanos, created_at) VALUES ({company}, 'USD', '2024-01-01', 90000000000, now());
         INSERT INTO clients (company_id, external_id, name, attributes, status, search_text, created_at, updated_at)
           SELECT {company}, 'c' || g, 'Client ' || g, '{{}}', 'active', 'client ' || g, now(), now() FROM generate_series(1, {CLIENTS}) g;
         SELECT setseed(0.42);
         INSERT INTO sales (company_id, client_id, external_id, amount_minor, currency, sold_at, status, items, created_at, updated_at)
           SELECT {company}, c.first_id + floor({CLIENTS} * power(random(), 2))::bigint, 's' || g,
                  10000 + floor(random() * 990000)::bigint,
                  CASE WHEN random() < 0.05 THEN 'USD' ELSE 'RUB' END,
                  TIMESTAMP '2024-12-31 21:00:00' + random() * INTERVAL '365 days',
                  (ARRAY['completed','completed','completed','completed','completed','completed','completed','completed','completed','pending','refunded','cancelled'])[1 + floor(random() * 12)::int],
                  '[]', now(), now()
           FROM generate_series(1, {sales}) g, (SELECT min(id) AS first_id FROM clients WHERE company_id = {company}) c;
         ANALYZE;"
    ))
    .await
    .context("generating data")?;
    Ok(company)
}

/// The same figures as the general report, as someone would write them by hand in SQL.
fn hand_written_sql(company: i64) -> String {
    let month = |column: &str| {
        format!("date_trunc('month', {column} AT TIME ZONE 'UTC' AT TIME ZONE 'Europe/Moscow')")
    };
    let range = "s.sold_at >= TIMESTAMP '2024-12-31 21:00:00' AND s.sold_at < TIMESTAMP '2025-12-31 21:00:00'";
    let previous = "s.sold_at >= TIMESTAMP '2023-12-31 21:00:00' AND s.sold_at < TIMESTAMP '2024-12-31 21:00:00'";
    let counted = format!("s.company_id = {company} AND s.status = 'completed'");
    let m = month("s.sold_at");
    let fm = month("f.first_at");
    let firsts = format!(
        "firsts AS (SELECT client_id, min(sold_at) AS first_at FROM sales s WHERE {counted} GROUP BY client_id)"
    );
    let mut sql = String::new();
    for r in [range, previous] {
        sql.push_str(&format!("SELECT {m}, s.currency, count(*), sum(s.amount_minor) FROM sales s WHERE {counted} AND {r} GROUP BY 1, 2;\n"));
        sql.push_str(&format!(
            "WITH {firsts} SELECT {m}, count(*), count(DISTINCT s.client_id), count(DISTINCT s.client_id) FILTER (WHERE {fm} = {m}) \
             FROM sales s JOIN firsts f USING (client_id) WHERE {counted} AND {r} GROUP BY 1;\n"
        ));
        sql.push_str(&format!(
            "WITH {firsts} SELECT count(*), count(DISTINCT s.client_id), count(DISTINCT s.client_id) FILTER (WHERE f.first_at >= TIMESTAMP '2024-12-31 21:00:00') \
             FROM sales s JOIN firsts f USING (client_id) WHERE {counted} AND {r};\n"
        ));
    }
    sql.push_str(&format!(
        "SELECT s.status, s.currency, count(*), sum(s.amount_minor) FROM sales s WHERE s.company_id = {company} AND {range} GROUP BY 1, 2;\n"
    ));
    sql.push_str(&format!(
        "SELECT s.client_id, c.name, sum(CASE WHEN s.currency = 'USD' THEN s.amount_minor * 90 ELSE s.amount_minor END) AS revenue, count(*) \
         FROM sales s JOIN clients c ON c.id = s.client_id WHERE {counted} AND {range} GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 10;\n"
    ));
    sql.push_str(&format!(
        "SELECT s.client_id, count(*), count(DISTINCT CAST(s.sold_at AS date)), min(s.sold_at), max(s.sold_at), \
         sum(CASE WHEN s.currency = 'USD' THEN s.amount_minor * 90 ELSE s.amount_minor END) \
         FROM sales s WHERE {counted} AND s.sold_at < TIMESTAMP '2025-12-31 21:00:00' GROUP BY 1;\n"
    ));
    sql.push_str(&format!(
        "WITH {firsts}, activity AS (SELECT DISTINCT s.client_id, {m} AS month FROM sales s WHERE {counted} AND {range}) \
         SELECT {fm}, a.month, count(*) FROM activity a JOIN firsts f USING (client_id) \
         WHERE f.first_at >= TIMESTAMP '2024-12-31 21:00:00' GROUP BY 1, 2;\n"
    ));
    sql
}
