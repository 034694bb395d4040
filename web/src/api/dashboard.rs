//! The start screen: this month's figures and the latest sales.

use dioxus::prelude::*;

use crate::gql::Dashboard;

#[cfg(feature = "server")]
use {
    crate::gql,
    crate::server::executor::{internal, run_as_user},
    chrono::{Datelike, TimeZone, Utc},
    cynic::QueryBuilder,
};

/// The current calendar month (UTC) and the five latest sales.
#[get("/api/dashboard")]
pub async fn dashboard() -> Result<Dashboard, ServerFnError> {
    let now = Utc::now();
    let from = Utc
        .with_ymd_and_hms(now.year(), now.month(), 1, 0, 0, 0)
        .single();
    let to = from.and_then(|f| f.checked_add_months(chrono::Months::new(1)));
    let (Some(from), Some(to)) = (from, to) else {
        return Err(internal("bad month"));
    };
    run_as_user(gql::Dashboard::build(gql::PeriodVariables {
        from: from.into(),
        to: to.into(),
    }))
    .await
}
