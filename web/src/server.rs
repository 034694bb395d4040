//! The server side of the UI: one process serves the pages, the server functions and the
//! GraphQL API. Server functions run the schema in-process as the user of the session cookie
//! (an httpOnly cookie holding the access and refresh tokens); an expired access token is
//! refreshed on the way. Cookie-authenticated writes are refused from other sites.

use std::net::SocketAddr;

use async_graphql::{Request, Variables};
use axum::extract::Request as HttpRequest;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, TimeZone, Utc};
use crm_api::auth::Principal;
use crm_api::http::Api;
use dioxus::fullstack::FullstackContext;
use dioxus::prelude::ServerFnError;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::gql;
use crate::i18n::Locale;

/// What server functions reach through the request extensions.
#[derive(Clone)]
pub struct WebState {
    pub api: Api,
}

const SESSION_COOKIE: &str = "crm_session";
const LOCALE_COOKIE: &str = "crm_lang";
/// The session cookie lives as long as the refresh token can.
const SESSION_MAX_AGE_SECS: u64 = 30 * 24 * 3600;

pub fn main() {
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
        .layer(axum::Extension(WebState { api }))
        .layer(axum::middleware::from_fn(same_site_writes))
        .layer(tower_http::compression::CompressionLayer::new()))
}

/// Dioxus serves static files from `public/` beside the binary (dx puts the browser bundle
/// there). Without it the pages still render on the server, just without hydration.
fn ensure_public_dir() {
    if std::env::var_os("DIOXUS_PUBLIC_PATH").is_some() {
        return;
    }
    if let Some(dir) = std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(|p| p.join("public")))
    {
        if !dir.join("index.html").exists() {
            tracing::warn!(
                "no browser bundle in {}: pages render on the server only (build with dx for the interactive app)",
                dir.display()
            );
        }
        let _ = std::fs::create_dir_all(dir);
    }
}

/// CSRF defence for cookie-authenticated writes: a state-changing request to a server
/// function must come from our own pages (same origin), never from another site.
async fn same_site_writes(request: HttpRequest, next: Next) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !safe && request.uri().path().starts_with("/api/") {
        let headers = request.headers();
        let cross_site = headers
            .get("sec-fetch-site")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v == "cross-site" || v == "same-site");
        let host = headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let foreign_origin = headers
            .get(header::ORIGIN)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|origin| origin.split("://").nth(1) != Some(host));
        if cross_site || foreign_origin {
            return (StatusCode::FORBIDDEN, "cross-site request refused").into_response();
        }
    }
    next.run(request).await
}

fn context() -> Result<FullstackContext, ServerFnError> {
    FullstackContext::current().ok_or_else(|| internal("no request context"))
}

fn state(ctx: &FullstackContext) -> Result<WebState, ServerFnError> {
    ctx.extension::<WebState>()
        .ok_or_else(|| internal("web state missing"))
}

fn internal(what: &str) -> ServerFnError {
    tracing::error!("{what}");
    error("INTERNAL", None, "internal error")
}

/// A server-function error carrying the API's code and field.
fn error(code: &str, field: Option<&str>, message: &str) -> ServerFnError {
    let status = match code {
        "UNAUTHENTICATED" => 401,
        "FORBIDDEN" => 403,
        "NOT_FOUND" => 404,
        "BAD_USER_INPUT" => 400,
        "RATE_LIMITED" => 429,
        "UNAVAILABLE" => 503,
        _ => 500,
    };
    ServerFnError::ServerError {
        message: message.to_owned(),
        code: status,
        details: Some(json!({ "code": code, "field": field })),
    }
}

fn cookie(ctx: &FullstackContext, name: &str) -> Option<String> {
    let parts = ctx.parts_mut();
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

fn secure(ctx: &FullstackContext) -> &'static str {
    let https = ctx
        .parts_mut()
        .headers
        .get("x-forwarded-proto")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https"));
    if https { "; Secure" } else { "" }
}

fn set_cookie(ctx: &FullstackContext, value: String) {
    if let Ok(v) = HeaderValue::from_str(&value) {
        ctx.add_response_header(header::SET_COOKIE, v);
    }
}

fn set_session(ctx: &FullstackContext, tokens: &gql::Tokens) {
    let value = format!(
        "{SESSION_COOKIE}={}~{}; HttpOnly; SameSite=Lax; Path=/; Max-Age={SESSION_MAX_AGE_SECS}{}",
        tokens.access_token,
        tokens.refresh_token,
        secure(ctx)
    );
    set_cookie(ctx, value);
}

fn clear_session(ctx: &FullstackContext) {
    set_cookie(
        ctx,
        format!(
            "{SESSION_COOKIE}=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0{}",
            secure(ctx)
        ),
    );
}

fn session(ctx: &FullstackContext) -> Option<(String, String)> {
    let value = cookie(ctx, SESSION_COOKIE)?;
    let (access, refresh) = value.split_once('~')?;
    Some((access.to_owned(), refresh.to_owned()))
}

fn client_addr(ctx: &FullstackContext) -> String {
    ctx.parts_mut()
        .extensions
        .get::<axum::extract::ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_default()
}

/// Runs one operation as `principal`; returns its data, or the first error with its code.
async fn execute<T: DeserializeOwned>(
    ctx: &FullstackContext,
    api: &Api,
    principal: Principal,
    query: &str,
    variables: Value,
) -> Result<T, ServerFnError> {
    let request = Request::new(query).variables(Variables::from_json(variables));
    let response = api.execute(principal, request, client_addr(ctx)).await;
    if let Some(e) = response.errors.first() {
        let ext = e.extensions.as_ref();
        let code = ext
            .and_then(|x| x.get("code"))
            .map(|v| v.to_string().trim_matches('"').to_owned());
        let field = ext
            .and_then(|x| x.get("field"))
            .map(|v| v.to_string().trim_matches('"').to_owned());
        return Err(error(
            code.as_deref().unwrap_or("INTERNAL"),
            field.as_deref(),
            &e.message,
        ));
    }
    let data = response
        .data
        .into_json()
        .map_err(|_| internal("GraphQL data is not JSON"))?;
    serde_json::from_value(data).map_err(|e| internal(&format!("unexpected GraphQL data: {e}")))
}

/// The principal of the session cookie, refreshing the access token when it expired.
async fn principal(ctx: &FullstackContext, api: &Api) -> Result<Principal, ServerFnError> {
    let unauthenticated = || error("UNAUTHENTICATED", None, "please sign in");
    let Some((access, refresh)) = session(ctx) else {
        return Err(unauthenticated());
    };
    match api.app.authenticate(Some(&access)).await {
        Ok(p) if p != Principal::Anonymous => return Ok(p),
        Ok(_) => {}
        Err(e) if e.code() == crm_api::error::Code::Unauthenticated => {}
        Err(e) => return Err(error(e.code().as_str(), None, &e.message())),
    }
    let refreshed: Result<gql::RefreshData, _> = execute(
        ctx,
        api,
        Principal::Anonymous,
        gql::REFRESH,
        json!({ "token": refresh }),
    )
    .await;
    match refreshed {
        Ok(r) => {
            set_session(ctx, &r.refresh_session);
            api.app
                .authenticate(Some(&r.refresh_session.access_token))
                .await
                .map_err(|e| error(e.code().as_str(), None, &e.message()))
        }
        Err(_) => {
            clear_session(ctx);
            Err(unauthenticated())
        }
    }
}

/// Runs an operation as the signed-in user.
async fn run_as_user<T: DeserializeOwned>(
    query: &str,
    variables: Value,
) -> Result<T, ServerFnError> {
    let ctx = context()?;
    let st = state(&ctx)?;
    let principal = principal(&ctx, &st.api).await?;
    execute(&ctx, &st.api, principal, query, variables).await
}

pub fn locale() -> Locale {
    let Ok(ctx) = context() else {
        return Locale::En;
    };
    if let Some(choice) = cookie(&ctx, LOCALE_COOKIE) {
        return Locale::negotiate(&choice);
    }
    let accept = ctx
        .parts_mut()
        .headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    Locale::negotiate(&accept)
}

pub fn set_locale(locale: Locale) -> Result<(), ServerFnError> {
    let ctx = context()?;
    set_cookie(
        &ctx,
        format!(
            "{LOCALE_COOKIE}={}; SameSite=Lax; Path=/; Max-Age=31536000",
            locale.code()
        ),
    );
    Ok(())
}

pub async fn login(email: String, password: String) -> Result<(), ServerFnError> {
    let ctx = context()?;
    let st = state(&ctx)?;
    let data: gql::LoginData = execute(
        &ctx,
        &st.api,
        Principal::Anonymous,
        gql::LOGIN,
        json!({ "email": email, "password": password }),
    )
    .await?;
    set_session(&ctx, &data.login);
    Ok(())
}

pub async fn register(
    email: String,
    password: String,
    display_name: String,
    company_name: String,
    base_currency: String,
) -> Result<(), ServerFnError> {
    let ctx = context()?;
    let st = state(&ctx)?;
    let input = json!({
        "email": email, "password": password, "displayName": display_name,
        "companyName": company_name, "baseCurrency": base_currency, "locale": locale().code(),
    });
    let data: gql::RegisterData = execute(
        &ctx,
        &st.api,
        Principal::Anonymous,
        gql::REGISTER,
        json!({ "input": input }),
    )
    .await?;
    set_session(&ctx, &data.register);
    Ok(())
}

pub async fn logout() -> Result<(), ServerFnError> {
    let ctx = context()?;
    let st = state(&ctx)?;
    if let Ok(p) = principal(&ctx, &st.api).await {
        let _: Result<Value, _> = execute(&ctx, &st.api, p, gql::LOGOUT, json!({})).await;
    }
    clear_session(&ctx);
    Ok(())
}

pub async fn me() -> Result<gql::Viewer, ServerFnError> {
    run_as_user::<gql::MeData>(&gql::me(), json!({}))
        .await
        .map(|d| d.me)
}

pub async fn switch_company(id: String) -> Result<(), ServerFnError> {
    run_as_user::<Value>(gql::SWITCH_COMPANY, json!({ "id": id }))
        .await
        .map(|_| ())
}

pub async fn dashboard() -> Result<gql::Dashboard, ServerFnError> {
    let now = Utc::now();
    let from = Utc
        .with_ymd_and_hms(now.year(), now.month(), 1, 0, 0, 0)
        .single();
    let to = from.and_then(|f| f.checked_add_months(chrono::Months::new(1)));
    let (Some(from), Some(to)) = (from, to) else {
        return Err(internal("bad month"));
    };
    run_as_user(
        gql::DASHBOARD,
        json!({ "from": from.to_rfc3339(), "to": to.to_rfc3339() }),
    )
    .await
}

pub async fn clients(
    search: String,
    sort: String,
    after: String,
) -> Result<gql::ClientPage, ServerFnError> {
    let (field, direction) = match sort.as_str() {
        "total" => ("TOTAL_SPENT", "DESC"),
        "last_purchase" => ("LAST_PURCHASE", "DESC"),
        "last_interaction" => ("LAST_INTERACTION", "DESC"),
        _ => ("NAME", "ASC"),
    };
    let search = search.trim();
    let variables = json!({
        "first": 25,
        "after": if after.is_empty() { Value::Null } else { Value::from(after) },
        "filter": if search.is_empty() { Value::Null } else { json!({ "search": search }) },
        "sort": { "field": field, "direction": direction },
    });
    run_as_user::<gql::ClientsData>(gql::CLIENTS, variables)
        .await
        .map(|d| d.clients)
}

pub async fn api_keys() -> Result<Vec<gql::ApiKey>, ServerFnError> {
    run_as_user::<gql::ApiKeysData>(gql::API_KEYS, json!({}))
        .await
        .map(|d| d.api_keys)
}

pub async fn create_api_key(name: String) -> Result<gql::CreatedKey, ServerFnError> {
    run_as_user::<gql::CreateKeyData>(gql::CREATE_API_KEY, json!({ "name": name }))
        .await
        .map(|d| d.create_api_key)
}

pub async fn revoke_api_key(id: String) -> Result<(), ServerFnError> {
    run_as_user::<Value>(gql::REVOKE_API_KEY, json!({ "id": id }))
        .await
        .map(|_| ())
}
