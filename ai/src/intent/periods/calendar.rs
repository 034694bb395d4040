//! Calendar arithmetic for periods: a named month, quarter or year as dates, the current and
//! previous unit, rolling windows, all cut to today.

use chrono::{Datelike, Days, Months, NaiveDate};

use super::super::{Horizon, Period, Unit};
use super::{Reader, Span, Spec};

impl Reader<'_> {
    /// Bounds of `spec` in `year` (or its own year, or the latest year that has started).
    pub(super) fn resolve(&self, spec: Spec, year: Option<i32>) -> Option<(NaiveDate, NaiveDate)> {
        let bounds = |y: i32| -> Option<(NaiveDate, NaiveDate)> {
            match spec {
                Spec::Day { m, d, .. } => {
                    let day = NaiveDate::from_ymd_opt(y, m, d)?;
                    Some((day, day))
                }
                Spec::Month { m, .. } => month_bounds(y, m),
                Spec::Quarter { q, .. } => {
                    let (from, _) = month_bounds(y, q * 3 - 2)?;
                    let (_, to) = month_bounds(y, q * 3)?;
                    Some((from, to))
                }
                Spec::Year(y) => month_bounds(y, 1)
                    .zip(month_bounds(y, 12))
                    .map(|(a, b)| (a.0, b.1)),
                Spec::Date(d) => Some((d, d)),
            }
        };
        if let Some(y) = year_of(spec).or(year) {
            return bounds(y);
        }
        let this = self.today.year();
        match bounds(this) {
            Some((from, to)) if from <= self.today => Some((from, to)),
            _ => bounds(this - 1),
        }
    }

    /// `from..to` cut to today; a period wholly after today becomes today alone.
    pub(super) fn cut(&self, from: NaiveDate, to: NaiveDate) -> Period {
        Period {
            from: from.min(self.today),
            to: to.min(self.today),
        }
    }

    pub(super) fn current(&self, span: Span) -> Option<Period> {
        let t = self.today;
        let from = match span {
            Span::Day => t,
            Span::Week => {
                t.checked_sub_days(Days::new(u64::from(t.weekday().num_days_from_monday())))?
            }
            Span::Month => t.with_day(1)?,
            Span::Quarter => NaiveDate::from_ymd_opt(t.year(), (t.month0() / 3) * 3 + 1, 1)?,
            Span::Year => NaiveDate::from_ymd_opt(t.year(), 1, 1)?,
        };
        Some(Period { from, to: t })
    }

    pub(super) fn previous(&self, span: Span) -> Option<Period> {
        let current = self.current(span)?.from;
        let from = match span {
            Span::Day => current.checked_sub_days(Days::new(1))?,
            Span::Week => current.checked_sub_days(Days::new(7))?,
            Span::Month => current.checked_sub_months(Months::new(1))?,
            Span::Quarter => current.checked_sub_months(Months::new(3))?,
            Span::Year => current.checked_sub_months(Months::new(12))?,
        };
        Some(Period {
            from,
            to: current.checked_sub_days(Days::new(1))?,
        })
    }

    /// The last `n` units up to today: "last 7 days" is today and the six days before.
    pub(super) fn rolling(&self, n: u32, span: Span) -> Option<Period> {
        if n == 0 {
            return None;
        }
        let t = self.today;
        let from = match span {
            Span::Day => t.checked_sub_days(Days::new(u64::from(n) - 1))?,
            Span::Week => t.checked_sub_days(Days::new(u64::from(n) * 7 - 1))?,
            Span::Month | Span::Quarter | Span::Year => {
                let months = n * months_in(span);
                t.checked_sub_months(Months::new(months))?
                    .checked_add_days(Days::new(1))?
            }
        };
        Some(Period { from, to: t })
    }
}

fn months_in(span: Span) -> u32 {
    match span {
        Span::Quarter => 3,
        Span::Year => 12,
        _ => 1,
    }
}

pub(super) fn horizon(n: u32, span: Span) -> Option<Horizon> {
    if n == 0 {
        return None;
    }
    Some(match span {
        Span::Day => Horizon {
            count: n,
            unit: Unit::Day,
        },
        Span::Week => Horizon {
            count: n,
            unit: Unit::Week,
        },
        Span::Month | Span::Quarter | Span::Year => Horizon {
            count: n * months_in(span),
            unit: Unit::Month,
        },
    })
}

pub(super) fn year_of(spec: Spec) -> Option<i32> {
    match spec {
        Spec::Day { y, .. } | Spec::Month { y, .. } | Spec::Quarter { y, .. } => y,
        Spec::Year(y) => Some(y),
        Spec::Date(d) => Some(d.year()),
    }
}

fn month_bounds(y: i32, m: u32) -> Option<(NaiveDate, NaiveDate)> {
    let from = NaiveDate::from_ymd_opt(y, m, 1)?;
    let to = from
        .checked_add_months(Months::new(1))?
        .checked_sub_days(Days::new(1))?;
    Some((from, to))
}
