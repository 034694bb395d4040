//! The start screen: this month's key figures and the latest sales.

use dioxus::prelude::*;

use crate::api::dashboard;
use crate::components::analytics::{RevenueTrend, TopActions};
use crate::components::sale_table::SaleTable;
use crate::components::status::{loaded, not_loaded};
use crate::i18n::{self, Locale};
use crate::routes::Route;

#[component]
pub fn Home() -> Element {
    let locale: Signal<Locale> = use_context();
    let data = use_server_future(dashboard::dashboard)?;
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
        div { class: "columns",
            RevenueTrend {}
            TopActions {}
        }
        nav { class: "shortcuts",
            Link { to: Route::clients(), "{t.clients} →" }
            Link { to: Route::sales(), "{t.sales} →" }
            Link { to: Route::ApiKeys {}, "{t.api_keys} →" }
        }
        h2 { "{t.latest_sales}" }
        if d.sales.edges.is_empty() {
            p { class: "empty", "{t.no_sales_yet}" }
        } else {
            SaleTable { id: "latest-sales", rows: d.sales.edges.iter().map(|e| e.node.clone()).collect::<Vec<_>>() }
        }
    }
}
