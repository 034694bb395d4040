//! PDF through `krilla`: A4 pages with the report's title and parameters, its summary, a line
//! chart per charted table, and every table, broken across pages with the header repeated,
//! and "page n of N" at the foot. One embedded font (DejaVu Sans, which covers Latin and
//! Cyrillic; licence in `api/assets/fonts/`), subset by krilla.
//!
//! Pages are laid out first as a list of drawing operations, then drawn, so every page knows
//! the total number of pages.

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::Stroke;
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};

use super::{Cell, Lang, Table, plain_text};
use crate::error::{ApiError, ApiResult};
use crate::reports::{Report, ReportKind};

const FONT: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");

const WIDTH: f32 = 595.0;
const HEIGHT: f32 = 842.0;
const MARGIN: f32 = 40.0;
const BOTTOM: f32 = HEIGHT - MARGIN - 20.0;
/// Average advance of DejaVu Sans in em, for fitting text to a width.
const EM_ADVANCE: f32 = 0.56;

enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        text: String,
    },
    Line {
        points: Vec<(f32, f32)>,
        width: f32,
        grey: u8,
    },
}

struct Layout {
    pages: Vec<Vec<Op>>,
    y: f32,
}

impl Layout {
    fn new() -> Self {
        Layout {
            pages: vec![Vec::new()],
            y: MARGIN,
        }
    }

    fn page(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        // Never empty: a page was just pushed if there was none.
        self.pages.get_mut(last).unwrap_or_else(|| unreachable!())
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = MARGIN;
    }

    /// Room for `height` more points, or a new page.
    fn room(&mut self, height: f32) {
        if self.y + height > BOTTOM {
            self.new_page();
        }
    }

    fn text(&mut self, x: f32, size: f32, text: String) {
        let y = self.y + size;
        self.page().push(Op::Text { x, y, size, text });
    }

    fn line(&mut self, points: Vec<(f32, f32)>, width: f32, grey: u8) {
        self.page().push(Op::Line {
            points,
            width,
            grey,
        });
    }

    /// A paragraph wrapped to the page width.
    fn paragraph(&mut self, text: &str, size: f32) {
        let per_line = chars_fitting(WIDTH - 2.0 * MARGIN, size);
        for line in wrap(text, per_line) {
            self.room(size * 1.5);
            self.text(MARGIN, size, line);
            self.y += size * 1.4;
        }
    }
}

fn chars_fitting(width: f32, size: f32) -> usize {
    let n = (width / (size * EM_ADVANCE)).floor();
    if n.is_finite() && n >= 1.0 {
        format!("{n:.0}").parse().unwrap_or(1)
    } else {
        1
    }
}

fn wrap(text: &str, per_line: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    // Only ordinary spaces break a line: no-break spaces hold numbers and money together.
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > per_line {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// `text` cut to `max` characters, with an ellipsis when cut.
fn fit(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

fn title(kind: ReportKind, lang: Lang) -> &'static str {
    match kind {
        ReportKind::General => lang.pick("General sales report", "Общий отчёт о продажах"),
        ReportKind::Trends => lang.pick("Sales trends", "Тренды продаж"),
        ReportKind::Recommendations => {
            lang.pick("Sales recommendations", "Рекомендации по продажам")
        }
    }
}

pub(super) fn write(report: &Report, tables: &[Table], lang: Lang) -> ApiResult<Vec<u8>> {
    let point = if lang == Lang::Ru { ',' } else { '.' };
    let mut layout = Layout::new();
    let p = &report.parameters;
    layout.text(MARGIN, 18.0, title(p.kind, lang).to_owned());
    layout.y += 28.0;
    let parameters = format!(
        "{} {} — {} · {} {} · {} {}",
        lang.pick("Period:", "Период:"),
        p.from,
        p.to,
        lang.pick("time zone", "часовой пояс"),
        report.time_zone,
        lang.pick("currency", "валюта"),
        report.base_currency
    );
    layout.text(MARGIN, 9.0, parameters);
    layout.y += 20.0;
    let summary = match lang {
        Lang::En => &report.summary.en,
        Lang::Ru => &report.summary.ru,
    };
    layout.paragraph(summary, 10.0);
    layout.y += 10.0;

    for table in tables {
        if let Some(columns) = &table.chart {
            chart(&mut layout, table, columns);
        }
        table_ops(&mut layout, table, point);
    }

    draw(layout.pages, lang)
}

/// A line chart of `columns` over the table's rows.
fn chart(layout: &mut Layout, table: &Table, columns: &[usize]) {
    let series: Vec<Vec<Option<f64>>> = columns
        .iter()
        .map(|c| {
            table
                .rows
                .iter()
                .map(|row| row.get(*c).and_then(number))
                .collect()
        })
        .collect();
    let values: Vec<f64> = series.iter().flatten().flatten().copied().collect();
    let (Some(min), Some(max)) = (
        values.iter().copied().reduce(f64::min),
        values.iter().copied().reduce(f64::max),
    ) else {
        return;
    };
    let n = table.rows.len();
    if n < 2 {
        return;
    }
    // The axis starts at zero: amounts drawn from their minimum exaggerate small changes.
    let (min, max) = (min.min(0.0), max.max(0.0));
    let (height, width) = (150.0f32, WIDTH - 2.0 * MARGIN);
    layout.room(height + 40.0);
    layout.text(MARGIN, 11.0, table.title.clone());
    layout.y += 18.0;
    let (top, left) = (layout.y, MARGIN);
    let bottom = top + height;
    layout.line(
        vec![(left, top), (left, bottom), (left + width, bottom)],
        0.6,
        0,
    );
    let span = if max > min { max - min } else { 1.0 };
    let step = width / f32_of(n - 1);
    for (k, s) in series.iter().enumerate() {
        let grey = u8::try_from(k * 70).unwrap_or(0).min(160);
        let points: Vec<(f32, f32)> = s
            .iter()
            .enumerate()
            .filter_map(|(i, v)| {
                v.map(|v| {
                    (
                        left + step * f32_of(i),
                        bottom - height * f32_from(((v - min) / span).clamp(0.0, 1.0)),
                    )
                })
            })
            .collect();
        if points.len() > 1 {
            layout.line(points, 1.2, grey);
        }
    }
    let label = |cell: Option<&Cell>| cell.map_or(String::new(), |c| plain_text(c, '.'));
    layout.y = bottom + 2.0;
    layout.text(left, 7.0, label(table.rows.first().and_then(|r| r.first())));
    let last = label(table.rows.last().and_then(|r| r.first()));
    layout.text(
        left + width - 7.0 * EM_ADVANCE * f32_of(last.chars().count()),
        7.0,
        last,
    );
    layout.y = top - 2.0;
    layout.text(left + 4.0, 7.0, format!("{max:.0}"));
    layout.y = bottom - 9.0;
    layout.text(left + 4.0, 7.0, format!("{min:.0}"));
    layout.y = bottom + 18.0;
}

fn number(cell: &Cell) -> Option<f64> {
    match cell {
        Cell::Int(n) => Some(crate::reports::minor_to_f64(*n)),
        Cell::Float(v) | Cell::Percent(v) => Some(*v),
        Cell::Money { minor, digits } => {
            Some(crate::reports::minor_to_f64(*minor) / 10f64.powi(i32::from(*digits)))
        }
        _ => None,
    }
}

fn f32_of(n: usize) -> f32 {
    u16::try_from(n).map(f32::from).unwrap_or(f32::MAX)
}

/// A chart coordinate from a 0..=1 share (f32 precision is plenty for points on a page).
fn f32_from(share: f64) -> f32 {
    let per_mille = (share * 1000.0).round();
    let per_mille = if per_mille.is_finite() {
        per_mille.clamp(0.0, 1000.0)
    } else {
        0.0
    };
    u16::try_from(format!("{per_mille:.0}").parse::<u32>().unwrap_or(0))
        .map(f32::from)
        .unwrap_or(0.0)
        / 1000.0
}

/// Each column's share of the page width: proportional to its longest text (heading or cell),
/// counted between 4 and 40 characters, so names get room and short numbers do not waste it.
fn column_widths(headings: &[String], rows: &[Vec<String>], inner: f32) -> Vec<f32> {
    let want: Vec<f32> = (0..headings.len().max(1))
        .map(|i| {
            let longest = std::iter::once(headings.get(i).map_or(0, |h| h.chars().count()))
                .chain(
                    rows.iter()
                        .map(|r| r.get(i).map_or(0, |c| c.chars().count())),
                )
                .max()
                .unwrap_or(0);
            f32_of(longest.clamp(4, 40))
        })
        .collect();
    let total: f32 = want.iter().sum();
    want.iter().map(|w| inner * w / total).collect()
}

fn table_ops(layout: &mut Layout, table: &Table, point: char) {
    let columns = table.headings.len().max(1);
    let size = if columns > 7 { 6.5 } else { 8.0 };
    let cells: Vec<Vec<String>> = table
        .rows
        .iter()
        .map(|row| row.iter().map(|c| plain_text(c, point)).collect())
        .collect();
    let widths = column_widths(&table.headings, &cells, WIDTH - 2.0 * MARGIN);
    let lefts: Vec<f32> = widths
        .iter()
        .scan(MARGIN, |x, w| {
            let left = *x;
            *x += w;
            Some(left)
        })
        .collect();
    let fits: Vec<usize> = widths
        .iter()
        .map(|w| chars_fitting(w - 4.0, size))
        .collect();
    let at = |i: usize| {
        (
            lefts.get(i).copied().unwrap_or(MARGIN),
            fits.get(i).copied().unwrap_or(1),
        )
    };
    let row_height = size * 1.6;
    let header = |layout: &mut Layout| {
        for (i, heading) in table.headings.iter().enumerate() {
            let (x, max_chars) = at(i);
            layout.text(x, size, fit(heading, max_chars));
        }
        layout.y += row_height;
        let y = layout.y - size * 0.3;
        layout.line(vec![(MARGIN, y), (WIDTH - MARGIN, y)], 0.5, 0);
    };
    layout.room(row_height * 4.0 + 20.0);
    layout.text(MARGIN, 11.0, table.title.clone());
    layout.y += 18.0;
    header(layout);
    if cells.is_empty() {
        layout.text(MARGIN, size, "—".to_owned());
        layout.y += row_height;
    }
    for row in &cells {
        if layout.y + row_height > BOTTOM {
            layout.new_page();
            header(layout);
        }
        for (i, cell) in row.iter().enumerate() {
            let (x, max_chars) = at(i);
            layout.text(x, size, fit(cell, max_chars));
        }
        layout.y += row_height;
    }
    layout.y += 14.0;
}

fn draw(pages: Vec<Vec<Op>>, lang: Lang) -> ApiResult<Vec<u8>> {
    let font = Font::new(FONT.into(), 0)
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("the embedded font does not load")))?;
    let settings = PageSettings::from_wh(WIDTH, HEIGHT)
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("page size")))?;
    let mut document = Document::new();
    let total = pages.len();
    for (n, ops) in pages.into_iter().enumerate() {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        for op in ops {
            match op {
                Op::Text { x, y, size, text } => text_at(&mut surface, &font, x, y, size, &text),
                Op::Line {
                    points,
                    width,
                    grey,
                } => polyline(&mut surface, &points, width, grey),
            }
        }
        let foot = match lang {
            Lang::En => format!("Page {} of {total}", n + 1),
            Lang::Ru => format!("Страница {} из {total}", n + 1),
        };
        text_at(
            &mut surface,
            &font,
            WIDTH - MARGIN - 80.0,
            HEIGHT - MARGIN + 10.0,
            8.0,
            &foot,
        );
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("writing the PDF: {e:?}")))
}

fn text_at(surface: &mut Surface<'_>, font: &Font, x: f32, y: f32, size: f32, text: &str) {
    if !text.is_empty() {
        surface.draw_text(
            Point::from_xy(x, y),
            font.clone(),
            size,
            text,
            false,
            TextDirection::Auto,
        );
    }
}

fn polyline(surface: &mut Surface<'_>, points: &[(f32, f32)], width: f32, grey: u8) {
    let mut builder = PathBuilder::new();
    let mut first = true;
    for (x, y) in points {
        if first {
            builder.move_to(*x, *y);
            first = false;
        } else {
            builder.line_to(*x, *y);
        }
    }
    let Some(path) = builder.finish() else { return };
    surface.set_fill(None);
    surface.set_stroke(Some(Stroke {
        paint: rgb::Color::new(grey, grey, grey).into(),
        width,
        opacity: NormalizedF32::ONE,
        ..Default::default()
    }));
    surface.draw_path(&path);
    surface.set_stroke(None);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_get_room_by_their_longest_text() {
        let headings = vec!["Client".to_owned(), "Sales".to_owned()];
        let rows = vec![vec![
            "ООО «Очень длинное название клиента»".to_owned(),
            "3".to_owned(),
        ]];
        let w = column_widths(&headings, &rows, 500.0);
        assert!((w.iter().sum::<f32>() - 500.0).abs() < 0.01, "{w:?}");
        assert!(w[0] > 3.0 * w[1], "{w:?}");
    }

    #[test]
    fn lines_break_at_spaces_only() {
        let lines = wrap("revenue 130\u{a0}039,26\u{a0}₽ from 156 sales", 14);
        assert_eq!(
            lines,
            vec!["revenue", "130\u{a0}039,26\u{a0}₽", "from 156 sales"]
        );
        assert_eq!(fit("Повторные покупатели", 10), "Повторные…");
    }
}
