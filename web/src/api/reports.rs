//! Reports: run one from the builder's parameters, and the download address of its exports.
//!
//! The parameters travel as the builder's URL carries them (`ReportQuery`): the report type
//! (`general`, `trends`, `recommendations`), the dates (YYYY-MM-DD, both inclusive, in the
//! company's time zone), the granularity (`day`, `week`, `month`), an optional status and
//! currency, and the forecast horizon.

use dioxus::prelude::*;
use serde::{Deserialize, Serialize};

use crate::gql::Report;

#[cfg(feature = "server")]
use {
    crate::api::ErrorCode,
    crate::forms::{form_day, one_of, optional},
    crate::gql,
    crate::server::executor::{error, run_as_user},
    cynic::QueryBuilder,
};

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
    let required =
        |field: &str, message: &str| error(ErrorCode::BadUserInput, Some(field), message);
    let kind = one_of::<gql::ReportKind>("kind", &kind.trim().to_uppercase())?;
    let from = form_day("from", &from)?.ok_or_else(|| required("from", "choose a start date"))?;
    let to = form_day("to", &to)?.ok_or_else(|| required("to", "choose an end date"))?;
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
    let input = gql::ReportInput {
        kind,
        from: gql::NaiveDate(from.to_string()),
        to: gql::NaiveDate(to.to_string()),
        granularity,
        filters: Some(gql::ReportFiltersInput {
            client_ids: Vec::new(),
            statuses,
            currency: optional(&currency).map(|c| c.to_uppercase()),
            amount_min: None,
            amount_max: None,
        }),
        horizon,
    };
    run_as_user(gql::RunReport::build(gql::ReportVariables { input }))
        .await
        .map(|d| d.report)
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
