//! The chat panel's operations: conversations, asking, deleting, and the answer as it streams.

use serde::Serialize;

use super::{ApiEnum, DateTime, Id, Language, NaiveDate, NamedClient, ReportParams, schema};

api_enum!(ChatMessageState {
    Pending = "PENDING",
    Answered = "ANSWERED",
    Failed = "FAILED",
});

api_enum!(ChatNarrativeStatus {
    Written = "WRITTEN",
    Withheld = "WITHHELD",
    NotNeeded = "NOT_NEEDED",
    ModelOff = "MODEL_OFF",
    ModelNotReady = "MODEL_NOT_READY",
    LanguageNotSupported = "LANGUAGE_NOT_SUPPORTED",
    Busy = "BUSY",
    Failed = "FAILED",
});

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
pub struct ChatPeriod {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
pub struct ChatFigure {
    pub label: String,
    pub value: String,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ChatTable {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub client_ids: Vec<Id>,
}

/// What an answer was built from.
#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ChatFacts {
    pub period: Option<ChatPeriod>,
    pub compared_with: Option<ChatPeriod>,
    pub figures: Vec<ChatFigure>,
    pub table: Option<ChatTable>,
    pub clients: Vec<NamedClient>,
    pub candidates: Vec<NamedClient>,
    pub examples: Vec<String>,
    pub report: Option<ReportParams>,
}

/// A question and its answer as the panel shows it.
#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "ChatMessage")]
#[serde(rename_all = "camelCase")]
pub struct ChatMessageView {
    pub id: Id,
    pub conversation_id: Id,
    pub question: String,
    pub language: Language,
    pub state: ChatMessageState,
    pub answer: Option<String>,
    pub facts: Option<ChatFacts>,
    pub narrative: Option<String>,
    pub narrative_status: Option<ChatNarrativeStatus>,
    pub narrative_model: Option<String>,
    pub error: Option<String>,
    pub created_at: DateTime,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "Conversation")]
#[serde(rename_all = "camelCase")]
pub struct ConversationRow {
    pub id: Id,
    pub title: String,
    pub updated_at: DateTime,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "ConversationEdge")]
pub struct ConversationRowEdge {
    pub node: ConversationRow,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "ConversationConnection")]
#[serde(rename_all = "camelCase")]
pub struct ConversationPage {
    pub edges: Vec<ConversationRowEdge>,
    pub total_count: i32,
}

#[derive(cynic::QueryVariables, Debug)]
pub struct ConversationsVariables {
    pub first: Option<i32>,
}

#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "QueryRoot", variables = "ConversationsVariables")]
pub struct Conversations {
    #[arguments(first: $first)]
    pub conversations: ConversationPage,
}

/// One conversation with its messages.
#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "Conversation")]
pub struct ConversationDetail {
    pub id: Id,
    pub title: String,
    pub messages: Vec<ChatMessageView>,
}

#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "QueryRoot", variables = "super::IdVariables")]
pub struct ConversationQuery {
    #[arguments(id: $id)]
    pub conversation: ConversationDetail,
}

#[derive(cynic::QueryVariables, Debug)]
pub struct AskVariables {
    pub question: String,
    pub conversation_id: Option<Id>,
}

#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "MutationRoot", variables = "AskVariables")]
pub struct AskAssistant {
    #[arguments(question: $question, conversationId: $conversation_id)]
    pub ask_assistant: ChatMessageView,
}

#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "MutationRoot", variables = "super::IdVariables")]
pub struct DeleteConversation {
    #[arguments(id: $id)]
    pub delete_conversation: Id,
}

/// One step of an answer being written.
#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "ChatAnswerEvent")]
#[serde(rename_all = "camelCase")]
pub struct AnswerEvent {
    pub answer: Option<String>,
    pub delta: String,
    pub done: bool,
    pub facts: Option<ChatFacts>,
    pub narrative: Option<String>,
    pub narrative_status: Option<ChatNarrativeStatus>,
    pub retry_after_seconds: Option<i32>,
    pub error: Option<String>,
}

#[derive(cynic::QueryVariables, Debug)]
pub struct AnswerVariables {
    pub message_id: Id,
}

#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "SubscriptionRoot", variables = "AnswerVariables")]
pub struct AssistantAnswer {
    #[arguments(messageId: $message_id)]
    pub assistant_answer: AnswerEvent,
}
