//! The assistant's language model as the report view shows it.

use serde::Serialize;

use super::{ApiEnum, schema};

api_enum!(ModelPhase {
    Off = "OFF",
    Downloading = "DOWNLOADING",
    Loading = "LOADING",
    Ready = "READY",
    Failed = "FAILED",
});

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "AssistantModel")]
pub struct AssistantModel {
    pub phase: ModelPhase,
    pub model: String,
    /// 0 to 100 while downloading.
    pub progress: Option<i32>,
    pub reason: Option<String>,
    pub architecture: Option<String>,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "QueryRoot")]
#[serde(rename_all = "camelCase")]
pub struct AssistantQuery {
    pub assistant_model: AssistantModel,
}
