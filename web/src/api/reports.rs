//! Reports: run one from the builder's parameters, and the download address of its exports.
//!
//! The parameters travel as the builder's URL carries them (`ReportQuery`): the report type
//! (`general`, `trends`, `recommendations`), the dates (YYYY-MM-DD, both inclusive, in the
//! company's time zone), the granularity (`day`, `week`, `month`), an optional status and
//! currency, and the forecast horizon.

use dioxus::prelude::*;
use serde::{Deserialize, Serialize};

use crate::gql::{Report, SavedDetail, SavedPage, SharedDetail};

#[cfg(feature = "server")]
use {
    crate::api::ErrorCode,
    crate::forms::{form_day, one_of, optional},
    crate::gql::{self, Id},
    crate::server::executor::{context, error, execute, run_as_user, state},
    cynic::{MutationBuilder, QueryBuilder},
};

/// Saved reports per page of the list.
#[cfg(feature = "server")]
const SAVED_PAGE: i32 = 25;
/// Longest name of a saved report, in characters.
#[cfg(feature = "server")]
const NAME_MAX: usize = 200;

/// A report's parameters as the builder's address carries them; empty means the default.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReportQuery {
    pub kind: String,
    pub from: String,
    pub to: String,
    pub granularity: String,
    pub status: String,
    pub currency: String,
    pub horizon: String,
}

impl ReportQuery {
    /// Whether there is enough to run a report.
    pub fn is_complete(&self) -> bool {
        !self.kind.is_empty() && !self.from.is_empty() && !self.to.is_empty()
    }

    /// The address of this report's export in `format` (`pdf`, `csv`, `xlsx`) and `lang`: the
    /// API's export route, which the web server lets the session cookie open.
    pub fn export_url(&self, format: &str, lang: &str) -> String {
        let mut pairs = vec![
            ("kind", self.kind.to_lowercase()),
            ("from", self.from.clone()),
            ("to", self.to.clone()),
            ("format", format.to_owned()),
            ("lang", lang.to_owned()),
        ];
        if !self.granularity.is_empty() {
            pairs.push(("granularity", self.granularity.to_lowercase()));
        }
        if !self.status.is_empty() {
            pairs.push(("statuses", self.status.to_lowercase()));
        }
        if !self.currency.is_empty() {
            pairs.push(("currency", self.currency.to_uppercase()));
        }
        if !self.horizon.is_empty() {
            pairs.push(("horizon", self.horizon.clone()));
        }
        let query: Vec<String> = pairs
            .into_iter()
            .map(|(k, v)| format!("{k}={}", encode(&v)))
            .collect();
        format!("/reports/export?{}", query.join("&"))
    }
}

/// Percent-encodes a query value (RFC 3986 unreserved characters stay).
fn encode(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Runs a report now, as the signed-in user.
#[get("/api/report?kind&from&to&granularity&status&currency&horizon")]
pub async fn report(
    kind: String,
    from: String,
    to: String,
    granularity: String,
    status: String,
    currency: String,
    horizon: String,
) -> Result<Report, ServerFnError> {
    let q = ReportQuery {
        kind,
        from,
        to,
        granularity,
        status,
        currency,
        horizon,
    };
    run_as_user(gql::RunReport::build(gql::ReportVariables {
        input: input_of(&q)?,
    }))
    .await
    .map(|d| d.report)
}

/// The API's report input from the builder's parameters; coded errors name the field.
#[cfg(feature = "server")]
fn input_of(q: &ReportQuery) -> Result<gql::ReportInput, ServerFnError> {
    let ReportQuery {
        kind,
        from,
        to,
        granularity,
        status,
        currency,
        horizon,
    } = q;
    let required =
        |field: &str, message: &str| error(ErrorCode::BadUserInput, Some(field), message);
    let kind = one_of::<gql::ReportKind>("kind", &kind.trim().to_uppercase())?;
    let from = form_day("from", from)?.ok_or_else(|| required("from", "choose a start date"))?;
    let to = form_day("to", to)?.ok_or_else(|| required("to", "choose an end date"))?;
    let granularity = match granularity.trim() {
        "" => gql::Granularity::Month,
        g => one_of("granularity", &g.to_uppercase())?,
    };
    let statuses = match status.trim() {
        "" => Vec::new(),
        s => vec![one_of::<gql::SaleStatus>("status", &s.to_uppercase())?],
    };
    let horizon = match horizon.trim() {
        "" => 3,
        h => h
            .parse()
            .map_err(|_| required("horizon", "a whole number of periods"))?,
    };
    Ok(gql::ReportInput {
        kind,
        from: gql::NaiveDate(from.to_string()),
        to: gql::NaiveDate(to.to_string()),
        granularity,
        filters: Some(gql::ReportFiltersInput {
            client_ids: Vec::new(),
            statuses,
            currency: optional(currency).map(|c| c.to_uppercase()),
            amount_min: None,
            amount_max: None,
        }),
        horizon,
    })
}

/// Saves the report of `query` under `name` (parameters and a snapshot of the result); returns
/// the saved report's id.
#[post("/api/reports/save")]
pub async fn save_report(query: ReportQuery, name: String) -> Result<String, ServerFnError> {
    let name = saved_name(&name)?;
    let input = input_of(&query)?;
    run_as_user(gql::SaveReport::build(gql::SaveReportVariables {
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
#[get("/api/reports/saved?after")]
pub async fn saved_reports(after: String) -> Result<SavedPage, ServerFnError> {
    run_as_user(gql::SavedReports::build(gql::SavedReportsVariables {
        first: Some(SAVED_PAGE),
        after: optional(&after),
    }))
    .await
    .map(|d| d.saved_reports)
}

/// One saved report with its snapshot and links.
#[get("/api/reports/saved/one?id")]
pub async fn saved_report(id: String) -> Result<SavedDetail, ServerFnError> {
    run_as_user(gql::SavedReportQuery::build(gql::IdVariables {
        id: Id(id),
    }))
    .await
    .map(|d| d.saved_report)
}

#[post("/api/reports/saved/rename")]
pub async fn rename_saved(id: String, name: String) -> Result<(), ServerFnError> {
    let name = saved_name(&name)?;
    run_as_user(gql::RenameSaved::build(gql::RenameSavedVariables {
        id: Id(id),
        name,
    }))
    .await
    .map(|_| ())
}

#[post("/api/reports/saved/share")]
pub async fn share_saved(id: String, with_members: bool) -> Result<(), ServerFnError> {
    run_as_user(gql::ShareSaved::build(gql::ShareSavedVariables {
        id: Id(id),
        with_members,
    }))
    .await
    .map(|_| ())
}

#[post("/api/reports/saved/delete")]
pub async fn delete_saved(id: String) -> Result<(), ServerFnError> {
    run_as_user(gql::DeleteSaved::build(gql::IdVariables { id: Id(id) }))
        .await
        .map(|_| ())
}

/// A read-only link to a saved report, valid for `days` days; returns its token (shown once).
#[post("/api/reports/saved/link")]
pub async fn create_link(id: String, days: i32) -> Result<String, ServerFnError> {
    run_as_user(gql::CreateLink::build(gql::CreateLinkVariables {
        saved_report_id: Id(id),
        expires_in_days: days,
    }))
    .await
    .map(|d| d.create_report_link.token)
}

#[post("/api/reports/link/revoke")]
pub async fn revoke_link(id: String) -> Result<(), ServerFnError> {
    run_as_user(gql::RevokeLink::build(gql::IdVariables { id: Id(id) }))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_addresses_carry_the_parameters() {
        let q = ReportQuery {
            kind: "TRENDS".into(),
            from: "2026-01-01".into(),
            to: "2026-12-31".into(),
            granularity: "WEEK".into(),
            status: String::new(),
            currency: "rub".into(),
            horizon: "6".into(),
        };
        assert_eq!(
            q.export_url("pdf", "ru"),
            "/reports/export?kind=trends&from=2026-01-01&to=2026-12-31&format=pdf&lang=ru&granularity=week&currency=RUB&horizon=6"
        );
        assert_eq!(encode("a b&c"), "a%20b%26c");
    }
}
