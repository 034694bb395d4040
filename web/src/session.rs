//! Server functions: what the pages call, in the browser over HTTP and during server rendering
//! directly. Each one runs typed GraphQL operations as the user of the session cookie.

use dioxus::prelude::*;
use serde::{Deserialize, Serialize};

use crate::gql::{ApiKey, ClientPage, CreatedKey, Dashboard, SalePage, Viewer};
use crate::i18n::Locale;

/// What the UI shows of a failed call: the API's code, the field at fault and a message.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UiError {
    pub code: String,
    pub field: Option<String>,
    pub message: String,
}

impl From<&ServerFnError> for UiError {
    fn from(e: &ServerFnError) -> UiError {
        match e {
            ServerFnError::ServerError {
                message, details, ..
            } => UiError {
                code: details
                    .as_ref()
                    .and_then(|d| d.get("code"))
                    .and_then(|c| c.as_str())
                    .unwrap_or("INTERNAL")
                    .to_owned(),
                field: details
                    .as_ref()
                    .and_then(|d| d.get("field"))
                    .and_then(|c| c.as_str())
                    .map(str::to_owned),
                message: message.clone(),
            },
            other => UiError {
                code: "UNAVAILABLE".into(),
                field: None,
                message: other.to_string(),
            },
        }
    }
}

/// The interface language: the user's choice (cookie), else the browser's (`Accept-Language`).
#[get("/api/ui/locale")]
pub async fn ui_locale() -> Result<Locale, ServerFnError> {
    Ok(crate::server::locale())
}

#[post("/api/ui/locale")]
pub async fn set_locale(locale: Locale) -> Result<(), ServerFnError> {
    crate::server::set_locale(locale)
}

#[post("/api/session/login")]
pub async fn login(email: String, password: String) -> Result<(), ServerFnError> {
    crate::server::login(email, password).await
}

#[post("/api/session/register")]
pub async fn register(
    email: String,
    password: String,
    display_name: String,
    company_name: String,
    base_currency: String,
) -> Result<(), ServerFnError> {
    crate::server::register(email, password, display_name, company_name, base_currency).await
}

#[post("/api/session/logout")]
pub async fn logout() -> Result<(), ServerFnError> {
    crate::server::logout().await
}

#[get("/api/session/me")]
pub async fn me() -> Result<Viewer, ServerFnError> {
    crate::server::me().await
}

#[post("/api/session/company")]
pub async fn switch_company(id: String) -> Result<(), ServerFnError> {
    crate::server::switch_company(id).await
}

#[get("/api/dashboard")]
pub async fn dashboard() -> Result<Dashboard, ServerFnError> {
    crate::server::dashboard().await
}

#[get("/api/clients?search&sort&after")]
pub async fn clients(
    search: String,
    sort: String,
    after: String,
) -> Result<ClientPage, ServerFnError> {
    crate::server::clients(search, sort, after).await
}

/// Sales, newest first. `from` and `to` are dates (YYYY-MM-DD, `to` inclusive); empty means open.
#[get("/api/sales?from&to&status&currency&after")]
pub async fn sales(
    from: String,
    to: String,
    status: String,
    currency: String,
    after: String,
) -> Result<SalePage, ServerFnError> {
    crate::server::sales(from, to, status, currency, after).await
}

#[get("/api/keys")]
pub async fn api_keys() -> Result<Vec<ApiKey>, ServerFnError> {
    crate::server::api_keys().await
}

#[post("/api/keys")]
pub async fn create_api_key(name: String) -> Result<CreatedKey, ServerFnError> {
    crate::server::create_api_key(name).await
}

#[post("/api/keys/revoke")]
pub async fn revoke_api_key(id: String) -> Result<(), ServerFnError> {
    crate::server::revoke_api_key(id).await
}
