//! The start screen: this month's key figures against the same days of last month, the revenue
//! trend with its forecast, the top recommended actions and the latest sales.

use dioxus::prelude::*;

use crate::api::dashboard;
use crate::components::analytics::{RevenueTrend, TopActions};
use crate::components::layout::PageTitle;
use crate::components::sale_table::SaleTable;
use crate::components::status::{loaded, not_loaded};
use crate::gql::Money;
use crate::i18n::reports::change;
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
        PageTitle { title: t.home }
        h1 { "{t.this_month}" }
        section { class: "figures", id: "figures",
            div { class: "figure",
                h2 { "{t.revenue}" }
                if d.sales_summary.revenue.is_empty() {
                    p { class: "muted", "{t.no_revenue}" }
                }
                for m in d.sales_summary.revenue.iter() {
                    p { class: "big", "{i18n::money(l, &m.amount, &m.currency)}" }
                    p { class: "muted small", "{change(l, revenue_change(m, &d.previous.revenue))} {t.vs_last_month}" }
                }
            }
            div { class: "figure",
                h2 { "{t.sales_count}" }
                p { class: "big", "{sales_label}" }
                p { class: "muted small", "{change(l, percent_change(f64::from(d.sales_summary.sales_count), f64::from(d.previous.sales_count)))} {t.vs_last_month}" }
            }
            div { class: "figure",
                h2 { "{t.new_clients}" }
                p { class: "big", "{clients_label}" }
                p { class: "muted small", "{change(l, percent_change(f64::from(d.sales_summary.new_clients), f64::from(d.previous.new_clients)))} {t.vs_last_month}" }
            }
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

/// The change from `before` to `now` in percent; none when there was nothing before.
fn percent_change(now: f64, before: f64) -> Option<f64> {
    (before > 0.0).then(|| (now - before) / before * 100.0)
}

/// This month's revenue in one currency against last month's in the same currency.
fn revenue_change(now: &Money, before: &[Money]) -> Option<f64> {
    let amount = |m: &Money| m.amount.parse::<f64>().ok();
    let before = before.iter().find(|b| b.currency == now.currency)?;
    percent_change(amount(now)?, amount(before)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_compare_like_with_like() {
        assert_eq!(percent_change(150.0, 100.0), Some(50.0));
        assert_eq!(percent_change(5.0, 0.0), None);
        let m = |a: &str, c: &str| Money {
            amount: a.into(),
            currency: c.into(),
        };
        assert_eq!(
            revenue_change(&m("50.00", "RUB"), &[m("10.00", "USD"), m("100.00", "RUB")]),
            Some(-50.0)
        );
        assert_eq!(
            revenue_change(&m("50.00", "EUR"), &[m("10.00", "USD")]),
            None
        );
    }
}
