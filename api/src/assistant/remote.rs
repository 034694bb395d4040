//! An OpenAI-compatible chat completions backend (`POST {base}/chat/completions` with
//! `stream: true`, answered as server-sent events whose `choices[0].delta.content` carry the
//! text, ended by `data: [DONE]`), as served by OpenAI, vLLM, llama.cpp's server or Ollama.
//!
//! When the server's model can call tools (`CRM_LLM_TOOL_CALLS=on`), [`RemoteModel::pick_tool`]
//! offers it the chat's tools (OpenAI's `tools` with JSON Schema parameters) and reads back the
//! one it calls (`choices[0].message.tool_calls[0].function`).

use std::time::Duration;

use crm_ai::llm::{ChatMessage, Sampling};
use futures::StreamExt;
use tokio::sync::mpsc;

use super::AssistantError;

/// Longest a remote answer may take in all.
const TIMEOUT: Duration = Duration::from_secs(120);
/// Longest server-sent event line accepted.
const MAX_LINE: usize = 1 << 20;
/// Longest a tool choice may take: the answer waits for it.
const PICK_TIMEOUT: Duration = Duration::from_secs(30);
/// Largest tool-choice response read.
const MAX_PICK_BYTES: usize = 256 << 10;

/// Where the remote model is (`CRM_LLM_BASE_URL`, `CRM_LLM_MODEL`, `CRM_LLM_API_KEY`,
/// `CRM_LLM_TOOL_CALLS`).
#[derive(Clone, PartialEq, Eq)]
pub struct RemoteModel {
    /// Base URL including the version, e.g. `https://api.openai.com/v1`.
    pub base_url: String,
    pub model: String,
    pub api_key: Option<String>,
    /// The model may pick the chat's tools itself (it supports OpenAI tool calls).
    pub tool_calls: bool,
}

/// The tool a model called: its name and its arguments as the model wrote them.
#[derive(Clone, Debug, PartialEq)]
pub struct ToolCall {
    pub name: String,
    pub arguments: serde_json::Value,
}

impl std::fmt::Debug for RemoteModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RemoteModel")
            .field("base_url", &self.base_url)
            .field("model", &self.model)
            .field("api_key", &self.api_key.as_ref().map(|_| "…"))
            .field("tool_calls", &self.tool_calls)
            .finish()
    }
}

impl RemoteModel {
    /// Starts a streamed completion; pieces arrive on the returned channel. Dropping the
    /// receiver closes the HTTP response.
    pub(super) fn stream(
        &self,
        http: reqwest::Client,
        messages: Vec<ChatMessage>,
        max_tokens: usize,
        sampling: Sampling,
    ) -> mpsc::Receiver<Result<String, AssistantError>> {
        let (tx, rx) = mpsc::channel(16);
        let url = format!("{}/chat/completions", self.base_url.trim_end_matches('/'));
        let body = serde_json::json!({
            "model": self.model,
            "messages": messages,
            "max_tokens": max_tokens,
            "temperature": sampling.temperature,
            "top_p": sampling.top_p,
            "seed": sampling.seed,
            "stream": true,
        });
        let mut request = http.post(url).json(&body).timeout(TIMEOUT);
        if let Some(key) = &self.api_key {
            request = request.bearer_auth(key);
        }
        tokio::spawn(async move {
            if let Err(e) = relay(request, &tx).await {
                let _ = tx.send(Err(e)).await;
            }
        });
        rx
    }

    /// Offers `tools` (OpenAI function definitions) to the model for `messages` and returns the
    /// first tool it calls; `None` when it answered in words instead.
    ///
    /// # Errors
    /// [`AssistantError::Remote`] for a failed request, an error status, a response over 256 KiB
    /// or one that is not a chat completion, or arguments that are not a JSON object.
    pub(super) async fn pick_tool(
        &self,
        http: &reqwest::Client,
        messages: &[ChatMessage],
        tools: &serde_json::Value,
    ) -> Result<Option<ToolCall>, AssistantError> {
        let remote = |e: reqwest::Error| AssistantError::Remote(e.to_string());
        let url = format!("{}/chat/completions", self.base_url.trim_end_matches('/'));
        let body = serde_json::json!({
            "model": self.model,
            "messages": messages,
            "tools": tools,
            "tool_choice": "auto",
            "temperature": 0,
            "stream": false,
        });
        let mut request = http.post(url).json(&body).timeout(PICK_TIMEOUT);
        if let Some(key) = &self.api_key {
            request = request.bearer_auth(key);
        }
        let mut response = request.send().await.map_err(remote)?;
        let status = response.status();
        let mut bytes = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(remote)? {
            bytes.extend_from_slice(&chunk);
            if bytes.len() > MAX_PICK_BYTES {
                return Err(AssistantError::Remote(
                    "the tool choice is too long".to_owned(),
                ));
            }
        }
        if !status.is_success() {
            let text: String = String::from_utf8_lossy(&bytes).chars().take(300).collect();
            return Err(AssistantError::Remote(format!("HTTP {status}: {text}")));
        }
        let reply: serde_json::Value = serde_json::from_slice(&bytes)
            .map_err(|e| AssistantError::Remote(format!("bad tool choice: {e}")))?;
        if let Some(message) = reply.pointer("/error/message").and_then(|m| m.as_str()) {
            return Err(AssistantError::Remote(message.chars().take(300).collect()));
        }
        let Some(function) = reply.pointer("/choices/0/message/tool_calls/0/function") else {
            return Ok(None);
        };
        let name = function
            .get("name")
            .and_then(|n| n.as_str())
            .ok_or_else(|| AssistantError::Remote("a tool call without a name".to_owned()))?;
        // OpenAI sends the arguments as JSON text; some servers send the object itself.
        let arguments = match function.get("arguments") {
            Some(serde_json::Value::String(text)) if text.trim().is_empty() => {
                serde_json::json!({})
            }
            Some(serde_json::Value::String(text)) => serde_json::from_str(text)
                .map_err(|e| AssistantError::Remote(format!("bad tool arguments: {e}")))?,
            Some(object @ serde_json::Value::Object(_)) => object.clone(),
            None | Some(serde_json::Value::Null) => serde_json::json!({}),
            Some(_) => {
                return Err(AssistantError::Remote(
                    "tool arguments are not an object".to_owned(),
                ));
            }
        };
        if !arguments.is_object() {
            return Err(AssistantError::Remote(
                "tool arguments are not an object".to_owned(),
            ));
        }
        Ok(Some(ToolCall {
            name: name.to_owned(),
            arguments,
        }))
    }
}

async fn relay(
    request: reqwest::RequestBuilder,
    tx: &mpsc::Sender<Result<String, AssistantError>>,
) -> Result<(), AssistantError> {
    let remote = |e: reqwest::Error| AssistantError::Remote(e.to_string());
    let response = request.send().await.map_err(remote)?;
    let status = response.status();
    if !status.is_success() {
        let text = response.text().await.unwrap_or_default();
        let text: String = text.chars().take(300).collect();
        return Err(AssistantError::Remote(format!("HTTP {status}: {text}")));
    }
    let mut body = response.bytes_stream();
    let mut line = Vec::new();
    while let Some(chunk) = body.next().await {
        for byte in chunk.map_err(remote)? {
            if byte != b'\n' {
                line.push(byte);
                if line.len() > MAX_LINE {
                    return Err(AssistantError::Remote(
                        "an event line is too long".to_owned(),
                    ));
                }
                continue;
            }
            let text = String::from_utf8_lossy(&line).trim().to_owned();
            line.clear();
            let Some(data) = text.strip_prefix("data:").map(str::trim) else {
                continue;
            };
            if data == "[DONE]" {
                return Ok(());
            }
            let event: serde_json::Value = serde_json::from_str(data)
                .map_err(|e| AssistantError::Remote(format!("bad event: {e}")))?;
            if let Some(message) = event.pointer("/error/message").and_then(|m| m.as_str()) {
                return Err(AssistantError::Remote(message.to_owned()));
            }
            let piece = event
                .pointer("/choices/0/delta/content")
                .and_then(|c| c.as_str())
                .unwrap_or_default();
            if !piece.is_empty() && tx.send(Ok(piece.to_owned())).await.is_err() {
                return Ok(()); // the reader left
            }
        }
    }
    Ok(())
}
