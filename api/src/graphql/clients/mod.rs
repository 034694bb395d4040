//! Clients: the list with search, filters and sorting; one client with its sales and
//! interactions; create, update, archive; live changes.

mod mutation;
mod query;
mod subscription;

pub use mutation::ClientMutation;
pub use query::ClientQuery;
pub use subscription::ClientSubscription;

use async_graphql::{ComplexObject, Context, ID, Json, Object, SimpleObject};
use chrono::{DateTime, Utc};

use super::interactions::InteractionConnection;
use super::loaders::Loaders;
use super::paging::{self, Edge, PageInfo};
use super::sales::{SaleConnection, SaleNode, SaleSortInput};
use super::values::{Money, to_utc};
use super::{app, principal};
use crate::db::{self, clients::Client};
use crate::error::ApiError;
use crate::reports;

pub use crate::domain::ClientStatus;

pub struct ClientNode(pub Client);

#[Object(name = "Client")]
impl ClientNode {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// The integrator's id for this client, unique in the company.
    async fn external_id(&self) -> Option<&str> {
        self.0.external_id.as_deref()
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn email(&self) -> Option<&str> {
        self.0.email.as_deref()
    }
    /// The phone number exactly as it was typed or sent.
    async fn phone(&self) -> Option<&str> {
        self.0.phone.as_deref()
    }
    /// The phone in E.164 (`+79123456789`) when it is a valid number (read in the company's
    /// `phoneRegion` when it has no country code); null without a phone or when it is not
    /// valid.
    async fn phone_e164(&self) -> Option<&str> {
        self.0.keys.phone_e164.as_deref()
    }
    /// The phone for people: a valid number in the international format
    /// (`+7 912 345-67-89`), an invalid one as typed.
    async fn phone_display(&self) -> Option<String> {
        let typed = self.0.phone.as_deref()?;
        Some(
            self.0
                .keys
                .phone_e164
                .as_deref()
                .and_then(crate::domain::phone::international)
                .unwrap_or_else(|| typed.to_owned()),
        )
    }
    /// Whether the phone is a valid number; null without a phone. An invalid number is kept
    /// as typed and flagged here.
    async fn phone_valid(&self) -> Option<bool> {
        self.0
            .phone
            .as_ref()
            .map(|_| self.0.keys.phone_e164.is_some())
    }
    /// Free-form data from the integration (a JSON object).
    async fn attributes(&self) -> Json<serde_json::Value> {
        Json(serde_json::from_str(&self.0.attributes).unwrap_or_else(|_| serde_json::json!({})))
    }
    async fn status(&self) -> ClientStatus {
        self.0.status
    }
    async fn archived(&self) -> bool {
        self.0.archived_at.is_some()
    }
    async fn archived_at(&self) -> Option<DateTime<Utc>> {
        self.0.archived_at.map(to_utc)
    }
    /// Number of completed sales.
    async fn sales_count(&self) -> i64 {
        self.0.sales_count
    }
    /// Completed sales in the company's base currency.
    async fn total_spent(&self, ctx: &Context<'_>) -> async_graphql::Result<Money> {
        let company = ctx
            .data_unchecked::<Loaders>()
            .companies
            .load_one(self.0.company_id)
            .await?
            .ok_or(ApiError::NotFound)?;
        Ok(Money::new(self.0.total_spent_minor, &company.base_currency))
    }
    /// Completed sales summed per currency.
    async fn totals(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Money>> {
        let totals = ctx
            .data_unchecked::<Loaders>()
            .totals
            .load_one(self.0.id)
            .await?;
        Ok(totals
            .unwrap_or_default()
            .into_iter()
            .map(|(currency, sum)| Money::new(sum, &currency))
            .collect())
    }
    async fn last_purchase_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_purchase_at.map(to_utc)
    }
    /// The newest sale of any status.
    async fn last_sale(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<SaleNode>> {
        Ok(ctx
            .data_unchecked::<Loaders>()
            .last_sales
            .load_one(self.0.id)
            .await?
            .map(SaleNode))
    }
    /// The client's model scores (RFM segment, P(alive) by BG/NBD, expected purchases in 30
    /// and 90 days, expected order value by Gamma-Gamma, 12-month CLV) and the recommended
    /// action with its evidence. Read from the company's score cache, recomputed for the whole
    /// company after its sales or rates change; null when the client has no counted purchase
    /// or the purchase model cannot be fitted yet.
    #[graphql(complexity = "super::reports::ANALYTICS_COMPLEXITY + child_complexity")]
    async fn analytics(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<reports::scores::ClientAnalytics>> {
        Ok(reports::scores::client(&app(ctx).db, self.0.company_id, self.0.id).await?)
    }
    async fn last_interaction_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_interaction_at.map(to_utc)
    }
    async fn created_at(&self) -> DateTime<Utc> {
        to_utc(self.0.created_at)
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        to_utc(self.0.updated_at)
    }
    /// This client's sales, newest first by default.
    #[graphql(complexity = "paging::complexity(first, child_complexity)")]
    async fn sales(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        sort: Option<SaleSortInput>,
    ) -> async_graphql::Result<SaleConnection> {
        let filter = db::sales::SaleFilter {
            client_id: Some(self.0.id),
            ..Default::default()
        };
        Ok(super::sales::query::page(ctx, filter, first, after, sort).await?)
    }
    /// Calls, e-mails, meetings and notes, newest first.
    #[graphql(complexity = "paging::complexity(first, child_complexity)")]
    async fn interactions(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<InteractionConnection> {
        Ok(super::interactions::page(ctx, self.0.id, first, after).await?)
    }
}

#[derive(SimpleObject)]
#[graphql(complex)]
pub struct ClientConnection {
    pub edges: Vec<Edge<ClientNode>>,
    pub page_info: PageInfo,
    #[graphql(skip)]
    pub filter: db::clients::ClientFilter,
}

#[ComplexObject]
impl ClientConnection {
    /// Clients matching the filter, on all pages.
    async fn total_count(&self, ctx: &Context<'_>) -> async_graphql::Result<i64> {
        let company_id = principal(ctx).company()?;
        let mut conn = app(ctx).db.read().await.map_err(ApiError::from)?;
        Ok(db::clients::count(&mut conn, company_id, &self.filter)
            .await
            .map_err(ApiError::from)?)
    }
    /// The clients of this page, without cursors.
    async fn nodes(&self) -> Vec<ClientNode> {
        self.edges
            .iter()
            .map(|e| ClientNode(e.node.0.clone()))
            .collect()
    }
}
