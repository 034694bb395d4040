//! Sales figures aggregated in SQL for reports: per period, per currency, per status, per
//! client, and monthly cohorts. The same SQL text runs on PostgreSQL and SQLite.
//!
//! Periods arrive as UTC instants already cut in the company's time zone (`reports::periods`),
//! so the database never needs a time-zone table: each query joins the sales with a `periods`
//! list of `[start, end)` ranges and groups by the period's index. Every value written into the
//! SQL text is one this module formats itself (integers, timestamps, status names, a checked
//! currency code); nothing a user typed reaches it.

use std::fmt::Write;

use chrono::NaiveDateTime;
use diesel::QueryResult;
use diesel::sql_types::{BigInt, Text, Timestamp};
use diesel_async::RunQueryDsl;

use super::{DbConn, Pooled};
use crate::domain::SaleStatus;
use crate::with_conn;

/// One period, `[start, end)` in UTC.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bounds {
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
}

/// Which sales a figure counts.
#[derive(Clone, Debug, PartialEq)]
pub struct Filter {
    /// Statuses that count; reports pass `[Completed]` unless asked otherwise.
    pub statuses: Vec<SaleStatus>,
    /// Only these clients, when not empty.
    pub client_ids: Vec<i64>,
    /// Only this currency (an ISO 4217 code, checked by the caller).
    pub currency: Option<String>,
    /// Amount range in minor units, inclusive.
    pub amount_min: Option<i64>,
    pub amount_max: Option<i64>,
}

impl Default for Filter {
    fn default() -> Self {
        Self {
            statuses: vec![SaleStatus::Completed],
            client_ids: Vec::new(),
            currency: None,
            amount_min: None,
            amount_max: None,
        }
    }
}

#[derive(Debug, PartialEq, diesel::QueryableByName)]
pub struct PeriodCurrency {
    #[diesel(sql_type = BigInt)]
    pub idx: i64,
    #[diesel(sql_type = Text)]
    pub currency: String,
    #[diesel(sql_type = BigInt)]
    pub sales: i64,
    #[diesel(sql_type = BigInt)]
    pub revenue_minor: i64,
}

#[derive(Debug, PartialEq, diesel::QueryableByName)]
pub struct PeriodBuyers {
    #[diesel(sql_type = BigInt)]
    pub idx: i64,
    #[diesel(sql_type = BigInt)]
    pub sales: i64,
    #[diesel(sql_type = BigInt)]
    pub buyers: i64,
    /// Buyers whose first counted purchase ever falls in this period.
    #[diesel(sql_type = BigInt)]
    pub new_buyers: i64,
}

#[derive(Debug, PartialEq, diesel::QueryableByName)]
pub struct StatusCurrency {
    #[diesel(sql_type = Text)]
    pub status: SaleStatus,
    #[diesel(sql_type = Text)]
    pub currency: String,
    #[diesel(sql_type = BigInt)]
    pub sales: i64,
    #[diesel(sql_type = BigInt)]
    pub amount_minor: i64,
}

#[derive(Debug, PartialEq, diesel::QueryableByName)]
pub struct ClientCurrency {
    #[diesel(sql_type = BigInt)]
    pub client_id: i64,
    #[diesel(sql_type = Text)]
    pub currency: String,
    #[diesel(sql_type = BigInt)]
    pub sales: i64,
    #[diesel(sql_type = BigInt)]
    pub revenue_minor: i64,
}

/// A client's purchase history up to a moment, for RFM and the customer models.
#[derive(Debug, PartialEq, diesel::QueryableByName)]
pub struct ClientHistory {
    #[diesel(sql_type = BigInt)]
    pub client_id: i64,
    #[diesel(sql_type = BigInt)]
    pub sales: i64,
    /// Distinct UTC days with a purchase (same-day purchases are one transaction, as in
    /// the BG/NBD literature).
    #[diesel(sql_type = BigInt)]
    pub purchase_days: i64,
    #[diesel(sql_type = Timestamp)]
    pub first_at: NaiveDateTime,
    #[diesel(sql_type = Timestamp)]
    pub last_at: NaiveDateTime,
}

#[derive(Debug, PartialEq, diesel::QueryableByName)]
pub struct CohortCell {
    /// Period of the clients' first counted purchase.
    #[diesel(sql_type = BigInt)]
    pub cohort: i64,
    #[diesel(sql_type = BigInt)]
    pub idx: i64,
    #[diesel(sql_type = BigInt)]
    pub buyers: i64,
}

/// Invalid arguments are a programming error of the caller; they fail the query, not the server.
fn invalid(what: &str) -> diesel::result::Error {
    diesel::result::Error::QueryBuilderError(what.into())
}

/// The SQL dialect bits that differ.
#[derive(Clone, Copy)]
enum Dialect {
    Pg,
    Sqlite,
}

impl Dialect {
    fn of(conn: &DbConn) -> Self {
        match conn.pooled {
            Pooled::Pg(_) => Dialect::Pg,
            Pooled::Sqlite(_) => Dialect::Sqlite,
        }
    }

    /// A timestamp literal comparable with a stored `sold_at` (SQLite keeps diesel's text form).
    fn timestamp(self, t: NaiveDateTime) -> String {
        let text = t.format("%Y-%m-%d %H:%M:%S%.f");
        match self {
            Dialect::Pg => format!("TIMESTAMP '{text}'"),
            Dialect::Sqlite => format!("'{text}'"),
        }
    }

    /// The UTC day of `sold_at`.
    fn day(self, column: &str) -> String {
        match self {
            Dialect::Pg => format!("CAST({column} AS DATE)"),
            Dialect::Sqlite => format!("substr({column}, 1, 10)"),
        }
    }
}

/// `WITH periods(idx, start_at, end_at) AS (VALUES …)`. The index is a 4-byte integer on
/// PostgreSQL: selects cast it to BIGINT.
fn periods_cte(dialect: Dialect, periods: &[Bounds]) -> QueryResult<String> {
    if periods.is_empty() {
        return Err(invalid("no periods"));
    }
    let mut sql = String::from("periods(idx, start_at, end_at) AS (VALUES ");
    for (i, p) in periods.iter().enumerate() {
        let separator = if i == 0 { "" } else { ", " };
        let _ = write!(
            sql,
            "{separator}({i}, {}, {})",
            dialect.timestamp(p.start),
            dialect.timestamp(p.end)
        );
    }
    sql.push(')');
    Ok(sql)
}

/// `s.company_id = … AND …` for the filter (statuses included when `with_status`).
fn conditions(company_id: i64, filter: &Filter, with_status: bool) -> QueryResult<String> {
    let mut sql = format!("s.company_id = {company_id}");
    if with_status {
        if filter.statuses.is_empty() {
            return Err(invalid("no statuses"));
        }
        let list: Vec<String> = filter
            .statuses
            .iter()
            .map(|s| format!("'{}'", s.as_str()))
            .collect();
        let _ = write!(sql, " AND s.status IN ({})", list.join(", "));
    }
    if !filter.client_ids.is_empty() {
        let list: Vec<String> = filter.client_ids.iter().map(i64::to_string).collect();
        let _ = write!(sql, " AND s.client_id IN ({})", list.join(", "));
    }
    if let Some(currency) = &filter.currency {
        if currency.is_empty() || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(invalid("currency code"));
        }
        let _ = write!(sql, " AND s.currency = '{currency}'");
    }
    if let Some(min) = filter.amount_min {
        let _ = write!(sql, " AND s.amount_minor >= {min}");
    }
    if let Some(max) = filter.amount_max {
        let _ = write!(sql, " AND s.amount_minor <= {max}");
    }
    Ok(sql)
}

/// How a query finds each sale's period. PostgreSQL: `width_bucket` over the sorted period
/// boundaries (a binary search per row, on one scan of the range). SQLite, which has no
/// `width_bucket`: a join with the `periods` list. Both give the same index.
enum Buckets {
    /// The `periods` CTE to join.
    Join(String),
    /// `ARRAY[t0, t1, …, tn]` and the range `[t0, tn)`.
    WidthBucket {
        array: String,
        first: String,
        last: String,
    },
}

impl Buckets {
    fn new(dialect: Dialect, periods: &[Bounds]) -> QueryResult<Buckets> {
        let contiguous = periods
            .windows(2)
            .all(|w| w.first().map(|p| p.end) == w.get(1).map(|p| p.start));
        match (dialect, periods.first(), periods.last()) {
            (Dialect::Pg, Some(first), Some(last)) if contiguous => {
                let mut bounds: Vec<String> =
                    periods.iter().map(|p| dialect.timestamp(p.start)).collect();
                bounds.push(dialect.timestamp(last.end));
                Ok(Buckets::WidthBucket {
                    array: format!("ARRAY[{}]", bounds.join(", ")),
                    first: dialect.timestamp(first.start),
                    last: dialect.timestamp(last.end),
                })
            }
            _ => Ok(Buckets::Join(periods_cte(dialect, periods)?)),
        }
    }

    /// `WITH …, ` when a CTE is needed, else `WITH ` (every query here has CTEs of its own or
    /// none: `with` is followed by them).
    fn with(&self, more: &[String]) -> String {
        let mut ctes: Vec<String> = Vec::new();
        if let Buckets::Join(cte) = self {
            ctes.push(cte.clone());
        }
        ctes.extend(more.iter().cloned());
        if ctes.is_empty() {
            String::new()
        } else {
            format!("WITH {} ", ctes.join(", "))
        }
    }

    /// The join that gives `column` its period `p` (empty for `width_bucket`).
    fn join(&self, column: &str) -> String {
        match self {
            Buckets::Join(_) => {
                format!("JOIN periods p ON {column} >= p.start_at AND {column} < p.end_at")
            }
            Buckets::WidthBucket { .. } => String::new(),
        }
    }

    /// The 0-based period index of `column`, as BIGINT.
    fn index(&self, column: &str) -> String {
        match self {
            Buckets::Join(_) => "CAST(p.idx AS BIGINT)".to_owned(),
            Buckets::WidthBucket { array, .. } => {
                format!("CAST(width_bucket({column}, {array}) - 1 AS BIGINT)")
            }
        }
    }

    /// ` AND column in [first, last)` for `width_bucket` (the join bounds it otherwise).
    fn range(&self, column: &str) -> String {
        match self {
            Buckets::Join(_) => String::new(),
            Buckets::WidthBucket { first, last, .. } => {
                format!(" AND {column} >= {first} AND {column} < {last}")
            }
        }
    }

    /// Whether `first` (a client's first purchase, never after `column`) is in `column`'s period.
    fn same_period(&self, first: &str, column: &str) -> String {
        match self {
            Buckets::Join(_) => format!("{first} >= p.start_at"),
            Buckets::WidthBucket { array, .. } => {
                format!("width_bucket({first}, {array}) = width_bucket({column}, {array})")
            }
        }
    }
}

/// Each client's first counted purchase ever (the filter applies: with a currency filter,
/// "new" means a first purchase in that currency).
fn firsts_cte(condition: &str) -> String {
    format!(
        "firsts AS (SELECT s.client_id AS client_id, MIN(s.sold_at) AS first_at FROM sales s WHERE {condition} GROUP BY s.client_id)"
    )
}

/// Sales and revenue per period and currency.
pub async fn by_period_and_currency(
    conn: &mut DbConn,
    company_id: i64,
    periods: &[Bounds],
    filter: &Filter,
) -> QueryResult<Vec<PeriodCurrency>> {
    let b = Buckets::new(Dialect::of(conn), periods)?;
    let sql = format!(
        "{}SELECT {} AS idx, s.currency AS currency, COUNT(*) AS sales, \
         CAST(SUM(s.amount_minor) AS BIGINT) AS revenue_minor \
         FROM sales s {} WHERE {}{} GROUP BY 1, 2 ORDER BY 1, 2",
        b.with(&[]),
        b.index("s.sold_at"),
        b.join("s.sold_at"),
        conditions(company_id, filter, true)?,
        b.range("s.sold_at"),
    );
    with_conn!(conn, c => diesel::sql_query(&sql).load(c).await)
}

/// Sales, distinct buyers and new buyers per period (all currencies together).
pub async fn buyers_by_period(
    conn: &mut DbConn,
    company_id: i64,
    periods: &[Bounds],
    filter: &Filter,
) -> QueryResult<Vec<PeriodBuyers>> {
    let b = Buckets::new(Dialect::of(conn), periods)?;
    let condition = conditions(company_id, filter, true)?;
    let firsts = firsts_cte(&condition);
    let sql = format!(
        "{}SELECT {} AS idx, COUNT(*) AS sales, COUNT(DISTINCT s.client_id) AS buyers, \
           COUNT(DISTINCT CASE WHEN {} THEN s.client_id END) AS new_buyers \
         FROM sales s {} JOIN firsts f ON f.client_id = s.client_id \
         WHERE {condition}{} GROUP BY 1 ORDER BY 1",
        b.with(&[firsts]),
        b.index("s.sold_at"),
        b.same_period("f.first_at", "s.sold_at"),
        b.join("s.sold_at"),
        b.range("s.sold_at"),
    );
    with_conn!(conn, c => diesel::sql_query(&sql).load(c).await)
}

/// Sales and amounts per status and currency in `range`, every status (the filter's statuses
/// are ignored: this is the breakdown that shows them).
pub async fn by_status(
    conn: &mut DbConn,
    company_id: i64,
    range: Bounds,
    filter: &Filter,
) -> QueryResult<Vec<StatusCurrency>> {
    let sql = grouped_in_range(
        Dialect::of(conn),
        "s.status AS status",
        "amount_minor",
        company_id,
        range,
        filter,
        false,
    )?;
    with_conn!(conn, c => diesel::sql_query(&sql).load(c).await)
}

/// Sales and revenue per client and currency in `range`.
pub async fn by_client(
    conn: &mut DbConn,
    company_id: i64,
    range: Bounds,
    filter: &Filter,
) -> QueryResult<Vec<ClientCurrency>> {
    let sql = grouped_in_range(
        Dialect::of(conn),
        "s.client_id AS client_id",
        "revenue_minor",
        company_id,
        range,
        filter,
        true,
    )?;
    with_conn!(conn, c => diesel::sql_query(&sql).load(c).await)
}

/// Count and sum per (`key`, currency) of the sales in `range`.
fn grouped_in_range(
    dialect: Dialect,
    key: &str,
    sum_name: &str,
    company_id: i64,
    range: Bounds,
    filter: &Filter,
    with_status: bool,
) -> QueryResult<String> {
    Ok(format!(
        "SELECT {key}, s.currency AS currency, COUNT(*) AS sales, CAST(SUM(s.amount_minor) AS BIGINT) AS {sum_name} \
         FROM sales s WHERE {} AND s.sold_at >= {} AND s.sold_at < {} GROUP BY 1, 2 ORDER BY 1, 2",
        conditions(company_id, filter, with_status)?,
        dialect.timestamp(range.start),
        dialect.timestamp(range.end),
    ))
}

/// Every buyer's history of counted purchases before `until`.
pub async fn client_histories(
    conn: &mut DbConn,
    company_id: i64,
    until: NaiveDateTime,
    filter: &Filter,
) -> QueryResult<Vec<ClientHistory>> {
    let dialect = Dialect::of(conn);
    let sql = format!(
        "SELECT s.client_id AS client_id, COUNT(*) AS sales, COUNT(DISTINCT {}) AS purchase_days, \
         MIN(s.sold_at) AS first_at, MAX(s.sold_at) AS last_at FROM sales s \
         WHERE {} AND s.sold_at < {} GROUP BY s.client_id ORDER BY s.client_id",
        dialect.day("s.sold_at"),
        conditions(company_id, filter, true)?,
        dialect.timestamp(until),
    );
    with_conn!(conn, c => diesel::sql_query(&sql).load(c).await)
}

/// Buyers per (cohort, period): the cohort is the period of a client's first counted purchase
/// ever; clients whose first purchase is before the first period are in no cohort.
pub async fn cohorts(
    conn: &mut DbConn,
    company_id: i64,
    periods: &[Bounds],
    filter: &Filter,
) -> QueryResult<Vec<CohortCell>> {
    let dialect = Dialect::of(conn);
    let b = Buckets::new(dialect, periods)?;
    let condition = conditions(company_id, filter, true)?;
    let firsts = firsts_cte(&condition);
    let activity = format!(
        "activity AS (SELECT DISTINCT s.client_id AS client_id, {} AS idx FROM sales s {} WHERE {condition}{})",
        b.index("s.sold_at"),
        b.join("s.sold_at"),
        b.range("s.sold_at"),
    );
    let sql = match &b {
        Buckets::Join(_) => format!(
            "{}SELECT CAST(c.idx AS BIGINT) AS cohort, a.idx AS idx, COUNT(*) AS buyers FROM activity a \
             JOIN firsts f ON f.client_id = a.client_id \
             JOIN periods c ON f.first_at >= c.start_at AND f.first_at < c.end_at \
             GROUP BY c.idx, a.idx ORDER BY c.idx, a.idx",
            b.with(&[firsts, activity]),
        ),
        Buckets::WidthBucket { .. } => format!(
            "{}SELECT {} AS cohort, a.idx AS idx, COUNT(*) AS buyers FROM activity a \
             JOIN firsts f ON f.client_id = a.client_id WHERE TRUE{} GROUP BY 1, 2 ORDER BY 1, 2",
            b.with(&[firsts, activity]),
            b.index("f.first_at"),
            b.range("f.first_at"),
        ),
    };
    with_conn!(conn, c => diesel::sql_query(&sql).load(c).await)
}
