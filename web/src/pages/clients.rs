//! The clients list: search, sort, pages, and an empty state for a new company. Search, sort
//! and page live in the address, so every view can be bookmarked and works without scripts.

use dioxus::prelude::*;

use crate::api::clients;
use crate::components::status::{loaded, not_loaded};
use crate::i18n::{self, Locale};
use crate::routes::Route;

#[component]
pub fn Clients(search: String, sort: String, after: String) -> Element {
    let search = crate::routes::form_text(&search);
    // A new address is a new list: keyed, the view loads again.
    rsx! { ClientList { key: "{search}|{sort}|{after}", search, sort, after } }
}

#[component]
fn ClientList(search: String, sort: String, after: String) -> Element {
    let locale: Signal<Locale> = use_context();
    let (s, o, a) = (search.clone(), sort.clone(), after.clone());
    let data = use_server_future(move || clients::clients(s.clone(), o.clone(), a.clone()))?;
    let l = locale();
    let t = l.texts();
    let page = match loaded(&data) {
        Ok(v) => v,
        Err(state) => return not_loaded(state),
    };
    let sorts = [
        ("name", t.sort_name),
        ("total", t.sort_total),
        ("last_purchase", t.sort_last_purchase),
        ("last_interaction", t.sort_last_interaction),
    ];
    let current_sort = if sort.is_empty() {
        "name".to_owned()
    } else {
        sort.clone()
    };
    let count = i18n::count(
        l,
        page.total_count,
        ("client", "clients"),
        ("клиент", "клиента", "клиентов"),
    );
    rsx! {
        h1 { "{t.clients}" }
        form { class: "toolbar", method: "get", action: "/clients", id: "client-search",
            label { class: "grow",
                span { class: "sr-only", "{t.search}" }
                input { r#type: "search", name: "search", value: "{search}", placeholder: "{t.search_placeholder}" }
            }
            label {
                span { "{t.sort_by} " }
                select { name: "sort",
                    for (value, label) in sorts {
                        option { value: value, selected: current_sort == value, "{label}" }
                    }
                }
            }
            input { r#type: "hidden", name: "after", value: "" }
            button { r#type: "submit", "{t.search}" }
        }
        if page.total_count == 0 && search.trim().is_empty() {
            section { class: "empty", id: "clients-empty",
                h2 { "{t.no_clients_title}" }
                p { "{t.no_clients_body}" }
                Link { to: Route::ApiKeys {}, "{t.api_keys} →" }
            }
        } else if page.total_count == 0 {
            p { class: "empty", "{t.no_matches}" }
        } else {
            p { class: "muted", id: "clients-count", "{count}" }
            div { class: "scroll",
                table { class: "list", id: "clients-table",
                    thead { tr {
                        th { "{t.name}" } th { "{t.contacts}" } th { "{t.last_interaction}" } th { class: "num", "{t.total_spent}" }
                    } }
                    tbody {
                        for e in page.edges.iter() {
                            tr {
                                td { Link { to: Route::client(e.node.id.to_string()), "{e.node.name}" } }
                                td {
                                    if let Some(m) = e.node.email.as_ref() { a { href: "mailto:{m}", "{m}" } }
                                    if let Some(p) = e.node.phone_display.as_ref() { " " a { href: format!("tel:{}", e.node.phone_e164.as_deref().unwrap_or(p)), "{p}" } }
                                }
                                td { {e.node.last_interaction_at.as_ref().map(|d| i18n::date(l, d)).unwrap_or_else(|| "—".into())} }
                                td { class: "num", "{i18n::money(l, &e.node.total_spent.amount, &e.node.total_spent.currency)}" }
                            }
                        }
                    }
                }
            }
            nav { class: "pager",
                if !after.is_empty() {
                    Link { to: Route::Clients { search: search.clone(), sort: sort.clone(), after: String::new() }, "{t.first_page}" }
                }
                if let (true, Some(cursor)) = (page.page_info.has_next_page, page.page_info.end_cursor.clone()) {
                    Link { id: "next-page", to: Route::Clients { search: search.clone(), sort: sort.clone(), after: cursor }, "{t.next_page}" }
                }
            }
        }
    }
}
