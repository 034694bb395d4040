//! One client: contacts and figures, purchase history, interaction history; edit the client,
//! archive or restore it, record a sale or an interaction. Every write reloads the view.

use dioxus::prelude::*;

use crate::api::UiError;
use crate::api::{clients, sales};
use crate::components::analytics::ClientAnalyticsPanel;
use crate::components::layout::{LastViews, PageTitle};
use crate::components::sale_form::{SALE_FIELDS, SaleFields, blank_sale};
use crate::components::status::{ErrorBox, field_error, form_error, loaded, not_loaded, use_ready};
use crate::gql::{ApiEnum, ClientDetail, ClientStatus, DateTime, InteractionKind};
use crate::i18n::{self, Locale};
use crate::routes::Route;

#[component]
pub fn ClientPage(id: String, more: String) -> Element {
    rsx! { ClientView { id, more } }
}

#[component]
fn ClientView(id: String, more: String) -> Element {
    let locale: Signal<Locale> = use_context();
    // One view for every address of the screen: its data follows the address (a new view per
    // address, by key, would read the first page's server-rendered data again in Dioxus 0.7).
    let mut data = use_server_future(use_reactive!(|id, more| clients::client(id, more)))?;
    let l = locale();
    let t = l.texts();
    let c = match loaded(&data) {
        Ok(v) => v,
        Err(state) => return not_loaded(state),
    };
    let reload = move |_| data.restart();
    let shown = c.sales.edges.len() as i64;
    rsx! {
        PageTitle { title: c.name.clone() }
        p { class: "crumbs", Link { to: LastViews::clients(), "← {t.clients}" } }
        // Keyed: another client's form starts from that client's data.
        {rsx! { Contacts { key: "{c.id}", client: c.clone(), on_saved: reload } }}
        section { class: "figures",
            div { class: "figure", h2 { "{t.total_spent}" } p { class: "big", id: "client-total", "{i18n::money(l, &c.total_spent.amount, &c.total_spent.currency)}" } }
            div { class: "figure", h2 { "{t.sales_count}" } p { class: "big", "{c.sales_count}" } }
            div { class: "figure", h2 { "{t.sort_last_purchase}" } p { {optional_date(l, &c.last_purchase_at)} } }
            div { class: "figure", h2 { "{t.last_interaction}" } p { {optional_date(l, &c.last_interaction_at)} } }
        }
        ClientAnalyticsPanel { id: c.id.to_string() }
        if c.totals.len() > 1 {
            p { class: "muted", "{t.by_currency}: "
                for (n, m) in c.totals.iter().enumerate() {
                    if n > 0 { " · " }
                    "{i18n::money(l, &m.amount, &m.currency)}"
                }
            }
        }
        div { class: "columns",
            section { class: "panel",
                h2 { "{t.purchases}" }
                {rsx! { NewSale { key: "{c.id}", client_id: c.id.to_string(), currency: c.total_spent.currency.clone(), on_saved: reload } }}
                if c.sales.edges.is_empty() {
                    p { class: "empty", "{t.no_purchases}" }
                } else {
                    div { class: "scroll",
                        table { class: "list", id: "purchases",
                            thead { tr { th { "{t.date}" } th { "{t.items}" } th { class: "num", "{t.amount}" } th { "{t.status}" } } }
                            tbody {
                                for e in c.sales.edges.iter() {
                                    tr {
                                        td { Link { to: Route::SalePage { id: e.node.id.to_string() }, "{i18n::date(l, &e.node.sold_at)}" } }
                                        td { {e.node.items.iter().map(|i| i.name.clone()).collect::<Vec<_>>().join(", ")} }
                                        td { class: "num", "{i18n::money(l, &e.node.amount.amount, &e.node.amount.currency)}" }
                                        td { "{t.status(e.node.status)}" }
                                    }
                                }
                            }
                        }
                    }
                    if i64::from(c.sales.total_count) > shown {
                        Link {
                            id: "all-sales",
                            to: Route::sales_of(c.id.to_string()),
                            "{t.all_sales} ({c.sales.total_count}) →"
                        }
                    }
                }
            }
            section { class: "panel",
                h2 { "{t.interactions}" }
                {rsx! { NewInteraction { key: "{c.id}", client_id: c.id.to_string(), on_saved: reload } }}
                if c.interactions.edges.is_empty() {
                    p { class: "empty", "{t.no_interactions}" }
                } else {
                    ol { class: "timeline", id: "interactions",
                        for e in c.interactions.edges.iter() {
                            li {
                                p { class: "muted",
                                    strong { "{t.kind(e.node.kind)}" }
                                    " · {i18n::date(l, &e.node.occurred_at)}"
                                    if let Some(a) = e.node.author.as_ref() { " · {a.display_name}" }
                                }
                                p { class: "body", "{e.node.body}" }
                            }
                        }
                    }
                }
                nav { class: "pager",
                    if !more.is_empty() {
                        Link { to: Route::client(id.clone()), "{t.newest}" }
                    }
                    if let (true, Some(cursor)) = (c.interactions.page_info.has_next_page, c.interactions.page_info.end_cursor.clone()) {
                        Link { id: "older-interactions", to: Route::ClientPage { id: id.clone(), more: cursor }, "{t.older}" }
                    }
                }
            }
        }
    }
}

fn optional_date(l: Locale, d: &Option<DateTime>) -> String {
    d.as_ref()
        .map(|d| i18n::date(l, d))
        .unwrap_or_else(|| "—".into())
}

/// The client's name, contacts and status, with an edit form and archive/restore.
#[component]
fn Contacts(client: ClientDetail, on_saved: EventHandler<()>) -> Element {
    let ready = use_ready();
    let locale: Signal<Locale> = use_context();
    let t = locale().texts();
    let c = client;
    let mut editing = use_signal(|| false);
    let mut name = use_signal(|| c.name.clone());
    let mut email = use_signal(|| c.email.clone().unwrap_or_default());
    let mut phone = use_signal(|| c.phone.clone().unwrap_or_default());
    let mut status = use_signal(|| c.status.name().to_owned());
    let mut error = use_signal(|| None::<UiError>);
    let mut busy = use_signal(|| false);
    let err = error();
    let mut confirming = use_signal(|| false);
    let lt = locale().lists();
    let id = c.id.to_string();
    let archive_id = c.id.to_string();
    let confirm_id = c.id.to_string();
    let archived = c.archived;
    if !editing() {
        return rsx! {
            header { class: "detail-head",
                h1 { id: "client-name", "{c.name}" }
                if c.archived { span { class: "badge", "{t.archived}" } }
                if c.status == ClientStatus::Inactive { span { class: "badge", "{t.client_inactive}" } }
            }
            p { class: "contacts",
                if let Some(m) = c.email.as_ref() { a { href: "mailto:{m}", "{m}" } " " }
                if let Some(p) = c.phone_display.as_ref() { a { href: format!("tel:{}", c.phone_e164.as_deref().unwrap_or(p)), "{p}" } " " }
                if c.email.is_none() && c.phone.is_none() { span { class: "muted", "{t.no_contacts}" } }
            }
            p { class: "muted",
                "{t.client_since} {i18n::date(locale(), &c.created_at)}"
                if let Some(x) = c.external_id.as_ref() { " · {t.external_id} {x}" }
            }
            if let Some(e) = err.clone() { ErrorBox { error: e } }
            div { class: "actions",
                button { r#type: "button", id: "edit-client", onclick: move |_| { error.set(None); editing.set(true) }, "{t.edit}" }
                if archived {
                    button { r#type: "button", id: "restore-client", disabled: busy(),
                        onclick: move |_| {
                            let id = archive_id.clone();
                            async move {
                                busy.set(true);
                                match clients::archive_client(id, false).await {
                                    Ok(()) => on_saved.call(()),
                                    Err(e) => error.set(Some(UiError::from(&e))),
                                }
                                busy.set(false);
                            }
                        },
                        "{t.restore}"
                    }
                } else if !confirming() {
                    button { r#type: "button", id: "archive-client", class: "secondary", onclick: move |_| confirming.set(true), "{t.archive}" }
                }
            }
            if confirming() && !archived {
                section { class: "warning", id: "archive-confirm", role: "alertdialog", "aria-labelledby": "archive-question",
                    h2 { id: "archive-question", "{lt.archive_confirm}" }
                    p { "{lt.archive_explain}" }
                    div { class: "actions",
                        button { r#type: "button", class: "danger", id: "archive-confirmed", disabled: busy(),
                            onclick: move |_| {
                                let id = confirm_id.clone();
                                async move {
                                    busy.set(true);
                                    match clients::archive_client(id, true).await {
                                        Ok(()) => { confirming.set(false); on_saved.call(()) }
                                        Err(e) => error.set(Some(UiError::from(&e))),
                                    }
                                    busy.set(false);
                                }
                            },
                            "{t.archive}"
                        }
                        button { r#type: "button", class: "secondary", id: "archive-cancel", onclick: move |_| confirming.set(false), "{t.cancel}" }
                    }
                }
            }
        };
    }
    let fields = ["name", "email", "phone", "status"];
    rsx! {
        form { method: "post", class: "panel", id: "client-form",
            onsubmit: move |e: FormEvent| {
                e.prevent_default();
                let id = id.clone();
                async move {
                    if name().trim().is_empty() {
                        error.set(Some(UiError::field("name", locale().texts().required)));
                        return;
                    }
                    busy.set(true);
                    match clients::update_client(id, name(), email(), phone(), status()).await {
                        Ok(()) => { editing.set(false); error.set(None); on_saved.call(()) }
                        Err(e) => error.set(Some(UiError::from(&e))),
                    }
                    busy.set(false);
                }
            },
            h2 { "{t.edit_client}" }
            label { "{t.name}"
                input { name: "name", required: true, maxlength: 300, value: "{name}", oninput: move |e: FormEvent| name.set(e.value()) }
            }
            if let Some(m) = field_error(&err, "name") { p { class: "field-error", "{m}" } }
            label { "{t.email}"
                input { name: "email", r#type: "email", maxlength: 320, value: "{email}", oninput: move |e: FormEvent| email.set(e.value()) }
            }
            if let Some(m) = field_error(&err, "email") { p { class: "field-error", "{m}" } }
            label { "{t.phone}"
                input { name: "phone", r#type: "tel", maxlength: 50, value: "{phone}", oninput: move |e: FormEvent| phone.set(e.value()) }
            }
            if let Some(m) = field_error(&err, "phone") { p { class: "field-error", "{m}" } }
            label { "{t.status}"
                select { name: "status", onchange: move |e: FormEvent| status.set(e.value()),
                    for s in ClientStatus::ALL.iter().copied() {
                        option { value: s.name(), selected: status() == s.name(), "{t.client_status(s)}" }
                    }
                }
            }
            if let Some(m) = form_error(&err, &fields) { p { class: "error", role: "alert", "{m}" } }
            div { class: "actions",
                button { r#type: "submit", disabled: busy() || !ready(), if busy() { "{t.working}" } else { "{t.save}" } }
                button { r#type: "button", onclick: move |_| editing.set(false), "{t.cancel}" }
            }
        }
    }
}

/// Records a sale for the client.
#[component]
fn NewSale(client_id: String, currency: String, on_saved: EventHandler<()>) -> Element {
    let ready = use_ready();
    let locale: Signal<Locale> = use_context();
    let t = locale().texts();
    let mut open = use_signal(|| false);
    let form = use_signal(|| blank_sale(&currency));
    let mut item = use_signal(String::new);
    let mut error = use_signal(|| None::<UiError>);
    let mut busy = use_signal(|| false);
    let err = error();
    if !open() {
        return rsx! {
            button { r#type: "button", id: "add-sale", onclick: move |_| open.set(true), "+ {t.add_sale}" }
        };
    }
    let mut reset = form;
    let base = currency.clone();
    rsx! {
        form { method: "post", class: "panel", id: "sale-form",
            onsubmit: move |e: FormEvent| {
                e.prevent_default();
                let id = client_id.clone();
                let base = base.clone();
                async move {
                    busy.set(true);
                    match sales::create_sale(id, form(), item()).await {
                        Ok(_) => {
                            open.set(false);
                            error.set(None);
                            reset.set(blank_sale(&base));
                            item.set(String::new());
                            on_saved.call(());
                        }
                        Err(e) => error.set(Some(UiError::from(&e))),
                    }
                    busy.set(false);
                }
            },
            SaleFields { form, error: err.clone() }
            label { "{t.item}"
                input { name: "item", maxlength: 300, value: "{item}", placeholder: "{t.item_placeholder}", oninput: move |e: FormEvent| item.set(e.value()) }
            }
            if let Some(m) = form_error(&err, &SALE_FIELDS) { p { class: "error", role: "alert", "{m}" } }
            div { class: "actions",
                button { r#type: "submit", disabled: busy() || !ready(), if busy() { "{t.working}" } else { "{t.save}" } }
                button { r#type: "button", onclick: move |_| open.set(false), "{t.cancel}" }
            }
        }
    }
}

/// Records a call, e-mail, meeting or note.
#[component]
fn NewInteraction(client_id: String, on_saved: EventHandler<()>) -> Element {
    let ready = use_ready();
    let locale: Signal<Locale> = use_context();
    let t = locale().texts();
    let mut kind = use_signal(|| InteractionKind::Call.name().to_owned());
    let mut body = use_signal(String::new);
    let mut day = use_signal(String::new);
    let mut error = use_signal(|| None::<UiError>);
    let mut busy = use_signal(|| false);
    let err = error();
    rsx! {
        form { method: "post", class: "panel", id: "interaction-form",
            onsubmit: move |e: FormEvent| {
                e.prevent_default();
                let id = client_id.clone();
                async move {
                    if body().trim().is_empty() {
                        error.set(Some(UiError::field("body", locale().texts().required)));
                        return;
                    }
                    busy.set(true);
                    match clients::add_interaction(id, kind(), body(), day()).await {
                        Ok(()) => { body.set(String::new()); day.set(String::new()); error.set(None); on_saved.call(()) }
                        Err(e) => error.set(Some(UiError::from(&e))),
                    }
                    busy.set(false);
                }
            },
            div { class: "row",
                label { "{t.kind_label}"
                    select { name: "kind", onchange: move |e: FormEvent| kind.set(e.value()),
                        for k in InteractionKind::ALL.iter().copied() {
                            option { value: k.name(), selected: kind() == k.name(), "{t.kind(k)}" }
                        }
                    }
                }
                label { "{t.date}"
                    input { name: "occurredAt", r#type: "date", value: "{day}", oninput: move |e: FormEvent| day.set(e.value()) }
                }
            }
            if let Some(m) = field_error(&err, "occurredAt") { p { class: "field-error", "{m}" } }
            label { "{t.what_happened}"
                textarea { name: "body", required: true, maxlength: 10000, rows: 3, value: "{body}", oninput: move |e: FormEvent| body.set(e.value()) }
            }
            if let Some(m) = field_error(&err, "body") { p { class: "field-error", "{m}" } }
            if let Some(m) = form_error(&err, &["body", "occurredAt"]) { p { class: "error", role: "alert", "{m}" } }
            button { r#type: "submit", id: "save-interaction", disabled: busy() || !ready(), if busy() { "{t.working}" } else { "{t.add_interaction}" } }
        }
    }
}
