//! The sales list and the sale screen: filters, creating and editing a sale, and the
//! subscription the live sales list follows.

use serde::Serialize;

use super::{
    ChangeKind, ClientRef, DateTime, Id, ItemKind, ItemRow, Minor, Money, PageInfo, SaleRow,
    SaleRowEdge, SaleSortField, SaleStatus, SortDirection, schema,
};

/// The id of what a mutation created or changed.
#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "Sale")]
pub struct SaleId {
    pub id: Id,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "SaleConnection")]
#[serde(rename_all = "camelCase")]
pub struct SalePage {
    pub total_count: i32,
    pub edges: Vec<SaleRowEdge>,
    pub page_info: PageInfo,
    /// The matching sales on all pages, summed per currency.
    pub totals: Vec<Money>,
}

#[derive(cynic::InputObject, Debug)]
pub struct SaleFilterInput {
    pub sold_from: Option<DateTime>,
    pub sold_to: Option<DateTime>,
    pub client_id: Option<Id>,
    pub status: Option<SaleStatus>,
    pub currency: Option<String>,
}

#[derive(cynic::InputObject, Debug)]
pub struct SaleSortInput {
    pub field: SaleSortField,
    pub direction: SortDirection,
}

#[derive(cynic::QueryVariables, Debug)]
pub struct SalesVariables {
    pub first: Option<i32>,
    pub after: Option<String>,
    pub filter: Option<SaleFilterInput>,
    pub sort: Option<SaleSortInput>,
}

#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "QueryRoot", variables = "SalesVariables")]
pub struct Sales {
    #[arguments(first: $first, after: $after, filter: $filter, sort: $sort)]
    pub sales: SalePage,
}

#[derive(cynic::InputObject, Debug)]
pub struct SaleItemInput {
    pub name: String,
    #[cynic(skip_serializing_if = "Option::is_none")]
    pub sku: Option<String>,
    pub kind: ItemKind,
    pub quantity: f64,
    #[cynic(skip_serializing_if = "Option::is_none")]
    pub unit_price_minor: Option<Minor>,
}

#[derive(cynic::InputObject, Debug)]
pub struct SaleInput {
    pub client_id: Id,
    pub amount_minor: Minor,
    pub currency: String,
    /// `None`: now.
    #[cynic(skip_serializing_if = "Option::is_none")]
    pub sold_at: Option<DateTime>,
    pub status: SaleStatus,
    pub items: Vec<SaleItemInput>,
    pub note: Option<String>,
}

#[derive(cynic::QueryVariables, Debug)]
pub struct CreateSaleVariables {
    pub input: SaleInput,
}

#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "MutationRoot", variables = "CreateSaleVariables")]
pub struct CreateSale {
    #[arguments(input: $input)]
    pub create_sale: SaleId,
}

/// The sale screen.
#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "Sale")]
#[serde(rename_all = "camelCase")]
pub struct SaleDetail {
    pub id: Id,
    pub external_id: Option<String>,
    pub client: ClientRef,
    pub amount: Money,
    pub sold_at: DateTime,
    pub status: SaleStatus,
    pub items: Vec<ItemRow>,
    pub note: Option<String>,
    pub created_at: DateTime,
    pub updated_at: DateTime,
}

#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "QueryRoot", variables = "super::IdVariables")]
pub struct Sale {
    #[arguments(id: $id)]
    pub sale: SaleDetail,
}

/// Absent fields stay as they are; a `None` note is sent as `null` and clears it.
#[derive(cynic::InputObject, Debug)]
pub struct SaleUpdateInput {
    /// `None`: the client stays.
    #[cynic(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<Id>,
    pub amount_minor: Minor,
    pub currency: String,
    /// `None`: the date stays.
    #[cynic(skip_serializing_if = "Option::is_none")]
    pub sold_at: Option<DateTime>,
    pub status: SaleStatus,
    pub note: Option<String>,
    /// The sale's lines, all of them (they replace the stored ones).
    pub items: Vec<SaleItemInput>,
}

#[derive(cynic::QueryVariables, Debug)]
pub struct UpdateSaleVariables {
    pub id: Id,
    pub input: SaleUpdateInput,
}

// A mutation must select something; the UI reloads what it shows instead of reading this.
#[allow(dead_code)]
#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "MutationRoot", variables = "UpdateSaleVariables")]
pub struct UpdateSale {
    #[arguments(id: $id, input: $input)]
    pub update_sale: SaleId,
}

/// A sale that was created or changed, as the live sales list receives it.
#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "SaleChange")]
pub struct SaleChange {
    pub kind: ChangeKind,
    pub sale: SaleRow,
}

#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "SubscriptionRoot")]
pub struct SaleChanged {
    pub sale_changed: SaleChange,
}
