//! DataLoaders: every relation a list can ask for is loaded in one query per page, never one
//! per row. Built per request for the principal's company, so they cannot reach other tenants.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};

use crate::app::App;
use crate::db::{self, clients::Client, companies::Company, sales::Sale, users::User};
use crate::error::ApiError;

pub struct Loaders {
    pub clients: DataLoader<ClientLoader, HashMapCache>,
    pub totals: DataLoader<TotalsLoader, HashMapCache>,
    pub last_sales: DataLoader<LastSaleLoader, HashMapCache>,
    pub users: DataLoader<UserLoader, HashMapCache>,
    pub companies: DataLoader<CompanyLoader, HashMapCache>,
}

impl Loaders {
    /// Loaders for one request acting in `company_id` (0 for an anonymous request, which no
    /// tenant resolver lets through). They cache for the request's lifetime, so a list can
    /// prefetch what its rows will ask for.
    pub fn new(app: &Arc<App>, company_id: i64) -> Loaders {
        let scoped = || Scoped {
            app: app.clone(),
            company_id,
        };
        // Keys that arrive within this window share one query.
        let window = Duration::from_millis(3);
        Loaders {
            clients: DataLoader::with_cache(
                ClientLoader(scoped()),
                tokio::spawn,
                HashMapCache::default(),
            )
            .delay(window),
            totals: DataLoader::with_cache(
                TotalsLoader(scoped()),
                tokio::spawn,
                HashMapCache::default(),
            )
            .delay(window),
            last_sales: DataLoader::with_cache(
                LastSaleLoader(scoped()),
                tokio::spawn,
                HashMapCache::default(),
            )
            .delay(window),
            users: DataLoader::with_cache(
                UserLoader(scoped()),
                tokio::spawn,
                HashMapCache::default(),
            )
            .delay(window),
            companies: DataLoader::with_cache(
                CompanyLoader(scoped()),
                tokio::spawn,
                HashMapCache::default(),
            )
            .delay(window),
        }
    }

    /// Loaders for a WebSocket connection, which lives for hours: nothing is cached but the
    /// company (its base currency never changes), so every event shows current data.
    pub fn for_subscriptions(app: &Arc<App>, company_id: i64) -> Loaders {
        let loaders = Loaders::new(app, company_id);
        loaders.clients.enable_all_cache(false);
        loaders.totals.enable_all_cache(false);
        loaders.last_sales.enable_all_cache(false);
        loaders.users.enable_all_cache(false);
        loaders
    }
}

pub struct Scoped {
    app: Arc<App>,
    company_id: i64,
}

type LoadError = async_graphql::Error;

fn err(e: impl Into<ApiError>) -> LoadError {
    e.into().into()
}

/// Back from a loader's error to ours, keeping UNAVAILABLE (the client may retry) apart from
/// other failures (already logged where they happened).
pub fn from_loader(e: LoadError) -> ApiError {
    let unavailable = e
        .extensions
        .as_ref()
        .and_then(|x| x.get("code"))
        .is_some_and(|c| *c == async_graphql::Value::from("UNAVAILABLE"));
    if unavailable {
        ApiError::Unavailable(anyhow::anyhow!(e.message))
    } else {
        ApiError::Internal(anyhow::anyhow!(e.message))
    }
}

pub struct ClientLoader(Scoped);

impl Loader<i64> for ClientLoader {
    type Value = Client;
    type Error = LoadError;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Client>, LoadError> {
        let mut conn = self.0.app.db.read().await.map_err(err)?;
        let rows = db::clients::by_ids(&mut conn, self.0.company_id, keys)
            .await
            .map_err(err)?;
        Ok(rows.into_iter().map(|c| (c.id, c)).collect())
    }
}

/// Sums of completed sales per currency, by client.
pub struct TotalsLoader(Scoped);

impl Loader<i64> for TotalsLoader {
    type Value = Vec<(String, i64)>;
    type Error = LoadError;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, LoadError> {
        let mut conn = self.0.app.db.read().await.map_err(err)?;
        let rows = db::clients::totals(&mut conn, self.0.company_id, keys)
            .await
            .map_err(err)?;
        let mut out: HashMap<i64, Self::Value> = HashMap::new();
        for (client, currency, sum) in rows {
            out.entry(client).or_default().push((currency, sum));
        }
        Ok(out)
    }
}

/// The newest sale of each client.
pub struct LastSaleLoader(Scoped);

impl Loader<i64> for LastSaleLoader {
    type Value = Sale;
    type Error = LoadError;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Sale>, LoadError> {
        let mut conn = self.0.app.db.read().await.map_err(err)?;
        let rows = db::sales::last_of_clients(&mut conn, self.0.company_id, keys)
            .await
            .map_err(err)?;
        Ok(rows.into_iter().map(|s| (s.client_id, s)).collect())
    }
}

/// Users by id (authors of interactions). Only members' names are exposed by the resolvers.
pub struct UserLoader(Scoped);

impl Loader<i64> for UserLoader {
    type Value = User;
    type Error = LoadError;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, User>, LoadError> {
        let mut conn = self.0.app.db.read().await.map_err(err)?;
        let rows = db::users::by_ids(&mut conn, keys).await.map_err(err)?;
        Ok(rows.into_iter().map(|u| (u.id, u)).collect())
    }
}

/// The request's own company (for its base currency); other ids load nothing.
pub struct CompanyLoader(Scoped);

impl Loader<i64> for CompanyLoader {
    type Value = Company;
    type Error = LoadError;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Company>, LoadError> {
        let mut out = HashMap::new();
        if keys.contains(&self.0.company_id) {
            let mut conn = self.0.app.db.read().await.map_err(err)?;
            if let Some(c) = db::companies::by_id(&mut conn, self.0.company_id)
                .await
                .map_err(err)?
            {
                out.insert(c.id, c);
            }
        }
        Ok(out)
    }
}
