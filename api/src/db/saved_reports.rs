//! Saved reports (parameters plus a snapshot of the result) and their read-only links.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::DbConn;
use super::schema::{report_links, saved_reports};
use crate::reports::ReportKind;
use crate::with_conn;

/// Most saved reports per company.
pub const MAX_PER_COMPANY: i64 = 2_000;
/// Most live links per saved report.
pub const MAX_LINKS: i64 = 20;

#[derive(Clone, Debug, PartialEq, Queryable, Selectable)]
#[diesel(table_name = saved_reports)]
pub struct SavedReport {
    pub id: i64,
    pub company_id: i64,
    pub author_id: Option<i64>,
    pub name: String,
    pub kind: ReportKind,
    /// JSON of `reports::ReportParameters`.
    pub parameters: String,
    /// JSON of `reports::Report`.
    pub snapshot: String,
    pub shared_with_members: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = saved_reports)]
pub struct NewSavedReport<'a> {
    pub company_id: i64,
    pub author_id: Option<i64>,
    pub name: &'a str,
    pub kind: ReportKind,
    pub parameters: &'a str,
    pub snapshot: &'a str,
    pub shared_with_members: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Clone, Debug, PartialEq, Queryable, Selectable)]
#[diesel(table_name = report_links)]
pub struct ReportLink {
    pub id: i64,
    pub company_id: i64,
    pub saved_report_id: i64,
    pub token_hash: String,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
}

#[derive(Insertable)]
#[diesel(table_name = report_links)]
pub struct NewReportLink<'a> {
    pub company_id: i64,
    pub saved_report_id: i64,
    pub token_hash: &'a str,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

/// Which saved reports of a company a request may see.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Visibility {
    /// Admins and owners: every report (they may revoke any link).
    All,
    /// A member or viewer: their own and the shared ones.
    OwnOrShared(i64),
    /// An API key: the shared ones.
    Shared,
}

macro_rules! visible {
    ($company:expr, $visibility:expr) => {{
        let q = saved_reports::table
            .filter(saved_reports::company_id.eq($company))
            .into_boxed();
        match $visibility {
            Visibility::All => q,
            Visibility::OwnOrShared(user) => q.filter(
                saved_reports::shared_with_members
                    .eq(true)
                    .or(saved_reports::author_id.eq(user)),
            ),
            Visibility::Shared => q.filter(saved_reports::shared_with_members.eq(true)),
        }
    }};
}

pub async fn insert(conn: &mut DbConn, new: &NewSavedReport<'_>) -> QueryResult<SavedReport> {
    with_conn!(conn, c => {
        diesel::insert_into(saved_reports::table).values(new).returning(SavedReport::as_returning()).get_result(c).await
    })
}

pub async fn count(conn: &mut DbConn, company_id: i64) -> QueryResult<i64> {
    with_conn!(conn, c => {
        saved_reports::table.filter(saved_reports::company_id.eq(company_id)).count().get_result(c).await
    })
}

/// One saved report the viewer may see.
pub async fn get(
    conn: &mut DbConn,
    company_id: i64,
    viewer: Visibility,
    id: i64,
) -> QueryResult<Option<SavedReport>> {
    with_conn!(conn, c => {
        visible!(company_id, viewer)
            .filter(saved_reports::id.eq(id))
            .select(SavedReport::as_select())
            .first(c)
            .await
            .optional()
    })
}

/// The viewer's page of saved reports, most recently changed first, after `after`
/// (updated_at, id); `limit + 1` rows so the caller knows whether more follow.
pub async fn page(
    conn: &mut DbConn,
    company_id: i64,
    viewer: Visibility,
    limit: i64,
    after: Option<(NaiveDateTime, i64)>,
) -> QueryResult<Vec<SavedReport>> {
    with_conn!(conn, c => {
        let mut q = visible!(company_id, viewer);
        if let Some((at, id)) = after {
            q = q.filter(saved_reports::updated_at.lt(at).or(saved_reports::updated_at.eq(at).and(saved_reports::id.lt(id))));
        }
        q.order((saved_reports::updated_at.desc(), saved_reports::id.desc()))
            .limit(limit + 1)
            .select(SavedReport::as_select())
            .load(c)
            .await
    })
}

pub async fn count_visible(
    conn: &mut DbConn,
    company_id: i64,
    viewer: Visibility,
) -> QueryResult<i64> {
    with_conn!(conn, c => visible!(company_id, viewer).count().get_result(c).await)
}

pub async fn rename(
    conn: &mut DbConn,
    company_id: i64,
    id: i64,
    name: &str,
    now: NaiveDateTime,
) -> QueryResult<SavedReport> {
    with_conn!(conn, c => {
        diesel::update(saved_reports::table.filter(saved_reports::company_id.eq(company_id)).filter(saved_reports::id.eq(id)))
            .set((saved_reports::name.eq(name), saved_reports::updated_at.eq(now)))
            .returning(SavedReport::as_returning())
            .get_result(c)
            .await
    })
}

/// Replaces a saved report's snapshot when it still reads `old` (compare and swap). Whether it
/// was replaced. `updated_at` stays: the snapshot only gained what was computed from it.
pub async fn replace_snapshot(
    conn: &mut DbConn,
    company_id: i64,
    id: i64,
    old: &str,
    new: &str,
) -> QueryResult<bool> {
    with_conn!(conn, c => {
        diesel::update(saved_reports::table.filter(saved_reports::company_id.eq(company_id)).filter(saved_reports::id.eq(id)).filter(saved_reports::snapshot.eq(old)))
            .set(saved_reports::snapshot.eq(new))
            .execute(c)
            .await
            .map(|n| n > 0)
    })
}

pub async fn set_shared(
    conn: &mut DbConn,
    company_id: i64,
    id: i64,
    shared: bool,
    now: NaiveDateTime,
) -> QueryResult<SavedReport> {
    with_conn!(conn, c => {
        diesel::update(saved_reports::table.filter(saved_reports::company_id.eq(company_id)).filter(saved_reports::id.eq(id)))
            .set((saved_reports::shared_with_members.eq(shared), saved_reports::updated_at.eq(now)))
            .returning(SavedReport::as_returning())
            .get_result(c)
            .await
    })
}

pub async fn delete(conn: &mut DbConn, company_id: i64, id: i64) -> QueryResult<bool> {
    with_conn!(conn, c => {
        diesel::delete(saved_reports::table.filter(saved_reports::company_id.eq(company_id)).filter(saved_reports::id.eq(id)))
            .execute(c)
            .await
            .map(|n| n > 0)
    })
}

pub async fn insert_link(conn: &mut DbConn, new: &NewReportLink<'_>) -> QueryResult<ReportLink> {
    with_conn!(conn, c => {
        diesel::insert_into(report_links::table).values(new).returning(ReportLink::as_returning()).get_result(c).await
    })
}

/// Links of a saved report, newest first.
pub async fn links(
    conn: &mut DbConn,
    company_id: i64,
    saved_report_id: i64,
) -> QueryResult<Vec<ReportLink>> {
    with_conn!(conn, c => {
        report_links::table
            .filter(report_links::company_id.eq(company_id))
            .filter(report_links::saved_report_id.eq(saved_report_id))
            .order(report_links::id.desc())
            .select(ReportLink::as_select())
            .load(c)
            .await
    })
}

pub async fn live_links(
    conn: &mut DbConn,
    company_id: i64,
    saved_report_id: i64,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    with_conn!(conn, c => {
        report_links::table
            .filter(report_links::company_id.eq(company_id))
            .filter(report_links::saved_report_id.eq(saved_report_id))
            .filter(report_links::revoked_at.is_null())
            .filter(report_links::expires_at.gt(now))
            .count()
            .get_result(c)
            .await
    })
}

pub async fn link(conn: &mut DbConn, company_id: i64, id: i64) -> QueryResult<Option<ReportLink>> {
    with_conn!(conn, c => {
        report_links::table
            .filter(report_links::company_id.eq(company_id))
            .filter(report_links::id.eq(id))
            .select(ReportLink::as_select())
            .first(c)
            .await
            .optional()
    })
}

/// The saved report a live (unrevoked, unexpired) link with this token hash shows.
pub async fn by_link(
    conn: &mut DbConn,
    token_hash: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<SavedReport>> {
    with_conn!(conn, c => {
        report_links::table
            .inner_join(saved_reports::table)
            .filter(report_links::token_hash.eq(token_hash))
            .filter(report_links::revoked_at.is_null())
            .filter(report_links::expires_at.gt(now))
            .select(SavedReport::as_select())
            .first(c)
            .await
            .optional()
    })
}

pub async fn revoke_link(
    conn: &mut DbConn,
    company_id: i64,
    id: i64,
    now: NaiveDateTime,
) -> QueryResult<Option<ReportLink>> {
    with_conn!(conn, c => {
        diesel::update(
            report_links::table
                .filter(report_links::company_id.eq(company_id))
                .filter(report_links::id.eq(id))
                .filter(report_links::revoked_at.is_null()),
        )
        .set(report_links::revoked_at.eq(now))
        .returning(ReportLink::as_returning())
        .get_result(c)
        .await
        .optional()
    })
}
