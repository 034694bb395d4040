//! Persistence: one pool over PostgreSQL or SQLite, the migrations of both, and the
//! per-table query modules. Every tenant query takes the company id as its first argument.
//!
//! Query code is written once and compiled for both backends through [`with_conn!`], which
//! expands its body for each concrete connection type.

#[macro_use]
mod keyset;
mod migrate;
mod statistics;

pub mod api_keys;
pub mod client_scores;
pub mod clients;
pub mod companies;
pub mod conversations;
pub mod exchange_rates;
pub mod figures;
pub mod interactions;
pub mod report_jobs;
pub mod sales;
pub mod saved_reports;
pub mod schema;
pub mod secrets;
pub mod sessions;
pub mod tls;
pub mod users;

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use diesel::SqliteConnection;
use diesel::connection::{Instrumentation, InstrumentationEvent};
use diesel_async::pooled_connection::deadpool::{Object, Pool};
use diesel_async::pooled_connection::{
    AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod,
};
use diesel_async::sync_connection_wrapper::SyncConnectionWrapper;
use diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection, TransactionManager};
use futures::FutureExt;
pub use keyset::CursorMismatch;
use migrate::{migrate_pg, migrate_sqlite};

pub type PgConn = AsyncPgConnection;
pub type SqliteConn = SyncConnectionWrapper<SqliteConnection>;

/// PostgreSQL cancels statements running longer than this (`Config::statement_timeout`).
pub const DEFAULT_STATEMENT_TIMEOUT: Duration = Duration::from_secs(60);

/// SQLite's `synchronous` setting (<https://sqlite.org/pragma.html#pragma_synchronous>).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SqliteSynchronous {
    /// Each commit waits for the write-ahead log to reach the disk.
    #[default]
    Full,
    /// Commits wait only at checkpoints: faster, but the last commits can vanish on power loss.
    Normal,
}

impl SqliteSynchronous {
    pub fn as_str(self) -> &'static str {
        match self {
            SqliteSynchronous::Full => "FULL",
            SqliteSynchronous::Normal => "NORMAL",
        }
    }
}

/// How the pool is built and what each connection is set to.
#[derive(Clone, Debug)]
pub struct DbSettings {
    /// Connections in the pool.
    pub pool_size: usize,
    /// PostgreSQL only: `SET statement_timeout` on each connection.
    pub statement_timeout: Duration,
    /// SQLite only.
    pub sqlite_synchronous: SqliteSynchronous,
}

impl Default for DbSettings {
    fn default() -> Self {
        DbSettings {
            pool_size: 10,
            statement_timeout: DEFAULT_STATEMENT_TIMEOUT,
            sqlite_synchronous: SqliteSynchronous::Full,
        }
    }
}

/// How long a request waits for a pooled connection (or for a new one to be made) before it
/// gets an UNAVAILABLE error instead of hanging.
const POOL_WAIT: Duration = Duration::from_secs(5);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Postgres,
    Sqlite,
}

/// A `LISTEN` connection: the client, and the messages of its connection.
pub type PgListener = (
    tokio_postgres::Client,
    futures::stream::BoxStream<
        'static,
        Result<tokio_postgres::AsyncMessage, tokio_postgres::Error>,
    >,
);

/// Failure to get a connection from the pool.
#[derive(Debug, thiserror::Error)]
#[error("database connection unavailable: {0}")]
pub struct PoolError(String);

#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error("cannot create the data directory {0}: {1}")]
    DataDir(String, std::io::Error),
    #[error("cannot connect to the database: {0}")]
    Connect(#[from] diesel::ConnectionError),
    #[error("migrations failed: {0}")]
    Migrations(String),
    #[error("cannot build the connection pool: {0}")]
    Pool(String),
    #[error("DATABASE_URL: {0}")]
    Tls(String),
}

enum Pools {
    Pg(Pool<PgConn>),
    Sqlite(Pool<SqliteConn>),
}

struct Inner {
    pools: Pools,
    url: String,
    /// PostgreSQL: the server as tokio-postgres reaches it, with TLS as the URL asks.
    pg: Option<tls::Target>,
    /// SQLite has one writer at a time; writers queue here instead of failing with SQLITE_BUSY.
    sqlite_writer: Arc<tokio::sync::Mutex<()>>,
    queries: Arc<AtomicU64>,
}

/// The database handle shared by the whole server. Cheap to clone.
#[derive(Clone)]
pub struct Db {
    inner: Arc<Inner>,
}

/// A pooled connection of either backend. Writers on SQLite also hold the writer lock.
pub struct DbConn {
    pub(crate) pooled: Pooled,
    _writer: Option<tokio::sync::OwnedMutexGuard<()>>,
}

// One per request, short-lived: boxing the larger variant would only add an allocation.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Pooled {
    Pg(Object<PgConn>),
    Sqlite(Object<SqliteConn>),
}

/// Runs `$body` with `$c` bound to the concrete connection of `$conn` (a `&mut DbConn`).
/// The body is compiled once per backend.
#[macro_export]
macro_rules! with_conn {
    ($conn:expr, $c:ident => $body:expr) => {
        match &mut $conn.pooled {
            $crate::db::Pooled::Pg(obj) => {
                let $c: &mut $crate::db::PgConn = &mut *obj;
                $body
            }
            $crate::db::Pooled::Sqlite(obj) => {
                let $c: &mut $crate::db::SqliteConn = &mut *obj;
                $body
            }
        }
    };
}

/// Runs `$body` (a block returning `Result<_, E>` where `E: From<diesel::result::Error>`) in a
/// transaction on `$conn`: committed when it returns `Ok`, rolled back otherwise. A dropped
/// future leaves the connection marked broken, and the pool discards it.
#[macro_export]
macro_rules! transaction {
    ($conn:ident, $err:ty, $body:block) => {{
        $conn.begin().await.map_err(<$err>::from)?;
        let result: Result<_, $err> = async { $body }.await;
        match result {
            Ok(value) => {
                $conn.commit().await.map_err(<$err>::from)?;
                Ok::<_, $err>(value)
            }
            Err(e) => {
                if let Err(rollback) = $conn.rollback().await {
                    tracing::warn!(error = %rollback, "rollback failed");
                }
                Err(e)
            }
        }
    }};
}

/// Counts the SQL statements a process runs (tests use it to prove there is no N+1).
struct QueryCounter(Arc<AtomicU64>);

impl Instrumentation for QueryCounter {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if let InstrumentationEvent::StartQuery { query, .. } = event {
            self.0.fetch_add(1, Ordering::Relaxed);
            // The statement only: its bound values hold password and token hashes.
            if tracing::enabled!(target: "crm_api::sql", tracing::Level::TRACE) {
                let text = query.to_string();
                let sql = text
                    .split_once(" -- binds: ")
                    .map_or(text.as_str(), |(sql, _)| sql);
                tracing::trace!(target: "crm_api::sql", "{sql}");
            }
        }
    }
}

/// Builds a pool whose waits are bounded, so an unreachable database gives a quick error.
macro_rules! build_pool {
    ($manager:expr, $size:expr) => {
        Pool::builder($manager)
            .max_size($size.max(1))
            .wait_timeout(Some(POOL_WAIT))
            .create_timeout(Some(POOL_WAIT))
            .recycle_timeout(Some(POOL_WAIT))
            .runtime(deadpool::Runtime::Tokio1)
            .build()
            .map_err(|e| SetupError::Pool(e.to_string()))
    };
}

impl Db {
    /// Connects to `url` (`postgres://…` or a SQLite file path), applies pending migrations
    /// and builds a pool of `pool_size`, with the other [`DbSettings`] at their defaults.
    pub async fn connect(url: &str, pool_size: usize) -> Result<Db, SetupError> {
        Self::connect_with(
            url,
            &DbSettings {
                pool_size,
                ..DbSettings::default()
            },
        )
        .await
    }

    /// [`Db::connect`] with every setting given.
    pub async fn connect_with(url: &str, settings: &DbSettings) -> Result<Db, SetupError> {
        let pool_size = settings.pool_size;
        let timeout_sql = format!(
            "SET statement_timeout = {}",
            settings.statement_timeout.as_millis().max(1)
        );
        let sqlite_pragmas = sqlite_pragmas(settings.sqlite_synchronous);
        let queries = Arc::new(AtomicU64::new(0));
        let backend = backend_of(url);
        let (pools, pg) = match backend {
            Backend::Postgres => {
                let target = tls::target(url).map_err(SetupError::Tls)?;
                migrate_pg(&target).await?;
                let tls = target.tls.clone();
                let counter = queries.clone();
                let mut config = ManagerConfig::<PgConn>::default();
                // No `SELECT 1` on every checkout: a PostgreSQL connection whose socket closed
                // reports itself broken and the pool drops it; the next one is made fresh.
                config.recycling_method = RecyclingMethod::Fast;
                config.custom_setup = Box::new(move |url| {
                    let counter = counter.clone();
                    let timeout_sql = timeout_sql.clone();
                    let tls = tls.clone();
                    async move {
                        let mut conn = pg_establish(url, tls).await?;
                        conn.batch_execute(&timeout_sql)
                            .await
                            .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
                        conn.set_instrumentation(QueryCounter(counter));
                        Ok(conn)
                    }
                    .boxed()
                });
                let manager = AsyncDieselConnectionManager::new_with_config(&target.url, config);
                (Pools::Pg(build_pool!(manager, pool_size)?), Some(target))
            }
            Backend::Sqlite => {
                let path = sqlite_path(url);
                if let Some(dir) = Path::new(path)
                    .parent()
                    .filter(|d| !d.as_os_str().is_empty())
                {
                    std::fs::create_dir_all(dir)
                        .map_err(|e| SetupError::DataDir(dir.display().to_string(), e))?;
                }
                migrate_sqlite(path, sqlite_pragmas.clone()).await?;
                let counter = queries.clone();
                let mut config = ManagerConfig::<SqliteConn>::default();
                config.recycling_method = RecyclingMethod::Fast;
                config.custom_setup = Box::new(move |url| {
                    let counter = counter.clone();
                    let pragmas = sqlite_pragmas.clone();
                    async move {
                        let mut conn = SqliteConn::establish(url).await?;
                        conn.batch_execute(&pragmas)
                            .await
                            .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
                        conn.set_instrumentation(QueryCounter(counter));
                        Ok(conn)
                    }
                    .boxed()
                });
                let manager = AsyncDieselConnectionManager::new_with_config(path, config);
                (Pools::Sqlite(build_pool!(manager, pool_size)?), None)
            }
        };
        let db = Db {
            inner: Arc::new(Inner {
                pools,
                url: url.to_owned(),
                pg,
                sqlite_writer: Arc::new(tokio::sync::Mutex::new(())),
                queries,
            }),
        };
        // Rows older than the columns the server derives (migration 9) get them now, before
        // the first request sorts or searches them.
        let mut conn = db
            .write()
            .await
            .map_err(|e| SetupError::Pool(e.to_string()))?;
        let filled = clients::derive_missing(&mut conn, None)
            .await
            .map_err(|e| SetupError::Migrations(format!("deriving client sort keys: {e}")))?;
        if filled > 0 {
            tracing::info!(clients = filled, "derived sort keys and phone numbers");
        }
        drop(conn);
        Ok(db)
    }

    pub fn backend(&self) -> Backend {
        match self.inner.pools {
            Pools::Pg(_) => Backend::Postgres,
            Pools::Sqlite(_) => Backend::Sqlite,
        }
    }

    /// The connection URL as configured.
    pub fn url(&self) -> &str {
        &self.inner.url
    }

    /// A plain tokio-postgres connection to the same server, over TLS when the URL asks for
    /// it (the event listener's `LISTEN`): the client and the connection's messages (which
    /// must be polled for the client to make progress). `None` on SQLite.
    pub async fn pg_listener(&self) -> Option<Result<PgListener, tokio_postgres::Error>> {
        let target = self.inner.pg.as_ref()?;
        Some(
            tokio_postgres::connect(&target.url, target.tls.clone())
                .await
                .map(|(client, mut connection)| {
                    use futures::StreamExt;
                    let messages =
                        futures::stream::poll_fn(move |cx| connection.poll_message(cx)).boxed();
                    (client, messages)
                }),
        )
    }

    /// SQL statements run so far by this process.
    pub fn query_count(&self) -> u64 {
        self.inner.queries.load(Ordering::Relaxed)
    }

    /// A connection for reading.
    pub async fn read(&self) -> Result<DbConn, PoolError> {
        self.get(false).await
    }

    /// A connection for writing; on SQLite it waits for the single writer slot.
    pub async fn write(&self) -> Result<DbConn, PoolError> {
        self.get(true).await
    }

    async fn get(&self, write: bool) -> Result<DbConn, PoolError> {
        match &self.inner.pools {
            Pools::Pg(pool) => Ok(DbConn {
                pooled: Pooled::Pg(pool.get().await.map_err(|e| PoolError(e.to_string()))?),
                _writer: None,
            }),
            Pools::Sqlite(pool) => {
                let writer = if write {
                    let lock = self.inner.sqlite_writer.clone().lock_owned();
                    Some(
                        tokio::time::timeout(POOL_WAIT * 6, lock)
                            .await
                            .map_err(|_| PoolError("timed out waiting for the writer".into()))?,
                    )
                } else {
                    None
                };
                Ok(DbConn {
                    pooled: Pooled::Sqlite(pool.get().await.map_err(|e| PoolError(e.to_string()))?),
                    _writer: writer,
                })
            }
        }
    }
}

impl DbConn {
    pub fn backend(&self) -> Backend {
        match self.pooled {
            Pooled::Pg(_) => Backend::Postgres,
            Pooled::Sqlite(_) => Backend::Sqlite,
        }
    }

    pub async fn begin(&mut self) -> diesel::QueryResult<()> {
        with_conn!(self, c => tx_begin(c).await)
    }

    pub async fn commit(&mut self) -> diesel::QueryResult<()> {
        with_conn!(self, c => tx_commit(c).await)
    }

    pub async fn rollback(&mut self) -> diesel::QueryResult<()> {
        with_conn!(self, c => tx_rollback(c).await)
    }

    /// Runs SQL text with no parameters and no results.
    pub async fn execute_sql(&mut self, sql: &str) -> diesel::QueryResult<()> {
        with_conn!(self, c => c.batch_execute(sql).await)
    }
}

/// The settings every SQLite connection starts with. WAL lets readers run beside the one
/// writer; `synchronous` is FULL by default: a commit is on disk before the API answers, so a
/// batch answered as CREATED survives a power loss (README's Benchmark section has its cost).
fn sqlite_pragmas(synchronous: SqliteSynchronous) -> String {
    format!(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = {}; \
         PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;",
        synchronous.as_str()
    )
}

/// The error SQLite raises when a SUM of integers overflows i64, for the overflows our own
/// statements detect; `ApiError` turns it into OUT_OF_RANGE, like PostgreSQL's
/// "bigint out of range".
pub fn integer_overflow() -> diesel::result::Error {
    diesel::result::Error::DatabaseError(
        diesel::result::DatabaseErrorKind::Unknown,
        Box::new(String::from("integer overflow")),
    )
}

pub fn backend_of(url: &str) -> Backend {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Backend::Postgres
    } else {
        Backend::Sqlite
    }
}

fn sqlite_path(url: &str) -> &str {
    url.strip_prefix("sqlite://").unwrap_or(url)
}

async fn tx_begin<C: AsyncConnection>(c: &mut C) -> diesel::QueryResult<()> {
    C::TransactionManager::begin_transaction(c).await
}

async fn tx_commit<C: AsyncConnection>(c: &mut C) -> diesel::QueryResult<()> {
    C::TransactionManager::commit_transaction(c).await
}

async fn tx_rollback<C: AsyncConnection>(c: &mut C) -> diesel::QueryResult<()> {
    C::TransactionManager::rollback_transaction(c).await
}

/// A PostgreSQL connection at `url` (as [`tls::target`] gives it) through `tls`.
async fn pg_establish(
    url: &str,
    tls: tokio_postgres_rustls::MakeRustlsConnect,
) -> diesel::ConnectionResult<PgConn> {
    let (client, connection) = tokio_postgres::connect(url, tls)
        .await
        .map_err(|e| diesel::ConnectionError::BadConnection(e.to_string()))?;
    PgConn::try_from_client_and_connection(client, connection).await
}
