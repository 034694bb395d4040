//! The assistant over GraphQL: the state of its language model. Thin adapter over
//! `crate::assistant`.

use async_graphql::{Context, Object, SimpleObject};

use crate::assistant::{ModelPhase, ModelState};
use crate::graphql::{app, principal};

/// The assistant's language model, as it stands.
#[derive(SimpleObject)]
#[graphql(name = "AssistantModel")]
pub struct AssistantModelNode {
    /// `OFF` (templates only), `DOWNLOADING`, `LOADING`, `READY` or `FAILED`.
    phase: ModelPhase,
    /// The model file's name, or the remote model's name; empty when off.
    model: String,
    /// While downloading: bytes received and the total when the server said it. Strings hold
    /// the exact 64-bit count.
    received_bytes: Option<String>,
    total_bytes: Option<String>,
    /// 0 to 100 while downloading with a known size.
    progress: Option<i32>,
    /// Why it failed.
    reason: Option<String>,
    /// Once ready: `llama`, `qwen2`, `qwen3` or `openai-compatible`.
    architecture: Option<String>,
    /// Whether the model's own words may be in Russian (SmolLM2 writes English only).
    writes_russian: bool,
}

impl AssistantModelNode {
    fn new(state: ModelState, writes_russian: bool) -> Self {
        let progress = match (state.received_bytes, state.total_bytes) {
            (Some(received), Some(total)) if total > 0 => {
                i32::try_from(received.saturating_mul(100) / total)
                    .ok()
                    .map(|p| p.min(100))
            }
            _ => None,
        };
        Self {
            phase: state.phase,
            model: state.model,
            received_bytes: state.received_bytes.map(|b| b.to_string()),
            total_bytes: state.total_bytes.map(|b| b.to_string()),
            progress,
            reason: state.reason,
            architecture: state.architecture,
            writes_russian,
        }
    }
}

#[derive(Default)]
pub struct AssistantQuery;

#[Object]
impl AssistantQuery {
    /// The state of the assistant's language model. Any signed-in user or API key may ask.
    #[allow(clippy::unused_async)] // async-graphql resolvers are async
    async fn assistant_model(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<AssistantModelNode> {
        principal(ctx).company()?;
        let assistant = &app(ctx).assistant;
        Ok(AssistantModelNode::new(
            assistant.state(),
            assistant.writes_russian(),
        ))
    }
}
