//! Server functions, one module per domain: what the pages call, in the browser over HTTP and
//! during server rendering directly.
//!
//! - `session`: sign in, register, sign out, the viewer, the active company, the language
//! - `dashboard`: the start screen's figures
//! - `clients`: the clients list and one client (edit, archive, interactions)
//! - `reports`: run a report from the builder's parameters; its export addresses
//! - `sales`: the sales list, one sale, the sale form, the live feed of changes
//! - `api_keys`: list, create and revoke the company's API keys
//! - `chat`: the assistant's conversations, asking, and the answer as it streams
//!
//! Each function's body is inline under its `#[get]`/`#[post]` attribute and runs typed GraphQL
//! operations (`crate::gql`) as the user of the session cookie, whom the attribute names as an
//! extractor (`#[get("/api/keys", user: crate::server::CurrentUser)]`; the body calls
//! `user.signed_in()?`); form values are checked by `crate::forms` first. The bodies, and the imports only they use,
//! exist with the `server` feature alone: the browser build of the same function sends the
//! request instead. The URLs are a contract: the CSRF check covers every write under `/api/`,
//! and the browser test calls some of them by URL.

use dioxus::prelude::ServerFnError;
use serde::{Deserialize, Serialize};

pub mod api_keys;
pub mod assistant;
pub mod chat;
pub mod clients;
pub mod dashboard;
pub mod reports;
pub mod sales;
pub mod session;

/// Rows per page of the clients and sales lists.
#[cfg(feature = "server")]
const PAGE_SIZE: i32 = 25;

/// The API's error codes (GraphQL `extensions.code`), as the UI tells them apart. On the
/// server, `From<crm_api::error::Code>` maps the API's own enum onto this one exhaustively,
/// so a code added to the API fails this crate's build until the UI knows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ErrorCode {
    Unauthenticated,
    Forbidden,
    NotFound,
    BadUserInput,
    RateLimited,
    OutOfRange,
    Unavailable,
    Internal,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 8] = [
        ErrorCode::Unauthenticated,
        ErrorCode::Forbidden,
        ErrorCode::NotFound,
        ErrorCode::BadUserInput,
        ErrorCode::RateLimited,
        ErrorCode::OutOfRange,
        ErrorCode::Unavailable,
        ErrorCode::Internal,
    ];

    /// The code as the API writes it, e.g. `NOT_FOUND`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Unauthenticated => "UNAUTHENTICATED",
            ErrorCode::Forbidden => "FORBIDDEN",
            ErrorCode::NotFound => "NOT_FOUND",
            ErrorCode::BadUserInput => "BAD_USER_INPUT",
            ErrorCode::RateLimited => "RATE_LIMITED",
            ErrorCode::OutOfRange => "OUT_OF_RANGE",
            ErrorCode::Unavailable => "UNAVAILABLE",
            ErrorCode::Internal => "INTERNAL",
        }
    }

    /// The code an answer carried; a code this UI does not know is an internal error.
    pub fn parse(code: &str) -> ErrorCode {
        ErrorCode::ALL
            .into_iter()
            .find(|c| c.as_str() == code)
            .unwrap_or(ErrorCode::Internal)
    }

    /// The HTTP status a server function answers with for this code.
    #[cfg(feature = "server")]
    pub fn http_status(self) -> u16 {
        match self {
            ErrorCode::Unauthenticated => 401,
            ErrorCode::Forbidden => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::BadUserInput => 400,
            ErrorCode::RateLimited => 429,
            ErrorCode::OutOfRange => 422,
            ErrorCode::Unavailable => 503,
            ErrorCode::Internal => 500,
        }
    }
}

#[cfg(feature = "server")]
impl From<crm_api::error::Code> for ErrorCode {
    fn from(code: crm_api::error::Code) -> ErrorCode {
        use crm_api::error::Code;
        match code {
            Code::Unauthenticated => ErrorCode::Unauthenticated,
            Code::Forbidden => ErrorCode::Forbidden,
            Code::NotFound => ErrorCode::NotFound,
            Code::BadUserInput => ErrorCode::BadUserInput,
            Code::RateLimited => ErrorCode::RateLimited,
            Code::OutOfRange => ErrorCode::OutOfRange,
            Code::Unavailable => ErrorCode::Unavailable,
            Code::Internal => ErrorCode::Internal,
        }
    }
}

/// What the UI shows of a failed call: the API's code, the field at fault and a message.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UiError {
    pub code: ErrorCode,
    pub field: Option<String>,
    pub message: String,
}

impl UiError {
    /// A form's own check of one field, before anything is sent.
    pub fn field(field: &str, message: &str) -> UiError {
        UiError {
            code: ErrorCode::BadUserInput,
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
                code: ErrorCode::parse(
                    details
                        .as_ref()
                        .and_then(|d| d.get("code"))
                        .and_then(|c| c.as_str())
                        .unwrap_or_default(),
                ),
                field: details
                    .as_ref()
                    .and_then(|d| d.get("field"))
                    .and_then(|c| c.as_str())
                    .map(str::to_owned),
                message: message.clone(),
            },
            other => UiError {
                code: ErrorCode::Unavailable,
                field: None,
                message: other.to_string(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ErrorCode;

    #[test]
    fn error_codes_read_back_as_written_in_text_and_json() {
        for code in ErrorCode::ALL {
            assert_eq!(ErrorCode::parse(code.as_str()), code);
            assert_eq!(
                serde_json::to_value(code).ok(),
                Some(serde_json::Value::from(code.as_str()))
            );
        }
        assert_eq!(ErrorCode::parse("SOMETHING_NEW"), ErrorCode::Internal);
    }

    #[cfg(feature = "server")]
    #[test]
    fn the_api_writes_the_codes_the_ui_reads() {
        use crm_api::error::Code;
        for code in [
            Code::Unauthenticated,
            Code::Forbidden,
            Code::NotFound,
            Code::BadUserInput,
            Code::RateLimited,
            Code::OutOfRange,
            Code::Unavailable,
            Code::Internal,
        ] {
            assert_eq!(ErrorCode::from(code).as_str(), code.as_str());
        }
    }
}
