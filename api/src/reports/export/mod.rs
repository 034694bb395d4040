//! Exports of a report, live or saved: the same tables in CSV (`csv`, UTF-8 with a BOM so a
//! spreadsheet opens Cyrillic correctly) and XLSX (`rust_xlsxwriter`: typed number and date
//! cells, a native chart per series, one sheet per table) and PDF (`krilla`: the summary, the
//! web UI's charts from the same SVG ([`charts`]), the tables across pages, page numbers, an
//! embedded Cyrillic font).
//!
//! [`tables`] turns a report into headed tables once, in English or Russian; each format only
//! writes them. Text that people or integrators typed (client names) is neutralised in CSV so a
//! spreadsheet never reads it as a formula (OWASP, "CSV injection": a leading `=`, `+`, `-`,
//! `@`, tab or carriage return gets a `'` in front); XLSX cells are typed strings, which a
//! spreadsheet never evaluates.

pub mod charts;
mod csv;
mod pdf;
mod tables;
mod xlsx;

use chrono::NaiveDate;

use super::{Report, ReportKind};
use crate::error::{ApiError, ApiResult};
pub use tables::{segment_name, tables};

/// A file format a report exports to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
    Pdf,
}

impl Format {
    /// # Errors
    /// BAD_USER_INPUT for anything but `csv`, `xlsx` and `pdf`.
    pub fn parse(text: &str) -> ApiResult<Format> {
        match text.trim().to_ascii_lowercase().as_str() {
            "csv" => Ok(Format::Csv),
            "xlsx" => Ok(Format::Xlsx),
            "pdf" => Ok(Format::Pdf),
            _ => Err(ApiError::bad_input(
                "format",
                "export formats are csv, xlsx and pdf",
            )),
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Pdf => "application/pdf",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Pdf => "pdf",
        }
    }
}

/// The language of headings and labels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    En,
    Ru,
}

impl Lang {
    /// # Errors
    /// BAD_USER_INPUT for anything but `en` and `ru`.
    pub fn parse(text: &str) -> ApiResult<Lang> {
        match text.trim().to_ascii_lowercase().as_str() {
            "en" => Ok(Lang::En),
            "ru" => Ok(Lang::Ru),
            _ => Err(ApiError::bad_input(
                "lang",
                "export languages are en and ru",
            )),
        }
    }

    fn pick(self, en: &'static str, ru: &'static str) -> &'static str {
        match self {
            Lang::En => en,
            Lang::Ru => ru,
        }
    }
}

/// The assistant's narrative in `lang`, when one was written and passed the check, with the
/// label that says who wrote it: AI text never appears unlabelled.
pub(super) fn narrative(report: &Report, lang: Lang) -> Option<(String, &str)> {
    let language = match lang {
        Lang::En => super::narrative::Language::En,
        Lang::Ru => super::narrative::Language::Ru,
    };
    let n = report
        .narratives
        .iter()
        .find(|n| n.language == language && !n.withheld && !n.text.is_empty())?;
    let label = match lang {
        Lang::En => format!(
            "Written by the AI assistant ({}); every number was checked against the figures",
            n.model
        ),
        Lang::Ru => format!(
            "Написано ИИ-ассистентом ({}); каждое число сверено с показателями отчёта",
            n.model
        ),
    };
    Some((label, n.text.as_str()))
}

/// One value of a table. Money keeps its minor units and the currency's digits.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Empty,
    /// Text someone typed or a label of ours.
    Text(String),
    Int(i64),
    Float(f64),
    /// A share, 0..=100.
    Percent(f64),
    Money {
        minor: i64,
        digits: u8,
    },
    Date(NaiveDate),
}

/// A headed table: a sheet in XLSX, the file in CSV.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// Sheet name (at most 31 characters, as spreadsheets require).
    pub title: String,
    pub headings: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// Columns drawn as series of a line chart over the first column, when any.
    pub chart: Option<Vec<usize>>,
}

/// The file name of an export: ASCII only, e.g. `report-general-2026-03-01-2026-03-31.csv`.
pub fn file_name(report: &Report, format: Format) -> String {
    let kind = match report.parameters.kind {
        ReportKind::General => "general",
        ReportKind::Trends => "trends",
        ReportKind::Recommendations => "recommendations",
    };
    format!(
        "report-{kind}-{}-{}.{}",
        report.parameters.from,
        report.parameters.to,
        format.extension()
    )
}

/// The report as a file.
///
/// # Errors
/// INTERNAL if a writer fails (it writes to memory; this does not happen with valid tables).
pub fn render(report: &Report, format: Format, lang: Lang) -> ApiResult<Vec<u8>> {
    let tables = tables(report, lang);
    match format {
        Format::Csv => csv::write(tables.first(), lang),
        Format::Xlsx => xlsx::write(report, &tables, lang),
        Format::Pdf => pdf::write(report, &tables, lang),
    }
}

/// A cell's text with a formula-starting character neutralised (OWASP CSV injection).
pub fn neutralised(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_owned(),
    }
}

/// A cell as text with `point` as the decimal sign (text cells as they are).
fn plain_text(cell: &Cell, point: char) -> String {
    let number = |v: f64, digits: usize| {
        let text = format!("{v:.digits$}");
        if point == '.' {
            text
        } else {
            text.replace('.', &point.to_string())
        }
    };
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(t) => t.clone(),
        Cell::Int(n) => n.to_string(),
        Cell::Float(v) => number(*v, 4),
        Cell::Percent(v) => number(*v, 2),
        Cell::Money { minor, digits } => decimal_minor(*minor, *digits, point),
        Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
    }
}

/// Minor units as a decimal string with `digits` fraction digits and `point` as the separator.
fn decimal_minor(minor: i64, digits: u8, point: char) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    if digits == 0 {
        return format!("{sign}{abs}");
    }
    let scale = 10u64.pow(u32::from(digits));
    format!(
        "{sign}{}{point}{:0width$}",
        abs / scale,
        abs % scale,
        width = usize::from(digits)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_neutralised() {
        for bad in ["=HYPERLINK(\"x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            assert!(neutralised(bad).starts_with('\''), "{bad:?}");
        }
        assert_eq!(neutralised("Иван"), "Иван");
        assert_eq!(neutralised("a=b"), "a=b");
    }

    #[test]
    fn minor_units_print_with_their_digits() {
        assert_eq!(decimal_minor(124_000_050, 2, ','), "1240000,50");
        assert_eq!(decimal_minor(-5, 2, '.'), "-0.05");
        assert_eq!(decimal_minor(1500, 0, '.'), "1500");
        assert_eq!(decimal_minor(1234, 3, '.'), "1.234");
    }
}
