//! What the benchmark programs share: scratch PostgreSQL databases.

pub mod pg {
    use anyhow::{Context, Result};
    use tokio_postgres::NoTls;

    pub async fn pg_connect(url: &str) -> Result<tokio_postgres::Client> {
        let (client, connection) = tokio_postgres::connect(url, NoTls)
            .await
            .context("connecting to PostgreSQL")?;
        // The connection future does the actual I/O; its error, if any, surfaces on the next query.
        tokio::spawn(async move {
            let _ = connection.await;
        });
        Ok(client)
    }

    pub async fn create_database(admin: &tokio_postgres::Client, name: &str) -> Result<()> {
        // Names are built from our pid only ([a-z0-9_]), so quoting them is enough.
        admin
            .batch_execute(&format!("CREATE DATABASE \"{name}\""))
            .await
            .with_context(|| format!("creating database {name}"))
    }

    /// `url` with its database name replaced by `db` (user, host, port and parameters kept).
    pub fn with_database(url: &str, db: &str) -> Result<String> {
        let scheme_end = url
            .find("://")
            .context("BENCH_PG_URL must look like postgres://user@host:port/db")?
            + 3;
        let (head, rest) = url.split_at(scheme_end);
        let (rest, params) = match rest.find('?') {
            Some(i) => rest.split_at(i),
            None => (rest, ""),
        };
        let authority = rest.split('/').next().unwrap_or_default();
        Ok(format!("{head}{authority}/{db}{params}"))
    }
}
