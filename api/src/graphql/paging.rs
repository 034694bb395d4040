//! Relay-style forward pagination: opaque cursors, page info and the page-size cap.

use async_graphql::SimpleObject;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize, de::DeserializeOwned};

use crate::error::{ApiError, ApiResult};

pub const DEFAULT_PAGE: i32 = 25;
pub const MAX_PAGE: i32 = 100;

/// Validates `first`: 1..=MAX_PAGE, DEFAULT_PAGE when absent.
pub fn page_size(first: Option<i32>) -> ApiResult<i64> {
    let n = first.unwrap_or(DEFAULT_PAGE);
    if !(1..=MAX_PAGE).contains(&n) {
        return Err(ApiError::bad_input(
            "first",
            format!("the page size must be between 1 and {MAX_PAGE}"),
        ));
    }
    Ok(i64::from(n))
}

/// Complexity of a connection field: its page size times what is selected in one node.
pub fn complexity(first: Option<i32>, child: usize) -> usize {
    let n = first.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE) as usize;
    n.saturating_mul(child.max(1))
}

#[derive(Clone, Debug, SimpleObject)]
pub struct PageInfo {
    pub has_next_page: bool,
    pub has_previous_page: bool,
    pub start_cursor: Option<String>,
    pub end_cursor: Option<String>,
}

/// A cursor: the sort it belongs to, the sort value and the row id.
#[derive(Serialize, Deserialize)]
struct Cursor<V> {
    s: String,
    v: V,
    i: i64,
}

pub fn encode<V: Serialize>(sort: &str, value: V, id: i64) -> String {
    let json = serde_json::to_vec(&Cursor {
        s: sort.to_owned(),
        v: value,
        i: id,
    })
    .unwrap_or_default();
    URL_SAFE_NO_PAD.encode(json)
}

/// Decodes a cursor made by `encode` for the same `sort`.
pub fn decode<V: DeserializeOwned>(sort: &str, cursor: &str) -> ApiResult<(V, i64)> {
    let bad = || ApiError::bad_input("after", "invalid cursor; start again from the first page");
    let bytes = URL_SAFE_NO_PAD.decode(cursor.trim()).map_err(|_| bad())?;
    let c: Cursor<V> = serde_json::from_slice(&bytes).map_err(|_| bad())?;
    if c.s != sort {
        return Err(ApiError::bad_input(
            "after",
            "the cursor was made for another sort order; start again from the first page",
        ));
    }
    Ok((c.v, c.i))
}

/// Splits the `limit + 1` rows fetched into the page and whether more follow.
pub fn split<T>(mut rows: Vec<T>, limit: i64) -> (Vec<T>, bool) {
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    (rows, more)
}
