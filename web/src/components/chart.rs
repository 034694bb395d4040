//! The report charts in the page: the SVG that `crm-charts` draws (the PDF export draws the
//! same), in a `figure` that scales to the width of its container. The data come from the
//! report as the API sent it; values and ticks are written in the page's language and the
//! report's base currency. The table beside each chart is its text alternative.

use crm_charts as charts;
use dioxus::prelude::*;

pub use crm_charts::LinePoint;

use crate::gql::{Granularity, Money, TrendsReport};
use crate::i18n::Locale;
use crate::i18n::analytics::{compact, decimal};
use crate::i18n::reports::period_label;

/// Major units of a money value, for charts.
pub fn major(m: &Option<Money>) -> Option<f64> {
    m.as_ref().and_then(|m| m.amount.parse().ok())
}

/// The series and its forecast as the line chart draws them.
pub fn trend_points(l: Locale, report: &TrendsReport, granularity: Granularity) -> Vec<LinePoint> {
    let amount = |m: &Money| m.amount.parse::<f64>().unwrap_or(0.0);
    let series = report.series.iter().map(|p| {
        let point = LinePoint {
            label: period_label(l, &p.start, granularity),
            actual: major(&p.revenue_in_base),
            forecast: None,
            band80: None,
            band95: None,
        };
        (&*p.start, point)
    });
    let forecast = report.forecast.points.iter().map(|f| {
        let point = LinePoint {
            label: period_label(l, &f.start, granularity),
            actual: None,
            forecast: Some(amount(&f.value)),
            band80: Some((amount(&f.lower80), amount(&f.upper80))),
            band95: Some((amount(&f.lower95), amount(&f.upper95))),
        };
        (&*f.start, point)
    });
    charts::join_forecast(series.collect(), forecast.collect())
}

/// The legend of a trend chart.
pub fn trend_legend(l: Locale) -> [String; 4] {
    let r = l.reports();
    [r.actual, r.forecast, r.interval80, r.interval95].map(str::to_owned)
}

/// Writes chart values: money of `currency` in short form, or plain counts without one.
fn formatter(l: Locale, currency: String) -> impl Fn(f64) -> String {
    move |v| {
        if currency.is_empty() {
            decimal(l, v, 0)
        } else {
            compact(l, v, &currency)
        }
    }
}

#[derive(Clone, PartialEq, Props)]
pub struct LineChartProps {
    pub id: String,
    /// What the chart shows, for screen readers.
    pub title: String,
    pub points: Vec<LinePoint>,
    /// Legend texts: actual, forecast, 80% interval, 95% interval.
    pub legend: [String; 4],
    /// The currency of the values.
    pub currency: String,
}

#[component]
pub fn LineChart(props: LineChartProps) -> Element {
    let locale: Signal<Locale> = use_context();
    let format = formatter(locale(), props.currency.clone());
    let [a, b, c, d] = &props.legend;
    let svg = charts::line(&charts::Line {
        title: &props.title,
        points: &props.points,
        legend: [a, b, c, d],
        format: &format,
    });
    rsx! { figure { class: "chart", id: "{props.id}", dangerous_inner_html: svg } }
}

#[derive(Clone, PartialEq, Props)]
pub struct BarChartProps {
    pub id: String,
    pub title: String,
    /// Label of each bar and its value in each series, stacked in series order.
    pub bars: Vec<(String, Vec<f64>)>,
    /// The series' names, one per value of a bar; one series draws plain bars.
    pub legend: Vec<String>,
    /// The currency of the values; empty for counts.
    pub currency: String,
}

#[component]
pub fn BarChart(props: BarChartProps) -> Element {
    let locale: Signal<Locale> = use_context();
    let format = formatter(locale(), props.currency.clone());
    let svg = charts::bars(&charts::Bars {
        title: &props.title,
        bars: &props.bars,
        series: &props.legend,
        format: &format,
    });
    rsx! { figure { class: "chart", id: "{props.id}", dangerous_inner_html: svg } }
}
