//! The session: sign in, register, sign out, who is signed in and in which company, and the
//! interface language. Signing in or registering sets the session cookie; signing out clears it
//! (see `crate::server::cookies`).

use dioxus::prelude::*;

use crate::gql::Viewer;
use crate::i18n::Locale;

#[cfg(feature = "server")]
use {
    crate::gql::{self, Id},
    crate::server::cookies,
    crate::server::executor::{context, execute, principal, run_as_user, state},
    crm_api::auth::Principal,
    cynic::{MutationBuilder, QueryBuilder},
};

/// The interface language: the user's choice (cookie), else the browser's (`Accept-Language`).
// Server functions are async by contract; this one has nothing to wait for.
#[allow(clippy::unused_async)]
#[get("/api/ui/locale")]
pub async fn ui_locale() -> Result<Locale, ServerFnError> {
    Ok(context().map_or(Locale::En, |ctx| cookies::locale(&ctx)))
}

// Server functions are async by contract; this one has nothing to wait for.
#[allow(clippy::unused_async)]
#[post("/api/ui/locale")]
pub async fn set_locale(locale: Locale) -> Result<(), ServerFnError> {
    let ctx = context()?;
    cookies::set_locale(&ctx, locale);
    Ok(())
}

#[post("/api/session/login")]
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
    cookies::set_session(&ctx, &data.login);
    Ok(())
}

#[post("/api/session/register")]
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
        locale: cookies::locale(&ctx).code().to_owned(),
    };
    let data = execute(
        &ctx,
        &st.api,
        Principal::Anonymous,
        gql::Register::build(gql::RegisterVariables { input }),
    )
    .await?;
    cookies::set_session(&ctx, &data.register);
    Ok(())
}

#[post("/api/session/logout")]
pub async fn logout() -> Result<(), ServerFnError> {
    let ctx = context()?;
    let st = state(&ctx)?;
    if let Ok(p) = principal(&ctx, &st.api).await {
        // The cookie goes either way; a failed logout only leaves the tokens to expire.
        let _ = execute(&ctx, &st.api, p, gql::Logout::build(())).await;
    }
    cookies::clear_session(&ctx);
    Ok(())
}

#[get("/api/session/me")]
pub async fn me() -> Result<Viewer, ServerFnError> {
    run_as_user(gql::Me::build(())).await.map(|d| d.me)
}

#[post("/api/session/company")]
pub async fn switch_company(id: String) -> Result<(), ServerFnError> {
    run_as_user(gql::SwitchCompany::build(gql::IdVariables { id: Id(id) }))
        .await
        .map(|_| ())
}
