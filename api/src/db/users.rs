//! Users: people who log in. A user reaches tenant data only through a membership.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::DbConn;
use super::schema::users;
use crate::with_conn;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub password_hash: String,
    pub display_name: String,
    pub locale: String,
    pub created_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub email: &'a str,
    pub password_hash: &'a str,
    pub display_name: &'a str,
    pub locale: &'a str,
    pub created_at: NaiveDateTime,
}

pub async fn insert(conn: &mut DbConn, new: &NewUser<'_>) -> QueryResult<User> {
    with_conn!(conn, c => {
        diesel::insert_into(users::table)
            .values(new)
            .returning(User::as_returning())
            .get_result(c)
            .await
    })
}

pub async fn by_email(conn: &mut DbConn, email: &str) -> QueryResult<Option<User>> {
    with_conn!(conn, c => {
        users::table
            .filter(users::email.eq(email))
            .select(User::as_select())
            .first(c)
            .await
            .optional()
    })
}

pub async fn by_id(conn: &mut DbConn, id: i64) -> QueryResult<Option<User>> {
    with_conn!(conn, c => {
        users::table.find(id).select(User::as_select()).first(c).await.optional()
    })
}

pub async fn by_ids(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<User>> {
    with_conn!(conn, c => {
        users::table
            .filter(users::id.eq_any(ids))
            .select(User::as_select())
            .load(c)
            .await
    })
}
