//! Sales: the list (date range, status, currency, one client), one sale, the sale form (create
//! and edit) and the live feed of the company's sale changes.

use dioxus::fullstack::ServerEvents;
use dioxus::prelude::*;
use serde::{Deserialize, Serialize};

use crate::gql::{SaleChange, SaleDetail, SalePage};
use crate::routes::ListView;

#[cfg(feature = "server")]
use {
    super::PAGE_SIZE,
    crate::api::ErrorCode,
    crate::forms::{day_start, not_a_choice, one_of, optional, sale_fields},
    crate::gql::{self, Id},
    crate::server::executor::error,
    cynic::{MutationBuilder, QueryBuilder, SubscriptionBuilder},
};

/// The sales list's view, as its address carries it (`/sales?from=…&status=…`): every field a
/// form value, empty meaning "not chosen".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SaleQuery {
    /// Days of the company (YYYY-MM-DD), both inclusive.
    pub from: String,
    pub to: String,
    /// A `SaleStatus` (`COMPLETED`…).
    pub status: String,
    /// An ISO 4217 code.
    pub currency: String,
    /// One client's id.
    pub client: String,
    /// `date` (the default) or `amount`.
    pub sort: String,
    /// `asc` or `desc` (the default: latest or biggest first).
    pub dir: String,
    /// The cursor this page starts after, and the earlier pages' (`routes::Trail`).
    pub after: String,
    pub trail: String,
}

impl ListView for SaleQuery {
    fn fields(&self) -> Vec<(&'static str, &str)> {
        vec![
            ("from", &self.from),
            ("to", &self.to),
            ("status", &self.status),
            ("currency", &self.currency),
            ("client", &self.client),
            ("sort", &self.sort),
            ("dir", &self.dir),
            ("after", &self.after),
            ("trail", &self.trail),
        ]
    }

    fn field_mut(&mut self, name: &str) -> Option<&mut String> {
        Some(match name {
            "from" => &mut self.from,
            "to" => &mut self.to,
            "status" => &mut self.status,
            "currency" => &mut self.currency,
            "client" => &mut self.client,
            "sort" => &mut self.sort,
            "dir" => &mut self.dir,
            "after" => &mut self.after,
            "trail" => &mut self.trail,
            _ => return None,
        })
    }
}

impl SaleQuery {
    /// One client's sales (every client's when `client` is empty).
    pub fn of_client(client: String) -> SaleQuery {
        SaleQuery {
            client,
            ..SaleQuery::default()
        }
    }

    /// Whether the list runs oldest or smallest first.
    pub fn ascending(&self) -> bool {
        self.dir == "asc"
    }
}

impl From<&str> for SaleQuery {
    fn from(query: &str) -> SaleQuery {
        SaleQuery::parse(query)
    }
}

impl std::fmt::Display for SaleQuery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.write(f)
    }
}

/// One page of sales in the view `q`, with the sums of all matching sales per currency.
/// Errors: BAD_USER_INPUT naming the form field (`from`, `to`, `status`, `sort`, `dir`) for a
/// value the form does not offer, and for a stale cursor (`after`).
#[post("/api/sales", user: crate::server::CurrentUser)]
pub async fn sales(q: SaleQuery) -> Result<SalePage, ServerFnError> {
    use gql::{SaleSortField as F, SortDirection as D};
    let user = user.signed_in()?;
    let status = match q.status.as_str() {
        "" => None,
        s => Some(one_of::<gql::SaleStatus>("status", s)?),
    };
    let field = match q.sort.as_str() {
        "" | "date" => F::SoldAt,
        "amount" => F::Amount,
        _ => {
            return Err(not_a_choice("sort"));
        }
    };
    let direction = match q.dir.as_str() {
        "" | "desc" => D::Desc,
        "asc" => D::Asc,
        _ => {
            return Err(not_a_choice("dir"));
        }
    };
    let filter = gql::SaleFilterInput {
        sold_from: day_start("from", &q.from, 0, user.zone)?,
        // The end date is inclusive for people: sales before the next midnight.
        sold_to: day_start("to", &q.to, 1, user.zone)?,
        status,
        currency: optional(&q.currency).map(|c| c.to_uppercase()),
        client_id: optional(&q.client).map(Id),
    };
    let variables = gql::SalesVariables {
        first: Some(PAGE_SIZE),
        after: optional(&q.after),
        filter: Some(filter),
        sort: Some(gql::SaleSortInput { field, direction }),
    };
    user.run(gql::Sales::build(variables))
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
#[post("/api/sale/create", user: crate::server::CurrentUser)]
pub async fn create_sale(
    client_id: String,
    form: SaleForm,
    item: String,
) -> Result<String, ServerFnError> {
    let user = user.signed_in()?;
    let f = sale_fields(&form, user.zone)?;
    let input = gql::SaleInput {
        client_id: Id(client_id),
        amount_minor: f.amount_minor,
        currency: f.currency,
        sold_at: f.sold_at,
        status: f.status,
        items: optional(&item)
            .map(|name| gql::SaleItemInput {
                name,
                sku: None,
                kind: gql::ItemKind::Goods,
                quantity: 1.0,
                unit_price_minor: None,
            })
            .into_iter()
            .collect(),
        note: f.note,
    };
    user.run(gql::CreateSale::build(gql::CreateSaleVariables { input }))
        .await
        .map(|d| d.create_sale.id.0)
}

#[get("/api/sale?id", user: crate::server::CurrentUser)]
pub async fn sale(id: String) -> Result<SaleDetail, ServerFnError> {
    user.signed_in()?
        .run(gql::Sale::build(gql::IdVariables { id: Id(id) }))
        .await
        .map(|d| d.sale)
}

/// One line of the sale form: the name, `GOODS` or `SERVICE`, the quantity and the unit price
/// in major units as typed ("1 240,50"; empty: none), and the SKU as stored.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ItemForm {
    pub name: String,
    pub sku: String,
    pub kind: String,
    pub quantity: String,
    pub unit_price: String,
}

/// Changes a sale: the fields of the form, its client (`client_id`; empty: unchanged) and
/// all of its lines (`items` replace the stored ones). Errors: BAD_USER_INPUT naming the field
/// as the API does (`items[2].quantity`, `amountMinor`, …), so a line's error stands by it.
#[post("/api/sale/update", user: crate::server::CurrentUser)]
pub async fn update_sale(
    id: String,
    form: SaleForm,
    client_id: String,
    items: Vec<ItemForm>,
) -> Result<(), ServerFnError> {
    let user = user.signed_in()?;
    let f = sale_fields(&form, user.zone)?;
    let items = item_inputs(&items, &f.currency)?;
    let input = gql::SaleUpdateInput {
        client_id: optional(&client_id).map(Id),
        amount_minor: f.amount_minor,
        currency: f.currency,
        sold_at: f.sold_at,
        status: f.status,
        note: f.note,
        items,
    };
    let variables = gql::UpdateSaleVariables { id: Id(id), input };
    user.run(gql::UpdateSale::build(variables))
        .await
        .map(|_| ())
}

/// The lines of the sale form, checked; prices in `currency`.
#[cfg(feature = "server")]
fn item_inputs(
    items: &[ItemForm],
    currency: &str,
) -> Result<Vec<gql::SaleItemInput>, ServerFnError> {
    let mut out = Vec::new();
    for (n, item) in items.iter().enumerate() {
        let field = |f: &str| format!("items[{n}].{f}");
        let name = optional(&item.name)
            .ok_or_else(|| error(ErrorCode::BadUserInput, Some(&field("name")), "required"))?;
        let quantity = match item.quantity.trim().replace(',', ".") {
            q if q.is_empty() => 1.0,
            q => q
                .parse::<f64>()
                .ok()
                .filter(|q| q.is_finite() && *q > 0.0)
                .ok_or_else(|| {
                    error(
                        ErrorCode::BadUserInput,
                        Some(&field("quantity")),
                        "must be a positive number",
                    )
                })?,
        };
        let unit_price_minor = match item.unit_price.trim() {
            "" => None,
            price => Some(gql::Minor(
                crate::forms::parse_amount(price, currency).map_err(|m| {
                    error(ErrorCode::BadUserInput, Some(&field("unitPriceMinor")), &m)
                })?,
            )),
        };
        out.push(gql::SaleItemInput {
            name,
            sku: optional(&item.sku),
            kind: if item.kind.is_empty() {
                gql::ItemKind::Goods
            } else {
                one_of(&field("kind"), &item.kind)?
            },
            quantity,
            unit_price_minor,
        });
    }
    Ok(out)
}

/// Sales of the active company as they are created or changed, while the page listens: server-sent
/// events, ending when the browser closes the stream (the subscription ends with it).
#[get("/api/live/sales", user: crate::server::CurrentUser)]
// The user comes from the extractor: the body has nothing to await.
#[allow(clippy::unused_async)]
pub async fn live_sales() -> Result<ServerEvents<SaleChange>, ServerFnError> {
    use futures::StreamExt;
    let user = user.signed_in()?;
    let changes = user
        .subscribe(gql::SaleChanged::build(()))
        .filter_map(|change| async move {
            match change {
                Ok(c) => Some(Ok::<_, axum::BoxError>(c.sale_changed)),
                Err(e) => {
                    tracing::warn!("live sales: {e}");
                    None
                }
            }
        });
    Ok(ServerEvents::from_stream(changes))
}
