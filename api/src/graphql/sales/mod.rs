//! Sales: the list with filters and sorting, one sale with its client and items, create,
//! update, cancel, and live changes.

mod mutation;
pub(crate) mod query;
pub(crate) mod subscription;

pub use mutation::SaleMutation;
pub use query::{SaleQuery, SaleSortInput};
pub use subscription::SaleSubscription;

use async_graphql::{ComplexObject, Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::clients::ClientNode;
use super::loaders::Loaders;
use super::paging::PageInfo;
use super::values::{self, Money, to_utc};
use super::{app, principal};
use crate::db::{self, sales::Sale};
use crate::error::{ApiError, ApiResult};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum)]
pub enum SortDirection {
    Asc,
    Desc,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum)]
pub enum SaleStatus {
    /// Paid and delivered: counts in totals and analytics.
    Completed,
    /// Ordered, not yet paid or delivered.
    Pending,
    Cancelled,
    Refunded,
}

impl SaleStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SaleStatus::Completed => "completed",
            SaleStatus::Pending => "pending",
            SaleStatus::Cancelled => "cancelled",
            SaleStatus::Refunded => "refunded",
        }
    }
    pub fn parse(s: &str) -> SaleStatus {
        match s {
            "pending" => SaleStatus::Pending,
            "cancelled" => SaleStatus::Cancelled,
            "refunded" => SaleStatus::Refunded,
            _ => SaleStatus::Completed,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemKind {
    Goods,
    Service,
}

/// One line of a sale: goods or a service.
#[derive(Clone, Debug, PartialEq, SimpleObject, Serialize, Deserialize)]
pub struct SaleItem {
    pub name: String,
    pub sku: Option<String>,
    pub kind: ItemKind,
    pub quantity: f64,
    /// Price of one unit in the sale's currency, minor units.
    pub unit_price_minor: Option<i64>,
}

#[derive(Clone, Debug, InputObject)]
pub struct SaleItemInput {
    pub name: String,
    pub sku: Option<String>,
    #[graphql(default_with = "ItemKind::Goods")]
    pub kind: ItemKind,
    #[graphql(default = 1.0)]
    pub quantity: f64,
    pub unit_price_minor: Option<i64>,
}

pub const MAX_ITEMS: usize = 200;

/// Validates items and returns them as the stored JSON text.
pub fn items_json(field: &str, items: &[SaleItemInput]) -> ApiResult<String> {
    if items.len() > MAX_ITEMS {
        return Err(ApiError::bad_input(
            field,
            format!("a sale may have at most {MAX_ITEMS} items"),
        ));
    }
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let f = |name: &str| format!("{field}[{i}].{name}");
        if !item.quantity.is_finite() || item.quantity <= 0.0 || item.quantity > 1e9 {
            return Err(ApiError::bad_input(
                f("quantity"),
                "must be a positive number",
            ));
        }
        out.push(SaleItem {
            name: values::text(&f("name"), &item.name, 300)?,
            sku: values::optional_text(&f("sku"), item.sku.as_deref(), 100)?,
            kind: item.kind,
            quantity: item.quantity,
            unit_price_minor: item
                .unit_price_minor
                .map(|p| values::amount(&f("unitPriceMinor"), p))
                .transpose()?,
        });
    }
    serde_json::to_string(&out).map_err(ApiError::internal)
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
        SaleStatus::parse(&self.0.status)
    }
    async fn items(&self) -> Vec<SaleItem> {
        serde_json::from_str(&self.0.items).unwrap_or_default()
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
pub struct SaleEdge {
    pub cursor: String,
    pub node: SaleNode,
}

#[derive(SimpleObject)]
#[graphql(complex)]
pub struct SaleConnection {
    pub edges: Vec<SaleEdge>,
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
    /// The sales of this page, without cursors.
    async fn nodes(&self) -> Vec<SaleNode> {
        self.edges
            .iter()
            .map(|e| SaleNode(e.node.0.clone()))
            .collect()
    }
}
