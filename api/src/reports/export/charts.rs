//! The report's charts for the PDF: the SVG the web UI shows (`crm-charts`), from the same
//! figures — revenue by period and new against returning buyers (general report), revenue with
//! the forecast and its 80 % and 95 % intervals (sales trends), revenue by customer segment
//! (recommendations). Values are written short with the base currency's code (`1,2 млн RUB`).

use crm_charts::{self as charts, Granularity as By, LinePoint};

use super::{Lang, segment_name};
use crate::domain::money::Money;
use crate::reports::{Granularity, Report, ReportBody};

/// A chart: what it shows (a heading for the page) and its SVG.
pub struct Chart {
    pub title: String,
    pub svg: String,
}

fn lang_of(lang: Lang) -> charts::Lang {
    match lang {
        Lang::En => charts::Lang::En,
        Lang::Ru => charts::Lang::Ru,
    }
}

fn by(g: Granularity) -> By {
    match g {
        Granularity::Day => By::Day,
        Granularity::Week => By::Week,
        Granularity::Month => By::Month,
    }
}

/// Major units of a money value, for charts.
fn major(m: Option<&Money>) -> f64 {
    m.and_then(|m| m.amount.parse().ok()).unwrap_or(0.0)
}

/// The charts of `report`, in the order the web UI shows them.
pub fn for_report(report: &Report, lang: Lang) -> Vec<Chart> {
    let l = lang_of(lang);
    let currency = report.base_currency.clone();
    let money = move |v: f64| format!("{}\u{a0}{currency}", charts::compact_number(l, v));
    let count = move |v: f64| charts::decimal(l, v, 0);
    let granularity = by(report.parameters.granularity);
    let label = |start: chrono::NaiveDate| charts::period_label(l, &start.to_string(), granularity);
    match &report.body {
        ReportBody::General(g) => {
            let revenue: Vec<(String, Vec<f64>)> = g
                .periods
                .iter()
                .map(|p| {
                    (
                        label(p.start),
                        vec![major(p.figures.revenue_in_base.as_ref())],
                    )
                })
                .collect();
            let buyers: Vec<(String, Vec<f64>)> = g
                .periods
                .iter()
                .map(|p| {
                    let f = &p.figures;
                    let pair = vec![
                        crate::reports::minor_to_f64(f.new_buyers),
                        crate::reports::minor_to_f64(f.returning_buyers),
                    ];
                    (label(p.start), pair)
                })
                .collect();
            let revenue_title = lang.pick("Revenue by period", "Выручка по периодам");
            let buyers_title =
                lang.pick("New and returning buyers", "Новые и повторные покупатели");
            vec![
                Chart {
                    title: revenue_title.to_owned(),
                    svg: charts::bars(&charts::Bars {
                        title: revenue_title,
                        bars: &revenue,
                        series: &[lang.pick("Revenue", "Выручка").to_owned()],
                        format: &money,
                    }),
                },
                Chart {
                    title: buyers_title.to_owned(),
                    svg: charts::bars(&charts::Bars {
                        title: buyers_title,
                        bars: &buyers,
                        series: &[
                            lang.pick("new", "новые").to_owned(),
                            lang.pick("returning", "повторные").to_owned(),
                        ],
                        format: &count,
                    }),
                },
            ]
        }
        ReportBody::Trends(t) => {
            let value = |m: &Money| major(Some(m));
            let series = t.series.iter().map(|p| {
                let point = LinePoint {
                    label: label(p.start),
                    actual: p.revenue_in_base.as_ref().map(value),
                    forecast: None,
                    band80: None,
                    band95: None,
                };
                (p.start, point)
            });
            let forecast = t.forecast.points.iter().map(|f| {
                let point = LinePoint {
                    label: label(f.start),
                    actual: None,
                    forecast: Some(value(&f.value)),
                    band80: Some((value(&f.lower80), value(&f.upper80))),
                    band95: Some((value(&f.lower95), value(&f.upper95))),
                };
                (f.start, point)
            });
            let points = charts::join_forecast(series.collect(), forecast.collect());
            let title = lang.pick("Revenue and forecast", "Выручка и прогноз");
            vec![Chart {
                title: title.to_owned(),
                svg: charts::line(&charts::Line {
                    title,
                    points: &points,
                    legend: [
                        lang.pick("Actual", "Факт"),
                        lang.pick("Forecast", "Прогноз"),
                        lang.pick("80% interval", "Интервал 80 %"),
                        lang.pick("95% interval", "Интервал 95 %"),
                    ],
                    format: &money,
                }),
            }]
        }
        ReportBody::Recommendations(r) if !r.segments.is_empty() => {
            let bars: Vec<(String, Vec<f64>)> = r
                .segments
                .iter()
                .map(|s| {
                    (
                        segment_name(s.segment, lang).to_owned(),
                        vec![major(s.revenue_in_base.as_ref())],
                    )
                })
                .collect();
            let title = lang.pick(
                "Revenue by customer segment",
                "Выручка по сегментам клиентов",
            );
            vec![Chart {
                title: title.to_owned(),
                svg: charts::bars(&charts::Bars {
                    title,
                    bars: &bars,
                    series: &[lang.pick("Revenue", "Выручка").to_owned()],
                    format: &money,
                }),
            }]
        }
        ReportBody::Recommendations(_) => Vec::new(),
    }
}
