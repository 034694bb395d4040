//! The one state value of a server process, built once and shared behind an `Arc`.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;

use crate::assistant::Assistant;
use crate::auth::rate_limit::RateLimiter;
use crate::auth::tokens::JwtKeys;
use crate::auth::{self, Principal, Role, Scope};
use crate::config::Config;
use crate::db::{self, Db};
use crate::error::{ApiError, ApiResult};
use crate::events::Events;

pub struct App {
    pub config: Config,
    pub db: Db,
    pub events: Events,
    pub jwt: JwtKeys,
    pub login_limiter: RateLimiter,
    pub api_key_limiter: RateLimiter,
    pub assistant: Arc<Assistant>,
    /// The chat's limits and the answers being written in this process.
    pub chat: crate::chat::Chat,
}

/// `last_used_at` of an API key is written at most this often, not on every request.
const KEY_TOUCH_INTERVAL: chrono::TimeDelta = chrono::TimeDelta::seconds(60);

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Db(#[from] db::SetupError),
    #[error("cannot read or create the server secrets: {0}")]
    Secrets(String),
}

impl App {
    /// Connects the database (creating and migrating it when needed), loads or generates the
    /// server secrets and starts the event fan-out.
    pub async fn start(config: Config) -> Result<Arc<App>, StartError> {
        let url = match &config.database_url {
            Some(url) => url.clone(),
            None => config.data_dir.join("crm.sqlite3").display().to_string(),
        };
        let db = Db::connect(&url, config.pool_size).await?;
        let jwt_secret = match &config.jwt_secret {
            Some(s) => s.clone(),
            None => {
                let mut conn = db
                    .write()
                    .await
                    .map_err(|e| StartError::Secrets(e.to_string()))?;
                db::secrets::get_or_create(&mut conn, "jwt", auth::random_token(48))
                    .await
                    .map_err(|e| StartError::Secrets(e.to_string()))?
            }
        };
        let events = Events::start(&db);
        let assistant = Assistant::start(config.assistant.clone());
        let app = Arc::new(App {
            chat: crate::chat::Chat::default(),
            assistant,
            login_limiter: RateLimiter::new(config.login_rate_per_min),
            api_key_limiter: RateLimiter::new(config.api_key_rate_per_min),
            jwt: JwtKeys::new(jwt_secret.as_bytes()),
            events,
            db,
            config,
        });
        // Answers a stopped process left unfinished would otherwise wait forever.
        if let Err(e) = crate::chat::fail_abandoned(&app).await {
            tracing::warn!(error = %e.message(), "could not close unfinished chat answers");
        }
        Ok(app)
    }

    /// Turns a bearer token (access token or API key) into a principal. No token: anonymous.
    pub async fn authenticate(&self, bearer: Option<&str>) -> ApiResult<Principal> {
        let Some(token) = bearer.map(str::trim).filter(|t| !t.is_empty()) else {
            return Ok(Principal::Anonymous);
        };
        let now = Utc::now().naive_utc();
        if auth::api_keys::is_api_key(token) {
            let hash = auth::secret_hash(token);
            let mut conn = self.db.read().await?;
            let key = db::api_keys::live_by_hash(&mut conn, &hash)
                .await?
                .ok_or(ApiError::Unauthenticated)?;
            drop(conn);
            if let Err(wait) = self.api_key_limiter.check(&key.prefix) {
                return Err(ApiError::RateLimited {
                    retry_after_secs: wait.as_secs().max(1),
                });
            }
            if key
                .last_used_at
                .is_none_or(|t| now - t > KEY_TOUCH_INTERVAL)
            {
                let mut conn = self.db.write().await?;
                db::api_keys::touch(&mut conn, key.id, now).await?;
            }
            let scope = Scope::parse(&key.scope)
                .ok_or_else(|| ApiError::internal(anyhow::anyhow!("bad scope {}", key.scope)))?;
            return Ok(Principal::ApiKey {
                key_id: key.id,
                company_id: key.company_id,
                scope,
            });
        }
        let claims = self.jwt.verify(token).ok_or(ApiError::Unauthenticated)?;
        let mut conn = self.db.read().await?;
        let (user_id, company_id, role) = db::sessions::principal(&mut conn, claims.sid, now)
            .await?
            .filter(|(user, _, _)| user.to_string() == claims.sub)
            .ok_or(ApiError::Unauthenticated)?;
        let role = Role::parse(&role)
            .ok_or_else(|| ApiError::internal(anyhow::anyhow!("bad role {role}")))?;
        Ok(Principal::User {
            user_id,
            session_id: claims.sid,
            company_id,
            role,
        })
    }

    pub fn access_token_ttl(&self) -> Duration {
        self.config.access_token_ttl
    }
}
