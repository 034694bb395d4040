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

use std::sync::Arc;

pub use app::App;
pub use config::Config;
pub use http::server::{ServeOptions, serve, serve_with};

/// Starts the application state for `config` and returns it with its router.
pub async fn build_router(config: Config) -> Result<(Arc<App>, axum::Router), app::StartError> {
    let app = App::start(config).await?;
    let router = http::router(app.clone());
    Ok((app, router))
}
