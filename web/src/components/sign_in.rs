//! The sign-in form, full screen: what the sign-in page shows, and what every signed-in screen
//! shows instead of itself to someone not signed in (see `layout::Shell`).

use dioxus::prelude::*;

use crate::api::UiError;
use crate::api::session::{self, Failure};
use crate::components::field::Field;
use crate::components::layout::LanguageSwitch;
use crate::components::layout::PageTitle;
use crate::components::status::{field_error, form_error, go};
use crate::i18n::Locale;
use crate::routes::{Route, local_target};

/// The sign-in form. It posts to `/login` as a plain form until the app runs (so pressing the
/// button early signs in too, and the password never lands in an address); then the app sends
/// it. Afterwards the person lands where they were going (`next`, this page's address when
/// the shell shows the form in place of a screen), or on the start screen.
#[component]
pub fn SignIn(#[props(default)] failure: Failure) -> Element {
    let locale: Signal<Locale> = use_context();
    let t = locale().texts();
    let kept = failure.clone();
    let email = use_signal(|| kept.value("email"));
    let password = use_signal(String::new);
    let shown = failure.clone();
    let mut error = use_signal(|| shown.error());
    let mut busy = use_signal(|| false);
    let err = error();
    let route = use_route::<Route>();
    let next = match &route {
        Route::Login { .. } | Route::Register { .. } => failure.value("next"),
        other => other.to_string(),
    };
    let target = local_target(&next).to_owned();
    rsx! {
        PageTitle { title: t.sign_in }
        main { class: "auth",
            div { class: "auth-lang", LanguageSwitch {} }
            h1 { "{t.sign_in}" }
            form {
                id: "login-form",
                method: "post",
                action: "/login",
                onsubmit: move |e: FormEvent| {
                    e.prevent_default();
                    let target = target.clone();
                    async move {
                        busy.set(true);
                        match session::login(email(), password()).await {
                            Ok(()) => go(&target),
                            Err(e) => error.set(Some(UiError::from(&e))),
                        }
                        busy.set(false);
                    }
                },
                input { r#type: "hidden", name: "next", value: "{next}" }
                Field { label: t.email, name: "email", kind: "email", autocomplete: "username", value: email, error: field_error(&err, "email") }
                Field { label: t.password, name: "password", kind: "password", autocomplete: "current-password", value: password, error: field_error(&err, "password") }
                if let Some(m) = form_error(&err, &["email", "password"]) { p { class: "error", role: "alert", "{m}" } }
                button { r#type: "submit", disabled: busy(), if busy() { "{t.working}" } else { "{t.sign_in}" } }
            }
            p { "{t.no_account} " Link { to: Route::Register { failure: Failure::default() }, "{t.register}" } }
        }
    }
}
