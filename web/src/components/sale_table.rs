//! A table of sales (date, client, amount, status), each linked to its sale and its client.

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
            table { class: "list", id,
                thead { tr { th { "{t.date}" } th { "{t.client}" } th { class: "num", "{t.amount}" } th { "{t.status}" } } }
                tbody {
                    for s in rows.into_iter() {
                        tr { key: "{s.id}", class: if fresh.contains(&s.id) { "fresh" } else { "" },
                            td {
                                Link { to: Route::SalePage { id: s.id.to_string() }, "{i18n::date(l, &s.sold_at)}" }
                                if fresh.contains(&s.id) { " " span { class: "badge", "{t.just_now}" } }
                            }
                            td { Link { to: Route::client(s.client.id.to_string()), "{s.client.name}" } }
                            td { class: "num", "{i18n::money(l, &s.amount.amount, &s.amount.currency)}" }
                            td { "{t.status(s.status)}" }
                        }
                    }
                }
            }
        }
    }
}
