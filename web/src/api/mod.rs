//! Server functions, one module per domain: what the pages call, in the browser over HTTP and
//! during server rendering directly.
//!
//! - `session`: sign in, register, sign out, the viewer, the active company, the language
//! - `dashboard`: the start screen's figures
//! - `clients`: the clients list and one client (edit, archive, interactions)
//! - `sales`: the sales list, one sale, the sale form, the live feed of changes
//! - `api_keys`: list, create and revoke the company's API keys
//!
//! Each function's body is inline under its `#[get]`/`#[post]` attribute and runs typed GraphQL
//! operations (`crate::gql`) as the user of the session cookie (`crate::server::executor`);
//! form values are checked by `crate::forms` first. The bodies, and the imports only they use,
//! exist with the `server` feature alone: the browser build of the same function sends the
//! request instead. The URLs are a contract: the CSRF check covers every write under `/api/`,
//! and the browser test calls some of them by URL.

use dioxus::prelude::ServerFnError;
use serde::{Deserialize, Serialize};

pub mod api_keys;
pub mod clients;
pub mod dashboard;
pub mod sales;
pub mod session;

/// Rows per page of the clients and sales lists.
#[cfg(feature = "server")]
const PAGE_SIZE: i32 = 25;

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
