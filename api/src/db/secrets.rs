//! Server secrets generated on first run and shared by every process of one database.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::DbConn;
use super::schema::server_secrets;
use crate::with_conn;

/// Returns the secret `name`, storing `generated` first when there is none yet. When several
/// processes start at once, all of them end up with the one value that was stored first.
pub async fn get_or_create(
    conn: &mut DbConn,
    name: &str,
    generated: String,
) -> QueryResult<String> {
    with_conn!(conn, c => {
        diesel::insert_into(server_secrets::table)
            .values((server_secrets::name.eq(name), server_secrets::value.eq(&generated)))
            .on_conflict_do_nothing()
            .execute(c)
            .await?;
        server_secrets::table
            .find(name)
            .select(server_secrets::value)
            .first(c)
            .await
    })
}
