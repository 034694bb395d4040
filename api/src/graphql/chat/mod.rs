//! The assistant's chat over GraphQL: thin adapters over `crate::chat`. Conversations belong to
//! the signed-in user (or the API key) that asked; nobody else sees them.

use async_graphql::{ComplexObject, Context, ID, Object, SimpleObject, Subscription};
use chrono::{DateTime, NaiveDateTime, Utc};
use futures::Stream;

use crate::chat::{self, AnswerEvent, Asker, Facts, MessageState, NarrativeStatus, Tool};
use crate::db::conversations::{self as rows, Conversation, Message};
use crate::error::ApiError;
use crate::graphql::paging::{self, Edge, PageInfo};
use crate::graphql::values::{parse_id, to_utc};
use crate::graphql::{app, principal};
use crate::reports::narrative::Language;

fn asker(ctx: &Context<'_>) -> async_graphql::Result<Asker> {
    Ok(Asker::of(principal(ctx))?)
}

/// A conversation with the assistant.
#[derive(SimpleObject)]
#[graphql(name = "Conversation", complex)]
pub struct ConversationNode {
    pub id: ID,
    /// Its first question, cut to 80 characters.
    pub title: String,
    pub created_at: DateTime<Utc>,
    /// When its last question was asked.
    pub updated_at: DateTime<Utc>,
    #[graphql(skip)]
    company_id: i64,
    #[graphql(skip)]
    row_id: i64,
}

impl From<Conversation> for ConversationNode {
    fn from(c: Conversation) -> Self {
        Self {
            id: ID(c.id.to_string()),
            title: c.title,
            created_at: to_utc(c.created_at),
            updated_at: to_utc(c.updated_at),
            company_id: c.company_id,
            row_id: c.id,
        }
    }
}

#[ComplexObject]
impl ConversationNode {
    /// Its questions with their answers, oldest first (at most 200, the most a conversation
    /// holds).
    async fn messages(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ChatMessageNode>> {
        let mut conn = app(ctx).db.read().await.map_err(ApiError::from)?;
        let rows = rows::messages(&mut conn, self.company_id, self.row_id, chat::MAX_MESSAGES)
            .await
            .map_err(ApiError::from)?;
        Ok(rows.into_iter().map(ChatMessageNode).collect())
    }
}

/// A question and the answer given.
pub struct ChatMessageNode(Message);

#[Object(name = "ChatMessage")]
impl ChatMessageNode {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn conversation_id(&self) -> ID {
        ID(self.0.conversation_id.to_string())
    }
    async fn question(&self) -> &str {
        &self.0.question
    }
    /// The question's language; the answer is in it.
    async fn language(&self) -> Language {
        chat::language_parse(&self.0.language)
    }
    async fn state(&self) -> MessageState {
        self.0.state
    }
    /// The tool that answered, once known.
    async fn tool(&self) -> Option<Tool> {
        self.0.tool
    }
    /// Our template answer from the figures (not AI-written); empty while pending or failed.
    async fn answer(&self) -> Option<&str> {
        self.0.answer.as_deref()
    }
    /// What the answer was built from.
    #[allow(clippy::unused_async)] // async-graphql resolvers are async
    async fn facts(&self) -> async_graphql::Result<Option<Facts>> {
        Ok(chat::facts_of(&self.0)?)
    }
    /// The model's checked words (AI-written), when it wrote any that passed the check.
    async fn narrative(&self) -> Option<&str> {
        self.0.narrative.as_deref()
    }
    /// Whether the model added words, and why not; empty while it may still write.
    async fn narrative_status(&self) -> Option<NarrativeStatus> {
        self.0.narrative_status
    }
    /// The model that wrote the narrative.
    async fn narrative_model(&self) -> Option<&str> {
        self.0.narrative_model.as_deref()
    }
    /// Why no answer could be given (state FAILED).
    async fn error(&self) -> Option<&str> {
        self.0.error.as_deref()
    }
    async fn created_at(&self) -> DateTime<Utc> {
        to_utc(self.0.created_at)
    }
    async fn answered_at(&self) -> Option<DateTime<Utc>> {
        self.0.answered_at.map(to_utc)
    }
}

#[derive(SimpleObject)]
pub struct ConversationConnection {
    pub edges: Vec<Edge<ConversationNode>>,
    pub page_info: PageInfo,
    /// Your conversations.
    pub total_count: i64,
}

const SORT: &str = "updated";

#[derive(Default)]
pub struct ChatQuery;

#[Object]
impl ChatQuery {
    /// Your conversations with the assistant, most recently active first (Relay connection).
    ///
    /// Errors: UNAUTHENTICATED; BAD_USER_INPUT for a page size out of 1..=100 or a bad cursor.
    async fn conversations(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<ConversationConnection> {
        let a = asker(ctx)?;
        let limit = paging::page_size(first)?;
        let after_key = after
            .as_deref()
            .map(|c| paging::decode::<NaiveDateTime>(SORT, c))
            .transpose()?;
        let mut conn = app(ctx).db.read().await.map_err(ApiError::from)?;
        let rows = rows::page(&mut conn, a.company_id, a.owner, limit, after_key)
            .await
            .map_err(ApiError::from)?;
        let total_count = rows::count(&mut conn, a.company_id, a.owner)
            .await
            .map_err(ApiError::from)?;
        let (edges, page_info) = paging::connect(
            rows,
            limit,
            after.is_some(),
            |r| paging::encode(SORT, r.updated_at, r.id),
            ConversationNode::from,
        );
        Ok(ConversationConnection {
            edges,
            page_info,
            total_count,
        })
    }

    /// One of your conversations. Errors: NOT_FOUND when it is not yours.
    async fn conversation(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<ConversationNode> {
        let a = asker(ctx)?;
        let mut conn = app(ctx).db.read().await.map_err(ApiError::from)?;
        let row = rows::get(&mut conn, a.company_id, a.owner, parse_id(&id)?)
            .await
            .map_err(ApiError::from)?
            .ok_or(ApiError::NotFound)?;
        Ok(row.into())
    }
}

#[derive(Default)]
pub struct ChatMutation;

#[Object]
impl ChatMutation {
    /// Asks the assistant about your sales data, in English or Russian, in `conversationId`
    /// (a new conversation when absent). Returns the stored question at once; follow its
    /// answer with the `assistantAnswer` subscription. Any signed-in user or API key may ask.
    ///
    /// Errors: BAD_USER_INPUT for an empty question, one over 500 characters or with control
    /// characters, a full conversation (200 questions) or too many conversations (200);
    /// NOT_FOUND for a conversation that is not yours; RATE_LIMITED (with `retryAfter`) past
    /// 20 questions a minute or while your previous answer is being written.
    async fn ask_assistant(
        &self,
        ctx: &Context<'_>,
        question: String,
        conversation_id: Option<ID>,
    ) -> async_graphql::Result<ChatMessageNode> {
        let a = asker(ctx)?;
        let conversation = conversation_id.as_ref().map(parse_id).transpose()?;
        let message = chat::ask(app(ctx), a, conversation, &question).await?;
        Ok(ChatMessageNode(message))
    }

    /// Deletes one of your conversations with its messages; returns its id.
    /// Errors: NOT_FOUND when it is not yours.
    async fn delete_conversation(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<ID> {
        let a = asker(ctx)?;
        let mut conn = app(ctx).db.write().await.map_err(ApiError::from)?;
        if rows::delete(&mut conn, a.company_id, a.owner, parse_id(&id)?)
            .await
            .map_err(ApiError::from)?
        {
            Ok(id)
        } else {
            Err(ApiError::NotFound.into())
        }
    }
}

#[derive(Default)]
pub struct ChatSubscription;

#[Subscription]
impl ChatSubscription {
    /// The answer to one of your questions as it is written: first our template answer, then
    /// the model's checked words a sentence at a time (`delta`, AI-written), then a last event
    /// (`done`) with the facts and the stored texts. An answered question gives its last event
    /// at once.
    ///
    /// Errors: NOT_FOUND when the question is not yours.
    async fn assistant_answer(
        &self,
        ctx: &Context<'_>,
        message_id: ID,
    ) -> async_graphql::Result<impl Stream<Item = AnswerEvent> + use<>> {
        let a = asker(ctx)?;
        let id = parse_id(&message_id)?;
        Ok(chat::follow(app(ctx), a, id).await?)
    }
}
