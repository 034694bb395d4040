//! The analytics pieces the client and start screens share: a client's scores panel and a
//! list of recommended actions with the numbers behind each.

use dioxus::prelude::*;

use crate::api::UiError;
use crate::api::{clients, dashboard};
use crate::components::chart::{LineChart, trend_legend, trend_points};
use crate::components::status::ErrorBox;
use crate::gql::{ClientAnalytics, Granularity, RecommendedAction, ReportBody};
use crate::i18n::analytics::{decimal, evidence_value, percent};
use crate::i18n::{self, Locale};
use crate::routes::Route;

/// A client's model scores and recommended action (loaded on its own: the first view after
/// new sales recomputes the company's models).
#[component]
pub fn ClientAnalyticsPanel(id: String) -> Element {
    let locale: Signal<Locale> = use_context();
    let data = use_server_future(use_reactive!(|id| clients::client_analytics(id)))?;
    let l = locale();
    let a = l.analytics();
    let body = match &*data.read() {
        None => rsx! { p { class: "loading", role: "status", "{a.computing}" } },
        Some(Err(e)) => rsx! { ErrorBox { error: UiError::from(e) } },
        Some(Ok(None)) => rsx! { p { class: "empty", "{a.no_scores}" } },
        Some(Ok(Some(scores))) => rsx! { Scores { scores: scores.clone() } },
    };
    rsx! {
        section { class: "panel analytics", id: "client-analytics",
            h2 { "{a.analytics}" }
            {body}
        }
    }
}

#[component]
fn Scores(scores: ClientAnalytics) -> Element {
    let locale: Signal<Locale> = use_context();
    let l = locale();
    let a = l.analytics();
    let s = &scores.score;
    let money = |m: &Option<crate::gql::Money>| {
        m.as_ref()
            .map(|m| i18n::money(l, &m.amount, &m.currency))
            .unwrap_or_else(|| "—".into())
    };
    let note = match l {
        Locale::En => &scores.note.en,
        Locale::Ru => &scores.note.ru,
    };
    rsx! {
        p { class: "client-note", id: "client-note", "{note}" }
        if scores.model.rough {
            p { class: "muted small note", id: "rough-models", "{a.rough_models}" }
        }
        dl { class: "scores",
            div { dt { "{a.segment}" } dd { id: "score-segment", "{a.segment(s.segment)}" } }
            div { dt { title: "{a.p_alive_hint}", "{a.p_alive}" } dd { id: "score-p-alive", "{percent(l, s.p_alive)}" } }
            div { dt { "{a.expected_90}" } dd { "{decimal(l, s.expected_purchases_90_days, 1)}" } }
            div { dt { "{a.expected_order_value}" } dd { "{money(&s.expected_order_value)}" } }
            div { dt { title: "{a.clv_hint}", "{a.clv}" } dd { "{money(&s.clv_12_months)}" } }
        }
        h3 { "{a.next_action}" }
        match scores.action.clone() {
            Some(action) => rsx! { ActionCard { action, link_client: false } },
            None => rsx! { p { class: "muted", "{a.no_action}" } },
        }
        p { class: "muted small", "{a.computed}: {i18n::date(l, &scores.computed_at)}" }
    }
}

/// One recommended action: what to do, the value at stake, and the evidence.
#[component]
pub fn ActionCard(action: RecommendedAction, link_client: bool) -> Element {
    let locale: Signal<Locale> = use_context();
    let l = locale();
    let a = l.analytics();
    let currency = action.value_at_stake.currency.clone();
    let stake = i18n::money(l, &action.value_at_stake.amount, &currency);
    rsx! {
        article { class: "action",
            p { class: "action-head",
                strong { "{a.action(action.kind)}" }
                if let (true, Some(c)) = (link_client, action.client.as_ref()) {
                    " — "
                    Link { to: Route::client(c.id.to_string()), "{c.name}" }
                }
                if action.client.is_none() {
                    " — {a.segment(action.segment)}"
                }
            }
            p { "{a.value_at_stake}: " strong { "{stake}" } }
            details {
                summary { "{a.why}" }
                ul { class: "evidence",
                    for e in action.evidence.iter() {
                        li { "{a.evidence(e.kind)}: {evidence_value(l, action.kind, e.kind, e.value, &currency)}" }
                    }
                }
            }
        }
    }
}

/// The start screen's revenue trend: the last 12 months with a three-month forecast.
#[component]
pub fn RevenueTrend() -> Element {
    let locale: Signal<Locale> = use_context();
    let data = use_server_future(dashboard::trend)?;
    let l = locale();
    let r = l.reports();
    let body = match &*data.read() {
        None => rsx! { p { class: "loading", role: "status", "{r.computing}" } },
        Some(Err(e)) => rsx! { ErrorBox { error: UiError::from(e) } },
        Some(Ok(report)) => match &report.body {
            ReportBody::Trends(t) if t.series.iter().any(|p| p.sales_count > 0) => rsx! {
                LineChart {
                    id: "home-trend",
                    title: "{r.actual} / {r.forecast}",
                    points: trend_points(l, t, Granularity::Month),
                    legend: trend_legend(l),
                    currency: "{report.base_currency}",
                }
            },
            _ => rsx! { p { class: "empty", "{r.no_sales}" } },
        },
    };
    rsx! {
        section { class: "panel", id: "revenue-trend",
            h2 { "{r.actual} — {r.last_12_months}" }
            {body}
        }
    }
}

/// The company's top recommended actions, for the start screen.
#[component]
pub fn TopActions() -> Element {
    let locale: Signal<Locale> = use_context();
    let data = use_server_future(dashboard::top_actions)?;
    let l = locale();
    let a = l.analytics();
    let body = match &*data.read() {
        None => rsx! { p { class: "loading", role: "status", "{a.computing}" } },
        Some(Err(e)) => rsx! { ErrorBox { error: UiError::from(e) } },
        Some(Ok(list)) if list.is_empty() => rsx! { p { class: "empty", "{a.no_actions}" } },
        Some(Ok(list)) => rsx! {
            for action in list.iter() {
                ActionCard { action: action.clone(), link_client: true }
            }
        },
    };
    rsx! {
        section { class: "panel", id: "top-actions",
            h2 { "{a.top_actions}" }
            {body}
        }
    }
}
