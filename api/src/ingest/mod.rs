//! Batch upserts for integrators, as plain Rust: up to [`MAX_BATCH`] clients or sales per
//! call, keyed by the integrator's external id. Each batch is one transaction; each row gets
//! its own result; sending the same batch again changes nothing.
//!
//! [`run`] is the one batch runner: it checks the batch size, marks duplicate keys, validates
//! each row, then in one transaction resolves references, looks up the stored rows by key,
//! diffs, updates, inserts in multi-row statements and adjusts aggregates, retries when a
//! concurrent batch inserted the same keys first, and publishes the change events. What
//! differs between clients and sales is the [`Upsert`] implementation in [`clients`] and
//! [`sales`]. The GraphQL mutations are thin adapters over it.

// Money and counts here never change type silently: no `as` conversions.
#![deny(clippy::as_conversions)]

pub mod clients;
pub mod sales;

use std::collections::HashMap;
use std::time::Instant;

use async_graphql::{Enum, ID, SimpleObject};
use chrono::{NaiveDateTime, Utc};
use diesel::QueryResult;

use crate::app::App;
use crate::db::DbConn;
pub use crate::domain::MAX_BATCH;
use crate::error::{ApiError, ApiResult};
use crate::events::{ChangeKind, Entity, Event};
use crate::transaction;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum)]
pub enum RowStatus {
    Created,
    Updated,
    /// The row matched what is stored; nothing was written.
    Unchanged,
    /// The row was not written; `error` says why. Other rows are not affected.
    Rejected,
}

/// Why a row was rejected.
#[derive(Clone, Debug, SimpleObject)]
pub struct RowError {
    /// BAD_USER_INPUT, DUPLICATE_IN_BATCH or UNKNOWN_CLIENT.
    pub code: String,
    /// The input field at fault, when there is one.
    pub field: Option<String>,
    pub message: String,
}

impl RowError {
    fn from_api(e: ApiError) -> RowError {
        let field = match &e {
            ApiError::BadInput { field, .. } => field.clone(),
            _ => None,
        };
        RowError {
            code: e.code().as_str().to_owned(),
            field,
            message: e.message(),
        }
    }

    fn new(code: &str, field: &str, message: impl Into<String>) -> RowError {
        RowError {
            code: code.to_owned(),
            field: Some(field.to_owned()),
            message: message.into(),
        }
    }
}

#[derive(Clone, Debug, SimpleObject)]
pub struct RowResult {
    /// Position of the row in the batch, from 0.
    pub index: i32,
    pub external_id: String,
    pub status: RowStatus,
    /// Id of the stored row (absent when rejected).
    pub id: Option<ID>,
    pub error: Option<RowError>,
}

#[derive(Clone, Debug, SimpleObject)]
pub struct BatchResult {
    pub created: i32,
    pub updated: i32,
    pub unchanged: i32,
    pub rejected: i32,
    /// One result per input row, in input order.
    pub rows: Vec<RowResult>,
}

impl BatchResult {
    fn from_rows(rows: Vec<RowResult>) -> BatchResult {
        let count = |s: RowStatus| {
            i32::try_from(rows.iter().filter(|r| r.status == s).count()).unwrap_or(i32::MAX)
        };
        BatchResult {
            created: count(RowStatus::Created),
            updated: count(RowStatus::Updated),
            unchanged: count(RowStatus::Unchanged),
            rejected: count(RowStatus::Rejected),
            rows,
        }
    }
}

/// A field that a batch row may keep, clear or set (GraphQL: absent, `null`, a value).
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Patch<T> {
    #[default]
    Keep,
    Clear,
    Set(T),
}

impl<T: Clone> Patch<T> {
    /// The value after applying the patch to `current`.
    fn apply(&self, current: &Option<T>) -> Option<T> {
        match self {
            Patch::Keep => current.clone(),
            Patch::Clear => None,
            Patch::Set(v) => Some(v.clone()),
        }
    }
}

/// What differs between the kinds of rows a batch upserts. The runner calls, in one
/// transaction: [`resolve`](Upsert::resolve) once, [`target`](Upsert::target) per row,
/// [`existing`](Upsert::existing) once, then per row [`diff`](Upsert::diff) and
/// [`update`](Upsert::update) or [`new_row`](Upsert::new_row), then
/// [`insert_many`](Upsert::insert_many) and [`after`](Upsert::after) once.
pub trait Upsert {
    /// A row as the integrator sent it.
    type Row: Sync;
    /// A row that passed validation.
    type Valid: Send + Sync;
    /// What [`resolve`](Upsert::resolve) found for the whole batch (e.g. the clients named).
    type Refs: Send + Sync;
    /// What a valid row refers to once resolved (e.g. its client's id).
    type Target: Copy + Send;
    /// A stored row found by key.
    type Stored: Send + Sync;
    type New: Send + Sync;
    type Changes: Send + Sync;

    /// The input field of the batch, for errors (`clients`, `sales`).
    const FIELD: &'static str;
    const ENTITY: Entity;
    /// Tables whose key lookups must go through their indexes.
    const TABLES: &'static [&'static str];

    fn external_id(row: &Self::Row) -> &str;
    fn validate(row: &Self::Row) -> ApiResult<Self::Valid>;
    fn key(row: &Self::Valid) -> &str;
    fn resolve(
        conn: &mut DbConn,
        company_id: i64,
        rows: &[&Self::Valid],
    ) -> impl Future<Output = QueryResult<Self::Refs>> + Send;
    /// The row's references, or why it is rejected.
    fn target(refs: &Self::Refs, row: &Self::Valid) -> Result<Self::Target, RowError>;
    fn existing(
        conn: &mut DbConn,
        company_id: i64,
        keys: &[&str],
    ) -> impl Future<Output = QueryResult<HashMap<String, Self::Stored>>> + Send;
    fn id(stored: &Self::Stored) -> i64;
    /// The changes that make `current` match `row`; `None` when they already match.
    fn diff(
        row: &Self::Valid,
        target: Self::Target,
        current: &Self::Stored,
        now: NaiveDateTime,
    ) -> Option<Self::Changes>;
    fn update(
        conn: &mut DbConn,
        company_id: i64,
        id: i64,
        changes: &Self::Changes,
    ) -> impl Future<Output = QueryResult<()>> + Send;
    fn new_row(
        company_id: i64,
        row: &Self::Valid,
        target: Self::Target,
        now: NaiveDateTime,
    ) -> Self::New;
    /// Inserts the rows; returns `(id, external id)` of each.
    fn insert_many(
        conn: &mut DbConn,
        rows: &[Self::New],
    ) -> impl Future<Output = QueryResult<Vec<(i64, Option<String>)>>> + Send;
    /// Work after the rows are written (aggregates); returns rows of other entities it
    /// changed, published as one `Updated` event.
    fn after(
        conn: &mut DbConn,
        company_id: i64,
        inserted: &[Self::New],
        updated: &[(&Self::Stored, Self::Changes)],
    ) -> impl Future<Output = QueryResult<Option<(Entity, Vec<i64>)>>> + Send;
}

/// How many times a batch is tried when a concurrent batch got in its way (see
/// [`is_retryable`]; after a concurrent insert of the same external ids the retry sees them
/// and updates instead).
const ATTEMPTS: usize = 4;

/// Upserts `rows` into the company's data as kind `U`; see the module doc. Errors: a batch
/// over [`MAX_BATCH`] rows (BAD_USER_INPUT, nothing written), an unavailable or failing
/// database (nothing written). Rows that are invalid, repeat an earlier key of the batch, or
/// name something unknown are rejected one by one, with the others written.
pub async fn run<U: Upsert>(app: &App, company_id: i64, rows: &[U::Row]) -> ApiResult<BatchResult> {
    if rows.len() > MAX_BATCH {
        return Err(ApiError::bad_input(
            U::FIELD,
            format!("a batch may have at most {MAX_BATCH} rows; split it into several calls"),
        ));
    }
    let started = Instant::now();
    let dup = duplicates(rows.iter().map(U::external_id));
    let mut results: Vec<Option<RowResult>> = vec![None; rows.len()];
    let mut valid = Vec::with_capacity(rows.len());
    for (i, (row, dup)) in rows.iter().zip(dup).enumerate() {
        let outcome = match dup {
            Some(first) => Err(RowError::new(
                "DUPLICATE_IN_BATCH",
                "externalId",
                format!("the same externalId is already at index {first} of this batch"),
            )),
            None => U::validate(row).map_err(RowError::from_api),
        };
        match outcome {
            Ok(v) => valid.push((i, v)),
            Err(error) => {
                if let Some(slot) = results.get_mut(i) {
                    *slot = Some(rejected(i, U::external_id(row), error));
                }
            }
        }
    }
    let validated = started.elapsed();
    let mut conn = app.db.write().await?;
    let mut attempt = 0;
    let written = loop {
        attempt += 1;
        match write::<U>(&mut conn, company_id, &valid, app.config.fault_batch_pause).await {
            Err(e) if attempt < ATTEMPTS && is_retryable(&e) => {
                tracing::info!(error = %e, attempt, "batch retried");
                continue;
            }
            other => break other?,
        }
    };
    // Fresh statistics for the reports over what was just written (after the commit: the
    // batch's answer does not wait on a failed ANALYZE).
    if let Err(e) = conn.analyze_if_stale(U::TABLES).await {
        tracing::warn!(error = %e, "could not analyze after a batch");
    }
    drop(conn);
    let mut created = Vec::new();
    let mut updated = Vec::new();
    for (index, outcome) in written.rows {
        let external_id = rows.get(index).map(U::external_id).unwrap_or_default();
        let result = match outcome {
            Ok((status, id)) => {
                match status {
                    RowStatus::Created => created.push(id),
                    RowStatus::Updated => updated.push(id),
                    RowStatus::Unchanged | RowStatus::Rejected => {}
                }
                RowResult {
                    index: index_i32(index),
                    external_id: external_id.trim().to_owned(),
                    status,
                    id: Some(ID(id.to_string())),
                    error: None,
                }
            }
            Err(error) => rejected(index, external_id, error),
        };
        if let Some(slot) = results.get_mut(index) {
            *slot = Some(result);
        }
    }
    let mut events = vec![
        Event {
            company_id,
            entity: U::ENTITY,
            kind: ChangeKind::Created,
            ids: created,
        },
        Event {
            company_id,
            entity: U::ENTITY,
            kind: ChangeKind::Updated,
            ids: updated,
        },
    ];
    if let Some((entity, ids)) = written.related {
        events.push(Event {
            company_id,
            entity,
            kind: ChangeKind::Updated,
            ids,
        });
    }
    app.events.publish(events).await;
    tracing::debug!(
        rows = rows.len(),
        validated_ms = ms(validated),
        total_ms = ms(started.elapsed()),
        "{} batch done",
        U::FIELD
    );
    Ok(BatchResult::from_rows(
        results.into_iter().flatten().collect(),
    ))
}

/// Whole milliseconds, for the logs.
fn ms(d: std::time::Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

fn index_i32(index: usize) -> i32 {
    // A batch has at most MAX_BATCH rows.
    i32::try_from(index).unwrap_or(i32::MAX)
}

fn rejected(index: usize, external_id: &str, error: RowError) -> RowResult {
    RowResult {
        index: index_i32(index),
        external_id: external_id.to_owned(),
        status: RowStatus::Rejected,
        id: None,
        error: Some(error),
    }
}

/// A valid row's index in the batch, and its status and id or why it was rejected.
type RowOutcome = (usize, Result<(RowStatus, i64), RowError>);

/// What one attempt wrote: per valid row its index and status with id, or why it was
/// rejected; and the rows of another entity it changed.
struct Written {
    rows: Vec<RowOutcome>,
    related: Option<(Entity, Vec<i64>)>,
}

async fn write<U: Upsert>(
    conn: &mut DbConn,
    company_id: i64,
    rows: &[(usize, U::Valid)],
    fault_pause: Option<std::time::Duration>,
) -> QueryResult<Written> {
    let now = Utc::now().naive_utc();
    let started = Instant::now();
    transaction!(conn, diesel::result::Error, {
        // Lookups by key go through the unique indexes, whatever the statistics say.
        let guarded = conn.prefer_indexes_if_stale(U::TABLES).await?;
        let valid: Vec<&U::Valid> = rows.iter().map(|(_, v)| v).collect();
        let refs = U::resolve(conn, company_id, &valid).await?;
        let keys: Vec<&str> = valid.iter().map(|v| U::key(v)).collect();
        let existing = U::existing(conn, company_id, &keys).await?;
        if guarded {
            conn.plan_normally().await?;
        }
        let looked_up = started.elapsed();

        let mut out = Vec::with_capacity(rows.len());
        let mut updated = Vec::new();
        let mut inserts = Vec::new();
        let mut insert_index = Vec::new();
        for (index, row) in rows {
            let target = match U::target(&refs, row) {
                Ok(t) => t,
                Err(error) => {
                    out.push((*index, Err(error)));
                    continue;
                }
            };
            match existing.get(U::key(row)) {
                Some(current) => {
                    let id = U::id(current);
                    match U::diff(row, target, current, now) {
                        None => out.push((*index, Ok((RowStatus::Unchanged, id)))),
                        Some(changes) => {
                            U::update(conn, company_id, id, &changes).await?;
                            out.push((*index, Ok((RowStatus::Updated, id))));
                            updated.push((current, changes));
                        }
                    }
                }
                None => {
                    insert_index.push((*index, U::key(row)));
                    inserts.push(U::new_row(company_id, row, target, now));
                }
            }
        }
        let ids = U::insert_many(conn, &inserts).await?;
        let inserted = started.elapsed();
        let by_key: HashMap<String, i64> = ids
            .into_iter()
            .filter_map(|(id, e)| e.map(|e| (e, id)))
            .collect();
        for (index, key) in insert_index {
            let id = by_key.get(key).copied().unwrap_or_default();
            out.push((index, Ok((RowStatus::Created, id))));
        }
        let related = U::after(conn, company_id, &inserts, &updated).await?;
        // Tests only: everything is written, locks are held, nothing is committed yet.
        if let Some(pause) = fault_pause {
            tokio::time::sleep(pause).await;
        }
        tracing::debug!(
            rows = rows.len(),
            looked_up_ms = ms(looked_up),
            inserted_ms = ms(inserted - looked_up),
            after_ms = ms(started.elapsed() - inserted),
            "{} batch written",
            U::FIELD
        );
        Ok(Written { rows: out, related })
    })
}

/// For each row, the index of an earlier row with the same external id (trimmed), if any.
fn duplicates<'a>(ids: impl Iterator<Item = &'a str>) -> Vec<Option<usize>> {
    let mut first: HashMap<&str, usize> = HashMap::new();
    ids.enumerate()
        .map(|(i, id)| match first.get(id.trim()) {
            Some(&earlier) => Some(earlier),
            None => {
                first.insert(id.trim(), i);
                None
            }
        })
        .collect()
}

/// Whether trying the batch again can succeed: a concurrent batch inserted the same external
/// ids first (the retry updates them), or PostgreSQL gave up on this transaction because of
/// another one (a serialization failure, or a deadlock it broke by cancelling this side).
fn is_retryable(e: &diesel::result::Error) -> bool {
    use diesel::result::{DatabaseErrorKind, Error};
    match e {
        Error::DatabaseError(
            DatabaseErrorKind::UniqueViolation | DatabaseErrorKind::SerializationFailure,
            _,
        ) => true,
        // diesel has no kind for SQLSTATE 40P01; its message is fixed by PostgreSQL.
        Error::DatabaseError(DatabaseErrorKind::Unknown, info) => {
            info.message().starts_with("deadlock detected")
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_point_at_the_first_row_with_the_key() {
        let d = duplicates(["a", "b", " a ", "b", "c"].into_iter());
        assert_eq!(d, vec![None, None, Some(0), Some(1), None]);
    }

    #[test]
    fn patches_keep_clear_or_set() {
        let current = Some("x".to_owned());
        assert_eq!(Patch::Keep.apply(&current), current);
        assert_eq!(Patch::<String>::Clear.apply(&current), None);
        assert_eq!(
            Patch::Set("y".to_owned()).apply(&current).as_deref(),
            Some("y")
        );
    }
}
