//! The session: sign in, register, sign out, who is signed in and in which company, and the
//! interface language. Signing in or registering sets the session cookie; signing out clears it
//! (see `crate::server::cookies`).

use dioxus::prelude::*;

use crate::api::{ErrorCode, UiError};
use crate::gql::Viewer;
use crate::i18n::Locale;
use crate::i18n::errors::sentence_key;
use crate::routes::local_target;

#[cfg(feature = "server")]
use {
    crate::gql::{self, Id},
    crate::server::cookies,
    crate::server::executor::{context, execute, principal, state},
    crm_api::auth::Principal,
    cynic::{MutationBuilder, QueryBuilder},
};

/// A sign-in or registration sent as a plain form (before the app runs) that failed, as the
/// redirect back to the form carries it (`crate::server::sign_in`): the error's code and field,
/// the key of its sentence in our catalogue (`i18n::errors::sentence_key`: an address can only
/// pick one of our sentences, never show its own text), and what was typed, never the password.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Failure {
    pub code: String,
    pub field: String,
    /// A key of `i18n::errors`, or empty.
    pub message: String,
    /// Form fields to fill in again (`email`, `next`, …).
    pub kept: Vec<(String, String)>,
}

impl Failure {
    /// The failure of a server-side call, keeping the form values `kept`.
    #[cfg(feature = "server")]
    pub fn of(e: &ServerFnError, kept: &[(&str, &str)]) -> Failure {
        let e = UiError::from(e);
        Failure {
            code: e.code.as_str().to_owned(),
            field: e.field.unwrap_or_default(),
            message: sentence_key(&e.message).unwrap_or_default().to_owned(),
            kept: kept
                .iter()
                .filter(|(name, _)| *name != "password")
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        }
    }

    /// The error to show, when there was one.
    pub fn error(&self) -> Option<UiError> {
        (!self.code.is_empty()).then(|| UiError {
            code: ErrorCode::parse(&self.code),
            field: (!self.field.is_empty()).then(|| self.field.clone()),
            message: self.message.clone(),
        })
    }

    /// A kept form value ("" when none).
    pub fn value(&self, name: &str) -> String {
        self.kept
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
}

impl From<&str> for Failure {
    fn from(query: &str) -> Failure {
        let mut f = Failure::default();
        for (name, value) in crate::routes::query_pairs(query) {
            match name {
                "failed" => f.code = value,
                "field" => f.field = value,
                "message" => f.message = sentence_key(&value).unwrap_or_default().to_owned(),
                "password" => {}
                "next" => f
                    .kept
                    .push(("next".to_owned(), local_target(&value).to_owned())),
                other => f.kept.push((other.to_owned(), value)),
            }
        }
        f
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut pairs = vec![
            ("failed", self.code.as_str()),
            ("field", self.field.as_str()),
            ("message", self.message.as_str()),
        ];
        pairs.extend(self.kept.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        crate::routes::write_query(f, &pairs)
    }
}

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

#[get("/api/session/me", user: crate::server::CurrentUser)]
pub async fn me() -> Result<Viewer, ServerFnError> {
    user.signed_in()?
        .run(gql::Me::build(()))
        .await
        .map(|d| d.me)
}

#[post("/api/session/company", user: crate::server::CurrentUser)]
pub async fn switch_company(id: String) -> Result<(), ServerFnError> {
    user.signed_in()?
        .run(gql::SwitchCompany::build(gql::IdVariables { id: Id(id) }))
        .await
        .map(|_| ())
}
