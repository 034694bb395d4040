//! One error type for the whole API, with the stable codes clients read from
//! `extensions.code`. Internal causes are logged here and never sent to clients.

use async_graphql::ErrorExtensions;

/// The machine-readable codes of GraphQL errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Code {
    Unauthenticated,
    Forbidden,
    NotFound,
    BadUserInput,
    RateLimited,
    /// A total (a sum of minor units) does not fit in 64 bits; nothing was changed.
    OutOfRange,
    Unavailable,
    Internal,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Unauthenticated => "UNAUTHENTICATED",
            Code::Forbidden => "FORBIDDEN",
            Code::NotFound => "NOT_FOUND",
            Code::BadUserInput => "BAD_USER_INPUT",
            Code::RateLimited => "RATE_LIMITED",
            Code::OutOfRange => "OUT_OF_RANGE",
            Code::Unavailable => "UNAVAILABLE",
            Code::Internal => "INTERNAL",
        }
    }
}

/// An error a resolver returns. It deliberately does not implement `Display`: that keeps
/// async-graphql's blanket `From<impl Display>` away, so `?` always goes through our
/// conversion below and every error gets its code.
#[derive(Debug)]
pub enum ApiError {
    Unauthenticated,
    Forbidden(&'static str),
    NotFound,
    /// Bad input; `field` names the input field concerned when there is one.
    BadInput {
        field: Option<String>,
        message: String,
    },
    RateLimited {
        retry_after_secs: u64,
    },
    /// A sum of minor units overflowed i64 in the database (PostgreSQL "bigint out of range",
    /// SQLite "integer overflow") or in our code: an error, never a wrong or rounded total.
    OutOfRange,
    /// The database cannot be reached right now; the client may retry.
    Unavailable(anyhow::Error),
    Internal(anyhow::Error),
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn bad_input(field: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError::BadInput {
            field: Some(field.into()),
            message: message.into(),
        }
    }

    pub fn internal(e: impl Into<anyhow::Error>) -> Self {
        ApiError::Internal(e.into())
    }

    /// The message shown to clients. Never includes internal causes.
    pub fn message(&self) -> String {
        match self {
            ApiError::Unauthenticated => "authentication required".into(),
            ApiError::Forbidden(why) => (*why).into(),
            ApiError::NotFound => "not found".into(),
            ApiError::BadInput { message, .. } => message.clone(),
            ApiError::RateLimited { retry_after_secs } => {
                format!("too many requests, retry in {retry_after_secs} s")
            }
            ApiError::OutOfRange => {
                "a total is too large for 64-bit minor units; narrow the period or the filters"
                    .into()
            }
            ApiError::Unavailable(_) => "service temporarily unavailable, retry shortly".into(),
            ApiError::Internal(_) => "internal error".into(),
        }
    }

    pub fn code(&self) -> Code {
        match self {
            ApiError::Unauthenticated => Code::Unauthenticated,
            ApiError::Forbidden(_) => Code::Forbidden,
            ApiError::NotFound => Code::NotFound,
            ApiError::BadInput { .. } => Code::BadUserInput,
            ApiError::RateLimited { .. } => Code::RateLimited,
            ApiError::OutOfRange => Code::OutOfRange,
            ApiError::Unavailable(_) => Code::Unavailable,
            ApiError::Internal(_) => Code::Internal,
        }
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::NotFound => ApiError::NotFound,
            // A concurrent request created the same unique thing first (an e-mail, an
            // external id): the input conflicts with what is stored now.
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => ApiError::BadInput {
                field: None,
                message: "this conflicts with an existing record; reload and try again".into(),
            },
            Error::DatabaseError(DatabaseErrorKind::ClosedConnection, _) => {
                ApiError::Unavailable(e.into())
            }
            Error::DatabaseError(DatabaseErrorKind::UnableToSendCommand, _) => {
                ApiError::Unavailable(e.into())
            }
            Error::DatabaseError(DatabaseErrorKind::Unknown, ref info)
                if is_integer_overflow(info.message()) =>
            {
                tracing::warn!(error = %e, "a sum of minor units overflowed");
                ApiError::OutOfRange
            }
            other => ApiError::Internal(other.into()),
        }
    }
}

/// The messages the two databases give for an i64 overflow. diesel has no error kind for
/// SQLSTATE 22003 and SQLite has no code of its own for it; both texts are fixed by the engines.
fn is_integer_overflow(message: &str) -> bool {
    message == "integer overflow" || message == "bigint out of range"
}

impl From<crate::db::PoolError> for ApiError {
    fn from(e: crate::db::PoolError) -> Self {
        ApiError::Unavailable(e.into())
    }
}

impl From<ApiError> for async_graphql::Error {
    fn from(e: ApiError) -> Self {
        match &e {
            ApiError::Internal(cause) => {
                tracing::error!(error = ?cause, "internal error");
            }
            ApiError::Unavailable(cause) => {
                tracing::warn!(error = %cause, "database unavailable");
            }
            _ => {}
        }
        let field = match &e {
            ApiError::BadInput { field, .. } => field.clone(),
            _ => None,
        };
        let retry = match &e {
            ApiError::RateLimited { retry_after_secs } => Some(*retry_after_secs),
            _ => None,
        };
        let code = e.code();
        async_graphql::Error::new(e.message()).extend_with(|_, ext| {
            ext.set("code", code.as_str());
            if let Some(field) = &field {
                ext.set("field", field.as_str());
            }
            if let Some(secs) = retry {
                ext.set("retryAfterSeconds", secs);
            }
        })
    }
}
