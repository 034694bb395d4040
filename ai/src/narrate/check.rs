//! The number checker: keeps the sentences of a generated narrative whose every number, date
//! and client name is one of the facts, and drops the others.
//!
//! ```
//! use crm_ai::narrate::check::{filter, Facts, Reason};
//! use chrono::NaiveDate;
//!
//! let facts = Facts::default()
//!     .number(1_236_412.0)
//!     .ratio(0.125)
//!     .number(9.0)
//!     .date(NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default())
//!     .name("Иван Петров");
//! let checked = filter(
//!     "Revenue reached $1.24M in March 2026, up 12.5%. Ивану Петрову стоит позвонить. \
//!      Globex Industries bought 40 units. Churn hit 9%.",
//!     &facts,
//! );
//! assert_eq!(checked.kept_sentences, 2);
//! assert_eq!(checked.dropped[0].reason, Reason::Number("40".into()));
//! assert_eq!(checked.dropped[1].reason, Reason::Number("9%".into()));
//! assert!(checked.usable(2));
//! ```
//!
//! Rules, in the order a sentence is checked:
//! 1. **Numbers** (digits in English and Russian formats, number words) match a fact
//!    number when the fact rounds to them at the precision they were written: |fact − value| ≤
//!    half a unit of the last written digit, scale included. "1.24M" matches 1 236 000 but not
//!    1 300 000; "1 240 000" matches only 1 239 999.5 to 1 240 000.5; "12.5 %" matches 12.46.
//!    A number written with a minus must match the fact's sign; one written without a sign
//!    matches a fact of either sign, because the words carry it ("fell by 12 %" for −12).
//!    A number written as a percentage ("12.5 %", "12.5 percent", "двенадцать процентов")
//!    matches only a percentage fact, [`Facts::percent`] (12.5) or [`Facts::ratio`] (0.125,
//!    which "12.5 %" and the plain "0.125" then both match), and any other number only a plain
//!    fact: "9 %" is not the 9 sales of the facts. Currencies and other units are not compared.
//!    A plain integer from 1900 to 2100 also matches the year of a fact date.
//!    A number matches any fact, not only the one its sentence is about: the check catches
//!    invented figures, not a true figure put in the wrong place.
//! 2. **Dates** match a fact date: a full date the same day; a day and month ("3 марта") any
//!    fact date on that day of that month; a month and year ("March 2026") any fact date in that
//!    month; a month alone ("в марте") any fact date in that month of any year.
//! 3. **Names** (capitalised words that are not common words) match when one fact name holds
//!    every word, compared case-insensitively and by stem in Russian (Петрову matches
//!    "Иван Петров"). Transliterations do not match (Smirnova is not Смирнова).
//!
//! The first mention that fails is the reason the sentence is dropped. How the text is cut into
//! sentences and what counts as a number, a date and a name (including the two readings of
//! "1,240": 1240 or 1.240, either may match) are in the [`super`] module docs.
//!
//! Work is bounded: only the first [`MAX_TEXT_BYTES`] of the text are read; the sentence the
//! limit cuts and everything after it are dropped with [`Reason::BeyondLimit`]. The check never
//! panics and has no error: text it cannot read is dropped.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::mentions::{Claim, DateClaim, Reading, scan};
use super::names::{Known, candidates};
use super::sentences::split;

/// How much text [`filter`] reads, in bytes (UTF-8). A narrative is a few sentences; a model that
/// runs on does not get its tail shown unchecked.
pub const MAX_TEXT_BYTES: usize = 8 * 1024;

/// What the narrative may state: the figures, dates and names the caller computed and showed.
///
/// Numbers are values in the unit the text shows them in (money in major units: 1 240 000.0
/// rubles, not kopecks); percentages are kept apart (12.5 for 12.5 %); non-finite values are
/// ignored. Anything the
/// prompt gave the model and the text may repeat belongs here too: the period length (12 months),
/// the size of a top list (5), a city.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Facts {
    numbers: Vec<f64>,
    percents: Vec<f64>,
    dates: Vec<NaiveDate>,
    names: Vec<String>,
}

impl Facts {
    /// Adds a number.
    #[must_use]
    pub fn number(mut self, value: f64) -> Self {
        self.push_number(value);
        self
    }

    /// Adds a percentage (12.5 for 12.5 %, or a change of 12.5 percentage points): only a
    /// number written as a percentage matches it.
    #[must_use]
    pub fn percent(mut self, value: f64) -> Self {
        self.push_percent(value);
        self
    }

    /// Adds a ratio (0.125): the text may state it as a ratio or as a percentage (12.5 %).
    #[must_use]
    pub fn ratio(mut self, ratio: f64) -> Self {
        self.push_ratio(ratio);
        self
    }

    /// Adds a date.
    #[must_use]
    pub fn date(mut self, date: NaiveDate) -> Self {
        self.push_date(date);
        self
    }

    /// Adds a client's (or any proper) name, as the CRM holds it: "Иван Петров", "ООО «Ромашка»".
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.push_name(name);
        self
    }

    pub fn push_number(&mut self, value: f64) {
        if value.is_finite() {
            self.numbers.push(value);
        }
    }

    pub fn push_percent(&mut self, value: f64) {
        if value.is_finite() {
            self.percents.push(value);
        }
    }

    pub fn push_ratio(&mut self, ratio: f64) {
        self.push_number(ratio);
        self.push_percent(ratio * 100.0);
    }

    pub fn push_date(&mut self, date: NaiveDate) {
        self.dates.push(date);
    }

    pub fn push_name(&mut self, name: impl Into<String>) {
        self.names.push(name.into());
    }

    /// The plain numbers, ratios included as written (0.125).
    pub fn numbers(&self) -> &[f64] {
        &self.numbers
    }

    /// The percentages, ratios included as percentages (12.5).
    pub fn percents(&self) -> &[f64] {
        &self.percents
    }

    pub fn dates(&self) -> &[NaiveDate] {
        &self.dates
    }

    pub fn names(&self) -> &[String] {
        &self.names
    }
}

/// Why a sentence was dropped: the first mention no fact supports, as written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "mention", rename_all = "snake_case")]
pub enum Reason {
    /// A number ("1.3M", "сорок"), or digits that cannot be read ("1.2.3").
    Number(String),
    /// A date, or a date that does not exist ("2026-02-30").
    Date(String),
    /// A name ("Globex Industries").
    Name(String),
    /// Past [`MAX_TEXT_BYTES`]: not read, so not shown.
    BeyondLimit,
}

/// A sentence left out, with why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Dropped {
    /// As written (trimmed). For [`Reason::BeyondLimit`], the unread rest of the text, itself cut
    /// to [`MAX_TEXT_BYTES`].
    pub sentence: String,
    pub reason: Reason,
}

/// The outcome of [`filter`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Checked {
    /// The kept sentences as written, in order. Two kept sentences are joined by the widest run of
    /// line breaks between consecutive sentences from one to the other in the text (at most two),
    /// or by one space when there was none. Empty when nothing was kept.
    pub kept: String,
    pub kept_sentences: usize,
    /// The dropped sentences, in order.
    pub dropped: Vec<Dropped>,
}

impl Checked {
    /// The number of kept sentences below which a narrative is not worth showing, for callers
    /// with no better figure.
    pub const MIN_SENTENCES: usize = 2;

    /// Whether the kept text is worth showing beside the template text: at least
    /// `min_sentences` sentences (and at least one) were kept, and no fewer than were dropped.
    /// A model that got most of its claims wrong is not trusted with the rest, which often
    /// leans on what was dropped ("This is because…").
    pub fn usable(&self, min_sentences: usize) -> bool {
        self.kept_sentences >= min_sentences.max(1) && self.kept_sentences >= self.dropped.len()
    }
}

/// Keeps the sentences of `text` that only state what `facts` hold; see the module docs for
/// the rules. Reads at most [`MAX_TEXT_BYTES`] of `text`.
pub fn filter(text: &str, facts: &Facts) -> Checked {
    let mut cut = text.len().min(MAX_TEXT_BYTES);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let head = text.get(..cut).unwrap_or_default();
    let mut sentences = split(head);
    let tail_from = (cut < text.len()).then(|| sentences.pop().map_or(cut, |s| s.start));

    let known = Known::new(&facts.names);
    let mut out = Checked::default();
    let mut previous_end = None;
    // The widest break between the last kept sentence and the next, dropped ones in between.
    let mut line_breaks = 0;
    for sentence in sentences {
        if let Some(end) = previous_end {
            let gap = text.get(end..sentence.start).unwrap_or_default();
            line_breaks = line_breaks.max(gap.matches('\n').count());
        }
        previous_end = Some(sentence.end);
        if let Some(reason) = unsupported(sentence.body, facts, &known) {
            out.dropped.push(Dropped {
                sentence: sentence.text.to_owned(),
                reason,
            });
            continue;
        }
        if out.kept_sentences > 0 {
            match line_breaks {
                0 => out.kept.push(' '),
                1 => out.kept.push('\n'),
                _ => out.kept.push_str("\n\n"),
            }
        }
        line_breaks = 0;
        out.kept.push_str(sentence.text);
        out.kept_sentences += 1;
    }
    if let Some(from) = tail_from {
        let tail = text.get(from..).unwrap_or_default().trim();
        let mut end = tail.len().min(MAX_TEXT_BYTES);
        while !tail.is_char_boundary(end) {
            end -= 1;
        }
        if !tail.is_empty() {
            out.dropped.push(Dropped {
                sentence: tail.get(..end).unwrap_or_default().to_owned(),
                reason: Reason::BeyondLimit,
            });
        }
    }
    out
}

/// The first claim of `sentence` the facts do not support.
fn unsupported(sentence: &str, facts: &Facts, known: &Known) -> Option<Reason> {
    let scanned = scan(sentence);
    for mention in &scanned.mentions {
        let (supported, reason): (bool, fn(String) -> Reason) = match &mention.claim {
            Claim::Number {
                readings,
                negative,
                year,
                percent,
            } => (
                number_supported(readings, *negative, *year, *percent, facts),
                Reason::Number,
            ),
            Claim::BadNumber => (false, Reason::Number),
            Claim::Date(date) => (date_supported(*date, &facts.dates), Reason::Date),
            Claim::BadDate => (false, Reason::Date),
        };
        if !supported {
            return Some(reason(mention.text.clone()));
        }
    }
    candidates(&scanned.words)
        .into_iter()
        .find(|c| !known.knows(c))
        .map(|c| Reason::Name(c.text))
}

fn number_supported(
    readings: &[Reading],
    negative: bool,
    year: Option<i32>,
    percent: bool,
    facts: &Facts,
) -> bool {
    let matches = |fact: f64, r: &Reading| {
        // Half the last written digit, and room for the float error of both values.
        let tolerance = r.unit / 2.0 + 1e-9 * fact.abs().max(r.value).max(1.0);
        if negative {
            (fact + r.value).abs() <= tolerance
        } else {
            (fact.abs() - r.value).abs() <= tolerance
        }
    };
    let candidates = if percent {
        &facts.percents
    } else {
        &facts.numbers
    };
    readings
        .iter()
        .any(|r| candidates.iter().any(|&fact| matches(fact, r)))
        || year.is_some_and(|y| facts.dates.iter().any(|d| d.year() == y))
}

fn date_supported(claim: DateClaim, dates: &[NaiveDate]) -> bool {
    dates.iter().any(|d| match claim {
        DateClaim::Day(day) => *d == day,
        DateClaim::DayMonth { month, day } => d.month() == month && d.day() == day,
        DateClaim::MonthYear { year, month } => d.year() == year && d.month() == month,
        DateClaim::Month(month) => d.month() == month,
    })
}
