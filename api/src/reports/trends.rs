//! The sales trends report: revenue per period in the base currency, its forecast with 80% and
//! 95% intervals and the backtest accuracy that says how far to trust it, growth rates, and the
//! seasonality found.

use async_graphql::{Enum, SimpleObject};
use chrono::NaiveDate;
use crm_ai::forecast::{self, Method, Note, Options};
use serde::{Deserialize, Serialize};

use super::general::{bad_range, series};
use super::periods;
use super::{Run, f64_to_minor, minor_to_f64};
use crate::db::DbConn;
use crate::domain::money::Money;
use crate::error::ApiResult;

/// Backtest origins per forecast: each refits every candidate method.
const ORIGINS: usize = 4;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, SimpleObject)]
pub struct SeriesPoint {
    pub start: NaiveDate,
    /// The report's range covers only part of this period, or it is not over yet: it is shown,
    /// not forecast from.
    pub partial: bool,
    pub sales_count: i64,
    /// Empty when a rate is missing.
    pub revenue_in_base: Option<Money>,
    /// Against the period before, percent.
    pub growth_percent: Option<f64>,
    /// Against the same period a season earlier (a year for weeks and months, a week for days).
    pub growth_on_season_percent: Option<f64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Enum)]
pub enum ForecastMethod {
    Naive,
    SeasonalNaive,
    Theta,
    Ets,
    MstlEts,
    MstlEtsLog,
}

impl From<Method> for ForecastMethod {
    fn from(m: Method) -> Self {
        match m {
            Method::Naive => Self::Naive,
            Method::SeasonalNaive => Self::SeasonalNaive,
            Method::Theta => Self::Theta,
            Method::Ets => Self::Ets,
            Method::MstlEts => Self::MstlEts,
            Method::MstlEtsLog => Self::MstlEtsLog,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, SimpleObject)]
pub struct ForecastPoint {
    pub start: NaiveDate,
    pub value: Money,
    pub lower80: Money,
    pub upper80: Money,
    pub lower95: Money,
    pub upper95: Money,
}

/// Rolling-origin backtest accuracy (Hyndman & Athanasopoulos, FPP §5.10).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, SimpleObject)]
#[graphql(name = "ForecastAccuracy")]
pub struct Accuracy {
    /// Mean absolute scaled error; below 1 beats the naive forecast's in-sample error.
    pub mase: Option<f64>,
    /// The seasonal-naive baseline's MASE on the same origins.
    pub baseline_mase: Option<f64>,
    /// Share of held-out periods inside the 80% and 95% intervals, 0..=1.
    pub coverage80: f64,
    pub coverage95: f64,
    pub origins: i32,
    pub periods_held_out: i32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Enum)]
pub enum ForecastNoteKind {
    NoHistory,
    TooShortToForecast,
    AllZero,
    ShortForSeason,
    TooShortToBacktest,
    CandidateFailed,
    /// Partial periods at the ends of the range were left out of the model's history.
    PartialPeriodsLeftOut,
    /// A missing exchange rate left periods out of the model's history.
    MissingRates,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, SimpleObject)]
pub struct ForecastNote {
    pub kind: ForecastNoteKind,
    pub detail: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, SimpleObject)]
#[graphql(name = "RevenueForecast")]
pub struct Forecast {
    pub method: ForecastMethod,
    /// The ETS model's name (e.g. "AAdN") when an ETS method was chosen.
    pub model: Option<String>,
    pub points: Vec<ForecastPoint>,
    pub accuracy: Option<Accuracy>,
    pub notes: Vec<ForecastNote>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, SimpleObject)]
#[graphql(name = "SalesTrendsReport")]
pub struct TrendsReport {
    pub series: Vec<SeriesPoint>,
    pub forecast: Forecast,
    /// Periods per season the models looked for (7 days, 52 weeks, 12 months).
    pub season_length: i32,
    /// Strength of that season, 0..=1 (FPP §4.3); empty below two full seasons.
    pub seasonal_strength: Option<f64>,
    /// Growth of the whole range's last full period against its first, percent.
    pub growth_over_range_percent: Option<f64>,
}

pub(super) async fn build(conn: &mut DbConn, run: Run<'_>) -> ApiResult<TrendsReport> {
    let Run {
        company,
        parameters,
        filter,
        rates,
        missing,
        progress,
    } = run;
    let granularity = parameters.granularity;
    let cut = periods::cut(
        company.time_zone,
        parameters.from,
        parameters.to,
        granularity,
    )
    .map_err(bad_range)?;
    progress.step(5, "periods").await?;
    let data = series(conn, company, &cut, filter, rates, missing).await?;
    progress.step(40, "forecast").await?;
    let season = granularity.season_length();
    let revenue: Vec<Option<f64>> = data
        .periods
        .iter()
        .map(|p| {
            p.figures
                .revenue_in_base
                .as_ref()
                .map(|m| minor_to_f64(m.amount_minor))
        })
        .collect();
    let growth = |i: usize, lag: usize| -> Option<f64> {
        let now = (*revenue.get(i)?)?;
        let before = (*revenue.get(i.checked_sub(lag)?)?)?;
        super::change_percent(now, before)
    };
    let points: Vec<SeriesPoint> = data
        .periods
        .iter()
        .enumerate()
        .map(|(i, p)| SeriesPoint {
            start: p.start,
            partial: p.partial,
            sales_count: p.figures.sales_count,
            revenue_in_base: p.figures.revenue_in_base.clone(),
            growth_percent: growth(i, 1),
            growth_on_season_percent: growth(i, season),
        })
        .collect();

    // The model's history: full periods only, and none after a missing rate.
    let mut notes = Vec::new();
    let full: Vec<(NaiveDate, Option<f64>, i64)> = points
        .iter()
        .zip(&revenue)
        .filter(|(p, _)| !p.partial)
        .map(|(p, r)| (p.start, *r, p.sales_count))
        .collect();
    if full.len() < points.len() {
        notes.push(ForecastNote {
            kind: ForecastNoteKind::PartialPeriodsLeftOut,
            detail: format!(
                "{} partial period(s) at the ends of the range",
                points.len() - full.len()
            ),
        });
    }
    // A period without a rate has no base-currency revenue: the model learns only from the
    // periods after the last such one (never from a made-up zero).
    let usable_from = full
        .iter()
        .rposition(|(_, r, _)| r.is_none())
        .map_or(0, |i| i + 1);
    if usable_from > 0 {
        notes.push(ForecastNote {
            kind: ForecastNoteKind::MissingRates,
            detail: format!(
                "{usable_from} period(s) up to the last one without an exchange rate were left out"
            ),
        });
    }
    // Periods before the range's first sale are not history: the company (or the client the
    // report is filtered on) had not started selling, and zeros there would read as a collapse
    // and a season. The model starts at the first period with a sale; a range without any sale
    // keeps its zeros, and the forecast says they are all zero.
    let history_from = usable_from
        + full
            .iter()
            .skip(usable_from)
            .position(|(_, _, sales)| *sales > 0)
            .unwrap_or(0);
    let history: Vec<f64> = full
        .iter()
        .skip(history_from)
        .filter_map(|(_, r, _)| *r)
        .collect();
    let full: Vec<(NaiveDate, Option<f64>, i64)> = full.into_iter().skip(history_from).collect();
    let growth_over_range_percent = match (history.first(), history.last()) {
        (Some(first), Some(last)) if history.len() > 1 => super::change_percent(*last, *first),
        _ => None,
    };
    let horizon = usize::try_from(parameters.horizon).unwrap_or(1);
    let options = Options {
        season_length: season,
        horizon,
        max_origins: ORIGINS,
    };
    // The models are CPU work of up to a few hundred milliseconds: off the async runtime.
    let computed = tokio::task::spawn_blocking(move || forecast::forecast(&history, options))
        .await
        .map_err(|e| crate::error::ApiError::Internal(e.into()))?
        .map_err(|e| crate::error::ApiError::bad_input("horizon", e.to_string()))?;

    let base = &company.base_currency;
    let first_future = match full.last() {
        Some((last, _, _)) => granularity.next(*last),
        None => granularity.next(granularity.start_of(parameters.to)),
    };
    let mut future_start = first_future;
    let as_money = |v: f64| Money::new(f64_to_minor(v).unwrap_or(0), base);
    let mut forecast_points = Vec::with_capacity(computed.points.len());
    for p in &computed.points {
        let Some(start) = future_start else { break };
        forecast_points.push(ForecastPoint {
            start,
            value: as_money(p.value),
            lower80: as_money(p.lower80),
            upper80: as_money(p.upper80),
            lower95: as_money(p.lower95),
            upper95: as_money(p.upper95),
        });
        future_start = granularity.next(start);
    }
    notes.extend(computed.notes.iter().map(note));
    let accuracy = computed.accuracy.as_ref().map(|a| Accuracy {
        mase: a.mase,
        baseline_mase: computed.baseline.as_ref().and_then(|b| b.mase),
        coverage80: a.coverage80,
        coverage95: a.coverage95,
        origins: i32::try_from(a.origins).unwrap_or(i32::MAX),
        periods_held_out: i32::try_from(a.horizon).unwrap_or(i32::MAX),
    });
    Ok(TrendsReport {
        series: points,
        forecast: Forecast {
            method: computed.method.into(),
            model: computed.model.clone(),
            points: forecast_points,
            accuracy,
            notes,
        },
        season_length: i32::try_from(season).unwrap_or(i32::MAX),
        seasonal_strength: computed.seasonal_strength,
        growth_over_range_percent,
    })
}

fn note(n: &Note) -> ForecastNote {
    let (kind, detail) = match n {
        Note::NoHistory => (
            ForecastNoteKind::NoHistory,
            "no full periods in the range".to_owned(),
        ),
        Note::TooShortToForecast { have, need } => (
            ForecastNoteKind::TooShortToForecast,
            format!("{have} full period(s); at least {need} are needed"),
        ),
        Note::AllZero => (
            ForecastNoteKind::AllZero,
            "no revenue in any period".to_owned(),
        ),
        Note::ShortForSeason { have, need } => (
            ForecastNoteKind::ShortForSeason,
            format!("{have} periods; {need} (two seasons) are needed to model seasonality"),
        ),
        Note::TooShortToBacktest { have } => (
            ForecastNoteKind::TooShortToBacktest,
            format!("{have} periods are too few to test the forecast on held-out data"),
        ),
        Note::CandidateFailed { method, reason } => (
            ForecastNoteKind::CandidateFailed,
            format!("{method:?}: {reason}"),
        ),
    };
    ForecastNote { kind, detail }
}
