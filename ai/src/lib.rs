//! The CRM's analytics maths: plain data in, plain data out.
//!
//! - [`forecast`]: revenue per period ahead with prediction intervals and backtest accuracy.
//! - [`customers`]: BG/NBD, Gamma-Gamma and customer lifetime value.
//! - [`segments`]: RFM scores and segments, cohort retention.
//! - [`recommend`]: concrete actions ranked by the value at stake, with their evidence.
//! - [`narrate`]: checks a model's narrative against the figures, dropping unsupported sentences.
//! - [`intent`]: reads a chat question (English or Russian) into the analytics tool that answers it.
//! - [`llm`]: a small local language model (GGUF on candle, CPU) on its own worker thread.
//!
//! No HTTP, no database, no GraphQL, no async runtime: `api/src/reports` gathers the figures and
//! calls in here; anything slow is the caller's to run off the async runtime (the model's worker
//! answers through a channel any runtime can read).

pub mod customers;
pub mod forecast;
pub mod intent;
mod lexicon;
pub mod llm;
pub mod narrate;
pub mod recommend;
pub mod segments;

/// Input a caller must fix: every function checks its input and says what is wrong.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum InputError {
    #[error("{what} must be between {min} and {max}")]
    OutOfRange {
        what: &'static str,
        min: usize,
        max: usize,
    },
    #[error("{what} is longer than {max}")]
    TooLong { what: &'static str, max: usize },
    #[error("value {index} is not a finite number")]
    NotFinite { index: usize },
    #[error("{what}: {why}")]
    Invalid {
        what: &'static str,
        why: &'static str,
    },
}

/// Why one model could not be fitted; callers fall back and say so, they do not fail.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ModelError {
    #[error("not enough data: {have} values, {need} needed")]
    NotEnoughData { have: usize, need: usize },
    #[error("the series has a value that is not positive")]
    NotPositive,
    #[error("the model produced a value that is not finite")]
    NotFinite,
    #[error("the optimiser failed: {0}")]
    Optimiser(String),
    #[error("{0}")]
    Library(String),
    #[error("{0} panicked")]
    Panicked(&'static str),
}
