use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};

use super::{SaleConnection, SaleNode, SaleStatus, SortDirection};
use crate::db::{self, sales::SaleKey, sales::SaleSort};
use crate::domain::{money::MinorUnits, validate};
use crate::error::{ApiError, ApiResult};
use crate::graphql::loaders::Loaders;
use crate::graphql::paging;
use crate::graphql::values::{Money, parse_id};
use crate::graphql::{app, principal};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum)]
pub enum SaleSortField {
    SoldAt,
    Amount,
}

#[derive(InputObject)]
pub struct SaleSortInput {
    #[graphql(default_with = "SaleSortField::SoldAt")]
    pub field: SaleSortField,
    #[graphql(default_with = "SortDirection::Desc")]
    pub direction: SortDirection,
}

#[derive(InputObject, Default)]
pub struct SaleFilterInput {
    /// Sales at or after this moment.
    pub sold_from: Option<DateTime<Utc>>,
    /// Sales before this moment.
    pub sold_to: Option<DateTime<Utc>>,
    pub client_id: Option<ID>,
    pub status: Option<SaleStatus>,
    pub currency: Option<String>,
    /// Smallest amount, minor units.
    pub amount_min: Option<MinorUnits>,
    /// Largest amount, minor units.
    pub amount_max: Option<MinorUnits>,
}

/// Key figures of a period, for the start screen.
#[derive(SimpleObject)]
pub struct SalesSummary {
    /// Completed sales in the period.
    pub sales_count: i64,
    /// Completed sales summed per currency.
    pub revenue: Vec<Money>,
    /// Clients added in the period.
    pub new_clients: i64,
}

#[derive(Default)]
pub struct SaleQuery;

#[Object]
impl SaleQuery {
    /// Sales of the active company, newest first by default.
    #[graphql(complexity = "paging::complexity(first, child_complexity)")]
    async fn sales(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<SaleFilterInput>,
        sort: Option<SaleSortInput>,
    ) -> async_graphql::Result<SaleConnection> {
        principal(ctx).company()?;
        let f = filter.unwrap_or_default();
        let client_id = match &f.client_id {
            Some(id) => Some(
                parse_id(id)
                    .map_err(|_| ApiError::bad_input("filter.clientId", "no such client"))?,
            ),
            None => None,
        };
        let filter = db::sales::SaleFilter {
            sold_from: f.sold_from.map(|t| t.naive_utc()),
            sold_to: f.sold_to.map(|t| t.naive_utc()),
            client_id,
            status: f.status,
            currency: f
                .currency
                .as_deref()
                .map(|c| validate::currency_code("filter.currency", c))
                .transpose()?,
            amount_min: f.amount_min.map(|m| m.0),
            amount_max: f.amount_max.map(|m| m.0),
        };
        Ok(page(ctx, filter, first, after, sort).await?)
    }

    /// Key figures of completed sales in `[from, to)`.
    async fn sales_summary(
        &self,
        ctx: &Context<'_>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> async_graphql::Result<SalesSummary> {
        let company_id = principal(ctx).company()?;
        if to <= from {
            return Err(ApiError::bad_input("to", "the end must come after the start").into());
        }
        let (from, to) = (from.naive_utc(), to.naive_utc());
        let mut conn = app(ctx).db.read().await.map_err(ApiError::from)?;
        let rows = db::sales::summary(&mut conn, company_id, from, to)
            .await
            .map_err(ApiError::from)?;
        let new_clients = db::clients::created_between(&mut conn, company_id, from, to)
            .await
            .map_err(ApiError::from)?;
        Ok(SalesSummary {
            sales_count: rows.iter().map(|(_, n, _)| n).sum(),
            revenue: rows
                .iter()
                .map(|(cur, _, sum)| Money::new(*sum, cur))
                .collect(),
            new_clients,
        })
    }

    /// One sale; NOT_FOUND when it does not exist in the active company.
    async fn sale(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<SaleNode> {
        let company_id = principal(ctx).company()?;
        let id = parse_id(&id)?;
        let mut conn = app(ctx).db.read().await.map_err(ApiError::from)?;
        let sale = db::sales::get(&mut conn, company_id, id)
            .await
            .map_err(ApiError::from)?
            .ok_or(ApiError::NotFound)?;
        Ok(SaleNode(sale))
    }
}

/// A page of sales matching `filter` (the sales list and a client's purchase history).
pub(crate) async fn page(
    ctx: &Context<'_>,
    filter: db::sales::SaleFilter,
    first: Option<i32>,
    after: Option<String>,
    sort: Option<SaleSortInput>,
) -> ApiResult<SaleConnection> {
    let company_id = principal(ctx).company()?;
    let limit = paging::page_size(first)?;
    let (sort, desc) = match sort {
        Some(s) => (
            match s.field {
                SaleSortField::SoldAt => SaleSort::SoldAt,
                SaleSortField::Amount => SaleSort::Amount,
            },
            s.direction == SortDirection::Desc,
        ),
        None => (SaleSort::SoldAt, true),
    };
    let key = format!("{sort:?}{}", if desc { "-" } else { "+" });
    let after_key = after
        .as_deref()
        .map(|cursor| paging::decode::<SaleKey>(&key, cursor))
        .transpose()?;
    let mut conn = app(ctx).db.read().await?;
    let rows = db::sales::page(
        &mut conn,
        company_id,
        &filter,
        sort,
        desc,
        after_key,
        limit + 1,
    )
    .await
    .map_err(|e| ApiError::bad_input("after", e.to_string()))??;
    drop(conn);
    // One query for the clients of the page, however the row resolvers are scheduled.
    let look = ctx.look_ahead();
    if look.field("edges").field("node").field("client").exists()
        || look.field("nodes").field("client").exists()
    {
        let ids: Vec<i64> = paging::shown(&rows, limit)
            .iter()
            .map(|s| s.client_id)
            .collect();
        ctx.data_unchecked::<Loaders>()
            .clients
            .load_many(ids)
            .await
            .map_err(crate::graphql::loaders::from_loader)?;
    }
    let (edges, page_info) = paging::connect(
        rows,
        limit,
        after.is_some(),
        |s| paging::encode(&key, db::sales::sort_key(s, sort), s.id),
        SaleNode,
    );
    Ok(SaleConnection {
        page_info,
        edges,
        filter,
    })
}
