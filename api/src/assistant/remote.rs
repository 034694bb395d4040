//! An OpenAI-compatible chat completions backend (`POST {base}/chat/completions` with
//! `stream: true`, answered as server-sent events whose `choices[0].delta.content` carry the
//! text, ended by `data: [DONE]`), as served by OpenAI, vLLM, llama.cpp's server or Ollama.

use std::time::Duration;

use crm_ai::llm::{ChatMessage, Sampling};
use futures::StreamExt;
use tokio::sync::mpsc;

use super::AssistantError;

/// Longest a remote answer may take in all.
const TIMEOUT: Duration = Duration::from_secs(120);
/// Longest server-sent event line accepted.
const MAX_LINE: usize = 1 << 20;

/// Where the remote model is (`CRM_LLM_BASE_URL`, `CRM_LLM_MODEL`, `CRM_LLM_API_KEY`).
#[derive(Clone, PartialEq, Eq)]
pub struct RemoteModel {
    /// Base URL including the version, e.g. `https://api.openai.com/v1`.
    pub base_url: String,
    pub model: String,
    pub api_key: Option<String>,
}

impl std::fmt::Debug for RemoteModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RemoteModel")
            .field("base_url", &self.base_url)
            .field("model", &self.model)
            .field("api_key", &self.api_key.as_ref().map(|_| "…"))
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
