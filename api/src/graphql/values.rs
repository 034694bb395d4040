//! GraphQL forms of shared values: ids and money. Validation of raw input lives in
//! `crate::domain::validate`.

// Money formatting never changes an integer's type silently.
#![deny(clippy::as_conversions)]

use async_graphql::{ID, SimpleObject};
use chrono::{DateTime, NaiveDateTime, Utc};

use crate::currency;
use crate::error::{ApiError, ApiResult};

/// Parses a GraphQL id. A malformed id names nothing, so it is NOT_FOUND like a foreign one.
pub fn parse_id(id: &ID) -> ApiResult<i64> {
    crate::domain::validate::id(id).ok_or(ApiError::NotFound)
}

pub fn to_utc(t: NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}

/// An amount of money: integer minor units (kopecks, cents) and an ISO 4217 code.
#[derive(Clone, Debug, SimpleObject)]
pub struct Money {
    /// Minor units: 1 240 000,00 ₽ is 124000000.
    pub amount_minor: i64,
    /// ISO 4217 code, e.g. RUB.
    pub currency: String,
    /// The amount in major units as a decimal string, e.g. "1240000.00".
    pub amount: String,
}

impl Money {
    /// `amount_minor` of `currency`, with the decimal string for its ISO 4217 minor-unit
    /// digits (two for an unknown code).
    pub fn new(amount_minor: i64, currency: &str) -> Money {
        let digits = currency::minor_units(currency).unwrap_or(2);
        let amount = if digits == 0 {
            amount_minor.to_string()
        } else {
            let scale = 10u64.pow(u32::from(digits));
            let sign = if amount_minor < 0 { "-" } else { "" };
            let abs = amount_minor.unsigned_abs();
            format!(
                "{sign}{}.{:0width$}",
                abs / scale,
                abs % scale,
                width = usize::from(digits)
            )
        };
        Money {
            amount_minor,
            currency: currency.to_owned(),
            amount,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_formats_minor_units() {
        assert_eq!(Money::new(124_000_000, "RUB").amount, "1240000.00");
        assert_eq!(Money::new(5, "USD").amount, "0.05");
        assert_eq!(Money::new(1500, "JPY").amount, "1500");
        assert_eq!(Money::new(1_234, "KWD").amount, "1.234");
    }
}
