//! The sign-in form, full screen: what the sign-in page shows, and what every signed-in screen
//! shows instead of itself to someone not signed in (see `layout::Shell`).

use dioxus::prelude::*;

use crate::api::UiError;
use crate::api::session;
use crate::components::field::Field;
use crate::components::layout::LanguageSwitch;
use crate::components::status::{field_error, form_error, go};
use crate::i18n::Locale;
use crate::routes::Route;

#[component]
pub fn SignIn() -> Element {
    let locale: Signal<Locale> = use_context();
    let t = locale().texts();
    let email = use_signal(String::new);
    let password = use_signal(String::new);
    let mut error = use_signal(|| None::<UiError>);
    let mut busy = use_signal(|| false);
    let err = error();
    rsx! {
        main { class: "auth",
            div { class: "auth-lang", LanguageSwitch {} }
            h1 { "{t.sign_in}" }
            form {
                id: "login-form",
                onsubmit: move |e: FormEvent| async move {
                    e.prevent_default();
                    busy.set(true);
                    match session::login(email(), password()).await {
                        Ok(()) => go("/"),
                        Err(e) => error.set(Some(UiError::from(&e))),
                    }
                    busy.set(false);
                },
                Field { label: t.email, name: "email", kind: "email", autocomplete: "username", value: email, error: field_error(&err, "email") }
                Field { label: t.password, name: "password", kind: "password", autocomplete: "current-password", value: password, error: field_error(&err, "password") }
                if let Some(m) = form_error(&err, &["email", "password"]) { p { class: "error", role: "alert", "{m}" } }
                button { r#type: "submit", disabled: busy(), if busy() { "{t.working}" } else { "{t.sign_in}" } }
            }
            p { "{t.no_account} " Link { to: Route::Register {}, "{t.register}" } }
        }
    }
}
