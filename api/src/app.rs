//! The one state value of a server process, built once and shared behind an `Arc`.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;

use crate::assistant::Assistant;
use crate::auth::rate_limit::RateLimiter;
use crate::auth::tokens::{JwtKeys, RefreshKey};
use crate::auth::{self, Principal};
use crate::config::Config;
use crate::db::{self, Db};
use crate::error::{ApiError, ApiResult};
use crate::events::Events;

pub struct App {
    pub config: Config,
    pub db: Db,
    pub events: Events,
    pub jwt: JwtKeys,
    /// Derives each refresh token from the one it replaces (see [`RefreshKey`]).
    pub refresh_key: RefreshKey,
    pub login_limiter: RateLimiter,
    /// `register` calls per client address.
    pub register_limiter: RateLimiter,
    pub api_key_limiter: RateLimiter,
    /// Requests (and operations over a socket) per signed-in user.
    pub user_limiter: RateLimiter,
    /// Password hashes and checks running at once (argon2 takes ~20 MiB and tens of ms each).
    pub password_work: tokio::sync::Semaphore,
    /// Sockets and event streams open per session or key.
    pub live: crate::http::live::LiveCounts,
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
        let db = Db::connect_with(
            &url,
            &db::DbSettings {
                pool_size: config.pool_size,
                statement_timeout: config.statement_timeout,
                sqlite_synchronous: config.sqlite_synchronous,
            },
        )
        .await?;
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
            register_limiter: RateLimiter::new(config.register_rate_per_min),
            api_key_limiter: RateLimiter::new(config.api_key_rate_per_min),
            user_limiter: RateLimiter::new(config.user_rate_per_min),
            password_work: tokio::sync::Semaphore::new(crate::auth::passwords::CONCURRENT_HASHES),
            live: crate::http::live::LiveCounts::default(),
            jwt: JwtKeys::new(jwt_secret.as_bytes()),
            refresh_key: RefreshKey::derive(jwt_secret.as_bytes()),
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
            let principal = key_principal(&key);
            self.check_rate(&principal)?;
            if key
                .last_used_at
                .is_none_or(|t| now - t > KEY_TOUCH_INTERVAL)
            {
                let mut conn = self.db.write().await?;
                db::api_keys::touch(&mut conn, key.id, now).await?;
            }
            return Ok(principal);
        }
        let claims = self.jwt.verify(token).ok_or(ApiError::Unauthenticated)?;
        let principal = self
            .session_principal(claims.sid, Some(&claims.sub))
            .await?;
        self.check_rate(&principal)?;
        Ok(principal)
    }

    /// The principal of a live session, as it is now (its role may have changed since the
    /// token was issued). `sub`, when given, must be the session's user.
    async fn session_principal(&self, session_id: i64, sub: Option<&str>) -> ApiResult<Principal> {
        let now = Utc::now().naive_utc();
        let mut conn = self.db.read().await?;
        let (user_id, company_id, role) = db::sessions::principal(&mut conn, session_id, now)
            .await?
            .filter(|(user, _, _)| sub.is_none_or(|sub| user.to_string() == sub))
            .ok_or(ApiError::Unauthenticated)?;
        Ok(Principal::User {
            user_id,
            session_id,
            company_id,
            role,
        })
    }

    /// What `principal` is now: the same value while its session or key holds with the same
    /// rights; a different one after a role change or company switch; UNAUTHENTICATED once
    /// the session or key has ended (logout, revocation, removal from the company).
    pub async fn recheck(&self, principal: &Principal) -> ApiResult<Principal> {
        match principal {
            Principal::Anonymous => Ok(Principal::Anonymous),
            Principal::User { session_id, .. } => self.session_principal(*session_id, None).await,
            Principal::ApiKey {
                key_id, company_id, ..
            } => {
                let mut conn = self.db.read().await?;
                let key = db::api_keys::live_by_id(&mut conn, *company_id, *key_id)
                    .await?
                    .ok_or(ApiError::Unauthenticated)?;
                Ok(key_principal(&key))
            }
        }
    }

    /// Takes one request's worth from the principal's rate limit (per API key, per user).
    pub fn check_rate(&self, principal: &Principal) -> ApiResult<()> {
        match principal {
            Principal::Anonymous => Ok(()),
            Principal::User { user_id, .. } => self.user_limiter.take(&format!("u:{user_id}")),
            Principal::ApiKey { key_id, .. } => self.api_key_limiter.take(&format!("k:{key_id}")),
        }
    }

    pub fn access_token_ttl(&self) -> Duration {
        self.config.access_token_ttl
    }
}

/// The principal of a live API key.
fn key_principal(key: &db::api_keys::ApiKey) -> Principal {
    Principal::ApiKey {
        key_id: key.id,
        company_id: key.company_id,
        scope: key.scope,
    }
}
