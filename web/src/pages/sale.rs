//! One sale: its client (linked), goods or services, amount, date, status and note; edit it
//! (`components::sale_editor`).

use dioxus::prelude::*;

use crate::api::sales;
use crate::components::layout::{LastViews, PageTitle};
use crate::components::sale_editor::SaleEditor;
use crate::components::sale_form::decimal_like;
use crate::components::status::{loaded, not_loaded};
use crate::gql::SaleDetail;
use crate::i18n::{self, Locale};
use crate::routes::Route;

#[component]
pub fn SalePage(id: String) -> Element {
    rsx! { SaleView { id } }
}

#[component]
fn SaleView(id: String) -> Element {
    let locale: Signal<Locale> = use_context();
    // One view for every address of the screen: its data follows the address (a new view per
    // address, by key, would read the first page's server-rendered data again in Dioxus 0.7).
    let mut data = use_server_future(use_reactive!(|id| sales::sale(id)))?;
    let l = locale();
    let t = l.texts();
    let s = match loaded(&data) {
        Ok(v) => v,
        Err(state) => return not_loaded(state),
    };
    rsx! {
        PageTitle { title: format!("{} · {}", t.sales, i18n::date(l, &s.sold_at)) }
        p { class: "crumbs",
            Link { to: LastViews::sales(), "← {t.sales}" }
        }
        {rsx! { SaleCard { key: "{s.id}", sale: s, on_saved: move |_| data.restart() } }}
    }
}

#[component]
fn SaleCard(sale: SaleDetail, on_saved: EventHandler<()>) -> Element {
    let locale: Signal<Locale> = use_context();
    let l = locale();
    let t = l.texts();
    let s = sale;
    let mut editing = use_signal(|| false);
    rsx! {
        header { class: "detail-head",
            h1 { id: "sale-amount", "{i18n::money(l, &s.amount.amount, &s.amount.currency)}" }
            span { class: "badge", id: "sale-status", "{t.status(s.status)}" }
        }
        dl { class: "facts",
            dt { "{t.client}" }
            dd { Link { id: "sale-client", to: Route::client(s.client.id.to_string()), "{s.client.name}" } }
            dt { "{t.date}" }
            dd { "{i18n::date(l, &s.sold_at)}" }
            if let Some(n) = s.note.as_ref() { dt { "{t.note}" } dd { id: "sale-note", "{n}" } }
            if let Some(x) = s.external_id.as_ref() { dt { "{t.external_id}" } dd { code { "{x}" } } }
            dt { "{t.updated}" }
            dd { "{i18n::date(l, &s.updated_at)}" }
        }
        h2 { "{t.items}" }
        if s.items.is_empty() {
            p { class: "empty", "{t.no_items}" }
        } else {
            div { class: "scroll",
                table { class: "list", id: "sale-items",
                    thead { tr { th { "{t.name}" } th { "{t.kind_label}" } th { class: "num", "{t.quantity}" } th { class: "num", "{t.unit_price}" } } }
                    tbody {
                        for item in s.items.iter() {
                            tr {
                                td { "{item.name}" if let Some(sku) = item.sku.as_ref() { " " code { "{sku}" } } }
                                td { "{t.item_kind(item.kind)}" }
                                td { class: "num", "{item.quantity}" }
                                td { class: "num",
                                    {item.unit_price_minor.map(|p| i18n::money(l, &decimal_like(p.0, &s.amount.amount), &s.amount.currency)).unwrap_or_else(|| "—".into())}
                                }
                            }
                        }
                    }
                }
            }
        }
        if !editing() {
            button { r#type: "button", id: "edit-sale", onclick: move |_| editing.set(true), "{t.edit}" }
        } else {
            SaleEditor {
                sale: s.clone(),
                on_saved: move |_| { editing.set(false); on_saved.call(()) },
                on_cancel: move |_| editing.set(false),
            }
        }
    }
}
