//! Clients of a company: contact data, activity status, and aggregates of their sales kept
//! up to date by [`add_to_aggregates`] and [`refresh_aggregates`] so the list can sort and
//! filter on them cheaply. The aggregates live in their own narrow table, `client_stats` (one
//! row per client, added by a trigger): a sales batch updates thousands of them, and there each
//! update writes a short row and three indexes instead of a whole client row and seven.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::schema::{client_stats, clients, sales};
use super::{CursorMismatch, DbConn, Pooled};
use crate::domain::phone::{self, Region};
use crate::domain::{ClientStatus, SaleStatus, text};
use crate::with_conn;

/// A client with its sales aggregates; select it from [`joined`].
#[derive(Clone, Debug, PartialEq, Queryable, Selectable)]
#[diesel(table_name = clients)]
pub struct Client {
    pub id: i64,
    pub company_id: i64,
    pub external_id: Option<String>,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub attributes: String,
    pub status: ClientStatus,
    pub archived_at: Option<NaiveDateTime>,
    #[diesel(select_expression = client_stats::sales_count)]
    #[diesel(select_expression_type = client_stats::sales_count)]
    pub sales_count: i64,
    #[diesel(select_expression = client_stats::total_spent_minor)]
    #[diesel(select_expression_type = client_stats::total_spent_minor)]
    pub total_spent_minor: i64,
    #[diesel(select_expression = client_stats::last_purchase_at)]
    #[diesel(select_expression_type = client_stats::last_purchase_at)]
    pub last_purchase_at: Option<NaiveDateTime>,
    pub last_interaction_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    #[diesel(embed)]
    pub keys: ClientKeys,
}

/// The stored [`Derived`] columns a client is read with (diesel selects at most 16 columns as
/// one tuple, so they travel as a nested one).
#[derive(Clone, Debug, PartialEq, Queryable, Selectable)]
#[diesel(table_name = clients)]
pub struct ClientKeys {
    pub name_key: String,
    pub phone_e164: Option<String>,
}

#[derive(Clone, Debug, Insertable)]
#[diesel(table_name = clients)]
// NULL, not DEFAULT, for absent values: SQLite's multi-row INSERT has no DEFAULT keyword.
#[diesel(treat_none_as_default_value = false)]
pub struct NewClient {
    pub company_id: i64,
    pub external_id: Option<String>,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub attributes: String,
    pub status: ClientStatus,
    pub search_text: String,
    pub name_key: String,
    pub phone_e164: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Contact fields a user or an integrator may change. `None` leaves a field as it is.
#[derive(Clone, Debug, Default, AsChangeset)]
#[diesel(table_name = clients)]
pub struct ClientChanges {
    pub name: Option<String>,
    pub email: Option<Option<String>>,
    pub phone: Option<Option<String>>,
    pub attributes: Option<String>,
    pub status: Option<ClientStatus>,
    pub search_text: Option<String>,
    pub name_key: Option<String>,
    pub phone_e164: Option<Option<String>>,
    pub updated_at: Option<NaiveDateTime>,
}

impl ClientChanges {
    /// Sets the contact fields and the columns derived from them.
    pub fn contact(
        name: String,
        email: Option<String>,
        phone: Option<String>,
        region: Region,
    ) -> ClientChanges {
        let d = Derived::of(&name, email.as_deref(), phone.as_deref(), region);
        ClientChanges {
            name: Some(name),
            email: Some(email),
            phone: Some(phone),
            search_text: Some(d.search_text),
            name_key: Some(d.name_key),
            phone_e164: Some(d.phone_e164),
            ..ClientChanges::default()
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClientSort {
    Name,
    TotalSpent,
    LastPurchase,
    LastInteraction,
    Created,
}

/// Position after which a page starts: the sort value of the last row seen (with its id). Kept
/// in a page's cursors as it serialises; [`page`] refuses a key of another sort.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum SortKey {
    Text(String),
    Int(i64),
    Time(Option<NaiveDateTime>),
}

#[derive(Clone, Debug, Default)]
pub struct ClientFilter {
    /// A [`search_term`]: a substring of the folded name, e-mail or phone lines.
    pub search: Option<String>,
    pub status: Option<ClientStatus>,
    pub archived: Option<bool>,
    pub last_interaction_from: Option<NaiveDateTime>,
    pub last_interaction_to: Option<NaiveDateTime>,
    pub has_purchases: Option<bool>,
}

/// Escapes LIKE wildcards so a search for `50%` finds the text `50%`.
fn like_pattern(needle: &str) -> String {
    let escaped = needle
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// Clients joined to their aggregates, both sides scoped to one company.
macro_rules! joined {
    ($company:expr) => {
        clients::table
            .inner_join(client_stats::table)
            .filter(clients::company_id.eq($company))
            .filter(client_stats::company_id.eq($company))
    };
}

/// Applies the filter of a client list to a boxed query of `clients` (joined to its stats or
/// not); `has_purchases` is left to the caller, as it needs the stats.
macro_rules! contact_filters {
    ($q:ident, $f:expr) => {{
        let f: &ClientFilter = $f;
        if let Some(s) = &f.search {
            $q = $q.filter(clients::search_text.like(like_pattern(s)).escape('\\'));
        }
        if let Some(status) = &f.status {
            $q = $q.filter(clients::status.eq(status.clone()));
        }
        match f.archived {
            Some(true) => $q = $q.filter(clients::archived_at.is_not_null()),
            Some(false) => $q = $q.filter(clients::archived_at.is_null()),
            None => {}
        }
        if let Some(from) = f.last_interaction_from {
            $q = $q.filter(clients::last_interaction_at.ge(from));
        }
        if let Some(to) = f.last_interaction_to {
            $q = $q.filter(clients::last_interaction_at.lt(to));
        }
    }};
}

/// Clients with their stats, filtered as a client list asks.
macro_rules! filtered {
    ($company:expr, $f:expr) => {{
        let f: &ClientFilter = $f;
        let mut q = joined!($company).into_boxed();
        contact_filters!(q, f);
        match f.has_purchases {
            Some(true) => q = q.filter(client_stats::sales_count.gt(0)),
            Some(false) => q = q.filter(client_stats::sales_count.eq(0)),
            None => {}
        }
        q
    }};
}

/// One page of clients in the requested order; `limit` rows at most.
pub async fn page(
    conn: &mut DbConn,
    company_id: i64,
    filter: &ClientFilter,
    sort: ClientSort,
    desc: bool,
    after: Option<(SortKey, i64)>,
    limit: i64,
) -> Result<QueryResult<Vec<Client>>, CursorMismatch> {
    // Validate the cursor against the sort before touching the database.
    enum After {
        Text(Option<(String, i64)>),
        Int(Option<(i64, i64)>),
        Time(Option<(NaiveDateTime, i64)>),
        NullableTime(Option<(Option<NaiveDateTime>, i64)>),
    }
    let after = match (sort, after) {
        (ClientSort::Name, None) => After::Text(None),
        (ClientSort::Name, Some((SortKey::Text(v), id))) => After::Text(Some((v, id))),
        (ClientSort::TotalSpent, None) => After::Int(None),
        (ClientSort::TotalSpent, Some((SortKey::Int(v), id))) => After::Int(Some((v, id))),
        (ClientSort::Created, None) => After::Time(None),
        (ClientSort::Created, Some((SortKey::Time(Some(v)), id))) => After::Time(Some((v, id))),
        (ClientSort::LastPurchase | ClientSort::LastInteraction, None) => After::NullableTime(None),
        (ClientSort::LastPurchase | ClientSort::LastInteraction, Some((SortKey::Time(v), id))) => {
            After::NullableTime(Some((v, id)))
        }
        _ => return Err(CursorMismatch),
    };
    Ok(with_conn!(conn, c => {
        let mut q = filtered!(company_id, filter);
        match (sort, after) {
            (ClientSort::Name, After::Text(a)) => keyset!(q, clients::name_key, clients::id, desc, a),
            (ClientSort::TotalSpent, After::Int(a)) => {
                keyset!(q, client_stats::total_spent_minor, client_stats::client_id, desc, a)
            }
            (ClientSort::Created, After::Time(a)) => keyset!(q, clients::created_at, clients::id, desc, a),
            (ClientSort::LastPurchase, After::NullableTime(a)) => {
                keyset_nullable!(q, client_stats::last_purchase_at, client_stats::client_id, desc, a)
            }
            (ClientSort::LastInteraction, After::NullableTime(a)) => {
                keyset_nullable!(q, clients::last_interaction_at, clients::id, desc, a)
            }
            _ => unreachable!("cursor kinds were matched to sorts above"),
        }
        q.limit(limit).select(Client::as_select()).load(c).await
    }))
}

/// The sort value of a client under `sort`, for building its cursor.
pub fn sort_key(client: &Client, sort: ClientSort) -> SortKey {
    match sort {
        ClientSort::Name => SortKey::Text(client.keys.name_key.clone()),
        ClientSort::TotalSpent => SortKey::Int(client.total_spent_minor),
        ClientSort::Created => SortKey::Time(Some(client.created_at)),
        ClientSort::LastPurchase => SortKey::Time(client.last_purchase_at),
        ClientSort::LastInteraction => SortKey::Time(client.last_interaction_at),
    }
}

pub async fn count(conn: &mut DbConn, company_id: i64, filter: &ClientFilter) -> QueryResult<i64> {
    if filter.has_purchases.is_some() {
        return with_conn!(conn, c => {
            filtered!(company_id, filter).count().get_result(c).await
        });
    }
    // Without a condition on the stats, counting needs the clients table alone.
    with_conn!(conn, c => {
        let mut q = clients::table
            .filter(clients::company_id.eq(company_id))
            .into_boxed();
        contact_filters!(q, filter);
        q.count().get_result(c).await
    })
}

pub async fn get(conn: &mut DbConn, company_id: i64, id: i64) -> QueryResult<Option<Client>> {
    with_conn!(conn, c => {
        joined!(company_id)
            .filter(clients::id.eq(id))
            .select(Client::as_select())
            .first(c)
            .await
            .optional()
    })
}

pub async fn by_ids(conn: &mut DbConn, company_id: i64, ids: &[i64]) -> QueryResult<Vec<Client>> {
    with_conn!(conn, c => {
        joined!(company_id)
            .filter(clients::id.eq_any(ids))
            .select(Client::as_select())
            .load(c)
            .await
    })
}

/// Ids and names of the company's clients (archived ones too: their sales still count), in id
/// order, at most `limit` (the assistant matches a typed name against them).
pub async fn names(
    conn: &mut DbConn,
    company_id: i64,
    limit: i64,
) -> QueryResult<Vec<(i64, String)>> {
    with_conn!(conn, c => {
        clients::table
            .filter(clients::company_id.eq(company_id))
            .order(clients::id.asc())
            .limit(limit)
            .select((clients::id, clients::name))
            .load(c)
            .await
    })
}

/// Largest number of values bound in one `IN (…)` list or multi-row insert chunk.
pub const CHUNK: usize = 1000;

pub async fn by_external_ids(
    conn: &mut DbConn,
    company_id: i64,
    external_ids: &[&str],
) -> QueryResult<Vec<Client>> {
    let mut out = Vec::with_capacity(external_ids.len());
    for chunk in external_ids.chunks(CHUNK) {
        let rows: Vec<Client> = with_conn!(conn, c => {
            joined!(company_id)
                .filter(clients::external_id.eq_any(chunk))
                .select(Client::as_select())
                .load(c)
                .await
        })?;
        out.extend(rows);
    }
    Ok(out)
}

/// Ids of clients by external id, for resolving the clients named by a sales batch.
pub async fn ids_by_external_ids(
    conn: &mut DbConn,
    company_id: i64,
    external_ids: &[&str],
) -> QueryResult<Vec<(i64, String)>> {
    let mut out = Vec::with_capacity(external_ids.len());
    for chunk in external_ids.chunks(CHUNK) {
        let rows: Vec<(i64, Option<String>)> = with_conn!(conn, c => {
            clients::table
                .filter(clients::company_id.eq(company_id))
                .filter(clients::external_id.eq_any(chunk))
                .select((clients::id, clients::external_id))
                .load(c)
                .await
        })?;
        out.extend(
            rows.into_iter()
                .filter_map(|(id, ext)| ext.map(|e| (id, e))),
        );
    }
    Ok(out)
}

pub async fn insert(conn: &mut DbConn, new: &NewClient) -> QueryResult<Client> {
    let id: i64 = with_conn!(conn, c => {
        diesel::insert_into(clients::table)
            .values(new)
            .returning(clients::id)
            .get_result(c)
            .await
    })?;
    get(conn, new.company_id, id)
        .await?
        .ok_or(diesel::result::Error::NotFound)
}

/// Inserts many clients in multi-row statements; returns `(id, external id)` of each.
pub async fn insert_many(
    conn: &mut DbConn,
    rows: &[NewClient],
) -> QueryResult<Vec<(i64, Option<String>)>> {
    let mut out = Vec::with_capacity(rows.len());
    // 12 columns a row: stay well under SQLite's and PostgreSQL's bound-parameter limits.
    for chunk in rows.chunks(CHUNK / 2) {
        let ids: Vec<(i64, Option<String>)> = match &mut conn.pooled {
            Pooled::Pg(c) => {
                diesel::insert_into(clients::table)
                    .values(chunk)
                    .returning((clients::id, clients::external_id))
                    .get_results(&mut **c)
                    .await?
            }
            // diesel-async does not build SQLite's multi-row INSERT; sync diesel does, on the
            // connection's blocking thread.
            Pooled::Sqlite(c) => {
                let rows = chunk.to_vec();
                c.spawn_blocking(move |inner| {
                    let query = diesel::insert_into(clients::table)
                        .values(&rows)
                        .returning((clients::id, clients::external_id));
                    diesel::RunQueryDsl::get_results(query, inner)
                })
                .await?
            }
        };
        out.extend(ids);
    }
    Ok(out)
}

pub async fn update(
    conn: &mut DbConn,
    company_id: i64,
    id: i64,
    changes: &ClientChanges,
) -> QueryResult<Option<Client>> {
    let updated = with_conn!(conn, c => {
        diesel::update(
            clients::table
                .filter(clients::company_id.eq(company_id))
                .filter(clients::id.eq(id)),
        )
        .set(changes)
        .execute(c)
        .await
    })?;
    reread(conn, company_id, id, updated).await
}

/// The client after an update of `updated` rows (0 when it is not the company's).
async fn reread(
    conn: &mut DbConn,
    company_id: i64,
    id: i64,
    updated: usize,
) -> QueryResult<Option<Client>> {
    if updated == 0 {
        return Ok(None);
    }
    get(conn, company_id, id).await
}

pub async fn set_archived(
    conn: &mut DbConn,
    company_id: i64,
    id: i64,
    archived_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> QueryResult<Option<Client>> {
    let updated = with_conn!(conn, c => {
        diesel::update(
            clients::table
                .filter(clients::company_id.eq(company_id))
                .filter(clients::id.eq(id)),
        )
        .set((clients::archived_at.eq(archived_at), clients::updated_at.eq(now)))
        .execute(c)
        .await
    })?;
    reread(conn, company_id, id, updated).await
}

/// Moves a client's last interaction forward to `at` (never backwards).
pub async fn touch_interaction(
    conn: &mut DbConn,
    company_id: i64,
    id: i64,
    at: NaiveDateTime,
) -> QueryResult<()> {
    with_conn!(conn, c => {
        diesel::update(
            clients::table
                .filter(clients::company_id.eq(company_id))
                .filter(clients::id.eq(id))
                .filter(clients::last_interaction_at.is_null().or(clients::last_interaction_at.lt(at))),
        )
        .set(clients::last_interaction_at.eq(at))
        .execute(c)
        .await
        .map(|_| ())
    })
}

/// Sums of completed sales per client and currency.
pub async fn totals(
    conn: &mut DbConn,
    company_id: i64,
    client_ids: &[i64],
) -> QueryResult<Vec<(i64, String, i64)>> {
    with_conn!(conn, c => {
        let rows: Vec<(i64, String, Option<i64>)> = sales::table
            .filter(sales::company_id.eq(company_id))
            .filter(sales::client_id.eq_any(client_ids))
            .filter(sales::status.eq(SaleStatus::Completed))
            .group_by((sales::client_id, sales::currency))
            .select((sales::client_id, sales::currency, diesel::dsl::sql::<diesel::sql_types::Nullable<diesel::sql_types::BigInt>>(
                // SUM(bigint) is numeric on PostgreSQL; a sum beyond i64 fails the CAST there and the
                // SUM on SQLite, and the API answers OUT_OF_RANGE.
                "CAST(SUM(amount_minor) AS BIGINT)",
            )))
            .order((sales::client_id, sales::currency))
            .load(c)
            .await?;
        Ok(rows.into_iter().map(|(id, cur, sum)| (id, cur, sum.unwrap_or(0))).collect())
    })
}

/// Clients created in `[from, to)`.
pub async fn created_between(
    conn: &mut DbConn,
    company_id: i64,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<i64> {
    with_conn!(conn, c => {
        clients::table
            .filter(clients::company_id.eq(company_id))
            .filter(clients::created_at.ge(from))
            .filter(clients::created_at.lt(to))
            .count()
            .get_result(c)
            .await
    })
}

// After the macros above, which the parts use.
mod aggregates;
mod derived;

pub use aggregates::{AggregateDelta, add_to_aggregates, lock_aggregates, refresh_aggregates};
pub use derived::{Derived, derive_all, derive_missing, search_term};
