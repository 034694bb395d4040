//! The fact sheet: what a report computed, as the compact list of lines the model reads and as
//! the [`Facts`] its text is checked against. Every line the model sees is a fact it may repeat.
//!
//! ```
//! use crm_ai::narrate::sheet::{FactSheet, Language};
//! use chrono::NaiveDate;
//!
//! let mut sheet = FactSheet::new("general sales report");
//! let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap_or_default();
//! sheet.period("Period", day(1, 1), day(3, 31));
//! sheet.money("Revenue", 1_236_412.5, "RUB");
//! sheet.percent("Revenue change on the previous period", 12.46);
//! sheet.name("Top client", "Иван Петров");
//! assert!(sheet.render().contains("- Revenue: 1,236,412.50 RUB\n"));
//! assert!(sheet.render().contains("- Revenue change on the previous period: +12.5%\n"));
//! assert_eq!(sheet.messages(Language::En).len(), 2);
//! assert_eq!(sheet.facts().names(), ["Иван Петров"]);
//! ```
//!
//! Numbers are written the way a model copies most faithfully: digits grouped by commas, a dot
//! before decimals, currency codes after the amount, percentages with a sign and one decimal,
//! dates in ISO 8601. The checker reads the other formats a model may turn them into
//! ("1.24M", "12,5 %").

use chrono::NaiveDate;

use super::check::Facts;
use crate::llm::ChatMessage;

/// Most lines a sheet holds; further lines are not added (the prompt stays small, and a small
/// model loses the thread in a long one).
pub const MAX_LINES: usize = 32;
/// Longest label or text value kept, in characters.
pub const MAX_VALUE_CHARS: usize = 120;

/// The language the narrative is asked in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Language {
    En,
    Ru,
}

/// Facts for one narrative: lines for the prompt and [`Facts`] for the checker, always added
/// together.
#[derive(Clone, Debug, Default)]
pub struct FactSheet {
    subject: String,
    lines: Vec<String>,
    facts: Facts,
}

impl FactSheet {
    /// An empty sheet about `subject` ("general sales report").
    pub fn new(subject: &str) -> Self {
        Self {
            subject: clip(subject),
            ..Self::default()
        }
    }

    /// An amount of money in major units ("Revenue: 1,236,412.50 RUB"); whole amounts are
    /// written without decimals.
    pub fn money(&mut self, label: &str, major: f64, currency: &str) {
        let digits = if (major - major.round()).abs() < 0.005 {
            0
        } else {
            2
        };
        self.number_line(label, major, digits, &format!(" {}", clip(currency)));
    }

    /// A count ("Sales: 1,204").
    pub fn count(&mut self, label: &str, n: i64) {
        // Counts in a report (sales, clients) stay far below i32::MAX.
        self.number_line(
            label,
            f64::from(i32::try_from(n).unwrap_or(i32::MAX)),
            0,
            "",
        );
    }

    /// A plain number with `digits` decimals ("MASE: 0.84").
    pub fn decimal(&mut self, label: &str, value: f64, digits: usize) {
        self.number_line(label, value, digits, "");
    }

    /// A percentage given as a percentage (12.46 → "+12.5%"); a change has its sign written.
    pub fn percent(&mut self, label: &str, value: f64) {
        if !value.is_finite() || !self.has_room() {
            return;
        }
        let sign = if value > 0.0 { "+" } else { "" };
        self.lines
            .push(format!("{}: {sign}{}%", clip(label), grouped(value, 1)));
        self.facts.push_percent(value);
    }

    /// A share given as a ratio (0.82 → "82.0%"); the text may give it either way.
    pub fn share(&mut self, label: &str, ratio: f64) {
        if !ratio.is_finite() || !self.has_room() {
            return;
        }
        self.lines
            .push(format!("{}: {}%", clip(label), grouped(ratio * 100.0, 1)));
        self.facts.push_ratio(ratio);
    }

    /// A day ("Last purchase: 2026-03-01").
    pub fn date(&mut self, label: &str, day: NaiveDate) {
        if !self.has_room() {
            return;
        }
        self.lines.push(format!("{}: {day}", clip(label)));
        self.facts.push_date(day);
    }

    /// A period, both days inclusive ("Period: 2026-01-01 to 2026-03-31").
    pub fn period(&mut self, label: &str, from: NaiveDate, to: NaiveDate) {
        if !self.has_room() {
            return;
        }
        self.lines.push(format!("{}: {from} to {to}", clip(label)));
        self.facts.push_date(from);
        self.facts.push_date(to);
    }

    /// A client's or a segment's name ("Top client: Иван Петров").
    pub fn name(&mut self, label: &str, name: &str) {
        if !self.has_room() {
            return;
        }
        let name = clip(name);
        self.lines.push(format!("{}: {name}", clip(label)));
        self.facts.push_name(name);
    }

    /// A finding in words, with no figure of its own ("Revenue follows a clear season").
    pub fn note(&mut self, text: &str) {
        if self.has_room() {
            self.lines.push(clip(text));
        }
    }

    /// What the narrative may state.
    pub fn facts(&self) -> &Facts {
        &self.facts
    }

    /// The lines as the model reads them: a heading, then one "- label: value" line each.
    pub fn render(&self) -> String {
        let mut out = format!("Facts of the {}:\n", self.subject);
        for line in &self.lines {
            out.push_str("- ");
            out.push_str(line);
            out.push('\n');
        }
        out
    }

    /// The chat to send: an instruction to comment on the facts alone, in `language`, in two or
    /// three sentences, then the sheet.
    pub fn messages(&self, language: Language) -> Vec<ChatMessage> {
        let system = match language {
            Language::En => {
                "You are a careful sales analyst. Comment on the report in two or three short \
                 sentences of plain English: what went well, what needs attention. Use only the \
                 facts given and copy their numbers exactly. Do not add any other number, date \
                 or name."
            }
            Language::Ru => {
                "Ты — внимательный аналитик продаж. Прокомментируй отчёт двумя-тремя короткими \
                 предложениями на русском языке: что получилось, на что обратить внимание. \
                 Используй только данные факты и точно переписывай их числа. Не добавляй других \
                 чисел, дат и имён."
            }
        };
        let ask = match language {
            Language::En => "Write the commentary.",
            Language::Ru => "Напиши комментарий.",
        };
        vec![
            ChatMessage::system(system),
            ChatMessage::user(format!("{}\n{ask}", self.render())),
        ]
    }

    /// The chat to send for a question answered from the sheet: an instruction to answer in one
    /// or two sentences from the facts alone, in `language`, then the sheet and the question
    /// (cut to 500 characters; it is the user's text, so the instruction comes first and the
    /// answer is checked like any narrative).
    pub fn answer_messages(&self, language: Language, question: &str) -> Vec<ChatMessage> {
        let system = match language {
            Language::En => {
                "You are a careful sales analyst. Answer the question in one or two short \
                 sentences of plain English. Use only the facts given and copy their numbers \
                 exactly. Do not add any other number, date or name."
            }
            Language::Ru => {
                "Ты — внимательный аналитик продаж. Ответь на вопрос одним-двумя короткими \
                 предложениями на русском языке. Используй только данные факты и точно \
                 переписывай их числа. Не добавляй других чисел, дат и имён."
            }
        };
        let question: String = question.chars().take(500).collect();
        let ask = match language {
            Language::En => format!("Question: {question}\nAnswer:"),
            Language::Ru => format!("Вопрос: {question}\nОтвет:"),
        };
        vec![
            ChatMessage::system(system),
            ChatMessage::user(format!("{}\n{ask}", self.render())),
        ]
    }

    fn has_room(&self) -> bool {
        self.lines.len() < MAX_LINES
    }

    fn number_line(&mut self, label: &str, value: f64, digits: usize, unit: &str) {
        if !value.is_finite() || !self.has_room() {
            return;
        }
        self.lines
            .push(format!("{}: {}{unit}", clip(label), grouped(value, digits)));
        self.facts.push_number(value);
    }
}

/// `value` with `digits` decimals and its whole part grouped by commas: 1,236,412.50.
fn grouped(value: f64, digits: usize) -> String {
    let text = format!("{value:.digits$}");
    let (sign, text) = text
        .strip_prefix('-')
        .map_or(("", text.as_str()), |t| ("-", t));
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let mut out = String::from(sign);
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if !fraction.is_empty() {
        out.push('.');
        out.push_str(fraction);
    }
    out
}

/// One line of text at most [`MAX_VALUE_CHARS`] long: line breaks become spaces, so a name
/// cannot add lines (or instructions) of its own to the prompt.
fn clip(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(MAX_VALUE_CHARS)
        .collect::<String>()
        .trim()
        .to_owned()
}
