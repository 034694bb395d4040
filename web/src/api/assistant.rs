//! The assistant's model: its state for the report view.

use dioxus::prelude::*;

use crate::gql::AssistantModel;

#[cfg(feature = "server")]
use {crate::gql, crate::server::executor::run_as_user, cynic::QueryBuilder};

/// The state of the assistant's language model (off, downloading, loading, ready, failed).
#[get("/api/assistant/model")]
pub async fn assistant_model() -> Result<AssistantModel, ServerFnError> {
    run_as_user(gql::AssistantQuery::build(()))
        .await
        .map(|d| d.assistant_model)
}
