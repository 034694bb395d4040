//! Report downloads for the signed-in browser: the API's export routes (`/reports/export`,
//! `/reports/saved/{id}/export`, `/reports/jobs/{id}/export`) authenticate with a bearer token,
//! which a link in a page cannot send. For a GET to them without an `Authorization` header,
//! this layer presents the session cookie's access token as the bearer — renewing the session
//! first when the access token has expired, as server functions do — so a plain `<a download>`
//! works. The export routes then check the user's rights exactly as for GraphQL. Shared links
//! (`/shared/{token}/export`) need no session and pass untouched.

use axum::extract::Request;
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::Response;
use crm_api::auth::Principal;
use cynic::MutationBuilder;

use super::WebState;
use super::cookies;
use crate::gql;

fn is_download(request: &Request) -> bool {
    let path = request.uri().path();
    request.method() == Method::GET
        && path.starts_with("/reports/")
        && path.ends_with("/export")
        && !request.headers().contains_key(header::AUTHORIZATION)
}

/// Adds the session's bearer token to a download request (see the module's doc).
pub async fn with_session(mut request: Request, next: Next) -> Response {
    if !is_download(&request) {
        return next.run(request).await;
    }
    let Some(state) = request.extensions().get::<WebState>().cloned() else {
        return next.run(request).await;
    };
    let Some((access, refresh)) = cookies::session_of(request.headers()) else {
        return next.run(request).await;
    };
    let valid = matches!(
        state.api.authenticate(Some(&access)).await,
        Ok(p) if p != Principal::Anonymous
    );
    let (bearer, renewed) = if valid {
        (access, None)
    } else {
        // Expired: a new pair from the refresh token, kept in the cookie for the next request.
        let op = gql::Refresh::build(gql::RefreshVariables { token: refresh });
        let request_body =
            async_graphql::Request::new(op.query).variables(async_graphql::Variables::from_json(
                serde_json::to_value(&op.variables).unwrap_or_default(),
            ));
        let answer = state
            .api
            .execute(Principal::Anonymous, request_body, String::new())
            .await;
        let tokens = answer
            .data
            .into_json()
            .ok()
            .and_then(|d| serde_json::from_value::<gql::Refresh>(d).ok())
            .map(|r| r.refresh_session);
        match tokens {
            Some(t) => (t.access_token.clone(), Some(t)),
            // A spent refresh token: the export answers 401, as for any stranger.
            None => return next.run(request).await,
        }
    };
    if let Ok(value) = HeaderValue::from_str(&format!("Bearer {bearer}")) {
        request.headers_mut().insert(header::AUTHORIZATION, value);
    }
    let https = cookies::behind_https(request.headers());
    let mut response = next.run(request).await;
    if let Some(tokens) = renewed
        && let Ok(v) = HeaderValue::from_str(&cookies::session_cookie(&tokens, https))
    {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}
