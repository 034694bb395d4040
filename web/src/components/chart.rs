//! Charts drawn as SVG by our own code: a line chart with the forecast's 80% and 95% interval
//! bands, and a bar chart. Each has axes with locale-formatted ticks, a legend, a tooltip on
//! hover and keyboard focus (every point is focusable and carries its `<title>`), and scales to
//! the width of its container. The table beside each chart is its text alternative.

use dioxus::prelude::*;

use crate::gql::{Granularity, Money, TrendsReport};
use crate::i18n::Locale;
use crate::i18n::analytics::compact;
use crate::i18n::reports::period_label;

const W: f64 = 720.0;
const H: f64 = 280.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 36.0;

/// One period of a line chart: the actual value, or the forecast with its intervals.
#[derive(Clone, Debug, PartialEq)]
pub struct LinePoint {
    pub label: String,
    pub actual: Option<f64>,
    pub forecast: Option<f64>,
    pub band80: Option<(f64, f64)>,
    pub band95: Option<(f64, f64)>,
}

/// Major units of a money value, for charts.
pub fn major(m: &Option<Money>) -> Option<f64> {
    m.as_ref().and_then(|m| m.amount.parse().ok())
}

/// The series and its forecast as the line chart draws them.
pub fn trend_points(l: Locale, report: &TrendsReport, granularity: Granularity) -> Vec<LinePoint> {
    let amount = |m: &Money| m.amount.parse::<f64>().unwrap_or(0.0);
    report
        .series
        .iter()
        .map(|p| LinePoint {
            label: period_label(l, &p.start, granularity),
            actual: major(&p.revenue_in_base),
            forecast: None,
            band80: None,
            band95: None,
        })
        .chain(report.forecast.points.iter().map(|f| LinePoint {
            label: period_label(l, &f.start, granularity),
            actual: None,
            forecast: Some(amount(&f.value)),
            band80: Some((amount(&f.lower80), amount(&f.upper80))),
            band95: Some((amount(&f.lower95), amount(&f.upper95))),
        }))
        .collect()
}

/// The legend of a trend chart.
pub fn trend_legend(l: Locale) -> [String; 4] {
    let r = l.reports();
    [r.actual, r.forecast, r.interval80, r.interval95].map(str::to_owned)
}

/// Round tick values covering `min..=max`: 1, 2 or 5 times a power of ten apart.
pub fn ticks(min: f64, max: f64, want: usize) -> Vec<f64> {
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
    let mut v = (min / step).floor() * step;
    let mut out = vec![v];
    // Up to the first tick at or above the maximum, so the axis covers every value.
    while v < max && out.len() < 12 {
        v += step;
        out.push(v);
    }
    out
}

struct Scale {
    lo: f64,
    hi: f64,
    n: usize,
}

impl Scale {
    fn x(&self, i: usize) -> f64 {
        let inner = W - LEFT - RIGHT;
        if self.n <= 1 {
            LEFT + inner / 2.0
        } else {
            LEFT + inner * i as f64 / (self.n - 1) as f64
        }
    }
    fn y(&self, v: f64) -> f64 {
        let inner = H - TOP - BOTTOM;
        TOP + inner * (1.0 - (v - self.lo) / (self.hi - self.lo))
    }
}

fn path(points: &[(f64, f64)]) -> String {
    points
        .iter()
        .enumerate()
        .map(|(i, (x, y))| format!("{}{x:.1},{y:.1}", if i == 0 { "M" } else { "L" }))
        .collect()
}

/// A closed band between lower and upper values of consecutive points.
fn band(scale: &Scale, points: &[(usize, (f64, f64))]) -> String {
    let upper: Vec<(f64, f64)> = points
        .iter()
        .map(|(i, (_, hi))| (scale.x(*i), scale.y(*hi)))
        .collect();
    let lower: Vec<(f64, f64)> = points
        .iter()
        .rev()
        .map(|(i, (lo, _))| (scale.x(*i), scale.y(*lo)))
        .collect();
    let mut d = path(&upper);
    for (x, y) in lower {
        d.push_str(&format!("L{x:.1},{y:.1}"));
    }
    d.push('Z');
    d
}

/// The value axis: a line and a label at each tick.
fn grid(marks: &[f64], scale: &Scale, fmt: &dyn Fn(f64) -> String) -> Element {
    rsx! {
        g { class: "grid",
            for v in marks.iter() {
                line { x1: "{LEFT}", x2: "{W - RIGHT}", y1: "{scale.y(*v):.1}", y2: "{scale.y(*v):.1}" }
                text { x: "{LEFT - 6.0}", y: "{scale.y(*v) + 4.0:.1}", "text-anchor": "end", "{fmt(*v)}" }
            }
        }
    }
}

/// Ticks over `lo..=hi` and the scale they span.
fn axis(lo: f64, hi: f64, n: usize) -> (Vec<f64>, Scale) {
    let marks = ticks(lo, hi, 5);
    let scale = Scale {
        lo: marks.first().copied().unwrap_or(lo).min(lo),
        hi: marks.last().copied().unwrap_or(hi).max(hi),
        n,
    };
    (marks, scale)
}

/// The first and last labels of a line chart sit at the plot's edges: aligned inward, so
/// they are not cut off.
fn anchor(i: usize, n: usize) -> &'static str {
    if i == 0 && n > 1 {
        "start"
    } else if i + 1 == n && n > 1 {
        "end"
    } else {
        "middle"
    }
}

/// Every k-th label, so that at most about ten show.
fn label_step(n: usize) -> usize {
    n.div_ceil(10).max(1)
}

#[derive(Clone, PartialEq, Props)]
pub struct LineChartProps {
    pub id: String,
    /// What the chart shows, for screen readers and the legend.
    pub title: String,
    pub points: Vec<LinePoint>,
    /// Legend texts: actual, forecast, 80% interval, 95% interval.
    pub legend: [String; 4],
    /// Formats a value for ticks and tooltips.
    pub currency: String,
}

#[component]
pub fn LineChart(props: LineChartProps) -> Element {
    let locale: Signal<Locale> = use_context();
    let l = locale();
    let points = &props.points;
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
    let lo = values
        .iter()
        .copied()
        .fold(f64::INFINITY, f64::min)
        .min(0.0);
    let hi = values
        .iter()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max)
        .max(lo + 1.0);
    let (marks, scale) = axis(lo, hi, points.len());
    let actual: Vec<(f64, f64)> = points
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.actual.map(|v| (scale.x(i), scale.y(v))))
        .collect();
    // The forecast line starts at the last actual point, so the two join.
    let last_actual = points.iter().rposition(|p| p.actual.is_some());
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
    let b80: Vec<(usize, (f64, f64))> = points
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.band80.map(|b| (i, b)))
        .collect();
    let b95: Vec<(usize, (f64, f64))> = points
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.band95.map(|b| (i, b)))
        .collect();
    let step = label_step(points.len());
    let fmt = |v: f64| compact(l, v, &props.currency);
    let tip = |p: &LinePoint| {
        let mut t = p.label.clone();
        if let Some(v) = p.actual {
            t.push_str(&format!(" — {}: {}", props.legend[0], fmt(v)));
        }
        if let Some(v) = p.forecast {
            t.push_str(&format!(" — {}: {}", props.legend[1], fmt(v)));
        }
        if let Some((a, b)) = p.band95 {
            t.push_str(&format!(" ({}: {} … {})", props.legend[3], fmt(a), fmt(b)));
        }
        t
    };
    rsx! {
        figure { class: "chart", id: "{props.id}",
            svg {
                view_box: "0 0 {W} {H}",
                role: "img",
                "aria-label": "{props.title}",
                {grid(&marks, &scale, &fmt)}
                g { class: "x-labels",
                    for (i, p) in points.iter().enumerate() {
                        if i % step == 0 {
                            text { x: "{scale.x(i):.1}", y: "{H - 12.0}", "text-anchor": anchor(i, points.len()), "{p.label}" }
                        }
                    }
                }
                if !b95.is_empty() { path { class: "band95", d: "{band(&scale, &b95)}" } }
                if !b80.is_empty() { path { class: "band80", d: "{band(&scale, &b80)}" } }
                if actual.len() > 1 { path { class: "line actual", d: "{path(&actual)}" } }
                if forecast.len() > 1 { path { class: "line forecast", d: "{path(&forecast)}" } }
                for (i, p) in points.iter().enumerate() {
                    if let Some(v) = p.actual.or(p.forecast) {
                        g { class: if p.actual.is_some() { "point" } else { "point forecast" }, tabindex: "0",
                            title { "{tip(p)}" }
                            circle { cx: "{scale.x(i):.1}", cy: "{scale.y(v):.1}", r: "4" }
                        }
                    }
                }
            }
            figcaption { class: "legend",
                span { class: "key actual", "{props.legend[0]}" }
                if !forecast.is_empty() {
                    span { class: "key forecast", "{props.legend[1]}" }
                    span { class: "key band80", "{props.legend[2]}" }
                    span { class: "key band95", "{props.legend[3]}" }
                }
            }
        }
    }
}

#[derive(Clone, PartialEq, Props)]
pub struct BarChartProps {
    pub id: String,
    pub title: String,
    /// Label and value of each bar.
    pub bars: Vec<(String, f64)>,
    pub legend: String,
    pub currency: String,
}

#[component]
pub fn BarChart(props: BarChartProps) -> Element {
    let locale: Signal<Locale> = use_context();
    let l = locale();
    let bars = &props.bars;
    let hi = bars.iter().map(|b| b.1).fold(0.0, f64::max).max(1.0);
    let lo = bars.iter().map(|b| b.1).fold(0.0, f64::min);
    let (marks, scale) = axis(lo, hi, bars.len());
    let inner = W - LEFT - RIGHT;
    let slot = inner / bars.len().max(1) as f64;
    let width = (slot * 0.7).max(1.0);
    let step = label_step(bars.len());
    let fmt = |v: f64| compact(l, v, &props.currency);
    rsx! {
        figure { class: "chart", id: "{props.id}",
            svg {
                view_box: "0 0 {W} {H}",
                role: "img",
                "aria-label": "{props.title}",
                {grid(&marks, &scale, &fmt)}
                for (i, (label, v)) in bars.iter().enumerate() {
                    g { class: "bar", tabindex: "0",
                        title { "{label}: {fmt(*v)}" }
                        rect {
                            x: "{LEFT + slot * i as f64 + (slot - width) / 2.0:.1}",
                            y: "{scale.y(v.max(0.0)):.1}",
                            width: "{width:.1}",
                            height: "{(scale.y(v.min(0.0)) - scale.y(v.max(0.0))).max(0.5):.1}",
                        }
                        if i % step == 0 {
                            text { x: "{LEFT + slot * (i as f64 + 0.5):.1}", y: "{H - 12.0}", "text-anchor": "middle", "{label}" }
                        }
                    }
                }
            }
            figcaption { class: "legend", span { class: "key bar", "{props.legend}" } }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        assert_eq!(
            ticks(0.0, 100.0, 5),
            vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
        );
        let t = ticks(0.0, 1_234_567.0, 5);
        assert_eq!(t.first(), Some(&0.0));
        assert!(*t.last().unwrap() >= 1_234_567.0 && t.len() <= 8, "{t:?}");
        assert_eq!(
            ticks(5.0, 5.0, 5).first(),
            Some(&5.0),
            "a flat series still has an axis"
        );
    }

    #[test]
    fn labels_thin_out_on_long_series() {
        assert_eq!(label_step(12), 2);
        assert_eq!(label_step(7), 1);
        assert_eq!(label_step(365), 37);
    }
}
