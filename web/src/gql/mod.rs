//! The GraphQL operations the UI runs, typed from `schema.graphql` by cynic: `build.rs`
//! registers the schema, and every struct here names the schema type it selects from. A field,
//! argument or variable the schema lacks, or one of the wrong type, fails the build. The
//! fragments are also what server functions hand to the pages, in the browser and during
//! server rendering alike (they serialize under the API's field names).

use serde::Serialize;

#[cynic::schema("crm")]
mod schema {}

// ---------------------------------------------------------------------------------------------
// Scalars

/// An id as the API gives it.
#[derive(cynic::Scalar, Clone, Debug, PartialEq, Eq, Hash)]
#[cynic(graphql_type = "ID")]
pub struct Id(pub String);

impl Id {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Id {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A moment in RFC 3339, as the API writes it (`2026-11-22T10:15:00+00:00`).
#[derive(cynic::Scalar, Clone, Debug, PartialEq, Eq)]
pub struct DateTime(pub String);

impl std::ops::Deref for DateTime {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl From<chrono::DateTime<chrono::Utc>> for DateTime {
    fn from(at: chrono::DateTime<chrono::Utc>) -> DateTime {
        DateTime(at.to_rfc3339())
    }
}

/// Money in minor units. The schema types it `Int`, which GraphQL defines as 32 bits, but the
/// API sends and accepts 64-bit values there (21,474,836.48 ₽ and more), so it is read as i64.
#[derive(cynic::Scalar, Clone, Copy, Debug, PartialEq, Eq)]
#[cynic(graphql_type = "Int")]
pub struct Minor(pub i64);

// ---------------------------------------------------------------------------------------------
// Enums

/// An enum of the schema, with its values as the API names them: what forms and addresses
/// carry, and what the server's checks of a form accept.
pub trait ApiEnum: Sized + Copy + 'static {
    /// Every value, in the order forms offer them.
    const ALL: &'static [Self];

    /// The API's name of this value.
    fn name(self) -> &'static str;

    /// The value the API names `text`.
    fn parse(text: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.name() == text)
    }
}

/// Declares an enum of the schema: each value once, with its API name.
macro_rules! api_enum {
    ($name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        #[derive(cynic::Enum, Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $name {
            $(#[cynic(rename = $text)] $variant),+
        }

        impl ApiEnum for $name {
            const ALL: &'static [$name] = &[$($name::$variant),+];

            fn name(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }
    };
}

api_enum!(SaleStatus {
    Completed = "COMPLETED",
    Pending = "PENDING",
    Cancelled = "CANCELLED",
    Refunded = "REFUNDED",
});

api_enum!(InteractionKind {
    Call = "CALL",
    Email = "EMAIL",
    Meeting = "MEETING",
    Note = "NOTE",
});

api_enum!(ClientStatus {
    Active = "ACTIVE",
    Inactive = "INACTIVE",
});

api_enum!(ItemKind {
    Goods = "GOODS",
    Service = "SERVICE",
});

api_enum!(Role {
    Viewer = "VIEWER",
    Member = "MEMBER",
    Admin = "ADMIN",
    Owner = "OWNER",
});

api_enum!(Scope {
    Read = "READ",
    ReadWrite = "READ_WRITE",
});

api_enum!(ChangeKind {
    Created = "CREATED",
    Updated = "UPDATED",
});

api_enum!(ClientSortField {
    Name = "NAME",
    TotalSpent = "TOTAL_SPENT",
    LastPurchase = "LAST_PURCHASE",
    LastInteraction = "LAST_INTERACTION",
    CreatedAt = "CREATED_AT",
});

api_enum!(SortDirection {
    Asc = "ASC",
    Desc = "DESC",
});

// ---------------------------------------------------------------------------------------------
// Shared fragments

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Money {
    /// Major units as a decimal string ("1240000.00").
    pub amount: String,
    pub currency: String,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "Company")]
pub struct CompanyRef {
    pub id: Id,
    pub name: String,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
pub struct CompanyMembership {
    pub company: CompanyRef,
    pub role: Role,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "User")]
#[serde(rename_all = "camelCase")]
pub struct UserInfo {
    pub email: String,
    pub display_name: String,
    pub locale: String,
}

/// The signed-in user, the active company and the others they belong to.
#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
pub struct Viewer {
    pub user: UserInfo,
    pub company: Option<CompanyRef>,
    pub role: Option<Role>,
    pub companies: Vec<CompanyMembership>,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "Client")]
pub struct ClientRef {
    pub id: Id,
    pub name: String,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PageInfo {
    pub has_next_page: bool,
    pub end_cursor: Option<String>,
}

/// A sale as lists show it.
#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "Sale")]
#[serde(rename_all = "camelCase")]
pub struct SaleRow {
    pub id: Id,
    pub amount: Money,
    pub sold_at: DateTime,
    pub status: SaleStatus,
    pub client: ClientRef,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "SaleEdge")]
pub struct SaleRowEdge {
    pub node: SaleRow,
}

/// The id of what a mutation created or changed.
#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "Sale")]
pub struct SaleId {
    pub id: Id,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "Client")]
pub struct ClientId {
    pub id: Id,
}

// ---------------------------------------------------------------------------------------------
// Session: sign in, register, refresh, sign out, the viewer, the active company

/// Tokens of a session, kept in the browser's httpOnly cookie only.
#[derive(cynic::QueryFragment, Clone, Debug)]
#[cynic(graphql_type = "AuthPayload")]
pub struct Tokens {
    pub access_token: String,
    pub refresh_token: String,
}

#[derive(cynic::QueryVariables, Debug)]
pub struct LoginVariables {
    pub email: String,
    pub password: String,
}

#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "MutationRoot", variables = "LoginVariables")]
pub struct Login {
    #[arguments(email: $email, password: $password)]
    pub login: Tokens,
}

#[derive(cynic::InputObject, Debug)]
pub struct RegisterInput {
    pub email: String,
    pub password: String,
    pub display_name: String,
    pub company_name: String,
    pub base_currency: String,
    pub locale: String,
}

#[derive(cynic::QueryVariables, Debug)]
pub struct RegisterVariables {
    pub input: RegisterInput,
}

#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "MutationRoot", variables = "RegisterVariables")]
pub struct Register {
    #[arguments(input: $input)]
    pub register: Tokens,
}

#[derive(cynic::QueryVariables, Debug)]
pub struct RefreshVariables {
    pub token: String,
}

#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "MutationRoot", variables = "RefreshVariables")]
pub struct Refresh {
    #[arguments(refreshToken: $token)]
    pub refresh_session: Tokens,
}

// A mutation must select something; the UI reloads what it shows instead of reading this.
#[allow(dead_code)]
#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "MutationRoot")]
pub struct Logout {
    pub logout: bool,
}

#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "QueryRoot")]
pub struct Me {
    pub me: Viewer,
}

#[derive(cynic::QueryVariables, Debug)]
pub struct IdVariables {
    pub id: Id,
}

// A mutation must select something; the UI reloads what it shows instead of reading this.
#[allow(dead_code)]
#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "Viewer")]
pub struct SwitchedTo {
    pub role: Option<Role>,
}

// A mutation must select something; the UI reloads what it shows instead of reading this.
#[allow(dead_code)]
#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "MutationRoot", variables = "IdVariables")]
pub struct SwitchCompany {
    #[arguments(companyId: $id)]
    pub switch_company: SwitchedTo,
}

// ---------------------------------------------------------------------------------------------
// Start screen

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "SalesSummary")]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    pub sales_count: i32,
    pub new_clients: i32,
    pub revenue: Vec<Money>,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "SaleConnection")]
pub struct SaleList {
    pub edges: Vec<SaleRowEdge>,
}

#[derive(cynic::QueryVariables, Debug)]
pub struct PeriodVariables {
    pub from: DateTime,
    pub to: DateTime,
}

/// The start screen: the period's figures and the latest sales.
#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "QueryRoot", variables = "PeriodVariables")]
#[serde(rename_all = "camelCase")]
pub struct Dashboard {
    #[arguments(from: $from, to: $to)]
    pub sales_summary: Summary,
    #[arguments(first: 5)]
    pub sales: SaleList,
}

// ---------------------------------------------------------------------------------------------
// Clients list

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "Client")]
#[serde(rename_all = "camelCase")]
pub struct ClientRow {
    pub id: Id,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub last_interaction_at: Option<DateTime>,
    pub total_spent: Money,
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

#[derive(cynic::InputObject, Debug)]
pub struct ClientFilterInput {
    pub search: Option<String>,
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

// ---------------------------------------------------------------------------------------------
// Sales list

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "SaleConnection")]
#[serde(rename_all = "camelCase")]
pub struct SalePage {
    pub total_count: i32,
    pub edges: Vec<SaleRowEdge>,
    pub page_info: PageInfo,
}

#[derive(cynic::InputObject, Debug)]
pub struct SaleFilterInput {
    pub sold_from: Option<DateTime>,
    pub sold_to: Option<DateTime>,
    pub client_id: Option<Id>,
    pub status: Option<SaleStatus>,
    pub currency: Option<String>,
}

#[derive(cynic::QueryVariables, Debug)]
pub struct SalesVariables {
    pub first: Option<i32>,
    pub after: Option<String>,
    pub filter: Option<SaleFilterInput>,
}

#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "QueryRoot", variables = "SalesVariables")]
pub struct Sales {
    #[arguments(first: $first, after: $after, filter: $filter)]
    pub sales: SalePage,
}

// ---------------------------------------------------------------------------------------------
// Client screen

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "SaleItem")]
#[serde(rename_all = "camelCase")]
pub struct ItemRow {
    pub name: String,
    pub sku: Option<String>,
    pub kind: ItemKind,
    pub quantity: f64,
    pub unit_price_minor: Option<Minor>,
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
    pub phone: Option<String>,
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
#[cynic(graphql_type = "MutationRoot", variables = "IdVariables")]
pub struct ArchiveClient {
    #[arguments(id: $id)]
    pub archive_client: ClientId,
}

// A mutation must select something; the UI reloads what it shows instead of reading this.
#[allow(dead_code)]
#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "MutationRoot", variables = "IdVariables")]
pub struct RestoreClient {
    #[arguments(id: $id)]
    pub restore_client: ClientId,
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

// ---------------------------------------------------------------------------------------------
// Sales: create, show, edit, follow live

#[derive(cynic::InputObject, Debug)]
pub struct SaleItemInput {
    pub name: String,
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
#[cynic(graphql_type = "QueryRoot", variables = "IdVariables")]
pub struct Sale {
    #[arguments(id: $id)]
    pub sale: SaleDetail,
}

/// Absent fields stay as they are; a `None` note is sent as `null` and clears it.
#[derive(cynic::InputObject, Debug)]
pub struct SaleUpdateInput {
    pub amount_minor: Minor,
    pub currency: String,
    /// `None`: the date stays.
    #[cynic(skip_serializing_if = "Option::is_none")]
    pub sold_at: Option<DateTime>,
    pub status: SaleStatus,
    pub note: Option<String>,
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

// ---------------------------------------------------------------------------------------------
// API keys

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ApiKey {
    pub id: Id,
    pub name: String,
    pub prefix: String,
    pub scope: Scope,
    pub created_at: DateTime,
    pub last_used_at: Option<DateTime>,
    pub revoked: bool,
}

#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "QueryRoot")]
pub struct ApiKeys {
    pub api_keys: Vec<ApiKey>,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "CreatedApiKey")]
#[serde(rename_all = "camelCase")]
pub struct CreatedKey {
    /// The full key, shown once.
    pub secret: String,
    pub api_key: ApiKey,
}

#[derive(cynic::QueryVariables, Debug)]
pub struct NameVariables {
    pub name: String,
}

#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "MutationRoot", variables = "NameVariables")]
pub struct CreateApiKey {
    #[arguments(name: $name)]
    pub create_api_key: CreatedKey,
}

// A mutation must select something; the UI reloads what it shows instead of reading this.
#[allow(dead_code)]
#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "ApiKey")]
pub struct ApiKeyId {
    pub id: Id,
}

// A mutation must select something; the UI reloads what it shows instead of reading this.
#[allow(dead_code)]
#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "MutationRoot", variables = "IdVariables")]
pub struct RevokeApiKey {
    #[arguments(id: $id)]
    pub revoke_api_key: ApiKeyId,
}
