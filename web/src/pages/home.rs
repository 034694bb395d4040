//! The start screen: this month's key figures and the latest sales.

use dioxus::prelude::*;

use crate::components::status::{loaded, not_loaded};
use crate::i18n::{self, Locale};
use crate::routes::Route;
use crate::session;

#[component]
pub fn Home() -> Element {
    let locale: Signal<Locale> = use_context();
    let data = use_server_future(session::dashboard)?;
    let l = locale();
    let t = l.texts();
    let d = match loaded(&data) {
        Ok(v) => v,
        Err(state) => return not_loaded(state),
    };
    let sales_label = i18n::count(
        l,
        d.sales_summary.sales_count,
        ("sale", "sales"),
        ("продажа", "продажи", "продаж"),
    );
    let clients_label = i18n::count(
        l,
        d.sales_summary.new_clients,
        ("new client", "new clients"),
        ("новый клиент", "новых клиента", "новых клиентов"),
    );
    rsx! {
        h1 { "{t.this_month}" }
        section { class: "figures", id: "figures",
            div { class: "figure",
                h2 { "{t.revenue}" }
                if d.sales_summary.revenue.is_empty() {
                    p { class: "muted", "{t.no_revenue}" }
                }
                for m in d.sales_summary.revenue.iter() {
                    p { class: "big", "{i18n::money(l, &m.amount, &m.currency)}" }
                }
            }
            div { class: "figure", h2 { "{t.sales_count}" } p { class: "big", "{sales_label}" } }
            div { class: "figure", h2 { "{t.new_clients}" } p { class: "big", "{clients_label}" } }
        }
        nav { class: "shortcuts",
            Link { to: Route::Clients { search: String::new(), sort: String::new(), after: String::new() }, "{t.clients} →" }
            Link { to: Route::Sales { from: String::new(), to: String::new(), status: String::new(), currency: String::new(), after: String::new() }, "{t.sales} →" }
            Link { to: Route::ApiKeys {}, "{t.api_keys} →" }
        }
        h2 { "{t.latest_sales}" }
        if d.sales.edges.is_empty() {
            p { class: "empty", "{t.no_sales_yet}" }
        } else {
            table { class: "list",
                thead { tr { th { "{t.date}" } th { "{t.client}" } th { class: "num", "{t.amount}" } th { "{t.status}" } } }
                tbody {
                    for e in d.sales.edges.iter() {
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
    }
}
