//! CSRF defence for cookie-authenticated writes: a state-changing request to a server
//! function must come from our own pages (same origin), never from another site. Reads, and
//! everything outside `/api/` (the GraphQL API authenticates with bearer tokens, not cookies),
//! pass untouched.

use axum::extract::Request;
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Refuses a write to `/api/`, or a sign-in or registration form post (which sets the session
/// cookie: another site must not sign a visitor into an account of its choosing), that the
/// browser marks as cross-site or whose `Origin` is not this host.
pub async fn same_site_writes(request: Request, next: Next) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    let path = request.uri().path();
    let cookie_writes = path.starts_with("/api/") || path == "/login" || path == "/register";
    if !safe && cookie_writes {
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
