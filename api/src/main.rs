//! `crm`: runs the server, or `crm export-schema` prints the GraphQL schema.

use anyhow::Context;
use tracing_subscriber::EnvFilter;

/// mimalloc: the GraphQL layer allocates many small objects per request (a 10,000-row batch
/// is tens of thousands of values), which glibc's allocator serves slowly.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    if std::env::args().nth(1).as_deref() == Some("export-schema") {
        print!("{}", crm_api::graphql::sdl());
        return Ok(());
    }
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    let config = crm_api::Config::from_env()?;
    let storage = match &config.database_url {
        Some(url) if crm_api::db::backend_of(url) == crm_api::db::Backend::Postgres => {
            "PostgreSQL".to_owned()
        }
        Some(url) => format!("SQLite at {url}"),
        None => format!(
            "SQLite at {}",
            config.data_dir.join("crm.sqlite3").display()
        ),
    };
    let (_app, router) = crm_api::build_router(config.clone())
        .await
        .context("starting")?;
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("binding {}", config.listen))?;
    let addr = listener.local_addr()?;
    tracing::info!("storage: {storage}");
    tracing::info!(
        "GraphQL API and GraphiQL at http://{addr}/graphql (subscriptions at ws://{addr}/graphql/ws)"
    );
    crm_api::serve(listener, router).await?;
    Ok(())
}
