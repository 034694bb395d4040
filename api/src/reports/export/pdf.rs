//! PDF through `krilla`: A4 pages with the report's title and parameters, its summary, the
//! report's charts (the SVG the web UI shows, from `crm-charts`, drawn by `krilla-svg`) before
//! the main table, and every table, broken across pages with the header repeated,
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
use krilla_svg::{SurfaceExt, SvgSettings};

use super::{Lang, Table, plain_text};
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
    /// An SVG drawing scaled to `width`, its top left corner at `(x, y)`.
    Svg {
        x: f32,
        y: f32,
        width: f32,
        tree: Box<usvg::Tree>,
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
    if let Some((label, text)) = super::narrative(report, lang) {
        layout.paragraph(&label, 8.0);
        layout.paragraph(text, 10.0);
        layout.y += 10.0;
    }

    let mut charts = Some(super::charts::for_report(report, lang));
    // Built once per document: it parses the embedded font.
    let options = svg_options();
    for table in tables {
        // The charts go before the table they draw (the main one).
        if table.chart.is_some()
            && let Some(charts) = charts.take()
        {
            for c in charts {
                chart(&mut layout, &c, &options)?;
            }
        }
        table_ops(&mut layout, table, point);
    }

    draw(layout.pages, lang)
}

/// The fonts SVG text is laid out with: the embedded DejaVu Sans only.
fn svg_options() -> usvg::Options<'static> {
    let mut fonts = usvg::fontdb::Database::new();
    fonts.load_font_data(FONT.to_vec());
    let mut options = usvg::Options {
        font_family: "DejaVu Sans".to_owned(),
        ..Default::default()
    };
    *options.fontdb_mut() = fonts;
    options
}

/// A chart under its title, the width of the text column.
fn chart(
    layout: &mut Layout,
    chart: &super::charts::Chart,
    options: &usvg::Options<'_>,
) -> ApiResult<()> {
    let tree = usvg::Tree::from_str(&chart.svg, options)
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("chart SVG: {e}")))?;
    let width = WIDTH - 2.0 * MARGIN;
    let size = tree.size();
    let height = width * size.height() / size.width();
    layout.room(height + 30.0);
    layout.text(MARGIN, 11.0, chart.title.clone());
    layout.y += 18.0;
    let y = layout.y;
    layout.page().push(Op::Svg {
        x: MARGIN,
        y,
        width,
        tree: Box::new(tree),
    });
    layout.y += height + 14.0;
    Ok(())
}

fn f32_of(n: usize) -> f32 {
    u16::try_from(n).map(f32::from).unwrap_or(f32::MAX)
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
                Op::Svg { x, y, width, tree } => {
                    let size = tree.size();
                    let height = width * size.height() / size.width();
                    if let Some(size) = krilla::geom::Size::from_wh(width, height) {
                        surface.push_transform(&krilla::geom::Transform::from_translate(x, y));
                        surface.draw_svg(&tree, size, SvgSettings::default());
                        surface.pop();
                    }
                }
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
