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
use cynic::{MutationBuilder, Operation, QueryBuilder, SubscriptionBuilder};
use dioxus::fullstack::{FullstackContext, ServerEvents};
use dioxus::prelude::ServerFnError;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::json;

use crate::gql::{self, Id};
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

/// Runs one typed operation as `principal`; returns its data, or the first error with its code.
async fn execute<Q: DeserializeOwned, V: Serialize>(
    ctx: &FullstackContext,
    api: &Api,
    principal: Principal,
    operation: Operation<Q, V>,
) -> Result<Q, ServerFnError> {
    let variables = serde_json::to_value(&operation.variables)
        .map_err(|e| internal(&format!("variables: {e}")))?;
    let request = Request::new(operation.query).variables(Variables::from_json(variables));
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
    match api.authenticate(Some(&access)).await {
        Ok(p) if p != Principal::Anonymous => return Ok(p),
        Ok(_) => {}
        Err(e) if e.code() == crm_api::error::Code::Unauthenticated => {}
        Err(e) => return Err(error(e.code().as_str(), None, &e.message())),
    }
    let refreshed = execute(
        ctx,
        api,
        Principal::Anonymous,
        gql::Refresh::build(gql::RefreshVariables { token: refresh }),
    )
    .await;
    match refreshed {
        Ok(r) => {
            set_session(ctx, &r.refresh_session);
            api.authenticate(Some(&r.refresh_session.access_token))
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
async fn run_as_user<Q: DeserializeOwned, V: Serialize>(
    operation: Operation<Q, V>,
) -> Result<Q, ServerFnError> {
    let ctx = context()?;
    let st = state(&ctx)?;
    let principal = principal(&ctx, &st.api).await?;
    execute(&ctx, &st.api, principal, operation).await
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
    let data = execute(
        &ctx,
        &st.api,
        Principal::Anonymous,
        gql::Login::build(gql::LoginVariables { email, password }),
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
    let input = gql::RegisterInput {
        email,
        password,
        display_name,
        company_name,
        base_currency,
        locale: locale().code().to_owned(),
    };
    let data = execute(
        &ctx,
        &st.api,
        Principal::Anonymous,
        gql::Register::build(gql::RegisterVariables { input }),
    )
    .await?;
    set_session(&ctx, &data.register);
    Ok(())
}

pub async fn logout() -> Result<(), ServerFnError> {
    let ctx = context()?;
    let st = state(&ctx)?;
    if let Ok(p) = principal(&ctx, &st.api).await {
        // The cookie goes either way; a failed logout only leaves the tokens to expire.
        let _ = execute(&ctx, &st.api, p, gql::Logout::build(())).await;
    }
    clear_session(&ctx);
    Ok(())
}

pub async fn me() -> Result<gql::Viewer, ServerFnError> {
    run_as_user(gql::Me::build(())).await.map(|d| d.me)
}

pub async fn switch_company(id: String) -> Result<(), ServerFnError> {
    run_as_user(gql::SwitchCompany::build(gql::IdVariables { id: Id(id) }))
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
    run_as_user(gql::Dashboard::build(gql::PeriodVariables {
        from: from.into(),
        to: to.into(),
    }))
    .await
}

pub async fn clients(
    search: String,
    sort: String,
    after: String,
) -> Result<gql::ClientPage, ServerFnError> {
    use gql::{ClientSortField as F, SortDirection as D};
    let (field, direction) = match sort.as_str() {
        "total" => (F::TotalSpent, D::Desc),
        "last_purchase" => (F::LastPurchase, D::Desc),
        "last_interaction" => (F::LastInteraction, D::Desc),
        _ => (F::Name, D::Asc),
    };
    let variables = gql::ClientsVariables {
        first: Some(PAGE_SIZE),
        after: optional(&after),
        filter: optional(&search).map(|search| gql::ClientFilterInput {
            search: Some(search),
        }),
        sort: Some(gql::ClientSortInput { field, direction }),
    };
    run_as_user(gql::Clients::build(variables))
        .await
        .map(|d| d.clients)
}

pub async fn sales(
    from: String,
    to: String,
    status: String,
    currency: String,
    client: String,
    after: String,
) -> Result<gql::SalePage, ServerFnError> {
    let day = |field: &str, v: &str, days: u64| -> Result<Option<gql::DateTime>, ServerFnError> {
        let Some(date) = form_day(field, v)? else {
            return Ok(None);
        };
        let start = date
            .checked_add_days(chrono::Days::new(days))
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .ok_or_else(|| error("BAD_USER_INPUT", Some(field), "date out of range"))?;
        Ok(Some(start.and_utc().into()))
    };
    let status = match status.as_str() {
        "" => None,
        s => Some(one_of::<gql::SaleStatus>("status", s)?),
    };
    let filter = gql::SaleFilterInput {
        sold_from: day("from", &from, 0)?,
        // The end date is inclusive for people: sales before the next midnight.
        sold_to: day("to", &to, 1)?,
        status,
        currency: optional(&currency),
        client_id: optional(&client).map(Id),
    };
    let variables = gql::SalesVariables {
        first: Some(PAGE_SIZE),
        after: optional(&after),
        filter: Some(filter),
    };
    run_as_user(gql::Sales::build(variables))
        .await
        .map(|d| d.sales)
}

/// Rows per page of the clients and sales lists.
const PAGE_SIZE: i32 = 25;

/// Sales shown on the client screen (the rest are one link away, in the sales list filtered
/// to the client), and interactions shown there per page.
const CLIENT_SALES: i32 = 20;
const CLIENT_INTERACTIONS: i32 = 20;

pub async fn client(id: String, more: String) -> Result<gql::ClientDetail, ServerFnError> {
    let variables = gql::ClientVariables {
        id: Id(id),
        sales: CLIENT_SALES,
        interactions: CLIENT_INTERACTIONS,
        interactions_after: optional(&more),
    };
    run_as_user(gql::Client::build(variables))
        .await
        .map(|d| d.client)
}

/// An optional form value, trimmed: empty means "none".
fn optional(v: &str) -> Option<String> {
    match v.trim() {
        "" => None,
        t => Some(t.to_owned()),
    }
}

pub async fn update_client(
    id: String,
    name: String,
    email: String,
    phone: String,
    status: String,
) -> Result<(), ServerFnError> {
    let input = gql::ClientUpdateInput {
        name: name.trim().to_owned(),
        email: optional(&email),
        phone: optional(&phone),
        status: one_of("status", &status)?,
    };
    let variables = gql::UpdateClientVariables { id: Id(id), input };
    run_as_user(gql::UpdateClient::build(variables))
        .await
        .map(|_| ())
}

pub async fn archive_client(id: String, archived: bool) -> Result<(), ServerFnError> {
    let variables = gql::IdVariables { id: Id(id) };
    if archived {
        run_as_user(gql::ArchiveClient::build(variables)).await?;
    } else {
        run_as_user(gql::RestoreClient::build(variables)).await?;
    }
    Ok(())
}

/// The value of an API enum that a form field names, else a coded error for `field`.
fn one_of<E: gql::ApiEnum>(field: &str, value: &str) -> Result<E, ServerFnError> {
    E::parse(value).ok_or_else(|| error("BAD_USER_INPUT", Some(field), "not one of the choices"))
}

/// A day as a date input sends it (YYYY-MM-DD); empty gives `None`.
fn form_day(field: &str, day: &str) -> Result<Option<chrono::NaiveDate>, ServerFnError> {
    let day = day.trim();
    if day.is_empty() {
        return Ok(None);
    }
    chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| {
            error(
                "BAD_USER_INPUT",
                Some(field),
                "expected a date like 2026-11-22",
            )
        })
}

/// A day from a form as a moment: now for today, else noon UTC of that day. Empty gives `None`.
fn day_moment(field: &str, day: &str) -> Result<Option<gql::DateTime>, ServerFnError> {
    let Some(date) = form_day(field, day)? else {
        return Ok(None);
    };
    let now = Utc::now();
    if date == now.date_naive() {
        return Ok(Some(now.into()));
    }
    let noon = date
        .and_hms_opt(12, 0, 0)
        .ok_or_else(|| error("BAD_USER_INPUT", Some(field), "date out of range"))?;
    Ok(Some(noon.and_utc().into()))
}

pub async fn add_interaction(
    client_id: String,
    kind: String,
    body: String,
    day: String,
) -> Result<(), ServerFnError> {
    let input = gql::InteractionInput {
        kind: one_of("kind", &kind)?,
        body: body.trim().to_owned(),
        occurred_at: day_moment("occurredAt", &day)?,
    };
    let variables = gql::AddInteractionVariables {
        id: Id(client_id),
        input,
    };
    run_as_user(gql::AddInteraction::build(variables))
        .await
        .map(|_| ())
}

/// An amount as people type it ("1 240 000,50", "99.9", "15") in minor units of `currency`.
/// One decimal separator, `.` or `,`; spaces group digits; no more decimals than the currency has.
pub fn parse_amount(text: &str, currency: &str) -> Result<i64, String> {
    let digits = crm_api::currency::minor_units(currency).ok_or("unknown currency code")?;
    let compact: String = text
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .collect();
    if compact.is_empty() {
        return Err("enter an amount".into());
    }
    let (int, frac) = match compact.find(['.', ',']) {
        Some(i) => (&compact[..i], &compact[i + 1..]),
        None => (compact.as_str(), ""),
    };
    let plain = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if int.is_empty() || !plain(int) || !plain(frac) {
        return Err("enter a number like 1240.50".into());
    }
    if frac.len() > usize::from(digits) {
        return Err(if digits == 0 {
            "this currency has no minor units".into()
        } else {
            format!("at most {digits} digits after the decimal point")
        });
    }
    let scale = 10i64.pow(u32::from(digits));
    let frac_value = if frac.is_empty() {
        0
    } else {
        frac.parse::<i64>().map_err(|_| "amount too large")?
            * 10i64.pow((usize::from(digits) - frac.len()) as u32)
    };
    int.parse::<i64>()
        .ok()
        .and_then(|i| i.checked_mul(scale))
        .and_then(|i| i.checked_add(frac_value))
        .ok_or_else(|| "amount too large".into())
}

/// The fields of the sale form, checked: what `SaleInput` and `SaleUpdateInput` share.
struct SaleFields {
    amount_minor: gql::Minor,
    currency: String,
    sold_at: Option<gql::DateTime>,
    status: gql::SaleStatus,
    note: Option<String>,
}

fn sale_fields(form: &crate::session::SaleForm) -> Result<SaleFields, ServerFnError> {
    let currency = form.currency.trim().to_uppercase();
    if !crm_api::currency::is_known(&currency) {
        return Err(error(
            "BAD_USER_INPUT",
            Some("currency"),
            "unknown currency code",
        ));
    }
    let amount = parse_amount(&form.amount, &currency)
        .map_err(|m| error("BAD_USER_INPUT", Some("amountMinor"), &m))?;
    Ok(SaleFields {
        amount_minor: gql::Minor(amount),
        currency,
        sold_at: day_moment("soldAt", &form.day)?,
        status: one_of("status", &form.status)?,
        note: optional(&form.note),
    })
}

pub async fn create_sale(
    client_id: String,
    form: crate::session::SaleForm,
    item: String,
) -> Result<String, ServerFnError> {
    let f = sale_fields(&form)?;
    let input = gql::SaleInput {
        client_id: Id(client_id),
        amount_minor: f.amount_minor,
        currency: f.currency,
        sold_at: f.sold_at,
        status: f.status,
        items: optional(&item)
            .map(|name| gql::SaleItemInput { name })
            .into_iter()
            .collect(),
        note: f.note,
    };
    run_as_user(gql::CreateSale::build(gql::CreateSaleVariables { input }))
        .await
        .map(|d| d.create_sale.id.0)
}

pub async fn sale(id: String) -> Result<gql::SaleDetail, ServerFnError> {
    run_as_user(gql::Sale::build(gql::IdVariables { id: Id(id) }))
        .await
        .map(|d| d.sale)
}

pub async fn update_sale(id: String, form: crate::session::SaleForm) -> Result<(), ServerFnError> {
    let f = sale_fields(&form)?;
    let input = gql::SaleUpdateInput {
        amount_minor: f.amount_minor,
        currency: f.currency,
        sold_at: f.sold_at,
        status: f.status,
        note: f.note,
    };
    let variables = gql::UpdateSaleVariables { id: Id(id), input };
    run_as_user(gql::UpdateSale::build(variables))
        .await
        .map(|_| ())
}

/// Sale changes of the session's company, as server-sent events, for as long as the page
/// listens (the subscription ends when the browser closes the stream).
pub async fn live_sales() -> Result<ServerEvents<gql::SaleChange>, ServerFnError> {
    use futures::StreamExt;
    let ctx = context()?;
    let st = state(&ctx)?;
    let principal = principal(&ctx, &st.api).await?;
    let operation = gql::SaleChanged::build(());
    let changes = st
        .api
        .subscribe(principal, Request::new(operation.query()))
        .filter_map(|response| async move {
            if let Some(e) = response.errors.first() {
                tracing::warn!("live sales: {}", e.message);
                return None;
            }
            let data = response.data.into_json().ok()?;
            let change: gql::SaleChanged = serde_json::from_value(data).ok()?;
            Some(Ok::<_, axum::BoxError>(change.sale_changed))
        });
    Ok(ServerEvents::from_stream(changes))
}

pub async fn api_keys() -> Result<Vec<gql::ApiKey>, ServerFnError> {
    run_as_user(gql::ApiKeys::build(()))
        .await
        .map(|d| d.api_keys)
}

pub async fn create_api_key(name: String) -> Result<gql::CreatedKey, ServerFnError> {
    run_as_user(gql::CreateApiKey::build(gql::NameVariables { name }))
        .await
        .map(|d| d.create_api_key)
}

pub async fn revoke_api_key(id: String) -> Result<(), ServerFnError> {
    run_as_user(gql::RevokeApiKey::build(gql::IdVariables { id: Id(id) }))
        .await
        .map(|_| ())
}

#[cfg(test)]
mod tests {
    //! The web server as a browser without scripts sees it: server-rendered pages with real
    //! data, on SQLite and PostgreSQL, plus the checks that keep the session safe.

    use axum::body::Body;
    use axum::http::Request as HttpRequest;
    use serde_json::{Value, json};
    use tower::ServiceExt;

    use crm_test_support::{Backend, ScratchDb};

    use super::*;

    struct Web {
        router: axum::Router,
        _db: ScratchDb,
    }

    async fn web(postgres: bool) -> Web {
        let backend = if postgres {
            Backend::Postgres
        } else {
            Backend::Sqlite
        };
        let db = ScratchDb::new(backend, "web").await;
        let config = crm_api::Config {
            database_url: Some(db.url.clone()),
            ..Default::default()
        };
        Web {
            router: build(config).await.unwrap(),
            _db: db,
        }
    }

    /// An operation's text and variables, as the server receives them.
    fn text<Q, V: serde::Serialize>(op: cynic::Operation<Q, V>) -> (String, Value) {
        (op.query, serde_json::to_value(op.variables).unwrap())
    }

    impl Web {
        async fn send(&self, request: HttpRequest<Body>) -> (u16, Option<String>, String) {
            let response = self.router.clone().oneshot(request).await.unwrap();
            let status = response.status().as_u16();
            let cookie = response
                .headers()
                .get(header::SET_COOKIE)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.split(';').next().unwrap_or("").to_owned());
            let body = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .unwrap();
            (status, cookie, String::from_utf8_lossy(&body).into_owned())
        }

        async fn page(&self, path: &str, cookie: &str) -> (u16, String) {
            let request = HttpRequest::get(path)
                .header(header::COOKIE, cookie)
                .header(header::ACCEPT_LANGUAGE, "en-US,en")
                .body(Body::empty())
                .unwrap();
            let (status, _, body) = self.send(request).await;
            (status, body)
        }

        async fn call(
            &self,
            path: &str,
            cookie: &str,
            args: Value,
        ) -> (u16, Option<String>, String) {
            let request = HttpRequest::post(path)
                .header(header::HOST, "crm.test")
                .header(header::ORIGIN, "http://crm.test")
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::COOKIE, cookie)
                .body(Body::from(args.to_string()))
                .unwrap();
            self.send(request).await
        }

        async fn graphql(&self, key: &str, query: &str, variables: Value) -> Value {
            let request = HttpRequest::post("/graphql")
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::AUTHORIZATION, format!("Bearer {key}"))
                .body(Body::from(
                    json!({ "query": query, "variables": variables }).to_string(),
                ))
                .unwrap();
            serde_json::from_str(&self.send(request).await.2).unwrap()
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn pages_on_sqlite() {
        pages(web(false).await).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn pages_on_postgres() {
        pages(web(true).await).await;
    }

    async fn pages(w: Web) {
        // Not signed in: the sign-in form, in the browser's language.
        let (status, body) = w.page("/", "").await;
        assert_eq!(status, 200);
        assert!(body.contains("id=\"login-form\""), "{body}");
        let request = HttpRequest::get("/login")
            .header(header::ACCEPT_LANGUAGE, "ru-RU,ru;q=0.9")
            .body(Body::empty())
            .unwrap();
        assert!(w.send(request).await.2.contains("Войти"));

        // Registration sets an httpOnly session cookie.
        let args = json!({"email": "web@example.com", "password": "long enough", "display_name": "Вера",
                          "company_name": "Лавка", "base_currency": "RUB"});
        let response = w
            .router
            .clone()
            .oneshot(
                HttpRequest::post("/api/session/register")
                    .header(header::HOST, "crm.test")
                    .header(header::ORIGIN, "http://crm.test")
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from(args.to_string()))
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let set_cookie = response
            .headers()
            .get(header::SET_COOKIE)
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"),
            "{set_cookie}"
        );
        let session = set_cookie.split(';').next().unwrap().to_owned();

        // A new company: empty start screen and the clients empty state.
        let (_, body) = w.page("/", &session).await;
        assert!(
            body.contains("This month") && body.contains("No sales this month yet"),
            "{body}"
        );
        assert!(body.contains("Лавка"), "the company is shown");
        let (_, body) = w.page("/clients", &session).await;
        assert!(body.contains("id=\"clients-empty\""), "{body}");

        // A key, created through the UI's server function, pushes data through GraphQL.
        let (status, _, created) = w.call("/api/keys", &session, json!({"name": "Shop"})).await;
        assert_eq!(status, 200, "{created}");
        let created: Value = serde_json::from_str(&created).unwrap();
        let key = created["secret"].as_str().unwrap().to_owned();
        let rows: Vec<Value> = (0..30)
            .map(|i| json!({"externalId": format!("c{i}"), "name": format!("Клиент {i:02}"), "email": format!("c{i}@shop.example")}))
            .collect();
        w.graphql(
            &key,
            "mutation($r: [ClientUpsertInput!]!) { upsertClients(clients: $r) { created } }",
            json!({"r": rows}),
        )
        .await;
        let sale = json!([{"externalId": "s1", "clientExternalId": "c7", "amountMinor": 124_000_000, "currency": "RUB",
                           "soldAt": chrono::Utc::now().to_rfc3339()}]);
        w.graphql(
            &key,
            "mutation($r: [SaleUpsertInput!]!) { upsertSales(sales: $r) { created } }",
            json!({"r": sale}),
        )
        .await;

        // The lists show it, formatted per language, 25 to a page.
        let (_, body) = w
            .page("/clients?sort=total", &format!("{session}; crm_lang=ru"))
            .await;
        assert!(body.contains("30 клиентов"), "{body}");
        assert!(
            body.contains("1\u{a0}240\u{a0}000,00\u{a0}₽"),
            "money in Russian format"
        );
        assert!(body.contains("id=\"next-page\""), "a second page");
        let first = body.find("Клиент 07").unwrap();
        assert!(
            body[..first].matches("<tr").count() <= 2,
            "the biggest buyer comes first"
        );
        let (_, body) = w
            .page(
                "/clients?search=%D0%BA%D0%BB%D0%B8%D0%B5%D0%BD%D1%82%2029",
                &session,
            )
            .await;
        assert!(
            body.contains("1 client") && body.contains("Клиент 29"),
            "{body}"
        );
        let (_, body) = w.page("/", &session).await;
        assert!(
            body.contains("₽1,240,000.00") && body.contains("1 sale"),
            "{body}"
        );
        let (_, body) = w.page("/api-keys", &session).await;
        assert!(
            body.contains(&key[..12]) && !body.contains(&key),
            "the list shows the prefix, never the key"
        );

        // The sales list with its filters.
        let (_, body) = w.page("/sales", &session).await;
        assert!(
            body.contains("id=\"sales-table\"")
                && body.contains("Клиент 07")
                && body.contains("1 sale"),
            "{body}"
        );
        let (_, body) = w.page("/sales?currency=USD", &session).await;
        assert!(body.contains("No sales match this filter."), "{body}");
        let (_, body) = w
            .page(
                "/sales?status=COMPLETED&from=2000-01-01",
                &format!("{session}; crm_lang=ru"),
            )
            .await;
        assert!(
            body.contains("1 продажа") && body.contains("Завершена"),
            "{body}"
        );
        let request =
            HttpRequest::get("/api/sales?from=tomorrow&to=&status=&currency=&client=&after=")
                .header(header::COOKIE, &session)
                .body(Body::empty())
                .unwrap();
        let (status, _, body) = w.send(request).await;
        assert_eq!(status, 400, "{body}");
        assert!(
            body.contains("BAD_USER_INPUT") && body.contains("from"),
            "{body}"
        );

        screens_of_one_client_and_sale(&w, &session, &key).await;

        // Unknown pages are real 404s.
        let (status, body) = w.page("/no/such/page", &session).await;
        assert_eq!(status, 404);
        assert!(body.contains("Page not found"));

        // Writes from another site are refused, even with the cookie.
        let request = HttpRequest::post("/api/keys")
            .header(header::HOST, "crm.test")
            .header(header::ORIGIN, "https://evil.example")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::COOKIE, &session)
            .body(Body::from(json!({"name": "stolen"}).to_string()))
            .unwrap();
        assert_eq!(w.send(request).await.0, 403);

        // Wrong passwords come back as a coded error for the form.
        let (status, _, body) = w
            .call(
                "/api/session/login",
                "",
                json!({"email": "web@example.com", "password": "nope nope"}),
            )
            .await;
        assert_eq!(status, 400, "{body}");
        assert!(body.contains("BAD_USER_INPUT"), "{body}");

        // Signing out ends the session: the cookie is cleared and the old one no longer works.
        let (_, cleared, _) = w.call("/api/session/logout", &session, json!({})).await;
        assert_eq!(cleared.as_deref(), Some("crm_session="));
        let (_, body) = w.page("/clients", &session).await;
        assert!(body.contains("id=\"login-form\""), "the old cookie is dead");
    }

    /// A JSON call's answer, parsed.
    fn parsed(body: &str) -> Value {
        serde_json::from_str(body).unwrap_or_else(|_| panic!("not JSON: {body}"))
    }

    /// The form field a failed call names.
    fn field_of(body: &str) -> Value {
        parsed(body)["data"]["ServerError"]["details"]["field"].clone()
    }

    /// The client and sale screens and their forms' server functions, then the live sales feed.
    async fn screens_of_one_client_and_sale(w: &Web, session: &str, key: &str) {
        let found = w
            .graphql(
                key,
                "{ clients(filter: {search: \"клиент 07\"}) { nodes { id } } }",
                json!({}),
            )
            .await;
        let id = found["data"]["clients"]["nodes"][0]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let page = format!("/clients/{id}");
        let (status, body) = w.page(&page, session).await;
        assert_eq!(status, 200);
        assert!(
            body.contains("id=\"client-name\"")
                && body.contains("Клиент 07")
                && body.contains("c7@shop.example")
                && body.contains("id=\"purchases\"")
                && body.contains("₽1,240,000.00"),
            "{body}"
        );
        assert!(body.contains("Nothing recorded yet"), "no interactions yet");

        // An interaction: the empty one is refused with its field, the real one is listed.
        let args = json!({"client_id": id, "kind": "CALL", "body": "  ", "day": ""});
        let (status, _, answer) = w.call("/api/client/interaction", session, args).await;
        assert_eq!(status, 400, "{answer}");
        assert!(
            answer.contains("BAD_USER_INPUT") && answer.contains("body"),
            "{answer}"
        );
        let args = json!({"client_id": id, "kind": "MEETING", "body": "Обсудили скидку на 2027", "day": "2026-11-20"});
        let (status, _, answer) = w.call("/api/client/interaction", session, args).await;
        assert_eq!(status, 200, "{answer}");
        let (_, body) = w.page(&page, &format!("{session}; crm_lang=ru")).await;
        assert!(
            body.contains("Обсудили скидку на 2027")
                && body.contains("Встреча")
                && body.contains("20.11.2026"),
            "{body}"
        );

        // Editing the client: a bad e-mail comes back for its field, nothing changes.
        let edit = |email: &str| json!({"id": id, "name": "Клиент 07 VIP", "email": email, "phone": "+7 900 000-00-07", "status": "ACTIVE"});
        let (status, _, answer) = w
            .call("/api/client/update", session, edit("not-an-email"))
            .await;
        assert_eq!(status, 400, "{answer}");
        assert_eq!(field_of(&answer), "email", "{answer}");
        let (_, body) = w.page(&page, session).await;
        assert!(
            !body.contains("Клиент 07 VIP"),
            "the refused edit changed nothing"
        );
        let (status, _, answer) = w
            .call("/api/client/update", session, edit("vip@shop.example"))
            .await;
        assert_eq!(status, 200, "{answer}");
        let (_, body) = w.page(&page, session).await;
        assert!(
            body.contains("Клиент 07 VIP")
                && body.contains("vip@shop.example")
                && body.contains("tel:+7 900 000-00-07"),
            "{body}"
        );

        // A sale from the client screen: amounts as people type them, checked per currency.
        let sale = |amount: &str, currency: &str| {
            json!({"client_id": id, "item": "Консультация",
                   "form": {"amount": amount, "currency": currency, "day": "", "status": "COMPLETED", "note": "из интерфейса"}})
        };
        for (amount, currency, field) in [
            ("12,345", "RUB", "amountMinor"),
            ("abc", "RUB", "amountMinor"),
            ("10", "XYZ", "currency"),
            ("1.5", "JPY", "amountMinor"),
        ] {
            let (status, _, answer) = w
                .call("/api/sale/create", session, sale(amount, currency))
                .await;
            assert_eq!(status, 400, "{amount} {currency}: {answer}");
            assert_eq!(field_of(&answer), field, "{answer}");
        }
        let (status, _, answer) = w
            .call("/api/sale/create", session, sale("1 500,50", "rub"))
            .await;
        assert_eq!(status, 200, "{answer}");
        let sale_id = parsed(&answer).as_str().unwrap().to_owned();
        let (_, body) = w.page(&page, session).await;
        assert!(
            body.contains("₽1,241,500.50"),
            "the total counts the new sale: {body}"
        );
        let (status, body) = w.page(&format!("/sales/{sale_id}"), session).await;
        assert_eq!(status, 200);
        assert!(
            body.contains("₽1,500.50")
                && body.contains("Консультация")
                && body.contains("из интерфейса")
                && body.contains(&format!("href=\"/clients/{id}?more=\"")),
            "{body}"
        );

        // Editing the sale: refunded, it leaves the client's total.
        let form = json!({"amount": "1500.50", "currency": "RUB", "day": "", "status": "REFUNDED", "note": ""});
        let (status, _, answer) = w
            .call(
                "/api/sale/update",
                session,
                json!({"id": sale_id, "form": form}),
            )
            .await;
        assert_eq!(status, 200, "{answer}");
        let (_, body) = w.page(&format!("/sales/{sale_id}"), session).await;
        assert!(
            body.contains("Refunded") && !body.contains("из интерфейса"),
            "{body}"
        );
        let (_, body) = w.page(&page, session).await;
        assert!(body.contains("₽1,240,000.00"), "{body}");

        // The sales list of this client only.
        let (_, body) = w.page(&format!("/sales?client={id}"), session).await;
        assert!(
            body.contains("2 sales") && body.contains("Sales of one client"),
            "{body}"
        );

        // Another company's client or sale is not found, not shown: a 404 with the message.
        for missing in ["/clients/999999", "/sales/999999"] {
            let (status, body) = w.page(missing, session).await;
            assert_eq!(status, 404, "{missing}");
            assert!(
                body.contains("role=\"alert\"") && !body.contains("client-name"),
                "{body}"
            );
        }

        // The live feed: a sale pushed by the integration arrives as a server-sent event.
        let request = HttpRequest::get("/api/live/sales")
            .header(header::COOKIE, session)
            .body(Body::empty())
            .unwrap();
        let response = w.router.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.headers()[header::CONTENT_TYPE],
            "text/event-stream"
        );
        let mut events = response.into_body().into_data_stream();
        let push = json!([{"externalId": "live-1", "clientExternalId": "c3", "amountMinor": 9_900, "currency": "RUB",
                           "soldAt": chrono::Utc::now().to_rfc3339()}]);
        // Retried until the feed delivers: the subscription starts when the stream is first read.
        let mut seen = String::new();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        let mut pushed = false;
        while !seen.contains("\"CREATED\"") {
            assert!(
                std::time::Instant::now() < deadline,
                "no live event: {seen}"
            );
            if !pushed {
                let w2 = w.router.clone();
                let key = key.to_owned();
                let push = push.clone();
                tokio::spawn(async move {
                    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
                    let request = HttpRequest::post("/graphql")
                        .header(header::CONTENT_TYPE, "application/json")
                        .header(header::AUTHORIZATION, format!("Bearer {key}"))
                        .body(Body::from(
                            json!({"query": "mutation($r: [SaleUpsertInput!]!) { upsertSales(sales: $r) { created } }",
                                   "variables": {"r": push}})
                            .to_string(),
                        ))
                        .unwrap();
                    let _ = w2.oneshot(request).await;
                });
                pushed = true;
            }
            let next = tokio::time::timeout(
                std::time::Duration::from_secs(20),
                futures::StreamExt::next(&mut events),
            )
            .await;
            match next {
                Ok(Some(Ok(bytes))) => seen.push_str(&String::from_utf8_lossy(&bytes)),
                other => panic!("the live feed ended: {other:?} after {seen}"),
            }
        }
        assert!(
            seen.contains("Клиент 03") && seen.contains("99.00"),
            "{seen}"
        );
    }

    /// Every operation the UI sends, with variables of the kind the pages send, passes the
    /// validation of the schema the server executes (cynic checked them against
    /// `schema.graphql` at compile time; this checks the generated text against the server).
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn operations_match_the_schema() {
        use crate::gql::*;
        let db = ScratchDb::new(Backend::Sqlite, "web_ops").await;
        let config = crm_api::Config {
            database_url: Some(db.url.clone()),
            ..Default::default()
        };
        let api = Api::new(crm_api::App::start(config).await.unwrap());
        let id = || Id("1".into());
        let at = || DateTime("2026-11-22T10:15:00+00:00".into());
        let fields = || SaleUpdateInput {
            amount_minor: Minor(3_000_000_000),
            currency: "RUB".into(),
            sold_at: Some(at()),
            status: SaleStatus::Refunded,
            note: None,
        };
        let ops: Vec<(String, serde_json::Value)> = vec![
            text(Login::build(LoginVariables {
                email: "a@example.com".into(),
                password: "wrong password".into(),
            })),
            text(Refresh::build(RefreshVariables {
                token: "spent".into(),
            })),
            text(Logout::build(())),
            text(Me::build(())),
            text(SwitchCompany::build(IdVariables { id: id() })),
            text(Dashboard::build(PeriodVariables {
                from: at(),
                to: at(),
            })),
            text(Clients::build(ClientsVariables {
                first: Some(25),
                after: Some("cursor".into()),
                filter: Some(ClientFilterInput {
                    search: Some("Клиент".into()),
                }),
                sort: Some(ClientSortInput {
                    field: ClientSortField::TotalSpent,
                    direction: SortDirection::Desc,
                }),
            })),
            text(Sales::build(SalesVariables {
                first: Some(25),
                after: None,
                filter: Some(SaleFilterInput {
                    sold_from: Some(at()),
                    sold_to: Some(at()),
                    client_id: Some(id()),
                    status: Some(SaleStatus::Pending),
                    currency: Some("RUB".into()),
                }),
            })),
            text(Client::build(ClientVariables {
                id: id(),
                sales: 20,
                interactions: 20,
                interactions_after: Some("cursor".into()),
            })),
            text(UpdateClient::build(UpdateClientVariables {
                id: id(),
                input: ClientUpdateInput {
                    name: "Name".into(),
                    email: None,
                    phone: Some("+7 900".into()),
                    status: ClientStatus::Inactive,
                },
            })),
            text(ArchiveClient::build(IdVariables { id: id() })),
            text(RestoreClient::build(IdVariables { id: id() })),
            text(AddInteraction::build(AddInteractionVariables {
                id: id(),
                input: InteractionInput {
                    kind: InteractionKind::Meeting,
                    body: "Met".into(),
                    occurred_at: Some(at()),
                },
            })),
            text(CreateSale::build(CreateSaleVariables {
                input: SaleInput {
                    client_id: id(),
                    amount_minor: Minor(3_000_000_000),
                    currency: "RUB".into(),
                    sold_at: None,
                    status: SaleStatus::Completed,
                    items: vec![SaleItemInput {
                        name: "Goods".into(),
                    }],
                    note: Some("note".into()),
                },
            })),
            text(Sale::build(IdVariables { id: id() })),
            text(UpdateSale::build(UpdateSaleVariables {
                id: id(),
                input: fields(),
            })),
            text(ApiKeys::build(())),
            text(CreateApiKey::build(NameVariables {
                name: "Shop".into(),
            })),
            text(RevokeApiKey::build(IdVariables { id: id() })),
            // Last: it signs up, so the operations above ran without a session.
            text(Register::build(RegisterVariables {
                input: RegisterInput {
                    email: "ops@example.com".into(),
                    password: "long enough".into(),
                    display_name: "Ops".into(),
                    company_name: "Ops".into(),
                    base_currency: "RUB".into(),
                    locale: "ru".into(),
                },
            })),
        ];
        for (query, variables) in ops {
            let request = Request::new(query.as_str()).variables(Variables::from_json(variables));
            let response = api
                .execute(Principal::Anonymous, request, String::new())
                .await;
            for e in &response.errors {
                // Without a session the API refuses (and the made-up login fails), but never
                // for the operation's shape.
                let code = e.extensions.as_ref().and_then(|x| x.get("code"));
                let code = code.map(|c| c.to_string()).unwrap_or_default();
                let fine = code == "\"UNAUTHENTICATED\""
                    || (query.contains("login(") && e.message == "wrong e-mail or password");
                assert!(fine, "{query}\n  {code} {}", e.message);
            }
        }
        // The subscription the live sales list runs.
        let subscription = SaleChanged::build(());
        let mut stream =
            Box::pin(api.subscribe(Principal::Anonymous, Request::new(subscription.query())));
        let first = futures::StreamExt::next(&mut stream).await.unwrap();
        for e in &first.errors {
            assert!(
                e.message.contains("authentication required"),
                "{}",
                e.message
            );
        }
    }
}
