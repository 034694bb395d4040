//! Dates written with a month name: "March 3", "3 марта 2026", "1–15 марта", "в марте".

use chrono::NaiveDate;

use super::{Claim, DateClaim, Num, Tok, normalize, num_at, punct_at, word_at};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum MonthName {
    English,
    /// "May": also a verb.
    May,
    /// "Mar", "янв": only next to a number.
    Abbreviation,
    Russian,
}

fn month_name(word: &str) -> Option<(u32, MonthName)> {
    let lower = normalize(word);
    if let Some((m, _)) = crate::lexicon::russian_month(&lower) {
        return Some((m, MonthName::Russian));
    }
    let capitalised = word.chars().next().is_some_and(char::is_uppercase);
    for (m, words) in (1u32..).zip(&crate::lexicon::MONTHS) {
        if words.ru_abbr.contains(&lower.as_str()) {
            return Some((m, MonthName::Abbreviation));
        }
        if !capitalised {
            continue;
        }
        if lower == words.en {
            let kind = if m == 5 {
                MonthName::May
            } else {
                MonthName::English
            };
            return Some((m, kind));
        }
        if words.en_abbr.contains(&lower.as_str()) {
            return Some((m, MonthName::Abbreviation));
        }
    }
    None
}

/// The month named at `t` if it counts there, and the index of the token after it (past an
/// abbreviation's dot).
fn month_at(toks: &[Tok], t: usize) -> Option<(u32, usize)> {
    let (month, kind) = month_name(word_at(toks, t)?)?;
    let mut next = t + 1;
    if kind == MonthName::Abbreviation && punct_at(toks, next, &['.']) {
        next += 1;
    }
    let number_before = t.checked_sub(1).and_then(|p| num_at(toks, p)).is_some();
    let number_after = num_at(toks, next).is_some();
    let counts = match kind {
        MonthName::English | MonthName::Russian => true,
        MonthName::May => t > 0 || number_after,
        MonthName::Abbreviation => number_before || number_after,
    };
    counts.then_some((month, next))
}

fn date_claim(year: Option<i32>, month: u32, day: u32) -> Claim {
    // 2000 is a leap year, so "29 февраля" without a year exists.
    match NaiveDate::from_ymd_opt(year.unwrap_or(2000), month, day) {
        Some(d) if year.is_some() => Claim::Date(DateClaim::Day(d)),
        Some(_) => Claim::Date(DateClaim::DayMonth { month, day }),
        None => Claim::BadDate,
    }
}

/// A year at `t`, optionally after a comma ("March 3, 2026"); and the last token used.
fn year_at(toks: &[Tok], t: usize) -> Option<(i32, usize)> {
    if let Some(y) = num_at(toks, t).and_then(Num::year) {
        return Some((y, t));
    }
    if punct_at(toks, t, &[',']) {
        return num_at(toks, t + 1).and_then(Num::year).map(|y| (y, t + 1));
    }
    None
}

const DASHES: &[char] = &['-', '–', '—'];
const RANGE_WORDS: &[&str] = &["to", "and", "through", "till", "until", "по", "до", "и"];

fn range_link(toks: &[Tok], t: usize) -> bool {
    punct_at(toks, t, DASHES) || word_at(toks, t).is_some_and(|w| RANGE_WORDS.contains(&w))
}

/// "3 марта", "3rd of March 2026", "1–15 марта": a date that starts with its day at `t`.
pub(super) fn day_first_date(toks: &[Tok], t: usize) -> Option<(Vec<Claim>, usize)> {
    let day = num_at(toks, t)?.day()?;
    let mut days = vec![day];
    let mut m_at = t + 1;
    if range_link(toks, t + 1)
        && let Some(second) = num_at(toks, t + 2).and_then(Num::day)
    {
        days.push(second);
        m_at = t + 3;
    }
    if word_at(toks, m_at) == Some("of") {
        m_at += 1;
    }
    let (month, after) = month_at(toks, m_at)?;
    let (year, last) = match year_at(toks, after) {
        Some((y, last)) => (Some(y), last),
        None => (None, after - 1),
    };
    let claims = days.iter().map(|&d| date_claim(year, month, d)).collect();
    Some((claims, last))
}

/// "March 3", "March 3rd, 2026", "March 1-15", "марте 2026", "в марте": a date that starts with
/// its month at `t`.
pub(super) fn month_first_date(toks: &[Tok], t: usize) -> Option<(Vec<Claim>, usize)> {
    let (month, after) = month_at(toks, t)?;
    if let Some((year, last)) = year_at(toks, after).filter(|&(_, last)| last == after) {
        return Some((
            vec![Claim::Date(DateClaim::MonthYear { year, month })],
            last,
        ));
    }
    let Some(day) = num_at(toks, after).and_then(Num::day) else {
        return Some((vec![Claim::Date(DateClaim::Month(month))], after - 1));
    };
    let mut days = vec![day];
    let mut last = after;
    if range_link(toks, after + 1)
        && let Some(second) = num_at(toks, after + 2).and_then(Num::day)
    {
        days.push(second);
        last = after + 2;
    }
    let year = match year_at(toks, last + 1) {
        Some((y, l)) => {
            last = l;
            Some(y)
        }
        None => None,
    };
    let claims = days.iter().map(|&d| date_claim(year, month, d)).collect();
    Some((claims, last))
}
