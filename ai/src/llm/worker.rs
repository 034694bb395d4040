//! The worker thread: owns the weights and the KV cache, runs one request at a time.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::time::{Duration, Instant};

use candle_transformers::generation::{LogitsProcessor, Sampling as Draw};
use candle_transformers::utils::apply_repeat_penalty;

use super::model::Weights;
use super::{
    ChatMessage, ChatTemplate, Event, FinishReason, Finished, GgufTokenizer, LlmError,
    MAX_NEW_TOKENS, Request, Stats,
};

pub(super) struct Job {
    pub request: Request,
    pub events: tokio::sync::mpsc::Sender<Event>,
    pub queued_at: Instant,
}

pub(super) struct Worker {
    pub weights: Weights,
    pub context_length: usize,
    pub tokenizer: Arc<GgufTokenizer>,
    pub template: Arc<ChatTemplate>,
    pub counters: Arc<Counters>,
}

#[derive(Default)]
pub(super) struct Counters {
    finished: AtomicU64,
    cancelled: AtomicU64,
    failed: AtomicU64,
    prompt_tokens: AtomicU64,
    generated_tokens: AtomicU64,
    first_token_micros: AtomicU64,
}

impl Counters {
    pub fn snapshot(&self) -> Stats {
        Stats {
            finished: self.finished.load(Ordering::Relaxed),
            cancelled: self.cancelled.load(Ordering::Relaxed),
            failed: self.failed.load(Ordering::Relaxed),
            prompt_tokens: self.prompt_tokens.load(Ordering::Relaxed),
            generated_tokens: self.generated_tokens.load(Ordering::Relaxed),
            time_to_first_token: Duration::from_micros(
                self.first_token_micros.load(Ordering::Relaxed),
            ),
        }
    }

    fn add(counter: &AtomicU64, n: usize) {
        counter.fetch_add(u64::try_from(n).unwrap_or(u64::MAX), Ordering::Relaxed);
    }
}

pub(super) fn spawn(mut worker: Worker, queue: usize) -> Result<SyncSender<Job>, LlmError> {
    let (jobs, receiver) = sync_channel(queue);
    std::thread::Builder::new()
        .name("llm-worker".to_owned())
        .spawn(move || worker.serve(&receiver))
        .map_err(|e| LlmError::Inference(format!("cannot start the worker thread: {e}")))?;
    Ok(jobs)
}

/// The template rendered for `messages` with special tokens removed from their text, encoded.
pub(super) fn prompt_tokens(
    template: &ChatTemplate,
    tokenizer: &GgufTokenizer,
    messages: &[ChatMessage],
) -> Result<Vec<u32>, LlmError> {
    let messages: Vec<ChatMessage> = messages
        .iter()
        .map(|m| ChatMessage {
            role: m.role,
            content: tokenizer.strip_special(&m.content),
        })
        .collect();
    tokenizer.encode(&template.render(&messages)?)
}

impl Worker {
    fn serve(&mut self, jobs: &Receiver<Job>) {
        while let Ok(job) = jobs.recv() {
            let counters = Arc::clone(&self.counters);
            if job.events.is_closed() {
                Counters::add(&counters.cancelled, 1);
                continue;
            }
            let events = job.events.clone();
            let outcome = catch_unwind(AssertUnwindSafe(|| self.run(&job)));
            let last = match outcome {
                Ok(Ok(Some(finished))) => {
                    Counters::add(&counters.finished, 1);
                    Event::Finished(finished)
                }
                Ok(Ok(None)) => {
                    Counters::add(&counters.cancelled, 1);
                    continue;
                }
                Ok(Err(error)) => {
                    Counters::add(&counters.failed, 1);
                    Event::Failed(error)
                }
                Err(_) => {
                    Counters::add(&counters.failed, 1);
                    Event::Failed(LlmError::Inference("the model panicked".to_owned()))
                }
            };
            // The reader may have gone; nothing to tell then.
            let _ = events.try_send(last);
        }
    }

    /// Runs one request; `Ok(None)` when the reader went away.
    fn run(&mut self, job: &Job) -> Result<Option<Finished>, LlmError> {
        let started = Instant::now();
        let request = &job.request;
        let prompt_ids = prompt_tokens(&self.template, &self.tokenizer, &request.messages)?;
        let limit = self.context_length;
        if prompt_ids.len() >= limit {
            return Err(LlmError::PromptTooLong {
                tokens: prompt_ids.len(),
                limit: limit.saturating_sub(1),
            });
        }
        let max_tokens = request
            .max_tokens
            .min(MAX_NEW_TOKENS)
            .min(limit - prompt_ids.len());
        let sampling = &request.sampling;
        let draw = if sampling.temperature <= 0.0 {
            Draw::ArgMax
        } else if sampling.top_p > 0.0 && sampling.top_p < 1.0 {
            Draw::TopP {
                p: sampling.top_p,
                temperature: sampling.temperature,
            }
        } else {
            Draw::All {
                temperature: sampling.temperature,
            }
        };
        let mut sampler = LogitsProcessor::from_sampling(sampling.seed, draw);
        let inference = |e: candle_core::Error| LlmError::Inference(e.to_string());

        self.weights.clear();
        Counters::add(&self.counters.prompt_tokens, prompt_ids.len());
        let mut all = prompt_ids.clone();
        let mut generated: Vec<u32> = Vec::new();
        let mut decoder = self.tokenizer.decode_stream();
        let mut prompt_time = Duration::ZERO;
        let mut reason = FinishReason::Length;
        let mut input: Vec<u32> = prompt_ids.clone();
        while generated.len() < max_tokens {
            if job.events.is_closed() {
                return Ok(None);
            }
            let logits = self
                .weights
                .forward(&input, all.len() - input.len())
                .map_err(inference)?;
            let logits = if sampling.repeat_penalty == 1.0 {
                logits
            } else {
                let from = all.len().saturating_sub(sampling.repeat_last_n);
                apply_repeat_penalty(
                    &logits,
                    sampling.repeat_penalty,
                    all.get(from..).unwrap_or(&[]),
                )
                .map_err(inference)?
            };
            let next = sampler.sample(&logits).map_err(inference)?;
            if generated.is_empty() {
                prompt_time = started.elapsed();
                let first = started.saturating_duration_since(job.queued_at) + prompt_time;
                self.counters.first_token_micros.fetch_add(
                    u64::try_from(first.as_micros()).unwrap_or(u64::MAX),
                    Ordering::Relaxed,
                );
            }
            if self.tokenizer.stop_ids().contains(&next) {
                reason = FinishReason::Stop;
                break;
            }
            generated.push(next);
            Counters::add(&self.counters.generated_tokens, 1);
            all.push(next);
            input = vec![next];
            // Send what the id adds once it ends on a whole character.
            if let Some(piece) = decoder.step(next)?.filter(|p| !p.is_empty())
                && job.events.try_send(Event::Text(piece)).is_err()
            {
                return Ok(None);
            }
        }
        let generation_time = started.elapsed().saturating_sub(prompt_time);
        Ok(Some(Finished {
            reason,
            prompt_tokens: prompt_ids.len(),
            generated_tokens: generated.len(),
            queued: started.saturating_duration_since(job.queued_at),
            prompt_time,
            generation_time,
        }))
    }
}
