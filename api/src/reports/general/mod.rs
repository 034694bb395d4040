//! The general sales report: key figures with the previous period beside them, the figures per
//! period, top clients, breakdowns by status and currency, RFM segments and monthly cohort
//! retention.

use std::collections::{BTreeMap, HashMap};

use async_graphql::{ID, SimpleObject};
use chrono::{NaiveDate, NaiveDateTime};
use crm_ai::segments::{self, CohortCounts, RfmInput};
use serde::{Deserialize, Serialize};

use super::periods::{self, Granularity, Period};
use super::rates::{Missing, Rates};
use super::{ClientRef, Company, Run, change_percent, minor_to_f64, money};
use crate::db::figures::{self, Bounds, Filter};
use crate::db::{self, DbConn};
use crate::domain::SaleStatus;
use crate::domain::money::Money;
use crate::error::{ApiError, ApiResult};

/// How many top clients the report lists.
pub const TOP_CLIENTS: usize = 10;

/// Key figures of a range or a period.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, SimpleObject)]
pub struct Figures {
    pub sales_count: i64,
    /// Revenue per currency.
    pub revenue: Vec<Money>,
    /// Revenue in the base currency; empty when a rate is missing.
    pub revenue_in_base: Option<Money>,
    /// Revenue in the base currency per sale.
    pub average_order_value: Option<Money>,
    /// Distinct clients who bought.
    pub buyers: i64,
    /// Buyers whose first counted purchase ever was in this range.
    pub new_buyers: i64,
    pub returning_buyers: i64,
}

/// Change against the previous period of the same length, in percent; empty where the previous
/// figure is zero or missing.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, SimpleObject)]
pub struct Change {
    pub revenue_percent: Option<f64>,
    pub sales_count_percent: Option<f64>,
    pub buyers_percent: Option<f64>,
    pub average_order_value_percent: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, SimpleObject)]
pub struct PeriodFigures {
    /// First day of the period.
    pub start: NaiveDate,
    /// The report's range covers only part of this period, or the period is not over yet.
    pub partial: bool,
    pub figures: Figures,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, SimpleObject)]
pub struct TopClient {
    pub client: ClientRef,
    pub sales_count: i64,
    /// In the base currency, at the rates of the range's first day.
    pub revenue_in_base: Option<Money>,
    pub revenue: Vec<Money>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, SimpleObject)]
pub struct StatusFigures {
    pub status: SaleStatus,
    pub sales_count: i64,
    pub amounts: Vec<Money>,
    /// Whether sales of this status count in the report's figures.
    pub counted: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, SimpleObject)]
pub struct CurrencyFigures {
    pub currency: String,
    pub sales_count: i64,
    pub revenue: Money,
    /// Converted period by period, as the totals.
    pub revenue_in_base: Option<Money>,
    /// Share of the revenue in the base currency, 0..=100.
    pub share_percent: Option<f64>,
}

/// RFM segments (a name the web UI translates) with their clients and lifetime revenue.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    async_graphql::Enum,
)]
pub enum RfmSegment {
    Champions,
    Loyal,
    PotentialLoyalists,
    NewCustomers,
    Promising,
    NeedAttention,
    AboutToSleep,
    AtRisk,
    CantLose,
    Hibernating,
}

impl From<segments::Segment> for RfmSegment {
    fn from(s: segments::Segment) -> Self {
        use segments::Segment as S;
        match s {
            S::Champions => Self::Champions,
            S::Loyal => Self::Loyal,
            S::PotentialLoyalists => Self::PotentialLoyalists,
            S::NewCustomers => Self::NewCustomers,
            S::Promising => Self::Promising,
            S::NeedAttention => Self::NeedAttention,
            S::AboutToSleep => Self::AboutToSleep,
            S::AtRisk => Self::AtRisk,
            S::CantLose => Self::CantLose,
            S::Hibernating => Self::Hibernating,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, SimpleObject)]
pub struct SegmentFigures {
    pub segment: RfmSegment,
    pub clients: i64,
    /// Their revenue up to the report's end, in the base currency; empty when a rate is missing.
    pub revenue_in_base: Option<Money>,
}

/// One monthly cohort: clients whose first counted purchase was in that month.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, SimpleObject)]
pub struct Cohort {
    pub month: NaiveDate,
    pub clients: i64,
    /// Share of the cohort that bought k months later (k = 0 is 1), 0..=1.
    pub retention: Vec<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, SimpleObject)]
#[graphql(name = "GeneralSalesReport")]
pub struct GeneralReport {
    pub totals: Figures,
    pub previous_from: NaiveDate,
    pub previous_to: NaiveDate,
    pub previous: Figures,
    pub change: Change,
    pub periods: Vec<PeriodFigures>,
    pub top_clients: Vec<TopClient>,
    pub by_status: Vec<StatusFigures>,
    pub by_currency: Vec<CurrencyFigures>,
    pub segments: Vec<SegmentFigures>,
    pub cohorts: Vec<Cohort>,
    /// Size-weighted mean retention per month offset over the cohorts.
    pub mean_retention: Vec<f64>,
}

pub(super) fn bad_range(e: periods::PeriodError) -> ApiError {
    ApiError::bad_input("to", e.to_string())
}

/// Figures per period from the two per-period queries.
pub(super) struct Series {
    pub periods: Vec<PeriodFigures>,
    /// Sales, revenue and revenue in the base currency (converted period by period; `None`
    /// when a rate is missing) per currency over all periods.
    pub revenue: BTreeMap<String, (i64, i64, Option<i64>)>,
    /// Sum of the periods' base revenue; `None` if one is missing.
    pub revenue_in_base: Option<i64>,
}

pub(super) async fn series(
    conn: &mut DbConn,
    company: &Company,
    periods: &[Period],
    filter: &Filter,
    rates: &Rates,
    missing: &mut Missing,
) -> ApiResult<Series> {
    let bounds: Vec<Bounds> = periods.iter().map(|p| p.bounds).collect();
    let per_currency = figures::by_period_and_currency(conn, company.id, &bounds, filter).await?;
    let per_buyers = figures::buyers_by_period(conn, company.id, &bounds, filter).await?;
    let mut out = Series {
        periods: Vec::with_capacity(periods.len()),
        revenue: BTreeMap::new(),
        revenue_in_base: Some(0),
    };
    let now = chrono::Utc::now().naive_utc();
    for (i, period) in periods.iter().enumerate() {
        let idx = i64::try_from(i).unwrap_or(i64::MAX);
        let rows: Vec<&figures::PeriodCurrency> =
            per_currency.iter().filter(|r| r.idx == idx).collect();
        let buyers = per_buyers.iter().find(|r| r.idx == idx);
        // A period's sales convert at the rate of the first day it covers.
        let mut in_base = Some(0i64);
        for r in &rows {
            let converted = rates.to_base(r.revenue_minor, &r.currency, period.first_day, missing);
            let entry = out
                .revenue
                .entry(r.currency.clone())
                .or_insert((0, 0, Some(0)));
            entry.0 = entry.0.saturating_add(r.sales);
            entry.1 = entry.1.saturating_add(r.revenue_minor);
            entry.2 = add(entry.2, converted);
            in_base = add(in_base, converted);
        }
        out.revenue_in_base = match (out.revenue_in_base, in_base) {
            (Some(a), Some(b)) => a.checked_add(b),
            _ => None,
        };
        let revenue = rows
            .iter()
            .map(|r| Money::new(r.revenue_minor, &r.currency))
            .collect();
        out.periods.push(PeriodFigures {
            start: period.start,
            // Cut by the range, or not over yet.
            partial: period.partial || period.bounds.end > now,
            figures: figures_of(buyers, revenue, in_base, &company.base_currency),
        });
    }
    Ok(out)
}

/// A sum that stays empty once a part is missing (or it would overflow).
fn add(sum: Option<i64>, part: Option<i64>) -> Option<i64> {
    sum?.checked_add(part?)
}

fn figures_of(
    buyers: Option<&figures::PeriodBuyers>,
    revenue: Vec<Money>,
    in_base: Option<i64>,
    base: &str,
) -> Figures {
    let (sales, buyers, new_buyers) = buyers
        .map(|b| (b.sales, b.buyers, b.new_buyers))
        .unwrap_or_default();
    Figures {
        sales_count: sales,
        revenue,
        revenue_in_base: money(in_base, base),
        average_order_value: money(
            in_base.and_then(|r| (sales > 0).then(|| (r + sales / 2) / sales)),
            base,
        ),
        buyers,
        new_buyers,
        returning_buyers: buyers - new_buyers,
    }
}

/// Totals of a range: revenue from its periods, buyers counted once over the whole range.
async fn totals(
    conn: &mut DbConn,
    company: &Company,
    range: Bounds,
    series: &Series,
    filter: &Filter,
) -> ApiResult<Figures> {
    let buyers = figures::buyers_by_period(conn, company.id, &[range], filter).await?;
    let revenue = series
        .revenue
        .iter()
        .map(|(c, (_, amount, _))| Money::new(*amount, c))
        .collect();
    Ok(figures_of(
        buyers.first(),
        revenue,
        series.revenue_in_base,
        &company.base_currency,
    ))
}

pub(super) async fn build(conn: &mut DbConn, run: Run<'_>) -> ApiResult<GeneralReport> {
    let Run {
        company,
        parameters,
        filter,
        rates,
        missing,
        progress,
    } = run;
    let tz = company.time_zone;
    let (from, to) = (parameters.from, parameters.to);
    let cut = periods::cut(tz, from, to, parameters.granularity).map_err(bad_range)?;
    let range = periods::range(tz, from, to).map_err(bad_range)?;
    let (previous_from, previous_to) = periods::previous(from, to)
        .ok_or_else(|| ApiError::bad_input("from", "the date is out of range"))?;
    let previous_cut =
        periods::cut(tz, previous_from, previous_to, parameters.granularity).map_err(bad_range)?;
    let previous_range = periods::range(tz, previous_from, previous_to).map_err(bad_range)?;

    progress.step(5, "periods").await?;
    let current = series(conn, company, &cut, filter, rates, missing).await?;
    progress.step(20, "previous period").await?;
    let before = series(
        conn,
        company,
        &previous_cut,
        filter,
        rates,
        &mut Missing::default(),
    )
    .await?;
    progress.step(35, "totals").await?;
    let totals_now = totals(conn, company, range, &current, filter).await?;
    let totals_before = totals(conn, company, previous_range, &before, filter).await?;
    let amount = |f: &Figures, pick: fn(&Figures) -> Option<&Money>| {
        pick(f).map(|m| minor_to_f64(m.amount_minor))
    };
    let change = Change {
        revenue_percent: match (
            amount(&totals_now, |f| f.revenue_in_base.as_ref()),
            amount(&totals_before, |f| f.revenue_in_base.as_ref()),
        ) {
            (Some(now), Some(before)) => change_percent(now, before),
            _ => None,
        },
        sales_count_percent: change_percent(
            count(totals_now.sales_count),
            count(totals_before.sales_count),
        ),
        buyers_percent: change_percent(count(totals_now.buyers), count(totals_before.buyers)),
        average_order_value_percent: match (
            amount(&totals_now, |f| f.average_order_value.as_ref()),
            amount(&totals_before, |f| f.average_order_value.as_ref()),
        ) {
            (Some(now), Some(before)) => change_percent(now, before),
            _ => None,
        },
    };

    let by_currency = by_currency(&current, &company.base_currency);
    progress.step(50, "top clients").await?;
    let top_clients = top_clients(conn, company, range, filter, rates, from, missing).await?;
    let by_status = by_status(conn, company, range, filter).await?;
    progress.step(65, "segments").await?;
    // Recency is measured up to now when the range reaches into the future.
    let until = range.end.min(chrono::Utc::now().naive_utc());
    let segments = rfm_segments(conn, company, until, to, filter, rates, missing)
        .await?
        .0;
    progress.step(85, "cohorts").await?;
    let (cohorts, mean_retention) = cohorts(conn, company, from, to, filter).await?;

    Ok(GeneralReport {
        totals: totals_now,
        previous_from,
        previous_to,
        previous: totals_before,
        change,
        periods: current.periods,
        top_clients,
        by_status,
        by_currency,
        segments,
        cohorts,
        mean_retention,
    })
}

/// A count as the float a percentage needs (exact below 2^53).
pub(super) fn count(n: i64) -> f64 {
    minor_to_f64(n)
}

/// Per currency, with the base-currency amounts converted period by period, as the totals are.
fn by_currency(series: &Series, base: &str) -> Vec<CurrencyFigures> {
    let total = series
        .revenue
        .values()
        .try_fold(0i64, |sum, row| sum.checked_add(row.2?));
    series
        .revenue
        .iter()
        .map(|(currency, (sales, amount, in_base))| CurrencyFigures {
            revenue: Money::new(*amount, currency),
            currency: currency.clone(),
            sales_count: *sales,
            revenue_in_base: money(*in_base, base),
            share_percent: match (in_base, total) {
                (Some(part), Some(all)) if all > 0 => {
                    Some(minor_to_f64(*part) / minor_to_f64(all) * 100.0)
                }
                _ => None,
            },
        })
        .collect()
}

/// Per client over `range`: sales count, revenue per currency and in the base currency.
pub(super) struct ClientRevenue {
    pub sales: i64,
    pub revenue: Vec<Money>,
    pub in_base: Option<i64>,
}

pub(super) async fn revenue_by_client(
    conn: &mut DbConn,
    company: &Company,
    range: Bounds,
    filter: &Filter,
    rates: &Rates,
    on: NaiveDate,
    missing: &mut Missing,
) -> ApiResult<HashMap<i64, ClientRevenue>> {
    let rows = figures::by_client(conn, company.id, range, filter).await?;
    let mut out: HashMap<i64, ClientRevenue> = HashMap::new();
    for row in rows {
        let converted = rates.to_base(row.revenue_minor, &row.currency, on, missing);
        let entry = out.entry(row.client_id).or_insert(ClientRevenue {
            sales: 0,
            revenue: Vec::new(),
            in_base: Some(0),
        });
        entry.sales += row.sales;
        entry
            .revenue
            .push(Money::new(row.revenue_minor, &row.currency));
        entry.in_base = match (entry.in_base, converted) {
            (Some(a), Some(b)) => a.checked_add(b),
            _ => None,
        };
    }
    Ok(out)
}

pub(super) async fn client_names(
    conn: &mut DbConn,
    company_id: i64,
    ids: &[i64],
) -> ApiResult<HashMap<i64, String>> {
    let clients = db::clients::by_ids(conn, company_id, ids).await?;
    Ok(clients.into_iter().map(|c| (c.id, c.name)).collect())
}

pub(super) fn client_ref(id: i64, names: &HashMap<i64, String>) -> ClientRef {
    ClientRef {
        id: ID(id.to_string()),
        name: names.get(&id).cloned().unwrap_or_default(),
    }
}

async fn top_clients(
    conn: &mut DbConn,
    company: &Company,
    range: Bounds,
    filter: &Filter,
    rates: &Rates,
    on: NaiveDate,
    missing: &mut Missing,
) -> ApiResult<Vec<TopClient>> {
    let by_client = revenue_by_client(conn, company, range, filter, rates, on, missing).await?;
    let mut ranked: Vec<(i64, ClientRevenue)> = by_client.into_iter().collect();
    // Highest base revenue first; clients whose revenue cannot be converted after them, by sales.
    ranked.sort_by(|a, b| {
        b.1.in_base
            .cmp(&a.1.in_base)
            .then(b.1.sales.cmp(&a.1.sales))
            .then(a.0.cmp(&b.0))
    });
    ranked.truncate(TOP_CLIENTS);
    let ids: Vec<i64> = ranked.iter().map(|(id, _)| *id).collect();
    let names = client_names(conn, company.id, &ids).await?;
    Ok(ranked
        .into_iter()
        .map(|(id, r)| TopClient {
            client: client_ref(id, &names),
            sales_count: r.sales,
            revenue_in_base: money(r.in_base, &company.base_currency),
            revenue: r.revenue,
        })
        .collect())
}

async fn by_status(
    conn: &mut DbConn,
    company: &Company,
    range: Bounds,
    filter: &Filter,
) -> ApiResult<Vec<StatusFigures>> {
    let rows = figures::by_status(conn, company.id, range, filter).await?;
    Ok(SaleStatus::ALL
        .iter()
        .filter_map(|status| {
            let of_status: Vec<&figures::StatusCurrency> =
                rows.iter().filter(|r| r.status == *status).collect();
            (!of_status.is_empty()).then(|| StatusFigures {
                status: *status,
                sales_count: of_status.iter().map(|r| r.sales).sum(),
                amounts: of_status
                    .iter()
                    .map(|r| Money::new(r.amount_minor, &r.currency))
                    .collect(),
                counted: filter.statuses.contains(status),
            })
        })
        .collect())
}

mod customers;

use customers::cohorts;
pub(super) use customers::{Buyer, rfm_segments};
