//! The sale screen's edit form: the sale's fields (with its day filled in), its client (found
//! by name, e-mail or phone) and its lines (goods or services, quantity, unit price).

use dioxus::prelude::*;

use crate::api::UiError;
use crate::api::clients::{self, ClientQuery};
use crate::api::sales::{self, ItemForm, SaleForm};
use crate::components::sale_form::{SALE_FIELDS, SaleFields, decimal_like};
use crate::components::status::{field_error, form_error, use_ready};
use crate::gql::{ApiEnum, ClientRow, ItemKind, SaleDetail};
use crate::i18n::Locale;

/// Matches the client search lists at most.
const MATCHES_SHOWN: usize = 6;

#[component]
pub fn SaleEditor(
    sale: SaleDetail,
    on_saved: EventHandler<()>,
    on_cancel: EventHandler<()>,
) -> Element {
    let locale: Signal<Locale> = use_context();
    let l = locale();
    let (t, e) = (l.texts(), l.lists());
    let s = sale;
    let original_day = s.sold_at.day().to_owned();
    let day = original_day.clone();
    let (amount, currency, status, note) = (
        s.amount.amount.clone(),
        s.amount.currency.clone(),
        s.status.name().to_owned(),
        s.note.clone().unwrap_or_default(),
    );
    let form = use_signal(move || SaleForm {
        amount,
        currency,
        day,
        status,
        note,
    });
    let lines: Vec<ItemForm> = s
        .items
        .iter()
        .map(|i| ItemForm {
            name: i.name.clone(),
            sku: i.sku.clone().unwrap_or_default(),
            kind: i.kind.name().to_owned(),
            quantity: i.quantity.to_string(),
            unit_price: i
                .unit_price_minor
                .map(|p| decimal_like(p.0, &s.amount.amount))
                .unwrap_or_default(),
        })
        .collect();
    let mut items = use_signal(move || lines);
    let client_now = (s.client.id.to_string(), s.client.name.clone());
    let mut client = use_signal(move || client_now);
    let mut picking = use_signal(|| false);
    let mut search = use_signal(String::new);
    let mut matches = use_signal(Vec::<ClientRow>::new);
    let mut error = use_signal(|| None::<UiError>);
    let mut busy = use_signal(|| false);
    let ready = use_ready();
    let err = error();
    let id = s.id.to_string();
    let first_client = s.client.id.to_string();
    rsx! {
        form { class: "panel", id: "edit-sale-form", method: "post",
            onsubmit: move |ev: FormEvent| {
                ev.prevent_default();
                let (id, original_day, first_client) = (id.clone(), original_day.clone(), first_client.clone());
                async move {
                    let mut f = form();
                    // The day as it was: the moment stays (the form would move it to noon).
                    if f.day == original_day {
                        f.day.clear();
                    }
                    let chosen = client().0;
                    let changed_client = if chosen == first_client { String::new() } else { chosen };
                    busy.set(true);
                    match sales::update_sale(id, f, changed_client, items()).await {
                        Ok(()) => { error.set(None); on_saved.call(()) }
                        Err(e) => error.set(Some(UiError::from(&e))),
                    }
                    busy.set(false);
                }
            },
            h2 { "{t.edit_sale}" }
            fieldset { class: "client-pick",
                legend { "{t.client}" }
                p { id: "chosen-client", strong { "{client().1}" } " "
                    if !picking() {
                        button { r#type: "button", class: "link", id: "change-client", onclick: move |_| picking.set(true), "{e.change_client}" }
                    }
                }
                if picking() {
                    label {
                        span { class: "sr-only", "{e.find_client}" }
                        input { r#type: "search", id: "client-search-input", placeholder: "{e.find_client}", value: "{search}",
                            oninput: move |ev: FormEvent| async move {
                                let text = ev.value();
                                search.set(text.clone());
                                if text.trim().chars().count() < 2 {
                                    matches.set(Vec::new());
                                    return;
                                }
                                let q = ClientQuery { search: text.clone(), ..ClientQuery::default() };
                                if let Ok(page) = clients::clients(q).await {
                                    // Only the answer to what the field holds now.
                                    if search() == text {
                                        matches.set(page.edges.into_iter().map(|e| e.node).take(MATCHES_SHOWN).collect());
                                    }
                                }
                            }
                        }
                    }
                    ul { class: "matches", id: "client-matches",
                        for m in matches().into_iter() {
                            li {
                                button { r#type: "button", class: "link",
                                    onclick: {
                                        let chosen = (m.id.to_string(), m.name.clone());
                                        move |_| { client.set(chosen.clone()); picking.set(false); matches.set(Vec::new()); search.set(String::new()) }
                                    },
                                    "{m.name}"
                                }
                                if let Some(mail) = m.email.as_ref() { span { class: "muted", " · {mail}" } }
                            }
                        }
                    }
                }
                if let Some(m) = field_error(&err, "clientId") { p { class: "field-error", "{m}" } }
            }
            SaleFields { form, error: err.clone() }
            fieldset { class: "lines", id: "sale-lines",
                legend { "{t.items}" }
                for (n, item) in items().into_iter().enumerate() {
                    div { class: "row line",
                        label { class: "grow", "{t.name}"
                            input { name: "item-name", maxlength: 300, value: "{item.name}", oninput: move |ev: FormEvent| { if let Some(i) = items.write().get_mut(n) { i.name = ev.value() } } }
                        }
                        label { "{t.kind_label}"
                            select { name: "item-kind", onchange: move |ev: FormEvent| { if let Some(i) = items.write().get_mut(n) { i.kind = ev.value() } },
                                for k in ItemKind::ALL.iter().copied() {
                                    option { value: k.name(), selected: item.kind == k.name(), "{t.item_kind(k)}" }
                                }
                            }
                        }
                        label { "{t.quantity}"
                            input { name: "item-quantity", inputmode: "decimal", size: 5, value: "{item.quantity}", oninput: move |ev: FormEvent| { if let Some(i) = items.write().get_mut(n) { i.quantity = ev.value() } } }
                        }
                        label { "{t.unit_price}"
                            input { name: "item-price", inputmode: "decimal", size: 10, value: "{item.unit_price}", oninput: move |ev: FormEvent| { if let Some(i) = items.write().get_mut(n) { i.unit_price = ev.value() } } }
                        }
                        button { r#type: "button", class: "secondary", "aria-label": "{e.remove_line}: {item.name}", onclick: move |_| { if n < items.len() { items.write().remove(n); } }, "×" }
                    }
                    for f in ["name", "sku", "kind", "quantity", "unitPriceMinor"] {
                        if let Some(m) = field_error(&err, &format!("items[{n}].{f}")) { p { class: "field-error", "{m}" } }
                    }
                }
                button { r#type: "button", class: "secondary", id: "add-line",
                    onclick: move |_| items.write().push(ItemForm { kind: ItemKind::Goods.name().to_owned(), quantity: "1".into(), ..ItemForm::default() }),
                    "+ {e.add_line}"
                }
            }
            if let Some(m) = form_error(&err, &SALE_FIELDS) {
                if err.as_ref().and_then(|x| x.field.as_deref()).is_none_or(|f| !f.starts_with("items[") && f != "clientId") {
                    p { class: "error", role: "alert", "{m}" }
                }
            }
            div { class: "actions",
                button { r#type: "submit", disabled: busy() || !ready(), if busy() { "{t.working}" } else { "{t.save}" } }
                button { r#type: "button", class: "secondary", onclick: move |_| on_cancel.call(()), "{t.cancel}" }
            }
        }
    }
}
