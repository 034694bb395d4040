//! The GraphQL operations the UI runs, each with its typed variables and result. The
//! operations are checked against the schema the server executes (`server::tests`), so a
//! change of `schema.graphql` that breaks one fails the tests.

use serde::{Deserialize, Serialize};

/// Sale statuses as the API names them, in the order the forms and filters offer them.
pub const SALE_STATUSES: [&str; 4] = ["COMPLETED", "PENDING", "CANCELLED", "REFUNDED"];

/// Interaction kinds as the API names them, in the order the form offers them.
pub const INTERACTION_KINDS: [&str; 4] = ["CALL", "EMAIL", "MEETING", "NOTE"];

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Money {
    pub amount: String,
    pub currency: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CompanyRef {
    pub id: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CompanyMembership {
    pub company: CompanyRef,
    pub role: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserInfo {
    pub email: String,
    pub display_name: String,
    pub locale: String,
}

/// The signed-in user, the active company and the others they belong to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Viewer {
    pub user: UserInfo,
    pub company: Option<CompanyRef>,
    pub role: Option<String>,
    pub companies: Vec<CompanyMembership>,
}

pub const VIEWER_FIELDS: &str = "user { email displayName locale } company { id name } role companies { company { id name } role }";

pub fn me() -> String {
    format!("{{ me {{ {VIEWER_FIELDS} }} }}")
}

#[derive(Deserialize)]
pub struct MeData {
    pub me: Viewer,
}

/// Tokens of a session, kept in the browser's httpOnly cookie only.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tokens {
    pub access_token: String,
    pub refresh_token: String,
}

pub const LOGIN: &str = "mutation($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken refreshToken } }";
pub const REGISTER: &str =
    "mutation($input: RegisterInput!) { register(input: $input) { accessToken refreshToken } }";
pub const REFRESH: &str = "mutation($token: String!) { refreshSession(refreshToken: $token) { accessToken refreshToken } }";
pub const LOGOUT: &str = "mutation { logout }";
pub const SWITCH_COMPANY: &str = "mutation($id: ID!) { switchCompany(companyId: $id) { role } }";

#[derive(Deserialize)]
pub struct LoginData {
    pub login: Tokens,
}

#[derive(Deserialize)]
pub struct RegisterData {
    pub register: Tokens,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RefreshData {
    pub refresh_session: Tokens,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SaleRow {
    pub id: String,
    pub amount: Money,
    pub sold_at: String,
    pub status: String,
    pub client: ClientRef,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientRef {
    pub id: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    pub sales_count: i64,
    pub new_clients: i64,
    pub revenue: Vec<Money>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Edge<T> {
    pub node: T,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PageInfo {
    pub has_next_page: bool,
    pub end_cursor: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SaleList {
    pub edges: Vec<Edge<SaleRow>>,
}

/// The start screen: this month's figures and the latest sales.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Dashboard {
    pub sales_summary: Summary,
    pub sales: SaleList,
}

pub const DASHBOARD: &str = "query($from: DateTime!, $to: DateTime!) {
    salesSummary(from: $from, to: $to) { salesCount newClients revenue { amount currency } }
    sales(first: 5) { edges { node { id amount { amount currency } soldAt status client { id name } } } } }";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientRow {
    pub id: String,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub last_interaction_at: Option<String>,
    pub total_spent: Money,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientPage {
    pub total_count: i64,
    pub edges: Vec<Edge<ClientRow>>,
    pub page_info: PageInfo,
}

#[derive(Deserialize)]
pub struct ClientsData {
    pub clients: ClientPage,
}

pub const CLIENTS: &str =
    "query($first: Int, $after: String, $filter: ClientFilterInput, $sort: ClientSortInput) {
    clients(first: $first, after: $after, filter: $filter, sort: $sort) {
      totalCount
      edges { node { id name email phone lastInteractionAt totalSpent { amount currency } } }
      pageInfo { hasNextPage endCursor } } }";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SalePage {
    pub total_count: i64,
    pub edges: Vec<Edge<SaleRow>>,
    pub page_info: PageInfo,
}

#[derive(Deserialize)]
pub struct SalesData {
    pub sales: SalePage,
}

pub const SALES: &str = "query($first: Int, $after: String, $filter: SaleFilterInput) {
    sales(first: $first, after: $after, filter: $filter) {
      totalCount
      edges { node { id amount { amount currency } soldAt status client { id name } } }
      pageInfo { hasNextPage endCursor } } }";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiKey {
    pub id: String,
    pub name: String,
    pub prefix: String,
    pub scope: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub revoked: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiKeysData {
    pub api_keys: Vec<ApiKey>,
}

pub const API_KEYS: &str = "{ apiKeys { id name prefix scope createdAt lastUsedAt revoked } }";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreatedKey {
    pub secret: String,
    pub api_key: ApiKey,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateKeyData {
    pub create_api_key: CreatedKey,
}

pub const CREATE_API_KEY: &str = "mutation($name: String!) { createApiKey(name: $name) { secret apiKey { id name prefix scope createdAt lastUsedAt revoked } } }";
pub const REVOKE_API_KEY: &str = "mutation($id: ID!) { revokeApiKey(id: $id) { id } }";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemRow {
    pub name: String,
    pub sku: Option<String>,
    pub kind: String,
    pub quantity: f64,
    pub unit_price_minor: Option<i64>,
}

/// One line of a client's purchase history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PurchaseRow {
    pub id: String,
    pub amount: Money,
    pub sold_at: String,
    pub status: String,
    pub items: Vec<ItemRow>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PurchasePage {
    pub total_count: i64,
    pub edges: Vec<Edge<PurchaseRow>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Author {
    pub display_name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InteractionRow {
    pub id: String,
    pub kind: String,
    pub body: String,
    pub occurred_at: String,
    pub author: Option<Author>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InteractionPage {
    pub edges: Vec<Edge<InteractionRow>>,
    pub page_info: PageInfo,
}

/// Everything the client screen shows: contacts, figures, purchases and interactions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientDetail {
    pub id: String,
    pub external_id: Option<String>,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub status: String,
    pub archived: bool,
    pub sales_count: i64,
    pub total_spent: Money,
    pub totals: Vec<Money>,
    pub last_purchase_at: Option<String>,
    pub last_interaction_at: Option<String>,
    pub created_at: String,
    pub sales: PurchasePage,
    pub interactions: InteractionPage,
}

#[derive(Deserialize)]
pub struct ClientData {
    pub client: ClientDetail,
}

pub const CLIENT: &str = "query($id: ID!, $sales: Int!, $interactionsAfter: String) {
    client(id: $id) {
      id externalId name email phone status archived salesCount
      totalSpent { amount currency } totals { amount currency }
      lastPurchaseAt lastInteractionAt createdAt
      sales(first: $sales) { totalCount edges { node {
        id amount { amount currency } soldAt status items { name sku kind quantity unitPriceMinor } } } }
      interactions(first: 20, after: $interactionsAfter) {
        edges { node { id kind body occurredAt author { displayName } } }
        pageInfo { hasNextPage endCursor } } } }";

/// The id of what a mutation created or changed.
#[derive(Clone, Debug, Deserialize)]
pub struct Id {
    pub id: String,
}

pub const UPDATE_CLIENT: &str = "mutation($id: ID!, $input: ClientUpdateInput!) { updateClient(id: $id, input: $input) { id } }";
pub const ARCHIVE_CLIENT: &str = "mutation($id: ID!) { archiveClient(id: $id) { id } }";
pub const RESTORE_CLIENT: &str = "mutation($id: ID!) { restoreClient(id: $id) { id } }";
pub const ADD_INTERACTION: &str = "mutation($id: ID!, $input: InteractionInput!) { addInteraction(clientId: $id, input: $input) { id } }";
pub const CREATE_SALE: &str = "mutation($input: SaleInput!) { createSale(input: $input) { id } }";

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateSaleData {
    pub create_sale: Id,
}

/// The sale screen.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SaleDetail {
    pub id: String,
    pub external_id: Option<String>,
    pub client: ClientRef,
    pub amount: Money,
    pub sold_at: String,
    pub status: String,
    pub items: Vec<ItemRow>,
    pub note: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Deserialize)]
pub struct SaleData {
    pub sale: SaleDetail,
}

pub const SALE: &str = "query($id: ID!) { sale(id: $id) {
    id externalId client { id name } amount { amount currency } soldAt status
    items { name sku kind quantity unitPriceMinor } note createdAt updatedAt } }";
pub const UPDATE_SALE: &str =
    "mutation($id: ID!, $input: SaleUpdateInput!) { updateSale(id: $id, input: $input) { id } }";

/// A sale that was created or changed, as the live sales list receives it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SaleChange {
    pub kind: String,
    pub sale: SaleRow,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SaleChangedData {
    pub sale_changed: SaleChange,
}

pub const SALE_CHANGED: &str = "subscription { saleChanged { kind sale {
    id amount { amount currency } soldAt status client { id name } } } }";

/// Every operation, for the schema check.
#[cfg(test)]
pub fn all() -> Vec<String> {
    [
        LOGIN,
        REGISTER,
        REFRESH,
        LOGOUT,
        SWITCH_COMPANY,
        DASHBOARD,
        CLIENTS,
        SALES,
        CLIENT,
        UPDATE_CLIENT,
        ARCHIVE_CLIENT,
        RESTORE_CLIENT,
        ADD_INTERACTION,
        CREATE_SALE,
        SALE,
        UPDATE_SALE,
        API_KEYS,
        CREATE_API_KEY,
        REVOKE_API_KEY,
    ]
    .iter()
    .map(|s| s.to_string())
    .chain([me()])
    .collect()
}
