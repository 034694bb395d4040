//! Signing in and registering before the browser code has arrived (a slow link, scripts off):
//! the two forms post to `/login` and `/register` as plain HTML forms
//! (`application/x-www-form-urlencoded`), and these handlers answer with a redirect, so a
//! password never travels in an address. Once the app runs, the same forms call the server
//! functions instead (`crate::api::session`).
//!
//! Success sets the session cookie and goes to `next` (a page of this site) or the start
//! screen. Failure goes back to the form's page with the error code and field in the address
//! (`?failed=UNAUTHENTICATED`), plus what was typed except the password.

use axum::Form;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use cynic::MutationBuilder;
use serde::Deserialize;

use super::WebState;
use super::cookies::{locale_of, session_cookie};
use super::executor::{client_addr_of, run};
use crate::api::session::Failure;
use crate::gql;
use crate::routes::{Route, local_target};
use crm_api::auth::Principal;

/// Answers `POST /login` and `POST /register`; every other request (the pages themselves at
/// the same paths included) goes on to the app.
pub async fn plain_forms(request: Request, next: Next) -> Response {
    let state = request.extensions().get::<WebState>().cloned();
    match (request.method(), request.uri().path(), state) {
        (&Method::POST, "/login", Some(state)) => login(state, request).await,
        (&Method::POST, "/register", Some(state)) => register(state, request).await,
        _ => next.run(request).await,
    }
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RegisterForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    company_name: String,
    #[serde(default)]
    base_currency: String,
}

fn see_other(location: &str, cookie: Option<String>) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, v);
    }
    if let Some(v) = cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
    response
}

async fn login(state: WebState, request: Request) -> Response {
    let (extensions, headers) = (request.extensions().clone(), request.headers().clone());
    let Ok(Form(form)) = Form::<LoginForm>::from_request(request, &()).await else {
        return StatusCode::UNSUPPORTED_MEDIA_TYPE.into_response();
    };
    let api = &state.api;
    let op = gql::Login::build(gql::LoginVariables {
        email: form.email.clone(),
        password: form.password,
    });
    let addr = client_addr_of(api, &extensions, &headers);
    match run(api, Principal::Anonymous, chrono_tz::UTC, addr, op).await {
        Ok(data) => see_other(
            local_target(&form.next),
            Some(session_cookie(&data.login, api.public_https())),
        ),
        Err(e) => {
            let next = local_target(&form.next);
            let failure = Failure::of(&e, &[("email", &form.email), ("next", next)]);
            see_other(&Route::Login { failure }.to_string(), None)
        }
    }
}

async fn register(state: WebState, request: Request) -> Response {
    let (extensions, headers) = (request.extensions().clone(), request.headers().clone());
    let Ok(Form(form)) = Form::<RegisterForm>::from_request(request, &()).await else {
        return StatusCode::UNSUPPORTED_MEDIA_TYPE.into_response();
    };
    let api = &state.api;
    let kept = [
        ("email", form.email.clone()),
        ("displayName", form.display_name.clone()),
        ("companyName", form.company_name.clone()),
        ("baseCurrency", form.base_currency.clone()),
    ];
    let input = gql::RegisterInput {
        email: form.email,
        password: form.password,
        display_name: form.display_name,
        company_name: form.company_name,
        base_currency: form.base_currency,
        locale: locale_of(&headers).code().to_owned(),
    };
    let op = gql::Register::build(gql::RegisterVariables { input });
    let addr = client_addr_of(api, &extensions, &headers);
    match run(api, Principal::Anonymous, chrono_tz::UTC, addr, op).await {
        Ok(data) => see_other(
            "/",
            Some(session_cookie(&data.register, api.public_https())),
        ),
        Err(e) => {
            let kept: Vec<(&str, &str)> = kept.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let failure = Failure::of(&e, &kept);
            see_other(&Route::Register { failure }.to_string(), None)
        }
    }
}
