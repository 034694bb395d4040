//! Report downloads for the signed-in browser: the API's export routes (`/reports/export`,
//! `/reports/saved/{id}/export`, `/reports/jobs/{id}/export`) authenticate with a bearer token,
//! which a link in a page cannot send. For a GET to them without an `Authorization` header,
//! this layer presents the session cookie's access token as the bearer (renewed first by
//! `cookies::renew`, as for every request) so a plain `<a download>`
//! works. The export routes then check the user's rights exactly as for GraphQL. Shared links
//! (`/shared/{token}/export`) need no session and pass untouched.

use super::WebState;
use super::cookies;
use axum::extract::Request;
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::Response;

fn is_download(request: &Request) -> bool {
    let path = request.uri().path();
    request.method() == Method::GET
        && path.starts_with("/reports/")
        && path.ends_with("/export")
        && !request.headers().contains_key(header::AUTHORIZATION)
}

/// Adds the session's bearer token to a download request (see the module's doc); the
/// session was renewed by `cookies::renew` on the way in when needed.
pub async fn with_session(mut request: Request, next: Next) -> Response {
    if !is_download(&request) {
        return next.run(request).await;
    }
    let Some(state) = request.extensions().get::<WebState>().cloned() else {
        return next.run(request).await;
    };
    let https = state.api.public_https();
    let Some((access, _)) = cookies::session_of(request.headers(), https) else {
        return next.run(request).await;
    };
    if let Ok(value) = HeaderValue::from_str(&format!("Bearer {access}")) {
        request.headers_mut().insert(header::AUTHORIZATION, value);
    }
    next.run(request).await
}
