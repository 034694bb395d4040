//! The assistant's model: its state for the report view.

use dioxus::prelude::*;

use crate::gql::AssistantModel;

#[cfg(feature = "server")]
use {crate::gql, cynic::QueryBuilder};

/// The state of the assistant's language model (off, downloading, loading, ready, failed).
#[get("/api/assistant/model", user: crate::server::CurrentUser)]
pub async fn assistant_model() -> Result<AssistantModel, ServerFnError> {
    user.signed_in()?
        .run(gql::AssistantQuery::build(()))
        .await
        .map(|d| d.assistant_model)
}
