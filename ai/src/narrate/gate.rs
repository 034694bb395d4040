//! Checking a narrative while the model writes it: text is let through a whole sentence at a
//! time, and only once [`check::filter`] keeps it and the narrative so far is worth showing.
//!
//! ```
//! use crm_ai::narrate::{check::Facts, gate::Gate};
//!
//! let mut gate = Gate::new(Facts::default().number(1_240_000.0).percent(12.5));
//! let mut shown = String::new();
//! for piece in ["Revenue was 1,240,000 RUB", ". It grew 12.5%", ". Margins hit 40%", ". Good", " work."] {
//!     shown.push_str(&gate.push(piece));
//! }
//! // The third sentence states a number the facts lack: never shown.
//! assert_eq!(shown, "Revenue was 1,240,000 RUB. It grew 12.5%.");
//! let checked = gate.finish();
//! assert_eq!(checked.kept, "Revenue was 1,240,000 RUB. It grew 12.5%. Good work.");
//! assert_eq!(checked.dropped.len(), 1);
//! ```
//!
//! A sentence counts as finished once the next one has begun (the last one at [`Gate::finish`]),
//! so a number is never shown half written ("1" of "1.24M"). What was shown is always the start
//! of the final kept text, unless the final check finds the narrative no longer worth showing
//! ([`check::Checked::usable`]): then the caller withdraws what it showed.

use super::check::{self, Checked, Facts};
use super::sentences::split;

/// A narrative being written, and how much of it was let through.
#[derive(Clone, Debug)]
pub struct Gate {
    facts: Facts,
    text: String,
    shown: String,
    min_sentences: usize,
}

impl Gate {
    /// A gate that shows text once [`Checked::MIN_SENTENCES`] sentences are kept.
    pub fn new(facts: Facts) -> Self {
        Self::with_min_sentences(facts, Checked::MIN_SENTENCES)
    }

    /// A gate that shows text once `min_sentences` sentences are kept.
    pub fn with_min_sentences(facts: Facts, min_sentences: usize) -> Self {
        Self {
            facts,
            text: String::new(),
            shown: String::new(),
            min_sentences,
        }
    }

    /// Adds what the model wrote next and returns the checked text to show now (often empty).
    /// Text past [`check::MAX_TEXT_BYTES`] is not read.
    pub fn push(&mut self, piece: &str) -> String {
        if self.text.len() > check::MAX_TEXT_BYTES {
            return String::new();
        }
        self.text.push_str(piece);
        let sentences = split(&self.text);
        // The last sentence may still be growing; those before it are finished.
        let Some(finished) = sentences
            .len()
            .checked_sub(2)
            .and_then(|i| sentences.get(i))
        else {
            return String::new();
        };
        let head = self.text.get(..finished.end).unwrap_or_default();
        let checked = check::filter(head, &self.facts);
        self.show(&checked)
    }

    /// Everything the model wrote.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The text shown so far.
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// The final check of the whole narrative, once the model has stopped. A last sentence
    /// without its closing `.`, `!`, `?` or `…` (the model ran out of tokens mid-sentence) is
    /// left out: half a claim is not shown.
    pub fn finish(self) -> Checked {
        let sentences = split(&self.text);
        let end = match sentences.last() {
            Some(last) if !ends_a_sentence(last.text) => last.start,
            _ => self.text.len(),
        };
        check::filter(self.text.get(..end).unwrap_or_default(), &self.facts)
    }

    fn show(&mut self, checked: &Checked) -> String {
        if !checked.usable(self.min_sentences) {
            return String::new();
        }
        let Some(new) = checked.kept.strip_prefix(self.shown.as_str()) else {
            return String::new();
        };
        let new = new.to_owned();
        self.shown.push_str(&new);
        new
    }
}

/// Whether `sentence` ends as a finished sentence does: with `.`, `!`, `?` or `…`, closing
/// quotes and brackets allowed after it.
fn ends_a_sentence(sentence: &str) -> bool {
    sentence
        .trim_end_matches(['"', '\'', '»', '”', '’', ')', ']', '*'])
        .ends_with(['.', '!', '?', '…'])
}
