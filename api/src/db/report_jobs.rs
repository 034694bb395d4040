//! Report jobs: a report being computed, its progress, and its result once done.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::DbConn;
use super::schema::report_jobs;
use crate::with_conn;

crate::domain::stored_as_text! {
    /// Where a report job stands.
    pub enum JobState {
        Running => "running",
        Done => "done",
        Failed => "failed",
        Cancelled => "cancelled",
    }
}

#[derive(Clone, Debug, PartialEq, Queryable, Selectable)]
#[diesel(table_name = report_jobs)]
pub struct ReportJob {
    pub id: i64,
    pub company_id: i64,
    pub requested_by: Option<i64>,
    /// JSON of `reports::ReportParameters`.
    pub parameters: String,
    pub state: JobState,
    /// 0..=100.
    pub progress: i32,
    pub step: String,
    /// JSON of `reports::Report` once done.
    pub result: Option<String>,
    pub error: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = report_jobs)]
pub struct NewReportJob<'a> {
    pub company_id: i64,
    pub requested_by: Option<i64>,
    pub parameters: &'a str,
    pub state: JobState,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub async fn insert(conn: &mut DbConn, new: &NewReportJob<'_>) -> QueryResult<ReportJob> {
    with_conn!(conn, c => {
        diesel::insert_into(report_jobs::table).values(new).returning(ReportJob::as_returning()).get_result(c).await
    })
}

pub async fn get(conn: &mut DbConn, company_id: i64, id: i64) -> QueryResult<Option<ReportJob>> {
    with_conn!(conn, c => {
        report_jobs::table
            .filter(report_jobs::company_id.eq(company_id))
            .filter(report_jobs::id.eq(id))
            .select(ReportJob::as_select())
            .first(c)
            .await
            .optional()
    })
}

/// Jobs of a company still running (to cap how many run at once).
pub async fn running(conn: &mut DbConn, company_id: i64, since: NaiveDateTime) -> QueryResult<i64> {
    with_conn!(conn, c => {
        report_jobs::table
            .filter(report_jobs::company_id.eq(company_id))
            .filter(report_jobs::state.eq(JobState::Running))
            .filter(report_jobs::updated_at.gt(since))
            .count()
            .get_result(c)
            .await
    })
}

/// Records progress of a running job; false when the job is no longer running (cancelled).
pub async fn set_progress(
    conn: &mut DbConn,
    id: i64,
    progress: i32,
    step: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    with_conn!(conn, c => {
        diesel::update(report_jobs::table.filter(report_jobs::id.eq(id)).filter(report_jobs::state.eq(JobState::Running)))
            .set((report_jobs::progress.eq(progress), report_jobs::step.eq(step), report_jobs::updated_at.eq(now)))
            .execute(c)
            .await
            .map(|n| n > 0)
    })
}

/// Ends a running job as done (with its result) or failed (with the reason); false when it
/// was no longer running.
pub async fn finish(
    conn: &mut DbConn,
    id: i64,
    outcome: Result<&str, &str>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let (state, result, error, progress) = match outcome {
        Ok(result) => (JobState::Done, Some(result), None, 100),
        Err(error) => (JobState::Failed, None, Some(error), 100),
    };
    with_conn!(conn, c => {
        diesel::update(report_jobs::table.filter(report_jobs::id.eq(id)).filter(report_jobs::state.eq(JobState::Running)))
            .set((
                report_jobs::state.eq(state),
                report_jobs::result.eq(result),
                report_jobs::error.eq(error),
                report_jobs::progress.eq(progress),
                report_jobs::updated_at.eq(now),
            ))
            .execute(c)
            .await
            .map(|n| n > 0)
    })
}

/// Replaces a done job's result when it still reads `old` (compare and swap: two writers never
/// lose each other's change; the loser reads again). Whether it was replaced.
pub async fn replace_result(
    conn: &mut DbConn,
    company_id: i64,
    id: i64,
    old: &str,
    new: &str,
) -> QueryResult<bool> {
    with_conn!(conn, c => {
        diesel::update(report_jobs::table.filter(report_jobs::company_id.eq(company_id)).filter(report_jobs::id.eq(id)).filter(report_jobs::result.eq(old)))
            .set(report_jobs::result.eq(new))
            .execute(c)
            .await
            .map(|n| n > 0)
    })
}

/// Cancels a running job of the company; the job itself stops at its next step.
pub async fn cancel(
    conn: &mut DbConn,
    company_id: i64,
    id: i64,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    with_conn!(conn, c => {
        diesel::update(
            report_jobs::table
                .filter(report_jobs::company_id.eq(company_id))
                .filter(report_jobs::id.eq(id))
                .filter(report_jobs::state.eq(JobState::Running)),
        )
        .set((report_jobs::state.eq(JobState::Cancelled), report_jobs::updated_at.eq(now)))
        .execute(c)
        .await
        .map(|n| n > 0)
    })
}

/// Deletes the company's jobs that ended (done, failed or cancelled) before `before`, with
/// their stored results; returns how many.
pub async fn prune(
    conn: &mut DbConn,
    company_id: i64,
    before: NaiveDateTime,
) -> QueryResult<usize> {
    with_conn!(conn, c => {
        diesel::delete(
            report_jobs::table
                .filter(report_jobs::company_id.eq(company_id))
                .filter(report_jobs::state.ne(JobState::Running))
                .filter(report_jobs::updated_at.lt(before)),
        )
        .execute(c)
        .await
    })
}
