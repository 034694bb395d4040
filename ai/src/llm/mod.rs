//! A small local language model on CPU: a GGUF file run by candle on one worker thread.
//!
//! - [`Llm::load`] reads the file ([`model`]: llama, qwen2 or qwen3, re-quantised for fast
//!   kernels), builds its tokenizer from the file's metadata ([`tokenizer`], llama.cpp's ids) and
//!   its chat template ([`template`]), then starts the worker thread that owns the weights and
//!   the KV cache. Loading is blocking: run it off the async runtime.
//! - [`Llm::generate`] queues a conversation; a full queue answers [`LlmError::Busy`] at once.
//!   Text comes back as [`Event`]s on a channel; dropping the [`Generation`] stops the work at the
//!   next token.
//! - Sampling is seeded ([`Sampling`]): the same request on the same file gives the same text.
//!
//! Threads: candle's CPU kernels size their pools from `CANDLE_NUM_THREADS` and
//! `RAYON_NUM_THREADS`, read once per process; the server sets them before it starts threads.

#[doc(hidden)]
pub mod llama;
mod matvec;
mod model;
pub mod template;
pub mod tokenizer;
mod worker;

use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc::{SyncSender, TrySendError};
use std::time::{Duration, Instant};

pub use model::{Architecture, WeightFormat};
pub use template::{ChatMessage, ChatTemplate, Role};
pub use tokenizer::GgufTokenizer;

/// Why the model cannot load or answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LlmError {
    #[error("cannot read the model file: {0}")]
    Io(String),
    #[error("the model file is damaged or not GGUF: {0}")]
    BadFile(String),
    #[error("this model is not supported: {0}")]
    Unsupported(String),
    #[error("tokenizer: {0}")]
    Tokenizer(String),
    #[error("chat template: {0}")]
    Template(String),
    #[error("the assistant is busy: {queued} requests are waiting; try again in a few seconds")]
    Busy { queued: usize },
    #[error("the model worker has stopped")]
    Stopped,
    #[error("the prompt has {tokens} tokens; this model reads at most {limit}")]
    PromptTooLong { tokens: usize, limit: usize },
    #[error("inference failed: {0}")]
    Inference(String),
}

/// How the model is loaded and queued.
#[derive(Clone, Debug)]
pub struct LlmConfig {
    pub weights: WeightFormat,
    /// Requests that may wait while one runs; one more is [`LlmError::Busy`].
    pub queue: usize,
}

impl Default for LlmConfig {
    fn default() -> Self {
        Self {
            weights: WeightFormat::default(),
            queue: 4,
        }
    }
}

/// Sampling of the next token (llama.cpp's meaning of each knob).
#[derive(Clone, Debug, PartialEq)]
pub struct Sampling {
    /// Seed of the random draw.
    pub seed: u64,
    /// Softmax temperature; 0 picks the most likely token (greedy).
    pub temperature: f64,
    /// Nucleus sampling: draw among the most likely tokens whose probabilities sum to this.
    pub top_p: f64,
    /// Divides the logit of tokens seen in the last `repeat_last_n` tokens (1 = off).
    pub repeat_penalty: f32,
    pub repeat_last_n: usize,
}

impl Default for Sampling {
    fn default() -> Self {
        Self {
            seed: 299_792_458,
            temperature: 0.2,
            top_p: 0.9,
            repeat_penalty: 1.1,
            repeat_last_n: 64,
        }
    }
}

/// Most new tokens one request may ask for.
pub const MAX_NEW_TOKENS: usize = 1024;

/// One conversation to continue.
#[derive(Clone, Debug)]
pub struct Request {
    pub messages: Vec<ChatMessage>,
    /// New tokens at most (capped at [`MAX_NEW_TOKENS`] and by the context left).
    pub max_tokens: usize,
    pub sampling: Sampling,
}

/// What a generation sends back, in order: text pieces, then one `Finished` or `Failed`.
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    /// The next piece of text (whole characters; special tokens are not shown).
    Text(String),
    Finished(Finished),
    Failed(LlmError),
}

/// Why and when a generation ended.
#[derive(Clone, Debug, PartialEq)]
pub struct Finished {
    pub reason: FinishReason,
    pub prompt_tokens: usize,
    pub generated_tokens: usize,
    /// Waiting in the queue.
    pub queued: Duration,
    /// The prompt pass, up to the first new token.
    pub prompt_time: Duration,
    /// Every token after the first.
    pub generation_time: Duration,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FinishReason {
    /// The model wrote a stop token.
    Stop,
    /// The token limit was reached.
    Length,
}

/// What was loaded.
#[derive(Clone, Debug)]
pub struct ModelInfo {
    pub architecture: Architecture,
    /// `general.name` from the file, if any.
    pub name: Option<String>,
    pub context_length: usize,
    pub vocab_size: usize,
    /// Bytes of weights held in memory.
    pub weight_bytes: usize,
    pub load_time: Duration,
}

/// Counts of what the worker did since the model loaded.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Requests answered to the end (stop token or limit).
    pub finished: u64,
    /// Requests whose reader went away; their generation stopped at the next token.
    pub cancelled: u64,
    pub failed: u64,
    pub prompt_tokens: u64,
    pub generated_tokens: u64,
    /// Time to the first new token (waiting in the queue and the prompt pass), summed over
    /// the requests that got one.
    pub time_to_first_token: Duration,
}

/// A streaming answer; drop it to stop the generation.
pub struct Generation {
    events: tokio::sync::mpsc::Receiver<Event>,
}

impl Generation {
    /// The next event, `None` after the last.
    pub async fn next(&mut self) -> Option<Event> {
        self.events.recv().await
    }

    /// The next event, blocking the thread (not for async code).
    pub fn next_blocking(&mut self) -> Option<Event> {
        self.events.blocking_recv()
    }
}

/// A loaded model and its worker thread. Cheap to clone; the worker stops when the last clone
/// is dropped and the queue is empty.
#[derive(Clone)]
pub struct Llm {
    jobs: SyncSender<worker::Job>,
    queue: usize,
    info: Arc<ModelInfo>,
    tokenizer: Arc<GgufTokenizer>,
    template: Arc<ChatTemplate>,
    stats: Arc<worker::Counters>,
}

impl Llm {
    /// Loads a GGUF file and starts its worker thread. Blocking: seconds for a small model.
    ///
    /// Errors: [`LlmError::Io`], [`LlmError::BadFile`], [`LlmError::Unsupported`],
    /// [`LlmError::Template`].
    pub fn load(path: &Path, config: &LlmConfig) -> Result<Self, LlmError> {
        let started = Instant::now();
        let loaded = model::load(path, config.weights)?;
        let tokenizer = GgufTokenizer::from_metadata(&loaded.metadata)?;
        let token_text = |key: &str| {
            loaded
                .metadata
                .get(key)
                .and_then(|v| v.to_u32().ok())
                .and_then(|id| tokenizer.token(id))
                .unwrap_or_default()
        };
        let template = ChatTemplate::new(
            loaded
                .metadata
                .get("tokenizer.chat_template")
                .and_then(|v| v.to_string().ok())
                .map(String::as_str),
            token_text("tokenizer.ggml.bos_token_id"),
            token_text("tokenizer.ggml.eos_token_id"),
        )?;
        let info = Arc::new(ModelInfo {
            architecture: loaded.architecture,
            name: loaded
                .metadata
                .get("general.name")
                .and_then(|v| v.to_string().ok())
                .cloned(),
            context_length: loaded.context_length,
            vocab_size: tokenizer.vocab_size(),
            weight_bytes: loaded.weight_bytes,
            load_time: started.elapsed(),
        });
        let tokenizer = Arc::new(tokenizer);
        let stats = Arc::new(worker::Counters::default());
        let template = Arc::new(template);
        let jobs = worker::spawn(
            worker::Worker {
                weights: loaded.weights,
                context_length: loaded.context_length,
                tokenizer: Arc::clone(&tokenizer),
                template: Arc::clone(&template),
                counters: Arc::clone(&stats),
            },
            config.queue,
        )?;
        Ok(Self {
            jobs,
            queue: config.queue,
            info,
            tokenizer,
            template,
            stats,
        })
    }

    /// Queues `request`; events stream back as the worker writes.
    ///
    /// Errors: [`LlmError::Busy`] when the queue is full, [`LlmError::Stopped`] when the worker
    /// has ended. Errors found later (a prompt too long) arrive as [`Event::Failed`].
    pub fn generate(&self, request: Request) -> Result<Generation, LlmError> {
        // Never more events than tokens + the final one: the worker never waits on a reader.
        let (events, receiver) = tokio::sync::mpsc::channel(MAX_NEW_TOKENS + 2);
        let job = worker::Job {
            request,
            events,
            queued_at: Instant::now(),
        };
        match self.jobs.try_send(job) {
            Ok(()) => Ok(Generation { events: receiver }),
            Err(TrySendError::Full(_)) => Err(LlmError::Busy { queued: self.queue }),
            Err(TrySendError::Disconnected(_)) => Err(LlmError::Stopped),
        }
    }

    /// The token ids the model reads for `messages`: the chat template rendered, special
    /// tokens removed from the messages' text (exactly what [`Llm::generate`] feeds it).
    ///
    /// Errors: [`LlmError::Template`], [`LlmError::Tokenizer`].
    pub fn prompt_tokens(&self, messages: &[ChatMessage]) -> Result<Vec<u32>, LlmError> {
        worker::prompt_tokens(&self.template, &self.tokenizer, messages)
    }

    /// What the worker has done so far.
    pub fn stats(&self) -> Stats {
        self.stats.snapshot()
    }

    pub fn info(&self) -> &ModelInfo {
        &self.info
    }

    /// The model's tokenizer (to count tokens or clean text before it goes into a prompt).
    pub fn tokenizer(&self) -> &GgufTokenizer {
        &self.tokenizer
    }
}
