//! Sales of a company: amount in minor units with its currency, date, status and items.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::clients::CHUNK;
use super::schema::sales;
use super::{CursorMismatch, DbConn, Pooled};
use crate::domain::SaleStatus;
use crate::with_conn;

#[derive(Clone, Debug, PartialEq, Queryable, QueryableByName, Selectable)]
#[diesel(table_name = sales)]
pub struct Sale {
    pub id: i64,
    pub company_id: i64,
    pub client_id: i64,
    pub external_id: Option<String>,
    pub amount_minor: i64,
    pub currency: String,
    pub sold_at: NaiveDateTime,
    pub status: SaleStatus,
    /// JSON array of items (`domain::SaleItem`).
    pub items: String,
    pub note: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Clone, Debug, Insertable)]
#[diesel(table_name = sales)]
// NULL, not DEFAULT, for absent values: SQLite's multi-row INSERT has no DEFAULT keyword.
#[diesel(treat_none_as_default_value = false)]
pub struct NewSale {
    pub company_id: i64,
    pub client_id: i64,
    pub external_id: Option<String>,
    pub amount_minor: i64,
    pub currency: String,
    pub sold_at: NaiveDateTime,
    pub status: SaleStatus,
    pub items: String,
    pub note: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Clone, Debug, Default, AsChangeset)]
#[diesel(table_name = sales)]
pub struct SaleChanges {
    pub client_id: Option<i64>,
    pub amount_minor: Option<i64>,
    pub currency: Option<String>,
    pub sold_at: Option<NaiveDateTime>,
    pub status: Option<SaleStatus>,
    pub items: Option<String>,
    pub note: Option<Option<String>>,
    pub updated_at: Option<NaiveDateTime>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaleSort {
    SoldAt,
    Amount,
}

#[derive(Clone, Debug, Default)]
pub struct SaleFilter {
    pub sold_from: Option<NaiveDateTime>,
    pub sold_to: Option<NaiveDateTime>,
    pub client_id: Option<i64>,
    pub status: Option<SaleStatus>,
    pub currency: Option<String>,
    pub amount_min: Option<i64>,
    pub amount_max: Option<i64>,
}

/// Position after which a page starts (with the last row's id). Kept in a page's cursors as
/// it serialises; [`page`] refuses a key of another sort.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum SaleKey {
    Time(NaiveDateTime),
    Int(i64),
}

macro_rules! filtered {
    ($company:expr, $f:expr) => {{
        let f: &SaleFilter = $f;
        let mut q = sales::table
            .filter(sales::company_id.eq($company))
            .into_boxed();
        if let Some(from) = f.sold_from {
            q = q.filter(sales::sold_at.ge(from));
        }
        if let Some(to) = f.sold_to {
            q = q.filter(sales::sold_at.lt(to));
        }
        if let Some(client) = f.client_id {
            q = q.filter(sales::client_id.eq(client));
        }
        if let Some(status) = &f.status {
            q = q.filter(sales::status.eq(*status));
        }
        if let Some(currency) = &f.currency {
            q = q.filter(sales::currency.eq(currency.clone()));
        }
        if let Some(min) = f.amount_min {
            q = q.filter(sales::amount_minor.ge(min));
        }
        if let Some(max) = f.amount_max {
            q = q.filter(sales::amount_minor.le(max));
        }
        q
    }};
}

pub async fn page(
    conn: &mut DbConn,
    company_id: i64,
    filter: &SaleFilter,
    sort: SaleSort,
    desc: bool,
    after: Option<(SaleKey, i64)>,
    limit: i64,
) -> Result<QueryResult<Vec<Sale>>, CursorMismatch> {
    let (time_after, int_after) = match (sort, after) {
        (_, None) => (None, None),
        (SaleSort::SoldAt, Some((SaleKey::Time(v), id))) => (Some((v, id)), None),
        (SaleSort::Amount, Some((SaleKey::Int(v), id))) => (None, Some((v, id))),
        _ => return Err(CursorMismatch),
    };
    Ok(with_conn!(conn, c => {
        let mut q = filtered!(company_id, filter);
        match sort {
            SaleSort::SoldAt => keyset!(q, sales::sold_at, sales::id, desc, time_after),
            SaleSort::Amount => keyset!(q, sales::amount_minor, sales::id, desc, int_after),
        }
        q.limit(limit).select(Sale::as_select()).load(c).await
    }))
}

pub fn sort_key(sale: &Sale, sort: SaleSort) -> SaleKey {
    match sort {
        SaleSort::SoldAt => SaleKey::Time(sale.sold_at),
        SaleSort::Amount => SaleKey::Int(sale.amount_minor),
    }
}

pub async fn count(conn: &mut DbConn, company_id: i64, filter: &SaleFilter) -> QueryResult<i64> {
    with_conn!(conn, c => {
        filtered!(company_id, filter).count().get_result(c).await
    })
}

/// Currencies [`totals`] sums at most (a company sells in a handful).
pub const MAX_TOTAL_CURRENCIES: i64 = 50;

/// The sum of the amounts of the sales matching `filter`, per currency (ordered by code, at
/// most [`MAX_TOTAL_CURRENCIES`]), in minor units: one query for the currencies, then one sum
/// each (diesel cannot group its boxed filter query: `group_by` on it overflows the trait
/// solver, with a recursion limit of 256 too). Errors: a sum past i64 fails (PostgreSQL
/// `bigint out of range`, SQLite `integer overflow`), never wraps.
pub async fn totals(
    conn: &mut DbConn,
    company_id: i64,
    filter: &SaleFilter,
) -> QueryResult<Vec<(String, i64)>> {
    use diesel::dsl::sql;
    use diesel::sql_types::{BigInt, Nullable};
    let currencies: Vec<String> = with_conn!(conn, c => {
        filtered!(company_id, filter)
            .select(sales::currency)
            .distinct()
            .order_by(sales::currency)
            .limit(MAX_TOTAL_CURRENCIES)
            .load(c)
            .await
    })?;
    let mut totals = Vec::with_capacity(currencies.len());
    for currency in currencies {
        let sum: Option<i64> = with_conn!(conn, c => {
            filtered!(company_id, filter)
                .filter(sales::currency.eq(currency.clone()))
                .select(sql::<Nullable<BigInt>>("CAST(SUM(amount_minor) AS BIGINT)"))
                .get_result(c)
                .await
        })?;
        totals.push((currency, sum.unwrap_or(0)));
    }
    Ok(totals)
}

pub async fn get(conn: &mut DbConn, company_id: i64, id: i64) -> QueryResult<Option<Sale>> {
    with_conn!(conn, c => {
        sales::table
            .filter(sales::company_id.eq(company_id))
            .filter(sales::id.eq(id))
            .select(Sale::as_select())
            .first(c)
            .await
            .optional()
    })
}

pub async fn by_ids(conn: &mut DbConn, company_id: i64, ids: &[i64]) -> QueryResult<Vec<Sale>> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(CHUNK) {
        let rows: Vec<Sale> = with_conn!(conn, c => {
            sales::table
                .filter(sales::company_id.eq(company_id))
                .filter(sales::id.eq_any(chunk))
                .select(Sale::as_select())
                .load(c)
                .await
        })?;
        out.extend(rows);
    }
    Ok(out)
}

pub async fn by_external_ids(
    conn: &mut DbConn,
    company_id: i64,
    external_ids: &[&str],
) -> QueryResult<Vec<Sale>> {
    let mut out = Vec::with_capacity(external_ids.len());
    for chunk in external_ids.chunks(CHUNK) {
        let rows: Vec<Sale> = with_conn!(conn, c => {
            sales::table
                .filter(sales::company_id.eq(company_id))
                .filter(sales::external_id.eq_any(chunk))
                .select(Sale::as_select())
                .load(c)
                .await
        })?;
        out.extend(rows);
    }
    Ok(out)
}

pub async fn insert(conn: &mut DbConn, new: &NewSale) -> QueryResult<Sale> {
    with_conn!(conn, c => {
        diesel::insert_into(sales::table)
            .values(new)
            .returning(Sale::as_returning())
            .get_result(c)
            .await
    })
}

/// Inserts many sales in multi-row statements; returns `(id, external id)` of each.
pub async fn insert_many(
    conn: &mut DbConn,
    rows: &[NewSale],
) -> QueryResult<Vec<(i64, Option<String>)>> {
    let mut out = Vec::with_capacity(rows.len());
    // SQLite binds 11 parameters a row, so rows go in chunks well under its parameter limit;
    // PostgreSQL binds 11 arrays whatever the number of rows.
    let chunk_size = match conn.backend() {
        super::Backend::Postgres => crate::domain::MAX_BATCH,
        super::Backend::Sqlite => CHUNK / 2,
    };
    for chunk in rows.chunks(chunk_size) {
        let ids: Vec<(i64, Option<String>)> = match &mut conn.pooled {
            Pooled::Pg(c) => pg_insert(c, chunk).await?,
            // diesel-async does not build SQLite's multi-row INSERT; sync diesel does, on the
            // connection's blocking thread.
            Pooled::Sqlite(c) => {
                let rows = chunk.to_vec();
                c.spawn_blocking(move |inner| {
                    let query = diesel::insert_into(sales::table)
                        .values(&rows)
                        .returning((sales::id, sales::external_id));
                    diesel::RunQueryDsl::get_results(query, inner)
                })
                .await?
            }
        };
        out.extend(ids);
    }
    Ok(out)
}

#[derive(QueryableByName)]
struct Inserted {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    external_id: Option<String>,
}

/// PostgreSQL: one statement for all rows, each column bound as one array and unnested.
/// Parsing and planning once instead of per 500 rows is most of the speed of COPY.
async fn pg_insert(
    c: &mut super::PgConn,
    rows: &[NewSale],
) -> QueryResult<Vec<(i64, Option<String>)>> {
    use diesel::sql_types::{Array, BigInt, Nullable, Text, Timestamp};
    let col = |f: fn(&NewSale) -> i64| rows.iter().map(f).collect::<Vec<_>>();
    let text = |f: fn(&NewSale) -> &String| rows.iter().map(|r| f(r).clone()).collect::<Vec<_>>();
    let opt =
        |f: fn(&NewSale) -> &Option<String>| rows.iter().map(|r| f(r).clone()).collect::<Vec<_>>();
    let time = |f: fn(&NewSale) -> NaiveDateTime| rows.iter().map(f).collect::<Vec<_>>();
    let inserted: Vec<Inserted> = diesel::sql_query(
        "INSERT INTO sales (company_id, client_id, external_id, amount_minor, currency, sold_at, \
                            status, items, note, created_at, updated_at) \
         SELECT * FROM UNNEST($1::bigint[], $2::bigint[], $3::text[], $4::bigint[], $5::text[], \
                              $6::timestamp[], $7::text[], $8::text[], $9::text[], $10::timestamp[], \
                              $11::timestamp[]) \
         RETURNING id, external_id",
    )
    .bind::<Array<BigInt>, _>(col(|r| r.company_id))
    .bind::<Array<BigInt>, _>(col(|r| r.client_id))
    .bind::<Array<Nullable<Text>>, _>(opt(|r| &r.external_id))
    .bind::<Array<BigInt>, _>(col(|r| r.amount_minor))
    .bind::<Array<Text>, _>(text(|r| &r.currency))
    .bind::<Array<Timestamp>, _>(time(|r| r.sold_at))
    .bind::<Array<Text>, _>(rows.iter().map(|r| r.status.as_str()).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(text(|r| &r.items))
    .bind::<Array<Nullable<Text>>, _>(opt(|r| &r.note))
    .bind::<Array<Timestamp>, _>(time(|r| r.created_at))
    .bind::<Array<Timestamp>, _>(time(|r| r.updated_at))
    .load(c)
    .await?;
    Ok(inserted
        .into_iter()
        .map(|r| (r.id, r.external_id))
        .collect())
}

pub async fn update(
    conn: &mut DbConn,
    company_id: i64,
    id: i64,
    changes: &SaleChanges,
) -> QueryResult<Option<Sale>> {
    with_conn!(conn, c => {
        diesel::update(
            sales::table
                .filter(sales::company_id.eq(company_id))
                .filter(sales::id.eq(id)),
        )
        .set(changes)
        .returning(Sale::as_returning())
        .get_result(c)
        .await
        .optional()
    })
}

/// The newest sale (by date, then id) of each of the given clients.
pub async fn last_of_clients(
    conn: &mut DbConn,
    company_id: i64,
    client_ids: &[i64],
) -> QueryResult<Vec<Sale>> {
    let mut out = Vec::with_capacity(client_ids.len());
    for chunk in client_ids.chunks(CHUNK) {
        // Integers formatted by us: safe to inline, and one text serves both backends.
        let list = chunk
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        // One index probe per client, not one per sale of theirs.
        let sql = format!(
            "SELECT * FROM sales WHERE company_id = {company_id} AND id IN ( \
               SELECT (SELECT s.id FROM sales s WHERE s.client_id = c.id \
                       ORDER BY s.sold_at DESC, s.id DESC LIMIT 1) \
               FROM clients c WHERE c.company_id = {company_id} AND c.id IN ({list}))"
        );
        let rows: Vec<Sale> = with_conn!(conn, c => diesel::sql_query(&sql).load(c).await)?;
        out.extend(rows);
    }
    Ok(out)
}

/// Completed sales in `[from, to)`: their number and their sum per currency.
pub async fn summary(
    conn: &mut DbConn,
    company_id: i64,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<(String, i64, i64)>> {
    with_conn!(conn, c => {
        sales::table
            .filter(sales::company_id.eq(company_id))
            .filter(sales::status.eq(SaleStatus::Completed))
            .filter(sales::sold_at.ge(from))
            .filter(sales::sold_at.lt(to))
            .group_by(sales::currency)
            .select((
                sales::currency,
                diesel::dsl::count_star(),
                // SUM(bigint) is numeric on PostgreSQL; a sum beyond i64 fails the CAST there and the
                // SUM on SQLite, and the API answers OUT_OF_RANGE.
                diesel::dsl::sql::<diesel::sql_types::BigInt>("CAST(COALESCE(SUM(amount_minor), 0) AS BIGINT)"),
            ))
            .order(sales::currency)
            .load(c)
            .await
    })
}
