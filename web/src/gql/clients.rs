//! The clients list and the client screen: contacts, figures, purchases and interactions;
//! editing, archiving and restoring a client, recording an interaction.

use serde::Serialize;

use super::{
    ClientSortField, ClientStatus, DateTime, Id, InteractionKind, ItemRow, Money, PageInfo,
    SaleStatus, SortDirection, schema,
};

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "Client")]
pub struct ClientId {
    pub id: Id,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "Client")]
#[serde(rename_all = "camelCase")]
pub struct ClientRow {
    pub id: Id,
    pub name: String,
    pub email: Option<String>,
    /// Formatted for people (`+7 912 345-67-89`), or as typed when not a valid number.
    pub phone_display: Option<String>,
    pub phone_e164: Option<String>,
    pub last_interaction_at: Option<DateTime>,
    pub total_spent: Money,
    pub status: ClientStatus,
    pub archived: bool,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "ClientEdge")]
pub struct ClientRowEdge {
    pub node: ClientRow,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "ClientConnection")]
#[serde(rename_all = "camelCase")]
pub struct ClientPage {
    pub total_count: i32,
    pub edges: Vec<ClientRowEdge>,
    pub page_info: PageInfo,
}

/// Absent fields do not filter.
#[derive(cynic::InputObject, Debug, Default)]
pub struct ClientFilterInput {
    #[cynic(skip_serializing_if = "Option::is_none")]
    pub search: Option<String>,
    #[cynic(skip_serializing_if = "Option::is_none")]
    pub status: Option<ClientStatus>,
    /// `true` lists only archived clients; absent or `false` hides them.
    #[cynic(skip_serializing_if = "Option::is_none")]
    pub archived: Option<bool>,
    #[cynic(skip_serializing_if = "Option::is_none")]
    pub last_interaction_from: Option<DateTime>,
    #[cynic(skip_serializing_if = "Option::is_none")]
    pub last_interaction_to: Option<DateTime>,
    #[cynic(skip_serializing_if = "Option::is_none")]
    pub has_purchases: Option<bool>,
}

#[derive(cynic::InputObject, Debug)]
pub struct ClientSortInput {
    pub field: ClientSortField,
    pub direction: SortDirection,
}

#[derive(cynic::QueryVariables, Debug)]
pub struct ClientsVariables {
    pub first: Option<i32>,
    pub after: Option<String>,
    pub filter: Option<ClientFilterInput>,
    pub sort: Option<ClientSortInput>,
}

#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "QueryRoot", variables = "ClientsVariables")]
pub struct Clients {
    #[arguments(first: $first, after: $after, filter: $filter, sort: $sort)]
    pub clients: ClientPage,
}

/// One line of a client's purchase history.
#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "Sale")]
#[serde(rename_all = "camelCase")]
pub struct PurchaseRow {
    pub id: Id,
    pub amount: Money,
    pub sold_at: DateTime,
    pub status: SaleStatus,
    pub items: Vec<ItemRow>,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "SaleEdge")]
pub struct PurchaseEdge {
    pub node: PurchaseRow,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "SaleConnection")]
#[serde(rename_all = "camelCase")]
pub struct PurchasePage {
    pub total_count: i32,
    pub edges: Vec<PurchaseEdge>,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "User")]
#[serde(rename_all = "camelCase")]
pub struct Author {
    pub display_name: String,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "Interaction")]
#[serde(rename_all = "camelCase")]
pub struct InteractionRow {
    pub id: Id,
    pub kind: InteractionKind,
    pub body: String,
    pub occurred_at: DateTime,
    pub author: Option<Author>,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
pub struct InteractionEdge {
    pub node: InteractionRow,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "InteractionConnection")]
#[serde(rename_all = "camelCase")]
pub struct InteractionPage {
    pub edges: Vec<InteractionEdge>,
    pub page_info: PageInfo,
}

#[derive(cynic::QueryVariables, Debug)]
pub struct ClientVariables {
    pub id: Id,
    /// Purchases shown.
    pub sales: i32,
    /// Interactions shown per page.
    pub interactions: i32,
    pub interactions_after: Option<String>,
}

/// Everything the client screen shows: contacts, figures, purchases and interactions.
#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "Client", variables = "ClientVariables")]
#[serde(rename_all = "camelCase")]
pub struct ClientDetail {
    pub id: Id,
    pub external_id: Option<String>,
    pub name: String,
    pub email: Option<String>,
    /// As typed: what the edit form shows.
    pub phone: Option<String>,
    pub phone_display: Option<String>,
    pub phone_e164: Option<String>,
    pub status: ClientStatus,
    pub archived: bool,
    pub sales_count: i32,
    pub total_spent: Money,
    pub totals: Vec<Money>,
    pub last_purchase_at: Option<DateTime>,
    pub last_interaction_at: Option<DateTime>,
    pub created_at: DateTime,
    #[arguments(first: $sales)]
    pub sales: PurchasePage,
    #[arguments(first: $interactions, after: $interactions_after)]
    pub interactions: InteractionPage,
}

#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "QueryRoot", variables = "ClientVariables")]
pub struct Client {
    #[arguments(id: $id)]
    pub client: ClientDetail,
}

/// Absent fields stay as they are; `None` e-mail or phone is sent as `null` and clears it.
#[derive(cynic::InputObject, Debug)]
pub struct ClientUpdateInput {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub status: ClientStatus,
}

#[derive(cynic::QueryVariables, Debug)]
pub struct UpdateClientVariables {
    pub id: Id,
    pub input: ClientUpdateInput,
}

// A mutation must select something; the UI reloads what it shows instead of reading this.
#[allow(dead_code)]
#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "MutationRoot", variables = "UpdateClientVariables")]
pub struct UpdateClient {
    #[arguments(id: $id, input: $input)]
    pub update_client: ClientId,
}

// A mutation must select something; the UI reloads what it shows instead of reading this.
#[allow(dead_code)]
#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "MutationRoot", variables = "super::IdVariables")]
pub struct ArchiveClient {
    #[arguments(id: $id)]
    pub archive_client: ClientId,
}

// A mutation must select something; the UI reloads what it shows instead of reading this.
#[allow(dead_code)]
#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "MutationRoot", variables = "super::IdVariables")]
pub struct RestoreClient {
    #[arguments(id: $id)]
    pub restore_client: ClientId,
}

#[derive(cynic::InputObject, Debug)]
pub struct ClientInput {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub status: ClientStatus,
}

#[derive(cynic::QueryVariables, Debug)]
pub struct CreateClientVariables {
    pub input: ClientInput,
}

#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "MutationRoot", variables = "CreateClientVariables")]
pub struct CreateClient {
    #[arguments(input: $input)]
    pub create_client: ClientId,
}

#[derive(cynic::InputObject, Debug)]
pub struct InteractionInput {
    pub kind: InteractionKind,
    pub body: String,
    /// `None`: now.
    #[cynic(skip_serializing_if = "Option::is_none")]
    pub occurred_at: Option<DateTime>,
}

#[derive(cynic::QueryVariables, Debug)]
pub struct AddInteractionVariables {
    pub id: Id,
    pub input: InteractionInput,
}

// A mutation must select something; the UI reloads what it shows instead of reading this.
#[allow(dead_code)]
#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "Interaction")]
pub struct InteractionId {
    pub id: Id,
}

// A mutation must select something; the UI reloads what it shows instead of reading this.
#[allow(dead_code)]
#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "MutationRoot", variables = "AddInteractionVariables")]
pub struct AddInteraction {
    #[arguments(clientId: $id, input: $input)]
    pub add_interaction: InteractionId,
}
