//! The cache of per-client model scores: one `score_runs` row per company saying which
//! version of its sales the scores were computed from, and one `client_scores` row per buyer.
//! `reports::scores` decides when to recompute; this module only reads and replaces.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::schema::{client_scores, score_runs};
use super::{DbConn, Pooled};
use crate::with_conn;

/// Rows per INSERT: 11 columns each, well under both backends' bound-parameter limits.
const CHUNK: usize = 500;

#[derive(Clone, Debug, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = score_runs)]
pub struct ScoreRun {
    pub company_id: i64,
    /// `companies.data_version` when the computation started.
    pub data_version: i64,
    /// The day, in the company's time zone, the scores are as of.
    pub as_of: NaiveDate,
    /// JSON of `reports::recommendations::CustomerModel`.
    pub model: String,
    /// JSON of the company's top `reports::recommendations::Action`s.
    pub actions: String,
    pub computed_at: NaiveDateTime,
}

#[derive(Clone, Debug, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = client_scores)]
pub struct ClientScoreRow {
    pub company_id: i64,
    pub client_id: i64,
    /// `RfmSegment` as stored text.
    pub segment: String,
    pub purchases: i64,
    pub last_purchase_at: NaiveDateTime,
    pub p_alive: f64,
    pub expected_purchases_30: f64,
    pub expected_purchases_90: f64,
    /// Minor units of the base currency.
    pub expected_order_value_minor: Option<i64>,
    pub clv_minor: Option<i64>,
    /// JSON of the client's most valuable `reports::recommendations::Action`.
    pub action: Option<String>,
}

/// The company's current run, if scores were ever computed.
pub async fn run(conn: &mut DbConn, company_id: i64) -> QueryResult<Option<ScoreRun>> {
    with_conn!(conn, c => {
        score_runs::table.find(company_id).select(ScoreRun::as_select()).first(c).await.optional()
    })
}

/// One client's cached scores; `None` when the client had no counted purchase at the run.
pub async fn get(
    conn: &mut DbConn,
    company_id: i64,
    client_id: i64,
) -> QueryResult<Option<ClientScoreRow>> {
    with_conn!(conn, c => {
        client_scores::table
            .find((company_id, client_id))
            .select(ClientScoreRow::as_select())
            .first(c)
            .await
            .optional()
    })
}

/// Replaces the company's scores and run with `rows` and `run`. Call inside a transaction so
/// readers see either the old set or the new one.
pub async fn replace(
    conn: &mut DbConn,
    run: &ScoreRun,
    rows: &[ClientScoreRow],
) -> QueryResult<()> {
    let company_id = run.company_id;
    with_conn!(conn, c => {
        diesel::delete(client_scores::table.filter(client_scores::company_id.eq(company_id)))
            .execute(c)
            .await
    })?;
    for chunk in rows.chunks(CHUNK) {
        match &mut conn.pooled {
            Pooled::Pg(c) => {
                diesel::insert_into(client_scores::table)
                    .values(chunk)
                    .execute(&mut **c)
                    .await?;
            }
            // diesel-async does not build SQLite's multi-row INSERT; sync diesel does, on the
            // connection's blocking thread.
            Pooled::Sqlite(c) => {
                let rows = chunk.to_vec();
                c.spawn_blocking(move |inner| {
                    diesel::RunQueryDsl::execute(
                        diesel::insert_into(client_scores::table).values(&rows),
                        inner,
                    )
                })
                .await?;
            }
        }
    }
    with_conn!(conn, c => {
        diesel::insert_into(score_runs::table)
            .values(run)
            .on_conflict(score_runs::company_id)
            .do_update()
            .set((
                score_runs::data_version.eq(run.data_version),
                score_runs::as_of.eq(run.as_of),
                score_runs::model.eq(&run.model),
                score_runs::actions.eq(&run.actions),
                score_runs::computed_at.eq(run.computed_at),
            ))
            .execute(c)
            .await
    })?;
    Ok(())
}
