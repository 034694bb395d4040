//! The assistant's chat: questions about the company's sales data, answered from real figures.
//!
//! [`ask`] checks the question and the asker's limits, stores it in a conversation and starts
//! the answer in the background; [`follow`] streams that answer. An answer is made in this
//! order, and stored as it goes:
//! 1. the question is read by our own code (`crm_ai::intent`), not by the model; a remote
//!    model that calls tools may pick the tool instead ([`pick`]), through the same checks,
//!    and our reader answers whenever it does not pick one well;
//! 2. the tool it names runs over `crate::reports` for the asker's company ([`tools`]): a
//!    template answer in the question's language and the [`Facts`] it used;
//! 3. the model, when one is ready and writes the language, adds a short narrative from those
//!    facts alone, let through sentence by sentence by `crm_ai::narrate::gate::Gate` (a
//!    sentence stating a number, date or name the facts do not hold is dropped).
//!
//! Limits: [`MAX_QUESTION_CHARS`] per question, [`ASKS_PER_MINUTE`] per asker, one answer being
//! written at a time per asker, [`MAX_CONVERSATIONS`] per asker and [`MAX_MESSAGES`] per
//! conversation; the model's own queue answers "busy" with a retry hint.
//!
//! Owns no GraphQL: `graphql/chat` adapts it.

mod facts;
mod follow;
pub mod pick;
pub mod tools;

pub use facts::{FactPeriod, Facts, Figure, Table};
pub use follow::follow;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_graphql::SimpleObject;
use chrono::{NaiveDate, Utc};
use crm_ai::intent::{self, Recognised};
use crm_ai::narrate::gate::Gate;
use crm_ai::narrate::sheet;
use futures::Stream;
use serde::{Deserialize, Serialize};
use tokio::sync::watch;

use crate::app::App;
use crate::auth::Principal;
use crate::auth::rate_limit::RateLimiter;
use crate::db::conversations::{self as rows, Answered, Message, Narrated, Owner};
use crate::error::{ApiError, ApiResult};
use crate::reports::narrative::{self, Language, NarrativeUnavailable};
use crate::reports::{ClientRef, ReportParameters};

/// Longest question, in characters.
pub const MAX_QUESTION_CHARS: usize = intent::MAX_QUESTION_CHARS;
/// Questions an asker may ask per minute.
pub const ASKS_PER_MINUTE: u32 = 20;
/// Conversations an asker may keep.
pub const MAX_CONVERSATIONS: i64 = 200;
/// Questions per conversation.
pub const MAX_MESSAGES: i64 = 200;
/// Longest conversation title, in characters (taken from its first question).
pub const MAX_TITLE_CHARS: usize = 80;
/// Most tokens of a chat narrative: one or two sentences.
pub const MAX_TOKENS: usize = 96;
/// How long a reader of an answer being written in another process waits for it.
const FOLLOW_TIMEOUT: Duration = Duration::from_secs(180);

crate::domain::stored_as_text! {
    /// Where a message's answer stands.
    pub enum ChatMessageState {
        /// Being answered.
        Pending => "pending",
        /// The template answer stands; the model's narrative may still follow.
        Answered => "answered",
        /// No answer could be given (`error` says why).
        Failed => "failed",
    }
}
pub use ChatMessageState as MessageState;

crate::domain::stored_as_text! {
    /// The analytics tool that answered a question.
    pub enum ChatTool {
        /// Revenue, sales, average order value and buyers for a period.
        Figures => "figures",
        /// The same figures for two periods side by side.
        Compare => "compare",
        TopClients => "top_clients",
        /// One client's summary from the customer models.
        Client => "client",
        /// Valuable clients likely to have stopped buying.
        AtRisk => "at_risk",
        /// Clients likely to buy soon.
        LikelyBuyers => "likely_buyers",
        /// Revenue forecast for the periods ahead.
        Forecast => "forecast",
        /// A whole report of a type.
        Report => "report",
        /// What the assistant can answer.
        Help => "help",
        /// Not a question about the company's sales data.
        OutOfScope => "out_of_scope",
        /// A client name matching several clients (or none): the candidates to choose from.
        ChooseClient => "choose_client",
    }
}
pub use ChatTool as Tool;

crate::domain::stored_as_text! {
    /// Whether the model added words to an answer, and why not when it did not.
    pub enum ChatNarrativeStatus {
        /// Checked sentences are in `narrative`.
        Written => "written",
        /// The model wrote, but too little passed the check: the template answer stands alone.
        Withheld => "withheld",
        /// The answer needs no narrative (help, out of scope, choosing a client, no data).
        NotNeeded => "not_needed",
        ModelOff => "model_off",
        ModelNotReady => "model_not_ready",
        /// The model does not write the question's language (SmolLM2 writes English only).
        LanguageNotSupported => "language_not_supported",
        /// The model's queue is full: ask again in a few seconds.
        Busy => "busy",
        Failed => "failed",
    }
}
pub use ChatNarrativeStatus as NarrativeStatus;

impl From<NarrativeUnavailable> for NarrativeStatus {
    fn from(why: NarrativeUnavailable) -> Self {
        match why {
            NarrativeUnavailable::ModelOff => Self::ModelOff,
            NarrativeUnavailable::ModelNotReady => Self::ModelNotReady,
            NarrativeUnavailable::LanguageNotSupported => Self::LanguageNotSupported,
            NarrativeUnavailable::Busy => Self::Busy,
            NarrativeUnavailable::Failed => Self::Failed,
        }
    }
}

/// Seconds to wait before asking again when the model was busy.
pub const BUSY_RETRY_SECONDS: i32 = 10;

/// Who is asking: their company and whose conversations they are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Asker {
    pub company_id: i64,
    pub owner: Owner,
}

impl Asker {
    /// A signed-in user of any role, or an API key of any scope: reading figures is what every
    /// principal may do (as the reports over GraphQL).
    ///
    /// # Errors
    /// UNAUTHENTICATED for an anonymous request.
    pub fn of(principal: &Principal) -> ApiResult<Asker> {
        match principal {
            Principal::Anonymous => Err(ApiError::Unauthenticated),
            Principal::User {
                user_id,
                company_id,
                ..
            } => Ok(Asker {
                company_id: *company_id,
                owner: Owner::User(*user_id),
            }),
            Principal::ApiKey {
                key_id, company_id, ..
            } => Ok(Asker {
                company_id: *company_id,
                owner: Owner::ApiKey(*key_id),
            }),
        }
    }

    fn key(&self) -> String {
        match self.owner {
            Owner::User(id) => format!("u{id}"),
            Owner::ApiKey(id) => format!("k{id}"),
        }
    }
}

/// An answer as it is being written, for readers in this process.
#[derive(Clone, Debug, Default)]
struct Live {
    /// The template answer, once made.
    answer: Option<String>,
    /// Checked narrative text shown so far.
    shown: String,
    /// Set last, once everything is stored.
    done: bool,
}

/// The chat's state in one server process: limits and the answers being written.
pub struct Chat {
    limiter: RateLimiter,
    writing: Mutex<HashSet<Owner>>,
    live: Mutex<HashMap<i64, watch::Receiver<Live>>>,
}

impl Default for Chat {
    fn default() -> Self {
        Self {
            limiter: RateLimiter::new(ASKS_PER_MINUTE),
            writing: Mutex::new(HashSet::new()),
            live: Mutex::new(HashMap::new()),
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    match m.lock() {
        Ok(g) => g,
        Err(poisoned) => poisoned.into_inner(),
    }
}

/// Frees the asker's one answer slot and the live entry however the answer ends.
struct Writing {
    app: Arc<App>,
    owner: Owner,
    message_id: Option<i64>,
}

impl Drop for Writing {
    fn drop(&mut self) {
        lock(&self.app.chat.writing).remove(&self.owner);
        if let Some(id) = self.message_id {
            lock(&self.app.chat.live).remove(&id);
        }
    }
}

/// The question checked: trimmed, 1 to [`MAX_QUESTION_CHARS`] characters, no control
/// characters but line breaks and tabs.
///
/// # Errors
/// BAD_USER_INPUT naming `question`.
pub fn checked_question(question: &str) -> ApiResult<&str> {
    let q = question.trim();
    if q.is_empty() {
        return Err(ApiError::bad_input("question", "ask a question"));
    }
    if q.chars().count() > MAX_QUESTION_CHARS {
        return Err(ApiError::bad_input(
            "question",
            format!("a question may have at most {MAX_QUESTION_CHARS} characters"),
        ));
    }
    if q.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(ApiError::bad_input(
            "question",
            "the question holds control characters",
        ));
    }
    Ok(q)
}

fn title_of(question: &str) -> String {
    let line = question.lines().next().unwrap_or_default().trim();
    let mut title: String = line.chars().take(MAX_TITLE_CHARS).collect();
    if line.chars().count() > MAX_TITLE_CHARS {
        title.push('…');
    }
    title
}

fn language_of(r: &Recognised) -> Language {
    language_from(r.language)
}

fn language_from(l: intent::Language) -> Language {
    match l {
        intent::Language::En => Language::En,
        intent::Language::Ru => Language::Ru,
    }
}

pub fn language_text(l: Language) -> &'static str {
    match l {
        Language::En => "en",
        Language::Ru => "ru",
    }
}

/// The stored language code read back; English for anything else.
pub fn language_parse(text: &str) -> Language {
    if text == "ru" {
        Language::Ru
    } else {
        Language::En
    }
}

/// Asks `question` in `conversation_id` (a new conversation when `None`): stores it and starts
/// its answer, which [`follow`] streams. Returns the stored question.
///
/// # Errors
/// BAD_USER_INPUT for a bad question, too many conversations or messages; NOT_FOUND for a
/// conversation that is not the asker's; RATE_LIMITED (with the seconds to wait) past
/// [`ASKS_PER_MINUTE`] or while the asker's previous answer is being written.
pub async fn ask(
    app: &Arc<App>,
    asker: Asker,
    conversation_id: Option<i64>,
    question: &str,
) -> ApiResult<Message> {
    let question = checked_question(question)?;
    app.chat.limiter.take(&asker.key())?;
    // One answer at a time: taken before anything is stored, given back however this ends.
    if !lock(&app.chat.writing).insert(asker.owner) {
        return Err(ApiError::RateLimited {
            retry_after_secs: 2,
        });
    }
    let mut slot = Writing {
        app: app.clone(),
        owner: asker.owner,
        message_id: None,
    };
    let language = language_from(intent::language(question));
    let now = Utc::now().naive_utc();
    let mut conn = app.db.write().await?;
    let conversation = match conversation_id {
        Some(id) => {
            let found = rows::get(&mut conn, asker.company_id, asker.owner, id)
                .await?
                .ok_or(ApiError::NotFound)?;
            if rows::count_messages(&mut conn, asker.company_id, found.id).await? >= MAX_MESSAGES {
                return Err(ApiError::bad_input(
                    "conversationId",
                    format!(
                        "a conversation holds at most {MAX_MESSAGES} questions; start a new one"
                    ),
                ));
            }
            rows::touch(&mut conn, asker.company_id, found.id, now).await?;
            found
        }
        None => {
            if rows::count(&mut conn, asker.company_id, asker.owner).await? >= MAX_CONVERSATIONS {
                return Err(ApiError::bad_input(
                    "conversationId",
                    format!(
                        "you have {MAX_CONVERSATIONS} conversations; delete some to start another"
                    ),
                ));
            }
            rows::create(
                &mut conn,
                asker.company_id,
                asker.owner,
                &title_of(question),
                now,
            )
            .await?
        }
    };
    let message = rows::insert_message(
        &mut conn,
        asker.company_id,
        conversation.id,
        question,
        language_text(language),
        now,
    )
    .await?;
    drop(conn);
    let (tx, rx) = watch::channel(Live::default());
    lock(&app.chat.live).insert(message.id, rx);
    slot.message_id = Some(message.id);
    let app = app.clone();
    let (id, question) = (message.id, message.question.clone());
    tokio::spawn(async move {
        if let Err(e) = answer(&app, asker, id, &question, &tx).await {
            tracing::warn!(error = %e.message(), message = id, "a chat answer failed");
            let text = e.message();
            let failed = Answered {
                state: MessageState::Failed,
                tool: None,
                answer: None,
                facts: None,
                error: Some(&text),
                answered_at: Utc::now().naive_utc(),
            };
            if let Ok(mut conn) = app.db.write().await
                && let Err(e) = rows::answer(&mut conn, asker.company_id, id, &failed).await
            {
                tracing::warn!(error = %e, "could not store a failed chat answer");
            }
        }
        // Everything is stored: the asker may ask again before the readers hear it is done.
        drop(slot);
        tx.send_modify(|live| live.done = true);
    });
    Ok(message)
}

/// Answers message `id`: the tool's template answer first, then the model's checked words.
async fn answer(
    app: &Arc<App>,
    asker: Asker,
    id: i64,
    question: &str,
    live: &watch::Sender<Live>,
) -> ApiResult<()> {
    let mut conn = app.db.read().await?;
    let company = crate::reports::company(&mut conn, asker.company_id).await?;
    drop(conn);
    let today = Utc::now().with_timezone(&company.time_zone).date_naive();
    let recognised = match pick::by_model(app, question, today).await {
        Some(intent) => Recognised {
            language: intent::language(question),
            intent,
        },
        None => intent::recognise(question, today),
    };
    let language = language_of(&recognised);
    let reply = tools::run(app, &company, &recognised, today).await?;
    let facts = serde_json::to_string(&reply.facts).map_err(|e| ApiError::Internal(e.into()))?;
    {
        let mut conn = app.db.write().await?;
        rows::answer(
            &mut conn,
            asker.company_id,
            id,
            &Answered {
                state: MessageState::Answered,
                tool: Some(reply.tool),
                answer: Some(&reply.text),
                facts: Some(&facts),
                error: None,
                answered_at: Utc::now().naive_utc(),
            },
        )
        .await?;
    }
    live.send_modify(|l| l.answer = Some(reply.text.clone()));
    let (status, text, model) = match reply.sheet {
        None => (NarrativeStatus::NotNeeded, None, None),
        Some(sheet) => narrate(app, &sheet, language, question, live).await,
    };
    let mut conn = app.db.write().await?;
    rows::narrate(
        &mut conn,
        asker.company_id,
        id,
        &Narrated {
            narrative: text.as_deref(),
            narrative_status: status,
            narrative_model: model.as_deref(),
        },
    )
    .await?;
    Ok(())
}

/// The model's checked words on `sheet` answering `question`: (status, text, model).
async fn narrate(
    app: &Arc<App>,
    sheet: &sheet::FactSheet,
    language: Language,
    question: &str,
    live: &watch::Sender<Live>,
) -> (NarrativeStatus, Option<String>, Option<String>) {
    let assistant = &app.assistant;
    if let Err(why) = narrative::can_write(assistant, language) {
        return (why.into(), None, None);
    }
    let messages = sheet.answer_messages(
        match language {
            Language::En => sheet::Language::En,
            Language::Ru => sheet::Language::Ru,
        },
        question,
    );
    let mut pieces =
        match assistant.generate(messages, MAX_TOKENS, crm_ai::llm::Sampling::default()) {
            Ok(pieces) => pieces,
            Err(e) => return (narrative::unavailable(&e).into(), None, None),
        };
    let model = assistant.state().model;
    // One sentence is enough for an answer.
    let mut gate = Gate::with_min_sentences(sheet.facts().clone(), 1);
    while let Some(piece) = pieces.next().await {
        match piece {
            Ok(piece) => {
                let delta = gate.push(&piece);
                if !delta.is_empty() {
                    live.send_modify(|l| l.shown.push_str(&delta));
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "a chat narrative failed");
                return (narrative::unavailable(&e).into(), None, Some(model));
            }
        }
    }
    let checked = gate.finish();
    if checked.usable(1) {
        // The last sentence passes only at the end: sent as a last delta, so what readers
        // were shown adds up to the narrative.
        live.send_modify(|l| {
            if let Some(rest) = checked.kept.strip_prefix(l.shown.as_str()) {
                l.shown.push_str(rest);
            }
        });
        (NarrativeStatus::Written, Some(checked.kept), Some(model))
    } else {
        (NarrativeStatus::Withheld, None, Some(model))
    }
}

/// One step of an answer, for [`follow`].
#[derive(Clone, Debug, PartialEq, SimpleObject)]
#[graphql(name = "ChatAnswerEvent")]
pub struct AnswerEvent {
    pub message_id: async_graphql::ID,
    /// Our template answer, on the first event that has it.
    pub answer: Option<String>,
    /// Checked narrative text to append to what was shown (whole sentences, AI-written).
    pub delta: String,
    /// True on the last event, which also carries the facts and the final texts.
    pub done: bool,
    pub facts: Option<Facts>,
    /// On the last event: the model's checked words as stored (withdraw what was shown when
    /// empty), and why there are none.
    pub narrative: Option<String>,
    pub narrative_status: Option<NarrativeStatus>,
    /// When the model was busy: seconds to wait before asking again.
    pub retry_after_seconds: Option<i32>,
    /// When no answer could be given: why.
    pub error: Option<String>,
}

impl AnswerEvent {
    fn step(id: i64, answer: Option<String>, delta: String) -> Self {
        Self {
            message_id: async_graphql::ID(id.to_string()),
            answer,
            delta,
            done: false,
            facts: None,
            narrative: None,
            narrative_status: None,
            retry_after_seconds: None,
            error: None,
        }
    }

    /// The last event, from the stored message.
    fn last(row: &Message) -> Self {
        let facts = row
            .facts
            .as_deref()
            .and_then(|f| serde_json::from_str::<Facts>(f).ok());
        Self {
            message_id: async_graphql::ID(row.id.to_string()),
            answer: row.answer.clone(),
            delta: String::new(),
            done: true,
            facts,
            narrative: row.narrative.clone(),
            narrative_status: row.narrative_status,
            retry_after_seconds: (row.narrative_status == Some(NarrativeStatus::Busy))
                .then_some(BUSY_RETRY_SECONDS),
            error: row.error.clone(),
        }
    }
}

/// Facts of a stored message; `None` before it is answered.
///
/// # Errors
/// INTERNAL when the stored JSON cannot be read.
pub fn facts_of(row: &Message) -> ApiResult<Option<Facts>> {
    row.facts
        .as_deref()
        .map(serde_json::from_str)
        .transpose()
        .map_err(|e| ApiError::Internal(e.into()))
}

/// Marks answers left pending by a process that stopped (called at start).
///
/// # Errors
/// UNAVAILABLE or INTERNAL from the database.
pub async fn fail_abandoned(app: &App) -> ApiResult<usize> {
    let mut conn = app.db.write().await?;
    Ok(rows::fail_pending(
        &mut conn,
        Utc::now().naive_utc() - chrono::TimeDelta::minutes(10),
        "the server restarted while answering; ask again",
    )
    .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn questions_are_trimmed_and_bounded() {
        assert_eq!(
            checked_question("  top 5 clients \n").ok(),
            Some("top 5 clients")
        );
        assert!(checked_question(" \n\t ").is_err());
        assert!(checked_question(&"я".repeat(MAX_QUESTION_CHARS)).is_ok());
        assert!(checked_question(&"я".repeat(MAX_QUESTION_CHARS + 1)).is_err());
        assert!(checked_question("sales\u{0}today").is_err());
        assert!(checked_question("sales\ntoday\tplease").is_ok());
    }

    #[test]
    fn titles_are_the_first_line_cut_to_length() {
        assert_eq!(title_of("top clients\nand more"), "top clients");
        let long = "ы".repeat(MAX_TITLE_CHARS + 5);
        let title = title_of(&long);
        assert_eq!(title.chars().count(), MAX_TITLE_CHARS + 1);
        assert!(title.ends_with('…'));
    }
}
