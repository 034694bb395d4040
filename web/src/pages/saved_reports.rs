//! Saved reports: the list (`/reports`: name, type, period, author, shared state; open, rename,
//! delete with confirmation), one saved report (`/reports/saved/:id`: its snapshot, sharing
//! with the company's members, read-only links with an expiry, copied and revoked), and the
//! read-only view a link opens (`/shared/:token`: the snapshot alone, without the app's
//! navigation or any other company data; an expired or revoked link is a 404 page).

use dioxus::prelude::*;

use crate::api::UiError;
use crate::api::reports;
use crate::components::layout::PageTitle;
use crate::components::status::{form_error, loaded, not_loaded, use_ready};
use crate::gql::{SavedDetail, SavedRow};
use crate::i18n::{self, Locale};
use crate::pages::reports::ReportDocument;
use crate::routes::Route;

/// Days a new read-only link lives unless the form says otherwise.
const LINK_DAYS: i32 = 7;

#[component]
pub fn SavedReports(after: String) -> Element {
    let locale: Signal<Locale> = use_context();
    rsx! {
        SavedList { after }
        PageTitle { title: locale().reports().saved_reports }
    }
}

#[component]
fn SavedList(after: String) -> Element {
    let locale: Signal<Locale> = use_context();
    // One view for every address of the screen: its data follows the address (a new view per
    // address, by key, would read the first page's server-rendered data again in Dioxus 0.7).
    let mut data = use_server_future(use_reactive!(|after| reports::saved_reports(after)))?;
    let l = locale();
    let r = l.reports();
    let page = match loaded(&data) {
        Ok(v) => v,
        Err(state) => return not_loaded(state),
    };
    rsx! {
        h1 { "{r.saved_reports}" }
        p { Link { to: Route::new_report(), "{r.new_report} →" } }
        if page.edges.is_empty() {
            p { class: "empty", id: "saved-empty", "{r.no_saved}" }
        } else {
            div { class: "scroll",
                table { class: "list", id: "saved-table",
                    thead { tr {
                        th { "{r.name}" } th { "{r.report_type}" } th { "{r.period}" }
                        th { "{r.author}" } th { "{r.shared}" } th { "{l.texts().updated}" } th {}
                    } }
                    tbody {
                        for e in page.edges.iter() {
                            SavedLine { key: "{e.node.id}", row: e.node.clone(), on_changed: move |_| data.restart() }
                        }
                    }
                }
            }
            if let (true, Some(cursor)) = (page.page_info.has_next_page, page.page_info.end_cursor.clone()) {
                nav { class: "pager", Link { id: "next-page", to: Route::SavedReports { after: cursor }, "{l.texts().next_page}" } }
            }
        }
    }
}

#[component]
fn SavedLine(row: SavedRow, on_changed: EventHandler<()>) -> Element {
    let ready = use_ready();
    let locale: Signal<Locale> = use_context();
    let l = locale();
    let r = l.reports();
    let t = l.texts();
    let mut renaming = use_signal(|| false);
    let mut confirming = use_signal(|| false);
    let mut name = use_signal(|| row.name.clone());
    let mut error = use_signal(|| None::<UiError>);
    let id = row.id.to_string();
    let (rename_id, delete_id) = (id.clone(), id.clone());
    let p = &row.parameters;
    rsx! {
        tr {
            td {
                if renaming() {
                    form { method: "post", class: "inline",
                        onsubmit: move |e: FormEvent| {
                            e.prevent_default();
                            let id = rename_id.clone();
                            async move {
                                match reports::rename_saved(id, name()).await {
                                    Ok(()) => { renaming.set(false); on_changed.call(()); }
                                    Err(e) => error.set(Some(UiError::from(&e))),
                                }
                            }
                        },
                        input { name: "name", value: "{name}", required: true, maxlength: 200, oninput: move |e| name.set(e.value()) }
                        button { r#type: "submit", disabled: !ready(), "{t.save}" }
                        button { r#type: "button", class: "link", onclick: move |_| renaming.set(false), "{t.cancel}" }
                    }
                } else {
                    Link { to: Route::SavedReport { id: id.clone() }, "{row.name}" }
                }
                if let Some(message) = form_error(&error(), &[]) { p { class: "error", role: "alert", "{message}" } }
            }
            td { "{r.kind(p.kind)}" }
            td { "{&*p.from} — {&*p.to}" }
            td { {row.author_name.clone().unwrap_or_else(|| "—".to_owned())} }
            td { if row.shared_with_members { "{r.shared_yes}" } else { "—" } }
            td { "{i18n::date(l, &row.updated_at)}" }
            td { class: "actions",
                if row.can_change && !renaming() && !confirming() {
                    button { r#type: "button", class: "link", onclick: move |_| renaming.set(true), "{r.rename}" }
                    button { r#type: "button", class: "link", onclick: move |_| confirming.set(true), "{r.delete}" }
                }
                if confirming() {
                    span { "{r.confirm_delete} " }
                    button { r#type: "button", class: "danger",
                        onclick: move |_| {
                            let id = delete_id.clone();
                            async move {
                                match reports::delete_saved(id).await {
                                    Ok(()) => on_changed.call(()),
                                    Err(e) => error.set(Some(UiError::from(&e))),
                                }
                                confirming.set(false);
                            }
                        },
                        "{r.delete}"
                    }
                    button { r#type: "button", class: "link", onclick: move |_| confirming.set(false), "{t.cancel}" }
                }
            }
        }
    }
}

#[component]
pub fn SavedReport(id: String) -> Element {
    rsx! { SavedView { id } }
}

#[component]
fn SavedView(id: String) -> Element {
    let locale: Signal<Locale> = use_context();
    // One view for every address of the screen: its data follows the address (a new view per
    // address, by key, would read the first page's server-rendered data again in Dioxus 0.7).
    let mut data = use_server_future(use_reactive!(|id| reports::saved_report(id)))?;
    // A new link's token, shown once: kept here so that reloading the links keeps it shown.
    let token = use_signal(|| None::<String>);
    let l = locale();
    let r = l.reports();
    let saved = match loaded(&data) {
        Ok(v) => v,
        Err(state) => return not_loaded(state),
    };
    let lang = l.code();
    let exports = ["pdf", "csv", "xlsx"]
        .map(|f| format!("/reports/saved/{id}/export?format={f}&lang={lang}"))
        .to_vec();
    rsx! {
        PageTitle { title: saved.name.clone() }
        p { class: "crumbs", Link { to: Route::SavedReports { after: String::new() }, "← {r.saved_reports}" } }
        h1 { id: "saved-name", "{saved.name}" }
        if saved.can_change {
            Sharing { saved: saved.clone(), token, on_changed: move |_| data.restart() }
        }
        ReportDocument { report: saved.report.clone(), exports, saved: saved.id.to_string() }
    }
}

/// Sharing with the company's members, and read-only links.
#[component]
fn Sharing(
    saved: SavedDetail,
    token: Signal<Option<String>>,
    on_changed: EventHandler<()>,
) -> Element {
    let ready = use_ready();
    let locale: Signal<Locale> = use_context();
    let l = locale();
    let r = l.reports();
    let mut error = use_signal(|| None::<UiError>);
    let mut token = token;
    let mut days = use_signal(|| LINK_DAYS.to_string());
    let id = saved.id.to_string();
    let (share_id, link_id) = (id.clone(), id.clone());
    let shared = saved.shared_with_members;
    rsx! {
        section { class: "panel", id: "sharing",
            h2 { "{r.sharing}" }
            label { class: "check",
                input { r#type: "checkbox", id: "share-members", checked: shared,
                    onchange: move |_| {
                        let id = share_id.clone();
                        async move {
                            match reports::share_saved(id, !shared).await {
                                Ok(()) => on_changed.call(()),
                                Err(e) => error.set(Some(UiError::from(&e))),
                            }
                        }
                    },
                }
                "{r.share_members}"
            }
            form { method: "post", class: "toolbar", id: "create-link",
                onsubmit: move |e: FormEvent| {
                    e.prevent_default();
                    let id = link_id.clone();
                    async move {
                        let Ok(n) = days().trim().parse::<i32>() else {
                            error.set(Some(UiError::field("expiresInDays", "1–365")));
                            return;
                        };
                        match reports::create_link(id, n).await {
                            Ok(t) => { token.set(Some(t)); on_changed.call(()); }
                            Err(e) => error.set(Some(UiError::from(&e))),
                        }
                    }
                },
                label { span { "{r.link_days} " } input { r#type: "number", name: "days", min: 1, max: 365, value: "{days}", oninput: move |e| days.set(e.value()) } }
                button { r#type: "submit", disabled: !ready(), "{r.create_link}" }
            }
            if let Some(t) = token() {
                p { class: "secret", id: "new-link",
                    "{r.link_once} "
                    a { href: "/shared/{t}", id: "new-link-url", "/shared/{t}" }
                }
            }
            if let Some(message) = form_error(&error(), &[]) { p { class: "error", role: "alert", "{message}" } }
            if !saved.links.is_empty() {
                table { class: "list", id: "links",
                    thead { tr { th { "{r.created}" } th { "{r.expires}" } th {} } }
                    tbody {
                        for link in saved.links.iter() {
                            tr { class: if link.live { "" } else { "revoked" },
                                td { "{i18n::date(l, &link.created_at)}" }
                                td { "{i18n::date(l, &link.expires_at)}" }
                                td {
                                    if link.live {
                                        button { r#type: "button", class: "link",
                                            onclick: {
                                                let id = link.id.to_string();
                                                move |_| {
                                                    let id = id.clone();
                                                    async move {
                                                        match reports::revoke_link(id).await {
                                                            Ok(()) => on_changed.call(()),
                                                            Err(e) => error.set(Some(UiError::from(&e))),
                                                        }
                                                    }
                                                }
                                            },
                                            "{r.revoke_link}"
                                        }
                                    } else {
                                        "{r.link_ended}"
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// What a read-only link shows: the snapshot alone.
#[component]
pub fn SharedReport(token: String) -> Element {
    let locale: Signal<Locale> = use_context();
    let t = token.clone();
    let data = use_server_future(move || reports::shared_report(t.clone()))?;
    let l = locale();
    let r = l.reports();
    let shared = match loaded(&data) {
        Ok(v) => v,
        Err(Some(_)) => {
            #[cfg(feature = "server")]
            dioxus::fullstack::FullstackContext::commit_http_status(
                dioxus::fullstack::StatusCode::NOT_FOUND,
                None,
            );
            return rsx! {
                main { class: "page shared",
                    h1 { "{r.link_gone_title}" }
                    p { class: "empty", id: "link-gone", "{r.link_gone}" }
                }
            };
        }
        Err(None) => return not_loaded(None),
    };
    let lang = l.code();
    let exports = ["pdf", "csv", "xlsx"]
        .map(|f| format!("/shared/{token}/export?format={f}&lang={lang}"))
        .to_vec();
    rsx! {
        PageTitle { title: shared.name.clone() }
        main { class: "page shared",
            p { class: "muted", "{r.read_only}" }
            h1 { id: "shared-name", "{shared.name}" }
            ReportDocument { report: shared.report.clone(), exports }
        }
    }
}
