//! The sales list: newest first, filtered by date range, status, currency and client, in pages.
//! The filter lives in the address, like the clients list. On the first page, sales that an
//! integration pushes appear live (server-sent events from the `saleChanged` subscription).

use dioxus::prelude::*;

use crate::api::sales;
use crate::components::sale_table::SaleTable;
use crate::components::status::{loaded, not_loaded, pause_ms};
use crate::gql::{ApiEnum, ChangeKind, Id, SaleRow, SaleStatus};
use crate::i18n::{self, Locale};
use crate::routes::Route;

#[component]
pub fn Sales(
    from: String,
    to: String,
    status: String,
    currency: String,
    client: String,
    after: String,
) -> Element {
    // A new address is a new list: keyed, the view loads again.
    rsx! { SaleList { key: "{from}|{to}|{status}|{currency}|{client}|{after}", from, to, status, currency, client, after } }
}

/// The filter of the list, to tell whether a sale that arrives live belongs in it.
#[derive(Clone, PartialEq)]
struct Filter {
    from: String,
    to: String,
    status: String,
    currency: String,
    client: String,
}

impl Filter {
    fn admits(&self, sale: &SaleRow) -> bool {
        // Dates compare as UTC days, as the server's filter does.
        let day = sale.sold_at.get(..10).unwrap_or("");
        (self.from.is_empty() || day >= self.from.as_str())
            && (self.to.is_empty() || day <= self.to.as_str())
            && (self.status.is_empty() || sale.status.name() == self.status)
            && (self.currency.is_empty()
                || sale
                    .amount
                    .currency
                    .eq_ignore_ascii_case(self.currency.trim()))
            && (self.client.is_empty() || sale.client.id.as_str() == self.client)
    }
}

#[component]
fn SaleList(
    from: String,
    to: String,
    status: String,
    currency: String,
    client: String,
    after: String,
) -> Element {
    let locale: Signal<Locale> = use_context();
    let filter = Filter {
        from: from.clone(),
        to: to.clone(),
        status: status.clone(),
        currency: currency.clone(),
        client: client.clone(),
    };
    let args = (filter.clone(), after.clone());
    let data = use_server_future(move || {
        let (f, a) = args.clone();
        sales::sales(f.from, f.to, f.status, f.currency, f.client, a)
    })?;
    // Sales created or changed since the page loaded, newest first.
    let mut arrived = use_signal(Vec::<SaleRow>::new);
    let mut changed = use_signal(Vec::<SaleRow>::new);
    let mut listening = use_signal(|| false);
    let live = after.is_empty();
    let watch = filter.clone();
    use_future(move || {
        let watch = watch.clone();
        async move {
            // Only the browser listens, and only on the first page; server rendering never does.
            if !live || cfg!(feature = "server") {
                return;
            }
            loop {
                if let Ok(mut events) = sales::live_sales().await {
                    listening.set(true);
                    while let Some(Ok(change)) = events.recv().await {
                        let sale = change.sale;
                        if change.kind == ChangeKind::Created && watch.admits(&sale) {
                            if !arrived.read().iter().any(|s| s.id == sale.id) {
                                arrived.write().insert(0, sale);
                            }
                        } else {
                            changed.write().retain(|s| s.id != sale.id);
                            changed.write().push(sale);
                        }
                    }
                    listening.set(false);
                }
                // The connection dropped (server restart, network): try again shortly.
                if !pause_ms(3000).await {
                    return;
                }
            }
        }
    });
    let l = locale();
    let t = l.texts();
    let page = match loaded(&data) {
        Ok(v) => v,
        Err(state) => return not_loaded(state),
    };
    let filtered = !(from.is_empty()
        && to.is_empty()
        && status.is_empty()
        && currency.is_empty()
        && client.is_empty());
    let fresh: Vec<Id> = arrived.read().iter().map(|s| s.id.clone()).collect();
    let known: Vec<Id> = page.edges.iter().map(|e| e.node.id.clone()).collect();
    let rows: Vec<SaleRow> = arrived
        .read()
        .iter()
        .filter(|s| !known.contains(&s.id))
        .cloned()
        .chain(page.edges.iter().map(|e| e.node.clone()))
        .map(|s| {
            changed
                .read()
                .iter()
                .find(|c| c.id == s.id)
                .cloned()
                .unwrap_or(s)
        })
        .collect();
    let total = i64::from(page.total_count) + (rows.len() - page.edges.len()) as i64;
    let count = i18n::count(
        l,
        total,
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
                    for s in SaleStatus::ALL.iter().copied() {
                        option { value: s.name(), selected: status == s.name(), "{t.status(s)}" }
                    }
                }
            }
            label {
                span { "{t.currency} " }
                input { name: "currency", value: "{currency}", maxlength: 3, size: 4, placeholder: "RUB" }
            }
            input { r#type: "hidden", name: "client", value: "{client}" }
            input { r#type: "hidden", name: "after", value: "" }
            button { r#type: "submit", "{t.filter}" }
        }
        if !client.is_empty() {
            p { class: "muted", "{t.one_client} " Link { to: Route::sales(), "{t.show_all}" } }
        }
        if listening() {
            p { class: "live", id: "live-status", role: "status", "● {t.live}" }
        }
        if rows.is_empty() && !filtered {
            p { class: "empty", "{t.no_sales_yet}" }
        } else if rows.is_empty() {
            p { class: "empty", "{t.no_sales_match}" }
        } else {
            p { class: "muted", id: "sales-count", "{count}" }
            SaleTable { id: "sales-table", rows, fresh }
            nav { class: "pager",
                if !after.is_empty() {
                    Link {
                        to: Route::Sales { from: from.clone(), to: to.clone(), status: status.clone(), currency: currency.clone(), client: client.clone(), after: String::new() },
                        "{t.first_page}"
                    }
                }
                if let (true, Some(cursor)) = (page.page_info.has_next_page, page.page_info.end_cursor.clone()) {
                    Link {
                        id: "next-page",
                        to: Route::Sales { from: from.clone(), to: to.clone(), status: status.clone(), currency: currency.clone(), client: client.clone(), after: cursor },
                        "{t.next_page}"
                    }
                }
            }
        }
    }
}
