//! XLSX: a summary sheet, then one sheet per table with typed cells (numbers, money with the
//! currency's digits, dates, percentages) and a native line chart where the table has series.

use rust_xlsxwriter::{Chart, ChartType, Format, Workbook, Worksheet, XlsxError};

use super::{Cell, Lang, Table};
use crate::error::{ApiError, ApiResult};
use crate::reports::Report;

fn fail(e: XlsxError) -> ApiError {
    ApiError::Internal(e.into())
}

/// A sheet name spreadsheets accept: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(title: &str) -> String {
    title
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect()
}

pub(super) fn write(report: &Report, tables: &[Table], lang: Lang) -> ApiResult<Vec<u8>> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    let summary = workbook.add_worksheet();
    summary
        .set_name(lang.pick("Summary", "Сводка"))
        .map_err(fail)?;
    summary.set_column_width(0, 24).map_err(fail)?;
    summary.set_column_width(1, 100).map_err(fail)?;
    let p = &report.parameters;
    let lines: [(&str, String); 5] = [
        (lang.pick("Report", "Отчёт"), format!("{:?}", p.kind)),
        (lang.pick("From", "С"), p.from.to_string()),
        (lang.pick("To", "По"), p.to.to_string()),
        (
            lang.pick("Time zone", "Часовой пояс"),
            report.time_zone.clone(),
        ),
        (
            lang.pick("Currency", "Валюта"),
            report.base_currency.clone(),
        ),
    ];
    for (row, (label, value)) in (0u32..).zip(lines.iter()) {
        summary
            .write_string_with_format(row, 0, *label, &bold)
            .map_err(fail)?;
        summary.write_string(row, 1, value).map_err(fail)?;
    }
    let text = match lang {
        Lang::En => &report.summary.en,
        Lang::Ru => &report.summary.ru,
    };
    summary
        .write_string_with_format(6, 0, lang.pick("Summary", "Кратко"), &bold)
        .map_err(fail)?;
    summary
        .write_string_with_format(6, 1, text, &wrap)
        .map_err(fail)?;
    if let Some((label, text)) = super::narrative(report, lang) {
        summary
            .write_string_with_format(7, 0, lang.pick("AI commentary", "Комментарий ИИ"), &bold)
            .map_err(fail)?;
        summary
            .write_string_with_format(7, 1, format!("{text}\n({label})"), &wrap)
            .map_err(fail)?;
    }

    for table in tables {
        let sheet = workbook.add_worksheet();
        sheet.set_name(sheet_name(&table.title)).map_err(fail)?;
        write_table(sheet, table, &bold)?;
    }
    workbook.save_to_buffer().map_err(fail)
}

fn write_table(sheet: &mut Worksheet, table: &Table, bold: &Format) -> ApiResult<()> {
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let percent = Format::new().set_num_format("0.0%");
    let float = Format::new().set_num_format("0.000");
    let money_formats: Vec<Format> = (0u8..=4)
        .map(|d| {
            Format::new().set_num_format(if d == 0 {
                "#,##0".to_owned()
            } else {
                format!("#,##0.{}", "0".repeat(usize::from(d)))
            })
        })
        .collect();
    for (col, heading) in (0u16..).zip(&table.headings) {
        sheet
            .write_string_with_format(0, col, heading, bold)
            .map_err(fail)?;
        sheet.set_column_width(col, 16).map_err(fail)?;
    }
    for (row, cells) in (1u32..).zip(&table.rows) {
        for (col, cell) in (0u16..).zip(cells) {
            match cell {
                Cell::Empty => {}
                // Typed strings: a spreadsheet never evaluates them, whatever they start with.
                Cell::Text(t) => {
                    sheet.write_string(row, col, t).map_err(fail)?;
                }
                Cell::Int(n) => {
                    sheet
                        .write_number(row, col, super::super::minor_to_f64(*n))
                        .map_err(fail)?;
                }
                Cell::Float(v) => {
                    sheet
                        .write_number_with_format(row, col, *v, &float)
                        .map_err(fail)?;
                }
                Cell::Percent(v) => {
                    sheet
                        .write_number_with_format(row, col, *v / 100.0, &percent)
                        .map_err(fail)?;
                }
                Cell::Money { minor, digits } => {
                    let scale = 10f64.powi(i32::from(*digits));
                    let format = money_formats.get(usize::from(*digits)).unwrap_or(&float);
                    sheet
                        .write_number_with_format(
                            row,
                            col,
                            super::super::minor_to_f64(*minor) / scale,
                            format,
                        )
                        .map_err(fail)?;
                }
                Cell::Date(d) => {
                    sheet
                        .write_datetime_with_format(row, col, *d, &date)
                        .map_err(fail)?;
                }
            }
        }
    }
    if let Some(columns) = &table.chart
        && !table.rows.is_empty()
    {
        let name = sheet.name();
        let last = u32::try_from(table.rows.len()).unwrap_or(u32::MAX);
        let mut chart = Chart::new(ChartType::Line);
        for col in columns {
            let col = u16::try_from(*col).unwrap_or(0);
            chart
                .add_series()
                .set_name((name.as_str(), 0, col))
                .set_categories((name.as_str(), 1, 0, last, 0))
                .set_values((name.as_str(), 1, col, last, col));
        }
        chart.title().set_name(&table.title);
        let after = u16::try_from(table.headings.len() + 1).unwrap_or(0);
        sheet.insert_chart(1, after, &chart).map_err(fail)?;
    }
    Ok(())
}
