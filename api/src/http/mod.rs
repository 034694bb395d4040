//! The HTTP surface: `/graphql` (POST queries, GET GraphiQL), `/graphql/ws` (subscriptions over
//! graphql-ws, [`socket`]), `/health` and `/ready`, report downloads ([`exports`]). Turns each
//! request into a principal before the schema runs, and bounds what a request may take: body
//! size and read time, requests served at once, run time.

pub mod client_addr;
mod exports;
mod graphiql;
pub mod live;
pub mod server;
pub mod socket;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use async_graphql::{ErrorExtensionValues, Response, ServerError, Value};
use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

use crate::app::App;
use crate::auth::Principal;
use crate::error::{ApiError, Code};
use crate::graphql::accounts::ClientAddr;
use crate::graphql::loaders::Loaders;
use crate::graphql::{CrmSchema, build_schema};

/// The narrow face of the API for the web UI's server side (and the HTTP routes): run an
/// operation or a subscription as a principal, and turn a token into a principal. What lies
/// behind it (the application state, the schema) stays private.
#[derive(Clone)]
pub struct Api {
    app: Arc<App>,
    schema: CrmSchema,
    /// One permit per GraphQL request being served (`Config::max_concurrent_requests`).
    requests: Arc<tokio::sync::Semaphore>,
}

impl Api {
    pub fn new(app: Arc<App>) -> Api {
        Api {
            schema: build_schema(app.clone()),
            requests: Arc::new(tokio::sync::Semaphore::new(
                app.config.max_concurrent_requests.max(1),
            )),
            app,
        }
    }

    /// The principal of a bearer token (an access token or an API key); anonymous for `None`.
    /// Errors: UNAUTHENTICATED for an invalid, expired or revoked token.
    pub async fn authenticate(&self, bearer: Option<&str>) -> crate::error::ApiResult<Principal> {
        self.app.authenticate(bearer).await
    }

    /// The client's address for rate limits (see [`client_addr`]).
    pub fn client_addr(&self, peer: Option<std::net::IpAddr>, headers: &HeaderMap) -> String {
        self.app.config.trusted_proxies.client_addr(peer, headers)
    }

    /// Whether an access token must be renewed now: it is not ours, has expired, or expires
    /// within `margin` (at most half a token's lifetime, so short lifetimes do not renew on
    /// every request). Checks the signature and the expiry only (no database).
    pub fn access_token_expires_within(&self, token: &str, margin: Duration) -> bool {
        match self.app.jwt.verify(token) {
            Some(claims) => {
                let margin = margin.min(self.app.access_token_ttl() / 2);
                let margin = i64::try_from(margin.as_secs()).unwrap_or(i64::MAX);
                claims.exp.saturating_sub(margin) <= chrono::Utc::now().timestamp()
            }
            None => true,
        }
    }

    /// The IANA time zone of `principal`'s company (`Company.timeZone`), which the web UI shows
    /// times and cuts days in; UTC for a principal without a company. Errors: UNAVAILABLE or
    /// INTERNAL when the database cannot be read.
    pub async fn time_zone(&self, principal: &Principal) -> crate::error::ApiResult<chrono_tz::Tz> {
        let Ok(company) = principal.company() else {
            return Ok(chrono_tz::UTC);
        };
        let mut conn = self.app.db.read().await?;
        let zone = crate::db::companies::by_id(&mut conn, company)
            .await?
            .map(|c| c.time_zone);
        // Names are checked when they are stored; an unknown one reads as UTC.
        Ok(zone.and_then(|z| z.parse().ok()).unwrap_or(chrono_tz::UTC))
    }

    /// Whether people reach the server over https (`CRM_PUBLIC_URL`), for cookie flags.
    pub fn public_https(&self) -> bool {
        self.app.config.public_https()
    }

    /// Runs one GraphQL request as `principal`, exactly as `/graphql` does (the web UI's
    /// server side calls this instead of making an HTTP request to itself).
    pub async fn execute(
        &self,
        principal: Principal,
        request: async_graphql::Request,
        addr: String,
    ) -> Response {
        let company = principal.company().unwrap_or(0);
        let request = request
            .data(Loaders::new(&self.app, company))
            .data(principal)
            .data(ClientAddr(addr));
        with_codes(self.schema.execute(request).await)
    }

    /// Runs a subscription as `principal`, as `/graphql/ws` does: one response per event,
    /// until the caller drops the stream. The stream follows the principal's rights (see
    /// [`live`]): it ends after an error response once the session or key has ended or its
    /// rights changed, and it counts against the holder's open streams.
    pub fn subscribe(
        &self,
        principal: Principal,
        request: async_graphql::Request,
    ) -> impl futures::Stream<Item = Response> + Send + 'static + use<> {
        use futures::StreamExt;
        let slot = match live::open(&self.app, &principal) {
            Ok(slot) => slot,
            Err(e) => {
                return futures::stream::once(async move { live::error_response(e) }).boxed();
            }
        };
        let company = principal.company().unwrap_or(0);
        let request = request
            .data(Loaders::for_subscriptions(&self.app, company))
            .data(principal.clone());
        let events = self.schema.execute_stream(request).map(with_codes);
        live::follow_rights(self.app.clone(), principal, slot, events).boxed()
    }
}

/// The API routes (`/graphql`, `/graphql/ws`, `/health`), without a fallback, so the web UI can
/// merge them into its own router.
pub fn api_routes(api: Api) -> Router {
    Router::new()
        .route("/graphql", get(graphiql::page).post(graphql))
        .route("/graphql/assets/{name}", get(graphiql::asset))
        .route("/graphql/ws", get(socket::subscriptions))
        .route("/health", get(health))
        .route("/ready", get(ready))
        .route("/reports/export", get(exports::live))
        .route("/reports/saved/{id}/export", get(exports::saved_report))
        .route("/shared/{token}/export", get(exports::shared))
        .route("/reports/jobs/{id}/export", get(exports::job))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(api)
}

/// The policy of every page that sets none of its own (GraphiQL does): everything from this
/// server only, so an injected tag can neither load a script from elsewhere nor send data
/// elsewhere (`connect-src`, `img-src`, `form-action`), and no framing. Scripts may still be
/// inline and use eval: the Dioxus pages carry per-page inline scripts (hydration data and the
/// WebAssembly loader) and run `document::eval`, so neither hashes nor nonces fit them yet.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; \
     script-src 'self' 'unsafe-inline' 'unsafe-eval' 'wasm-unsafe-eval'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; \
     connect-src 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'self'; \
     form-action 'self'";

/// Headers every response of ours carries: no framing by other sites (clickjacking), no
/// plugins, no `<base>` or form posts elsewhere, no MIME sniffing, no full URLs in referrers;
/// and `Cache-Control: no-store` on pages and API answers (they hold a signed-in person's
/// data), not on the static files. The web UI's router adds this layer too.
pub async fn security_headers(
    request: Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::http::HeaderValue;
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let private = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| {
            t.starts_with("text/html")
                || t.starts_with("application/json")
                || t.starts_with("text/event-stream")
        });
    for (name, value) in [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "same-origin"),
    ] {
        headers
            .entry(name)
            .or_insert(HeaderValue::from_static(value));
    }
    if private {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// The API server on its own: the API routes, and `/` leads to GraphiQL.
pub fn router(app: Arc<App>) -> Router {
    api_routes(Api::new(app))
        .route("/", get(|| async { Redirect::temporary("/graphql") }))
        .layer(axum::middleware::from_fn(security_headers))
}

/// Liveness: `ok` while the process serves HTTP.
async fn health() -> impl IntoResponse {
    "ok"
}

/// Readiness: `ok` when a query runs on the database (the container health check calls this).
async fn ready(State(http): State<Api>) -> impl IntoResponse {
    let answered = match http.app.db.read().await {
        Ok(mut conn) => conn.execute_sql("SELECT 1").await.is_ok(),
        Err(_) => false,
    };
    if answered {
        (StatusCode::OK, "ok")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
    }
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
}

/// A GraphQL-shaped error response for failures before the schema runs.
fn error_response(status: StatusCode, e: ApiError) -> axum::response::Response {
    let code = e.code();
    let mut err = ServerError::new(e.message(), None);
    let mut ext = ErrorExtensionValues::default();
    ext.set("code", code.as_str());
    err.extensions = Some(ext);
    let body = serde_json::json!({ "data": null, "errors": [err] });
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

/// Timeout for one GraphQL request; a 10,000-row batch takes a few seconds.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(120);
/// How long a request waits for one of the `max_concurrent_requests` places.
const QUEUE_WAIT: Duration = Duration::from_secs(1);

async fn graphql(State(http): State<Api>, request: Request) -> axum::response::Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let addr = http.client_addr(peer, request.headers());
    let Ok(Ok(_serving)) =
        tokio::time::timeout(QUEUE_WAIT, http.requests.clone().acquire_owned()).await
    else {
        let mut response = error_response(
            StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Unavailable(anyhow::anyhow!("too many requests at once")),
        );
        response.headers_mut().insert(
            header::RETRY_AFTER,
            axum::http::HeaderValue::from_static("1"),
        );
        return response;
    };
    let (parts, body) = request.into_parts();
    let limit = http.app.config.max_body_bytes;
    let body_timeout = http.app.config.body_read_timeout;
    let bytes = match tokio::time::timeout(
        body_timeout,
        axum::body::to_bytes(Body::new(body), limit),
    )
    .await
    {
        Ok(Ok(b)) => b,
        Ok(Err(_)) => {
            return error_response(
                StatusCode::PAYLOAD_TOO_LARGE,
                ApiError::BadInput {
                    field: None,
                    message: format!("the request body exceeds {limit} bytes"),
                },
            );
        }
        Err(_) => {
            return error_response(
                StatusCode::REQUEST_TIMEOUT,
                ApiError::BadInput {
                    field: None,
                    message: format!(
                        "the request body did not arrive within {} s",
                        body_timeout.as_secs()
                    ),
                },
            );
        }
    };
    let gql_request: async_graphql::Request = match serde_json::from_slice(&bytes) {
        Ok(r) => r,
        Err(e) => {
            return error_response(
                StatusCode::BAD_REQUEST,
                ApiError::BadInput {
                    field: None,
                    message: format!("the body is not a GraphQL request in JSON: {e}"),
                },
            );
        }
    };
    let principal = match http.app.authenticate(bearer(&parts.headers)).await {
        Ok(p) => p,
        Err(e) => {
            let status = match e.code() {
                Code::RateLimited => StatusCode::TOO_MANY_REQUESTS,
                Code::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
                _ => StatusCode::OK,
            };
            return error_response(status, e);
        }
    };
    let response =
        match tokio::time::timeout(REQUEST_TIMEOUT, http.execute(principal, gql_request, addr))
            .await
        {
            Ok(r) => r,
            Err(_) => {
                return error_response(
                    StatusCode::GATEWAY_TIMEOUT,
                    ApiError::Unavailable(anyhow::anyhow!("request timed out")),
                );
            }
        };
    let body = serde_json::to_string(&response).unwrap_or_else(|_| "{}".into());
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// Gives every error a code. Errors without a path come from parsing and validating the
/// request (BAD_USER_INPUT); a resolver error without a code is a bug, shown as INTERNAL.
fn with_codes(mut response: Response) -> Response {
    for err in &mut response.errors {
        let has_code = err
            .extensions
            .as_ref()
            .is_some_and(|e| e.get("code").is_some());
        if has_code {
            continue;
        }
        // Argument values are coerced when the resolver runs, so their errors carry a path.
        let bad_argument = err.message.starts_with("Failed to parse")
            || err.message.starts_with("Invalid value for argument")
            || err.message.starts_with("Variable ");
        let code = if err.path.is_empty() || bad_argument {
            Code::BadUserInput
        } else {
            tracing::error!(message = %err.message, "resolver error without a code");
            err.message = "internal error".into();
            Code::Internal
        };
        err.extensions
            .get_or_insert_with(ErrorExtensionValues::default)
            .set("code", Value::from(code.as_str()));
    }
    response
}
