//! Validation of raw input, shared by every interface: each function trims, checks and
//! normalises one value, or returns BAD_USER_INPUT naming the input field at fault.

use chrono::{DateTime, NaiveDate, NaiveDateTime};

use super::MAX_AMOUNT_MINOR;
use crate::currency;
use crate::error::{ApiError, ApiResult};

/// One of our ids as text: exactly the digits of a positive integer (no trimming, no sign).
/// `None` for anything else; callers decide what that means (NOT_FOUND, or a field error).
pub fn id(text: &str) -> Option<i64> {
    text.parse::<i64>().ok().filter(|v| *v > 0)
}

/// An amount in minor units: not negative, at most [`MAX_AMOUNT_MINOR`].
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

/// An IANA time-zone name known to the server's time-zone database (chrono-tz), e.g.
/// Europe/Moscow; returned in its canonical spelling.
pub fn time_zone(field: &str, v: &str) -> ApiResult<chrono_tz::Tz> {
    v.trim().parse::<chrono_tz::Tz>().map_err(|_| {
        ApiError::bad_input(
            field,
            format!(
                "unknown time zone {:?} (expected an IANA name, e.g. Europe/Moscow)",
                truncate(v, 64)
            ),
        )
    })
}

/// A required text on one line: trimmed, not empty, at most `max` characters, no control
/// characters (see [`controls`]).
pub fn text(field: &str, v: &str, max: usize) -> ApiResult<String> {
    required(field, v, max, Lines::One)
}

/// An optional text on one line: trimmed; empty means absent. Otherwise as [`text`].
pub fn optional_text(field: &str, v: Option<&str>, max: usize) -> ApiResult<Option<String>> {
    optional(field, v, max, Lines::One)
}

/// A required text that may span lines (a note, an interaction's body): as [`text`], with
/// tab, line feed and carriage return allowed.
pub fn multiline_text(field: &str, v: &str, max: usize) -> ApiResult<String> {
    required(field, v, max, Lines::Many)
}

/// An optional text that may span lines: as [`optional_text`], with tab and line breaks.
pub fn optional_multiline_text(
    field: &str,
    v: Option<&str>,
    max: usize,
) -> ApiResult<Option<String>> {
    optional(field, v, max, Lines::Many)
}

/// Whether a text may hold tab and line breaks.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    One,
    Many,
}

/// BAD_USER_INPUT naming `field` when `v` holds a C0 control character (U+0000 to U+001F,
/// NUL included) or DEL (U+007F), except tab, line feed and carriage return in
/// [`Lines::Many`] text. One rule for every text we store, on both backends: PostgreSQL
/// cannot store NUL at all, and the others break CSV, XLSX and log lines.
pub fn controls(field: &str, v: &str, lines: Lines) -> ApiResult<()> {
    let bad = v.chars().find(|&c| {
        (c.is_ascii_control()) && !(lines == Lines::Many && matches!(c, '\t' | '\n' | '\r'))
    });
    match bad {
        Some(c) => Err(ApiError::bad_input(
            field,
            format!(
                "holds the control character U+{:04X}; remove it",
                u32::from(c)
            ),
        )),
        None => Ok(()),
    }
}

fn required(field: &str, v: &str, max: usize, lines: Lines) -> ApiResult<String> {
    let v = v.trim();
    if v.is_empty() {
        return Err(ApiError::bad_input(field, "cannot be empty"));
    }
    bounded(field, v, max, lines).map(str::to_owned)
}

fn optional(field: &str, v: Option<&str>, max: usize, lines: Lines) -> ApiResult<Option<String>> {
    match v.map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) => bounded(field, v, max, lines).map(|v| Some(v.to_owned())),
        None => Ok(None),
    }
}

fn bounded<'a>(field: &str, v: &'a str, max: usize, lines: Lines) -> ApiResult<&'a str> {
    if v.chars().count() > max {
        return Err(ApiError::bad_input(
            field,
            format!("may have at most {max} characters"),
        ));
    }
    controls(field, v, lines)?;
    Ok(v)
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

/// Free-form JSON attributes: an object of at most 16 KiB, returned as its stored text.
pub fn attributes(field: &str, v: &serde_json::Value) -> ApiResult<String> {
    if !v.is_object() {
        return Err(ApiError::bad_input(field, "must be a JSON object"));
    }
    let s = serde_json::to_string(v).map_err(ApiError::internal)?;
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
    fn dates_parse_or_fail_clearly() {
        assert!(datetime("d", "2026-02-28").is_ok());
        assert!(datetime("d", "2026-02-30").is_err());
        assert!(datetime("d", "2026-11-22T10:00:00+03:00").is_ok());
        assert!(datetime("d", "yesterday").is_err());
        assert!(datetime("d", "0001-01-01").is_err());
    }

    #[test]
    fn control_characters_are_refused_except_line_breaks_in_multiline_text() {
        for bad in ["Иван\u{0}Петров", "a\u{7}b", "a\u{7f}b", "a\tb", "a\nb"] {
            let err = text("name", bad, 100).err();
            assert!(
                matches!(&err, Some(ApiError::BadInput { field: Some(f), .. }) if f == "name"),
                "{bad:?}: {err:?}"
            );
        }
        assert!(multiline_text("note", "line one\n\tline two\r\n", 100).is_ok());
        assert!(multiline_text("note", "nul\u{0}", 100).is_err());
        assert!(optional_text("sku", Some("x\u{1b}[31m"), 100).is_err());
        assert!(email("email", "ann\u{0}@example.com").is_err());
        // Letters of any script pass.
        assert_eq!(text("name", " Ёлка ", 100).ok().as_deref(), Some("Ёлка"));
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
