//! Reports: run one from the builder's parameters as a background job (its progress followed
//! and cancellable), the assistant's narrative on it as server-sent events, saved reports and
//! their read-only links.
//!
//! The parameters travel as the builder's URL carries them (`ReportQuery`): the report type
//! (`general`, `trends`, `recommendations`), the dates (YYYY-MM-DD, both inclusive, in the
//! company's time zone), the granularity (`day`, `week`, `month`), an optional status and
//! currency, a client search, an amount range in the chosen currency, and the forecast horizon.

use dioxus::fullstack::ServerEvents;
use dioxus::prelude::*;
use serde::{Deserialize, Serialize};

use crate::gql::{JobView, NamedClient, NarrativeEvent, SavedDetail, SavedPage, SharedDetail};

#[cfg(feature = "server")]
use {
    crate::api::ErrorCode,
    crate::forms::{form_day, one_of, optional, parse_amount},
    crate::gql::{self, Id},
    crate::server::executor::{SignedIn, context, error, execute, state},
    cynic::{MutationBuilder, QueryBuilder, SubscriptionBuilder},
    futures::StreamExt,
    std::time::Duration,
};

/// Saved reports per page of the list.
#[cfg(feature = "server")]
const SAVED_PAGE: i32 = 25;
/// Longest name of a saved report, in characters.
#[cfg(feature = "server")]
const NAME_MAX: usize = 200;
/// Most clients a client search may select for a report (one page of the clients list).
#[cfg(feature = "server")]
const SEARCH_CLIENTS: i32 = 100;
/// How long starting a report waits for it to finish before the page shows its progress.
#[cfg(feature = "server")]
const WAIT_FOR_REPORT: Duration = Duration::from_secs(2);

/// A report's parameters as the builder's address carries them; empty (or absent) means the
/// default.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReportQuery {
    pub kind: String,
    pub from: String,
    pub to: String,
    pub granularity: String,
    pub status: String,
    pub currency: String,
    /// Clients whose name, e-mail or phone matches (at most 100 of them).
    pub client: String,
    /// Smallest and largest sale amount, in the chosen currency ("1 240,50").
    pub min: String,
    pub max: String,
    pub horizon: String,
}

impl ReportQuery {
    /// Whether there is enough to run a report.
    pub fn is_complete(&self) -> bool {
        !self.kind.is_empty() && !self.from.is_empty() && !self.to.is_empty()
    }
}

/// Today in the company's time zone (YYYY-MM-DD): the day the builder's quick periods ("this
/// month", "last quarter") count from, whatever the browser's clock and zone.
#[get("/api/report/today", user: crate::server::CurrentUser)]
// The user comes from the extractor: the body has nothing to await.
#[allow(clippy::unused_async)]
pub async fn company_today() -> Result<String, ServerFnError> {
    let user = user.signed_in()?;
    Ok(chrono::Utc::now()
        .with_timezone(&user.zone)
        .date_naive()
        .to_string())
}

/// A report started from the builder: its job (with the report when it finished quickly) and
/// the clients the client search selected.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StartedReport {
    pub job: JobView,
    pub clients: Vec<NamedClient>,
}

/// Starts the report as a background job of the signed-in user's company and waits up to two
/// seconds for it: a quick report comes back done, a long one running (follow it with
/// [`report_progress`], stop it with [`cancel_report`]).
///
/// Errors: BAD_USER_INPUT naming the field (`kind`, `from`, `to`, `granularity`, `status`,
/// `client` — nothing or more than 100 clients match —, `min`, `max`, `horizon`), or when the
/// company already runs four reports.
#[post("/api/report/start", user: crate::server::CurrentUser)]
pub async fn start_report(query: ReportQuery) -> Result<StartedReport, ServerFnError> {
    let (input, clients) = resolved_input(user.signed_in()?, &query).await?;
    let started = user
        .signed_in()?
        .run(gql::StartReport::build(gql::ReportVariables { input }))
        .await?;
    let mut job = started.start_report;
    let id = job.id.0.clone();
    let mut changes = std::pin::pin!(job_changes(user.signed_in()?, id)?);
    let deadline = tokio::time::sleep(WAIT_FOR_REPORT);
    tokio::pin!(deadline);
    while job.state == gql::JobState::Running {
        tokio::select! {
            next = changes.next() => match next {
                Some(Ok(j)) => job = j,
                Some(Err(e)) => return Err(e),
                None => break,
            },
            () = &mut deadline => break,
        }
    }
    Ok(StartedReport { job, clients })
}

/// A job's changes as the API's `reportJobChanged` subscription sends them: the job as it
/// stands, then after each step, ending once it is done, failed or cancelled.
#[cfg(feature = "server")]
fn job_changes(
    user: &SignedIn,
    id: String,
) -> Result<
    impl futures::Stream<Item = Result<JobView, ServerFnError>> + Send + 'static,
    ServerFnError,
> {
    let operation = gql::ReportJobChanged::build(gql::IdVariables { id: Id(id) });
    Ok(user
        .subscribe(operation)
        .map(|r| r.map(|d| d.report_job_changed)))
}

/// The running report's progress, as server-sent events: the job as it stands, then after
/// each step, ending once it is done (the last event carries the report), failed or cancelled.
#[get("/api/report/progress?id", user: crate::server::CurrentUser)]
// The user comes from the extractor: the body has nothing to await.
#[allow(clippy::unused_async)]
pub async fn report_progress(id: String) -> Result<ServerEvents<JobView>, ServerFnError> {
    let changes = job_changes(user.signed_in()?, id)?.filter_map(|r| async move {
        match r {
            Ok(job) => Some(Ok::<_, axum::BoxError>(job)),
            Err(e) => {
                tracing::warn!("report progress: {e}");
                None
            }
        }
    });
    Ok(ServerEvents::from_stream(changes))
}

/// The assistant's narrative on a done report job (`job`) or a saved report (`saved`), in
/// `lang` (`en`, `ru`), as server-sent events: the cached narrative at once, else checked
/// sentences as the model writes them, then the narrative as stored; or one event saying why
/// none can be written now. An error (another company's report, a job not done) arrives as a
/// `FAILED` event.
#[get("/api/report/narrative?job&saved&lang", user: crate::server::CurrentUser)]
// The user comes from the extractor: the body has nothing to await.
#[allow(clippy::unused_async)]
pub async fn report_narrative(
    job: String,
    saved: String,
    lang: String,
) -> Result<ServerEvents<NarrativeEvent>, ServerFnError> {
    let user = user.signed_in()?;
    let id = |s: String| (!s.is_empty()).then_some(Id(s));
    let language = if lang == "ru" {
        gql::Language::Ru
    } else {
        gql::Language::En
    };
    let operation = gql::ReportNarrative::build(gql::NarrativeVariables {
        job_id: id(job),
        saved_report_id: id(saved),
        language,
    });
    let events = user.subscribe(operation).map(|r| {
        Ok::<_, axum::BoxError>(match r {
            Ok(d) => d.report_narrative,
            Err(e) => {
                tracing::warn!("report narrative: {e}");
                NarrativeEvent {
                    delta: String::new(),
                    narrative: None,
                    unavailable: Some(gql::NarrativeUnavailable::Failed),
                }
            }
        })
    });
    Ok(ServerEvents::from_stream(events))
}

/// Cancels a running report of the company; it stops at its next step.
#[post("/api/report/cancel", user: crate::server::CurrentUser)]
pub async fn cancel_report(id: String) -> Result<JobView, ServerFnError> {
    user.signed_in()?
        .run(gql::CancelReportJob::build(gql::IdVariables { id: Id(id) }))
        .await
        .map(|d| d.cancel_report_job)
}

/// The API's report input from the builder's parameters, with the clients its client search
/// selected (their ids in the input's filter).
#[cfg(feature = "server")]
async fn resolved_input(
    user: &SignedIn,
    q: &ReportQuery,
) -> Result<(gql::ReportInput, Vec<NamedClient>), ServerFnError> {
    let clients = search_clients(user, &q.client).await?;
    let ids = clients.iter().map(|c| c.id.clone()).collect();
    Ok((input_of(q, ids)?, clients))
}

/// The clients a report's client search selects: none for an empty search.
///
/// Errors: BAD_USER_INPUT on `client` when nothing or more than [`SEARCH_CLIENTS`] match.
#[cfg(feature = "server")]
async fn search_clients(user: &SignedIn, search: &str) -> Result<Vec<NamedClient>, ServerFnError> {
    let Some(search) = optional(search) else {
        return Ok(Vec::new());
    };
    let variables = gql::ClientsVariables {
        first: Some(SEARCH_CLIENTS),
        after: None,
        filter: Some(gql::ClientFilterInput {
            search: Some(search.clone()),
            ..Default::default()
        }),
        sort: Some(gql::ClientSortInput {
            field: gql::ClientSortField::Name,
            direction: gql::SortDirection::Asc,
        }),
    };
    let page = user.run(gql::Clients::build(variables)).await?.clients;
    if page.edges.is_empty() {
        return Err(error(
            ErrorCode::BadUserInput,
            Some("client"),
            &format!("no client matches “{search}”"),
        ));
    }
    if page.page_info.has_next_page {
        return Err(error(
            ErrorCode::BadUserInput,
            Some("client"),
            &format!(
                "{} clients match; narrow the search to at most {SEARCH_CLIENTS}",
                page.total_count
            ),
        ));
    }
    Ok(page
        .edges
        .into_iter()
        .map(|e| NamedClient {
            id: e.node.id,
            name: e.node.name,
        })
        .collect())
}

/// The API's report input from the builder's parameters and the selected clients; coded
/// errors name the field.
#[cfg(feature = "server")]
fn input_of(q: &ReportQuery, client_ids: Vec<Id>) -> Result<gql::ReportInput, ServerFnError> {
    let required =
        |field: &str, message: &str| error(ErrorCode::BadUserInput, Some(field), message);
    let kind = one_of::<gql::ReportKind>("kind", &q.kind.trim().to_uppercase())?;
    let from = form_day("from", &q.from)?.ok_or_else(|| required("from", "choose a start date"))?;
    let to = form_day("to", &q.to)?.ok_or_else(|| required("to", "choose an end date"))?;
    let granularity = match q.granularity.trim() {
        "" => gql::Granularity::Month,
        g => one_of("granularity", &g.to_uppercase())?,
    };
    let statuses = match q.status.trim() {
        "" => Vec::new(),
        s => vec![one_of::<gql::SaleStatus>("status", &s.to_uppercase())?],
    };
    let horizon = match q.horizon.trim() {
        "" => 3,
        h => h
            .parse()
            .map_err(|_| required("horizon", "a whole number of periods"))?,
    };
    let currency = optional(&q.currency).map(|c| c.to_uppercase());
    let amount = |field: &str, text: &str| -> Result<Option<gql::Minor>, ServerFnError> {
        let Some(text) = optional(text) else {
            return Ok(None);
        };
        let Some(currency) = &currency else {
            return Err(required(field, "choose a currency to filter by amount"));
        };
        parse_amount(&text, currency)
            .map(|m| Some(gql::Minor(m)))
            .map_err(|e| required(field, &e))
    };
    let (amount_min, amount_max) = (amount("min", &q.min)?, amount("max", &q.max)?);
    if let (Some(lo), Some(hi)) = (&amount_min, &amount_max)
        && lo.0 > hi.0
    {
        return Err(required("max", "the largest amount is below the smallest"));
    }
    Ok(gql::ReportInput {
        kind,
        from: gql::NaiveDate(from.to_string()),
        to: gql::NaiveDate(to.to_string()),
        granularity,
        filters: Some(gql::ReportFiltersInput {
            client_ids,
            statuses,
            currency,
            amount_min,
            amount_max,
        }),
        horizon,
    })
}

/// Saves the report of `query` under `name` (parameters and a snapshot of the result); returns
/// the saved report's id.
#[post("/api/reports/save", user: crate::server::CurrentUser)]
pub async fn save_report(query: ReportQuery, name: String) -> Result<String, ServerFnError> {
    let name = saved_name(&name)?;
    let (input, _) = resolved_input(user.signed_in()?, &query).await?;
    user.signed_in()?
        .run(gql::SaveReport::build(gql::SaveReportVariables {
            name,
            input,
        }))
        .await
        .map(|d| d.save_report.id.0)
}

#[cfg(feature = "server")]
fn saved_name(name: &str) -> Result<String, ServerFnError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > NAME_MAX {
        return Err(error(
            ErrorCode::BadUserInput,
            Some("name"),
            "a name of 1 to 200 characters",
        ));
    }
    Ok(name.to_owned())
}

/// One page of the saved reports the user may see, most recently changed first.
#[get("/api/reports/saved?after", user: crate::server::CurrentUser)]
pub async fn saved_reports(after: String) -> Result<SavedPage, ServerFnError> {
    user.signed_in()?
        .run(gql::SavedReports::build(gql::SavedReportsVariables {
            first: Some(SAVED_PAGE),
            after: optional(&after),
        }))
        .await
        .map(|d| d.saved_reports)
}

/// One saved report with its snapshot and links.
#[get("/api/reports/saved/one?id", user: crate::server::CurrentUser)]
pub async fn saved_report(id: String) -> Result<SavedDetail, ServerFnError> {
    user.signed_in()?
        .run(gql::SavedReportQuery::build(gql::IdVariables {
            id: Id(id),
        }))
        .await
        .map(|d| d.saved_report)
}

#[post("/api/reports/saved/rename", user: crate::server::CurrentUser)]
pub async fn rename_saved(id: String, name: String) -> Result<(), ServerFnError> {
    let name = saved_name(&name)?;
    user.signed_in()?
        .run(gql::RenameSaved::build(gql::RenameSavedVariables {
            id: Id(id),
            name,
        }))
        .await
        .map(|_| ())
}

#[post("/api/reports/saved/share", user: crate::server::CurrentUser)]
pub async fn share_saved(id: String, with_members: bool) -> Result<(), ServerFnError> {
    user.signed_in()?
        .run(gql::ShareSaved::build(gql::ShareSavedVariables {
            id: Id(id),
            with_members,
        }))
        .await
        .map(|_| ())
}

#[post("/api/reports/saved/delete", user: crate::server::CurrentUser)]
pub async fn delete_saved(id: String) -> Result<(), ServerFnError> {
    user.signed_in()?
        .run(gql::DeleteSaved::build(gql::IdVariables { id: Id(id) }))
        .await
        .map(|_| ())
}

/// A read-only link to a saved report, valid for `days` days; returns its token (shown once).
#[post("/api/reports/saved/link", user: crate::server::CurrentUser)]
pub async fn create_link(id: String, days: i32) -> Result<String, ServerFnError> {
    user.signed_in()?
        .run(gql::CreateLink::build(gql::CreateLinkVariables {
            saved_report_id: Id(id),
            expires_in_days: days,
        }))
        .await
        .map(|d| d.create_report_link.token)
}

#[post("/api/reports/link/revoke", user: crate::server::CurrentUser)]
pub async fn revoke_link(id: String) -> Result<(), ServerFnError> {
    user.signed_in()?
        .run(gql::RevokeLink::build(gql::IdVariables { id: Id(id) }))
        .await
        .map(|_| ())
}

/// The snapshot a read-only link shows, for anyone holding it (no session needed).
#[get("/api/shared?token")]
pub async fn shared_report(token: String) -> Result<SharedDetail, ServerFnError> {
    let ctx = context()?;
    let st = state(&ctx)?;
    let op = gql::SharedReportQuery::build(gql::TokenVariables { token });
    execute(&ctx, &st.api, crm_api::auth::Principal::Anonymous, op)
        .await
        .map(|d| d.shared_report)
}
