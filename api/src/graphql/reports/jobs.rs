//! Report jobs over GraphQL: start, watch (query or subscription), cancel. Thin adapters over
//! `crate::reports::jobs`.

use async_graphql::{Context, ID, Object, Subscription};
use chrono::{DateTime, Utc};
use futures::{Stream, StreamExt};

use super::ReportInput;
use crate::db::report_jobs::{JobState, ReportJob};
use crate::events::Entity;
use crate::graphql::sales::subscription::changes;
use crate::graphql::values::{parse_id, to_utc};
use crate::graphql::{app, principal};
use crate::reports::{Report, jobs};

/// A report being computed in the background, or computed.
pub struct ReportJobNode(ReportJob);

#[Object(name = "ReportJob")]
impl ReportJobNode {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn state(&self) -> JobState {
        self.0.state
    }
    /// 0 to 100.
    async fn progress(&self) -> i32 {
        self.0.progress
    }
    /// What it is computing now.
    async fn step(&self) -> &str {
        &self.0.step
    }
    /// Why it failed.
    async fn error(&self) -> Option<&str> {
        self.0.error.as_deref()
    }
    /// The report, once done (download it at `/reports/jobs/{id}/export`).
    #[allow(clippy::unused_async)] // async-graphql resolvers are async
    async fn report(&self) -> async_graphql::Result<Option<Report>> {
        Ok(if self.0.state == JobState::Done {
            Some(jobs::result(&self.0)?)
        } else {
            None
        })
    }
    async fn created_at(&self) -> DateTime<Utc> {
        to_utc(self.0.created_at)
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        to_utc(self.0.updated_at)
    }
}

#[derive(Default)]
pub struct ReportJobQuery;

#[Object]
impl ReportJobQuery {
    /// A report job of the active company, as it stands.
    async fn report_job(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<ReportJobNode> {
        let company_id = principal(ctx).company()?;
        Ok(ReportJobNode(
            jobs::get(app(ctx), company_id, parse_id(&id)?).await?,
        ))
    }
}

#[derive(Default)]
pub struct ReportJobMutation;

#[Object]
impl ReportJobMutation {
    /// Starts computing a report in the background; watch it with `reportJobChanged` or
    /// `reportJob`, cancel it with `cancelReportJob`. Any server process on the same database
    /// can answer for it.
    async fn start_report(
        &self,
        ctx: &Context<'_>,
        input: ReportInput,
    ) -> async_graphql::Result<ReportJobNode> {
        let p = principal(ctx);
        let company_id = p.company()?;
        let user = match p {
            crate::auth::Principal::User { user_id, .. } => Some(*user_id),
            _ => None,
        };
        Ok(ReportJobNode(
            jobs::start(app(ctx), company_id, user, input.into()).await?,
        ))
    }

    /// Cancels a running report job; it stops at its next step. A finished job stays as it is.
    async fn cancel_report_job(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<ReportJobNode> {
        let company_id = principal(ctx).company()?;
        Ok(ReportJobNode(
            jobs::cancel(app(ctx), company_id, parse_id(&id)?).await?,
        ))
    }
}

#[derive(Default)]
pub struct ReportJobSubscription;

#[Subscription]
impl ReportJobSubscription {
    /// The job as it stands now, then again after each step, until it is done, failed or
    /// cancelled.
    #[allow(clippy::unused_async)] // async-graphql subscription fields must be async
    async fn report_job_changed(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<impl Stream<Item = ReportJobNode> + use<>> {
        let company_id = principal(ctx).company()?;
        let id = parse_id(&id)?;
        let app = app(ctx).clone();
        // Subscribe before reading, so no step between the read and the subscription is lost.
        let updates = changes(
            app.clone(),
            company_id,
            Entity::ReportJob,
            move |app, company_id, ids| async move {
                if !ids.contains(&id) {
                    return Some(Vec::new());
                }
                jobs::get(&app, company_id, id)
                    .await
                    .ok()
                    .map(|job| vec![job])
            },
        );
        let first = jobs::get(&app, company_id, id).await?;
        let done = first.state != JobState::Running;
        let rest = updates.map(|(_, job)| job);
        let stream = futures::stream::once(async move { first }).chain(if done {
            futures::stream::empty().boxed()
        } else {
            rest.boxed()
        });
        // Stop after the first job that is no longer running.
        let mut finished = false;
        Ok(stream
            .take_while(move |job| {
                let keep = !finished;
                finished = job.state != JobState::Running;
                futures::future::ready(keep)
            })
            .map(ReportJobNode))
    }
}
