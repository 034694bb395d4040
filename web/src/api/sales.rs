//! Sales: the list (date range, status, currency, one client), one sale, the sale form (create
//! and edit) and the live feed of the company's sale changes.

use dioxus::fullstack::ServerEvents;
use dioxus::prelude::*;
use serde::{Deserialize, Serialize};

use crate::gql::{SaleChange, SaleDetail, SalePage};

#[cfg(feature = "server")]
use {
    super::PAGE_SIZE,
    crate::forms::{day_start, one_of, optional, sale_fields},
    crate::gql::{self, Id},
    crate::server::executor::{context, principal, run_as_user, state, subscribe},
    cynic::{MutationBuilder, QueryBuilder, SubscriptionBuilder},
};

/// Sales, newest first. `from` and `to` are dates (YYYY-MM-DD, `to` inclusive); empty means open.
/// `client` narrows them to one client.
#[get("/api/sales?from&to&status&currency&client&after")]
pub async fn sales(
    from: String,
    to: String,
    status: String,
    currency: String,
    client: String,
    after: String,
) -> Result<SalePage, ServerFnError> {
    let status = match status.as_str() {
        "" => None,
        s => Some(one_of::<gql::SaleStatus>("status", s)?),
    };
    let filter = gql::SaleFilterInput {
        sold_from: day_start("from", &from, 0)?,
        // The end date is inclusive for people: sales before the next midnight.
        sold_to: day_start("to", &to, 1)?,
        status,
        currency: optional(&currency),
        client_id: optional(&client).map(Id),
    };
    let variables = gql::SalesVariables {
        first: Some(PAGE_SIZE),
        after: optional(&after),
        filter: Some(filter),
    };
    run_as_user(gql::Sales::build(variables))
        .await
        .map(|d| d.sales)
}

/// The sale form's fields: the amount in major units as typed ("1 240 000,50"), the currency
/// code, the day (YYYY-MM-DD; empty: now for a new sale, unchanged for an edit), the status
/// (COMPLETED…), and an optional note.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SaleForm {
    pub amount: String,
    pub currency: String,
    pub day: String,
    pub status: String,
    pub note: String,
}

/// Records a sale for a client (with one line of goods when `item` is not empty); returns its id.
#[post("/api/sale/create")]
pub async fn create_sale(
    client_id: String,
    form: SaleForm,
    item: String,
) -> Result<String, ServerFnError> {
    let f = sale_fields(&form)?;
    let input = gql::SaleInput {
        client_id: Id(client_id),
        amount_minor: f.amount_minor,
        currency: f.currency,
        sold_at: f.sold_at,
        status: f.status,
        items: optional(&item)
            .map(|name| gql::SaleItemInput { name })
            .into_iter()
            .collect(),
        note: f.note,
    };
    run_as_user(gql::CreateSale::build(gql::CreateSaleVariables { input }))
        .await
        .map(|d| d.create_sale.id.0)
}

#[get("/api/sale?id")]
pub async fn sale(id: String) -> Result<SaleDetail, ServerFnError> {
    run_as_user(gql::Sale::build(gql::IdVariables { id: Id(id) }))
        .await
        .map(|d| d.sale)
}

#[post("/api/sale/update")]
pub async fn update_sale(id: String, form: SaleForm) -> Result<(), ServerFnError> {
    let f = sale_fields(&form)?;
    let input = gql::SaleUpdateInput {
        amount_minor: f.amount_minor,
        currency: f.currency,
        sold_at: f.sold_at,
        status: f.status,
        note: f.note,
    };
    let variables = gql::UpdateSaleVariables { id: Id(id), input };
    run_as_user(gql::UpdateSale::build(variables))
        .await
        .map(|_| ())
}

/// Sales of the active company as they are created or changed, while the page listens: server-sent
/// events, ending when the browser closes the stream (the subscription ends with it).
#[get("/api/live/sales")]
pub async fn live_sales() -> Result<ServerEvents<SaleChange>, ServerFnError> {
    use futures::StreamExt;
    let ctx = context()?;
    let st = state(&ctx)?;
    let principal = principal(&ctx, &st.api).await?;
    let changes = subscribe(&st.api, principal, gql::SaleChanged::build(())).filter_map(
        |change| async move {
            match change {
                Ok(c) => Some(Ok::<_, axum::BoxError>(c.sale_changed)),
                Err(e) => {
                    tracing::warn!("live sales: {e}");
                    None
                }
            }
        },
    );
    Ok(ServerEvents::from_stream(changes))
}
