//! What one GraphQL document may ask for, beyond the schema's depth and complexity limits:
//! at most [`MAX_ROOT_FIELDS`] root fields per operation, aliases and fragments included.
//! Without it one request could repeat a costly field thousands of times under aliases
//! (`a1: register(…) a2: register(…) …`, or 10,000 `clients { totalCount }`).

use std::sync::Arc;

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery};
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{ServerError, ServerResult, Variables};

/// Root fields one operation may select (the web UI's largest page asks for 6).
pub const MAX_ROOT_FIELDS: usize = 20;

/// The extension that enforces [`MAX_ROOT_FIELDS`].
pub struct RootFieldLimit;

impl ExtensionFactory for RootFieldLimit {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(RootFieldLimit)
    }
}

#[async_trait::async_trait]
impl Extension for RootFieldLimit {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        for (_, operation) in document.operations.iter() {
            let n = root_fields(&operation.node.selection_set.node, &document, 0);
            if n > MAX_ROOT_FIELDS {
                return Err(ServerError::new(
                    format!(
                        "an operation may select at most {MAX_ROOT_FIELDS} root fields (aliases included); this one selects {n}"
                    ),
                    Some(operation.pos),
                ));
            }
        }
        Ok(document)
    }
}

/// Fields selected at the level of `set`, counting through fragments. Fragment cycles are
/// refused by validation later; `depth` only keeps this count finite until then.
fn root_fields(set: &SelectionSet, document: &ExecutableDocument, depth: usize) -> usize {
    if depth > 8 {
        return 0;
    }
    set.items
        .iter()
        .map(|item| match &item.node {
            Selection::Field(_) => 1,
            Selection::InlineFragment(f) => {
                root_fields(&f.node.selection_set.node, document, depth + 1)
            }
            Selection::FragmentSpread(spread) => document
                .fragments
                .get(&spread.node.fragment_name.node)
                .map_or(0, |f| {
                    root_fields(&f.node.selection_set.node, document, depth + 1)
                }),
        })
        .fold(0, usize::saturating_add)
}
