//! The numbers and dates one sentence states, read as written, and its words for the name check.
//!
//! Digits: groups of three after a space (also NBSP U+00A0, narrow NBSP U+202F, thin space
//! U+2009), a comma or a dot ("1 240 000", "1,240,000", "1.240.000"); with two kinds of
//! separator the last one is the decimal mark ("1,240,000.50", "1 240 000,50"). One comma or dot
//! followed by exactly three digits, after one to three digits that do not start with 0, may be
//! either ("1,240" is 1240 in English and 1.240 in Russian): both readings are kept and either
//! may match. Otherwise a single comma or dot is a decimal mark ("12,5", "1.24"). Anything else
//! ("1.2.3") cannot be read and is never supported.
//!
//! After the digits: a scale, attached or after one space (k, K, к, тыс, thousand, тысяч…:
//! 10³; M, m, mn, mln, млн, million, миллион…: 10⁶; B, bn, bln, млрд, billion, миллиард…: 10⁹)
//! multiplies the value and the precision ("1.24M" is 1 240 000 to the nearest 10 000); an
//! ordinal ending ("3rd", "5-й", "1990-х"), "x" ("2x"), "pp" or "г" leaves the number as it is.
//! A minus (`-` or U+2212) right before the digits, at the start or after a space or bracket,
//! makes it negative.
//! A "%" after the number, or the word percent / per cent / pct / процент (any form), marks it
//! as a percentage, which only a percentage fact supports. Currency signs and codes are
//! ignored: the value is compared as written. Digits glued
//! after letters, or followed by letters that are none of the above ("Q1", "B2B", "1С"), are
//! names of things, not figures, and are not checked.
//!
//! Number words: English zero to nineteen, the tens, "hundred", "thousand", "million",
//! "billion" and their compounds ("twenty-one", "three hundred and five", "a million"); Russian
//! 0–19, the tens and the hundreds in their usual case forms ("двенадцать", "двенадцати",
//! "трёх", "двухсот"), "двое"…"пятеро", "полтора", and тысяча / миллион / миллиард in every case.
//! A lone "one" / "один" (and its forms) is a pronoun as often as a number ("one of", "ни один")
//! and is not a claim. A lone plural scale ("thousands", "тысячи клиентов") is vague and is not
//! a claim; a singular one ("a thousand", "миллион") is 1 of that scale. Ordinal words ("third",
//! "третий") and fractions ("half", "треть") are not read.
//!
//! Dates: ISO `2026-03-01` and `2026-03`, `01.03.2026`; a day and a month in either order
//! ("March 3", "March 3rd, 2026", "3rd of March", "3 March", "3 марта 2026"), day ranges ("1–15
//! марта", "March 1-15"); a month and a year ("March 2026", "марте 2026"); a month alone ("in
//! March", "в марте"). English month names count only when capitalised (so "march" the verb is
//! a word); "May" also needs a number next to it or not to start the sentence; abbreviations
//! ("Mar", "янв") need a number next to them. A plain integer from 1900 to 2100 may be a year.

use chrono::NaiveDate;

mod dates;
mod digits;
#[cfg(test)]
mod tests;
mod words;

use dates::{day_first_date, month_first_date};
use digits::tokenize;
use words::number_words;

/// One way to read a written number: the value (never negative; the sign is kept apart) and the
/// unit of its last written digit, scale included ("1.24M": 1 240 000 and 10 000).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Reading {
    pub value: f64,
    pub unit: f64,
}

/// What a mention claims.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Claim {
    /// A number with one or two readings; `year` when it is a plain integer from 1900 to 2100;
    /// `percent` when written as a percentage ("12.5 %", "twelve percent").
    Number {
        readings: Vec<Reading>,
        negative: bool,
        year: Option<i32>,
        percent: bool,
    },
    /// A number that cannot be read ("1.2.3").
    BadNumber,
    Date(DateClaim),
    /// A date that does not exist ("2026-02-30", "31 июня").
    BadDate,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum DateClaim {
    Day(NaiveDate),
    DayMonth { month: u32, day: u32 },
    MonthYear { year: i32, month: u32 },
    Month(u32),
}

/// A claim and the text that makes it, as written.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Mention {
    pub claim: Claim,
    pub text: String,
}

/// A word of the sentence, for the name check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Word {
    pub text: String,
    /// Starts the sentence (only punctuation before it) or follows a colon.
    pub first: bool,
    /// Comes right after another word (only spaces and quotes between).
    pub follows_word: bool,
    /// Part of a number or a date mention.
    pub used: bool,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct Scan {
    pub mentions: Vec<Mention>,
    pub words: Vec<Word>,
}

/// Reads the claims and words of one sentence.
pub(super) fn scan(sentence: &str) -> Scan {
    let cs: Vec<char> = sentence.chars().collect();
    let toks = tokenize(&cs);
    let mut used = vec![false; toks.len()];
    let mut mentions: Vec<Mention> = Vec::new();
    // The last mention's last token, and the index of its first claim.
    let mut previous: Option<(usize, usize)> = None;
    let mut t = 0;
    while t < toks.len() {
        let found = match toks.get(t).map(|tok| &tok.kind) {
            Some(Kind::Date(claim)) => Some((vec![claim.clone()], t)),
            Some(Kind::Num(num)) => {
                day_first_date(&toks, t).or_else(|| Some((vec![num.claim()], t)))
            }
            Some(Kind::Word(_)) => month_first_date(&toks, t).or_else(|| number_words(&toks, t)),
            _ => None,
        };
        let Some((mut claims, mut last)) = found else {
            t += 1;
            continue;
        };
        if let Some(end) = percent_sign(&toks, last + 1)
            && claims.iter().any(|c| matches!(c, Claim::Number { .. }))
        {
            claims.iter_mut().for_each(as_percent);
            last = end;
            // The first number of a range shares the sign: "10–12 %", "from 10 to 12 percent".
            if let Some((prev_last, from)) = previous
                && range_between(&toks, prev_last + 1, t)
            {
                mentions
                    .iter_mut()
                    .skip(from)
                    .for_each(|m| as_percent(&mut m.claim));
            }
        }
        previous = Some((last, mentions.len()));
        let text = text_of(&cs, &toks, t, last);
        mentions.extend(claims.into_iter().map(|claim| Mention {
            claim,
            text: text.clone(),
        }));
        for u in used.iter_mut().take(last + 1).skip(t) {
            *u = true;
        }
        t = last + 1;
    }
    let mut words = Vec::new();
    let mut seen_content = false;
    for (t, tok) in toks.iter().enumerate() {
        let prev = t.checked_sub(1).and_then(|p| toks.get(p)).map(|p| &p.kind);
        if let Kind::Word(text) = &tok.kind {
            words.push(Word {
                text: text.clone(),
                first: !seen_content || matches!(prev, Some(Kind::Punct(':'))),
                follows_word: matches!(prev, Some(Kind::Word(_))),
                used: used.get(t).copied().unwrap_or(false),
            });
        }
        seen_content |= !matches!(tok.kind, Kind::Punct(_));
    }
    Scan { mentions, words }
}

#[derive(Clone, Debug, PartialEq)]
enum Kind {
    Word(String),
    Num(Num),
    Date(Claim),
    /// Letters and digits together ("Q1", "B2B"): not checked.
    Opaque,
    Punct(char),
}

#[derive(Clone, Debug, PartialEq)]
struct Tok {
    kind: Kind,
    /// Char offsets in the sentence.
    start: usize,
    end: usize,
}

#[derive(Clone, Debug, PartialEq)]
struct Num {
    /// Empty when the digits cannot be read.
    readings: Vec<Reading>,
    negative: bool,
    /// The value when written as 1–4 bare digits (an ordinal ending allowed): a day or a year.
    plain: Option<u32>,
    /// How many digits `plain` was written with.
    digits: usize,
}

impl Num {
    fn claim(&self) -> Claim {
        if self.readings.is_empty() {
            return Claim::BadNumber;
        }
        let year = match self.plain {
            Some(y) if self.digits == 4 && !self.negative && (1900..=2100).contains(&y) => {
                i32::try_from(y).ok()
            }
            _ => None,
        };
        Claim::Number {
            readings: self.readings.clone(),
            negative: self.negative,
            year,
            percent: false,
        }
    }

    fn day(&self) -> Option<u32> {
        self.plain
            .filter(|d| self.digits <= 2 && (1..=31).contains(d))
    }

    fn year(&self) -> Option<i32> {
        self.plain
            .filter(|y| self.digits == 4 && (1900..=2100).contains(y))
            .and_then(|y| i32::try_from(y).ok())
    }
}

/// The last token of a percent sign or word starting at token `t`: "%", "percent",
/// "percentage", "pct", "per cent", "процент" in any form, "проц.".
fn percent_sign(toks: &[Tok], t: usize) -> Option<usize> {
    if punct_at(toks, t, &['%', '٪']) {
        return Some(t);
    }
    let word = normalize(word_at(toks, t)?);
    if matches!(word.as_str(), "percent" | "percentage" | "pct" | "проц")
        || word.starts_with("процент")
    {
        return Some(t);
    }
    (word == "per" && word_at(toks, t + 1).is_some_and(|w| normalize(w) == "cent")).then_some(t + 1)
}

/// Marks a number as written as a percentage (a percentage is never a year).
fn as_percent(claim: &mut Claim) {
    if let Claim::Number { percent, year, .. } = claim {
        *percent = true;
        *year = None;
    }
}

/// Whether the tokens `from..to` join two numbers into a range: a dash, or "to", "and",
/// "or", "до", "и", "или".
fn range_between(toks: &[Tok], from: usize, to: usize) -> bool {
    from < to
        && (from..to).all(|i| {
            punct_at(toks, i, &['-', '–', '—'])
                || word_at(toks, i).is_some_and(|w| {
                    matches!(
                        normalize(w).as_str(),
                        "to" | "and" | "or" | "до" | "и" | "или"
                    )
                })
        })
}

/// Lower case, ё as е.
pub(super) fn normalize(word: &str) -> String {
    word.to_lowercase().replace('ё', "е")
}

fn text_of(cs: &[char], toks: &[Tok], first: usize, last: usize) -> String {
    let start = toks.get(first).map_or(0, |t| t.start);
    let end = toks.get(last).map_or(start, |t| t.end);
    cs.get(start..end).unwrap_or_default().iter().collect()
}

fn word_at(toks: &[Tok], t: usize) -> Option<&str> {
    match toks.get(t).map(|tok| &tok.kind) {
        Some(Kind::Word(w)) => Some(w),
        _ => None,
    }
}

fn num_at(toks: &[Tok], t: usize) -> Option<&Num> {
    match toks.get(t).map(|tok| &tok.kind) {
        Some(Kind::Num(n)) => Some(n),
        _ => None,
    }
}

fn punct_at(toks: &[Tok], t: usize, chars: &[char]) -> bool {
    matches!(toks.get(t).map(|tok| &tok.kind), Some(Kind::Punct(c)) if chars.contains(c))
}
