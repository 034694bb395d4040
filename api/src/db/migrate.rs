//! The migrations of both backends, embedded in the binary and applied at start.

use diesel::connection::SimpleConnection;
use diesel::{Connection, SqliteConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use super::{PgConn, SetupError, pg_establish, tls};

const PG_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/postgres");
const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");

pub(super) async fn migrate_pg(target: &tls::Target) -> Result<(), SetupError> {
    use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
    let conn = pg_establish(&target.url, target.tls.clone()).await?;
    tokio::task::spawn_blocking(move || {
        let mut conn: AsyncConnectionWrapper<PgConn> = AsyncConnectionWrapper::from(conn);
        // Several server processes may start at once: one migrates, the others wait.
        SimpleConnection::batch_execute(&mut conn, "SELECT pg_advisory_lock(727274)")
            .map_err(|e| SetupError::Migrations(e.to_string()))?;
        let result = conn
            .run_pending_migrations(PG_MIGRATIONS)
            .map(|_| ())
            .map_err(|e| SetupError::Migrations(e.to_string()));
        let _ = SimpleConnection::batch_execute(&mut conn, "SELECT pg_advisory_unlock(727274)");
        result
    })
    .await
    .map_err(|e| SetupError::Migrations(e.to_string()))?
}

pub(super) async fn migrate_sqlite(path: &str, pragmas: String) -> Result<(), SetupError> {
    let path = path.to_owned();
    tokio::task::spawn_blocking(move || {
        let mut conn = SqliteConnection::establish(&path)?;
        conn.batch_execute(&pragmas)
            .map_err(|e| SetupError::Migrations(e.to_string()))?;
        conn.run_pending_migrations(SQLITE_MIGRATIONS)
            .map(|_| ())
            .map_err(|e| SetupError::Migrations(e.to_string()))
    })
    .await
    .map_err(|e| SetupError::Migrations(e.to_string()))?
}
