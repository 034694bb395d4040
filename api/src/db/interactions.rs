//! Interactions with a client: calls, e-mails, meetings and notes.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::DbConn;
use super::schema::interactions;
use crate::domain::InteractionKind;
use crate::with_conn;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = interactions)]
pub struct Interaction {
    pub id: i64,
    pub company_id: i64,
    pub client_id: i64,
    pub kind: InteractionKind,
    pub body: String,
    pub occurred_at: NaiveDateTime,
    pub author_id: Option<i64>,
    pub created_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = interactions)]
pub struct NewInteraction<'a> {
    pub company_id: i64,
    pub client_id: i64,
    pub kind: InteractionKind,
    pub body: &'a str,
    pub occurred_at: NaiveDateTime,
    pub author_id: Option<i64>,
    pub created_at: NaiveDateTime,
}

pub async fn insert(conn: &mut DbConn, new: &NewInteraction<'_>) -> QueryResult<Interaction> {
    with_conn!(conn, c => {
        diesel::insert_into(interactions::table)
            .values(new)
            .returning(Interaction::as_returning())
            .get_result(c)
            .await
    })
}

/// A client's interactions, newest first, after the `(occurred_at, id)` of the previous page.
pub async fn page(
    conn: &mut DbConn,
    company_id: i64,
    client_id: i64,
    after: Option<(NaiveDateTime, i64)>,
    limit: i64,
) -> QueryResult<Vec<Interaction>> {
    with_conn!(conn, c => {
        let mut q = interactions::table
            .filter(interactions::company_id.eq(company_id))
            .filter(interactions::client_id.eq(client_id))
            .into_boxed();
        keyset!(q, interactions::occurred_at, interactions::id, true, after);
        q.limit(limit).select(Interaction::as_select()).load(c).await
    })
}
