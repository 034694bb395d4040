//! The CRM's charts as SVG text: a line chart with the forecast's 80 % and 95 % interval bands,
//! and a bar chart, plain or stacked. One drawing serves both places a report is shown: the web
//! UI puts the SVG into the page, the PDF export draws the same SVG (through usvg and
//! krilla-svg).
//!
//! Every chart has a value axis with round ticks (1, 2 or 5 times a power of ten apart) that
//! starts at zero, period labels thinned to about ten, and a legend inside the drawing. Colours
//! are presentation attributes, so the SVG stands alone; the web's stylesheet may override
//! them. Each point and bar is a focusable group with a `<title>`: browsers show it as the
//! tooltip on hover, and screen readers read it on keyboard focus. Labels are XML-escaped.
//!
//! Sizes are in SVG user units: a chart is [`WIDTH`] × [`HEIGHT`] and scales to its box.

use std::fmt::Write;

/// Width and height of every chart, in SVG user units.
pub const WIDTH: f64 = 720.0;
pub const HEIGHT: f64 = 300.0;
/// Width of an average character of the chart's 12-unit font, for fitting labels.
const CHAR: f64 = 7.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 12.0;
/// Room under the plot for the period labels and the legend.
const BOTTOM: f64 = 58.0;
const FONT: &str = "DejaVu Sans, Verdana, sans-serif";

/// The palette: the actual series, the forecast, and the second and third stacked series.
pub const BLUE: &str = "#2453d6";
pub const RED: &str = "#c4320a";
pub const ORANGE: &str = "#f79009";
pub const GREEN: &str = "#12b76a";
const GRID: &str = "#e4e7ec";
const MUTED: &str = "#667085";
const SERIES: [&str; 3] = [BLUE, ORANGE, GREEN];

/// How numbers are written: `1.2M` or `1,2 млн`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    En,
    Ru,
}

/// A number with `digits` decimals, with the language's decimal mark.
pub fn decimal(lang: Lang, v: f64, digits: usize) -> String {
    let text = format!("{v:.digits$}");
    match lang {
        Lang::En => text,
        Lang::Ru => text.replace('.', ","),
    }
}

/// A number short enough for an axis: `1.2M`, `350K`, `1,2 млн`, `350 тыс.`; below a thousand
/// in full; one decimal only where it says something.
pub fn compact_number(lang: Lang, v: f64) -> String {
    let (scaled, en, ru) = if v.abs() >= 1e9 {
        (v / 1e9, "B", "млрд")
    } else if v.abs() >= 1e6 {
        (v / 1e6, "M", "млн")
    } else if v.abs() >= 1e3 {
        (v / 1e3, "K", "тыс.")
    } else {
        (v, "", "")
    };
    let digits = if en.is_empty() || scaled.fract().abs() < 0.05 || scaled.abs() >= 100.0 {
        0
    } else {
        1
    };
    let number = decimal(lang, scaled, digits);
    match lang {
        Lang::En => format!("{number}{en}"),
        Lang::Ru if ru.is_empty() => number,
        Lang::Ru => format!("{number}\u{a0}{ru}"),
    }
}

/// How long the periods of a series are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Granularity {
    Day,
    Week,
    Month,
}

const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const MONTHS_RU: [&str; 12] = [
    "янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек",
];

/// A period's label from its first day (`YYYY-MM-DD`): `Mar 2026` / `мар 2026` for months,
/// `Mar 2` / `02.03` for days and weeks; the text itself when it is not such a date.
pub fn period_label(lang: Lang, start: &str, by: Granularity) -> String {
    let mut parts = start.splitn(3, '-').map(str::parse::<u32>);
    let (Some(Ok(year)), Some(Ok(month @ 1..=12)), Some(Ok(day @ 1..=31))) =
        (parts.next(), parts.next(), parts.next())
    else {
        return start.to_owned();
    };
    let m = usize::try_from(month - 1).unwrap_or(0);
    let en = MONTHS_EN.get(m).copied().unwrap_or_default();
    let ru = MONTHS_RU.get(m).copied().unwrap_or_default();
    match (by, lang) {
        (Granularity::Month, Lang::En) => format!("{en} {year}"),
        (Granularity::Month, Lang::Ru) => format!("{ru} {year}"),
        (_, Lang::En) => format!("{en} {day}"),
        (_, Lang::Ru) => format!("{day:02}.{month:02}"),
    }
}

/// Round tick values covering `min..=max`: 1, 2 or 5 times a power of ten apart, about `want`
/// of them, the last at or above `max`; whole numbers only when `whole` (for counts).
pub fn ticks(min: f64, max: f64, want: usize, whole: bool) -> Vec<f64> {
    let (min, max) = if max > min {
        (min, max)
    } else {
        (min, min + 1.0)
    };
    let raw = (max - min) / want.max(1) as f64;
    let power = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * power);
    let step = if whole { step.max(1.0) } else { step };
    let mut v = (min / step).floor() * step;
    let mut out = vec![v];
    while v < max && out.len() < 12 {
        v += step;
        out.push(v);
    }
    out
}

/// Every k-th period label, so that at most about ten show.
pub fn label_step(n: usize) -> usize {
    n.div_ceil(10).max(1)
}

/// The bottom and top of each segment of a stacked bar: positives stack up from zero,
/// negatives down.
pub fn stack(values: &[f64]) -> Vec<(f64, f64)> {
    let (mut up, mut down) = (0.0, 0.0);
    values
        .iter()
        .map(|v| {
            if *v >= 0.0 {
                up += v;
                (up - v, up)
            } else {
                down += v;
                (down, down - v)
            }
        })
        .collect()
}

/// `text` safe inside SVG text and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// One period of a line chart: the actual value, or the forecast with its intervals, or both
/// for a period still under way (its revenue so far, and the forecast of the whole period).
#[derive(Clone, Debug, PartialEq)]
pub struct LinePoint {
    pub label: String,
    pub actual: Option<f64>,
    pub forecast: Option<f64>,
    /// Lower and upper bound of the 80 % and the 95 % prediction interval.
    pub band80: Option<(f64, f64)>,
    pub band95: Option<(f64, f64)>,
}

/// The points of a series and of its forecast, each keyed by its period: a forecast period
/// that is also in the series (the one under way, with its sales so far) joins that point
/// instead of repeating the period; the others follow the series in order.
pub fn join_forecast<K: PartialEq>(
    series: Vec<(K, LinePoint)>,
    forecast: Vec<(K, LinePoint)>,
) -> Vec<LinePoint> {
    let mut points = series;
    for (key, f) in forecast {
        match points.iter_mut().find(|(k, _)| *k == key) {
            Some((_, point)) => {
                point.forecast = f.forecast;
                point.band80 = f.band80;
                point.band95 = f.band95;
            }
            None => points.push((key, f)),
        }
    }
    points.into_iter().map(|(_, p)| p).collect()
}

/// A line chart: actual values, then the forecast with its bands.
pub struct Line<'a> {
    /// What the chart shows, for screen readers.
    pub title: &'a str,
    pub points: &'a [LinePoint],
    /// Legend texts: actual, forecast, 80 % interval, 95 % interval.
    pub legend: [&'a str; 4],
    /// Writes a value for the axis and the tooltips.
    pub format: &'a dyn Fn(f64) -> String,
}

/// A bar chart; with more than one series, the bars are stacked.
pub struct Bars<'a> {
    pub title: &'a str,
    /// Label of each bar and its value in each series, in series order.
    pub bars: &'a [(String, Vec<f64>)],
    /// The series' names, one per value of a bar (up to three get their own colour).
    pub series: &'a [String],
    pub format: &'a dyn Fn(f64) -> String,
}

struct Scale {
    lo: f64,
    hi: f64,
    n: usize,
    /// Where the plot starts: room for the longest tick label.
    left: f64,
}

/// A tick and its label.
type Tick = (f64, String);

impl Scale {
    /// Ticks over `lo..=hi` (zero included), labelled by `format`, and the scale they span.
    fn new(
        lo: f64,
        hi: f64,
        n: usize,
        whole: bool,
        format: &dyn Fn(f64) -> String,
    ) -> (Vec<Tick>, Scale) {
        let (lo, hi) = (lo.min(0.0), hi.max(lo + 1.0));
        let marks = ticks(lo, hi, 5, whole);
        let widest = marks
            .iter()
            .map(|v| format(*v).chars().count())
            .max()
            .unwrap_or(1);
        let scale = Scale {
            lo: marks.first().copied().unwrap_or(lo).min(lo),
            hi: marks.last().copied().unwrap_or(hi).max(hi),
            n,
            left: (CHAR * widest as f64 + 12.0).clamp(40.0, WIDTH / 3.0),
        };
        (marks.into_iter().map(|v| (v, format(v))).collect(), scale)
    }

    fn inner(&self) -> f64 {
        WIDTH - self.left - RIGHT
    }

    /// The x of point `i` of a line: the first at the left edge, the last at the right.
    fn x(&self, i: usize) -> f64 {
        if self.n <= 1 {
            self.left + self.inner() / 2.0
        } else {
            self.left + self.inner() * i as f64 / (self.n - 1) as f64
        }
    }

    fn y(&self, v: f64) -> f64 {
        let inner = HEIGHT - TOP - BOTTOM;
        TOP + inner * (1.0 - (v - self.lo) / (self.hi - self.lo))
    }
}

fn open(out: &mut String, title: &str) {
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{}" font-family="{FONT}" font-size="12">"#,
        escape(title)
    );
}

/// The value axis: a grid line and a label at each tick.
fn grid(out: &mut String, marks: &[Tick], scale: &Scale) {
    out.push_str(r#"<g class="grid">"#);
    for (v, text) in marks {
        let y = scale.y(*v);
        let _ = write!(
            out,
            r#"<line x1="{:.1}" x2="{}" y1="{y:.1}" y2="{y:.1}" stroke="{GRID}" stroke-width="1"/><text x="{:.1}" y="{:.1}" text-anchor="end" fill="{MUTED}">{}</text>"#,
            scale.left,
            WIDTH - RIGHT,
            scale.left - 6.0,
            y + 4.0,
            escape(text)
        );
    }
    out.push_str("</g>");
}

fn label(out: &mut String, x: f64, anchor: &str, text: &str) {
    let _ = write!(
        out,
        r#"<text x="{x:.1}" y="{:.1}" text-anchor="{anchor}" fill="{MUTED}">{}</text>"#,
        HEIGHT - BOTTOM + 18.0,
        escape(text)
    );
}

/// The legend under the labels, from `x`: a swatch and a name per entry, `(name, colour,
/// dashed)`.
fn legend(out: &mut String, x: f64, entries: &[(&str, &str, bool)]) {
    let y = HEIGHT - 12.0;
    let mut x = x;
    out.push_str(r#"<g class="legend">"#);
    for (name, colour, dashed) in entries {
        if *dashed {
            let _ = write!(
                out,
                r#"<line x1="{x:.1}" x2="{:.1}" y1="{:.1}" y2="{:.1}" stroke="{colour}" stroke-width="2.5" stroke-dasharray="6 4"/>"#,
                x + 18.0,
                y - 4.0,
                y - 4.0
            );
        } else {
            let _ = write!(
                out,
                r#"<rect x="{x:.1}" y="{:.1}" width="18" height="9" rx="2" fill="{colour}"/>"#,
                y - 9.0
            );
        }
        let _ = write!(
            out,
            r#"<text x="{:.1}" y="{y:.1}" fill="{MUTED}">{}</text>"#,
            x + 24.0,
            escape(name)
        );
        x += 24.0 + CHAR * name.chars().count() as f64 + 18.0;
    }
    out.push_str("</g>");
}

fn path(points: &[(f64, f64)]) -> String {
    let mut d = String::new();
    for (i, (x, y)) in points.iter().enumerate() {
        let _ = write!(d, "{}{x:.1},{y:.1}", if i == 0 { "M" } else { "L" });
    }
    d
}

/// A closed band between the lower and upper values of consecutive points.
fn band(scale: &Scale, points: &[(usize, (f64, f64))]) -> String {
    let upper: Vec<(f64, f64)> = points
        .iter()
        .map(|(i, (_, hi))| (scale.x(*i), scale.y(*hi)))
        .collect();
    let mut d = path(&upper);
    for (i, (lo, _)) in points.iter().rev() {
        let _ = write!(d, "L{:.1},{:.1}", scale.x(*i), scale.y(*lo));
    }
    d.push('Z');
    d
}

/// The first and last labels of a line chart sit at the plot's edges: aligned inward.
fn anchor(i: usize, n: usize) -> &'static str {
    if i == 0 && n > 1 {
        "start"
    } else if i + 1 == n && n > 1 {
        "end"
    } else {
        "middle"
    }
}

/// A line chart as SVG text (see the crate's documentation).
pub fn line(chart: &Line<'_>) -> String {
    let points = chart.points;
    let format = chart.format;
    let values: Vec<f64> = points
        .iter()
        .flat_map(|p| {
            [
                p.actual,
                p.forecast,
                p.band95.map(|b| b.0),
                p.band95.map(|b| b.1),
            ]
        })
        .flatten()
        .collect();
    let lo = values.iter().copied().fold(0.0, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let (marks, scale) = Scale::new(lo, hi, points.len(), false, format);
    let actual: Vec<(f64, f64)> = points
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.actual.map(|v| (scale.x(i), scale.y(v))))
        .collect();
    // The forecast line starts at the last actual point without a forecast of its own (a period
    // under way has both), so the two join.
    let last_actual = points
        .iter()
        .rposition(|p| p.actual.is_some() && p.forecast.is_none());
    let forecast: Vec<(f64, f64)> = points
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let v = if Some(i) == last_actual && p.forecast.is_none() {
                p.actual
            } else {
                p.forecast
            };
            v.map(|v| (scale.x(i), scale.y(v)))
        })
        .collect();
    let bands = |pick: fn(&LinePoint) -> Option<(f64, f64)>| -> Vec<(usize, (f64, f64))> {
        points
            .iter()
            .enumerate()
            .filter_map(|(i, p)| pick(p).map(|b| (i, b)))
            .collect()
    };
    let (b80, b95) = (bands(|p| p.band80), bands(|p| p.band95));
    let [l_actual, l_forecast, l_80, l_95] = chart.legend;

    let mut out = String::new();
    open(&mut out, chart.title);
    grid(&mut out, &marks, &scale);
    let step = label_step(points.len());
    out.push_str(r#"<g class="x-labels">"#);
    for (i, p) in points.iter().enumerate().filter(|(i, _)| i % step == 0) {
        label(&mut out, scale.x(i), anchor(i, points.len()), &p.label);
    }
    out.push_str("</g>");
    if !b95.is_empty() {
        let _ = write!(
            out,
            r#"<path class="band95" d="{}" fill="{RED}" fill-opacity="0.10"/>"#,
            band(&scale, &b95)
        );
    }
    if !b80.is_empty() {
        let _ = write!(
            out,
            r#"<path class="band80" d="{}" fill="{RED}" fill-opacity="0.22"/>"#,
            band(&scale, &b80)
        );
    }
    if actual.len() > 1 {
        let _ = write!(
            out,
            r#"<path class="line actual" d="{}" fill="none" stroke="{BLUE}" stroke-width="2.5"/>"#,
            path(&actual)
        );
    }
    if forecast.len() > 1 {
        let _ = write!(
            out,
            r#"<path class="line forecast" d="{}" fill="none" stroke="{RED}" stroke-width="2.5" stroke-dasharray="6 4"/>"#,
            path(&forecast)
        );
    }
    for (i, p) in points.iter().enumerate() {
        let marks = [
            (p.actual, "point", BLUE),
            (p.forecast, "point forecast", RED),
        ];
        if p.actual.is_none() && p.forecast.is_none() {
            continue;
        }
        let mut tip = p.label.clone();
        if let Some(a) = p.actual {
            let _ = write!(tip, " — {l_actual}: {}", format(a));
        }
        if let Some(f) = p.forecast {
            let _ = write!(tip, " — {l_forecast}: {}", format(f));
        }
        if let Some((a, b)) = p.band95 {
            let _ = write!(tip, " ({l_95}: {} … {})", format(a), format(b));
        }
        for (v, class, colour) in marks {
            let Some(v) = v else { continue };
            let _ = write!(
                out,
                r#"<g class="{class}" tabindex="0"><title>{}</title><circle cx="{:.1}" cy="{:.1}" r="4" fill="{colour}"/></g>"#,
                escape(&tip),
                scale.x(i),
                scale.y(v)
            );
        }
    }
    let mut keys = vec![(l_actual, BLUE, false)];
    if !forecast.is_empty() {
        keys.push((l_forecast, RED, true));
        keys.push((l_80, "#eda792", false));
        keys.push((l_95, "#f6d6cc", false));
    }
    legend(&mut out, scale.left, &keys);
    out.push_str("</svg>");
    out
}

/// A bar chart as SVG text; stacked when the bars have more than one value.
pub fn bars(chart: &Bars<'_>) -> String {
    let bars = chart.bars;
    let format = chart.format;
    let stacks: Vec<Vec<(f64, f64)>> = bars.iter().map(|b| stack(&b.1)).collect();
    let ends: Vec<f64> = stacks
        .iter()
        .flatten()
        .flat_map(|(a, b)| [*a, *b])
        .collect();
    let hi = ends.iter().copied().fold(0.0, f64::max);
    let lo = ends.iter().copied().fold(0.0, f64::min);
    // Counts get whole-number ticks.
    let whole = bars.iter().flat_map(|b| &b.1).all(|v| v.fract() == 0.0);
    let (marks, scale) = Scale::new(lo, hi, bars.len(), whole, format);
    let slot = scale.inner() / bars.len().max(1) as f64;
    let width = (slot * 0.7).max(1.0);
    let step = label_step(bars.len());
    let series = chart.series;

    let mut out = String::new();
    open(&mut out, chart.title);
    grid(&mut out, &marks, &scale);
    for (i, ((name, values), segments)) in bars.iter().zip(&stacks).enumerate() {
        let parts: Vec<String> = values
            .iter()
            .zip(series)
            .map(|(v, s)| {
                if series.len() > 1 {
                    format!("{s} {}", format(*v))
                } else {
                    format(*v)
                }
            })
            .collect();
        let _ = write!(
            out,
            r#"<g class="bar" tabindex="0"><title>{}: {}</title>"#,
            escape(name),
            escape(&parts.join(" · "))
        );
        let x = scale.left + slot * i as f64 + (slot - width) / 2.0;
        // An empty segment draws nothing (not a sliver on top of the others).
        for (k, (bottom, top)) in segments.iter().enumerate().filter(|(_, (b, t))| t > b) {
            let colour = SERIES.get(k).copied().unwrap_or(MUTED);
            let _ = write!(
                out,
                r#"<rect class="series{k}" x="{x:.1}" y="{:.1}" width="{width:.1}" height="{:.1}" fill="{colour}"/>"#,
                scale.y(*top),
                scale.y(*bottom) - scale.y(*top)
            );
        }
        if i % step == 0 {
            label(
                &mut out,
                scale.left + slot * (i as f64 + 0.5),
                "middle",
                name,
            );
        }
        out.push_str("</g>");
    }
    let keys: Vec<(&str, &str, bool)> = series
        .iter()
        .enumerate()
        .map(|(k, s)| (s.as_str(), SERIES.get(k).copied().unwrap_or(MUTED), false))
        .collect();
    legend(&mut out, scale.left, &keys);
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(v: f64) -> String {
        compact_number(Lang::En, v)
    }

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        assert_eq!(
            ticks(0.0, 100.0, 5, false),
            vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
        );
        let t = ticks(0.0, 1_234_567.0, 5, false);
        assert_eq!(t.first(), Some(&0.0));
        assert!(*t.last().unwrap() >= 1_234_567.0 && t.len() <= 8, "{t:?}");
        assert_eq!(
            ticks(5.0, 5.0, 5, false).first(),
            Some(&5.0),
            "a flat series"
        );
        assert_eq!(ticks(0.0, 2.0, 5, false), vec![0.0, 0.5, 1.0, 1.5, 2.0]);
        assert_eq!(ticks(0.0, 2.0, 5, true), vec![0.0, 1.0, 2.0], "counts");
    }

    #[test]
    fn labels_thin_out_on_long_series() {
        assert_eq!(label_step(12), 2);
        assert_eq!(label_step(7), 1);
        assert_eq!(label_step(365), 37);
    }

    #[test]
    fn stacked_segments_sit_on_each_other() {
        assert_eq!(stack(&[3.0, 2.0]), vec![(0.0, 3.0), (3.0, 5.0)]);
        assert_eq!(
            stack(&[3.0, -1.0, 2.0]),
            vec![(0.0, 3.0), (-1.0, 0.0), (3.0, 5.0)]
        );
    }

    #[test]
    fn numbers_are_short_in_both_languages() {
        assert_eq!(compact_number(Lang::En, 1_240_000.0), "1.2M");
        assert_eq!(compact_number(Lang::Ru, 1_240_000.0), "1,2\u{a0}млн");
        assert_eq!(compact_number(Lang::En, 350_000.0), "350K");
        assert_eq!(compact_number(Lang::Ru, 999.0), "999");
    }

    #[test]
    fn periods_are_labelled_per_language() {
        assert_eq!(
            period_label(Lang::En, "2026-03-01", Granularity::Month),
            "Mar 2026"
        );
        assert_eq!(
            period_label(Lang::Ru, "2026-03-01", Granularity::Month),
            "мар 2026"
        );
        assert_eq!(
            period_label(Lang::En, "2026-03-02", Granularity::Week),
            "Mar 2"
        );
        assert_eq!(
            period_label(Lang::Ru, "2026-03-02", Granularity::Day),
            "02.03"
        );
        assert_eq!(period_label(Lang::Ru, "soon", Granularity::Day), "soon");
    }

    #[test]
    fn labels_are_escaped() {
        let bars = [("A & <B>".to_owned(), vec![1.0])];
        let series = ["Revenue \"net\"".to_owned()];
        let svg = super::bars(&Bars {
            title: "T<",
            bars: &bars,
            series: &series,
            format: &plain,
        });
        assert!(
            svg.contains("A &amp; &lt;B&gt;") && !svg.contains("<B>"),
            "{svg}"
        );
        assert!(svg.contains("aria-label=\"T&lt;\""), "{svg}");
        assert!(svg.contains("Revenue &quot;net&quot;"), "{svg}");
    }

    #[test]
    fn a_stacked_bar_has_a_segment_per_series_and_a_legend_entry_each() {
        let bars = [
            ("Jan".to_owned(), vec![3.0, 2.0]),
            ("Feb".to_owned(), vec![1.0, 4.0]),
        ];
        let series = ["new".to_owned(), "returning".to_owned()];
        let svg = super::bars(&Bars {
            title: "Buyers",
            bars: &bars,
            series: &series,
            format: &plain,
        });
        assert_eq!(svg.matches("class=\"series0\"").count(), 2, "{svg}");
        assert_eq!(svg.matches("class=\"series1\"").count(), 2, "{svg}");
        assert!(
            svg.contains("<title>Jan: new 3 · returning 2</title>"),
            "{svg}"
        );
        assert!(svg.contains(">returning</text>"), "{svg}");
        // The taller stack (5) reaches the top tick; both bars start at zero.
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    }

    #[test]
    fn empty_segments_draw_nothing_and_long_ticks_get_room() {
        let bars = [("Jan".to_owned(), vec![0.0, 2.0])];
        let series = ["new".to_owned(), "returning".to_owned()];
        let long = |v: f64| format!("{} тыс. RUB", compact_number(Lang::Ru, v));
        let svg = super::bars(&Bars {
            title: "Buyers",
            bars: &bars,
            series: &series,
            format: &long,
        });
        assert_eq!(svg.matches("class=\"series0\" x=").count(), 0, "{svg}");
        assert_eq!(svg.matches("class=\"series1\" x=").count(), 1, "{svg}");
        // "2 тыс. RUB" is 10 characters: the plot starts right of its label.
        assert!(svg.contains("<line x1=\"82.0\""), "{svg}");
    }

    #[test]
    fn the_forecast_joins_the_last_actual_point_and_has_bands() {
        let point = |label: &str, actual: Option<f64>, forecast: Option<f64>| LinePoint {
            label: label.into(),
            actual,
            forecast,
            band80: forecast.map(|f| (f - 1.0, f + 1.0)),
            band95: forecast.map(|f| (f - 2.0, f + 2.0)),
        };
        let points = [
            point("Jan", Some(10.0), None),
            point("Feb", Some(12.0), None),
            point("Mar", None, Some(13.0)),
        ];
        let svg = line(&Line {
            title: "Revenue",
            points: &points,
            legend: ["Actual", "Forecast", "80 %", "95 %"],
            format: &plain,
        });
        let forecast = svg
            .split("class=\"line forecast\" d=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap_or_default();
        assert_eq!(forecast.matches('L').count(), 1, "two points: {forecast}");
        assert!(svg.contains("class=\"band95\"") && svg.contains("class=\"band80\""));
        assert!(svg.contains("Mar — Forecast: 13 (95 %: 11 … 15)"), "{svg}");
        assert_eq!(svg.matches("tabindex=\"0\"").count(), 3);

        // March under way: its revenue so far and the forecast of the month, at one x; the
        // forecast line starts at February's actual.
        let points = [
            point("Jan", Some(10.0), None),
            point("Feb", Some(12.0), None),
            point("Mar", Some(4.0), Some(13.0)),
            point("Apr", None, Some(14.0)),
        ];
        let svg = line(&Line {
            title: "Revenue",
            points: &points,
            legend: ["Actual", "Forecast", "80 %", "95 %"],
            format: &plain,
        });
        let path_of = |class: &str| {
            svg.split(&format!("class=\"line {class}\" d=\""))
                .nth(1)
                .and_then(|s| s.split('"').next())
                .unwrap_or_default()
                .to_owned()
        };
        assert_eq!(path_of("forecast").matches('L').count(), 2, "{svg}");
        assert_eq!(path_of("actual").matches('L').count(), 2, "{svg}");
        assert_eq!(
            svg.matches("Mar — Actual: 4 — Forecast: 13").count(),
            2,
            "{svg}"
        );
        assert_eq!(svg.matches("tabindex=\"0\"").count(), 5);
    }
}
