//! The CRM's GraphQL platform: storage on SQLite or PostgreSQL, accounts and companies, API
//! keys, clients, sales and interactions, batch upserts for integrators, and subscriptions.
//!
//! `build_router` gives the whole HTTP API for a configuration, so tests and the web app boot
//! exactly what the binary serves.

pub mod app;
pub mod assistant;
pub mod auth;
pub mod chat;
pub mod config;
pub mod currency;
pub mod db;
pub mod domain;
pub mod error;
pub mod events;
pub mod graphql;
pub mod http;
pub mod ingest;
pub mod reports;

use std::net::SocketAddr;
use std::sync::Arc;

pub use app::App;
pub use config::Config;

/// Starts the application state for `config` and returns it with its router.
pub async fn build_router(config: Config) -> Result<(Arc<App>, axum::Router), app::StartError> {
    let app = App::start(config).await?;
    let router = http::router(app.clone());
    Ok((app, router))
}

/// Serves `router` on `listener` until ctrl-c or SIGTERM.
pub async fn serve(listener: tokio::net::TcpListener, router: axum::Router) -> std::io::Result<()> {
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown())
    .await
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = term => {}
    }
    tracing::info!("shutting down");
}
