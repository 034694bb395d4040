//! The sales list: newest first, filtered by date range, status and currency, in pages. The
//! filter lives in the address, like the clients list.

use dioxus::prelude::*;

use crate::components::status::{loaded, not_loaded};
use crate::i18n::{self, Locale};
use crate::routes::Route;
use crate::session;

#[component]
pub fn Sales(from: String, to: String, status: String, currency: String, after: String) -> Element {
    // A new address is a new list: keyed, the view loads again.
    rsx! { SaleList { key: "{from}|{to}|{status}|{currency}|{after}", from, to, status, currency, after } }
}

#[component]
fn SaleList(from: String, to: String, status: String, currency: String, after: String) -> Element {
    let locale: Signal<Locale> = use_context();
    let args = (
        from.clone(),
        to.clone(),
        status.clone(),
        currency.clone(),
        after.clone(),
    );
    let data = use_server_future(move || {
        let (f, t, s, c, a) = args.clone();
        session::sales(f, t, s, c, a)
    })?;
    let l = locale();
    let t = l.texts();
    let page = match loaded(&data) {
        Ok(v) => v,
        Err(state) => return not_loaded(state),
    };
    let filtered = !(from.is_empty() && to.is_empty() && status.is_empty() && currency.is_empty());
    let count = i18n::count(
        l,
        page.total_count,
        ("sale", "sales"),
        ("продажа", "продажи", "продаж"),
    );
    rsx! {
        h1 { "{t.sales}" }
        form { class: "toolbar", method: "get", action: "/sales", id: "sale-filter",
            label { span { "{t.from_date} " } input { r#type: "date", name: "from", value: "{from}" } }
            label { span { "{t.to_date} " } input { r#type: "date", name: "to", value: "{to}" } }
            label {
                span { "{t.status} " }
                select { name: "status",
                    option { value: "", selected: status.is_empty(), "{t.any}" }
                    for s in ["COMPLETED", "PENDING", "CANCELLED", "REFUNDED"] {
                        option { value: s, selected: status == s, "{t.status(s)}" }
                    }
                }
            }
            label {
                span { "{t.currency} " }
                input { name: "currency", value: "{currency}", maxlength: 3, size: 4, placeholder: "RUB" }
            }
            input { r#type: "hidden", name: "after", value: "" }
            button { r#type: "submit", "{t.filter}" }
        }
        if page.total_count == 0 && !filtered {
            p { class: "empty", "{t.no_sales_yet}" }
        } else if page.total_count == 0 {
            p { class: "empty", "{t.no_sales_match}" }
        } else {
            p { class: "muted", id: "sales-count", "{count}" }
            div { class: "scroll",
                table { class: "list", id: "sales-table",
                    thead { tr { th { "{t.date}" } th { "{t.client}" } th { class: "num", "{t.amount}" } th { "{t.status}" } } }
                    tbody {
                        for e in page.edges.iter() {
                            tr {
                                td { "{i18n::date(l, &e.node.sold_at)}" }
                                td { "{e.node.client.name}" }
                                td { class: "num", "{i18n::money(l, &e.node.amount.amount, &e.node.amount.currency)}" }
                                td { "{t.status(&e.node.status)}" }
                            }
                        }
                    }
                }
            }
            nav { class: "pager",
                if !after.is_empty() {
                    Link {
                        to: Route::Sales { from: from.clone(), to: to.clone(), status: status.clone(), currency: currency.clone(), after: String::new() },
                        "{t.first_page}"
                    }
                }
                if let (true, Some(cursor)) = (page.page_info.has_next_page, page.page_info.end_cursor.clone()) {
                    Link {
                        id: "next-page",
                        to: Route::Sales { from: from.clone(), to: to.clone(), status: status.clone(), currency: currency.clone(), after: cursor },
                        "{t.next_page}"
                    }
                }
            }
        }
    }
}
