//! Reading a chat question: which analytics tool answers it, and with which arguments.
//!
//! A 135M-parameter model cannot pick tools reliably, so our own code does: [`recognise`] reads
//! a question typed in English or Russian (lower case, typos, mixed languages) and returns an
//! [`Intent`] with its arguments resolved against a given `today` (the company's local date).
//! Client names stay as typed ([`Intent::Client`], [`Filters::client`]); the caller looks them
//! up among the company's clients with [`names::match_client`], which knows Russian case endings
//! ("Иванову", "у Петровой") and small typos.
//!
//! Plain text in, plain data out: no I/O, no errors, bounded work (questions are cut to
//! [`MAX_QUESTION_CHARS`]).
//!
//! How a question is read, in this order (each step marks the tokens it used):
//! 1. periods (`periods`): "last week", "в марте прошлого года", "с 1 по 15 марта", "Q1", "ytd",
//!    "за последние 30 дней", ISO and dotted dates; then a forecast horizon ("next quarter");
//! 2. amounts and currencies (`money`): "over 5k", "от 500 до 2000 ₽", "in euros";
//! 3. keywords and stop words (`words`), phrases first, then words exactly, then words with one
//!    typo (keys of five letters or more); then a top-N count next to a "top"/"clients" word;
//! 4. the words nothing read name a client (or a quoted string does), as typed.
//!
//! The intent is then the first that fits, in this order: out of scope (weather, poems, jokes:
//! even when sales are mentioned), at risk, likely buyers, forecast (a forecast word, or a
//! horizon such as "next month"), report (report, trends, recommendations), compare, top
//! clients, figures (revenue, sales, orders, "how much", buying), client summary ("tell me
//! about", "что с", "клиент" and a name), top clients (client words alone), help (greetings,
//! "what can you do", an empty question), figures (a period alone). Anything else, a bare name
//! or gibberish included, is out of scope.

mod money;
pub mod names;
mod periods;
mod text;
mod words;

#[cfg(test)]
mod tests;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Longest question read, in characters; the rest is ignored.
pub const MAX_QUESTION_CHARS: usize = 500;
/// Largest top-N a question may ask for; larger asks are cut to it.
pub const MAX_TOP: u32 = 50;
/// Top-N when a question names none.
pub const DEFAULT_TOP: u32 = 5;

/// The language a question is written in: Russian when most of its letters are Cyrillic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Language {
    En,
    Ru,
}

/// Days, first and last inclusive, in the company's time zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// The unit of a forecast's horizon.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Unit {
    Day,
    Week,
    Month,
}

/// How far ahead a forecast reaches: `count` periods of `unit` after the current one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Horizon {
    pub count: u32,
    pub unit: Unit,
}

/// The three report types of the report screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReportType {
    General,
    Trends,
    Recommendations,
}

/// Which sales a question is about, beyond its period.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filters {
    /// ISO 4217 code ("EUR" from "euros", "евро", "€", "eur").
    pub currency: Option<String>,
    /// Smallest sale amount, inclusive, in hundredths of a major unit ("over 1000" → 100000).
    pub amount_min: Option<i64>,
    /// Largest sale amount, inclusive, in hundredths of a major unit.
    pub amount_max: Option<i64>,
    /// A client's name as typed ("Иванову", "acme"), to be matched by [`names::match_client`].
    pub client: Option<String>,
}

/// What a question asks, with its arguments.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Intent {
    /// Revenue, number of sales, average order value and buyers for a period.
    Figures { period: Period, filters: Filters },
    /// The same figures for two periods side by side; `against` is `None` for "the previous
    /// period of the same length".
    Compare {
        period: Period,
        against: Option<Period>,
        filters: Filters,
    },
    /// The `n` clients who bought the most in a period.
    TopClients {
        period: Period,
        n: u32,
        filters: Filters,
    },
    /// One client's summary: purchases, last purchase, still buying or not, next step.
    Client { name: String },
    /// The `n` most valuable clients likely to have stopped buying.
    AtRisk { n: u32 },
    /// The `n` clients most likely to buy soon.
    LikelyBuyers { n: u32 },
    /// Revenue forecast for the periods ahead.
    Forecast { horizon: Horizon },
    /// A whole report of a type over a period.
    Report { kind: ReportType, period: Period },
    /// A greeting or "what can you do": answered with example questions.
    Help,
    /// Not about the company's sales data ("what's the weather", "write me a poem").
    OutOfScope,
}

/// A question read: its language and its intent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Recognised {
    pub language: Language,
    pub intent: Intent,
}

/// The language `question` is written in (what [`recognise`] reports), without reading the
/// rest of it.
pub fn language(question: &str) -> Language {
    if text::is_russian(question) {
        Language::Ru
    } else {
        Language::En
    }
}

/// Reads `question` against `today` (the company's local date).
///
/// Periods are resolved to days (weeks start on Monday, a period ending after today is cut to
/// today). When a question names no period, [`Intent::Figures`], [`Intent::TopClients`],
/// [`Intent::Compare`] and [`Intent::Report`] get this month to date (the 1st to `today`). A
/// compare with one period takes it as `against` when it follows "vs", "compared to" or "по
/// сравнению с" (the period is then this month to date), else as `period` with `against: None`;
/// with two periods, the first is `period` and the second `against`. Top-N defaults to
/// [`DEFAULT_TOP`] and is cut to 1..=[`MAX_TOP`]; a forecast's horizon defaults to three months.
pub fn recognise(question: &str, today: NaiveDate) -> Recognised {
    use words::Concept::{self, *};

    let text: String = question.chars().take(MAX_QUESTION_CHARS).collect();
    let language = language(&text);
    let mut toks = text::tokenize(&text);
    let empty = !toks.iter().any(|t| {
        matches!(
            t.kind,
            text::Kind::Word | text::Kind::Num(_) | text::Kind::Quoted
        )
    });
    let periods = periods::take_periods(&mut toks, today);
    let horizon = periods::take_horizon(&mut toks);
    let money = money::take_money(&mut toks);
    let found = words::classify(&mut toks);
    let n = words::take_count(&mut toks, &found)
        .unwrap_or(DEFAULT_TOP)
        .clamp(1, MAX_TOP);
    let name = words::client_name(&toks);

    let has = |c: Concept| found.contains(&Some(c));
    let period = periods
        .first()
        .map_or_else(|| periods::this_month(today), |f| f.period);
    let filters = Filters {
        currency: money.currency.map(str::to_owned),
        amount_min: money.min,
        amount_max: money.max,
        client: name.clone(),
    };
    let horizon_or_default = horizon.unwrap_or(Horizon {
        count: 3,
        unit: Unit::Month,
    });
    let figures = [Money, Average, Orders, Buy, HowMuch].into_iter().any(has);
    let intent = if has(Out) {
        Intent::OutOfScope
    } else if has(Risk) {
        Intent::AtRisk { n }
    } else if has(Likely) {
        Intent::LikelyBuyers { n }
    } else if has(Forecast)
        || (has(Future) && figures)
        || (horizon.is_some() && ![Compare, Against, Top].into_iter().any(has))
    {
        Intent::Forecast {
            horizon: horizon_or_default,
        }
    } else if has(Report) || has(Trends) || has(Advice) {
        let kind = if has(Trends) {
            ReportType::Trends
        } else if has(Advice) {
            ReportType::Recommendations
        } else {
            ReportType::General
        };
        Intent::Report { kind, period }
    } else if has(Compare) || has(Against) {
        let against_at = found.iter().position(|f| *f == Some(Against));
        let (period, against) = match periods.as_slice() {
            [] => (period, None),
            [one] if against_at.is_some_and(|a| one.at > a) => {
                (periods::this_month(today), Some(one.period))
            }
            [one] => (one.period, None),
            [first, second, ..] => (first.period, Some(second.period)),
        };
        Intent::Compare {
            period,
            against,
            filters,
        }
    } else if has(Top) {
        Intent::TopClients {
            period,
            n,
            filters: Filters {
                client: None,
                ..filters
            },
        }
    } else if figures {
        Intent::Figures { period, filters }
    } else if let Some(name) = name.filter(|_| has(About) || has(Clients)) {
        Intent::Client { name }
    } else if has(Clients) {
        Intent::TopClients {
            period,
            n,
            filters: Filters {
                client: None,
                ..filters
            },
        }
    } else if has(Help) || empty {
        Intent::Help
    } else if !periods.is_empty() {
        Intent::Figures { period, filters }
    } else {
        Intent::OutOfScope
    };
    Recognised { language, intent }
}
