//! A tokenizer built from a GGUF file's own metadata, producing llama.cpp's token ids.
//!
//! Only byte-level BPE vocabularies (`tokenizer.ggml.model = "gpt2"`, used by SmolLM2, Llama 3,
//! Qwen 2 and 3) are supported; SentencePiece (`"llama"`) vocabularies are refused with a clear
//! error. The pre-tokenizer follows `tokenizer.ggml.pre`, the name llama.cpp reads there
//! (`src/llama-vocab.cpp`, `LLAMA_VOCAB_PRE_TYPE_*`):
//! - `smollm`: every digit on its own, then GPT-2's byte-level split;
//! - `qwen2`, `llama-bpe` (Llama 3), `deepseek-r1-qwen`: their regex, then byte-level bytes;
//! - anything else: GPT-2's byte-level split (llama.cpp's default).
//!
//! Tokens typed control (3) or user-defined (4) in `tokenizer.ggml.token_type` are special: they
//! are recognised in prompt text by [`GgufTokenizer::encode`] and never in user text, which goes
//! through [`GgufTokenizer::encode_plain`] or is cleaned by [`GgufTokenizer::strip_special`].

use std::collections::HashMap;

use candle_core::quantized::gguf_file::Value;
use tokenizers::decoders::byte_level::ByteLevel as ByteLevelDecoder;
use tokenizers::models::bpe::{BPE, Merges, Vocab};
use tokenizers::pre_tokenizers::PreTokenizerWrapper;
use tokenizers::pre_tokenizers::byte_level::ByteLevel;
use tokenizers::pre_tokenizers::digits::Digits;
use tokenizers::pre_tokenizers::sequence::Sequence;
use tokenizers::pre_tokenizers::split::{Split, SplitPattern};
use tokenizers::{AddedToken, SplitDelimiterBehavior, Tokenizer};

use super::LlmError;

/// Llama 3's pre-tokenizer regex (llama.cpp `LLAMA_VOCAB_PRE_TYPE_LLAMA3`).
const LLAMA3_REGEX: &str = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";
/// Qwen 2's pre-tokenizer regex (llama.cpp `LLAMA_VOCAB_PRE_TYPE_QWEN2`): single digits.
const QWEN2_REGEX: &str = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

/// Token types in `tokenizer.ggml.token_type` (llama.cpp `llama_token_type`).
const TOKEN_TYPE_CONTROL: i32 = 3;
const TOKEN_TYPE_USER_DEFINED: i32 = 4;

/// Names of end-of-turn tokens across chat formats; any present in the vocabulary stops generation.
const END_OF_TURN: [&str; 5] = [
    "<|im_end|>",
    "<|endoftext|>",
    "<|eot_id|>",
    "<end_of_turn>",
    "<|end|>",
];

/// The tokenizer of one model file.
#[derive(Clone)]
pub struct GgufTokenizer {
    /// Special tokens in text are split out as single ids.
    with_special: Tokenizer,
    /// Special tokens in text are encoded as ordinary text.
    plain: Tokenizer,
    special: Vec<String>,
    eos: Option<u32>,
    stop: Vec<u32>,
}

impl GgufTokenizer {
    /// Builds the tokenizer from the GGUF metadata.
    ///
    /// Errors: [`LlmError::Unsupported`] for a non-BPE vocabulary, [`LlmError::BadFile`] when a
    /// key is missing or of the wrong type.
    pub fn from_metadata(metadata: &HashMap<String, Value>) -> Result<Self, LlmError> {
        let model = string(metadata, "tokenizer.ggml.model")?;
        if model != "gpt2" {
            return Err(LlmError::Unsupported(format!(
                "tokenizer model \"{model}\" (only byte-level BPE, \"gpt2\", is supported)"
            )));
        }
        let tokens = strings(metadata, "tokenizer.ggml.tokens")?;
        let merges = strings(metadata, "tokenizer.ggml.merges")?;
        let types: Vec<i32> = match metadata.get("tokenizer.ggml.token_type") {
            Some(value) => value
                .to_vec()
                .map_err(bad("tokenizer.ggml.token_type"))?
                .iter()
                .map(|v| v.to_i32().map_err(bad("tokenizer.ggml.token_type")))
                .collect::<Result<_, _>>()?,
            None => Vec::new(),
        };
        let vocab: Vocab = tokens
            .iter()
            .enumerate()
            .map(|(id, token)| Ok(((*token).to_owned(), id_u32(id)?)))
            .collect::<Result<_, LlmError>>()?;
        let merges: Merges = merges
            .iter()
            .map(|merge| {
                merge
                    .split_once(' ')
                    .map(|(a, b)| (a.to_owned(), b.to_owned()))
                    .ok_or_else(|| LlmError::BadFile(format!("merge \"{merge}\" has no space")))
            })
            .collect::<Result<_, _>>()?;
        let bpe = BPE::builder()
            .vocab_and_merges(vocab, merges)
            .build()
            .map_err(|e| LlmError::BadFile(format!("BPE vocabulary: {e}")))?;

        let pre = metadata
            .get("tokenizer.ggml.pre")
            .and_then(|v| v.to_string().ok())
            .map_or("default", String::as_str);
        let mut tokenizer = Tokenizer::new(bpe);
        tokenizer.with_pre_tokenizer(Some(pre_tokenizer(pre)?));
        tokenizer.with_decoder(Some(ByteLevelDecoder::default()));

        let special: Vec<String> = tokens
            .iter()
            .zip(types.iter().copied().chain(std::iter::repeat(1)))
            .filter(|(_, kind)| matches!(*kind, TOKEN_TYPE_CONTROL | TOKEN_TYPE_USER_DEFINED))
            .map(|(token, _)| (*token).to_owned())
            .filter(|token| !token.is_empty())
            .collect();
        let added: Vec<AddedToken> = special
            .iter()
            .map(|token| AddedToken::from(token.clone(), true))
            .collect();
        tokenizer
            .add_special_tokens(added)
            .map_err(|e| LlmError::Tokenizer(e.to_string()))?;
        let mut plain = tokenizer.clone();
        plain.set_encode_special_tokens(true);

        let eos = metadata
            .get("tokenizer.ggml.eos_token_id")
            .and_then(|v| v.to_u32().ok());
        let mut stop: Vec<u32> = END_OF_TURN
            .iter()
            .filter_map(|name| tokenizer.token_to_id(name))
            .chain(eos)
            .collect();
        stop.sort_unstable();
        stop.dedup();
        Ok(Self {
            with_special: tokenizer,
            plain,
            special,
            eos,
            stop,
        })
    }

    /// Token ids of prompt text, special tokens (`<|im_start|>`…) recognised. No BOS is added:
    /// chat templates write their own.
    pub fn encode(&self, text: &str) -> Result<Vec<u32>, LlmError> {
        encode_with(&self.with_special, text)
    }

    /// Token ids of user text: a special token's spelling is encoded as ordinary text.
    pub fn encode_plain(&self, text: &str) -> Result<Vec<u32>, LlmError> {
        encode_with(&self.plain, text)
    }

    /// Text of ids, special tokens included as their spelling.
    pub fn decode(&self, ids: &[u32]) -> Result<String, LlmError> {
        self.with_special
            .decode(ids, false)
            .map_err(|e| LlmError::Tokenizer(e.to_string()))
    }

    /// A decoder of generated ids one at a time, keeping only the few ids a partial character
    /// needs (tokenizers' `DecodeStream`): each step costs the same however long the text.
    pub fn decode_stream(&self) -> IncrementalDecoder<'_> {
        IncrementalDecoder {
            stream: self.with_special.decode_stream(false),
        }
    }

    /// `text` without any special token's spelling: what goes into a prompt from a user or from
    /// data, so that it cannot close the turn or open a new one.
    pub fn strip_special(&self, text: &str) -> String {
        let mut out = text.to_owned();
        // A removal can join two halves into a new token ("<|im_<|im_end|>end|>"): repeat.
        loop {
            let before = out.len();
            for token in &self.special {
                if out.contains(token.as_str()) {
                    out = out.replace(token.as_str(), "");
                }
            }
            if out.len() == before {
                return out;
            }
        }
    }

    /// Ids that end an answer: the file's end-of-sequence id and every end-of-turn token present.
    pub fn stop_ids(&self) -> &[u32] {
        &self.stop
    }

    /// The file's end-of-sequence id, when it names one.
    pub fn eos(&self) -> Option<u32> {
        self.eos
    }

    /// The spelling of one token id.
    pub fn token(&self, id: u32) -> Option<String> {
        self.with_special.id_to_token(id)
    }

    /// Number of ids in the vocabulary, special tokens included.
    pub fn vocab_size(&self) -> usize {
        self.with_special.get_vocab_size(true)
    }
}

fn encode_with(tokenizer: &Tokenizer, text: &str) -> Result<Vec<u32>, LlmError> {
    tokenizer
        .encode_fast(text, false)
        .map(|encoding| encoding.get_ids().to_vec())
        .map_err(|e| LlmError::Tokenizer(e.to_string()))
}

fn pre_tokenizer(name: &str) -> Result<PreTokenizerWrapper, LlmError> {
    let regex_then_bytes = |regex: &str| -> Result<PreTokenizerWrapper, LlmError> {
        let split = Split::new(
            SplitPattern::Regex(regex.to_owned()),
            SplitDelimiterBehavior::Isolated,
            false,
        )
        .map_err(|e| LlmError::Tokenizer(e.to_string()))?;
        Ok(Sequence::new(vec![
            split.into(),
            ByteLevel::new(false, true, false).into(),
        ])
        .into())
    };
    Ok(match name {
        "smollm" => Sequence::new(vec![
            Digits::new(true).into(),
            ByteLevel::new(false, true, true).into(),
        ])
        .into(),
        "qwen2" | "deepseek-r1-qwen" => regex_then_bytes(QWEN2_REGEX)?,
        "llama-bpe" | "llama3" => regex_then_bytes(LLAMA3_REGEX)?,
        _ => ByteLevel::new(false, true, true).into(),
    })
}

fn string<'a>(metadata: &'a HashMap<String, Value>, key: &str) -> Result<&'a str, LlmError> {
    metadata
        .get(key)
        .ok_or_else(|| LlmError::BadFile(format!("metadata has no {key}")))?
        .to_string()
        .map(String::as_str)
        .map_err(bad(key))
}

fn strings<'a>(metadata: &'a HashMap<String, Value>, key: &str) -> Result<Vec<&'a str>, LlmError> {
    metadata
        .get(key)
        .ok_or_else(|| LlmError::BadFile(format!("metadata has no {key}")))?
        .to_vec()
        .map_err(bad(key))?
        .iter()
        .map(|v| v.to_string().map(String::as_str).map_err(bad(key)))
        .collect()
}

fn bad(key: &str) -> impl Fn(candle_core::Error) -> LlmError + '_ {
    move |e| LlmError::BadFile(format!("{key}: {e}"))
}

fn id_u32(id: usize) -> Result<u32, LlmError> {
    u32::try_from(id).map_err(|_| LlmError::BadFile("vocabulary larger than 2^32".to_owned()))
}

/// Text of generated ids, one id at a time ([`GgufTokenizer::decode_stream`]).
pub struct IncrementalDecoder<'a> {
    stream: tokenizers::DecodeStream<
        'a,
        tokenizers::ModelWrapper,
        tokenizers::NormalizerWrapper,
        tokenizers::PreTokenizerWrapper,
        tokenizers::PostProcessorWrapper,
        tokenizers::DecoderWrapper,
    >,
}

impl IncrementalDecoder<'_> {
    /// The text `id` adds, once it ends on a whole character (`None` while a character's bytes
    /// are split across ids).
    ///
    /// # Errors
    /// [`LlmError::Tokenizer`] for an id the vocabulary lacks.
    pub fn step(&mut self, id: u32) -> Result<Option<String>, LlmError> {
        self.stream
            .step(id)
            .map_err(|e| LlmError::Tokenizer(e.to_string()))
    }
}
