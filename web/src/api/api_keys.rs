//! The company's API keys: the list (prefixes only), creating one (its secret is returned this
//! once) and revoking one.

use dioxus::prelude::*;

use crate::gql::{ApiKey, CreatedKey};

#[cfg(feature = "server")]
use {
    crate::gql::{self, Id},
    cynic::{MutationBuilder, QueryBuilder},
};

#[get("/api/keys", user: crate::server::CurrentUser)]
pub async fn api_keys() -> Result<Vec<ApiKey>, ServerFnError> {
    user.signed_in()?
        .run(gql::ApiKeys::build(()))
        .await
        .map(|d| d.api_keys)
}

/// Creates a key with `scope` (`READ` or `READ_WRITE`, as the API names it).
#[post("/api/keys", user: crate::server::CurrentUser)]
pub async fn create_api_key(name: String, scope: String) -> Result<CreatedKey, ServerFnError> {
    let scope = crate::forms::one_of::<gql::Scope>("scope", &scope)?;
    user.signed_in()?
        .run(gql::CreateApiKey::build(gql::NewKeyVariables {
            name,
            scope,
        }))
        .await
        .map(|d| d.create_api_key)
}

#[post("/api/keys/revoke", user: crate::server::CurrentUser)]
pub async fn revoke_api_key(id: String) -> Result<(), ServerFnError> {
    user.signed_in()?
        .run(gql::RevokeApiKey::build(gql::IdVariables { id: Id(id) }))
        .await
        .map(|_| ())
}
