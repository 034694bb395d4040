//! CSV: the report's main table, UTF-8 with a byte-order mark. English files use `,` between
//! fields and `.` in numbers; Russian ones `;` and `,`, as a spreadsheet set to Russian expects.

use super::{Cell, Lang, Table, decimal_minor, neutralised};
use crate::error::{ApiError, ApiResult};

const BOM: &[u8] = b"\xEF\xBB\xBF";

pub(super) fn write(table: Option<&Table>, lang: Lang) -> ApiResult<Vec<u8>> {
    let (delimiter, point) = match lang {
        Lang::En => (b',', '.'),
        Lang::Ru => (b';', ','),
    };
    let mut writer = csv::WriterBuilder::new().delimiter(delimiter).from_writer(BOM.to_vec());
    let fail = |e: csv::Error| ApiError::Internal(e.into());
    if let Some(table) = table {
        writer.write_record(table.headings.iter().map(|h| neutralised(h))).map_err(fail)?;
        for row in &table.rows {
            writer.write_record(row.iter().map(|c| field(c, point))).map_err(fail)?;
        }
    }
    writer.into_inner().map_err(|e| ApiError::Internal(anyhow::anyhow!("{e}")))
}

fn number(v: f64, digits: usize, point: char) -> String {
    let text = format!("{v:.digits$}");
    if point == '.' { text } else { text.replace('.', &point.to_string()) }
}

fn field(cell: &Cell, point: char) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(t) => neutralised(t),
        Cell::Int(n) => n.to_string(),
        Cell::Float(v) => number(*v, 4, point),
        Cell::Percent(v) => number(*v, 2, point),
        Cell::Money { minor, digits } => decimal_minor(*minor, *digits, point),
        Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
    }
}
