//! Login sessions: one row per refresh-token family. The refresh token rotates on every use;
//! presenting an already-rotated token revokes the whole session (it was stolen or replayed),
//! except within a short grace window after the rotation, for the parallel requests of the
//! browser that rotated it (see `graphql::accounts`).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::DbConn;
use super::schema::{memberships, sessions};
use crate::with_conn;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = sessions)]
pub struct Session {
    pub id: i64,
    pub user_id: i64,
    pub active_company_id: i64,
    pub refresh_hash: String,
    pub previous_refresh_hash: Option<String>,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
    /// When `refresh_hash` replaced `previous_refresh_hash`.
    pub rotated_at: Option<NaiveDateTime>,
}

#[derive(Insertable)]
#[diesel(table_name = sessions)]
pub struct NewSession<'a> {
    pub user_id: i64,
    pub active_company_id: i64,
    pub refresh_hash: &'a str,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

pub async fn insert(conn: &mut DbConn, new: &NewSession<'_>) -> QueryResult<Session> {
    with_conn!(conn, c => {
        diesel::insert_into(sessions::table)
            .values(new)
            .returning(Session::as_returning())
            .get_result(c)
            .await
    })
}

pub async fn by_refresh_hash(conn: &mut DbConn, hash: &str) -> QueryResult<Option<Session>> {
    with_conn!(conn, c => {
        sessions::table
            .filter(sessions::refresh_hash.eq(hash))
            .select(Session::as_select())
            .first(c)
            .await
            .optional()
    })
}

pub async fn by_id(conn: &mut DbConn, id: i64) -> QueryResult<Option<Session>> {
    with_conn!(conn, c => {
        sessions::table
            .find(id)
            .select(Session::as_select())
            .first(c)
            .await
            .optional()
    })
}

pub async fn by_previous_refresh_hash(
    conn: &mut DbConn,
    hash: &str,
) -> QueryResult<Option<Session>> {
    with_conn!(conn, c => {
        sessions::table
            .filter(sessions::previous_refresh_hash.eq(hash))
            .select(Session::as_select())
            .first(c)
            .await
            .optional()
    })
}

/// Replaces the refresh token of a live session. Returns false when the session changed
/// meanwhile (a concurrent refresh won), so the caller treats the old token as spent.
pub async fn rotate(
    conn: &mut DbConn,
    id: i64,
    old_hash: &str,
    new_hash: &str,
    expires_at: NaiveDateTime,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    with_conn!(conn, c => {
        let n = diesel::update(
            sessions::table
                .filter(sessions::id.eq(id))
                .filter(sessions::refresh_hash.eq(old_hash))
                .filter(sessions::revoked_at.is_null()),
        )
        .set((
            sessions::refresh_hash.eq(new_hash),
            sessions::previous_refresh_hash.eq(old_hash),
            sessions::expires_at.eq(expires_at),
            sessions::rotated_at.eq(now),
        ))
        .execute(c)
        .await?;
        Ok(n == 1)
    })
}

pub async fn revoke(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> QueryResult<()> {
    with_conn!(conn, c => {
        diesel::update(sessions::table.filter(sessions::id.eq(id)).filter(sessions::revoked_at.is_null()))
            .set(sessions::revoked_at.eq(now))
            .execute(c)
            .await
            .map(|_| ())
    })
}

pub async fn set_active_company(conn: &mut DbConn, id: i64, company_id: i64) -> QueryResult<()> {
    with_conn!(conn, c => {
        diesel::update(sessions::table.find(id))
            .set(sessions::active_company_id.eq(company_id))
            .execute(c)
            .await
            .map(|_| ())
    })
}

/// For a live session: its user, its active company and the user's role there. `None` when
/// the session is revoked or expired, or the user no longer belongs to the active company.
pub async fn principal(
    conn: &mut DbConn,
    session_id: i64,
    now: NaiveDateTime,
) -> QueryResult<Option<(i64, i64, crate::domain::Role)>> {
    with_conn!(conn, c => {
        sessions::table
            .inner_join(
                memberships::table.on(memberships::company_id
                    .eq(sessions::active_company_id)
                    .and(memberships::user_id.eq(sessions::user_id))),
            )
            .filter(sessions::id.eq(session_id))
            .filter(sessions::revoked_at.is_null())
            .filter(sessions::expires_at.gt(now))
            .select((sessions::user_id, sessions::active_company_id, memberships::role))
            .first(c)
            .await
            .optional()
    })
}
