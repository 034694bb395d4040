//! The start screen: this month's figures against last month's, the trend, the top actions and
//! the latest sales.

use dioxus::prelude::*;

use crate::gql::{Dashboard, RecommendedAction, Report};

#[cfg(feature = "server")]
use {
    crate::gql,
    crate::server::executor::{internal, run_as_user},
    chrono::{Datelike, TimeZone, Utc},
    cynic::QueryBuilder,
};

/// The current calendar month (UTC) so far, the same days of last month (as many days as this
/// month has had, capped at last month's end), and the five latest sales.
#[get("/api/dashboard")]
pub async fn dashboard() -> Result<Dashboard, ServerFnError> {
    let now = Utc::now();
    let month = |year, month| Utc.with_ymd_and_hms(year, month, 1, 0, 0, 0).single();
    let from = month(now.year(), now.month());
    let previous_from = from.and_then(|f| f.checked_sub_months(chrono::Months::new(1)));
    let to = from.and_then(|f| f.checked_add_months(chrono::Months::new(1)));
    let (Some(from), Some(to), Some(previous_from)) = (from, to, previous_from) else {
        return Err(internal("bad month"));
    };
    let previous_to = (previous_from + (now - from)).min(from);
    run_as_user(gql::Dashboard::build(gql::PeriodVariables {
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
#[get("/api/dashboard/actions")]
pub async fn top_actions() -> Result<Vec<RecommendedAction>, ServerFnError> {
    run_as_user(gql::TopActions::build(gql::TopActionsVariables {
        first: TOP_ACTIONS,
    }))
    .await
    .map(|d| d.recommended_actions)
}

/// The start screen's trend: revenue by month over the last 12 months (this one included) with
/// a three-month forecast — the sales trends report of that range.
#[get("/api/dashboard/trend")]
pub async fn trend() -> Result<Report, ServerFnError> {
    let today = Utc::now().date_naive();
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
    run_as_user(gql::RunReport::build(gql::ReportVariables { input }))
        .await
        .map(|d| d.report)
}
