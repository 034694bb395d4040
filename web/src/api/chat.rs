//! The chat panel: the signed-in user's conversations with the assistant, asking, deleting, and
//! the answer as server-sent events.

use dioxus::fullstack::ServerEvents;
use dioxus::prelude::*;

use crate::gql::{AnswerEvent, ChatMessageView, ConversationDetail, ConversationPage};

#[cfg(feature = "server")]
use {
    crate::gql::{self, Id},
    cynic::{MutationBuilder, QueryBuilder, SubscriptionBuilder},
    futures::StreamExt,
};

/// Conversations the panel lists, most recently active first.
#[cfg(feature = "server")]
const LISTED: i32 = 30;

/// Your most recent conversations with the assistant.
#[get("/api/chat/conversations", user: crate::server::CurrentUser)]
pub async fn conversations() -> Result<ConversationPage, ServerFnError> {
    user.signed_in()?
        .run(gql::Conversations::build(gql::ConversationsVariables {
            first: Some(LISTED),
        }))
        .await
        .map(|d| d.conversations)
}

/// One of your conversations with its questions and answers.
#[get("/api/chat/conversation?id", user: crate::server::CurrentUser)]
pub async fn conversation(id: String) -> Result<ConversationDetail, ServerFnError> {
    user.signed_in()?
        .run(gql::ConversationQuery::build(gql::IdVariables {
            id: Id(id),
        }))
        .await
        .map(|d| d.conversation)
}

/// Asks the assistant `question` in `conversation` (a new one when empty); follow the answer
/// with [`chat_answer`].
///
/// Errors: BAD_USER_INPUT on `question` (empty, over 500 characters, control characters) or
/// a full conversation; RATE_LIMITED while the previous answer is written or past 20 a minute.
#[post("/api/chat/ask", user: crate::server::CurrentUser)]
pub async fn ask(question: String, conversation: String) -> Result<ChatMessageView, ServerFnError> {
    let conversation_id = (!conversation.is_empty()).then_some(Id(conversation));
    user.signed_in()?
        .run(gql::AskAssistant::build(gql::AskVariables {
            question,
            conversation_id,
        }))
        .await
        .map(|d| d.ask_assistant)
}

/// Deletes one of your conversations with its messages.
#[post("/api/chat/delete", user: crate::server::CurrentUser)]
pub async fn delete_conversation(id: String) -> Result<(), ServerFnError> {
    user.signed_in()?
        .run(gql::DeleteConversation::build(gql::IdVariables {
            id: Id(id),
        }))
        .await
        .map(|_| ())
}

/// The answer to `message` as server-sent events: our template answer, the model's checked
/// sentences, then the last event with the facts. An error arrives as a last event carrying
/// `error`.
#[get("/api/chat/answer?message", user: crate::server::CurrentUser)]
// The user comes from the extractor: the body has nothing to await.
#[allow(clippy::unused_async)]
pub async fn chat_answer(message: String) -> Result<ServerEvents<AnswerEvent>, ServerFnError> {
    let user = user.signed_in()?;
    let operation = gql::AssistantAnswer::build(gql::AnswerVariables {
        message_id: Id(message),
    });
    let events = user.subscribe(operation).map(|r| {
        Ok::<_, axum::BoxError>(match r {
            Ok(d) => d.assistant_answer,
            Err(e) => {
                tracing::warn!("chat answer: {e}");
                AnswerEvent {
                    answer: None,
                    delta: String::new(),
                    done: true,
                    facts: None,
                    narrative: None,
                    narrative_status: None,
                    retry_after_seconds: None,
                    error: Some(e.to_string()),
                }
            }
        })
    });
    Ok(ServerEvents::from_stream(events))
}
