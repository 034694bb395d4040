//! Value types shared by the domains: ids, money, dates, and input validation.

use async_graphql::{ID, SimpleObject};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

use crate::currency;
use crate::error::{ApiError, ApiResult};

/// Parses a GraphQL id. A malformed id names nothing, so it is NOT_FOUND like a foreign one.
pub fn parse_id(id: &ID) -> ApiResult<i64> {
    id.parse::<i64>()
        .ok()
        .filter(|v| *v > 0)
        .ok_or(ApiError::NotFound)
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
    pub fn new(amount_minor: i64, currency: &str) -> Money {
        let digits = currency::minor_units(currency).unwrap_or(2) as u32;
        let amount = if digits == 0 {
            amount_minor.to_string()
        } else {
            let scale = 10i64.pow(digits);
            let sign = if amount_minor < 0 { "-" } else { "" };
            let abs = amount_minor.unsigned_abs();
            format!(
                "{sign}{}.{:0width$}",
                abs / scale as u64,
                abs % scale as u64,
                width = digits as usize
            )
        };
        Money {
            amount_minor,
            currency: currency.to_owned(),
            amount,
        }
    }
}

/// Largest amount accepted for one sale, in minor units (10^13: a hundred billion roubles),
/// so that sums over millions of sales stay far from i64 overflow.
pub const MAX_AMOUNT_MINOR: i64 = 10_000_000_000_000;

pub fn amount(field: &str, v: i64) -> ApiResult<i64> {
    if v < 0 {
        return Err(ApiError::bad_input(field, "the amount cannot be negative"));
    }
    if v > MAX_AMOUNT_MINOR {
        return Err(ApiError::bad_input(
            field,
            format!("the amount exceeds the limit of {MAX_AMOUNT_MINOR} minor units"),
        ));
    }
    Ok(v)
}

/// An upper-case ISO 4217 code; lower-case input is accepted.
pub fn currency_code(field: &str, v: &str) -> ApiResult<String> {
    let code = v.trim().to_ascii_uppercase();
    if currency::is_known(&code) {
        Ok(code)
    } else {
        Err(ApiError::bad_input(
            field,
            format!(
                "unknown currency code {:?} (expected ISO 4217, e.g. RUB, USD, EUR)",
                truncate(v, 16)
            ),
        ))
    }
}

/// A required text: trimmed, not empty, at most `max` characters.
pub fn text(field: &str, v: &str, max: usize) -> ApiResult<String> {
    let v = v.trim();
    if v.is_empty() {
        return Err(ApiError::bad_input(field, "cannot be empty"));
    }
    bounded(field, v, max).map(str::to_owned)
}

/// An optional text: trimmed; empty means absent.
pub fn optional_text(field: &str, v: Option<&str>, max: usize) -> ApiResult<Option<String>> {
    match v.map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) => bounded(field, v, max).map(|v| Some(v.to_owned())),
        None => Ok(None),
    }
}

fn bounded<'a>(field: &str, v: &'a str, max: usize) -> ApiResult<&'a str> {
    if v.chars().count() > max {
        Err(ApiError::bad_input(
            field,
            format!("may have at most {max} characters"),
        ))
    } else {
        Ok(v)
    }
}

/// A plausible e-mail address, lower-cased.
pub fn email(field: &str, v: &str) -> ApiResult<String> {
    let v = text(field, v, 254)?.to_lowercase();
    let valid = match v.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !v.chars().any(char::is_whitespace)
                && !domain.contains('@')
        }
        None => false,
    };
    if valid {
        Ok(v)
    } else {
        Err(ApiError::bad_input(field, "not a valid e-mail address"))
    }
}

pub fn optional_email(field: &str, v: Option<&str>) -> ApiResult<Option<String>> {
    match v.map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) => email(field, v).map(Some),
        None => Ok(None),
    }
}

/// A date-time from an integrator: RFC 3339 (`2026-11-22T10:00:00Z`, any offset) or a plain
/// date (`2026-11-22`, taken as midnight UTC). Returned in UTC.
pub fn datetime(field: &str, v: &str) -> ApiResult<NaiveDateTime> {
    let v = v.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(v) {
        return check_year(field, t.naive_utc());
    }
    if let Ok(d) = NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        return check_year(field, d.and_hms_opt(0, 0, 0).unwrap_or_default());
    }
    Err(ApiError::bad_input(
        field,
        format!(
            "{:?} is not a valid date (expected RFC 3339 or YYYY-MM-DD)",
            truncate(v, 40)
        ),
    ))
}

/// Dates outside 1900..=2200 are typos, not sales.
pub fn check_year(field: &str, t: NaiveDateTime) -> ApiResult<NaiveDateTime> {
    use chrono::Datelike;
    if (1900..=2200).contains(&t.year()) {
        Ok(t)
    } else {
        Err(ApiError::bad_input(
            field,
            "the date must be between the years 1900 and 2200",
        ))
    }
}

/// Free-form JSON attributes: an object of at most 16 KiB.
pub fn attributes(field: &str, v: &async_graphql::Json<serde_json::Value>) -> ApiResult<String> {
    if !v.0.is_object() {
        return Err(ApiError::bad_input(field, "must be a JSON object"));
    }
    let s = serde_json::to_string(&v.0).map_err(ApiError::internal)?;
    if s.len() > 16 * 1024 {
        return Err(ApiError::bad_input(field, "may be at most 16 KiB of JSON"));
    }
    Ok(s)
}

fn truncate(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
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

    #[test]
    fn dates_parse_or_fail_clearly() {
        assert!(datetime("d", "2026-02-28").is_ok());
        assert!(datetime("d", "2026-02-30").is_err());
        assert!(datetime("d", "2026-11-22T10:00:00+03:00").is_ok());
        assert!(datetime("d", "yesterday").is_err());
        assert!(datetime("d", "0001-01-01").is_err());
    }

    #[test]
    fn emails() {
        assert_eq!(
            email("e", " Ivan@Example.RU ").ok().as_deref(),
            Some("ivan@example.ru")
        );
        assert!(email("e", "ivan@").is_err());
        assert!(email("e", "no at sign").is_err());
    }
}
