//! CSV: the report's main table, UTF-8 with a byte-order mark. English files use `,` between
//! fields and `.` in numbers; Russian ones `;` and `,`, as a spreadsheet set to Russian expects.

use super::{Cell, Lang, Table, neutralised, plain_text};
use crate::error::{ApiError, ApiResult};

const BOM: &[u8] = b"\xEF\xBB\xBF";

pub(super) fn write(table: Option<&Table>, lang: Lang) -> ApiResult<Vec<u8>> {
    let (delimiter, point) = match lang {
        Lang::En => (b',', '.'),
        Lang::Ru => (b';', ','),
    };
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(BOM.to_vec());
    let fail = |e: csv::Error| ApiError::Internal(e.into());
    if let Some(table) = table {
        writer
            .write_record(table.headings.iter().map(|h| neutralised(h)))
            .map_err(fail)?;
        for row in &table.rows {
            writer
                .write_record(row.iter().map(|c| field(c, point)))
                .map_err(fail)?;
        }
    }
    writer
        .into_inner()
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("{e}")))
}

fn field(cell: &Cell, point: char) -> String {
    match cell {
        Cell::Text(t) => neutralised(t),
        other => plain_text(other, point),
    }
}
