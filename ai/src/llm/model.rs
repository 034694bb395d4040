//! Loading a GGUF file into one of candle's quantized transformer models.
//!
//! The architecture comes from the file (`general.architecture`): `llama` (SmolLM2, Llama,
//! Mistral…) through our [`super::llama`] (candle's `quantized_llama` for mixture-of-experts
//! files), `qwen2` and `qwen3` through candle's quantized modules. Weight types without a SIMD
//! kernel in candle 0.11 (Q4_1, Q5_0, Q5_1 run a scalar loop) are re-quantised to Q8_0 at load,
//! which has AVX2 kernels; except Q4_1 in a llama on an AVX2 CPU, which stays 4-bit for our own
//! kernels ([`super::matvec`]). With [`WeightFormat::F32`], every matrix is dequantised so that
//! the batched f32 GEMM runs.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Cursor, Read, Seek};
use std::path::Path;

use candle_core::quantized::gguf_file::{self, Content, Value};
use candle_core::quantized::{GgmlDType, QTensor};
use candle_core::{Device, Tensor};
use candle_transformers::models::{quantized_llama, quantized_qwen2, quantized_qwen3};

use super::LlmError;
use super::llama::Llama;
use super::matvec;

/// A transformer family candle runs from GGUF.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Architecture {
    Llama,
    Qwen2,
    Qwen3,
}

impl Architecture {
    /// The `general.architecture` spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Llama => "llama",
            Self::Qwen2 => "qwen2",
            Self::Qwen3 => "qwen3",
        }
    }
}

/// How matrices are held once loaded.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum WeightFormat {
    /// Quantized; types without fast kernels re-quantised to Q8_0 (~1.06 bytes per weight;
    /// a llama's Q4_1 stays 4-bit, 0.75 bytes with f32 scales, on CPUs with AVX2).
    /// The default: a llama model ([`super::llama`]) multiplies a prompt through an f32 copy of
    /// one matrix at a time, so its prompt pass is as fast as with [`WeightFormat::F32`], and
    /// generation, which reads every weight per token, is faster with a quarter of the bytes
    /// (README, "The assistant's model", gives the figures). Qwen models run candle's
    /// quantized kernels for the prompt too, several times slower than f32.
    #[default]
    Quantized,
    /// Dequantised to f32 (4 bytes per weight): batched GEMM for long prompts.
    F32,
}

pub(crate) enum Weights {
    Llama(Llama),
    /// A llama file [`Llama`] does not run (experts).
    LlamaCandle(quantized_llama::ModelWeights),
    Qwen2(quantized_qwen2::ModelWeights),
    Qwen3(quantized_qwen3::ModelWeights),
}

/// A loaded model: its weights, what the file says about it, and its limits.
pub(crate) struct Loaded {
    pub weights: Weights,
    pub architecture: Architecture,
    pub metadata: HashMap<String, Value>,
    /// Tokens the model attends to: the file's context length, capped by candle's tables.
    pub context_length: usize,
    /// Bytes of tensor data in the file's format (after any re-quantisation at load); the
    /// packed matrices of [`super::matvec`] hold up to a fifth more (f32 block scales).
    pub weight_bytes: usize,
}

/// Longest context candle's quantized llama precomputes rotary tables for.
const LLAMA_MAX_CONTEXT: usize = quantized_llama::MAX_SEQ_LEN;

pub(crate) fn load(path: &Path, format: WeightFormat) -> Result<Loaded, LlmError> {
    let file = File::open(path)
        .map_err(|e| LlmError::Io(format!("cannot open {}: {e}", path.display())))?;
    let mut reader = BufReader::new(file);
    let content = Content::read(&mut reader).map_err(|e| LlmError::BadFile(e.to_string()))?;
    let architecture = match content
        .metadata
        .get("general.architecture")
        .and_then(|v| v.to_string().ok())
        .map(String::as_str)
    {
        Some("llama") => Architecture::Llama,
        Some("qwen2") => Architecture::Qwen2,
        Some("qwen3") => Architecture::Qwen3,
        Some(other) => {
            return Err(LlmError::Unsupported(format!(
                "architecture \"{other}\" (llama, qwen2 and qwen3 are supported)"
            )));
        }
        None => return Err(LlmError::BadFile("no general.architecture".to_owned())),
    };
    let metadata = content.metadata.clone();
    let context_length = metadata
        .get(&format!("{}.context_length", architecture.as_str()))
        .and_then(|v| v.to_u32().ok())
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(2048);
    let context_length = match architecture {
        Architecture::Llama => context_length.min(LLAMA_MAX_CONTEXT),
        _ => context_length,
    };

    // Our llama keeps 4-bit weights: it has kernels for them (`matvec`).
    let keep_q4 = architecture == Architecture::Llama && matvec::fast() && Llama::runs(&content);
    let target = |info: &gguf_file::TensorInfo| {
        target_type(info.ggml_dtype, info.shape.dims(), format, keep_q4)
    };
    let needs_conversion = content
        .tensor_infos
        .values()
        .any(|info| target(info).is_some());
    let (weights, weight_bytes) = if needs_conversion {
        let (bytes, size) = convert(&content, &mut reader, format, keep_q4)?;
        let mut cursor = Cursor::new(bytes);
        let content = Content::read(&mut cursor).map_err(|e| LlmError::BadFile(e.to_string()))?;
        (
            build(architecture, content, &mut cursor, context_length)?,
            size,
        )
    } else {
        let size = content
            .tensor_infos
            .values()
            .map(|info| tensor_bytes(info.ggml_dtype, info.shape.elem_count()))
            .sum();
        (
            build(architecture, content, &mut reader, context_length)?,
            size,
        )
    };
    Ok(Loaded {
        weights,
        architecture,
        metadata,
        context_length,
        weight_bytes,
    })
}

fn build<R: Read + Seek>(
    architecture: Architecture,
    content: Content,
    reader: &mut R,
    context_length: usize,
) -> Result<Weights, LlmError> {
    let device = Device::Cpu;
    let weights = match architecture {
        Architecture::Llama => match Llama::from_gguf(&content, reader, context_length) {
            Ok(Some(model)) => Ok(Weights::Llama(model)),
            Ok(None) => quantized_llama::ModelWeights::from_gguf(content, reader, &device)
                .map(Weights::LlamaCandle),
            Err(e) => Err(e),
        },
        Architecture::Qwen2 => {
            quantized_qwen2::ModelWeights::from_gguf(content, reader, &device).map(Weights::Qwen2)
        }
        Architecture::Qwen3 => {
            quantized_qwen3::ModelWeights::from_gguf(content, reader, &device).map(Weights::Qwen3)
        }
    };
    weights.map_err(|e| LlmError::BadFile(format!("{}: {e}", architecture.as_str())))
}

/// The type a tensor is converted to at load, or `None` to keep it.
fn target_type(
    dtype: GgmlDType,
    dims: &[usize],
    format: WeightFormat,
    keep_q4: bool,
) -> Option<GgmlDType> {
    let is_matrix = dims.len() == 2;
    match format {
        WeightFormat::Quantized => match dtype {
            GgmlDType::Q4_1 if keep_q4 => None,
            GgmlDType::Q4_1 | GgmlDType::Q5_0 | GgmlDType::Q5_1 => Some(GgmlDType::Q8_0),
            _ => None,
        },
        WeightFormat::F32 => {
            (is_matrix && !matches!(dtype, GgmlDType::F32)).then_some(GgmlDType::F32)
        }
    }
}

fn tensor_bytes(dtype: GgmlDType, elements: usize) -> usize {
    elements / dtype.block_size() * dtype.type_size()
}

/// Rewrites the file in memory with converted tensors; returns the bytes and the tensor bytes.
fn convert<R: Read + Seek>(
    content: &Content,
    reader: &mut R,
    format: WeightFormat,
    keep_q4: bool,
) -> Result<(Vec<u8>, usize), LlmError> {
    let device = Device::Cpu;
    let mut tensors: Vec<(String, QTensor)> = Vec::with_capacity(content.tensor_infos.len());
    let mut names: Vec<&String> = content.tensor_infos.keys().collect();
    names.sort_by_key(|name| content.tensor_infos.get(*name).map(|info| info.offset));
    for name in names {
        let tensor = content
            .tensor(reader, name, &device)
            .map_err(|e| LlmError::BadFile(format!("{name}: {e}")))?;
        let tensor = match target_type(tensor.dtype(), tensor.shape().dims(), format, keep_q4) {
            Some(target) => requantize(&tensor, target)
                .map_err(|e| LlmError::BadFile(format!("{name}: {e}")))?,
            None => tensor,
        };
        tensors.push((name.clone(), tensor));
    }
    let size = tensors.iter().map(|(_, t)| t.storage_size_in_bytes()).sum();
    let metadata: Vec<(&str, &Value)> = content
        .metadata
        .iter()
        .map(|(k, v)| (k.as_str(), v))
        .collect();
    let refs: Vec<(&str, &QTensor)> = tensors.iter().map(|(n, t)| (n.as_str(), t)).collect();
    let mut out = Cursor::new(Vec::with_capacity(size + (1 << 20)));
    gguf_file::write(&mut out, &metadata, &refs).map_err(|e| LlmError::BadFile(e.to_string()))?;
    Ok((out.into_inner(), size))
}

fn requantize(tensor: &QTensor, target: GgmlDType) -> candle_core::Result<QTensor> {
    let values: Tensor = tensor.dequantize(&Device::Cpu)?;
    QTensor::quantize(&values, target)
}

impl Weights {
    /// Logits of the token after `tokens` (shape `(vocab,)`), given that `position` tokens are
    /// already in the KV cache.
    pub(crate) fn forward(
        &mut self,
        tokens: &[u32],
        position: usize,
    ) -> candle_core::Result<Tensor> {
        let input = Tensor::new(tokens, &Device::Cpu)?.unsqueeze(0)?;
        let logits = match self {
            Self::Llama(m) => m.forward(&input, position)?,
            Self::LlamaCandle(m) => m.forward(&input, position)?,
            Self::Qwen2(m) => m.forward(&input, position)?,
            Self::Qwen3(m) => m.forward(&input, position)?,
        };
        logits.squeeze(0)
    }

    /// Empties the KV cache before a new conversation.
    pub(crate) fn clear(&mut self) {
        match self {
            Self::Llama(m) => m.clear_kv_cache(),
            Self::LlamaCandle(m) => m.clear_kv_cache(),
            Self::Qwen2(m) => m.clear_kv_cache(),
            Self::Qwen3(m) => m.clear_kv_cache(),
        }
    }
}
