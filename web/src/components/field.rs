//! A labelled, required text input bound to a signal, with the API's error for it below.

use dioxus::prelude::*;

#[component]
pub fn Field(
    label: &'static str,
    name: &'static str,
    #[props(default = "text")] kind: &'static str,
    #[props(default = "off")] autocomplete: &'static str,
    #[props(default)] minlength: Option<i64>,
    value: Signal<String>,
    error: Option<String>,
) -> Element {
    let mut value = value;
    rsx! {
        label { "{label}"
            input { name, r#type: kind, required: true, autocomplete, minlength,
                value: "{value}", oninput: move |e: FormEvent| value.set(e.value()) }
        }
        if let Some(m) = error { p { class: "field-error", "{m}" } }
    }
}
