//! API keys of a company. Only a SHA-256 hash of the secret is stored.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::DbConn;
use super::schema::api_keys;
use crate::domain::Scope;
use crate::with_conn;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = api_keys)]
pub struct ApiKey {
    pub id: i64,
    pub company_id: i64,
    pub name: String,
    pub prefix: String,
    pub key_hash: String,
    pub scope: Scope,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

#[derive(Insertable)]
#[diesel(table_name = api_keys)]
pub struct NewApiKey<'a> {
    pub company_id: i64,
    pub name: &'a str,
    pub prefix: &'a str,
    pub key_hash: &'a str,
    pub scope: Scope,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
}

pub async fn insert(conn: &mut DbConn, new: &NewApiKey<'_>) -> QueryResult<ApiKey> {
    with_conn!(conn, c => {
        diesel::insert_into(api_keys::table)
            .values(new)
            .returning(ApiKey::as_returning())
            .get_result(c)
            .await
    })
}

/// Keys of a company, newest first (revoked ones included, marked as such).
pub async fn list(conn: &mut DbConn, company_id: i64) -> QueryResult<Vec<ApiKey>> {
    with_conn!(conn, c => {
        api_keys::table
            .filter(api_keys::company_id.eq(company_id))
            .order((api_keys::created_at.desc(), api_keys::id.desc()))
            .select(ApiKey::as_select())
            .load(c)
            .await
    })
}

pub async fn revoke(
    conn: &mut DbConn,
    company_id: i64,
    id: i64,
    now: NaiveDateTime,
) -> QueryResult<Option<ApiKey>> {
    with_conn!(conn, c => {
        let found: Option<ApiKey> = api_keys::table
            .filter(api_keys::company_id.eq(company_id))
            .filter(api_keys::id.eq(id))
            .select(ApiKey::as_select())
            .first(c)
            .await
            .optional()?;
        match found {
            Some(key) if key.revoked_at.is_some() => Ok(Some(key)),
            Some(_) => diesel::update(api_keys::table.find(id))
                .set(api_keys::revoked_at.eq(now))
                .returning(ApiKey::as_returning())
                .get_result(c)
                .await
                .map(Some),
            None => Ok(None),
        }
    })
}

/// The live key with this hash. This lookup is how a request finds its company, so it is
/// the one query here without a company id.
pub async fn live_by_hash(conn: &mut DbConn, hash: &str) -> QueryResult<Option<ApiKey>> {
    with_conn!(conn, c => {
        api_keys::table
            .filter(api_keys::key_hash.eq(hash))
            .filter(api_keys::revoked_at.is_null())
            .select(ApiKey::as_select())
            .first(c)
            .await
            .optional()
    })
}

/// A key that is not revoked, by id (long-lived connections re-check theirs with it).
pub async fn live_by_id(
    conn: &mut DbConn,
    company_id: i64,
    id: i64,
) -> QueryResult<Option<ApiKey>> {
    with_conn!(conn, c => {
        api_keys::table
            .filter(api_keys::company_id.eq(company_id))
            .filter(api_keys::id.eq(id))
            .filter(api_keys::revoked_at.is_null())
            .select(ApiKey::as_select())
            .first(c)
            .await
            .optional()
    })
}

pub async fn touch(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> QueryResult<()> {
    with_conn!(conn, c => {
        diesel::update(api_keys::table.find(id))
            .set(api_keys::last_used_at.eq(now))
            .execute(c)
            .await
            .map(|_| ())
    })
}
