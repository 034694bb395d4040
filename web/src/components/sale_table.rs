//! A table of sales (date, client, amount, status), each linked to its sale and its client. On
//! a phone each sale is a stacked card, every column labelled (`table.stack` in main.css).

use dioxus::prelude::*;

use crate::gql::{Id, SaleRow};
use crate::i18n::{self, Locale};
use crate::routes::Route;

#[component]
pub fn SaleTable(
    id: &'static str,
    rows: Vec<SaleRow>,
    /// Sales that arrived while the page was open, marked as new.
    #[props(default)]
    fresh: Vec<Id>,
) -> Element {
    let locale: Signal<Locale> = use_context();
    let l = locale();
    let t = l.texts();
    rsx! {
        div { class: "scroll",
            table { class: "list stack", id,
                thead { tr { th { "{t.date}" } th { "{t.client}" } th { class: "num", "{t.amount}" } th { "{t.status}" } } }
                tbody {
                    for s in rows.into_iter() {
                        tr { key: "{s.id}", class: if fresh.contains(&s.id) { "fresh" } else { "" },
                            td { "data-label": "{t.date}",
                                Link { to: Route::SalePage { id: s.id.to_string() }, "{i18n::date(l, &s.sold_at)}" }
                                if fresh.contains(&s.id) { " " span { class: "badge", "{t.just_now}" } }
                            }
                            td { "data-label": "{t.client}", Link { to: Route::client(s.client.id.to_string()), "{s.client.name}" } }
                            td { class: "num", "data-label": "{t.amount}", "{i18n::money(l, &s.amount.amount, &s.amount.currency)}" }
                            td { "data-label": "{t.status}", "{t.status(s.status)}" }
                        }
                    }
                }
            }
        }
    }
}
