//! Relay-style forward pagination (the GraphQL Cursor Connections Specification): opaque
//! cursors, edges, page info, the page-size cap, and [`connect`], which turns the rows of a
//! keyset query into a page. Each connection type adds its own `totalCount` and `nodes`.

use async_graphql::{OutputType, SimpleObject};
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

/// What a connection's own SQL (a page and a count) adds to a query's complexity, so that a
/// query cannot run thousands of them under aliases within the limit.
pub const QUERY_COST: usize = 50;

/// Complexity of a connection field: [`QUERY_COST`] plus its page size times what is
/// selected in one node.
pub fn complexity(first: Option<i32>, child: usize) -> usize {
    let n = first
        .unwrap_or(DEFAULT_PAGE)
        .clamp(1, MAX_PAGE)
        .unsigned_abs() as usize;
    QUERY_COST.saturating_add(n.saturating_mul(child.max(1)))
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

/// The rows of the `limit + 1` fetched that the page shows (all but the extra one), e.g. to
/// load what they will ask for before `connect` takes them.
pub fn shown<R>(rows: &[R], limit: i64) -> &[R] {
    let n = usize::try_from(limit).unwrap_or(0).min(rows.len());
    rows.get(..n).unwrap_or_default()
}

/// One row of a page with the cursor that a next page starts after.
#[derive(SimpleObject)]
#[graphql(concrete(name = "ClientEdge", params(crate::graphql::clients::ClientNode)))]
#[graphql(concrete(name = "SaleEdge", params(crate::graphql::sales::SaleNode)))]
#[graphql(concrete(
    name = "InteractionEdge",
    params(crate::graphql::interactions::InteractionNode)
))]
#[graphql(concrete(
    name = "SavedReportEdge",
    params(crate::graphql::reports::saved::SavedReportNode)
))]
#[graphql(concrete(
    name = "ConversationEdge",
    params(crate::graphql::chat::ConversationNode)
))]
pub struct Edge<N: OutputType> {
    pub cursor: String,
    pub node: N,
}

/// Builds a page from the `limit + 1` rows a keyset query fetched (the extra row only says
/// that more follow): the edges, each with the cursor `cursor` makes for its row, and the
/// page info. `after_given` is whether the page started after a cursor.
pub fn connect<R, N: OutputType>(
    mut rows: Vec<R>,
    limit: i64,
    after_given: bool,
    cursor: impl Fn(&R) -> String,
    node: impl Fn(R) -> N,
) -> (Vec<Edge<N>>, PageInfo) {
    let shown = shown(&rows, limit).len();
    let has_next_page = rows.len() > shown;
    rows.truncate(shown);
    let edges: Vec<Edge<N>> = rows
        .into_iter()
        .map(|r| Edge {
            cursor: cursor(&r),
            node: node(r),
        })
        .collect();
    let page_info = PageInfo {
        has_next_page,
        has_previous_page: after_given,
        start_cursor: edges.first().map(|e| e.cursor.clone()),
        end_cursor: edges.last().map(|e| e.cursor.clone()),
    };
    (edges, page_info)
}
