//! The raw-SQL side: scratch databases, the COPY reference load, and the server-side top-up
//! of sales for the page-latency part.

use std::io::Write as _;
use std::path::Path;
use std::process::Command;

pub(super) use crm_bench::pg::{create_database, pg_connect, with_database};

use super::*;

pub(super) async fn drop_databases(
    admin: &tokio_postgres::Client,
    dbs: &BenchDatabases,
) -> Result<()> {
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

pub(super) const TIMESTAMP_FORMAT: &str = "%Y-%m-%d %H:%M:%S";

pub(super) async fn time_copy(
    url: &str,
    sales: &[SaleRow],
    now: NaiveDateTime,
) -> Result<Throughput> {
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
pub(super) async fn insert_clients_sql(
    pg: &tokio_postgres::Client,
    company_id: i64,
) -> Result<Vec<i64>> {
    let external: Vec<String> = (0..CLIENTS).map(client_external_id).collect();
    let names: Vec<String> = (0..CLIENTS).map(client_name).collect();
    let emails: Vec<String> = (0..CLIENTS).map(client_email).collect();
    let derived: Vec<crm_api::db::clients::Derived> = (0..CLIENTS)
        .map(|i| {
            crm_api::db::clients::Derived::of(
                &names[i],
                Some(&emails[i]),
                None,
                crm_api::domain::phone::Region::DEFAULT,
            )
        })
        .collect();
    let search: Vec<&str> = derived.iter().map(|d| d.search_text.as_str()).collect();
    let keys: Vec<&str> = derived.iter().map(|d| d.name_key.as_str()).collect();
    let rows = pg
        .query(
            "INSERT INTO clients (company_id, external_id, name, email, status, search_text, \
                                  name_key, created_at, updated_at) \
             SELECT $1::bigint, t.e, t.n, t.m, 'active', t.s, t.k, \
                    now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc' \
             FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) \
                  AS t(e, n, m, s, k) \
             RETURNING id, external_id",
            &[&company_id, &external, &names, &emails, &search, &keys],
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
pub(super) fn write_csv(
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
pub(super) fn run_psql_copy(url: &str, path: &Path) -> Result<Duration> {
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

/// Adds sales on the server side until the company has `target` of them: generating a million
/// rows through the API would take long and is not what this part measures.
pub(super) async fn top_up_sales(
    pg: &tokio_postgres::Client,
    company_id: i64,
    target: usize,
) -> Result<()> {
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
pub(super) async fn refresh_aggregates(pg: &tokio_postgres::Client, company_id: i64) -> Result<()> {
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
