//! Sales: the list with filters and sorting, one sale with its client and items, create,
//! update, cancel, and live changes.

mod mutation;
pub(crate) mod query;
pub(crate) mod subscription;

pub use mutation::SaleMutation;
pub use query::{SaleQuery, SaleSortInput};
pub use subscription::SaleSubscription;

use async_graphql::{ComplexObject, Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};

use super::clients::ClientNode;
use super::loaders::Loaders;
use super::paging::{Edge, PageInfo};
use super::values::{Money, to_utc};
use super::{app, principal};
use crate::db::{self, sales::Sale};
use crate::domain;
use crate::domain::money::MinorUnits;
use crate::error::{ApiError, ApiResult};

pub use crate::domain::{ItemKind, SaleStatus, SortDirection};

pub struct SaleItemView(pub domain::SaleItem);

/// One line of a sale: goods or a service.
#[Object(name = "SaleItem")]
impl SaleItemView {
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn sku(&self) -> Option<&str> {
        self.0.sku.as_deref()
    }
    async fn kind(&self) -> ItemKind {
        self.0.kind
    }
    async fn quantity(&self) -> f64 {
        self.0.quantity
    }
    /// Price of one unit in the sale's currency, minor units.
    async fn unit_price_minor(&self) -> Option<MinorUnits> {
        self.0.unit_price_minor.map(MinorUnits)
    }
}

#[derive(Clone, Debug, InputObject)]
pub struct SaleItemInput {
    pub name: String,
    pub sku: Option<String>,
    #[graphql(default_with = "ItemKind::Goods")]
    pub kind: ItemKind,
    #[graphql(default = 1.0)]
    pub quantity: f64,
    pub unit_price_minor: Option<MinorUnits>,
}

impl From<&SaleItemInput> for domain::SaleItem {
    fn from(i: &SaleItemInput) -> domain::SaleItem {
        domain::SaleItem {
            name: i.name.clone(),
            sku: i.sku.clone(),
            kind: i.kind,
            quantity: i.quantity,
            unit_price_minor: i.unit_price_minor.map(|p| p.0),
        }
    }
}

/// Validates items given through GraphQL and returns them as the stored JSON text.
pub fn items_json(field: &str, items: &[SaleItemInput]) -> ApiResult<String> {
    let items: Vec<domain::SaleItem> = items.iter().map(Into::into).collect();
    domain::items_json(field, &items)
}

pub struct SaleNode(pub Sale);

#[Object(name = "Sale")]
impl SaleNode {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// The integrator's id for this sale, unique in the company.
    async fn external_id(&self) -> Option<&str> {
        self.0.external_id.as_deref()
    }
    async fn client(&self, ctx: &Context<'_>) -> async_graphql::Result<ClientNode> {
        let client = ctx
            .data_unchecked::<Loaders>()
            .clients
            .load_one(self.0.client_id)
            .await?
            .ok_or(ApiError::NotFound)?;
        Ok(ClientNode(client))
    }
    async fn amount(&self) -> Money {
        Money::new(self.0.amount_minor, &self.0.currency)
    }
    async fn sold_at(&self) -> DateTime<Utc> {
        to_utc(self.0.sold_at)
    }
    async fn status(&self) -> SaleStatus {
        self.0.status
    }
    #[allow(clippy::unused_async)] // async-graphql resolvers are async
    async fn items(&self) -> async_graphql::Result<Vec<SaleItemView>> {
        Ok(domain::items_from_json(&self.0.items)?
            .into_iter()
            .map(SaleItemView)
            .collect())
    }
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    async fn created_at(&self) -> DateTime<Utc> {
        to_utc(self.0.created_at)
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        to_utc(self.0.updated_at)
    }
}

#[derive(SimpleObject)]
#[graphql(complex)]
pub struct SaleConnection {
    pub edges: Vec<Edge<SaleNode>>,
    pub page_info: PageInfo,
    #[graphql(skip)]
    pub filter: db::sales::SaleFilter,
}

#[ComplexObject]
impl SaleConnection {
    /// Sales matching the filter, on all pages.
    async fn total_count(&self, ctx: &Context<'_>) -> async_graphql::Result<i64> {
        let company_id = principal(ctx).company()?;
        let mut conn = app(ctx).db.read().await.map_err(ApiError::from)?;
        Ok(db::sales::count(&mut conn, company_id, &self.filter)
            .await
            .map_err(ApiError::from)?)
    }
    /// The amounts of the sales matching the filter, on all pages, summed per currency (ordered
    /// by code); every status the filter admits counts. Errors: OUT_OF_RANGE when a sum passes
    /// the largest `MinorUnits`.
    async fn totals(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Money>> {
        let company_id = principal(ctx).company()?;
        let mut conn = app(ctx).db.read().await.map_err(ApiError::from)?;
        Ok(db::sales::totals(&mut conn, company_id, &self.filter)
            .await
            .map_err(ApiError::from)?
            .into_iter()
            .map(|(currency, minor)| Money::new(minor, &currency))
            .collect())
    }
    /// The sales of this page, without cursors.
    async fn nodes(&self) -> Vec<SaleNode> {
        self.edges
            .iter()
            .map(|e| SaleNode(e.node.0.clone()))
            .collect()
    }
}
