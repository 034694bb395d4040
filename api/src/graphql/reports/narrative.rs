//! The assistant's narrative on a report over GraphQL: one subscription, a thin adapter over
//! `crate::reports::narrative`.

use async_graphql::{Context, ID, Subscription};
use futures::Stream;

use crate::error::ApiError;
use crate::graphql::values::parse_id;
use crate::graphql::{app, principal};
use crate::reports::jobs;
use crate::reports::narrative::{self, Language, NarrativeEvent, Stored};
use crate::reports::saved::{self, Viewer};

#[derive(Default)]
pub struct NarrativeSubscription;

#[Subscription]
impl NarrativeSubscription {
    /// The assistant's checked words on a done report job's or a saved report's figures, in
    /// `language`: the cached narrative at once, else whole checked sentences as the model
    /// writes them, then the narrative as stored. Give exactly one of `jobId` and
    /// `savedReportId`.
    ///
    /// Errors: BAD_USER_INPUT for neither or both ids, or a job not done; NOT_FOUND for
    /// another company's report. A model that cannot write now is not an error: the one event
    /// says why (`unavailable`).
    async fn report_narrative(
        &self,
        ctx: &Context<'_>,
        job_id: Option<ID>,
        saved_report_id: Option<ID>,
        language: Language,
    ) -> async_graphql::Result<impl Stream<Item = NarrativeEvent> + use<>> {
        let app = app(ctx).clone();
        let (report, stored) = match (job_id, saved_report_id) {
            (Some(id), None) => {
                let company_id = principal(ctx).company()?;
                let id = parse_id(&id)?;
                let job = jobs::get(&app, company_id, id).await?;
                (jobs::result(&job)?, Stored::Job { company_id, id })
            }
            (None, Some(id)) => {
                let viewer = Viewer::of(principal(ctx))?;
                let id = parse_id(&id)?;
                let mut conn = app.db.read().await.map_err(ApiError::from)?;
                let company_id = viewer.company_id;
                let row = saved::get(&mut conn, viewer, id).await?;
                drop(conn);
                let stored = Stored::Saved { company_id, id };
                (saved::snapshot(&row)?, stored)
            }
            _ => {
                return Err(ApiError::bad_input(
                    "jobId",
                    "give exactly one of jobId and savedReportId",
                )
                .into());
            }
        };
        let events = narrative::stream(&app, report, stored, language);
        Ok(futures::stream::unfold(events, |mut events| async move {
            events.recv().await.map(|event| (event, events))
        }))
    }
}
