//! The sign-in page (its form is `components::sign_in`, which `Shell` shows too) and registration.

use dioxus::prelude::*;

use crate::api::session::{self, Failure};
use crate::api::{ErrorCode, UiError};
use crate::components::field::Field;
use crate::components::layout::LanguageSwitch;
use crate::components::layout::PageTitle;
use crate::components::sign_in::SignIn;
use crate::components::status::{field_error, form_error, go};
use crate::i18n::Locale;
use crate::routes::Route;

/// The sign-in page; `failure` is a plain form post that failed (see `server::sign_in`).
#[component]
pub fn Login(failure: Failure) -> Element {
    rsx! { SignIn { failure } }
}

/// Registration: a plain form post to `/register` until the app runs, then sent by the app.
#[component]
pub fn Register(failure: Failure) -> Element {
    let locale: Signal<Locale> = use_context();
    let t = locale().texts();
    let kept = failure.clone();
    let email = use_signal(|| kept.value("email"));
    let password = use_signal(String::new);
    let name = use_signal(|| kept.value("displayName"));
    let company = use_signal(|| kept.value("companyName"));
    let mut currency = use_signal(|| match kept.value("baseCurrency") {
        c if c.is_empty() => "RUB".to_owned(),
        c => c,
    });
    let shown = failure.clone();
    let mut error = use_signal(|| shown.error());
    let mut busy = use_signal(|| false);
    let err = error();
    let fields = [
        "email",
        "password",
        "displayName",
        "companyName",
        "baseCurrency",
    ];
    rsx! {
        PageTitle { title: t.register }
        main { class: "auth",
            div { class: "auth-lang", LanguageSwitch {} }
            h1 { "{t.register}" }
            form {
                id: "register-form",
                method: "post",
                action: "/register",
                onsubmit: move |e: FormEvent| async move {
                    e.prevent_default();
                    // The same rule as the API, checked here first to save a round trip.
                    if password().chars().count() < 8 {
                        error.set(Some(UiError {
                            code: ErrorCode::BadUserInput,
                            field: Some("password".into()),
                            message: if locale() == Locale::Ru { "Не короче 8 символов".into() } else { "At least 8 characters".into() },
                        }));
                        return;
                    }
                    busy.set(true);
                    match session::register(email(), password(), name(), company(), currency()).await {
                        Ok(()) => go("/"),
                        Err(e) => error.set(Some(UiError::from(&e))),
                    }
                    busy.set(false);
                },
                Field { label: t.email, name: "email", kind: "email", autocomplete: "username", value: email, error: field_error(&err, "email") }
                Field { label: t.password, name: "password", kind: "password", autocomplete: "new-password", minlength: 8, value: password, error: field_error(&err, "password") }
                Field { label: t.display_name, name: "displayName", value: name, error: field_error(&err, "displayName") }
                Field { label: t.company_name, name: "companyName", value: company, error: field_error(&err, "companyName") }
                label { "{t.base_currency}"
                    select { name: "baseCurrency", value: "{currency}", onchange: move |e: FormEvent| currency.set(e.value()),
                        for c in ["RUB", "USD", "EUR", "KZT", "BYN", "CNY", "GBP"] {
                            option { value: c, selected: currency() == c, "{c}" }
                        }
                    }
                }
                if let Some(m) = field_error(&err, "baseCurrency") { p { class: "field-error", "{m}" } }
                if let Some(m) = form_error(&err, &fields) { p { class: "error", role: "alert", "{m}" } }
                button { r#type: "submit", disabled: busy(), if busy() { "{t.working}" } else { "{t.register}" } }
            }
            p { "{t.have_account} " Link { to: Route::Login { failure: Failure::default() }, "{t.sign_in}" } }
        }
    }
}
