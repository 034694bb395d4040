//! Batch upserts for integrators: up to 10,000 clients or sales per call, keyed by the
//! integrator's external id. Each batch is one transaction; each row gets its own result;
//! sending the same batch again changes nothing.

mod clients;
mod sales;

use std::collections::HashMap;

use async_graphql::{Enum, ID, MergedObject, SimpleObject};

use crate::error::ApiError;

pub const MAX_BATCH: usize = 10_000;

#[derive(MergedObject, Default)]
pub struct IntegrationMutation(clients::ClientUpsertMutation, sales::SaleUpsertMutation);

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
        let count = |s: RowStatus| rows.iter().filter(|r| r.status == s).count() as i32;
        BatchResult {
            created: count(RowStatus::Created),
            updated: count(RowStatus::Updated),
            unchanged: count(RowStatus::Unchanged),
            rejected: count(RowStatus::Rejected),
            rows,
        }
    }
}

fn check_size(field: &str, n: usize) -> Result<(), ApiError> {
    if n > MAX_BATCH {
        return Err(ApiError::bad_input(
            field,
            format!("a batch may have at most {MAX_BATCH} rows; split it into several calls"),
        ));
    }
    Ok(())
}

/// Marks every row after the first with the same external id as a duplicate.
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

/// How many times a batch is retried when a concurrent batch inserted the same external ids
/// first (the retry then sees them and updates instead).
const ATTEMPTS: usize = 3;

fn is_unique_violation(e: &diesel::result::Error) -> bool {
    matches!(
        e,
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)
    )
}
