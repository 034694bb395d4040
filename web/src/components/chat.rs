//! The chat panel: ask the assistant about the company's sales data from any signed-in screen.
//! A side panel on wide screens and the whole screen on phones, in the interface language.
//!
//! It lists the user's conversations (the most recent opens with the panel), shows each
//! question with our template answer, the model's checked words under an "AI-written" label as
//! they stream, and the facts the answer used (figures, a table, links to the clients named,
//! the report to open). Everything is stored by the API, so a reload loses nothing.

use dioxus::prelude::*;

use crate::api::UiError;
use crate::api::chat;
use crate::api::reports::ReportQuery;
use crate::components::status::{ErrorBox, use_ready};
use crate::gql::{ApiEnum, ChatFacts, ChatMessageState, ChatMessageView, ConversationRow};
use crate::i18n::Locale;
use crate::routes::Route;

/// One question in the panel, with what has streamed of its answer so far.
#[derive(Clone, Debug, PartialEq)]
struct Turn {
    view: ChatMessageView,
    /// Checked narrative text streamed so far (replaced by the stored narrative at the end).
    streamed: String,
    /// Whether the answer is still being written.
    writing: bool,
}

impl Turn {
    fn stored(view: ChatMessageView) -> Turn {
        let writing = view.state == ChatMessageState::Pending;
        Turn {
            view,
            streamed: String::new(),
            writing,
        }
    }
}

#[component]
pub fn ChatPanel() -> Element {
    let ready = use_ready();
    let locale: Signal<Locale> = use_context();
    let t = locale().chat();
    let mut open = use_signal(|| false);
    let mut conversations = use_signal(|| None::<Vec<ConversationRow>>);
    let mut current = use_signal(|| None::<String>);
    let mut turns = use_signal(Vec::<Turn>::new);
    let mut question = use_signal(String::new);
    let mut error = use_signal(|| None::<UiError>);
    let mut busy = use_signal(|| false);

    let load_list = move || async move {
        match chat::conversations().await {
            Ok(page) => {
                let rows: Vec<ConversationRow> = page.edges.into_iter().map(|e| e.node).collect();
                conversations.set(Some(rows));
            }
            Err(e) => error.set(Some(UiError::from(&e))),
        }
    };
    let show = move |id: String| async move {
        match chat::conversation(id.clone()).await {
            Ok(detail) => {
                current.set(Some(id));
                turns.set(detail.messages.into_iter().map(Turn::stored).collect());
                // An answer still being written (another tab, a reload mid-answer) is followed.
                let pending: Vec<(usize, String)> = turns
                    .read()
                    .iter()
                    .enumerate()
                    .filter(|(_, turn)| turn.writing)
                    .map(|(i, turn)| (i, turn.view.id.0.clone()))
                    .collect();
                for (i, id) in pending {
                    follow(turns, i, id).await;
                }
            }
            Err(e) => error.set(Some(UiError::from(&e))),
        }
    };
    let ask = move |text: String| async move {
        let text = text.trim().to_owned();
        if text.is_empty() || busy() {
            return;
        }
        busy.set(true);
        error.set(None);
        let conversation = current().unwrap_or_default();
        match chat::ask(text, conversation.clone()).await {
            Ok(view) => {
                question.set(String::new());
                let id = view.id.0.clone();
                if conversation.is_empty() {
                    current.set(Some(view.conversation_id.0.clone()));
                    load_list().await;
                }
                let index = turns.read().len();
                turns.write().push(Turn::stored(view));
                follow(turns, index, id).await;
            }
            Err(e) => error.set(Some(UiError::from(&e))),
        }
        busy.set(false);
    };

    rsx! {
        button {
            class: "chat-toggle",
            r#type: "button",
            id: "chat-toggle",
            "aria-expanded": "{open()}",
            "aria-controls": "chat-panel",
            onclick: move |_| async move {
                let opening = !open();
                open.set(opening);
                if opening && conversations().is_none() {
                    load_list().await;
                    let first = conversations()
                        .and_then(|rows| rows.first().map(|c| c.id.0.clone()));
                    if let (Some(id), None) = (first, current()) {
                        show(id).await;
                    }
                }
            },
            "✦ {t.open}"
        }
        if open() {
            aside { class: "chat-panel", id: "chat-panel", "aria-label": "{t.title}",
                div { class: "chat-head",
                    h2 { "{t.title}" }
                    button {
                        class: "link",
                        r#type: "button",
                        id: "chat-new",
                        onclick: move |_| {
                            current.set(None);
                            turns.set(Vec::new());
                            error.set(None);
                        },
                        "{t.new_conversation}"
                    }
                    button {
                        class: "link",
                        r#type: "button",
                        id: "chat-close",
                        onclick: move |_| open.set(false),
                        "{t.close}"
                    }
                }
                details { class: "chat-list",
                    summary { "{t.conversations}" }
                    match conversations() {
                        None => rsx! {},
                        Some(rows) if rows.is_empty() => rsx! { p { class: "muted small", "{t.no_conversations}" } },
                        Some(rows) => rsx! {
                            ul { id: "chat-conversations",
                                for c in rows {
                                    li { key: "{c.id}", class: if current().as_deref() == Some(c.id.as_str()) { "current" } else { "" },
                                        button {
                                            class: "link",
                                            r#type: "button",
                                            onclick: {
                                                let id = c.id.0.clone();
                                                move |_| {
                                                    let id = id.clone();
                                                    async move { show(id).await }
                                                }
                                            },
                                            "{c.title}"
                                        }
                                        button {
                                            class: "link danger small",
                                            r#type: "button",
                                            title: "{t.delete}",
                                            "aria-label": "{t.delete}: {c.title}",
                                            onclick: {
                                                let id = c.id.0.clone();
                                                move |_| {
                                                    let id = id.clone();
                                                    async move {
                                                        if chat::delete_conversation(id.clone()).await.is_ok() {
                                                            if current().as_deref() == Some(id.as_str()) {
                                                                current.set(None);
                                                                turns.set(Vec::new());
                                                            }
                                                            load_list().await;
                                                        }
                                                    }
                                                }
                                            },
                                            "×"
                                        }
                                    }
                                }
                            }
                        },
                    }
                }
                div { class: "chat-messages", id: "chat-messages", "aria-live": "polite",
                    if turns.read().is_empty() {
                        p { class: "muted small", id: "chat-intro", "{t.intro}" }
                        p { class: "small", "{t.try_asking}:" }
                        ul { class: "chat-examples",
                            for example in t.examples {
                                li { key: "{example}",
                                    button {
                                        class: "link",
                                        r#type: "button",
                                        onclick: move |_| async move { ask(example.to_owned()).await },
                                        "{example}"
                                    }
                                }
                            }
                        }
                    }
                    for (i, turn) in turns().into_iter().enumerate() {
                        TurnView { key: "{turn.view.id}", turn: turn.clone(), index: i, on_example: move |q: String| async move { ask(q).await } }
                    }
                }
                if let Some(e) = error() { ErrorBox { error: e } }
                form {
                    class: "chat-form",
                    id: "chat-form",
                    method: "post",
                    onsubmit: move |e: FormEvent| async move {
                        e.prevent_default();
                        ask(question()).await;
                    },
                    label { class: "sr-only", r#for: "chat-question", "{t.placeholder}" }
                    textarea {
                        id: "chat-question",
                        name: "question",
                        rows: "2",
                        maxlength: "500",
                        placeholder: "{t.placeholder}",
                        value: "{question}",
                        oninput: move |e: FormEvent| question.set(e.value()),
                        onkeydown: move |e: KeyboardEvent| async move {
                            // Enter sends, Shift+Enter breaks the line.
                            if e.key() == Key::Enter && !e.modifiers().contains(Modifiers::SHIFT) {
                                e.prevent_default();
                                ask(question()).await;
                            }
                        },
                    }
                    button { r#type: "submit", id: "chat-send", disabled: busy() || !ready(), if busy() { "{t.thinking}" } else { "{t.send}" } }
                }
            }
        }
    }
}

/// Streams the answer to `message_id` into `turns[index]` until its last event.
async fn follow(mut turns: Signal<Vec<Turn>>, index: usize, message_id: String) {
    let Ok(mut events) = chat::chat_answer(message_id).await else {
        if let Some(turn) = turns.write().get_mut(index) {
            turn.writing = false;
        }
        return;
    };
    while let Some(Ok(event)) = events.recv().await {
        let mut all = turns.write();
        let Some(turn) = all.get_mut(index) else {
            return;
        };
        if let Some(answer) = event.answer {
            turn.view.answer = Some(answer);
            turn.view.state = ChatMessageState::Answered;
        }
        turn.streamed.push_str(&event.delta);
        if event.done {
            turn.writing = false;
            turn.view.facts = event.facts;
            turn.view.narrative = event.narrative;
            turn.view.narrative_status = event.narrative_status;
            if event.error.is_some() {
                turn.view.state = ChatMessageState::Failed;
                turn.view.error = event.error;
            }
            return;
        }
    }
    if let Some(turn) = turns.write().get_mut(index) {
        turn.writing = false;
    }
}

#[component]
fn TurnView(turn: Turn, index: usize, on_example: EventHandler<String>) -> Element {
    let locale: Signal<Locale> = use_context();
    let t = locale().chat();
    let v = &turn.view;
    let narrative = if turn.writing {
        turn.streamed.clone()
    } else {
        v.narrative.clone().unwrap_or_default()
    };
    let model = v.narrative_model.clone().unwrap_or_default();
    let label = if model.is_empty() {
        t.ai_label.to_owned()
    } else {
        format!("{} · {model}", t.ai_label)
    };
    rsx! {
        div { class: "chat-turn", id: "chat-turn-{index}",
            p { class: "chat-question", "{v.question}" }
            div { class: "chat-answer", lang: "{v.language.name().to_lowercase()}",
                if let Some(answer) = v.answer.as_ref() {
                    p { class: "chat-template", "{answer}" }
                } else if v.state == ChatMessageState::Pending {
                    p { class: "muted small", role: "status", "{t.thinking}" }
                }
                if let Some(e) = v.error.as_ref() {
                    p { class: "error", role: "alert", "{e}" }
                }
                if !narrative.is_empty() {
                    div { class: "ai-narrative",
                        p { class: "ai-label", title: "{t.ai_hint}", "{label}" }
                        p { class: "ai-text", "{narrative}" }
                    }
                } else if let Some(line) = v.narrative_status.filter(|_| !turn.writing).and_then(|s| t.narrative_line(s)) {
                    p { class: "muted small", "{line}" }
                }
                if let Some(facts) = v.facts.clone() {
                    FactsView { facts, on_example }
                }
            }
        }
    }
}

#[component]
fn FactsView(facts: ChatFacts, on_example: EventHandler<String>) -> Element {
    let locale: Signal<Locale> = use_context();
    let t = locale().chat();
    let has_data = facts.period.is_some()
        || !facts.figures.is_empty()
        || facts.table.is_some()
        || !facts.clients.is_empty();
    rsx! {
        if !facts.candidates.is_empty() {
            p { class: "small", "{t.did_you_mean}:" }
            ul { class: "chat-candidates",
                for c in facts.candidates.iter() {
                    li { key: "{c.id}",
                        button {
                            class: "link",
                            r#type: "button",
                            onclick: {
                                let name = c.name.clone();
                                move |_| on_example.call(format!("{name}?"))
                            },
                            "{c.name}"
                        }
                    }
                }
            }
        }
        if !facts.examples.is_empty() {
            ul { class: "chat-examples",
                for example in facts.examples.iter() {
                    li { key: "{example}",
                        button {
                            class: "link",
                            r#type: "button",
                            onclick: {
                                let q = example.clone();
                                move |_| on_example.call(q.clone())
                            },
                            "{example}"
                        }
                    }
                }
            }
        }
        if has_data {
            details { class: "chat-facts", open: true,
                summary { "{t.facts}" }
                if let Some(p) = facts.period.as_ref() {
                    p { class: "small", "{t.period}: {p.from.0} – {p.to.0}" }
                }
                if let Some(p) = facts.compared_with.as_ref() {
                    p { class: "small", "{t.compared_with}: {p.from.0} – {p.to.0}" }
                }
                if !facts.figures.is_empty() {
                    dl { class: "chat-figures",
                        for f in facts.figures.iter() {
                            dt { "{f.label}" }
                            dd { "{f.value}" }
                        }
                    }
                }
                if let Some(table) = facts.table.as_ref() {
                    table { class: "list chat-table",
                        thead { tr { for c in table.columns.iter() { th { "{c}" } } } }
                        tbody {
                            for (i, row) in table.rows.iter().enumerate() {
                                tr {
                                    for (j, cell) in row.iter().enumerate() {
                                        td {
                                            match (j, table.client_ids.get(i)) {
                                                (0, Some(id)) => rsx! { Link { to: Route::client(id.0.clone()), "{cell}" } },
                                                _ => rsx! { "{cell}" },
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                if !facts.clients.is_empty() {
                    p { class: "small chat-clients", "{t.clients}: "
                        for (i, c) in facts.clients.iter().enumerate() {
                            span { key: "{c.id}",
                                if i > 0 { ", " }
                                Link { class: "chat-client", to: Route::client(c.id.0.clone()), "{c.name}" }
                            }
                        }
                    }
                }
                if let Some(p) = facts.report.as_ref() {
                    p { class: "small",
                        Link {
                            class: "chat-report",
                            to: Route::report(ReportQuery {
                                kind: p.kind.name().to_lowercase(),
                                from: p.from.0.clone(),
                                to: p.to.0.clone(),
                                granularity: p.granularity.name().to_lowercase(),
                                horizon: p.horizon.to_string(),
                                ..ReportQuery::default()
                            }),
                            "{t.open_report}"
                        }
                    }
                }
            }
        }
    }
}
