//! Periods ("last week", "в марте прошлого года", "с 1 по 15 марта", "Q1", "ytd") and forecast
//! horizons ("next quarter", "на 3 месяца вперёд") in a question's tokens, resolved against
//! today. Weeks start on Monday; a period ending after today is cut to today.

use chrono::{Datelike, Days, NaiveDate};

use super::text::{Tok, word_in};
use super::{Horizon, Period};

mod calendar;
mod lexicon;

use calendar::{horizon, year_of};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Span {
    Day,
    Week,
    Month,
    Quarter,
    Year,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Modifier {
    This,
    Last,
    /// "последние": a rolling window.
    Recent,
    Next,
}

/// A calendar expression before its year is inferred.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Spec {
    Day { y: Option<i32>, m: u32, d: u32 },
    Month { y: Option<i32>, m: u32 },
    Quarter { y: Option<i32>, q: u32 },
    Year(i32),
    Date(NaiveDate),
}

/// A period a question names, and the index of its first token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Found {
    pub period: Period,
    pub at: usize,
}

/// Words before a number that make it an amount, not a year or a day.
const AMOUNT_WORDS: &str = "over above under below больше более меньше менее свыше выше ниже \
     than чем least most max min maximum minimum максимум минимум";

/// Finds the periods in `toks` in order and marks their tokens used.
pub(super) fn take_periods(toks: &mut [Tok], today: NaiveDate) -> Vec<Found> {
    let mut out = Vec::new();
    let mut last_span = None;
    let mut i = 0;
    while i < toks.len() {
        let reader = Reader { toks, today };
        match reader.period_at(i, last_span) {
            Some((period, end, span)) => {
                for t in toks.iter_mut().take(end).skip(i) {
                    t.used = true;
                }
                out.push(Found { period, at: i });
                last_span = span.or(last_span);
                i = end.max(i + 1);
            }
            None => i += 1,
        }
    }
    out
}

/// Finds a forecast horizon ("next 3 months", "на квартал вперёд") and marks its tokens used.
pub(super) fn take_horizon(toks: &mut [Tok]) -> Option<Horizon> {
    for i in 0..toks.len() {
        let reader = Reader {
            toks,
            today: NaiveDate::MIN,
        };
        if let Some((horizon, end)) = reader.horizon_at(i) {
            for t in toks.iter_mut().take(end).skip(i) {
                t.used = true;
            }
            return Some(horizon);
        }
    }
    None
}

pub(super) fn this_month(today: NaiveDate) -> Period {
    Period {
        from: today.with_day(1).unwrap_or(today),
        to: today,
    }
}

struct Reader<'a> {
    toks: &'a [Tok],
    today: NaiveDate,
}

impl Reader<'_> {
    /// One period of any form at `i`: its end and, for relative ones, its unit.
    fn period_at(
        &self,
        i: usize,
        last_span: Option<Span>,
    ) -> Option<(Period, usize, Option<Span>)> {
        if let Some((p, end)) = self.to_date(i) {
            return Some((p, end, None));
        }
        if let Some((p, end)) = self.range(i) {
            return Some((p, end, None));
        }
        if let Some((p, end)) = self.since(i, last_span) {
            return Some((p, end, None));
        }
        self.single(i, last_span)
    }

    fn single(&self, i: usize, last_span: Option<Span>) -> Option<(Period, usize, Option<Span>)> {
        if let Some((spec, end)) = self.spec(i) {
            let (from, to) = self.resolve(spec, None)?;
            return Some((self.cut(from, to), end, None));
        }
        if let Some((from, end)) = self.named_day(i) {
            return Some((self.cut(from, from), end, None));
        }
        self.relative(i, last_span)
    }

    fn named_day(&self, i: usize) -> Option<(NaiveDate, usize)> {
        let w = self.word(i)?;
        let back = |days| self.today.checked_sub_days(Days::new(days));
        if word_in(w, "today сегодня сегодняшн*", false) {
            Some((self.today, i + 1))
        } else if w == "day" && self.is(i + 1, "before") && self.is(i + 2, "yesterday") {
            Some((back(2)?, i + 3))
        } else if word_in(w, "yesterday вчера вчерашн*", false) {
            Some((back(1)?, i + 1))
        } else if w == "позавчера" {
            Some((back(2)?, i + 1))
        } else {
            None
        }
    }

    /// "ytd", "mtd", "year to date", "с начала года", "since the start of the month".
    fn to_date(&self, i: usize) -> Option<(Period, usize)> {
        let w = self.word(i)?;
        let abbreviation = match w {
            "ytd" => Some(Span::Year),
            "qtd" => Some(Span::Quarter),
            "mtd" => Some(Span::Month),
            "wtd" => Some(Span::Week),
            _ => None,
        };
        if let Some(span) = abbreviation {
            return Some((self.current(span)?, i + 1));
        }
        // "year to date", "year-to-date".
        if let Some((span, _)) = self.span(i) {
            let mut j = i + 1;
            let skip_dash = |j: &mut usize| {
                if self.sign(*j) == Some('-') {
                    *j += 1;
                }
            };
            skip_dash(&mut j);
            if self.is(j, "to") {
                j += 1;
                skip_dash(&mut j);
                if self.is(j, "date") {
                    return Some((self.current(span)?, j + 1));
                }
            }
        }
        // "с начала (этого) года", "since the start of (the/this) year".
        let start_words = if word_in(w, "с со", false) && self.is(i + 1, "начала") {
            Some(i + 2)
        } else if word_in(w, "since from", false)
            && self.is(i + 1, "the")
            && self.is(i + 2, "start beginning")
            && self.is(i + 3, "of")
        {
            Some(i + 4)
        } else {
            None
        };
        let mut j = start_words?;
        if self.is(j, "the this этого текущего") {
            j += 1;
        }
        let (span, _) = self.span(j)?;
        Some((self.current(span)?, j + 1))
    }

    /// "с 1 по 15 марта", "from March 1 to March 15", "between 1 and 15 march", "1-15 марта",
    /// "с марта по май", "from 2026-03-01 to 2026-03-15".
    fn range(&self, i: usize) -> Option<(Period, usize)> {
        let between = self.is(i, "between между");
        let marker = between || self.is(i, "from с со от starting");
        let a_at = if marker { i + 1 } else { i };
        let (a, a_end) = match self.spec(a_at) {
            Some((spec, end)) => (Some(spec), end),
            None => (None, a_at + 1),
        };
        let bare_day = if a.is_none() {
            Some(self.day(a_at)?)
        } else {
            None
        };
        let dash = self.sign(a_end).is_some_and(|c| "-–—".contains(c));
        let link = dash
            || if between {
                self.is(a_end, "and и")
            } else {
                marker && self.is(a_end, "to till until through thru по до")
            };
        if !link {
            return None;
        }
        let (b, end) = self.spec(a_end + 1)?;
        let a = match (a, bare_day, b) {
            (Some(a), _, _) => a,
            (None, Some(d), Spec::Day { y, m, .. }) => Spec::Day { y, m, d },
            (None, Some(d), Spec::Date(date)) => Spec::Day {
                y: Some(date.year()),
                m: date.month(),
                d,
            },
            _ => return None,
        };
        let (from, _) = self.resolve(a, year_of(b))?;
        let (_, mut to) = self.resolve(b, Some(from.year()))?;
        if to < from && year_of(b).is_none() {
            to = self.resolve(b, Some(from.year() + 1))?.1;
        }
        (from <= to).then(|| (self.cut(from, to), end))
    }

    /// "since March 3", "с 3 марта", "с прошлого месяца", "starting from 2026-03-01": from
    /// that day to today.
    fn since(&self, i: usize, last_span: Option<Span>) -> Option<(Period, usize)> {
        let mut j = i;
        if self.is(j, "starting начиная") {
            j += 1;
        }
        let russian_with = self.is(j, "с со");
        if !(russian_with || self.is(j, "since from after")) {
            return None;
        }
        let (p, end, _) = self.single(j + 1, last_span)?;
        // "с" also means "with": "сравни март с февралём". Since takes the genitive ("с марта",
        // "с прошлого месяца"); the instrumental ends in -м / -ей / -ой. A bare year ("сравни
        // 2025 с 2024") is "with" too: "since" says "с 2024 года".
        let instrumental = end
            .checked_sub(1)
            .and_then(|e| self.word(e))
            .is_some_and(|last| {
                last.ends_with('м') || last.ends_with("ей") || last.ends_with("ой")
            });
        let bare_year = end == j + 2 && self.year(j + 1).is_some();
        if russian_with && (instrumental || bare_year) {
            return None;
        }
        Some((
            Period {
                from: p.from,
                to: self.today,
            },
            end,
        ))
    }

    /// "last week", "в прошлом месяце", "this quarter", "last 7 days", "за последние 2 недели",
    /// "за 30 дней", and "last" alone after another period ("this month vs last").
    fn relative(&self, i: usize, last_span: Option<Span>) -> Option<(Period, usize, Option<Span>)> {
        if self.is(i, "за") && self.count(i + 1).is_none() {
            // "за неделю", "за месяц": the last one up to today.
            let (span, _) = self.span(i + 1)?;
            return Some((self.rolling(1, span)?, i + 2, Some(span)));
        }
        if self.is(i, "за within") {
            let n = self.count(i + 1)?;
            let (span, counted) = self.span(i + 2)?;
            if span == Span::Quarter && !counted && n <= 4 {
                return None; // "за 1 квартал" is Q1.
            }
            return Some((self.rolling(n, span)?, i + 3, Some(span)));
        }
        let mut j = i;
        if self.is(j, "the") {
            j += 1;
        }
        let modifier = self.modifier(j)?;
        j += 1;
        let n = self.count(j);
        if n.is_some() {
            j += 1;
        }
        let Some((span, _)) = self.span(j) else {
            // Elliptic: "this month vs last", "сравни этот месяц с прошлым".
            let span = last_span?;
            let period_word = self.is(j, "period периода периодом период периоде");
            if modifier != Modifier::Last || n.is_some() || period_word {
                return None;
            }
            return Some((self.previous(span)?, j, Some(span)));
        };
        let period = match (modifier, n) {
            (Modifier::This, None) => self.current(span)?,
            (Modifier::Last, None) => self.previous(span)?,
            (Modifier::Recent, None) => self.rolling(1, span)?,
            (Modifier::Last | Modifier::Recent, Some(n)) => self.rolling(n, span)?,
            _ => return None,
        };
        Some((period, j + 1, Some(span)))
    }

    /// "next month", "next 3 months", "на квартал вперёд", "3 months ahead", "for 6 weeks".
    fn horizon_at(&self, i: usize) -> Option<(Horizon, usize)> {
        let mut j = i;
        if self.modifier(j) != Some(Modifier::Next) && !self.is(j, "на for") {
            let n = self.count(j)?;
            let (span, _) = self.span(j + 1)?;
            if !self.is(j + 2, "ahead вперед forward out") {
                return None;
            }
            return Some((horizon(n, span)?, j + 3));
        }
        j += 1;
        if self.is(j, "the") {
            j += 1;
        }
        if self.modifier(j) == Some(Modifier::Next) {
            j += 1;
        }
        let n = self.count(j);
        if n.is_some() {
            j += 1;
        }
        let (span, _) = self.span(j)?;
        let mut end = j + 1;
        if self.is(end, "ahead вперед forward") {
            end += 1;
        }
        Some((horizon(n.unwrap_or(1), span)?, end))
    }
}
