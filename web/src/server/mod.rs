//! The server side of the UI: one process serves the pages, the server functions and the
//! GraphQL API. This module starts the process and builds the router; the parts it is made of:
//!
//! - `csrf`: cookie-authenticated writes are refused from other sites
//! - `downloads`: report export links authenticate with the session cookie
//! - `cookies`: the session cookie (the access and refresh tokens, renewed on the way) and the
//!   language cookie
//! - `lang`: every page's `<html lang>` in the interface language
//! - `query`: what a search or filter form sends before the browser code runs, redirected to
//!   the address the app writes itself
//! - `sign_in`: the sign-in and registration forms posted before the browser code runs
//! - `zone`: times shown, and days cut, in the company's time zone
//! - `executor`: runs a typed GraphQL operation in-process as the user of the session cookie,
//!   and maps the API's errors to server-function errors; [`CurrentUser`] is the signed-in user
//!   as an extractor a server function names in its attribute
//!
//! The server functions themselves are in `crate::api`, one module per domain.

use crm_api::http::Api;

pub(crate) mod cookies;
mod csrf;
mod downloads;
pub(crate) mod executor;
mod lang;
mod query;
mod sign_in;
pub(crate) mod zone;

pub(crate) use executor::CurrentUser;

/// What server functions reach through the request extensions.
#[derive(Clone)]
pub(crate) struct WebState {
    pub api: Api,
}

/// The binary's entry point: configuration from the environment, then serve until stopped.
#[allow(unsafe_code)]
pub fn main() {
    // SAFETY: called first in the process's `main`; no other thread exists yet.
    unsafe { crm_api::assistant::set_model_threads() };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            tracing::error!("cannot start the runtime: {e}");
            std::process::exit(1);
        }
    };
    if let Err(e) = runtime.block_on(serve()) {
        tracing::error!("{e:#}");
        std::process::exit(1);
    }
}

async fn serve() -> anyhow::Result<()> {
    let config = crm_api::Config::from_env()?;
    let router = build(config.clone()).await?;
    let listener = tokio::net::TcpListener::bind(config.listen).await?;
    let addr = listener.local_addr()?;
    tracing::info!("CRM at http://{addr}/ (GraphQL API and GraphiQL at http://{addr}/graphql)");
    crm_api::serve(listener, router).await?;
    Ok(())
}

/// The whole HTTP surface: pages, server functions and the GraphQL API.
pub async fn build(config: crm_api::Config) -> anyhow::Result<axum::Router> {
    ensure_public_dir();
    let app = crm_api::App::start(config).await?;
    let api = Api::new(app);
    Ok(dioxus::server::router(crate::App)
        .merge(crm_api::http::api_routes(api.clone()))
        .layer(axum::middleware::from_fn(downloads::with_session))
        .layer(axum::middleware::from_fn(query::canonical_form_query))
        .layer(axum::middleware::from_fn(cookies::renew))
        // Outside the renewal: signing in replaces the session, whatever cookie came with it.
        .layer(axum::middleware::from_fn(sign_in::plain_forms))
        .layer(axum::Extension(WebState { api }))
        .layer(axum::middleware::from_fn(csrf::same_site_writes))
        .layer(axum::middleware::from_fn(lang::html_lang))
        .layer(axum::middleware::from_fn(crm_api::http::security_headers))
        .layer(tower_http::compression::CompressionLayer::new()))
}

/// Dioxus serves static files from `public/` beside the binary, and renders pages into its
/// `index.html` (`web/scripts/bundle.sh` puts the browser bundle there). Without one, the pages
/// still render on the server, into [`SERVER_ONLY_SHELL`] written there: Dioxus's own fallback
/// has no `<title>`, and then writes the page's title before `<!DOCTYPE html>`, which puts
/// browsers in quirks mode.
fn ensure_public_dir() {
    if std::env::var_os("DIOXUS_PUBLIC_PATH").is_some() {
        return;
    }
    let Some(dir) = std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(|p| p.join("public")))
    else {
        return;
    };
    let index = dir.join("index.html");
    let shell_only = std::fs::read_to_string(&index).map_or(true, |t| t == SERVER_ONLY_SHELL);
    if !shell_only {
        return;
    }
    tracing::warn!(
        "no browser bundle in {}: pages render on the server only (web/scripts/bundle.sh builds the interactive app)",
        dir.display()
    );
    if index.exists() {
        return;
    }
    // Written aside and renamed into place: servers starting side by side (the tests do) read
    // a whole shell or none, never a truncated one.
    static ASIDE: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = ASIDE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let aside = dir.join(format!(".index.html.{}.{n}", std::process::id()));
    let written = std::fs::create_dir_all(&dir)
        .and_then(|()| std::fs::write(&aside, SERVER_ONLY_SHELL))
        .and_then(|()| std::fs::rename(&aside, &index));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&aside);
        tracing::warn!("cannot write {}: {e}", index.display());
    }
}

/// The page shell without the browser bundle.
const SERVER_ONLY_SHELL: &str = "<!DOCTYPE html>
<html>
    <head>
        <title>CRM</title>
        <meta charset=\"UTF-8\">
    </head>
    <body>
        <div id=\"main\"></div>
    </body>
</html>
";
