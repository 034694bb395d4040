//! Server functions: what the pages call, in the browser over HTTP and during server rendering
//! directly. Each one runs typed GraphQL operations as the user of the session cookie.

use dioxus::fullstack::ServerEvents;
use dioxus::prelude::*;
use serde::{Deserialize, Serialize};

use crate::gql::{
    ApiKey, ClientDetail, ClientPage, CreatedKey, Dashboard, SaleChange, SaleDetail, SalePage,
    Viewer,
};
use crate::i18n::Locale;

/// What the UI shows of a failed call: the API's code, the field at fault and a message.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UiError {
    pub code: String,
    pub field: Option<String>,
    pub message: String,
}

impl UiError {
    /// A form's own check of one field, before anything is sent.
    pub fn field(field: &str, message: &str) -> UiError {
        UiError {
            code: "BAD_USER_INPUT".into(),
            field: Some(field.into()),
            message: message.into(),
        }
    }
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
// Server functions are async by contract; this one has nothing to wait for.
#[allow(clippy::unused_async)]
#[get("/api/ui/locale")]
pub async fn ui_locale() -> Result<Locale, ServerFnError> {
    Ok(crate::server::locale())
}

// Server functions are async by contract; this one has nothing to wait for.
#[allow(clippy::unused_async)]
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

/// One client with its latest purchases and interactions; `more` is the cursor after which
/// older interactions are shown.
#[get("/api/client?id&more")]
pub async fn client(id: String, more: String) -> Result<ClientDetail, ServerFnError> {
    crate::server::client(id, more).await
}

/// Changes a client's contact data; an empty e-mail or phone clears it.
#[post("/api/client/update")]
pub async fn update_client(
    id: String,
    name: String,
    email: String,
    phone: String,
    status: String,
) -> Result<(), ServerFnError> {
    crate::server::update_client(id, name, email, phone, status).await
}

/// Archives (`archived: true`) or restores a client.
#[post("/api/client/archive")]
pub async fn archive_client(id: String, archived: bool) -> Result<(), ServerFnError> {
    crate::server::archive_client(id, archived).await
}

/// Records a call, e-mail, meeting or note. `day` (YYYY-MM-DD) empty means now.
#[post("/api/client/interaction")]
pub async fn add_interaction(
    client_id: String,
    kind: String,
    body: String,
    day: String,
) -> Result<(), ServerFnError> {
    crate::server::add_interaction(client_id, kind, body, day).await
}

/// Sales, newest first. `from` and `to` are dates (YYYY-MM-DD, `to` inclusive); empty means open.
/// `client` narrows them to one client.
#[get("/api/sales?from&to&status&currency&client&after")]
pub async fn sales(
    from: String,
    to: String,
    status: String,
    currency: String,
    client: String,
    after: String,
) -> Result<SalePage, ServerFnError> {
    crate::server::sales(from, to, status, currency, client, after).await
}

/// The sale form's fields: the amount in major units as typed ("1 240 000,50"), the currency
/// code, the day (YYYY-MM-DD; empty: now for a new sale, unchanged for an edit), the status
/// (COMPLETED…), and an optional note.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SaleForm {
    pub amount: String,
    pub currency: String,
    pub day: String,
    pub status: String,
    pub note: String,
}

/// Records a sale for a client (with one line of goods when `item` is not empty); returns its id.
#[post("/api/sale/create")]
pub async fn create_sale(
    client_id: String,
    form: SaleForm,
    item: String,
) -> Result<String, ServerFnError> {
    crate::server::create_sale(client_id, form, item).await
}

#[get("/api/sale?id")]
pub async fn sale(id: String) -> Result<SaleDetail, ServerFnError> {
    crate::server::sale(id).await
}

#[post("/api/sale/update")]
pub async fn update_sale(id: String, form: SaleForm) -> Result<(), ServerFnError> {
    crate::server::update_sale(id, form).await
}

/// Sales of the active company as they are created or changed, while the page listens.
#[get("/api/live/sales")]
pub async fn live_sales() -> Result<ServerEvents<SaleChange>, ServerFnError> {
    crate::server::live_sales().await
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
