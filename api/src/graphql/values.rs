//! GraphQL forms of shared values: ids and money. Validation of raw input lives in
//! `crate::domain::validate`.

// Money formatting never changes an integer's type silently.
#![deny(clippy::as_conversions)]

use async_graphql::ID;
use chrono::{DateTime, NaiveDateTime, Utc};

use crate::error::{ApiError, ApiResult};

/// Parses a GraphQL id. A malformed id names nothing, so it is NOT_FOUND like a foreign one.
pub fn parse_id(id: &ID) -> ApiResult<i64> {
    crate::domain::validate::id(id).ok_or(ApiError::NotFound)
}

pub fn to_utc(t: NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}

pub use crate::domain::money::Money;
