//! Any address the app does not know: a real 404 with a way back.

use dioxus::prelude::*;

use crate::components::layout::PageTitle;
use crate::i18n::Locale;
use crate::routes::Route;

#[component]
pub fn NotFound(segments: Vec<String>) -> Element {
    let locale: Signal<Locale> = use_context();
    let t = locale().texts();
    #[cfg(feature = "server")]
    use_hook(|| {
        dioxus::fullstack::FullstackContext::commit_http_status(
            dioxus::fullstack::StatusCode::NOT_FOUND,
            None,
        )
    });
    rsx! {
        PageTitle { title: t.not_found_title }
        main { class: "page",
            h1 { "{t.not_found_title}" }
            p { "{t.not_found_body}" }
            Link { to: Route::Home {}, "{t.back_home}" }
        }
    }
}
