//! A report as people read it, computed or saved: key figures, SVG charts beside their tables,
//! the commentary (our summary of the figures, then the assistant's checked words, streamed as
//! it writes them and labelled as AI), and downloads as PDF, CSV and XLSX.

use dioxus::prelude::*;

use crate::api::reports;
use crate::components::analytics::ActionCard;
use crate::components::chart::{BarChart, LineChart, major, trend_legend, trend_points};
use crate::components::status::pause_ms;
use crate::gql::{
    AssistantModel, ClientScoreRow, Figures, GeneralReport, Granularity, Language, ModelPhase,
    Money, Narrative, NarrativeUnavailable, RecommendationsReport, Report, ReportBody,
    SegmentFigures, TrendsReport,
};
use crate::i18n::analytics::{decimal, percent};
use crate::i18n::reports::{change, forecast_note, period_label};
use crate::i18n::{self, Locale};
use crate::routes::Route;

/// A computed or saved report: when and how it was cut, downloads, the commentary, the body.
/// `exports` are the PDF, CSV and XLSX addresses. `job` or `saved` names where the report is
/// kept, so the assistant may write its narrative there; with neither (a read-only link), only
/// a narrative already written shows.
#[component]
pub fn ReportDocument(
    report: Report,
    exports: Vec<String>,
    #[props(default)] job: String,
    #[props(default)] saved: String,
) -> Element {
    let locale: Signal<Locale> = use_context();
    let l = locale();
    let r = l.reports();
    let summary = match l {
        Locale::En => report.summary.en.clone(),
        Locale::Ru => report.summary.ru.clone(),
    };
    let href = |i: usize| exports.get(i).cloned().unwrap_or_default();
    let p = &report.parameters;
    rsx! {
        section { class: "report", id: "report",
            div { class: "report-head",
                div {
                    h2 { class: "report-title", "{r.kind(p.kind)}: {&*p.from} — {&*p.to}" }
                    p { class: "muted",
                        "{r.generated}: {i18n::date(l, &report.generated_at)} · {r.time_zone} {report.time_zone}"
                    }
                }
                nav { class: "downloads", "aria-label": "{r.export}",
                    span { "{r.export}: " }
                    a { id: "export-pdf", href: href(0), download: "", "PDF" }
                    a { id: "export-csv", href: href(1), download: "", "CSV" }
                    a { id: "export-xlsx", href: href(2), download: "", "XLSX" }
                }
            }
            aside { class: "commentary", id: "report-summary",
                h2 { "{r.commentary}" }
                p { "{summary}" }
                AiNarrative { key: "{job}-{saved}", cached: report.narratives.clone(), job: job.clone(), saved: saved.clone() }
                ModelState {}
            }
            if !report.missing_rates.is_empty() {
                p { class: "error", role: "alert",
                    "{r.missing_rates} "
                    {report.missing_rates.iter().map(|m| format!("{} ({})", m.currency, &*m.on)).collect::<Vec<_>>().join(", ")}
                }
            }
            {body(&report)}
        }
    }
}

/// The assistant's words beside the summary, labelled as AI-written: the cached narrative in
/// the page's language, else (in the browser) written now and shown a checked sentence at a
/// time. Withheld text, a model that does not write this language, a busy or failed model each
/// get their line; an absent or not yet ready model gets none (the model line says why).
#[component]
fn AiNarrative(cached: Vec<Narrative>, job: String, saved: String) -> Element {
    let locale: Signal<Locale> = use_context();
    let l = locale();
    let language = match l {
        Locale::En => Language::En,
        Locale::Ru => Language::Ru,
    };
    let stored = cached.iter().find(|n| n.language == language).cloned();
    let mut text = use_signal(String::new);
    let mut finished = use_signal(|| None::<Narrative>);
    let mut unavailable = use_signal(|| None::<NarrativeUnavailable>);
    let mut writing = use_signal(|| false);
    let wanted = stored.is_none() && (!job.is_empty() || !saved.is_empty());
    use_future(move || {
        let (job, saved) = (job.clone(), saved.clone());
        async move {
            // Written from the browser once the page is live, never during server rendering.
            if cfg!(feature = "server") || !wanted {
                return;
            }
            writing.set(true);
            match reports::report_narrative(job, saved, l.code().to_owned()).await {
                Ok(mut events) => {
                    while let Some(Ok(event)) = events.recv().await {
                        text.write().push_str(&event.delta);
                        if let Some(n) = event.narrative {
                            finished.set(Some(n));
                        }
                        if let Some(why) = event.unavailable {
                            // A model that failed midway never had its text judged whole.
                            text.set(String::new());
                            unavailable.set(Some(why));
                        }
                    }
                }
                Err(_) => unavailable.set(Some(NarrativeUnavailable::Failed)),
            }
            writing.set(false);
        }
    });
    let r = l.reports();
    let shown = stored.clone().or_else(|| finished.cloned());
    let (body, model) = match &shown {
        Some(n) if n.withheld => {
            return rsx! { p { class: "muted small", id: "ai-withheld", "{r.ai_withheld}" } };
        }
        Some(n) => (n.text.clone(), n.model.clone()),
        None => (text(), String::new()),
    };
    if body.is_empty() {
        return match (writing(), unavailable()) {
            (true, _) => rsx! {
                p { class: "muted small ai-writing", id: "ai-writing", role: "status", "{r.ai_writing}" }
            },
            (false, Some(why)) => match r.ai_unavailable(why) {
                Some(line) => rsx! { p { class: "muted small", id: "ai-unavailable", "{line}" } },
                None => rsx! {},
            },
            (false, None) => rsx! {},
        };
    }
    let label = if model.is_empty() {
        r.ai_label.to_owned()
    } else {
        format!("{} · {model}", r.ai_label)
    };
    rsx! {
        div { class: "ai-narrative", id: "ai-narrative", "aria-live": "polite",
            p { class: "ai-label", id: "ai-label", title: "{r.ai_label_hint}", "{label}" }
            p { class: "ai-text", id: "ai-text", "{body}" }
        }
    }
}

/// The assistant's model under the summary: off, downloading (with progress), starting, ready or
/// failed with its reason; asked again every two seconds until it settles. Nothing while it is
/// first asked, or if asking fails.
#[component]
fn ModelState() -> Element {
    let locale: Signal<Locale> = use_context();
    let mut state = use_signal(|| None::<AssistantModel>);
    use_future(move || async move {
        // Asked from the browser once the page is live; the server-rendered page has no line.
        if cfg!(feature = "server") {
            return;
        }
        while let Ok(model) = crate::api::assistant::assistant_model().await {
            let settled = !matches!(model.phase, ModelPhase::Downloading | ModelPhase::Loading);
            state.set(Some(model));
            if settled || !pause_ms(2000).await {
                return;
            }
        }
    });
    let Some(model) = state() else {
        return rsx! {};
    };
    let text = i18n::reports::model_state(locale(), &model);
    rsx! { p { class: "muted small", id: "assistant-model", "{text}" } }
}

fn body(report: &Report) -> Element {
    let granularity = report.parameters.granularity;
    let base = report.base_currency.clone();
    match &report.body {
        ReportBody::General(g) => rsx! { General { report: g.clone(), granularity, base } },
        ReportBody::Trends(t) => rsx! { Trends { report: t.clone(), granularity, base } },
        ReportBody::Recommendations(r) => rsx! { Recommendations { report: r.clone(), base } },
        ReportBody::Unknown => rsx! {},
    }
}

fn money(l: Locale, m: &Option<Money>) -> String {
    m.as_ref()
        .map(|m| i18n::money(l, &m.amount, &m.currency))
        .unwrap_or_else(|| "—".into())
}

#[component]
fn KeyFigures(totals: Figures, change_of: crate::gql::Change) -> Element {
    let locale: Signal<Locale> = use_context();
    let l = locale();
    let r = l.reports();
    rsx! {
        section { class: "figures", id: "key-figures",
            div { class: "figure",
                h2 { "{r.revenue}" }
                p { class: "big", "{money(l, &totals.revenue_in_base)}" }
                p { class: "muted small", "{change(l, change_of.revenue_percent)} {r.vs_previous}" }
            }
            div { class: "figure",
                h2 { "{r.sales}" }
                p { class: "big", "{totals.sales_count}" }
                p { class: "muted small", "{change(l, change_of.sales_count_percent)} {r.vs_previous}" }
            }
            div { class: "figure",
                h2 { "{r.average_order}" }
                p { class: "big", "{money(l, &totals.average_order_value)}" }
                p { class: "muted small", "{change(l, change_of.average_order_value_percent)} {r.vs_previous}" }
            }
            div { class: "figure",
                h2 { "{r.buyers}" }
                p { class: "big", "{totals.buyers}" }
                p { class: "muted small", "{r.new_buyers} {totals.new_buyers} · {r.returning_buyers} {totals.returning_buyers}" }
            }
        }
    }
}

#[component]
fn General(report: GeneralReport, granularity: Granularity, base: String) -> Element {
    let locale: Signal<Locale> = use_context();
    let l = locale();
    let r = l.reports();
    let t = l.texts();
    let g = &report;
    if g.totals.sales_count == 0 {
        return rsx! { p { class: "empty", id: "report-no-sales", "{r.no_sales}" } };
    }
    let bars: Vec<(String, Vec<f64>)> = g
        .periods
        .iter()
        .map(|p| {
            (
                period_label(l, &p.start, granularity),
                vec![major(&p.figures.revenue_in_base).unwrap_or(0.0)],
            )
        })
        .collect();
    let buyers: Vec<(String, Vec<f64>)> = g
        .periods
        .iter()
        .map(|p| {
            (
                period_label(l, &p.start, granularity),
                vec![
                    f64::from(p.figures.new_buyers),
                    f64::from(p.figures.returning_buyers),
                ],
            )
        })
        .collect();
    let months = g
        .cohorts
        .iter()
        .map(|c| c.retention.len())
        .max()
        .unwrap_or(0);
    rsx! {
        KeyFigures { totals: g.totals.clone(), change_of: g.change.clone() }
        h2 { "{r.by_period}" }
        BarChart { id: "chart-periods", title: "{r.revenue_by_period}", bars, legend: vec![r.revenue.to_owned()], currency: "{base}" }
        h2 { "{r.new_and_returning}" }
        BarChart { id: "chart-buyers", title: "{r.new_and_returning}", bars: buyers, legend: vec![r.new_buyers.to_owned(), r.returning_buyers.to_owned()], currency: "" }
        div { class: "scroll",
            table { class: "list", id: "table-periods",
                thead { tr { th { "{r.period}" } th { class: "num", "{r.revenue}" } th { class: "num", "{r.sales}" } th { class: "num", "{r.buyers}" } th { class: "num", "{r.new_buyers}" } th { class: "num", "{r.returning_buyers}" } } }
                tbody {
                    for p in g.periods.iter() {
                        tr {
                            td { "{period_label(l, &p.start, granularity)}" if p.partial { span { class: "muted", " ({r.partial})" } } }
                            td { class: "num", "{money(l, &p.figures.revenue_in_base)}" }
                            td { class: "num", "{p.figures.sales_count}" }
                            td { class: "num", "{p.figures.buyers}" }
                            td { class: "num", "{p.figures.new_buyers}" }
                            td { class: "num", "{p.figures.returning_buyers}" }
                        }
                    }
                }
            }
        }
        div { class: "columns",
            section {
                h2 { "{r.top_clients}" }
                table { class: "list", id: "table-top-clients",
                    thead { tr { th { "{t.client}" } th { class: "num", "{r.sales}" } th { class: "num", "{r.revenue}" } } }
                    tbody {
                        for c in g.top_clients.iter() {
                            tr {
                                td { Link { to: Route::client(c.client.id.to_string()), "{c.client.name}" } }
                                td { class: "num", "{c.sales_count}" }
                                td { class: "num", "{money(l, &c.revenue_in_base)}" }
                            }
                        }
                    }
                }
            }
            section {
                h2 { "{r.by_status}" }
                table { class: "list", id: "table-status",
                    thead { tr { th { "{t.status}" } th { class: "num", "{r.sales}" } th { class: "num", "{t.amount}" } } }
                    tbody {
                        for s in g.by_status.iter() {
                            tr {
                                td { "{t.status(s.status)}" span { class: "muted", if s.counted { " ({r.counted})" } else { " ({r.not_counted})" } } }
                                td { class: "num", "{s.sales_count}" }
                                td { class: "num", {s.amounts.iter().map(|m| i18n::money(l, &m.amount, &m.currency)).collect::<Vec<_>>().join(" · ")} }
                            }
                        }
                    }
                }
                h2 { "{r.by_currency}" }
                table { class: "list", id: "table-currency",
                    thead { tr { th { "{t.currency}" } th { class: "num", "{r.revenue}" } th { class: "num", "{r.in_base}" } th { class: "num", "{r.share}" } } }
                    tbody {
                        for c in g.by_currency.iter() {
                            tr {
                                td { "{c.currency}" }
                                td { class: "num", "{i18n::money(l, &c.revenue.amount, &c.revenue.currency)}" }
                                td { class: "num", "{money(l, &c.revenue_in_base)}" }
                                td { class: "num", {c.share_percent.map(|p| percent(l, p / 100.0)).unwrap_or_else(|| "—".into())} }
                            }
                        }
                    }
                }
            }
        }
        Segments { segments: g.segments.clone() }
        if !g.cohorts.is_empty() {
            h2 { "{r.cohorts}" }
            p { class: "muted small", "{r.months_after}" }
            div { class: "scroll",
                table { class: "list heatmap", id: "table-cohorts",
                    thead { tr {
                        th { "{r.cohort_month}" }
                        th { class: "num", "{r.clients}" }
                        for m in 0..months { th { class: "num", "+{m}" } }
                    } }
                    tbody {
                        for c in g.cohorts.iter() {
                            tr {
                                td { "{period_label(l, &c.month, Granularity::Month)}" }
                                td { class: "num", "{c.clients}" }
                                for v in c.retention.iter() {
                                    td { class: "num cell", style: heat(*v), "{percent(l, *v)}" }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A heat-map cell's colours for a retention share 0..=1.
fn heat(share: f64) -> String {
    let alpha = (share * 0.85).clamp(0.0, 0.85);
    let text = if share > 0.45 { "#fff" } else { "inherit" };
    format!("background: rgba(36, 83, 214, {alpha:.2}); color: {text}")
}

#[component]
fn Segments(segments: Vec<SegmentFigures>) -> Element {
    let locale: Signal<Locale> = use_context();
    let l = locale();
    let r = l.reports();
    let a = l.analytics();
    if segments.is_empty() {
        return rsx! {};
    }
    rsx! {
        h2 { "{r.segments}" }
        table { class: "list", id: "table-segments",
            thead { tr { th { "{a.segment}" } th { class: "num", "{r.clients}" } th { class: "num", "{r.revenue}" } } }
            tbody {
                for s in segments.iter() {
                    tr {
                        td { "{a.segment(s.segment)}" }
                        td { class: "num", "{s.clients}" }
                        td { class: "num", "{money(l, &s.revenue_in_base)}" }
                    }
                }
            }
        }
    }
}

#[component]
fn Trends(report: TrendsReport, granularity: Granularity, base: String) -> Element {
    let locale: Signal<Locale> = use_context();
    let l = locale();
    let r = l.reports();
    let tr_ = &report;
    if tr_.series.iter().all(|p| p.sales_count == 0) {
        return rsx! { p { class: "empty", id: "report-no-sales", "{r.no_sales}" } };
    }
    let points = trend_points(l, tr_, granularity);
    let legend = trend_legend(l);
    let accuracy = tr_.forecast.accuracy.clone();
    rsx! {
        section { class: "figures", id: "key-figures",
            div { class: "figure",
                h2 { "{r.growth_over_range}" }
                p { class: "big", "{change(l, tr_.growth_over_range_percent)}" }
            }
            div { class: "figure",
                h2 { "{r.seasonality}" }
                p { class: "big",
                    if let (Some(s), true) = (tr_.seasonal_strength, tr_.season_length > 1) {
                        "{tr_.season_length} · {percent(l, s)}"
                    } else {
                        "{r.no_seasonality}"
                    }
                }
            }
            div { class: "figure",
                h2 { "{r.accuracy}" }
                if let Some(a) = accuracy.as_ref().and_then(|a| a.mase.map(|m| (m, a))) {
                    p { class: "big", title: "{r.accuracy_line}", "MASE {decimal(l, a.0, 2)}" }
                    p { class: "muted small",
                        {a.1.baseline_mase.map(|b| format!("{}: {}", r.baseline, decimal(l, b, 2))).unwrap_or_default()}
                        " · 80 %: {percent(l, a.1.coverage80)} · 95 %: {percent(l, a.1.coverage95)}"
                    }
                } else {
                    p { class: "muted", "{r.no_accuracy}" }
                }
            }
        }
        LineChart { id: "chart-trend", title: "{r.actual} / {r.forecast}", points, legend, currency: "{base}" }
        for n in tr_.forecast.notes.iter() {
            p { class: "muted small note", "{forecast_note(l, n)}" }
        }
        div { class: "scroll",
            table { class: "list", id: "table-series",
                thead { tr { th { "{r.period}" } th { class: "num", "{r.revenue}" } th { class: "num", "{r.sales}" } th { class: "num", "{r.growth}" } } }
                tbody {
                    for p in tr_.series.iter() {
                        tr {
                            td { "{period_label(l, &p.start, granularity)}" if p.partial { span { class: "muted", " ({r.partial})" } } }
                            td { class: "num", "{money(l, &p.revenue_in_base)}" }
                            td { class: "num", "{p.sales_count}" }
                            td { class: "num", "{change(l, p.growth_percent)}" }
                        }
                    }
                    for f in tr_.forecast.points.iter() {
                        tr { class: "forecast",
                            td { "{period_label(l, &f.start, granularity)} — {r.forecast}" }
                            td { class: "num", "{i18n::money(l, &f.value.amount, &f.value.currency)}" }
                            td { class: "num muted", colspan: 2,
                                "95 %: {i18n::money(l, &f.lower95.amount, &f.lower95.currency)} … {i18n::money(l, &f.upper95.amount, &f.upper95.currency)}"
                            }
                        }
                    }
                }
            }
        }
    }
}

#[component]
fn ScoreTable(id: String, rows: Vec<ClientScoreRow>) -> Element {
    let locale: Signal<Locale> = use_context();
    let l = locale();
    let r = l.reports();
    let a = l.analytics();
    let t = l.texts();
    if rows.is_empty() {
        return rsx! { p { class: "muted", "{r.nobody}" } };
    }
    rsx! {
        div { class: "scroll",
            table { class: "list", id: "{id}",
                thead { tr {
                    th { "{t.client}" } th { "{a.segment}" } th { class: "num", "{a.p_alive}" }
                    th { class: "num", "{a.expected_order_value}" } th { class: "num", "{a.clv}" }
                } }
                tbody {
                    for c in rows.iter() {
                        tr {
                            td { Link { to: Route::client(c.client.id.to_string()), "{c.client.name}" } }
                            td { "{a.segment(c.segment)}" }
                            td { class: "num", "{percent(l, c.p_alive)}" }
                            td { class: "num", "{money(l, &c.expected_order_value)}" }
                            td { class: "num", "{money(l, &c.clv_12_months)}" }
                        }
                    }
                }
            }
        }
    }
}

#[component]
fn Recommendations(report: RecommendationsReport, base: String) -> Element {
    let locale: Signal<Locale> = use_context();
    let l = locale();
    let r = l.reports();
    let a = l.analytics();
    let rec = &report;
    if rec.model.clients == 0 {
        return rsx! { p { class: "empty", id: "report-no-sales", "{r.no_sales}" } };
    }
    let bars: Vec<(String, Vec<f64>)> = rec
        .segments
        .iter()
        .map(|s| {
            (
                a.segment(s.segment).to_owned(),
                vec![major(&s.revenue_in_base).unwrap_or(0.0)],
            )
        })
        .collect();
    rsx! {
        section { class: "figures", id: "key-figures",
            div { class: "figure", h2 { "{r.model_clients}" } p { class: "big", "{rec.model.clients}" } }
            div { class: "figure", h2 { "{r.returning_buyers}" } p { class: "big", "{rec.model.repeat_buyers}" } }
        }
        if rec.model.rough {
            p { class: "muted small note", id: "rough-models", "{a.rough_models}" }
        }
        if let Some(note) = rec.model.note.as_ref() {
            p { class: "muted small note", "{note}" }
        }
        h2 { "{r.actions}" }
        if rec.actions.is_empty() {
            p { class: "muted", "{a.no_actions}" }
        }
        div { id: "report-actions",
            for action in rec.actions.iter() {
                ActionCard { action: action.clone(), link_client: true }
            }
        }
        div { class: "columns",
            section { h2 { "{r.at_risk}" } ScoreTable { id: "table-at-risk", rows: rec.at_risk.clone() } }
            section { h2 { "{r.likely_to_buy}" } ScoreTable { id: "table-likely", rows: rec.likely_to_buy.clone() } }
        }
        if !bars.is_empty() {
            h2 { "{r.segments}" }
            BarChart { id: "chart-segments", title: "{r.segments}", bars, legend: vec![r.revenue.to_owned()], currency: "{base}" }
        }
        Segments { segments: rec.segments.clone() }
    }
}
