//! Reports: the three report types (general sales report, sales trends, sales
//! recommendations), their parameters, and the values they produce.
//!
//! Plain Rust callable from GraphQL, the export routes and the assistant alike: [`run`] reads
//! the company's settings, gathers figures through `db::figures` (aggregated in SQL, periods cut
//! in the company's time zone by [`periods`]), converts currencies with the company's own rates
//! ([`rates`]), calls the `crm_ai` crate for forecasts, customer models, segments and
//! recommendations, and writes a plain-language [`summary`] in English and Russian.
//!
//! Rules every report keeps:
//! - only the statuses asked for count (completed by default); cancelled sales never count;
//! - money is integer minor units until it is shown; a figure that needs a missing exchange
//!   rate is left empty and the rate is listed in `missingRates`, never summed across currencies;
//! - model outputs (forecasts, probabilities) are floats, rounded to minor units when shown as
//!   money.
//!
//! It must not depend on `graphql` or `http`: report types derive their GraphQL shape here, as
//! the domain's enums do.

// Money and counts here never change type silently: no `as` conversions.
#![deny(clippy::as_conversions)]

pub mod export;
pub mod general;
pub mod jobs;
pub mod narrative;
pub mod periods;
pub mod rates;
pub mod recommendations;
pub mod saved;
pub mod scores;
pub mod summary;
pub mod trends;

use async_graphql::{ID, SimpleObject, Union};
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::db::{self, Db, figures};
use crate::domain::SaleStatus;
use crate::domain::money::{MinorUnits, Money};
use crate::error::{ApiError, ApiResult};
pub use periods::Granularity;

crate::domain::stored_as_text! {
    /// The three report types of the report screen.
    pub enum ReportKind {
        /// Key figures, top clients, breakdowns, comparison with the previous period, cohorts.
        General => "general",
        /// The revenue series, its forecast with intervals and accuracy, growth, seasonality.
        Trends => "trends",
        /// Segments, at-risk and likely-to-buy clients, actions with their evidence.
        Recommendations => "recommendations",
    }
}

/// Which sales a report counts.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, SimpleObject)]
#[graphql(name = "ReportFilters")]
pub struct Filters {
    /// Only these clients; all when empty.
    pub client_ids: Vec<ID>,
    /// Statuses that count; completed only when empty. Cancelled sales never count.
    pub statuses: Vec<SaleStatus>,
    /// Only sales in this ISO 4217 currency.
    pub currency: Option<String>,
    /// Smallest and largest sale amount, minor units, inclusive.
    pub amount_min: Option<MinorUnits>,
    pub amount_max: Option<MinorUnits>,
}

/// What a report is asked for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, SimpleObject)]
pub struct ReportParameters {
    pub kind: ReportKind,
    /// First day, inclusive, in the company's time zone.
    pub from: NaiveDate,
    /// Last day, inclusive, in the company's time zone.
    pub to: NaiveDate,
    pub granularity: Granularity,
    pub filters: Filters,
    /// Periods to forecast (trends report).
    pub horizon: i32,
}

/// Most clients a filter may name, and most periods a forecast may reach.
pub const MAX_FILTER_CLIENTS: usize = 1_000;
pub const MAX_HORIZON: i32 = 36;

/// A text in both interface languages.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, SimpleObject)]
pub struct LocalizedText {
    pub en: String,
    pub ru: String,
}

/// A currency whose rate to the base currency was needed and not found.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, SimpleObject)]
pub struct MissingRate {
    pub currency: String,
    /// The first date a rate was needed for.
    pub on: NaiveDate,
}

/// A client named in a report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, SimpleObject)]
pub struct ClientRef {
    pub id: ID,
    pub name: String,
}

/// The body of a report, one type per kind.
// One value per report, moved rarely: boxing the large variant would only add an allocation.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Union)]
pub enum ReportBody {
    General(general::GeneralReport),
    Trends(trends::TrendsReport),
    Recommendations(recommendations::RecommendationsReport),
}

/// A computed report: its parameters, the company settings it was cut with, the figures, and a
/// plain-language summary built from them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, SimpleObject)]
pub struct Report {
    pub parameters: ReportParameters,
    pub generated_at: DateTime<Utc>,
    /// IANA time zone the periods were cut in.
    pub time_zone: String,
    /// Currency of every converted figure.
    pub base_currency: String,
    /// A few sentences from the figures, in English and Russian (our templates; the assistant's
    /// checked words are in `narratives`).
    pub summary: LocalizedText,
    /// Rates that were needed and missing: figures depending on them are empty.
    pub missing_rates: Vec<MissingRate>,
    pub body: ReportBody,
    /// The assistant's checked words on the figures, at most one per language, cached once
    /// written (`reportNarrative`); empty until then.
    #[serde(default)]
    pub narratives: Vec<narrative::Narrative>,
}

/// The company settings a report needs.
pub(crate) struct Company {
    pub id: i64,
    pub time_zone: Tz,
    pub base_currency: String,
    /// The version of its sales and rates this was read at (`companies.data_version`).
    pub data_version: i64,
}

/// What a report builder works with: the company, the request, and where it records missing
/// rates and its progress.
pub(crate) struct Run<'a> {
    pub company: &'a Company,
    pub parameters: &'a ReportParameters,
    pub filter: &'a figures::Filter,
    pub rates: &'a rates::Rates,
    pub missing: &'a mut rates::Missing,
    pub progress: &'a mut jobs::Progress,
}

/// Checks `parameters` and turns the filters into the database's form.
///
/// # Errors
/// BAD_USER_INPUT naming the field: dates reversed or too many periods, a cancelled status,
/// an unknown currency, an amount range upside down, too many clients, a horizon out of range.
pub fn check(parameters: &ReportParameters) -> ApiResult<figures::Filter> {
    if parameters.from > parameters.to {
        return Err(ApiError::bad_input(
            "to",
            "the end date is before the start date",
        ));
    }
    use chrono::Datelike;
    if parameters.from.year() < 1900 || parameters.to.year() > 2200 {
        return Err(ApiError::bad_input(
            "from",
            "dates must be between the years 1900 and 2200",
        ));
    }
    if !(1..=MAX_HORIZON).contains(&parameters.horizon) {
        return Err(ApiError::bad_input(
            "horizon",
            format!("choose 1 to {MAX_HORIZON} periods"),
        ));
    }
    let f = &parameters.filters;
    if f.statuses.contains(&SaleStatus::Cancelled) {
        return Err(ApiError::bad_input(
            "filters.statuses",
            "cancelled sales never count in reports",
        ));
    }
    if f.client_ids.len() > MAX_FILTER_CLIENTS {
        return Err(ApiError::bad_input(
            "filters.clientIds",
            format!("at most {MAX_FILTER_CLIENTS} clients"),
        ));
    }
    let client_ids = f
        .client_ids
        .iter()
        .map(|id| {
            crate::domain::validate::id(id)
                .ok_or_else(|| ApiError::bad_input("filters.clientIds", "not a client id"))
        })
        .collect::<ApiResult<Vec<i64>>>()?;
    let currency = f
        .currency
        .as_deref()
        .map(|c| crate::domain::validate::currency_code("filters.currency", c))
        .transpose()?;
    if let (Some(min), Some(max)) = (f.amount_min, f.amount_max)
        && min > max
    {
        return Err(ApiError::bad_input(
            "filters.amountMax",
            "the largest amount is below the smallest",
        ));
    }
    let mut statuses = f.statuses.clone();
    if statuses.is_empty() {
        statuses.push(SaleStatus::Completed);
    }
    statuses.sort_by_key(|s| s.as_str());
    statuses.dedup();
    Ok(figures::Filter {
        statuses,
        client_ids,
        currency,
        amount_min: f.amount_min.map(|m| m.0),
        amount_max: f.amount_max.map(|m| m.0),
    })
}

/// Computes a report for `company_id`.
///
/// # Errors
/// BAD_USER_INPUT for bad parameters ([`check`], and a range with too many periods), NOT_FOUND
/// when the company is gone, UNAVAILABLE or INTERNAL from the database.
pub async fn run(db: &Db, company_id: i64, parameters: ReportParameters) -> ApiResult<Report> {
    run_with(db, company_id, parameters, &mut jobs::Progress::none()).await
}

/// [`run`], reporting its steps to `progress` (a job's), which may stop it.
pub async fn run_with(
    db: &Db,
    company_id: i64,
    parameters: ReportParameters,
    progress: &mut jobs::Progress,
) -> ApiResult<Report> {
    let filter = check(&parameters)?;
    let mut conn = db.read().await?;
    let company = company(&mut conn, company_id).await?;
    let rates = rates::Rates::new(
        &company.base_currency,
        db::exchange_rates::all(&mut conn, company_id).await?,
    );
    let mut missing = rates::Missing::default();
    let run = Run {
        company: &company,
        parameters: &parameters,
        filter: &filter,
        rates: &rates,
        missing: &mut missing,
        progress,
    };
    let base = company.base_currency.as_str();
    let (body, summary) = match parameters.kind {
        ReportKind::General => {
            let report = general::build(&mut conn, run).await?;
            let summary = summary::general(&parameters, base, &report);
            (ReportBody::General(report), summary)
        }
        ReportKind::Trends => {
            let report = trends::build(&mut conn, run).await?;
            let summary = summary::trends(&parameters, base, &report);
            (ReportBody::Trends(report), summary)
        }
        ReportKind::Recommendations => {
            let report = recommendations::build(&mut conn, run).await?;
            let summary = summary::recommendations(&parameters, base, &report);
            (ReportBody::Recommendations(report), summary)
        }
    };
    Ok(Report {
        parameters,
        generated_at: Utc::now(),
        time_zone: company.time_zone.name().to_owned(),
        base_currency: company.base_currency,
        summary,
        missing_rates: missing.into_list(),
        body,
        narratives: Vec::new(),
    })
}

/// The settings of `company_id` reports need; NOT_FOUND when it is gone.
pub(crate) async fn company(conn: &mut db::DbConn, company_id: i64) -> ApiResult<Company> {
    let row = db::companies::by_id(conn, company_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(Company {
        id: company_id,
        // A stored name the time-zone database no longer knows falls back to UTC, visibly.
        time_zone: row.time_zone.parse().unwrap_or(Tz::UTC),
        base_currency: row.base_currency,
        data_version: row.data_version,
    })
}

/// Money in `currency`, or `None` when the amount could not be had.
pub(crate) fn money(amount_minor: Option<i64>, currency: &str) -> Option<Money> {
    amount_minor.map(|a| Money::new(a, currency))
}

/// The sum of amounts in minor units, or `None` when it does not fit in i64 (the sentence or
/// fact that would show it is left out rather than show a wrapped number).
pub(crate) fn total_minor(amounts: impl IntoIterator<Item = i64>) -> Option<i64> {
    amounts.into_iter().try_fold(0_i64, i64::checked_add)
}

/// Percentage change from `before` to `now`; `None` when `before` is zero.
pub(crate) fn change_percent(now: f64, before: f64) -> Option<f64> {
    (before != 0.0).then(|| (now - before) / before.abs() * 100.0)
}

/// Whole days between two UTC instants, as a float (the customer models' time unit).
pub(crate) fn days_between(from: chrono::NaiveDateTime, to: chrono::NaiveDateTime) -> f64 {
    let seconds = (to - from).num_seconds();
    // Differences of realistic dates are far below 2^53 seconds: exact as f64.
    i32::try_from(seconds / 60)
        .map(f64::from)
        .unwrap_or(f64::MAX)
        / 1440.0
}

/// Minor units as the float the models use; exact below 2^53 (90 trillion in major units).
pub(crate) fn minor_to_f64(amount_minor: i64) -> f64 {
    // Both halves always fit their types; the fallbacks are never taken.
    let high = i32::try_from(amount_minor >> 32).unwrap_or(0);
    let low = u32::try_from(amount_minor & 0xFFFF_FFFF).unwrap_or(0);
    f64::from(high) * 4_294_967_296.0 + f64::from(low)
}

/// A model's money estimate rounded to minor units; `None` when it is not finite or too large.
pub(crate) fn f64_to_minor(value: f64) -> Option<i64> {
    let rounded = value.round();
    if !rounded.is_finite() || rounded.abs() > 9.0e15 {
        return None;
    }
    // In range and integral: the text round-trip is exact and needs no `as`.
    format!("{rounded:.0}").parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_conversions_are_exact_in_range() {
        for v in [
            0i64,
            1,
            99,
            2_097_151,
            2_097_152,
            123_456_789_012,
            -5,
            -2_097_153,
        ] {
            assert_eq!(f64_to_minor(minor_to_f64(v)), Some(v), "{v}");
        }
        assert_eq!(f64_to_minor(f64::NAN), None);
        assert_eq!(f64_to_minor(12.5), Some(13));
    }
}
