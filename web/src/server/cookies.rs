//! The UI's cookies: the session (httpOnly, holding the access and refresh tokens; renewed
//! by [`renew`] before a request is served when the access token is about to expire) and the
//! chosen language. Nothing else in the crate reads or writes a cookie.

use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use crm_api::auth::Principal;
use cynic::MutationBuilder;
use dioxus::fullstack::FullstackContext;

use super::WebState;
use crate::gql;
use crate::i18n::Locale;

/// The session cookie's name. Over https it carries the `__Host-` prefix, which browsers
/// accept only with `Secure`, `Path=/` and no `Domain` (RFC 6265bis §4.1.3.2), so no other
/// site or plain-http page can plant or overwrite it.
fn session_name(https: bool) -> &'static str {
    if https {
        "__Host-crm_session"
    } else {
        "crm_session"
    }
}
const LOCALE_COOKIE: &str = "crm_lang";
/// The session cookie lives as long as the refresh token can.
const SESSION_MAX_AGE_SECS: u64 = 30 * 24 * 3600;

fn cookie_of(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// Whether people reach the server over https, from its configuration (`CRM_PUBLIC_URL`),
/// never from a request header a client could send.
fn https(ctx: &FullstackContext) -> bool {
    ctx.extension::<WebState>()
        .is_some_and(|s| s.api.public_https())
}

fn secure(https: bool) -> &'static str {
    if https { "; Secure" } else { "" }
}

fn set_cookie(ctx: &FullstackContext, value: String) {
    if let Ok(v) = HeaderValue::from_str(&value) {
        ctx.add_response_header(header::SET_COOKIE, v);
    }
}

pub fn set_session(ctx: &FullstackContext, tokens: &gql::Tokens) {
    set_cookie(ctx, session_cookie(tokens, https(ctx)));
}

/// The `Set-Cookie` value of a session holding `tokens`.
pub fn session_cookie(tokens: &gql::Tokens, https: bool) -> String {
    format!(
        "{}={}~{}; HttpOnly; SameSite=Lax; Path=/; Max-Age={SESSION_MAX_AGE_SECS}{}",
        session_name(https),
        tokens.access_token,
        tokens.refresh_token,
        secure(https)
    )
}

pub fn clear_session(ctx: &FullstackContext) {
    let https = https(ctx);
    set_cookie(
        ctx,
        format!(
            "{}=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0{}",
            session_name(https),
            secure(https)
        ),
    );
}

/// The access and refresh tokens of the session cookie.
pub fn session(ctx: &FullstackContext) -> Option<(String, String)> {
    let https = https(ctx);
    session_of(&ctx.parts_mut().headers, https)
}

/// [`session`] from a request's headers.
pub fn session_of(headers: &axum::http::HeaderMap, https: bool) -> Option<(String, String)> {
    let value = cookie_of(headers, session_name(https))?;
    let (access, refresh) = value.split_once('~')?;
    Some((access.to_owned(), refresh.to_owned()))
}

/// Renews the session before the request is served, once, when the cookie's access token
/// has expired or expires within [`RENEW_MARGIN`]: the request continues with the new tokens
/// in its `Cookie` header (so every server function of a page sees them, however many run),
/// and the answer carries them in `Set-Cookie`. Doing it here, before the page renders, means
/// the cookie is set even when the page's first bytes go out before its data is loaded. A
/// spent or unknown refresh token clears the cookie; the request then runs signed out.
/// Parallel requests of one browser that all renew are answered alike within the API's grace
/// window for the replaced refresh token.
pub async fn renew(mut request: Request, next: Next) -> Response {
    let Some(state) = request.extensions().get::<WebState>().cloned() else {
        return next.run(request).await;
    };
    let https = state.api.public_https();
    let Some((access, refresh)) = session_of(request.headers(), https) else {
        return next.run(request).await;
    };
    if !state.api.access_token_expires_within(&access, RENEW_MARGIN) {
        return next.run(request).await;
    }
    let op = gql::Refresh::build(gql::RefreshVariables { token: refresh });
    let body =
        async_graphql::Request::new(op.query).variables(async_graphql::Variables::from_json(
            serde_json::to_value(&op.variables).unwrap_or_default(),
        ));
    let answer = state
        .api
        .execute(Principal::Anonymous, body, String::new())
        .await;
    let tokens = answer
        .data
        .into_json()
        .ok()
        .and_then(|d| serde_json::from_value::<gql::Refresh>(d).ok())
        .map(|r| r.refresh_session);
    let name = session_name(https);
    let set_cookie = match &tokens {
        Some(t) => {
            replace_session(
                request.headers_mut(),
                name,
                &format!("{}~{}", t.access_token, t.refresh_token),
            );
            session_cookie(t, https)
        }
        None => {
            replace_session(request.headers_mut(), name, "");
            format!(
                "{name}=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0{}",
                secure(https)
            )
        }
    };
    let mut response = next.run(request).await;
    if let Ok(v) = HeaderValue::from_str(&set_cookie) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}

/// How long before its expiry an access token is renewed: a page's server functions run
/// after the renewal check, and must not find the token expired meanwhile.
const RENEW_MARGIN: std::time::Duration = std::time::Duration::from_secs(60);

/// Sets the session cookie in a request's `Cookie` header to `value` (empty: removed),
/// keeping the other cookies.
fn replace_session(headers: &mut HeaderMap, name: &str, value: &str) {
    let mut pairs: Vec<String> = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .map(str::trim)
        .filter(|pair| !pair.is_empty() && pair.split_once('=').is_none_or(|(k, _)| k != name))
        .map(str::to_owned)
        .collect();
    if !value.is_empty() {
        pairs.push(format!("{name}={value}"));
    }
    headers.remove(header::COOKIE);
    if let Ok(v) = HeaderValue::from_str(&pairs.join("; ")) {
        headers.insert(header::COOKIE, v);
    }
}

/// The interface language: the user's choice (cookie), else the browser's (`Accept-Language`).
pub fn locale(ctx: &FullstackContext) -> Locale {
    locale_of(&ctx.parts_mut().headers)
}

/// [`locale`] from a request's headers.
pub fn locale_of(headers: &HeaderMap) -> Locale {
    if let Some(choice) = cookie_of(headers, LOCALE_COOKIE) {
        return Locale::negotiate(&choice);
    }
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    Locale::negotiate(accept)
}

/// Remembers the chosen language for a year.
pub fn set_locale(ctx: &FullstackContext, locale: Locale) {
    set_cookie(
        ctx,
        format!(
            "{LOCALE_COOKIE}={}; SameSite=Lax; Path=/; Max-Age=31536000",
            locale.code()
        ),
    );
}
