//! The sales list: newest first, filtered by date range, status, currency and client, in pages.
//! The view (filters, sort, page) lives in the address, like the clients list's; the total of
//! the matching sales per currency stands above the rows. On the first page, sales that an
//! integration pushes appear live (server-sent events from the `saleChanged` subscription).

use dioxus::prelude::*;

use crate::api::sales;
use crate::api::sales::SaleQuery;
use crate::components::filters::{ActiveFilters, Chip};
use crate::components::layout::{LastViews, PageTitle};
use crate::components::sale_table::SaleTable;
use crate::components::status::apply;
use crate::components::status::{list_not_loaded, loaded, pause_ms};
use crate::gql::{ApiEnum, ChangeKind, Id, SaleRow, SaleStatus};
use crate::i18n::{self, Locale};
use crate::routes::{FORM_MARKER, ListView, Route};

#[component]
pub fn Sales(query: SaleQuery) -> Element {
    let locale: Signal<Locale> = use_context();
    rsx! {
        SaleList { query }
        PageTitle { title: locale().texts().sales }
    }
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
        // Moments arrive in the company's zone, so their days are the company's days, as the
        // server's filter counts them.
        let day = sale.sold_at.day();
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
fn SaleList(query: SaleQuery) -> Element {
    let locale: Signal<Locale> = use_context();
    let filter = Filter {
        from: query.from.clone(),
        to: query.to.clone(),
        status: query.status.clone(),
        currency: query.currency.clone(),
        client: query.client.clone(),
    };
    // Sales created or changed since the view loaded, newest first; the view's filter, and
    // whether it takes new sales in at its top (the first page of the newest-first list).
    let mut arrived = use_signal(Vec::<SaleRow>::new);
    let mut changed = use_signal(Vec::<SaleRow>::new);
    let mut listening = use_signal(|| false);
    let mut watch = use_signal(|| filter.clone());
    let mut live = use_signal(|| false);
    // One view for every address of the screen: its data follows the address (a new view per
    // address, by key, would read the first page's server-rendered data again in Dioxus 0.7).
    let data = use_server_future(use_reactive!(|query, filter| {
        arrived.write().clear();
        changed.write().clear();
        watch.set(filter);
        live.set(
            query.after.is_empty()
                && matches!(query.sort.as_str(), "" | "date")
                && matches!(query.dir.as_str(), "" | "desc"),
        );
        sales::sales(query)
    }))?;
    LastViews::shown_sales(&query);
    use_future(move || async move {
        // Only the browser listens; server rendering never does.
        if cfg!(feature = "server") {
            return;
        }
        loop {
            if let Ok(mut events) = sales::live_sales().await {
                listening.set(true);
                while let Some(Ok(change)) = events.recv().await {
                    let sale = change.sale;
                    if change.kind == ChangeKind::Created
                        && *live.peek()
                        && watch.peek().admits(&sale)
                    {
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
    });
    let l = locale();
    let (t, lt) = (l.texts(), l.lists());
    let page = match loaded(&data) {
        Ok(v) => v,
        Err(state) => return list_not_loaded(state, Route::sales()),
    };
    let filtered = !query.filters().is_empty();
    // The client filter is shown by name: every row is that client's.
    let client_name = page
        .edges
        .first()
        .map(|e| e.node.client.name.clone())
        .unwrap_or_else(|| query.client.clone());
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
            input { r#type: "hidden", name: FORM_MARKER.0, value: FORM_MARKER.1 }
            label { span { "{t.from_date} " } input { r#type: "date", name: "from", value: "{query.from}" } }
            label { span { "{t.to_date} " } input { r#type: "date", name: "to", value: "{query.to}" } }
            label {
                span { "{t.status} " }
                select { name: "status", onchange: move |_| apply("sale-filter"),
                    option { value: "", selected: query.status.is_empty(), "{t.any}" }
                    for s in SaleStatus::ALL.iter().copied() {
                        option { value: s.name(), selected: query.status == s.name(), "{t.status(s)}" }
                    }
                }
            }
            label {
                span { "{t.currency} " }
                input { name: "currency", value: "{query.currency}", maxlength: 3, size: 4, placeholder: "RUB" }
            }
            label {
                span { "{t.sort_by} " }
                select { name: "sort", onchange: move |_| apply("sale-filter"),
                    option { value: "date", selected: query.sort != "amount", "{lt.sort_sold_at}" }
                    option { value: "amount", selected: query.sort == "amount", "{lt.sort_amount}" }
                }
            }
            label {
                span { "{lt.direction} " }
                select { name: "dir", onchange: move |_| apply("sale-filter"),
                    option { value: "desc", selected: !query.ascending(), "{lt.descending}" }
                    option { value: "asc", selected: query.ascending(), "{lt.ascending}" }
                }
            }
            input { r#type: "hidden", name: "client", value: "{query.client}" }
            button { r#type: "submit", "{t.filter}" }
        }
        ActiveFilters {
            chips: chips(&query, l, &client_name),
            unfiltered: Route::Sales { query: query.unfiltered() },
        }
        if listening() && live() {
            p { class: "live", id: "live-status", role: "status", "● {t.live}" }
        }
        if rows.is_empty() && !filtered {
            p { class: "empty", "{t.no_sales_yet}" }
        } else if rows.is_empty() {
            p { class: "empty", "{t.no_sales_match}" }
        } else {
            p { class: "muted", id: "sales-count", "{count}" }
            if !page.totals.is_empty() {
                p { id: "sales-totals",
                    "{lt.sum_of_filtered}"
                    if query.status.is_empty() { " ({lt.every_status})" }
                    ": "
                    for (n, m) in page.totals.iter().enumerate() {
                        if n > 0 { " · " }
                        strong { class: "nowrap", "{i18n::money(l, &m.amount, &m.currency)}" }
                    }
                }
            }
            SaleTable { id: "sales-table", rows, fresh }
            nav { class: "pager",
                if let Some(previous) = query.previous_page() {
                    Link { id: "previous-page", to: Route::Sales { query: previous }, "{lt.previous_page}" }
                }
                if !query.after.is_empty() {
                    Link { id: "first-page", to: Route::Sales { query: query.first_page() }, "{t.first_page}" }
                }
                if let (true, Some(cursor)) = (page.page_info.has_next_page, page.page_info.end_cursor.clone()) {
                    Link { id: "next-page", to: Route::Sales { query: query.next_page(cursor) }, "{t.next_page}" }
                }
            }
        }
    }
}

/// The filters in force as chips, each clearing to the list without it; the client by name.
fn chips(query: &SaleQuery, l: Locale, client_name: &str) -> Vec<Chip> {
    let (t, lt) = (l.texts(), l.lists());
    let status = SaleStatus::parse(&query.status)
        .map(|s| t.status(s).to_owned())
        .unwrap_or_default();
    [
        (
            "client",
            lt.sales_client,
            client_name.to_owned(),
            Some("client-filter"),
        ),
        ("from", t.from_date, query.from.clone(), None),
        ("to", t.to_date, query.to.clone(), None),
        ("status", t.status, status, None),
        ("currency", t.currency, query.currency.clone(), None),
    ]
    .into_iter()
    .filter(|(name, ..)| !query.get(name).is_empty())
    .map(|(name, field, value, id)| Chip {
        label: format!("{field}: {value}"),
        cleared: Route::Sales {
            query: query.without(name),
        },
        id,
    })
    .collect()
}
