//! API keys: created and revoked by owners and admins; the full key is returned once.

use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};

use crate::auth::{self, Scope};
use crate::db;
use crate::domain::validate;
use crate::error::ApiError;
use crate::graphql::values::{parse_id, to_utc};
use crate::graphql::{app, principal};

pub struct ApiKeyNode(pub db::api_keys::ApiKey);

#[Object(name = "ApiKey")]
impl ApiKeyNode {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The key's visible beginning, `crm_<prefix>_…`, to tell keys apart.
    async fn prefix(&self) -> String {
        format!("{}{}", auth::api_keys::MARKER, self.0.prefix)
    }
    async fn scope(&self) -> Scope {
        self.0.scope
    }
    async fn created_at(&self) -> DateTime<Utc> {
        to_utc(self.0.created_at)
    }
    /// Last request made with the key (updated at most once a minute).
    async fn last_used_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_used_at.map(to_utc)
    }
    async fn revoked_at(&self) -> Option<DateTime<Utc>> {
        self.0.revoked_at.map(to_utc)
    }
    async fn revoked(&self) -> bool {
        self.0.revoked_at.is_some()
    }
}

/// A new key. `secret` is the full key: it is shown here once and never again.
#[derive(SimpleObject)]
pub struct CreatedApiKey {
    pub api_key: ApiKeyNode,
    pub secret: String,
}

#[derive(Default)]
pub struct ApiKeyQuery;

#[Object]
impl ApiKeyQuery {
    /// The active company's API keys, newest first (owners and admins).
    async fn api_keys(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ApiKeyNode>> {
        let (company_id, _, _) = principal(ctx).managed_company()?;
        let mut conn = app(ctx).db.read().await.map_err(ApiError::from)?;
        let keys = db::api_keys::list(&mut conn, company_id)
            .await
            .map_err(ApiError::from)?;
        Ok(keys.into_iter().map(ApiKeyNode).collect())
    }
}

#[derive(Default)]
pub struct ApiKeyMutation;

#[Object]
impl ApiKeyMutation {
    /// Creates a key for the active company (owners and admins).
    async fn create_api_key(
        &self,
        ctx: &Context<'_>,
        name: String,
        #[graphql(default_with = "Scope::ReadWrite")] scope: Scope,
    ) -> async_graphql::Result<CreatedApiKey> {
        let (company_id, user_id, _) = principal(ctx).managed_company()?;
        let name = validate::text("name", &name, 100)?;
        let key = auth::api_keys::generate();
        let mut conn = app(ctx).db.write().await.map_err(ApiError::from)?;
        let row = db::api_keys::insert(
            &mut conn,
            &db::api_keys::NewApiKey {
                company_id,
                name: &name,
                prefix: &key.prefix,
                key_hash: &key.hash,
                scope,
                created_by: Some(user_id),
                created_at: Utc::now().naive_utc(),
            },
        )
        .await
        .map_err(ApiError::from)?;
        Ok(CreatedApiKey {
            api_key: ApiKeyNode(row),
            secret: key.full,
        })
    }

    /// Revokes a key; requests with it fail from now on. Revoking twice is harmless.
    async fn revoke_api_key(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<ApiKeyNode> {
        let (company_id, _, _) = principal(ctx).managed_company()?;
        let id = parse_id(&id)?;
        let mut conn = app(ctx).db.write().await.map_err(ApiError::from)?;
        let key = db::api_keys::revoke(&mut conn, company_id, id, Utc::now().naive_utc())
            .await
            .map_err(ApiError::from)?
            .ok_or(ApiError::NotFound)?;
        Ok(ApiKeyNode(key))
    }
}
