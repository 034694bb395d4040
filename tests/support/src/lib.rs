//! Scratch databases for tests: a SQLite file in a temporary folder, or a PostgreSQL database of
//! its own, created through the admin URL in `CRM_TEST_PG_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`). Both are gone when the value is dropped.
//! Test databases are named `crm_test_…`, so a crashed run's leftovers are easy to find.

pub mod buyers;
pub mod tiny_model;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A database that exists for one test, with a temporary folder beside it.
pub struct ScratchDb {
    /// What `DATABASE_URL` takes: the SQLite file's path or the PostgreSQL URL.
    pub url: String,
    dir: PathBuf,
    pg_name: Option<String>,
}

impl ScratchDb {
    /// A new, empty database; `tag` goes into its name (`crm_test_<tag>_…`).
    pub async fn new(backend: Backend, tag: &str) -> ScratchDb {
        let name = unique(&format!("crm_test_{tag}"));
        let dir = std::env::temp_dir().join(&name);
        if let Err(e) = std::fs::create_dir_all(&dir) {
            panic!("temporary folder {}: {e}", dir.display());
        }
        match backend {
            Backend::Sqlite => ScratchDb {
                url: dir.join("crm.sqlite3").display().to_string(),
                dir,
                pg_name: None,
            },
            Backend::Postgres => {
                pg_admin(&format!("CREATE DATABASE {name}")).await;
                ScratchDb {
                    url: pg_url_for(&name),
                    dir,
                    pg_name: Some(name),
                }
            }
        }
    }

    /// A folder that lives as long as the database (logs, data directories).
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

impl Drop for ScratchDb {
    fn drop(&mut self) {
        if let Some(name) = self.pg_name.take() {
            drop_pg_database(name);
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Drops a database from a plain thread (Drop cannot await), ending its connections.
fn drop_pg_database(name: String) {
    let _ = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .ok()?;
        rt.block_on(async {
            let (client, conn) = tokio_postgres::connect(&pg_admin_url(), tokio_postgres::NoTls)
                .await
                .ok()?;
            tokio::spawn(conn);
            client
                .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await
                .ok()
        })
    })
    .join();
}

/// A name no other test of any running process has: prefix, process id, counter, clock.
pub fn unique(prefix: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let micros = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_micros() % 1_000_000)
        .unwrap_or(0);
    format!(
        "{prefix}_{}_{}_{micros}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// The PostgreSQL URL test databases are created through.
pub fn pg_admin_url() -> String {
    std::env::var("CRM_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

/// The admin URL with another database name.
pub fn pg_url_for(db: &str) -> String {
    let admin = pg_admin_url();
    let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
    format!("{base}/{db}")
}

/// Runs SQL through the admin URL (one statement per call for CREATE/DROP DATABASE).
pub async fn pg_admin(sql: &str) {
    let (client, conn) = match tokio_postgres::connect(&pg_admin_url(), tokio_postgres::NoTls).await
    {
        Ok(c) => c,
        Err(e) => panic!("PostgreSQL must be running for the tests (see README): {e}"),
    };
    tokio::spawn(conn);
    if let Err(e) = client.batch_execute(sql).await {
        panic!("{sql}: {e}");
    }
}
