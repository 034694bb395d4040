//! The assistant's conversations and their messages. A conversation belongs to one asker in one
//! company: a user or an API key ([`Owner`]); every query filters by both.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::DbConn;
use super::schema::{chat_messages, conversations};
use crate::chat::{MessageState, NarrativeStatus, Tool};
use crate::with_conn;

/// Who a conversation belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Owner {
    User(i64),
    ApiKey(i64),
}

#[derive(Clone, Debug, PartialEq, Queryable, Selectable)]
#[diesel(table_name = conversations)]
pub struct Conversation {
    pub id: i64,
    pub company_id: i64,
    pub user_id: Option<i64>,
    pub api_key_id: Option<i64>,
    pub title: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = conversations)]
struct NewConversation<'a> {
    company_id: i64,
    user_id: Option<i64>,
    api_key_id: Option<i64>,
    title: &'a str,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

#[derive(Clone, Debug, PartialEq, Queryable, Selectable)]
#[diesel(table_name = chat_messages)]
pub struct Message {
    pub id: i64,
    pub conversation_id: i64,
    pub company_id: i64,
    pub question: String,
    /// `en` or `ru`.
    pub language: String,
    pub state: MessageState,
    pub tool: Option<Tool>,
    pub answer: Option<String>,
    /// JSON of `chat::Facts`.
    pub facts: Option<String>,
    pub narrative: Option<String>,
    pub narrative_status: Option<NarrativeStatus>,
    pub narrative_model: Option<String>,
    pub error: Option<String>,
    pub created_at: NaiveDateTime,
    pub answered_at: Option<NaiveDateTime>,
}

#[derive(Insertable)]
#[diesel(table_name = chat_messages)]
struct NewMessage<'a> {
    conversation_id: i64,
    company_id: i64,
    question: &'a str,
    language: &'a str,
    state: MessageState,
    created_at: NaiveDateTime,
}

/// The template answer of a message.
#[derive(AsChangeset)]
#[diesel(table_name = chat_messages)]
pub struct Answered<'a> {
    pub state: MessageState,
    pub tool: Option<Tool>,
    pub answer: Option<&'a str>,
    pub facts: Option<&'a str>,
    pub error: Option<&'a str>,
    pub answered_at: NaiveDateTime,
}

/// The model's words on a message, or why there are none.
#[derive(AsChangeset)]
#[diesel(table_name = chat_messages)]
pub struct Narrated<'a> {
    pub narrative: Option<&'a str>,
    pub narrative_status: NarrativeStatus,
    pub narrative_model: Option<&'a str>,
}

macro_rules! owned {
    ($company:expr, $owner:expr) => {{
        let q = conversations::table
            .filter(conversations::company_id.eq($company))
            .into_boxed();
        match $owner {
            Owner::User(id) => q.filter(conversations::user_id.eq(id)),
            Owner::ApiKey(id) => q.filter(conversations::api_key_id.eq(id)),
        }
    }};
}

pub async fn create(
    conn: &mut DbConn,
    company_id: i64,
    owner: Owner,
    title: &str,
    now: NaiveDateTime,
) -> QueryResult<Conversation> {
    let (user_id, api_key_id) = match owner {
        Owner::User(id) => (Some(id), None),
        Owner::ApiKey(id) => (None, Some(id)),
    };
    let new = NewConversation {
        company_id,
        user_id,
        api_key_id,
        title,
        created_at: now,
        updated_at: now,
    };
    with_conn!(conn, c => {
        diesel::insert_into(conversations::table).values(&new).returning(Conversation::as_returning()).get_result(c).await
    })
}

/// One of the owner's conversations.
pub async fn get(
    conn: &mut DbConn,
    company_id: i64,
    owner: Owner,
    id: i64,
) -> QueryResult<Option<Conversation>> {
    with_conn!(conn, c => {
        owned!(company_id, owner)
            .filter(conversations::id.eq(id))
            .select(Conversation::as_select())
            .first(c)
            .await
            .optional()
    })
}

pub async fn count(conn: &mut DbConn, company_id: i64, owner: Owner) -> QueryResult<i64> {
    with_conn!(conn, c => owned!(company_id, owner).count().get_result(c).await)
}

/// The owner's page of conversations, most recently active first, after `after`
/// (updated_at, id); `limit + 1` rows so the caller knows whether more follow.
pub async fn page(
    conn: &mut DbConn,
    company_id: i64,
    owner: Owner,
    limit: i64,
    after: Option<(NaiveDateTime, i64)>,
) -> QueryResult<Vec<Conversation>> {
    with_conn!(conn, c => {
        let mut q = owned!(company_id, owner);
        if let Some((at, id)) = after {
            q = q.filter(conversations::updated_at.lt(at).or(conversations::updated_at.eq(at).and(conversations::id.lt(id))));
        }
        q.order((conversations::updated_at.desc(), conversations::id.desc()))
            .limit(limit + 1)
            .select(Conversation::as_select())
            .load(c)
            .await
    })
}

pub async fn touch(
    conn: &mut DbConn,
    company_id: i64,
    id: i64,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    with_conn!(conn, c => {
        diesel::update(conversations::table.filter(conversations::company_id.eq(company_id)).filter(conversations::id.eq(id)))
            .set(conversations::updated_at.eq(now))
            .execute(c)
            .await
    })
}

/// Deletes one of the owner's conversations with its messages; whether it existed.
pub async fn delete(
    conn: &mut DbConn,
    company_id: i64,
    owner: Owner,
    id: i64,
) -> QueryResult<bool> {
    let Some(found) = get(conn, company_id, owner, id).await? else {
        return Ok(false);
    };
    with_conn!(conn, c => {
        // Messages go with their conversation (ON DELETE CASCADE; SQLite enforces it with
        // foreign keys on, which every pooled connection sets).
        diesel::delete(conversations::table.filter(conversations::company_id.eq(company_id)).filter(conversations::id.eq(found.id)))
            .execute(c)
            .await
            .map(|n| n > 0)
    })
}

pub async fn insert_message(
    conn: &mut DbConn,
    company_id: i64,
    conversation_id: i64,
    question: &str,
    language: &str,
    now: NaiveDateTime,
) -> QueryResult<Message> {
    let new = NewMessage {
        conversation_id,
        company_id,
        question,
        language,
        state: MessageState::Pending,
        created_at: now,
    };
    with_conn!(conn, c => {
        diesel::insert_into(chat_messages::table).values(&new).returning(Message::as_returning()).get_result(c).await
    })
}

/// A message of the company, when its conversation belongs to `owner`.
pub async fn message(
    conn: &mut DbConn,
    company_id: i64,
    owner: Owner,
    id: i64,
) -> QueryResult<Option<Message>> {
    let Some(row) = message_of_company(conn, company_id, id).await? else {
        return Ok(None);
    };
    Ok(get(conn, company_id, owner, row.conversation_id)
        .await?
        .map(|_| row))
}

/// A message of the company, whoever asked it (the answering task's read).
pub async fn message_of_company(
    conn: &mut DbConn,
    company_id: i64,
    id: i64,
) -> QueryResult<Option<Message>> {
    with_conn!(conn, c => {
        chat_messages::table
            .filter(chat_messages::company_id.eq(company_id))
            .filter(chat_messages::id.eq(id))
            .select(Message::as_select())
            .first(c)
            .await
            .optional()
    })
}

/// A conversation's messages, oldest first, at most `limit`.
pub async fn messages(
    conn: &mut DbConn,
    company_id: i64,
    conversation_id: i64,
    limit: i64,
) -> QueryResult<Vec<Message>> {
    with_conn!(conn, c => {
        chat_messages::table
            .filter(chat_messages::company_id.eq(company_id))
            .filter(chat_messages::conversation_id.eq(conversation_id))
            .order(chat_messages::id.asc())
            .limit(limit)
            .select(Message::as_select())
            .load(c)
            .await
    })
}

pub async fn count_messages(
    conn: &mut DbConn,
    company_id: i64,
    conversation_id: i64,
) -> QueryResult<i64> {
    with_conn!(conn, c => {
        chat_messages::table
            .filter(chat_messages::company_id.eq(company_id))
            .filter(chat_messages::conversation_id.eq(conversation_id))
            .count()
            .get_result(c)
            .await
    })
}

pub async fn answer(
    conn: &mut DbConn,
    company_id: i64,
    id: i64,
    answered: &Answered<'_>,
) -> QueryResult<usize> {
    with_conn!(conn, c => {
        diesel::update(chat_messages::table.filter(chat_messages::company_id.eq(company_id)).filter(chat_messages::id.eq(id)))
            .set(answered)
            .execute(c)
            .await
    })
}

pub async fn narrate(
    conn: &mut DbConn,
    company_id: i64,
    id: i64,
    narrated: &Narrated<'_>,
) -> QueryResult<usize> {
    with_conn!(conn, c => {
        diesel::update(chat_messages::table.filter(chat_messages::company_id.eq(company_id)).filter(chat_messages::id.eq(id)))
            .set(narrated)
            .execute(c)
            .await
    })
}

/// Marks answers left unfinished by a process that stopped (run at start): pending ones failed,
/// answered ones without a narrative status as narrative failed.
pub async fn fail_pending(
    conn: &mut DbConn,
    before: NaiveDateTime,
    error: &str,
) -> QueryResult<usize> {
    let pending = with_conn!(conn, c => {
        diesel::update(chat_messages::table.filter(chat_messages::state.eq(MessageState::Pending)).filter(chat_messages::created_at.lt(before)))
            .set((chat_messages::state.eq(MessageState::Failed), chat_messages::error.eq(error)))
            .execute(c)
            .await
    })?;
    // Answered, but the narrative was never finished.
    let unfinished = with_conn!(conn, c => {
        diesel::update(chat_messages::table.filter(chat_messages::state.eq(MessageState::Answered)).filter(chat_messages::narrative_status.is_null()).filter(chat_messages::created_at.lt(before)))
            .set(chat_messages::narrative_status.eq(NarrativeStatus::Failed))
            .execute(c)
            .await
    })?;
    Ok(pending + unfinished)
}
