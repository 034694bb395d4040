//! The API keys screen: the list, creating a key (its secret shown once) and revoking one.

use serde::Serialize;

use super::{DateTime, Id, Scope, schema};

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
pub struct NewKeyVariables {
    pub name: String,
    pub scope: Scope,
}

#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "MutationRoot", variables = "NewKeyVariables")]
pub struct CreateApiKey {
    #[arguments(name: $name, scope: $scope)]
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
#[cynic(graphql_type = "MutationRoot", variables = "super::IdVariables")]
pub struct RevokeApiKey {
    #[arguments(id: $id)]
    pub revoke_api_key: ApiKeyId,
}
