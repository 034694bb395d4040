//! The GraphQL operations the UI runs, each with its typed variables and result. The
//! operations are checked against the schema the server executes (`server::tests`), so a
//! change of `schema.graphql` that breaks one fails the tests.

use serde::{Deserialize, Serialize};

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
        API_KEYS,
        CREATE_API_KEY,
        REVOKE_API_KEY,
    ]
    .iter()
    .map(|s| s.to_string())
    .chain([me()])
    .collect()
}
