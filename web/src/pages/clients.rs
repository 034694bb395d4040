//! The clients list (search, filters, sort and direction, pages forwards and back, the archive)
//! and the "New client" form. The list's view lives in the address, so every view can be
//! bookmarked, comes back with Back and Forward, and works without scripts: the toolbar is a
//! plain GET form (see `server::query`); once the app runs, a changed choice applies at once
//! (dates with the button: a date being typed is not a choice yet).

use dioxus::prelude::*;

use crate::api::UiError;
use crate::api::clients::{self, ClientQuery, Created};
use crate::components::filters::{ActiveFilters, Chip};
use crate::components::layout::{LastViews, PageTitle};
use crate::components::status::{
    ErrorBox, apply, field_error, form_error, list_not_loaded, loaded, use_ready,
};
use crate::gql::{ApiEnum, ClientRow, ClientStatus};
use crate::i18n::{self, Locale};
use crate::routes::{ListView, Route};

#[component]
pub fn Clients(query: ClientQuery) -> Element {
    let locale: Signal<Locale> = use_context();
    rsx! {
        ClientList { query }
        PageTitle { title: locale().texts().clients }
    }
}

#[component]
fn ClientList(query: ClientQuery) -> Element {
    let locale: Signal<Locale> = use_context();
    let mut error = use_signal(|| None::<UiError>);
    // One view for every address of the screen: its data follows the address (a new view per
    // address, by key, would read the first page's server-rendered data again in Dioxus 0.7).
    let mut data = use_server_future(use_reactive!(|query| clients::clients(query)))?;
    LastViews::shown_clients(&query);
    let l = locale();
    let (t, lt) = (l.texts(), l.lists());
    let page = match loaded(&data) {
        Ok(v) => v,
        Err(state) => return list_not_loaded(state, Route::clients()),
    };
    let sorts = [
        ("name", t.sort_name),
        ("total", t.sort_total),
        ("last_purchase", t.sort_last_purchase),
        ("last_interaction", t.sort_last_interaction),
        ("created", lt.sort_created),
    ];
    let archived = query.archived == "1";
    let count = i18n::count(
        l,
        page.total_count,
        ("client", "clients"),
        ("клиент", "клиента", "клиентов"),
    );
    let filters = query.filters();
    let filtered = !filters.is_empty();
    rsx! {
        header { class: "list-head",
            h1 { if archived { "{lt.archived_only}" } else { "{t.clients}" } }
            Link { class: "button", id: "new-client", to: Route::NewClient {}, "+ {lt.new_client}" }
        }
        form { class: "toolbar", method: "get", action: "/clients", id: "client-search",
            input { r#type: "hidden", name: crate::routes::FORM_MARKER.0, value: crate::routes::FORM_MARKER.1 }
            label { class: "grow",
                span { class: "sr-only", "{t.search}" }
                input { r#type: "search", name: "search", value: "{query.search}", placeholder: "{t.search_placeholder}" }
            }
            label {
                span { "{t.sort_by} " }
                select { name: "sort",
                    // Each sort starts in its own direction (A to Z, biggest or latest first).
                    onchange: move |_| {
                        let _ = document::eval("document.getElementById('client-search').dir.value = '';");
                        apply("client-search")
                    },
                    for (value, label) in sorts {
                        option { value: value, selected: query.sort_or_default() == value, "{label}" }
                    }
                }
            }
            label {
                span { "{lt.direction} " }
                select { name: "dir", onchange: move |_| apply("client-search"),
                    option { value: "asc", selected: query.ascending(), "{lt.ascending}" }
                    option { value: "desc", selected: !query.ascending(), "{lt.descending}" }
                }
            }
            label {
                span { "{lt.activity} " }
                select { name: "status", onchange: move |_| apply("client-search"),
                    option { value: "", "{lt.any}" }
                    for s in ClientStatus::ALL.iter().copied() {
                        option { value: s.name(), selected: query.status == s.name(), "{t.client_status(s)}" }
                    }
                }
            }
            label {
                span { "{lt.purchases} " }
                select { name: "purchases", onchange: move |_| apply("client-search"),
                    option { value: "", "{lt.any}" }
                    option { value: "yes", selected: query.purchases == "yes", "{lt.with_purchases}" }
                    option { value: "no", selected: query.purchases == "no", "{lt.without_purchases}" }
                }
            }
            label {
                span { "{lt.interaction_since} " }
                input { r#type: "date", name: "since", value: "{query.since}" }
            }
            label {
                span { "{lt.interaction_until} " }
                input { r#type: "date", name: "until", value: "{query.until}" }
            }
            label { class: "check",
                input { r#type: "checkbox", name: "archived", value: "1", checked: archived, onchange: move |_| apply("client-search") }
                "{lt.show_archived}"
            }
            button { r#type: "submit", "{t.search}" }
        }
        ActiveFilters {
            chips: chips(&query, l),
            unfiltered: Route::Clients { query: query.unfiltered() },
        }
        if let Some(e) = error() { ErrorBox { error: e } }
        if page.total_count == 0 && !filtered {
            section { class: "empty", id: "clients-empty",
                h2 { "{t.no_clients_title}" }
                p { "{t.no_clients_body}" }
                Link { to: Route::ApiKeys {}, "{t.api_keys} →" }
            }
        } else if page.total_count == 0 {
            p { class: "empty", id: "clients-none", if archived && filters.len() == 1 { "{lt.no_archived}" } else { "{t.no_matches}" } }
        } else {
            p { class: "muted", id: "clients-count", "{count}" }
            div { class: "scroll",
                table { class: "list stack", id: "clients-table",
                    thead { tr {
                        th { "{t.name}" } th { "{t.contacts}" } th { "{t.last_interaction}" } th { class: "num", "{t.total_spent}" }
                        if archived { th { "" } }
                    } }
                    tbody {
                        for e in page.edges.iter() {
                            ClientLine {
                                key: "{e.node.id}",
                                row: e.node.clone(),
                                on_restored: move |_| data.restart(),
                                on_error: move |failed| error.set(Some(failed)),
                            }
                        }
                    }
                }
            }
            nav { class: "pager",
                if let Some(previous) = query.previous_page() {
                    Link { id: "previous-page", to: Route::Clients { query: previous }, "{lt.previous_page}" }
                }
                if !query.after.is_empty() {
                    Link { id: "first-page", to: Route::Clients { query: query.first_page() }, "{t.first_page}" }
                }
                if let (true, Some(cursor)) = (page.page_info.has_next_page, page.page_info.end_cursor.clone()) {
                    Link { id: "next-page", to: Route::Clients { query: query.next_page(cursor) }, "{t.next_page}" }
                }
            }
        }
    }
}

/// One client in the list; an archived one can be restored from here.
#[component]
fn ClientLine(
    row: ClientRow,
    on_restored: EventHandler<()>,
    on_error: EventHandler<UiError>,
) -> Element {
    let locale: Signal<Locale> = use_context();
    let l = locale();
    let t = l.texts();
    let id = row.id.to_string();
    let mut busy = use_signal(|| false);
    rsx! {
        tr {
            td { "data-label": "{t.name}", Link { to: Route::client(row.id.to_string()), "{row.name}" } }
            td { "data-label": "{t.contacts}",
                if let Some(m) = row.email.as_ref() { a { href: "mailto:{m}", "{m}" } }
                if let Some(p) = row.phone_display.as_ref() { " " a { class: "nowrap", href: format!("tel:{}", row.phone_e164.as_deref().unwrap_or(p)), "{p}" } }
            }
            td { "data-label": "{t.last_interaction}", {row.last_interaction_at.as_ref().map(|d| i18n::date(l, d)).unwrap_or_else(|| "—".into())} }
            td { class: "num", "data-label": "{t.total_spent}", "{i18n::money(l, &row.total_spent.amount, &row.total_spent.currency)}" }
            if row.archived {
                td {
                    button { r#type: "button", class: "restore", disabled: busy(),
                        onclick: move |_| {
                            let id = id.clone();
                            async move {
                                busy.set(true);
                                match clients::archive_client(id, false).await {
                                    Ok(()) => on_restored.call(()),
                                    Err(e) => on_error.call(UiError::from(&e)),
                                }
                                busy.set(false);
                            }
                        },
                        "{t.restore}"
                    }
                }
            }
        }
    }
}

/// The filters in force as chips, each clearing to the list without it.
fn chips(query: &ClientQuery, l: Locale) -> Vec<Chip> {
    let (t, lt) = (l.texts(), l.lists());
    let label = |name: &str, value: &str| -> String {
        let shown = match (name, value) {
            ("status", s) => {
                ClientStatus::parse(s).map_or(s.to_owned(), |s| t.client_status(s).to_owned())
            }
            ("purchases", "yes") => lt.with_purchases.to_owned(),
            ("purchases", "no") => lt.without_purchases.to_owned(),
            ("archived", _) => return lt.archived_only.to_owned(),
            (_, v) => v.to_owned(),
        };
        let field = match name {
            "search" => t.search,
            "status" => lt.activity,
            "purchases" => lt.purchases,
            "since" => lt.interaction_since,
            "until" => lt.interaction_until,
            other => other,
        };
        format!("{field}: {shown}")
    };
    query
        .filters()
        .into_iter()
        .map(|(name, value)| Chip {
            label: label(name, value),
            cleared: Route::Clients {
                query: query.without(name),
            },
            id: None,
        })
        .collect()
}

/// "New client": a name (required), e-mail, phone and a note. A client with the same e-mail or
/// phone is shown first, with a choice to create this one anyway.
#[component]
pub fn NewClient() -> Element {
    let locale: Signal<Locale> = use_context();
    let l = locale();
    let (t, lt) = (l.texts(), l.lists());
    let ready = use_ready();
    let mut name = use_signal(String::new);
    let mut email = use_signal(String::new);
    let mut phone = use_signal(String::new);
    let mut note = use_signal(String::new);
    let mut duplicates = use_signal(Vec::<ClientRow>::new);
    let mut error = use_signal(|| None::<UiError>);
    let mut busy = use_signal(|| false);
    let nav = use_navigator();
    let err = error();
    let submit = move |confirmed: bool| async move {
        if name().trim().is_empty() {
            error.set(Some(UiError::field("name", locale().texts().required)));
            return;
        }
        busy.set(true);
        error.set(None);
        match clients::create_client(name(), email(), phone(), note(), confirmed).await {
            Ok(Created::Client(id)) => {
                nav.push(Route::client(id));
            }
            Ok(Created::Duplicates(found)) => duplicates.set(found),
            Err(e) => error.set(Some(UiError::from(&e))),
        }
        busy.set(false);
    };
    let fields = ["name", "email", "phone"];
    rsx! {
        PageTitle { title: lt.new_client }
        p { class: "crumbs", Link { to: Route::clients(), "← {t.clients}" } }
        h1 { "{lt.new_client}" }
        form { class: "panel narrow", id: "new-client-form", method: "post",
            onsubmit: move |e: FormEvent| async move {
                e.prevent_default();
                submit(false).await;
            },
            label { "{t.name}"
                input { name: "name", required: true, maxlength: 300, autocomplete: "off", value: "{name}", oninput: move |e: FormEvent| { duplicates.set(Vec::new()); name.set(e.value()) } }
            }
            if let Some(m) = field_error(&err, "name") { p { class: "field-error", "{m}" } }
            label { "{t.email}"
                input { name: "email", r#type: "email", maxlength: 320, value: "{email}", oninput: move |e: FormEvent| { duplicates.set(Vec::new()); email.set(e.value()) } }
            }
            if let Some(m) = field_error(&err, "email") { p { class: "field-error", "{m}" } }
            label { "{t.phone}"
                input { name: "phone", r#type: "tel", maxlength: 50, value: "{phone}", oninput: move |e: FormEvent| { duplicates.set(Vec::new()); phone.set(e.value()) } }
            }
            if let Some(m) = field_error(&err, "phone") { p { class: "field-error", "{m}" } }
            label { "{lt.note}"
                textarea { name: "note", rows: 3, maxlength: 5000, value: "{note}", oninput: move |e: FormEvent| note.set(e.value()) }
            }
            if let Some(m) = form_error(&err, &fields) { p { class: "error", role: "alert", "{m}" } }
            if !duplicates().is_empty() {
                section { class: "warning", id: "duplicates", role: "alert",
                    h2 { "{lt.duplicates_title}" }
                    p { "{lt.duplicates_body}" }
                    ul {
                        for c in duplicates().iter() {
                            li {
                                Link { to: Route::client(c.id.to_string()), "{c.name}" }
                                if let Some(m) = c.email.as_ref() { " · {m}" }
                                if let Some(p) = c.phone_display.as_ref() { " · {p}" }
                                if c.archived { " · {t.archived}" }
                            }
                        }
                    }
                    button { r#type: "button", id: "create-anyway", disabled: busy(), onclick: move |_| async move { submit(true).await }, "{lt.create_anyway}" }
                }
            } else {
                div { class: "actions",
                    button { r#type: "submit", disabled: busy() || !ready(), if busy() { "{t.working}" } else { "{lt.create}" } }
                }
            }
        }
    }
}
