//! Page layouts. `Root` decides the language for every page; `Shell` is the frame of the
//! signed-in screens (navigation, company switcher, the assistant's chat panel, language, sign
//! out) and shows the sign-in form to anyone not signed in.

use std::cell::RefCell;
use std::rc::Rc;

use dioxus::prelude::*;

use crate::api::clients::ClientQuery;
use crate::api::sales::SaleQuery;
use crate::api::{ErrorCode, session};
use crate::components::chat::ChatPanel;
use crate::components::sign_in::SignIn;
use crate::components::status::{ErrorBox, Loading, go, loaded};
use crate::i18n::Locale;
use crate::routes::Route;

#[component]
pub fn Root() -> Element {
    let initial = use_server_future(session::ui_locale)?;
    let chosen = initial
        .read()
        .as_ref()
        .and_then(|r| r.as_ref().ok())
        .copied()
        .unwrap_or_default();
    let locale = use_context_provider(|| Signal::new(chosen));
    // Effects run only in the browser, once the wasm bundle has taken over the server-rendered
    // page: the mark tells tests (and curious people) that the page is interactive.
    use_effect(|| {
        let _ = document::eval("document.documentElement.dataset.hydrated = '1';");
    });
    // The page's language follows a switch (the server writes it into the first page).
    use_effect(move || {
        let code = locale().code();
        let _ = document::eval(&format!("document.documentElement.lang = '{code}';"));
    });
    rsx! {
        div { lang: "{locale().code()}", class: "app", Outlet::<Route> {} }
    }
}

/// Switches the interface language and remembers the choice.
#[component]
pub fn LanguageSwitch() -> Element {
    let mut locale: Signal<Locale> = use_context();
    let other = locale().other();
    rsx! {
        button {
            class: "link",
            r#type: "button",
            id: "language-switch",
            lang: "{other.code()}",
            onclick: move |_| async move {
                if session::set_locale(other).await.is_ok() {
                    locale.set(other);
                }
            },
            "{other.texts().language_name}"
        }
    }
}

/// The company the signed-in screens belong to, for page titles (set by `Shell` once it knows
/// it; switching company reloads the page, so it never changes under a page).
#[derive(Clone, Default)]
pub struct CompanyName(Rc<RefCell<String>>);

/// The browser tab's title: where the person is, then the company ("Клиенты — ООО
/// «ТехноСнаб»"), or the app's name outside a company's screens.
#[component]
pub fn PageTitle(#[props(into)] title: String) -> Element {
    let locale: Signal<Locale> = use_context();
    let company = try_use_context::<CompanyName>()
        .map(|c| c.0.borrow().clone())
        .unwrap_or_default();
    let suffix = if company.is_empty() {
        locale().texts().app_name.to_owned()
    } else {
        company
    };
    rsx! { document::Title { "{title} — {suffix}" } }
}

/// The clients and sales lists as last shown (filters, sort, page), so that a client's or a
/// sale's "←" link goes back to the list as it was left. Set by the list pages while the app
/// runs; a page loaded afresh links to the lists as they first open.
#[derive(Clone, Default)]
pub struct LastViews {
    clients: Rc<RefCell<ClientQuery>>,
    sales: Rc<RefCell<SaleQuery>>,
}

impl LastViews {
    /// Remembers the clients list's view (a no-op outside the company's screens).
    pub fn shown_clients(view: &ClientQuery) {
        if let Some(views) = try_consume_context::<LastViews>() {
            views.clients.replace(view.clone());
        }
    }

    pub fn shown_sales(view: &SaleQuery) {
        if let Some(views) = try_consume_context::<LastViews>() {
            views.sales.replace(view.clone());
        }
    }

    /// The clients list as last shown.
    pub fn clients() -> Route {
        let query = try_consume_context::<LastViews>()
            .map(|v| v.clients.borrow().clone())
            .unwrap_or_default();
        Route::Clients { query }
    }

    /// The sales list as last shown.
    pub fn sales() -> Route {
        let query = try_consume_context::<LastViews>()
            .map(|v| v.sales.borrow().clone())
            .unwrap_or_default();
        Route::Sales { query }
    }
}

#[component]
pub fn Shell() -> Element {
    let locale: Signal<Locale> = use_context();
    let company_name = use_context_provider(CompanyName::default);
    use_context_provider(LastViews::default);
    let viewer = use_server_future(session::me)?;
    let t = locale().texts();
    let viewer = match loaded(&viewer) {
        Ok(v) => v,
        Err(Some(e)) if e.code == ErrorCode::Unauthenticated => return rsx! { SignIn {} },
        Err(Some(error)) => return rsx! { main { class: "page", ErrorBox { error } } },
        Err(None) => return rsx! { Loading {} },
    };
    let company_id = viewer
        .company
        .as_ref()
        .map(|c| c.id.to_string())
        .unwrap_or_default();
    if let Some(c) = viewer.company.as_ref() {
        c.name.clone_into(&mut company_name.0.borrow_mut());
    }
    rsx! {
        header { class: "top",
            nav { "aria-label": "main",
                Link { class: "brand", to: Route::Home {}, "{t.app_name}" }
                Link { to: Route::Home {}, "{t.home}" }
                Link { to: Route::clients(), "{t.clients}" }
                Link { to: Route::sales(), "{t.sales}" }
                Link { to: Route::SavedReports { after: String::new() }, "{locale().reports().reports}" }
                Link { to: Route::ApiKeys {}, "{t.api_keys}" }
            }
            div { class: "session",
                if viewer.companies.len() > 1 {
                    label { class: "company",
                        span { class: "sr-only", "{t.switch_company}" }
                        select {
                            id: "company-switch",
                            value: "{company_id}",
                            onchange: move |e: FormEvent| async move {
                                if session::switch_company(e.value()).await.is_ok() {
                                    go("/");
                                }
                            },
                            for m in viewer.companies.iter() {
                                option { value: "{m.company.id}", selected: m.company.id.as_str() == company_id, "{m.company.name}" }
                            }
                        }
                    }
                } else if let Some(c) = viewer.company.as_ref() {
                    span { class: "company", id: "company-name", "{c.name}" }
                }
                ChatPanel {}
                span { class: "user", "{viewer.user.display_name}" }
                LanguageSwitch {}
                button {
                    class: "link",
                    r#type: "button",
                    id: "sign-out",
                    onclick: move |_| async move {
                        let _ = session::logout().await;
                        go("/login");
                    },
                    "{t.sign_out}"
                }
            }
        }
        main { class: "page", Outlet::<Route> {} }
    }
}
