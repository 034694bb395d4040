//! Reports and the exchange rates they convert with: thin adapters over `crate::reports`.

pub mod jobs;
pub mod narrative;
pub mod saved;

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};

use crate::db::{self, exchange_rates::NewExchangeRate};
use crate::domain::money::{MinorUnits, format_rate, parse_rate};
use crate::domain::{SaleStatus, validate};
use crate::error::ApiError;
use crate::graphql::values::{parse_id, to_utc};
use crate::graphql::{app, principal};
use crate::reports::{self, Filters, Granularity, Report, ReportKind, ReportParameters};
use crate::transaction;

/// Which sales a report counts.
#[derive(InputObject, Default)]
pub struct ReportFiltersInput {
    /// Only these clients (at most 1,000); all when empty.
    #[graphql(default)]
    pub client_ids: Vec<ID>,
    /// Statuses that count; completed only when empty. Cancelled is refused: it never counts.
    #[graphql(default)]
    pub statuses: Vec<SaleStatus>,
    /// Only sales in this ISO 4217 currency.
    pub currency: Option<String>,
    /// Smallest sale amount, minor units, inclusive.
    pub amount_min: Option<MinorUnits>,
    /// Largest sale amount, minor units, inclusive.
    pub amount_max: Option<MinorUnits>,
}

#[derive(InputObject)]
pub struct ReportInput {
    pub kind: ReportKind,
    /// First day, inclusive, in the company's time zone.
    pub from: NaiveDate,
    /// Last day, inclusive, in the company's time zone.
    pub to: NaiveDate,
    #[graphql(default_with = "Granularity::Month")]
    pub granularity: Granularity,
    pub filters: Option<ReportFiltersInput>,
    /// Periods to forecast (trends report), 1 to 36.
    #[graphql(default = 3)]
    pub horizon: i32,
}

impl From<ReportInput> for ReportParameters {
    fn from(input: ReportInput) -> Self {
        let f = input.filters.unwrap_or_default();
        ReportParameters {
            kind: input.kind,
            from: input.from,
            to: input.to,
            granularity: input.granularity,
            filters: Filters {
                client_ids: f.client_ids,
                statuses: f.statuses,
                currency: f.currency,
                amount_min: f.amount_min,
                amount_max: f.amount_max,
            },
            horizon: input.horizon,
        }
    }
}

/// A rate of a currency to the company's base currency, in effect from `validOn` until the
/// currency's next rate.
#[derive(SimpleObject)]
pub struct ExchangeRate {
    pub id: ID,
    pub currency: String,
    pub valid_on: NaiveDate,
    /// Units of the base currency for one unit of `currency`, a decimal string such as "92.5".
    pub rate: String,
    pub created_at: DateTime<Utc>,
}

impl From<db::exchange_rates::ExchangeRate> for ExchangeRate {
    fn from(r: db::exchange_rates::ExchangeRate) -> Self {
        ExchangeRate {
            id: ID(r.id.to_string()),
            currency: r.currency,
            valid_on: r.valid_on,
            rate: format_rate(r.rate_nanos),
            created_at: to_utc(r.created_at),
        }
    }
}

/// What one report query may cost: it reads every counted sale of the range, so a request
/// holds at most two (the limit is 20,000).
const REPORT_COMPLEXITY: usize = 8_000;
/// What one read of the score cache may cost: cheap when fresh, one pass over every sale of the
/// company when stale (serialised per process).
pub(crate) const ANALYTICS_COMPLEXITY: usize = 100;

#[derive(Default)]
pub struct ReportQuery;

#[Object]
impl ReportQuery {
    /// Computes a report of the active company: the general sales report, sales trends with a
    /// forecast, or sales recommendations. Periods are cut in the company's time zone.
    #[graphql(complexity = "REPORT_COMPLEXITY + child_complexity")]
    async fn report(&self, ctx: &Context<'_>, input: ReportInput) -> async_graphql::Result<Report> {
        let company_id = principal(ctx).company()?;
        Ok(reports::run(&app(ctx).db, company_id, input.into()).await?)
    }

    /// The active company's most valuable recommended actions across kinds (call high-value
    /// clients at risk, offers to likely buyers, win-backs, growing and declining clients, the
    /// segment to focus on), each with its evidence. Read from the per-client score cache,
    /// which is recomputed for the whole company after its sales or rates change.
    #[graphql(complexity = "ANALYTICS_COMPLEXITY + child_complexity")]
    async fn recommended_actions(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 3, desc = "How many, 1 to 50.")] first: i32,
    ) -> async_graphql::Result<Vec<reports::recommendations::Action>> {
        let company_id = principal(ctx).company()?;
        let first = usize::try_from(first).unwrap_or(0);
        Ok(reports::scores::top_actions(&app(ctx).db, company_id, first).await?)
    }

    /// The active company's exchange rates, by currency and date.
    async fn exchange_rates(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ExchangeRate>> {
        let company_id = principal(ctx).company()?;
        let mut conn = app(ctx).db.read().await.map_err(ApiError::from)?;
        let rows = db::exchange_rates::all(&mut conn, company_id)
            .await
            .map_err(ApiError::from)?;
        Ok(rows.into_iter().map(ExchangeRate::from).collect())
    }
}

#[derive(Default)]
pub struct ReportMutation;

#[Object]
impl ReportMutation {
    /// Sets the rate of `currency` to the base currency from `validOn` (owners and admins);
    /// a rate already set for that day is replaced.
    async fn set_exchange_rate(
        &self,
        ctx: &Context<'_>,
        currency: String,
        valid_on: NaiveDate,
        #[graphql(desc = "Units of the base currency for one unit of `currency`, e.g. \"92.5\".")]
        rate: String,
    ) -> async_graphql::Result<ExchangeRate> {
        let (company_id, _, _) = principal(ctx).managed_company()?;
        let currency = validate::currency_code("currency", &currency)?;
        let rate_nanos = parse_rate(&rate).ok_or_else(|| {
            ApiError::bad_input(
                "rate",
                "a positive decimal with at most nine digits after the point, e.g. 92.5",
            )
        })?;
        use chrono::Datelike;
        if !(1900..=2200).contains(&valid_on.year()) {
            return Err(ApiError::bad_input(
                "validOn",
                "the date must be between the years 1900 and 2200",
            )
            .into());
        }
        let mut conn = app(ctx).db.write().await.map_err(ApiError::from)?;
        let company = db::companies::by_id(&mut conn, company_id)
            .await
            .map_err(ApiError::from)?
            .ok_or(ApiError::NotFound)?;
        if currency == company.base_currency {
            return Err(ApiError::bad_input("currency", "the base currency needs no rate").into());
        }
        if db::exchange_rates::count(&mut conn, company_id)
            .await
            .map_err(ApiError::from)?
            >= db::exchange_rates::MAX_RATES
        {
            return Err(ApiError::bad_input(
                "validOn",
                format!(
                    "a company keeps at most {} rates; delete old ones first",
                    db::exchange_rates::MAX_RATES
                ),
            )
            .into());
        }
        let new = NewExchangeRate {
            company_id,
            currency: &currency,
            valid_on,
            rate_nanos,
            created_at: Utc::now().naive_utc(),
        };
        let row = transaction!(conn, ApiError, {
            let row = db::exchange_rates::upsert(&mut conn, &new).await?;
            db::companies::bump_data_version(&mut conn, company_id).await?;
            Ok(row)
        })?;
        Ok(row.into())
    }

    /// Deletes one exchange rate (owners and admins).
    async fn delete_exchange_rate(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<bool> {
        let (company_id, _, _) = principal(ctx).managed_company()?;
        let id = parse_id(&id)?;
        let mut conn = app(ctx).db.write().await.map_err(ApiError::from)?;
        transaction!(conn, ApiError, {
            if !db::exchange_rates::delete(&mut conn, company_id, id).await? {
                return Err(ApiError::NotFound);
            }
            db::companies::bump_data_version(&mut conn, company_id).await?;
            Ok(())
        })?;
        Ok(true)
    }
}
