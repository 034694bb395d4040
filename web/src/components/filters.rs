//! The filters a list is shown with: one chip per filter in force, each with a link to the
//! same list without it, and a link that clears them all. The list pages say what each filter
//! reads as; the addresses come from their `routes::ListView`.

use dioxus::prelude::*;

use crate::i18n::Locale;
use crate::routes::Route;

/// One filter in force: how it reads ("Status: Active") and the list without it.
#[derive(Clone, Debug, PartialEq)]
pub struct Chip {
    pub label: String,
    pub cleared: Route,
    /// An element id, for a filter other screens link to (the client of the sales list).
    pub id: Option<&'static str>,
}

/// The chips of the filters in force and "Clear all", which goes to `unfiltered`. Nothing when
/// no filter is in force.
#[component]
pub fn ActiveFilters(chips: Vec<Chip>, unfiltered: Route) -> Element {
    let locale: Signal<Locale> = use_context();
    let lt = locale().lists();
    if chips.is_empty() {
        return rsx! {};
    }
    rsx! {
        p { class: "chips", id: "active-filters",
            span { class: "muted", "{lt.active_filters}: " }
            for chip in chips {
                span { class: "chip", id: chip.id,
                    "{chip.label} "
                    Link { class: "clear", title: "{lt.clear}", to: chip.cleared,
                        span { "aria-hidden": "true", "×" }
                        span { class: "sr-only", "{lt.clear}: {chip.label}" }
                    }
                }
            }
            " "
            Link { id: "clear-filters", to: unfiltered, "{lt.clear_all}" }
        }
    }
}
