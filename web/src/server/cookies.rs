//! The UI's cookies: the session (httpOnly, holding the access and refresh tokens; renewed
//! from the refresh token when the access token has expired) and the chosen language. Nothing
//! else in the crate reads or writes a cookie.

use axum::http::{HeaderValue, header};
use crm_api::auth::Principal;
use crm_api::http::Api;
use cynic::MutationBuilder;
use dioxus::fullstack::FullstackContext;
use dioxus::prelude::ServerFnError;

use super::executor::{error, execute, unauthenticated};
use crate::gql;
use crate::i18n::Locale;

const SESSION_COOKIE: &str = "crm_session";
const LOCALE_COOKIE: &str = "crm_lang";
/// The session cookie lives as long as the refresh token can.
const SESSION_MAX_AGE_SECS: u64 = 30 * 24 * 3600;

fn cookie(ctx: &FullstackContext, name: &str) -> Option<String> {
    cookie_of(&ctx.parts_mut().headers, name)
}

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

/// Whether a proxy in front terminated HTTPS (cookies are then `Secure`).
pub fn behind_https(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https"))
}

fn secure(ctx: &FullstackContext) -> &'static str {
    if behind_https(&ctx.parts_mut().headers) {
        "; Secure"
    } else {
        ""
    }
}

fn set_cookie(ctx: &FullstackContext, value: String) {
    if let Ok(v) = HeaderValue::from_str(&value) {
        ctx.add_response_header(header::SET_COOKIE, v);
    }
}

pub fn set_session(ctx: &FullstackContext, tokens: &gql::Tokens) {
    let https = behind_https(&ctx.parts_mut().headers);
    set_cookie(ctx, session_cookie(tokens, https));
}

/// The `Set-Cookie` value of a session holding `tokens`.
pub fn session_cookie(tokens: &gql::Tokens, https: bool) -> String {
    format!(
        "{SESSION_COOKIE}={}~{}; HttpOnly; SameSite=Lax; Path=/; Max-Age={SESSION_MAX_AGE_SECS}{}",
        tokens.access_token,
        tokens.refresh_token,
        if https { "; Secure" } else { "" }
    )
}

pub fn clear_session(ctx: &FullstackContext) {
    set_cookie(
        ctx,
        format!(
            "{SESSION_COOKIE}=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0{}",
            secure(ctx)
        ),
    );
}

/// The access and refresh tokens of the session cookie.
pub fn session(ctx: &FullstackContext) -> Option<(String, String)> {
    session_of(&ctx.parts_mut().headers)
}

/// [`session`] from a request's headers.
pub fn session_of(headers: &axum::http::HeaderMap) -> Option<(String, String)> {
    let value = cookie_of(headers, SESSION_COOKIE)?;
    let (access, refresh) = value.split_once('~')?;
    Some((access.to_owned(), refresh.to_owned()))
}

/// A new session from the cookie's refresh token: the cookie gets the new tokens and the
/// principal is theirs. A spent or unknown refresh token clears the cookie.
pub async fn refresh_session(
    ctx: &FullstackContext,
    api: &Api,
    refresh: String,
) -> Result<Principal, ServerFnError> {
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
                .map_err(|e| error(e.code().into(), None, &e.message()))
        }
        Err(_) => {
            clear_session(ctx);
            Err(unauthenticated())
        }
    }
}

/// The interface language: the user's choice (cookie), else the browser's (`Accept-Language`).
pub fn locale(ctx: &FullstackContext) -> Locale {
    if let Some(choice) = cookie(ctx, LOCALE_COOKIE) {
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
