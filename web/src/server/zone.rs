//! Times in the user's time zone. The API writes every moment in UTC; the pages show them in
//! the zone of the user's company (`Company.timeZone`). The executor reads an answer within
//! [`within`], and `gql::DateTime` moves each moment it reads into that zone: the same instant,
//! written with the zone's offset (`2026-10-31T21:30:00+00:00` in Europe/Moscow reads
//! `2026-11-01T00:30:00+03:00`), so the pages, in the browser too, print the local date and
//! time from the text alone, with no zone database in the browser's code.

use std::cell::Cell;

use chrono_tz::Tz;

thread_local! {
    static ZONE: Cell<Option<Tz>> = const { Cell::new(None) };
}

/// Runs `read` (a synchronous deserialization) with moments read in `zone`.
pub fn within<T>(zone: Tz, read: impl FnOnce() -> T) -> T {
    /// Puts the outer zone back, even when `read` panics.
    struct Restore(Option<Tz>);
    impl Drop for Restore {
        fn drop(&mut self) {
            ZONE.with(|z| z.set(self.0));
        }
    }
    let _restore = Restore(ZONE.with(|z| z.replace(Some(zone))));
    read()
}

/// An RFC 3339 moment in the current zone; unchanged outside [`within`] or when it does not
/// parse.
pub fn localize(rfc3339: String) -> String {
    let Some(zone) = ZONE.with(Cell::get) else {
        return rfc3339;
    };
    match chrono::DateTime::parse_from_rfc3339(&rfc3339) {
        Ok(t) => t.with_timezone(&zone).to_rfc3339(),
        Err(_) => rfc3339,
    }
}

/// The UTC instant at which local `day` starts in `zone` (the first existing local time when a
/// daylight-saving jump skips midnight).
pub fn day_start(zone: Tz, day: chrono::NaiveDate) -> Option<chrono::DateTime<chrono::Utc>> {
    crm_api::reports::periods::local_midnight(zone, day).map(|t| t.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_read_in_the_company_zone_keep_their_instant() {
        let utc = "2026-10-31T21:30:00+00:00".to_owned();
        assert_eq!(localize(utc.clone()), utc, "no zone: unchanged");
        let moscow = within(chrono_tz::Europe::Moscow, || localize(utc.clone()));
        assert_eq!(moscow, "2026-11-01T00:30:00+03:00");
        // Daylight saving: Berlin is UTC+1 in winter and UTC+2 in summer.
        let berlin = |t: &str| within(chrono_tz::Europe::Berlin, || localize(t.to_owned()));
        assert_eq!(berlin("2026-01-15T12:00:00Z"), "2026-01-15T13:00:00+01:00");
        assert_eq!(berlin("2026-07-15T12:00:00Z"), "2026-07-15T14:00:00+02:00");
        assert_eq!(localize(utc.clone()), utc, "the zone ends with `within`");
    }

    #[test]
    fn a_local_day_starts_at_local_midnight() {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap_or_default();
        assert_eq!(
            day_start(chrono_tz::Europe::Moscow, day).map(|t| t.to_rfc3339()),
            Some("2026-10-31T21:00:00+00:00".to_owned())
        );
    }
}
