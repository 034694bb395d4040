//! The HTTP surface: `/graphql` (POST queries, GET GraphiQL), `/graphql/ws` (subscriptions over
//! graphql-ws), `/health`, report downloads ([`exports`]). Turns each request into a principal
//! before the schema runs.

mod exports;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use async_graphql::http::{ALL_WEBSOCKET_PROTOCOLS, GraphiQLSource};
use async_graphql::{Data, ErrorExtensionValues, Response, ServerError, Value};
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State, WebSocketUpgrade};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect};
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
}

impl Api {
    pub fn new(app: Arc<App>) -> Api {
        Api {
            schema: build_schema(app.clone()),
            app,
        }
    }

    /// The principal of a bearer token (an access token or an API key); anonymous for `None`.
    /// Errors: UNAUTHENTICATED for an invalid, expired or revoked token.
    pub async fn authenticate(&self, bearer: Option<&str>) -> crate::error::ApiResult<Principal> {
        self.app.authenticate(bearer).await
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
    /// until the caller drops the stream.
    pub fn subscribe(
        &self,
        principal: Principal,
        request: async_graphql::Request,
    ) -> impl futures::Stream<Item = Response> + Send + 'static + use<> {
        use futures::StreamExt;
        let company = principal.company().unwrap_or(0);
        let request = request
            .data(Loaders::for_subscriptions(&self.app, company))
            .data(principal);
        self.schema.execute_stream(request).map(with_codes)
    }
}

/// The API routes (`/graphql`, `/graphql/ws`, `/health`), without a fallback, so the web UI can
/// merge them into its own router.
pub fn api_routes(api: Api) -> Router {
    Router::new()
        .route("/graphql", get(graphiql).post(graphql))
        .route("/graphql/ws", get(subscriptions))
        .route("/health", get(health))
        .route("/reports/export", get(exports::live))
        .route("/reports/saved/{id}/export", get(exports::saved_report))
        .route("/shared/{token}/export", get(exports::shared))
        .route("/reports/jobs/{id}/export", get(exports::job))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(api)
}

/// The API server on its own: the API routes, and `/` leads to GraphiQL.
pub fn router(app: Arc<App>) -> Router {
    api_routes(Api::new(app)).route("/", get(|| async { Redirect::temporary("/graphql") }))
}

async fn graphiql() -> impl IntoResponse {
    Html(
        GraphiQLSource::build()
            .endpoint("/graphql")
            .subscription_endpoint("/graphql/ws")
            .title("CRM GraphQL")
            .finish(),
    )
}

/// `ok` when a query runs on the database (a container health check calls this).
async fn health(State(http): State<Api>) -> impl IntoResponse {
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

async fn graphql(State(http): State<Api>, request: Request) -> axum::response::Response {
    let addr = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_default();
    let (parts, body) = request.into_parts();
    let limit = http.app.config.max_body_bytes;
    let bytes = match axum::body::to_bytes(Body::new(body), limit).await {
        Ok(b) => b,
        Err(_) => {
            return error_response(
                StatusCode::PAYLOAD_TOO_LARGE,
                ApiError::BadInput {
                    field: None,
                    message: format!("the request body exceeds {limit} bytes"),
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

async fn subscriptions(
    State(http): State<Api>,
    protocol: GraphQLProtocol,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> axum::response::Response {
    let header_token = bearer(&headers).map(str::to_owned);
    upgrade
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |socket| async move {
            let app = http.app.clone();
            GraphQLWebSocket::new(socket, http.schema.clone(), protocol)
                .on_connection_init(move |payload| async move {
                    // The token comes in the connection_init payload (browsers cannot set
                    // headers on a WebSocket) or in the upgrade request's Authorization header.
                    let token = payload
                        .get("authorization")
                        .or_else(|| payload.get("Authorization"))
                        .and_then(|v| v.as_str())
                        .map(|v| v.strip_prefix("Bearer ").unwrap_or(v).to_owned())
                        .or_else(|| {
                            payload
                                .get("token")
                                .and_then(|v| v.as_str())
                                .map(str::to_owned)
                        })
                        .or(header_token);
                    let principal = app
                        .authenticate(token.as_deref())
                        .await
                        .map_err(async_graphql::Error::from)?;
                    if principal == Principal::Anonymous {
                        return Err(async_graphql::Error::from(ApiError::Unauthenticated));
                    }
                    let mut data = Data::default();
                    data.insert(Loaders::for_subscriptions(
                        &app,
                        principal.company().unwrap_or(0),
                    ));
                    data.insert(principal);
                    Ok(data)
                })
                .serve()
                .await
        })
}
