//! Runs the UI's typed GraphQL operations in-process, as the user of the request's session:
//! the request context and web state a server function reaches, the principal of the session
//! cookie (renewed by `cookies::renew` before the request when its access token expires), and the mapping of the
//! API's errors to server-function errors that keep the API's code and field. Times in the
//! answers are shown in the company's time zone (see [`zone`]). It chooses no operation itself:
//! the server functions (`crate::api`) do.

use std::net::SocketAddr;

use async_graphql::{Request, Variables};
use chrono_tz::Tz;
use crm_api::auth::Principal;
use crm_api::http::Api;
use cynic::Operation;
use dioxus::fullstack::FullstackContext;
use dioxus::prelude::ServerFnError;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::json;

use super::{WebState, cookies, zone};
use crate::api::ErrorCode;

/// The request a server function serves.
pub fn context() -> Result<FullstackContext, ServerFnError> {
    FullstackContext::current().ok_or_else(|| internal("no request context"))
}

pub fn state(ctx: &FullstackContext) -> Result<WebState, ServerFnError> {
    ctx.extension::<WebState>()
        .ok_or_else(|| internal("web state missing"))
}

/// A failure of ours: logged, and shown to the user as a generic message.
pub fn internal(what: &str) -> ServerFnError {
    tracing::error!("{what}");
    error(ErrorCode::Internal, None, "internal error")
}

/// A server-function error carrying the API's code and field.
pub fn error(code: ErrorCode, field: Option<&str>, message: &str) -> ServerFnError {
    ServerFnError::ServerError {
        message: message.to_owned(),
        code: code.http_status(),
        details: Some(json!({ "code": code, "field": field })),
    }
}

pub fn unauthenticated() -> ServerFnError {
    error(ErrorCode::Unauthenticated, None, "please sign in")
}

/// The client's address for the API's rate limits: the peer, or what a trusted proxy says
/// (`crm_api::http::client_addr`).
fn client_addr(ctx: &FullstackContext, api: &Api) -> String {
    let parts = ctx.parts_mut();
    client_addr_of(api, &parts.extensions, &parts.headers)
}

/// [`client_addr`] from a request's extensions and headers.
pub fn client_addr_of(
    api: &Api,
    extensions: &axum::http::Extensions,
    headers: &axum::http::HeaderMap,
) -> String {
    let peer = extensions
        .get::<axum::extract::ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    api.client_addr(peer, headers)
}

/// Runs one typed operation as `principal`; returns its data (times in the zone of the
/// principal's company), or the first error with its code.
pub async fn execute<Q: DeserializeOwned, V: Serialize>(
    ctx: &FullstackContext,
    api: &Api,
    principal: Principal,
    operation: Operation<Q, V>,
) -> Result<Q, ServerFnError> {
    let zone = zone_of(ctx, api, &principal).await?;
    run(api, principal, zone, client_addr(ctx, api), operation).await
}

/// The zone of a company as found once for a request: a page rendered on the server calls
/// several server functions within one request, and they read it once.
#[derive(Clone, Copy)]
struct RequestZone {
    company: i64,
    zone: Tz,
}

/// [`time_zone`], read once per request.
async fn zone_of(
    ctx: &FullstackContext,
    api: &Api,
    principal: &Principal,
) -> Result<Tz, ServerFnError> {
    let company = principal.company().ok();
    let cached = ctx.parts_mut().extensions.get::<RequestZone>().copied();
    if let Some(known) = cached.filter(|k| Some(k.company) == company) {
        return Ok(known.zone);
    }
    let zone = time_zone(api, principal).await?;
    if let Some(company) = company {
        ctx.parts_mut()
            .extensions
            .insert(RequestZone { company, zone });
    }
    Ok(zone)
}

/// Runs one typed operation as `principal` for the client at `addr` (see
/// `crm_api::http::client_addr`), reading its times in `zone`.
pub async fn run<Q: DeserializeOwned, V: Serialize>(
    api: &Api,
    principal: Principal,
    zone: Tz,
    addr: String,
    operation: Operation<Q, V>,
) -> Result<Q, ServerFnError> {
    let variables = serde_json::to_value(&operation.variables)
        .map_err(|e| internal(&format!("variables: {e}")))?;
    let request = Request::new(operation.query).variables(Variables::from_json(variables));
    data_of(api.execute(principal, request, addr).await, zone)
}

/// The zone `principal`'s company shows times and cuts days in (UTC without a company).
pub async fn time_zone(api: &Api, principal: &Principal) -> Result<Tz, ServerFnError> {
    api.time_zone(principal)
        .await
        .map_err(|e| error(e.code().into(), None, &e.message()))
}

/// A response's data with its times in `zone`, or its first error with the API's code and
/// field.
fn data_of<Q: DeserializeOwned>(
    response: async_graphql::Response,
    zone: Tz,
) -> Result<Q, ServerFnError> {
    if let Some(e) = response.errors.first() {
        let ext = e.extensions.as_ref();
        let text = |key: &str| {
            ext.and_then(|x| x.get(key))
                .map(|v| v.to_string().trim_matches('"').to_owned())
        };
        return Err(error(
            ErrorCode::parse(text("code").as_deref().unwrap_or_default()),
            text("field").as_deref(),
            &e.message,
        ));
    }
    let data = response
        .data
        .into_json()
        .map_err(|_| internal("GraphQL data is not JSON"))?;
    zone::within(zone, || serde_json::from_value(data))
        .map_err(|e| internal(&format!("unexpected GraphQL data: {e}")))
}

/// Runs a typed subscription as `principal`: one item per event (an error item when the API
/// answers an event with an error; times in `zone`), until the caller drops the stream.
pub fn subscribe<Q: DeserializeOwned + 'static, V: Serialize>(
    api: &Api,
    principal: Principal,
    zone: Tz,
    operation: cynic::StreamingOperation<Q, V>,
) -> impl futures::Stream<Item = Result<Q, ServerFnError>> + Send + 'static + use<Q, V> {
    use futures::StreamExt;
    // The operation serialises as the GraphQL request body: `query` and `variables`.
    let body = serde_json::to_value(&operation).unwrap_or_default();
    let query = body
        .get("query")
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default();
    let variables = body.get("variables").cloned().unwrap_or_default();
    let request = Request::new(query).variables(Variables::from_json(variables));
    api.subscribe(principal, request)
        .map(move |response| data_of(response, zone))
}

/// The principal of the session cookie (renewed before the request by `cookies::renew`).
pub async fn principal(ctx: &FullstackContext, api: &Api) -> Result<Principal, ServerFnError> {
    let Some((access, _)) = cookies::session(ctx) else {
        return Err(unauthenticated());
    };
    match api.authenticate(Some(&access)).await {
        Ok(Principal::Anonymous) => Err(unauthenticated()),
        Ok(p) => Ok(p),
        Err(e) if e.code() == crm_api::error::Code::Unauthenticated => Err(unauthenticated()),
        Err(e) => Err(error(e.code().into(), None, &e.message())),
    }
}

/// The signed-in user of the request, with the zone their company shows times and cuts days in.
pub struct SignedIn {
    ctx: FullstackContext,
    api: Api,
    principal: Principal,
    pub zone: Tz,
}

/// The signed-in user of a server function's request, as an extractor named in the function's
/// attribute: `#[get("/api/keys", user: crate::server::CurrentUser)]`, then
/// `user.signed_in()?.run(operation)`.
///
/// It never rejects the request: a missing or ended session is the UNAUTHENTICATED error of
/// [`CurrentUser::signed_in`]. Dioxus turns an extractor's rejection into a plain message when
/// a page rendered on the server calls the function directly, and the pages need the code to
/// send the visitor to the sign-in screen.
pub struct CurrentUser(Result<SignedIn, ServerFnError>);

impl CurrentUser {
    /// The user, or UNAUTHENTICATED (or the error that kept us from knowing).
    pub fn signed_in(&self) -> Result<&SignedIn, ServerFnError> {
        self.0.as_ref().map_err(Clone::clone)
    }
}

impl axum::extract::FromRequestParts<FullstackContext> for CurrentUser {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        _parts: &mut axum::http::request::Parts,
        ctx: &FullstackContext,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self(signed_in(ctx.clone()).await))
    }
}

/// The signed-in user of the request `ctx` serves; UNAUTHENTICATED without a valid session.
async fn signed_in(ctx: FullstackContext) -> Result<SignedIn, ServerFnError> {
    let api = state(&ctx)?.api;
    let principal = principal(&ctx, &api).await?;
    let zone = zone_of(&ctx, &api, &principal).await?;
    Ok(SignedIn {
        ctx,
        api,
        principal,
        zone,
    })
}

impl SignedIn {
    /// Runs an operation as this user.
    pub async fn run<Q: DeserializeOwned, V: Serialize>(
        &self,
        operation: Operation<Q, V>,
    ) -> Result<Q, ServerFnError> {
        let addr = client_addr(&self.ctx, &self.api);
        run(
            &self.api,
            self.principal.clone(),
            self.zone,
            addr,
            operation,
        )
        .await
    }

    /// Runs a subscription as this user (see [`subscribe`]).
    pub fn subscribe<Q: DeserializeOwned + 'static, V: Serialize>(
        &self,
        operation: cynic::StreamingOperation<Q, V>,
    ) -> impl futures::Stream<Item = Result<Q, ServerFnError>> + Send + 'static + use<Q, V> {
        subscribe(&self.api, self.principal.clone(), self.zone, operation)
    }
}
