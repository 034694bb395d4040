//! Loading and error states: never a blank page.

use dioxus::prelude::*;

use crate::api::UiError;
use crate::i18n::Locale;
use crate::i18n::errors::error_text;

#[component]
pub fn Loading() -> Element {
    let locale: Signal<Locale> = use_context();
    rsx! { p { class: "loading", role: "status", "{locale().texts().loading}" } }
}

/// A failed call, with its message.
#[component]
pub fn ErrorBox(error: UiError) -> Element {
    let locale: Signal<Locale> = use_context();
    rsx! {
        div { class: "error", role: "alert",
            strong { "{locale().texts().error_prefix} " }
            "{error_text(locale(), &error)}"
        }
    }
}

/// Sends the form `id` as if its submit button were pressed (a list's toolbar, when one of its
/// choices changes; only the app calls it).
pub fn apply(id: &str) {
    let _ = document::eval(&format!(
        "document.getElementById({}).requestSubmit();",
        serde_json::Value::from(id)
    ));
}

/// Whether the app runs the page: `false` while it is rendered on the server and until the
/// browser code has taken it over, then `true`. A form that only the app can send keeps its
/// submit button disabled until then, so pressing it early sends nothing (neither a plain
/// submission to a page nor the form's fields in an address).
pub fn use_ready() -> Signal<bool> {
    let mut ready = use_signal(|| false);
    // Effects run only in the browser, after hydration or a client-side navigation.
    use_effect(move || ready.set(true));
    ready
}

/// A page's loaded data, or what it is instead: `Err(None)` while loading, `Err(Some(..))`
/// when the call failed.
pub fn loaded<T: Clone + 'static>(
    data: &Resource<Result<T, ServerFnError>>,
) -> Result<T, Option<UiError>> {
    match &*data.read() {
        Some(Ok(v)) => Ok(v.clone()),
        Some(Err(e)) => Err(Some(UiError::from(e))),
        None => Err(None),
    }
}

/// What a page shows while its data is not there: the loading state or the error. A page
/// rendered on the server for something that does not exist answers 404.
pub fn not_loaded(state: Option<UiError>) -> Element {
    match state {
        Some(error) => {
            #[cfg(feature = "server")]
            if error.code == crate::api::ErrorCode::NotFound {
                dioxus::fullstack::FullstackContext::commit_http_status(
                    dioxus::fullstack::StatusCode::NOT_FOUND,
                    None,
                );
            }
            rsx! { ErrorBox { error } }
        }
        None => rsx! { Loading {} },
    }
}

/// [`not_loaded`] for a list: a view the list cannot show (a filter value from an edited or
/// old address) also offers the list without filters, `unfiltered`.
pub fn list_not_loaded(state: Option<UiError>, unfiltered: crate::routes::Route) -> Element {
    let bad_view = state
        .as_ref()
        .is_some_and(|e| e.code == crate::api::ErrorCode::BadUserInput);
    let locale = page_locale();
    rsx! {
        {not_loaded(state)}
        if bad_view {
            p { Link { id: "clear-filters", to: unfiltered, "{locale.lists().clear_all}" } }
        }
    }
}

/// The interface language of the page being rendered (English outside the app's root).
fn page_locale() -> Locale {
    try_consume_context::<Signal<Locale>>().map_or(Locale::En, |l| l())
}

/// The error message for one form field, when the API named it, in the page's language.
pub fn field_error(error: &Option<UiError>, field: &str) -> Option<String> {
    error
        .as_ref()
        .filter(|e| e.field.as_deref() == Some(field))
        .map(|e| error_text(page_locale(), e))
}

/// The error message not tied to any of `fields`, in the page's language.
pub fn form_error(error: &Option<UiError>, fields: &[&str]) -> Option<String> {
    error
        .as_ref()
        .filter(|e| e.field.as_deref().is_none_or(|f| !fields.contains(&f)))
        .map(|e| error_text(page_locale(), e))
}

/// Full reload of a page (after signing in or out, or switching company, every part of the
/// page changes).
pub fn go(href: &str) {
    let script = format!("window.location.href = {}", serde_json::Value::from(href));
    let _ = document::eval(&script);
}

/// Waits `ms` milliseconds in the browser; `false` (at once) where there is no browser, so a
/// retry loop started during server rendering ends instead of spinning.
pub async fn pause_ms(ms: u32) -> bool {
    if cfg!(feature = "server") {
        return false;
    }
    let script = format!("await new Promise(r => setTimeout(r, {ms})); return true;");
    document::eval(&script).await.is_ok()
}
