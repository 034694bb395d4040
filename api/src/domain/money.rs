//! Money: integer minor units with an ISO 4217 code, and conversion between currencies with a
//! company's exchange rates — integer arithmetic only, rounded once, half away from zero.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, SimpleObject, Value};
use serde::{Deserialize, Serialize};

use crate::currency;

/// A signed 64-bit number of minor units (kopecks, cents): GraphQL's `MinorUnits` scalar.
///
/// GraphQL's `Int` is 32-bit and a JavaScript number is exact only up to 2^53, while amounts and
/// totals reach beyond both (30 000 000,00 ₽ is 3 000 000 000 kopecks). So the API writes it as
/// a string of decimal digits with an optional minus sign (`"3000000000"`), which every client
/// reads exactly, and accepts that string or an integer literal as input. Anything else (a
/// fraction, an exponent, a value outside i64) is refused with BAD_USER_INPUT. Stored JSON
/// (report snapshots) keeps it as a plain number: the serde form is the bare i64.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MinorUnits(pub i64);

/// The text form: an optional `-` and 1 to 19 ASCII digits that fit in i64 (no `+`, spaces,
/// separators or exponent, so that a value is never read differently than it was meant).
fn parse_minor(text: &str) -> Option<i64> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// A signed 64-bit number of minor units (kopecks, cents), written as a string of decimal
/// digits with an optional minus sign ("3000000000" is 30 000 000,00 ₽) so that clients whose
/// numbers are 32-bit or 53-bit read it exactly. Input: that string or an integer literal.
#[Scalar(name = "MinorUnits")]
impl ScalarType for MinorUnits {
    fn parse(value: Value) -> InputValueResult<Self> {
        let parsed = match &value {
            Value::String(text) => parse_minor(text),
            Value::Number(n) => n.as_i64(),
            _ => return Err(InputValueError::expected_type(value)),
        };
        parsed.map(MinorUnits).ok_or_else(|| {
            InputValueError::custom(
                "minor units are a whole number of kopecks or cents within ±9223372036854775807, \
                 as a string of digits (\"124000000\") or an integer",
            )
        })
    }

    fn is_valid(value: &Value) -> bool {
        match value {
            Value::String(text) => parse_minor(text).is_some(),
            Value::Number(n) => n.is_i64(),
            _ => false,
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_string())
    }
}

/// An amount of money: integer minor units (kopecks, cents) and an ISO 4217 code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, SimpleObject)]
#[graphql(complex)]
pub struct Money {
    /// Minor units: 1 240 000,00 ₽ is 124000000.
    #[graphql(skip)]
    pub amount_minor: i64,
    /// ISO 4217 code, e.g. RUB.
    pub currency: String,
    /// The amount in major units as a decimal string, e.g. "1240000.00".
    pub amount: String,
}

#[async_graphql::ComplexObject]
impl Money {
    /// Minor units as a decimal string: 1 240 000,00 ₽ is "124000000".
    async fn amount_minor(&self) -> MinorUnits {
        MinorUnits(self.amount_minor)
    }
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

/// Exchange rates are held as units of the base currency per one unit of the other currency,
/// times 10⁹ ("92.5" is 92 500 000 000).
pub const RATE_SCALE: i64 = 1_000_000_000;
const RATE_DIGITS: usize = 9;

/// Parses a decimal exchange rate such as `92.5` or `0.000061` into nano-units.
/// `None` for anything but a positive decimal with at most nine fractional digits that fits.
pub fn parse_rate(text: &str) -> Option<i64> {
    let text = text.trim();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(fraction) || fraction.len() > RATE_DIGITS {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let padded = format!("{fraction:0<width$}", width = RATE_DIGITS);
    let fraction: i64 = padded.parse().ok()?;
    let nanos = whole.checked_mul(RATE_SCALE)?.checked_add(fraction)?;
    (nanos > 0).then_some(nanos)
}

/// A rate in nano-units as the shortest decimal text: 92500000000 is "92.5".
pub fn format_rate(nanos: i64) -> String {
    let whole = nanos / RATE_SCALE;
    let fraction = format!("{:09}", (nanos % RATE_SCALE).unsigned_abs());
    let fraction = fraction.trim_end_matches('0');
    if fraction.is_empty() {
        whole.to_string()
    } else {
        format!("{whole}.{fraction}")
    }
}

/// `amount_minor` of `from` in minor units of `to`, at `rate_nanos` units of `to` per unit of
/// `from`: amount · rate · 10^digits(to) / (10^digits(from) · 10⁹), rounded half away from zero.
/// `None` on overflow of i64 or an unknown currency.
pub fn convert(amount_minor: i64, from: &str, to: &str, rate_nanos: i64) -> Option<i64> {
    let scale = |code: &str| currency::minor_units(code).map(|d| 10i128.pow(u32::from(d)));
    let numerator = i128::from(amount_minor)
        .checked_mul(i128::from(rate_nanos))?
        .checked_mul(scale(to)?)?;
    let denominator = scale(from)? * i128::from(RATE_SCALE);
    let quotient = numerator / denominator;
    let remainder = numerator % denominator;
    let rounded = if remainder.abs() * 2 >= denominator {
        quotient + numerator.signum()
    } else {
        quotient
    };
    i64::try_from(rounded).ok()
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
    fn minor_units_read_strings_and_integers_exactly() {
        let parse = |v: Value| <MinorUnits as ScalarType>::parse(v).ok().map(|m| m.0);
        assert_eq!(parse(Value::from("9223372036854775807")), Some(i64::MAX));
        assert_eq!(parse(Value::from("-3000000000")), Some(-3_000_000_000));
        assert_eq!(parse(Value::from(3_000_000_000_i64)), Some(3_000_000_000));
        for bad in [
            "",
            "-",
            "+1",
            " 1",
            "1.0",
            "1e3",
            "9223372036854775808",
            "1 000",
        ] {
            assert_eq!(parse(Value::from(bad)), None, "{bad:?}");
        }
        assert_eq!(parse(Value::from(1.5_f64)), None);
        assert_eq!(parse(Value::Boolean(true)), None);
        assert_eq!(
            MinorUnits(i64::MIN).to_value(),
            Value::from("-9223372036854775808")
        );
        assert_eq!(serde_json::to_string(&MinorUnits(5)).unwrap(), "5");
    }

    #[test]
    fn rates_parse_and_print() {
        assert_eq!(parse_rate("92.5"), Some(92_500_000_000));
        assert_eq!(parse_rate(" 0.000061 "), Some(61_000));
        assert_eq!(parse_rate("1"), Some(RATE_SCALE));
        for bad in [
            "",
            "0",
            "-1",
            "1e3",
            "1.0000000001",
            ".5",
            "1,5",
            "99999999999999999999",
        ] {
            assert_eq!(parse_rate(bad), None, "{bad}");
        }
        assert_eq!(format_rate(92_500_000_000), "92.5");
        assert_eq!(format_rate(61_000), "0.000061");
        assert_eq!(format_rate(RATE_SCALE), "1");
    }

    #[test]
    fn conversion_is_integer_and_rounds_once() {
        // 10.00 USD at 92.5 RUB/USD = 925.00 RUB
        assert_eq!(
            convert(1_000, "USD", "RUB", parse_rate("92.5").unwrap()),
            Some(92_500)
        );
        // 1500 JPY at 0.61 RUB/JPY = 915.00 RUB (JPY has no minor units)
        assert_eq!(
            convert(1_500, "JPY", "RUB", parse_rate("0.61").unwrap()),
            Some(91_500)
        );
        // 0.01 USD at 0.333 = 0.00333 → 0.00 EUR; 0.02 USD → 0.00666 → 0.01
        assert_eq!(
            convert(1, "USD", "EUR", parse_rate("0.333").unwrap()),
            Some(0)
        );
        assert_eq!(
            convert(2, "USD", "EUR", parse_rate("0.333").unwrap()),
            Some(1)
        );
        assert_eq!(
            convert(i64::MAX, "USD", "RUB", parse_rate("100").unwrap()),
            None
        );
        assert_eq!(convert(1, "XYZ", "RUB", RATE_SCALE), None);
    }
}
