//! Reports as jobs: started through any server process, computed in the background, watched
//! (progress and step, through the change events: LISTEN/NOTIFY on PostgreSQL), cancelled and
//! downloaded through any other process on the same database. The state lives in
//! `report_jobs`; no job table lives only in memory.
//!
//! A job checks between its steps whether it was cancelled and stops there. A job whose process
//! died stops sending progress: after [`STALE_AFTER`] without a step it reads as failed.

use std::sync::Arc;

use chrono::{NaiveDateTime, TimeDelta, Utc};

use super::{Report, ReportParameters};
use crate::app::App;
use crate::db::report_jobs::{self as rows, JobState, NewReportJob, ReportJob};
use crate::error::{ApiError, ApiResult};
use crate::events::{ChangeKind, Entity, Event};

/// A running job silent this long is taken as interrupted (its process stopped).
pub const STALE_AFTER: TimeDelta = TimeDelta::minutes(10);
/// Jobs one company may run at once.
pub const MAX_RUNNING: i64 = 4;
/// How long an ended job (and its result) stays readable; older ones are deleted when the
/// company starts its next job, so the table does not grow with every report viewed.
pub const KEEP_ENDED: TimeDelta = TimeDelta::hours(24);

/// Where a report run reports its progress; a no-op outside jobs.
pub struct Progress {
    job: Option<(Arc<App>, i64, i64)>,
}

impl Progress {
    /// Progress nobody watches (a report computed within a request).
    pub fn none() -> Progress {
        Progress { job: None }
    }

    /// Records that the run reached `percent` (0..=100) at `step`, and publishes it.
    ///
    /// # Errors
    /// UNAVAILABLE with "cancelled" when the job was cancelled: the run stops there.
    pub async fn step(&mut self, percent: i32, step: &str) -> ApiResult<()> {
        let Some((app, company_id, job_id)) = &self.job else {
            return Ok(());
        };
        if let Some(pause) = app.config.fault_report_step_pause {
            tokio::time::sleep(pause).await;
        }
        let mut conn = app.db.write().await?;
        let running =
            rows::set_progress(&mut conn, *job_id, percent, step, Utc::now().naive_utc()).await?;
        drop(conn);
        publish(app, *company_id, *job_id).await;
        if running {
            Ok(())
        } else {
            Err(ApiError::Unavailable(anyhow::anyhow!(
                "the report was cancelled"
            )))
        }
    }
}

async fn publish(app: &App, company_id: i64, job_id: i64) {
    app.events
        .publish(vec![Event {
            company_id,
            entity: Entity::ReportJob,
            kind: ChangeKind::Updated,
            ids: vec![job_id],
        }])
        .await;
}

/// Starts a report job for `company_id` and returns it (running); the report is computed in
/// the background of this process.
///
/// # Errors
/// BAD_USER_INPUT for bad parameters (checked before the job starts) or when the company
/// already runs [`MAX_RUNNING`] jobs.
pub async fn start(
    app: &Arc<App>,
    company_id: i64,
    requested_by: Option<i64>,
    parameters: ReportParameters,
) -> ApiResult<ReportJob> {
    super::check(&parameters)?;
    let json = serde_json::to_string(&parameters).map_err(|e| ApiError::Internal(e.into()))?;
    let now = Utc::now().naive_utc();
    let mut conn = app.db.write().await?;
    rows::prune(&mut conn, company_id, now - KEEP_ENDED).await?;
    if rows::running(&mut conn, company_id, now - STALE_AFTER).await? >= MAX_RUNNING {
        return Err(ApiError::bad_input(
            "input",
            format!("at most {MAX_RUNNING} reports run at once; wait for one to finish"),
        ));
    }
    let job = rows::insert(
        &mut conn,
        &NewReportJob {
            company_id,
            requested_by,
            parameters: &json,
            state: JobState::Running,
            created_at: now,
            updated_at: now,
        },
    )
    .await?;
    drop(conn);
    let (app, job_id) = (app.clone(), job.id);
    tokio::spawn(async move {
        let mut progress = Progress {
            job: Some((app.clone(), company_id, job_id)),
        };
        let outcome = super::run_with(&app.db, company_id, parameters, &mut progress).await;
        let outcome = match &outcome {
            Ok(report) => serde_json::to_string(report).map_err(|e| e.to_string()),
            Err(e) => Err(e.message()),
        };
        match app.db.write().await {
            Ok(mut conn) => {
                let finished = rows::finish(
                    &mut conn,
                    job_id,
                    outcome.as_deref().map_err(String::as_str),
                    Utc::now().naive_utc(),
                )
                .await;
                if let Err(e) = finished {
                    tracing::error!(error = %e, job_id, "could not store a report job's outcome");
                }
            }
            Err(e) => tracing::error!(error = %e, job_id, "could not store a report job's outcome"),
        }
        publish(&app, company_id, job_id).await;
    });
    Ok(job)
}

/// A job of the company as it stands; a running job silent for [`STALE_AFTER`] reads as failed.
pub async fn get(app: &App, company_id: i64, id: i64) -> ApiResult<ReportJob> {
    let mut conn = app.db.read().await?;
    let mut job = rows::get(&mut conn, company_id, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    mark_stale(&mut job, Utc::now().naive_utc());
    Ok(job)
}

fn mark_stale(job: &mut ReportJob, now: NaiveDateTime) {
    if job.state == JobState::Running && job.updated_at < now - STALE_AFTER {
        job.state = JobState::Failed;
        job.error = Some("interrupted: the server computing it stopped".into());
    }
}

/// Cancels a running job; cancelling a finished one changes nothing.
///
/// # Errors
/// NOT_FOUND for another company's job.
pub async fn cancel(app: &App, company_id: i64, id: i64) -> ApiResult<ReportJob> {
    let mut conn = app.db.write().await?;
    rows::get(&mut conn, company_id, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if rows::cancel(&mut conn, company_id, id, Utc::now().naive_utc()).await? {
        drop(conn);
        publish(app, company_id, id).await;
    }
    get(app, company_id, id).await
}

/// The finished job's report.
///
/// # Errors
/// NOT_FOUND for another company's job; BAD_USER_INPUT while it is not done.
pub fn result(job: &ReportJob) -> ApiResult<Report> {
    match (&job.state, &job.result) {
        (JobState::Done, Some(json)) => {
            serde_json::from_str(json).map_err(|e| ApiError::Internal(e.into()))
        }
        _ => Err(ApiError::bad_input(
            "id",
            "the report is not ready: it is still running, failed or was cancelled",
        )),
    }
}
