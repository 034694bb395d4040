//! The report builder (`/reports/new`): type, period with quick periods, granularity, status,
//! currency, clients and amounts; the report runs as a job with progress and Cancel, and can be
//! saved. The parameters live in the address, so a report can be bookmarked; the form is a
//! plain GET form, so it works before the page is interactive. The report itself is shown by
//! [`ReportDocument`].

mod document;

pub use document::ReportDocument;

use chrono::{Datelike, Months, NaiveDate, Utc};
use dioxus::prelude::*;

use crate::api::UiError;
use crate::api::reports::{self, ReportQuery};
use crate::components::layout::PageTitle;
use crate::components::status::{field_error, form_error, loaded, not_loaded, pause_ms, use_ready};
use crate::gql::{ApiEnum, Granularity, JobState, JobView, ReportKind, SaleStatus};
use crate::i18n::Locale;
use crate::routes::{FORM_MARKER, Route, Text};

#[component]
#[allow(clippy::too_many_arguments)] // one per parameter of the address
pub fn ReportBuilder(
    kind: String,
    from: String,
    to: String,
    granularity: String,
    status: String,
    currency: String,
    client: Text,
    min: Text,
    max: Text,
    horizon: String,
) -> Element {
    let locale: Signal<Locale> = use_context();
    let l = locale();
    let r = l.reports();
    let t = l.texts();
    let q = ReportQuery {
        kind,
        from,
        to,
        granularity,
        status,
        currency,
        client: client.0,
        min: min.0,
        max: max.0,
        horizon,
    };
    let kind_value = if q.kind.is_empty() {
        "general".to_owned()
    } else {
        q.kind.to_lowercase()
    };
    rsx! {
        PageTitle { title: r.new_report }
        h1 { "{r.new_report}" }
        form { class: "toolbar builder", method: "get", action: "/reports/new", id: "report-builder",
            input { r#type: "hidden", name: FORM_MARKER.0, value: FORM_MARKER.1 }
            label {
                span { "{r.report_type} " }
                select { name: "kind",
                    for k in ReportKind::ALL.iter().copied() {
                        option { value: k.name().to_lowercase(), selected: kind_value == k.name().to_lowercase(), "{r.kind(k)}" }
                    }
                }
            }
            label { span { "{t.from_date} " } input { r#type: "date", name: "from", value: "{q.from}", required: true } }
            label { span { "{t.to_date} " } input { r#type: "date", name: "to", value: "{q.to}", required: true } }
            label {
                span { "{r.granularity} " }
                select { name: "granularity",
                    for g in [Granularity::Month, Granularity::Week, Granularity::Day] {
                        option { value: g.name().to_lowercase(), selected: q.granularity.eq_ignore_ascii_case(g.name()) || (q.granularity.is_empty() && g == Granularity::Month), "{r.granularity(g)}" }
                    }
                }
            }
            label {
                span { "{t.status} " }
                select { name: "status",
                    option { value: "", selected: q.status.is_empty(), "{r.all_statuses}" }
                    for s in [SaleStatus::Completed, SaleStatus::Pending, SaleStatus::Refunded] {
                        option { value: s.name().to_lowercase(), selected: q.status.eq_ignore_ascii_case(s.name()), "{t.status(s)}" }
                    }
                }
            }
            label { title: "{r.client_hint}",
                span { "{r.client_search} " }
                input { r#type: "search", name: "client", value: "{q.client}", maxlength: 100, placeholder: "{t.search}" }
            }
            label {
                span { "{t.currency} " }
                input { name: "currency", value: "{q.currency}", maxlength: 3, size: 4, placeholder: "{r.any_currency}" }
            }
            label { title: "{r.amount_hint}",
                span { "{r.amount_from} " }
                input { name: "min", value: "{q.min}", inputmode: "decimal", size: 8 }
            }
            label { title: "{r.amount_hint}",
                span { "{r.amount_to} " }
                input { name: "max", value: "{q.max}", inputmode: "decimal", size: 8 }
            }
            label { title: "{r.horizon_hint}",
                span { "{r.horizon} " }
                input { r#type: "number", name: "horizon", min: 1, max: 36, value: if q.horizon.is_empty() { "3".to_owned() } else { q.horizon.clone() } }
            }
            button { r#type: "submit", "{r.generate}" }
        }
        Presets { query: q.clone() }
        if q.is_complete() {
            ReportResult { query: q.clone() }
        } else {
            p { class: "empty", id: "report-empty", "{r.choose_parameters}" }
        }
    }
}

/// Links that fill in common periods, keeping the other parameters.
#[component]
fn Presets(query: ReportQuery) -> Element {
    let locale: Signal<Locale> = use_context();
    let company_today = use_server_future(reports::company_today)?;
    let r = locale().reports();
    // The company's today; the browser's (UTC) only if the server could not say.
    let today = company_today
        .read()
        .as_ref()
        .and_then(|answer| answer.as_ref().ok())
        .and_then(|d| d.parse::<NaiveDate>().ok())
        .unwrap_or_else(|| Utc::now().date_naive());
    let month_start = today.with_day(1).unwrap_or(today);
    let last_month_start = month_start
        .checked_sub_months(Months::new(1))
        .unwrap_or(month_start);
    let last_month_end = month_start.pred_opt().unwrap_or(month_start);
    let quarter_start = NaiveDate::from_ymd_opt(today.year(), (today.month0() / 3) * 3 + 1, 1)
        .unwrap_or(month_start);
    let year_ago = month_start
        .checked_sub_months(Months::new(11))
        .unwrap_or(month_start);
    let to_route = move |from: NaiveDate, to: NaiveDate| {
        Route::report(ReportQuery {
            kind: if query.kind.is_empty() {
                "general".to_owned()
            } else {
                query.kind.clone()
            },
            from: from.to_string(),
            to: to.to_string(),
            ..query.clone()
        })
    };
    rsx! {
        nav { class: "presets", "aria-label": "{r.presets}",
            Link { to: to_route(month_start, today), "{r.this_month}" }
            Link { to: to_route(last_month_start, last_month_end), "{r.last_month}" }
            Link { to: to_route(quarter_start, today), "{r.this_quarter}" }
            Link { to: to_route(year_ago, today), "{r.last_12_months}" }
        }
    }
}

/// Clients named in a report's filter, as many as fit on a line.
const CLIENTS_SHOWN: usize = 10;

/// Runs the report as a job: a quick one shows at once; a long one shows its progress (from
/// the job's change events, after the page is interactive) with Cancel, then the report.
#[component]
fn ReportResult(query: ReportQuery) -> Element {
    let locale: Signal<Locale> = use_context();
    let mut live = use_signal(|| None::<JobView>);
    let mut cancel_error = use_signal(|| None::<UiError>);
    // One view for every address of the builder: the report follows the address (a new view
    // per address, by key, would read the first report's server-rendered data again).
    let mut started = use_server_future(use_reactive!(|query| {
        live.set(None);
        cancel_error.set(None);
        reports::start_report(query)
    }))?;
    // Once the start answers with a running job, the browser follows it until it ends
    // (effects run only in the browser, after hydration or a client-side navigation).
    use_effect(move || {
        let job = match &*started.read() {
            Some(Ok(s)) if s.job.state == JobState::Running => s.job.id.to_string(),
            _ => return,
        };
        spawn(async move {
            // A dropped connection is taken up again: its first event is the job as it stands.
            for _ in 0..20 {
                if let Ok(mut events) = reports::report_progress(job.clone()).await {
                    while let Some(Ok(j)) = events.recv().await {
                        // The address changed to another report meanwhile: this one is over.
                        let current = started
                            .peek()
                            .as_ref()
                            .and_then(|r| r.as_ref().ok())
                            .is_some_and(|s| s.job.id.as_str() == job);
                        if !current {
                            return;
                        }
                        let done = j.state != JobState::Running;
                        live.set(Some(j));
                        if done {
                            return;
                        }
                    }
                }
                if live
                    .peek()
                    .as_ref()
                    .is_some_and(|j| j.state != JobState::Running)
                    || !pause_ms(1000).await
                {
                    return;
                }
            }
        });
    });
    let l = locale();
    let r = l.reports();
    let started_value = match loaded(&started) {
        Ok(v) => v,
        Err(None) => return rsx! { p { class: "loading", role: "status", "{r.computing}" } },
        Err(state) => return not_loaded(state),
    };
    let job = live().unwrap_or(started_value.job.clone());
    let clients = started_value.clients.clone();
    let mut restart = move || {
        live.set(None);
        started.restart();
    };
    match (job.state, job.report.clone()) {
        (JobState::Done, Some(report)) => {
            let lang = l.code();
            // The job's own exports: they carry the assistant's narrative once it is written.
            let exports = ["pdf", "csv", "xlsx"]
                .map(|f| format!("/reports/jobs/{}/export?format={f}&lang={lang}", job.id))
                .to_vec();
            let more = clients.len().saturating_sub(CLIENTS_SHOWN);
            rsx! {
                if !clients.is_empty() {
                    p { class: "muted", id: "report-clients",
                        "{r.selected_clients}: "
                        for (i, c) in clients.iter().take(CLIENTS_SHOWN).enumerate() {
                            if i > 0 { ", " }
                            Link { to: Route::client(c.id.to_string()), "{c.name}" }
                        }
                        if more > 0 { " +{more}" }
                    }
                }
                SaveReport { query: query.clone() }
                ReportDocument { report, exports, job: job.id.to_string() }
            }
        }
        (JobState::Running, _) => {
            let id = job.id.to_string();
            rsx! {
                section { class: "report-running", id: "report-progress", role: "status",
                    h2 { "{r.running}…" }
                    progress { class: "report-progress", max: 100, value: job.progress, "{job.progress} %" }
                    p { class: "muted", "{job.progress} % · {r.step(&job.step)}" }
                    button { r#type: "button", id: "cancel-report",
                        onclick: move |_| {
                            let id = id.clone();
                            async move {
                                match reports::cancel_report(id).await {
                                    Ok(j) => live.set(Some(j)),
                                    Err(e) => cancel_error.set(Some(UiError::from(&e))),
                                }
                            }
                        },
                        "{r.cancel_report}"
                    }
                    if let Some(message) = form_error(&cancel_error(), &[]) { p { class: "error", role: "alert", "{message}" } }
                }
            }
        }
        (JobState::Cancelled, _) => rsx! {
            p { class: "empty", id: "report-cancelled", role: "status", "{r.cancelled} "
                button { r#type: "button", class: "link", onclick: move |_| restart(), "{r.run_again}" }
            }
        },
        _ => rsx! {
            p { class: "error", id: "report-failed", role: "alert",
                "{r.failed} {job.error.clone().unwrap_or_default()} "
                button { r#type: "button", class: "link", onclick: move |_| restart(), "{r.run_again}" }
            }
        },
    }
}

/// Saves the report on screen under a name, then links to the saved copy.
#[component]
fn SaveReport(query: ReportQuery) -> Element {
    let ready = use_ready();
    let locale: Signal<Locale> = use_context();
    let r = locale().reports();
    let t = locale().texts();
    let mut name = use_signal(String::new);
    let mut saved = use_signal(|| None::<String>);
    let mut error = use_signal(|| None::<UiError>);
    let mut busy = use_signal(|| false);
    if let Some(id) = saved() {
        return rsx! {
            p { class: "saved", role: "status", id: "report-saved",
                "{r.saved} "
                Link { to: Route::SavedReport { id }, "{r.open_saved} →" }
            }
        };
    }
    rsx! {
        form { method: "post", class: "toolbar", id: "save-report",
            onsubmit: move |e: FormEvent| {
                e.prevent_default();
                let q = query.clone();
                async move {
                    busy.set(true);
                    match reports::save_report(q, name()).await {
                        Ok(id) => saved.set(Some(id)),
                        Err(e) => error.set(Some(UiError::from(&e))),
                    }
                    busy.set(false);
                }
            },
            label { class: "grow",
                span { "{r.save_as} " }
                input { name: "name", required: true, maxlength: 200, value: "{name}", oninput: move |e| name.set(e.value()) }
            }
            button { r#type: "submit", disabled: busy() || !ready(), "{t.save}" }
            if let Some(message) = field_error(&error(), "name") { p { class: "field-error", "{message}" } }
            if let Some(message) = form_error(&error(), &["name"]) { p { class: "error", role: "alert", "{message}" } }
        }
    }
}
