//! One sale: its client (linked), goods or services, amount, date, status and note; edit it.

use dioxus::prelude::*;

use crate::api::UiError;
use crate::api::sales::{self, SaleForm};
use crate::components::sale_form::{SALE_FIELDS, SaleFields};
use crate::components::status::{form_error, loaded, not_loaded};
use crate::gql::{ApiEnum, SaleDetail};
use crate::i18n::{self, Locale};
use crate::routes::Route;

/// Minor units as a decimal string with as many decimals as `like` (an amount of the same
/// currency as the API formats it, "1240.50"): the API gives unit prices in minor units only.
pub fn decimal_like(minor: i64, like: &str) -> String {
    let digits = like.split_once('.').map_or(0, |(_, f)| f.len());
    if digits == 0 {
        return minor.to_string();
    }
    let scale = 10u64.pow(digits as u32);
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    format!("{sign}{}.{:0digits$}", abs / scale, abs % scale)
}

#[component]
pub fn SalePage(id: String) -> Element {
    rsx! { SaleView { key: "{id}", id } }
}

#[component]
fn SaleView(id: String) -> Element {
    let locale: Signal<Locale> = use_context();
    let i = id.clone();
    let mut data = use_server_future(move || sales::sale(i.clone()))?;
    let l = locale();
    let t = l.texts();
    let s = match loaded(&data) {
        Ok(v) => v,
        Err(state) => return not_loaded(state),
    };
    rsx! {
        p { class: "crumbs",
            Link { to: Route::sales(), "← {t.sales}" }
        }
        SaleCard { sale: s, on_saved: move |_| data.restart() }
    }
}

#[component]
fn SaleCard(sale: SaleDetail, on_saved: EventHandler<()>) -> Element {
    let locale: Signal<Locale> = use_context();
    let l = locale();
    let t = l.texts();
    let s = sale;
    let mut editing = use_signal(|| false);
    let form = use_signal(|| SaleForm {
        amount: s.amount.amount.clone(),
        currency: s.amount.currency.clone(),
        day: String::new(),
        status: s.status.name().into(),
        note: s.note.clone().unwrap_or_default(),
    });
    let mut error = use_signal(|| None::<UiError>);
    let mut busy = use_signal(|| false);
    let err = error();
    let id = s.id.to_string();
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
            button { r#type: "button", id: "edit-sale", onclick: move |_| { error.set(None); editing.set(true) }, "{t.edit}" }
        } else {
            form { class: "panel", id: "edit-sale-form",
                onsubmit: move |e: FormEvent| {
                    e.prevent_default();
                    let id = id.clone();
                    async move {
                        busy.set(true);
                        match sales::update_sale(id, form()).await {
                            Ok(()) => { editing.set(false); error.set(None); on_saved.call(()) }
                            Err(e) => error.set(Some(UiError::from(&e))),
                        }
                        busy.set(false);
                    }
                },
                h2 { "{t.edit_sale}" }
                SaleFields { form, error: err.clone() }
                p { class: "muted", "{t.date_unchanged_hint}" }
                if let Some(m) = form_error(&err, &SALE_FIELDS) { p { class: "error", role: "alert", "{m}" } }
                div { class: "actions",
                    button { r#type: "submit", disabled: busy(), if busy() { "{t.working}" } else { "{t.save}" } }
                    button { r#type: "button", onclick: move |_| editing.set(false), "{t.cancel}" }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::decimal_like;

    #[test]
    fn unit_prices_take_the_currency_decimals_of_the_sale() {
        assert_eq!(decimal_like(124_050, "10.00"), "1240.50");
        assert_eq!(decimal_like(5, "1.000"), "0.005");
        assert_eq!(decimal_like(1500, "300"), "1500");
        assert_eq!(decimal_like(-7, "0.00"), "-0.07");
    }
}
