//! Periods cut in the company's time zone: a date range and a granularity become a list of
//! `[start, end)` UTC instants, so SQL on either backend can group by plain range predicates.
//! A sale at 01:30 Moscow time on the 1st belongs to that month, though it is the last day of
//! the previous month in UTC.

use async_graphql::Enum;
use chrono::{Datelike, Days, Months, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, TimeZone};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::db::figures::Bounds;

/// The most periods one report may have (three years of days).
pub const MAX_PERIODS: usize = 1_100;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Enum)]
pub enum Granularity {
    Day,
    /// ISO week, Monday to Sunday.
    Week,
    Month,
}

impl Granularity {
    /// The start of the period that contains `date`.
    pub fn start_of(self, date: NaiveDate) -> NaiveDate {
        match self {
            Granularity::Day => date,
            Granularity::Week => date - Days::new(u64::from(date.weekday().num_days_from_monday())),
            Granularity::Month => date.with_day(1).unwrap_or(date),
        }
    }

    pub fn next(self, start: NaiveDate) -> Option<NaiveDate> {
        match self {
            Granularity::Day => start.checked_add_days(Days::new(1)),
            Granularity::Week => start.checked_add_days(Days::new(7)),
            Granularity::Month => start.checked_add_months(Months::new(1)),
        }
    }

    /// Periods in one yearly (or, for days, weekly) season, for the forecasts.
    pub fn season_length(self) -> usize {
        match self {
            Granularity::Day => 7,
            Granularity::Week => 52,
            Granularity::Month => 12,
        }
    }
}

/// One period of a report: its nominal first day, and the UTC range it covers within the
/// report's dates (the first and last periods may be cut short by the range).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    pub start: NaiveDate,
    /// The first day the range covers (later than `start` when the range cuts the period).
    pub first_day: NaiveDate,
    pub bounds: Bounds,
    /// True when the range covers only part of the period.
    pub partial: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    #[error("the start date is after the end date")]
    Reversed,
    #[error(
        "the range has {0} periods; at most {MAX_PERIODS} are allowed (choose a coarser granularity)"
    )]
    TooMany(usize),
    #[error("the date is out of the supported range")]
    OutOfRange,
}

/// The UTC instant of local midnight starting `date` in `tz`. Where midnight does not exist
/// (a daylight-saving jump at 00:00), the first local time that does.
pub fn local_midnight(tz: Tz, date: NaiveDate) -> Option<NaiveDateTime> {
    let midnight = date.and_time(NaiveTime::MIN);
    (0..=24 * 4)
        .filter_map(|quarter| midnight.checked_add_signed(TimeDelta::minutes(15 * quarter)))
        .find_map(|local| tz.from_local_datetime(&local).earliest())
        .map(|t| t.naive_utc())
}

/// The UTC range of the local dates `from..=to`.
pub fn range(tz: Tz, from: NaiveDate, to: NaiveDate) -> Result<Bounds, PeriodError> {
    if from > to {
        return Err(PeriodError::Reversed);
    }
    let end = to
        .checked_add_days(Days::new(1))
        .ok_or(PeriodError::OutOfRange)?;
    Ok(Bounds {
        start: local_midnight(tz, from).ok_or(PeriodError::OutOfRange)?,
        end: local_midnight(tz, end).ok_or(PeriodError::OutOfRange)?,
    })
}

/// The periods of `granularity` covering the local dates `from..=to` in `tz`.
///
/// # Errors
/// [`PeriodError::Reversed`] when `from > to`, [`PeriodError::TooMany`] past [`MAX_PERIODS`].
pub fn cut(
    tz: Tz,
    from: NaiveDate,
    to: NaiveDate,
    granularity: Granularity,
) -> Result<Vec<Period>, PeriodError> {
    if from > to {
        return Err(PeriodError::Reversed);
    }
    let last_day = to
        .checked_add_days(Days::new(1))
        .ok_or(PeriodError::OutOfRange)?;
    let mut periods = Vec::new();
    let mut start = granularity.start_of(from);
    while start <= to {
        let next = granularity.next(start).ok_or(PeriodError::OutOfRange)?;
        let (first, end) = (start.max(from), next.min(last_day));
        if periods.len() == MAX_PERIODS {
            let total = periods.len() + count_remaining(granularity, start, to);
            return Err(PeriodError::TooMany(total));
        }
        periods.push(Period {
            start,
            first_day: first,
            bounds: Bounds {
                start: local_midnight(tz, first).ok_or(PeriodError::OutOfRange)?,
                end: local_midnight(tz, end).ok_or(PeriodError::OutOfRange)?,
            },
            partial: first != start || end != next,
        });
        start = next;
    }
    Ok(periods)
}

fn count_remaining(granularity: Granularity, mut start: NaiveDate, to: NaiveDate) -> usize {
    let mut n = 0;
    while start <= to {
        n += 1;
        match granularity.next(start) {
            Some(next) => start = next,
            None => break,
        }
    }
    n
}

/// The same number of days just before `from..=to`: the comparison period.
pub fn previous(from: NaiveDate, to: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    let days = u64::try_from((to - from).num_days()).ok()? + 1;
    Some((
        from.checked_sub_days(Days::new(days))?,
        from.checked_sub_days(Days::new(1))?,
    ))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::indexing_slicing)]
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn utc(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").unwrap_or_default()
    }

    #[test]
    fn months_start_at_local_midnight() {
        let periods = cut(
            chrono_tz::Europe::Moscow,
            date(2026, 1, 1),
            date(2026, 3, 31),
            Granularity::Month,
        )
        .unwrap_or_default();
        assert_eq!(periods.len(), 3);
        // Moscow is UTC+3: March starts at 21:00 UTC on 28 February.
        assert_eq!(periods[2].start, date(2026, 3, 1));
        assert_eq!(periods[2].bounds.start, utc("2026-02-28 21:00:00"));
        assert_eq!(periods[2].bounds.end, utc("2026-03-31 21:00:00"));
        assert!(periods.iter().all(|p| !p.partial));
    }

    #[test]
    fn weeks_are_iso_and_the_range_cuts_the_ends() {
        // 2026-01-01 is a Thursday.
        let periods = cut(
            chrono_tz::UTC,
            date(2026, 1, 1),
            date(2026, 1, 14),
            Granularity::Week,
        )
        .unwrap_or_default();
        assert_eq!(periods.len(), 3);
        assert_eq!(periods[0].start, date(2025, 12, 29));
        assert_eq!(periods[0].bounds.start, utc("2026-01-01 00:00:00"));
        assert!(periods[0].partial && !periods[1].partial && periods[2].partial);
        assert_eq!(periods[2].bounds.end, utc("2026-01-15 00:00:00"));
    }

    #[test]
    fn daylight_saving_days_have_their_real_length() {
        // Berlin: 29 March 2026 has 23 hours.
        let periods = cut(
            chrono_tz::Europe::Berlin,
            date(2026, 3, 29),
            date(2026, 3, 29),
            Granularity::Day,
        )
        .unwrap_or_default();
        assert_eq!(
            periods[0].bounds.end - periods[0].bounds.start,
            TimeDelta::hours(23)
        );
    }

    #[test]
    fn a_missing_midnight_moves_to_the_first_real_time() {
        // Santiago skips from 00:00 to 01:00 on 6 September 2026 (clocks go forward at midnight).
        let t = local_midnight(chrono_tz::America::Santiago, date(2026, 9, 6));
        assert_eq!(t, Some(utc("2026-09-06 04:00:00")));
    }

    #[test]
    fn limits_and_order() {
        assert_eq!(
            cut(
                chrono_tz::UTC,
                date(2026, 2, 1),
                date(2026, 1, 1),
                Granularity::Day
            ),
            Err(PeriodError::Reversed)
        );
        assert_eq!(
            cut(
                chrono_tz::UTC,
                date(2020, 1, 1),
                date(2026, 1, 1),
                Granularity::Day
            ),
            Err(PeriodError::TooMany(2193))
        );
        assert_eq!(
            previous(date(2026, 3, 1), date(2026, 3, 31)),
            Some((date(2026, 1, 29), date(2026, 2, 28)))
        );
    }
}
