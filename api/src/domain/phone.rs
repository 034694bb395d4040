//! Phone numbers as people type them (`+7 (912) 345-67-89`, `8 912 345 67 89`, `9123456789`):
//! parsed and validated with the `phonenumber` crate (a port of Google's libphonenumber and its
//! metadata), reading a number without a country code in the company's default region. A valid
//! number gets its E.164 form (`+79123456789`, ITU-T E.164) for matching and its international
//! form for people; an invalid one is kept exactly as typed and flagged, never dropped.

use std::str::FromStr;

use phonenumber::Mode;
use phonenumber::country::Id;

/// The region a number without a country code is read in: an ISO 3166-1 alpha-2 code that
/// libphonenumber has metadata for (`RU`, `KZ`, `DE`, …).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Region(Id);

impl Region {
    /// Russia: the default of a new company.
    pub const DEFAULT: Region = Region(Id::RU);

    /// The region of an upper- or lower-case ISO 3166-1 alpha-2 code; `None` for a code the
    /// metadata does not know.
    pub fn parse(code: &str) -> Option<Region> {
        Id::from_str(&code.trim().to_ascii_uppercase())
            .ok()
            .map(Region)
    }

    /// The region of a stored code; an unknown one (never written by us) reads as the default.
    pub fn from_stored(code: &str) -> Region {
        Region::parse(code).unwrap_or(Region::DEFAULT)
    }

    /// The upper-case ISO code, as stored.
    pub fn code(self) -> String {
        self.0.as_ref().to_owned()
    }
}

/// A valid number in its two written forms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Phone {
    /// `+79123456789`.
    pub e164: String,
    /// `+7 912 345-67-89`.
    pub international: String,
    /// The national significant number, `9123456789`: what people type without a prefix.
    pub national: String,
}

/// Reads `typed` in `region`. `None` when it is not a valid number there (too short, an
/// unassigned range, letters): the caller keeps the text as typed.
pub fn parse(typed: &str, region: Region) -> Option<Phone> {
    let number = phonenumber::parse(Some(region.0), typed).ok()?;
    if !phonenumber::is_valid(&number) {
        return None;
    }
    Some(Phone {
        e164: number.format().mode(Mode::E164).to_string(),
        international: number.format().mode(Mode::International).to_string(),
        national: number.national().to_string(),
    })
}

/// A stored E.164 number in the international format (`+7 912 345-67-89`).
pub fn international(e164: &str) -> Option<String> {
    let number = phonenumber::parse(None, e164).ok()?;
    Some(number.format().mode(Mode::International).to_string())
}

/// The digits of `text` when it looks like a phone number and nothing else (digits with
/// spaces, `+`, `-`, `.`, `(` and `)`; at least five digits), for search.
pub fn digits_of(text: &str) -> Option<String> {
    let phone_like = text
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '.' | '(' | ')'));
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    (phone_like && digits.len() >= 5).then_some(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_numbers_in_every_usual_form_are_one_number() {
        let ru = Region::DEFAULT;
        for typed in [
            "+7 (912) 345-67-89",
            "8 912 345 67 89",
            "89123456789",
            "+79123456789",
            "9123456789",
            "+7 912 345 67 89",
            "79123456789",
        ] {
            let phone = parse(typed, ru).unwrap_or_else(|| panic!("{typed}"));
            assert_eq!(phone.e164, "+79123456789", "{typed}");
            assert_eq!(phone.national, "9123456789", "{typed}");
        }
        assert_eq!(
            parse("8 912 345 67 89", ru).unwrap().international,
            "+7 912 345-67-89"
        );
        assert_eq!(
            international("+79123456789").as_deref(),
            Some("+7 912 345-67-89")
        );
    }

    #[test]
    fn the_region_reads_numbers_without_a_country_code() {
        let de = Region::parse("de").unwrap();
        assert_eq!(de.code(), "DE");
        assert_eq!(parse("030 123456", de).unwrap().e164, "+4930123456");
        // A number with its country code is read the same in any region.
        assert_eq!(parse("+7 912 345-67-89", de).unwrap().e164, "+79123456789");
        assert_eq!(Region::parse("XX"), None);
        assert_eq!(Region::from_stored("??"), Region::DEFAULT);
    }

    #[test]
    fn invalid_numbers_are_not_numbers() {
        for typed in ["12", "call me", "+7 000", "доб. 12"] {
            assert_eq!(parse(typed, Region::DEFAULT), None, "{typed}");
        }
    }

    #[test]
    fn search_text_that_is_a_phone_gives_its_digits() {
        assert_eq!(digits_of("987 654-32-10").as_deref(), Some("9876543210"));
        assert_eq!(digits_of("+7 (912) 3").as_deref(), Some("79123"));
        assert_eq!(digits_of("1234"), None, "too short to mean a phone");
        assert_eq!(digits_of("ivan 12345"), None);
    }
}
