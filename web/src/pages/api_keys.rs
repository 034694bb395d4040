//! API keys: list with their access, create one read-only or read-write (the full key is shown
//! once, with a Copy button and an example that runs as pasted: it names this server's own
//! address), revoke after confirmation.

use dioxus::prelude::*;

use crate::api::api_keys;
use crate::api::{ErrorCode, UiError};
use crate::components::layout::PageTitle;
use crate::components::status::{ErrorBox, field_error, loaded, not_loaded, use_ready};
use crate::gql::{CreatedKey, Scope};
use crate::i18n::{self, Locale};

#[component]
pub fn ApiKeys() -> Element {
    let ready = use_ready();
    let locale: Signal<Locale> = use_context();
    let mut keys = use_server_future(api_keys::api_keys)?;
    let mut name = use_signal(String::new);
    let mut scope = use_signal(|| "READ_WRITE".to_owned());
    // Where this page was loaded from: the address integrations reach the API at.
    let mut origin = use_signal(String::new);
    let mut created = use_signal(|| None::<CreatedKey>);
    let mut error = use_signal(|| None::<UiError>);
    let mut confirming = use_signal(|| None::<String>);
    let mut copied = use_signal(|| false);
    let l = locale();
    let t = l.texts();
    let list = match loaded(&keys) {
        Ok(k) => k,
        Err(Some(e)) if e.code == ErrorCode::Forbidden => {
            return rsx! { PageTitle { title: t.api_keys } h1 { "{t.api_keys}" } p { class: "empty", "{t.only_admins}" } };
        }
        Err(state) => return not_loaded(state),
    };
    let err = error();
    rsx! {
        PageTitle { title: t.api_keys }
        h1 { "{t.api_keys}" }
        form { method: "post", class: "toolbar", id: "create-key",
            onsubmit: move |e: FormEvent| async move {
                e.prevent_default();
                match api_keys::create_api_key(name(), scope()).await {
                    Ok(k) => {
                        if let Ok(v) = document::eval("return window.location.origin;").await {
                            origin.set(v.as_str().unwrap_or_default().to_owned());
                        }
                        created.set(Some(k));
                        copied.set(false);
                        error.set(None);
                        name.set(String::new());
                        keys.restart();
                    }
                    Err(e) => error.set(Some(UiError::from(&e))),
                }
            },
            label { class: "grow",
                span { "{t.key_name} " }
                input { name: "name", required: true, maxlength: 100, value: "{name}", oninput: move |e: FormEvent| name.set(e.value()) }
            }
            label {
                span { "{t.key_scope} " }
                select { name: "scope", id: "key-scope", onchange: move |e: FormEvent| scope.set(e.value()),
                    option { value: "READ_WRITE", selected: scope() == "READ_WRITE", "{t.scope_read_write}" }
                    option { value: "READ", selected: scope() == "READ", "{t.scope_read}" }
                }
            }
            button { r#type: "submit", disabled: !ready(), "{t.create_key}" }
        }
        if let Some(m) = field_error(&err, "name") { p { class: "field-error", "{m}" } }
        if let Some(e) = err.clone().filter(|e| e.field.as_deref() != Some("name")) { ErrorBox { error: e } }
        if let Some(k) = created() {
            section { class: "secret", id: "new-key",
                p { "{t.new_key_once}" }
                div { class: "copy-row",
                    code { id: "new-key-secret", "{k.secret}" }
                    button {
                        r#type: "button",
                        id: "copy-key",
                        onclick: move |_| {
                            let secret = k.secret.clone();
                            async move {
                                let script = format!("await navigator.clipboard.writeText({}); return true;", serde_json::Value::from(secret));
                                if document::eval(&script).await.is_ok() {
                                    copied.set(true);
                                }
                            }
                        },
                        if copied() { "{t.copied}" } else { "{t.copy}" }
                    }
                }
                p { "{t.example_call}" }
                pre { class: "example", id: "key-example",
                    "curl -s \"{origin}/graphql\" -H 'Authorization: Bearer {k.secret}' -H 'Content-Type: application/json' -d '{{\"query\":\"{{ clients(first: 5) {{ totalCount edges {{ node {{ name }} }} }} }}\"}}'"
                }
            }
        }
        if list.is_empty() {
            p { class: "empty", "{t.no_keys}" }
        } else {
            div { class: "scroll",
                table { class: "list", id: "keys-table",
                    thead { tr { th { "{t.key_name}" } th { "{t.key_prefix}" } th { "{t.key_scope}" } th { "{t.created}" } th { "{t.last_used}" } th {} } }
                    tbody {
                        for k in list.into_iter() {
                            tr { class: if k.revoked { "revoked" } else { "" },
                                td { "{k.name}" }
                                td { code { "{k.prefix}_…" } }
                                td { if k.scope == Scope::Read { "{t.scope_read}" } else { "{t.scope_read_write}" } }
                                td { "{i18n::date(l, &k.created_at)}" }
                                td { {k.last_used_at.as_ref().map(|d| i18n::date(l, d)).unwrap_or_else(|| t.never.to_owned())} }
                                td {
                                    if k.revoked {
                                        span { class: "muted", "{t.revoked}" }
                                    } else if confirming().as_deref() == Some(k.id.as_str()) {
                                        span { class: "confirm", "{t.confirm_revoke} " }
                                        button { class: "danger", r#type: "button",
                                            onclick: {
                                                let id = k.id.to_string();
                                                move |_| {
                                                    let id = id.clone();
                                                    async move {
                                                        match api_keys::revoke_api_key(id).await {
                                                            Ok(()) => { confirming.set(None); keys.restart(); }
                                                            Err(e) => error.set(Some(UiError::from(&e))),
                                                        }
                                                    }
                                                }
                                            },
                                            "{t.revoke}"
                                        }
                                        button { r#type: "button", onclick: move |_| confirming.set(None), "{t.cancel}" }
                                    } else {
                                        button { r#type: "button",
                                            onclick: {
                                                let id = k.id.to_string();
                                                move |_| confirming.set(Some(id.clone()))
                                            },
                                            "{t.revoke}"
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
