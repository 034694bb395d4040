//! The server's checks of what forms send: amounts as people type them, the days of date
//! inputs, a choice among an API enum's values, optional fields and the sale form as a whole.
//! A refused value is a `BAD_USER_INPUT` error naming the form field (as the API names it), so
//! the page shows the message beside that field. Only parsing lives here: no GraphQL call, no
//! request context.

use chrono::Utc;
use chrono_tz::Tz;
use dioxus::prelude::ServerFnError;

use crate::api::ErrorCode;
use crate::api::sales::SaleForm;
use crate::gql;
use crate::server::executor::error;
use crate::server::zone;

/// An optional form value, trimmed: empty means "none".
pub fn optional(v: &str) -> Option<String> {
    match v.trim() {
        "" => None,
        t => Some(t.to_owned()),
    }
}

/// The value of an API enum that a form field names, else [`not_a_choice`] for `field`.
pub fn one_of<E: gql::ApiEnum>(field: &str, value: &str) -> Result<E, ServerFnError> {
    E::parse(value).ok_or_else(|| not_a_choice(field))
}

/// The BAD_USER_INPUT error for a value that `field` does not offer.
pub fn not_a_choice(field: &str) -> ServerFnError {
    error(
        ErrorCode::BadUserInput,
        Some(field),
        "not one of the choices",
    )
}

/// A day as a date input sends it (YYYY-MM-DD); empty gives `None`.
pub fn form_day(field: &str, day: &str) -> Result<Option<chrono::NaiveDate>, ServerFnError> {
    let day = day.trim();
    if day.is_empty() {
        return Ok(None);
    }
    chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| {
            error(
                ErrorCode::BadUserInput,
                Some(field),
                "expected a date like 2026-11-22",
            )
        })
}

/// The moment local midnight of `zone` starts the day `days` after a day of a filter form (the
/// days of filters are the company's days). Empty gives `None`.
pub fn day_start(
    field: &str,
    day: &str,
    days: u64,
    zone: Tz,
) -> Result<Option<gql::DateTime>, ServerFnError> {
    let Some(date) = form_day(field, day)? else {
        return Ok(None);
    };
    let start = date
        .checked_add_days(chrono::Days::new(days))
        .and_then(|d| zone::day_start(zone, d))
        .ok_or_else(|| error(ErrorCode::BadUserInput, Some(field), "date out of range"))?;
    Ok(Some(start.into()))
}

/// A day from a form as a moment: now for today (in `zone`), else noon of that day in `zone`.
/// Empty gives `None`.
pub fn day_moment(
    field: &str,
    day: &str,
    zone: Tz,
) -> Result<Option<gql::DateTime>, ServerFnError> {
    let Some(date) = form_day(field, day)? else {
        return Ok(None);
    };
    let now = Utc::now();
    if date == now.with_timezone(&zone).date_naive() {
        return Ok(Some(now.into()));
    }
    let noon = date
        .and_hms_opt(12, 0, 0)
        .and_then(|t| t.and_local_timezone(zone).earliest())
        .ok_or_else(|| error(ErrorCode::BadUserInput, Some(field), "date out of range"))?;
    Ok(Some(noon.with_timezone(&Utc).into()))
}

/// An amount as people type it ("1 240 000,50", "99.9", "15") in minor units of `currency`.
/// One decimal separator, `.` or `,`; spaces group digits; no more decimals than the currency has.
pub fn parse_amount(text: &str, currency: &str) -> Result<i64, String> {
    let digits = crm_api::currency::minor_units(currency).ok_or("unknown currency code")?;
    let compact: String = text
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .collect();
    if compact.is_empty() {
        return Err("enter an amount".into());
    }
    let (int, frac) = match compact.find(['.', ',']) {
        Some(i) => (&compact[..i], &compact[i + 1..]),
        None => (compact.as_str(), ""),
    };
    let plain = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if int.is_empty() || !plain(int) || !plain(frac) {
        return Err("enter a number like 1240.50".into());
    }
    if frac.len() > usize::from(digits) {
        return Err(if digits == 0 {
            "this currency has no minor units".into()
        } else {
            format!("at most {digits} digits after the decimal point")
        });
    }
    let scale = 10i64.pow(u32::from(digits));
    let frac_value = if frac.is_empty() {
        0
    } else {
        frac.parse::<i64>().map_err(|_| "amount too large")?
            * 10i64.pow((usize::from(digits) - frac.len()) as u32)
    };
    int.parse::<i64>()
        .ok()
        .and_then(|i| i.checked_mul(scale))
        .and_then(|i| i.checked_add(frac_value))
        .ok_or_else(|| "amount too large".into())
}

/// The fields of the sale form, checked: what `SaleInput` and `SaleUpdateInput` share.
pub struct SaleFields {
    pub amount_minor: gql::Minor,
    pub currency: String,
    pub sold_at: Option<gql::DateTime>,
    pub status: gql::SaleStatus,
    pub note: Option<String>,
}

/// The sale form checked; its day is a day of `zone`.
pub fn sale_fields(form: &SaleForm, zone: Tz) -> Result<SaleFields, ServerFnError> {
    let currency = form.currency.trim().to_uppercase();
    if !crm_api::currency::is_known(&currency) {
        return Err(error(
            ErrorCode::BadUserInput,
            Some("currency"),
            "unknown currency code",
        ));
    }
    let amount = parse_amount(&form.amount, &currency)
        .map_err(|m| error(ErrorCode::BadUserInput, Some("amountMinor"), &m))?;
    Ok(SaleFields {
        amount_minor: gql::Minor(amount),
        currency,
        sold_at: day_moment("soldAt", &form.day, zone)?,
        status: one_of("status", &form.status)?,
        note: optional(&form.note),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The field a refused value is reported for.
    fn field_of(e: ServerFnError) -> String {
        match e {
            ServerFnError::ServerError { details, .. } => details
                .and_then(|d| d.get("field").and_then(|f| f.as_str()).map(str::to_owned))
                .unwrap_or_default(),
            other => panic!("not a coded error: {other}"),
        }
    }

    #[test]
    fn amounts_as_people_type_them() {
        assert_eq!(parse_amount("1 240 000,50", "RUB"), Ok(124_000_050));
        assert_eq!(parse_amount("1\u{a0}500.5", "RUB"), Ok(150_050));
        assert_eq!(parse_amount("99.9", "USD"), Ok(9_990));
        assert_eq!(parse_amount("15", "JPY"), Ok(15));
        assert_eq!(parse_amount("0,005", "KWD"), Ok(5));
    }

    #[test]
    fn amounts_that_are_refused() {
        assert!(parse_amount("", "RUB").is_err());
        assert!(parse_amount("abc", "RUB").is_err());
        assert!(parse_amount(",50", "RUB").is_err());
        assert!(parse_amount("1.2.3", "RUB").is_err());
        assert!(parse_amount("-5", "RUB").is_err());
        assert!(parse_amount("12,345", "RUB").is_err(), "three decimals");
        assert!(parse_amount("1.5", "JPY").is_err(), "no minor units");
        assert!(parse_amount("10", "XYZ").is_err(), "unknown currency");
        assert!(parse_amount("99999999999999999999", "RUB").is_err());
    }

    #[test]
    fn days_of_date_inputs() {
        let day = form_day("from", " 2026-11-22 ").ok().flatten();
        assert_eq!(day, chrono::NaiveDate::from_ymd_opt(2026, 11, 22));
        assert!(matches!(form_day("from", ""), Ok(None)));
        assert_eq!(field_of(form_day("from", "tomorrow").unwrap_err()), "from");
        let noon = day_moment("soldAt", "2020-02-29", chrono_tz::UTC)
            .ok()
            .flatten();
        assert_eq!(noon.as_deref(), Some("2020-02-29T12:00:00+00:00"));
        // Noon in Moscow is 09:00 UTC.
        let noon = day_moment("soldAt", "2020-02-29", chrono_tz::Europe::Moscow)
            .ok()
            .flatten();
        assert_eq!(noon.as_deref(), Some("2020-02-29T09:00:00+00:00"));
        let end = day_start("to", "2026-12-31", 1, chrono_tz::UTC)
            .ok()
            .flatten();
        assert_eq!(end.as_deref(), Some("2027-01-01T00:00:00+00:00"));
        // The 1st of November starts at 21:00 UTC on the 31st in Moscow.
        let start = day_start("from", "2026-11-01", 0, chrono_tz::Europe::Moscow)
            .ok()
            .flatten();
        assert_eq!(start.as_deref(), Some("2026-10-31T21:00:00+00:00"));
    }

    #[test]
    fn choices_and_optional_fields() {
        assert!(matches!(
            one_of::<gql::SaleStatus>("status", "REFUNDED"),
            Ok(gql::SaleStatus::Refunded)
        ));
        assert_eq!(
            field_of(one_of::<gql::SaleStatus>("status", "refunded").unwrap_err()),
            "status"
        );
        assert_eq!(optional("  "), None);
        assert_eq!(optional(" a b "), Some("a b".to_owned()));
    }

    #[test]
    fn the_sale_form_names_the_field_at_fault() {
        let form = |amount: &str, currency: &str| SaleForm {
            amount: amount.into(),
            currency: currency.into(),
            day: String::new(),
            status: "COMPLETED".into(),
            note: " ".into(),
        };
        let fields = sale_fields(&form("1 500,50", "rub"), chrono_tz::UTC).ok();
        let fields = fields.as_ref();
        assert_eq!(fields.map(|f| f.amount_minor), Some(gql::Minor(150_050)));
        assert_eq!(fields.map(|f| f.currency.as_str()), Some("RUB"));
        assert_eq!(fields.and_then(|f| f.note.as_deref()), None);
        assert_eq!(
            field_of(
                sale_fields(&form("10", "XYZ"), chrono_tz::UTC)
                    .err()
                    .unwrap()
            ),
            "currency"
        );
        assert_eq!(
            field_of(
                sale_fields(&form("abc", "RUB"), chrono_tz::UTC)
                    .err()
                    .unwrap()
            ),
            "amountMinor"
        );
    }
}
