//! The start screen: this month's figures against last month's, the trend, the top actions and
//! the latest sales.

use dioxus::prelude::*;

use crate::gql::{Dashboard, RecommendedAction, Report};

#[cfg(feature = "server")]
use {
    crate::gql,
    crate::server::executor::internal,
    crate::server::zone,
    chrono::{Datelike, Utc},
    cynic::QueryBuilder,
};

/// The current calendar month so far, in the company's time zone, the same days of last month
/// (as long as this month has run, capped at last month's end), and the five latest sales.
#[get("/api/dashboard", user: crate::server::CurrentUser)]
pub async fn dashboard() -> Result<Dashboard, ServerFnError> {
    let user = user.signed_in()?;
    let now = Utc::now();
    let today = now.with_timezone(&user.zone).date_naive();
    let first = today.with_day(1);
    let month_start = |d: Option<chrono::NaiveDate>| d.and_then(|d| zone::day_start(user.zone, d));
    let from = month_start(first);
    let previous_from =
        month_start(first.and_then(|f| f.checked_sub_months(chrono::Months::new(1))));
    let to = month_start(first.and_then(|f| f.checked_add_months(chrono::Months::new(1))));
    let (Some(from), Some(to), Some(previous_from)) = (from, to, previous_from) else {
        return Err(internal("bad month"));
    };
    let previous_to = (previous_from + (now - from)).min(from);
    user.run(gql::Dashboard::build(gql::PeriodVariables {
        from: from.into(),
        to: to.into(),
        previous_from: previous_from.into(),
        previous_to: previous_to.into(),
    }))
    .await
}

/// Recommended actions the start screen lists.
#[cfg(feature = "server")]
const TOP_ACTIONS: i32 = 3;

/// The company's three most valuable recommended actions (from the score cache).
#[get("/api/dashboard/actions", user: crate::server::CurrentUser)]
pub async fn top_actions() -> Result<Vec<RecommendedAction>, ServerFnError> {
    user.signed_in()?
        .run(gql::TopActions::build(gql::TopActionsVariables {
            first: TOP_ACTIONS,
        }))
        .await
        .map(|d| d.recommended_actions)
}

/// The start screen's trend: revenue by month over the last 12 months (this one included) with
/// a three-month forecast — the sales trends report of that range.
#[get("/api/dashboard/trend", user: crate::server::CurrentUser)]
pub async fn trend() -> Result<Report, ServerFnError> {
    let user = user.signed_in()?;
    let today = Utc::now().with_timezone(&user.zone).date_naive();
    let from = today
        .with_day(1)
        .and_then(|d| d.checked_sub_months(chrono::Months::new(11)))
        .ok_or_else(|| internal("bad month"))?;
    let input = gql::ReportInput {
        kind: gql::ReportKind::Trends,
        from: gql::NaiveDate(from.to_string()),
        to: gql::NaiveDate(today.to_string()),
        granularity: gql::Granularity::Month,
        filters: None,
        horizon: 3,
    };
    user.run(gql::RunReport::build(gql::ReportVariables { input }))
        .await
        .map(|d| d.report)
}
