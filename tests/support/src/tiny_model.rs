//! Tiny GGUF language models with random weights, for tests of the model runtime and of
//! everything that loads a model: llama, qwen2 or qwen3 layouts as llama.cpp writes them,
//! a byte-level BPE vocabulary of 256 bytes, two merges and three ChatML special tokens.
//! The output layer never favours a special token or a byte outside printable ASCII, so greedy
//! decoding runs to the token limit in readable text.

use std::path::{Path, PathBuf};

pub use candle_core::quantized::GgmlDType;
use candle_core::quantized::QTensor;
use candle_core::quantized::gguf_file::{self, Value};
use candle_core::{Device, Tensor};

/// Which layout to write (`general.architecture`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arch {
    Llama,
    Qwen2,
    Qwen3,
}

impl Arch {
    pub fn name(self) -> &'static str {
        match self {
            Self::Llama => "llama",
            Self::Qwen2 => "qwen2",
            Self::Qwen3 => "qwen3",
        }
    }
}

pub const HIDDEN: usize = 128;
pub const HEADS: usize = 4;
pub const KV_HEADS: usize = 2;
pub const HEAD_DIM: usize = HIDDEN / HEADS;
pub const FFN: usize = 256;
pub const LAYERS: usize = 4;
/// Tokens the model reads at most (`<arch>.context_length`).
pub const CONTEXT: usize = 2048;
const SPECIALS: [&str; 3] = ["<|im_start|>", "<|im_end|>", "<|endoftext|>"];
const MERGES: [(&str, &str); 2] = [("Ġ", "t"), ("h", "e")];

/// GPT-2's byte-to-character table (the byte-level BPE alphabet).
fn byte_chars() -> Vec<char> {
    let printable =
        |b: u32| (33..=126).contains(&b) || (161..=172).contains(&b) || (174..=255).contains(&b);
    let mut next = 256;
    (0u32..256)
        .map(|b| {
            let code = if printable(b) {
                b
            } else {
                next += 1;
                next - 1
            };
            char::from_u32(code).unwrap_or('?')
        })
        .collect()
}

/// Deterministic values in [-scale, scale).
pub fn noise(n: usize, seed: u64, scale: f32) -> Vec<f32> {
    let mut state = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
    (0..n)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((state >> 40) as f32 / (1u64 << 24) as f32 * 2.0 - 1.0) * scale
        })
        .collect()
}

/// Writes a tiny model of `arch` with matrices in `dtype` into `dir`; returns its path.
pub fn write(dir: &Path, arch: Arch, dtype: GgmlDType) -> candle_core::Result<PathBuf> {
    let name = arch.name();
    let mut tokens: Vec<String> = byte_chars().iter().map(|c| c.to_string()).collect();
    tokens.extend(MERGES.iter().map(|(a, b)| format!("{a}{b}")));
    let first_special = tokens.len();
    tokens.extend(SPECIALS.iter().map(|s| (*s).to_owned()));
    let vocab = tokens.len();
    let types: Vec<Value> = (0..vocab)
        .map(|i| Value::I32(if i >= first_special { 3 } else { 1 }))
        .collect();

    let device = Device::Cpu;
    let mut seed = 0u64;
    let mut matrix = |rows: usize, cols: usize| {
        seed += 1;
        let t = Tensor::from_vec(noise(rows * cols, seed, 0.4), (rows, cols), &device)?;
        QTensor::quantize(&t, dtype)
    };
    let vector = |n: usize, value: f32| {
        QTensor::quantize(
            &Tensor::from_vec(vec![value; n], n, &Device::Cpu)?,
            GgmlDType::F32,
        )
    };
    let mut tensors: Vec<(String, QTensor)> = vec![
        ("token_embd.weight".into(), matrix(vocab, HIDDEN)?),
        ("output_norm.weight".into(), vector(HIDDEN, 1.0)?),
    ];
    // The output layer: rows of specials and of bytes other than printable ASCII are zero (id
    // `b` < 256 is byte `b`), the rest random.
    let mut out = noise(vocab * HIDDEN, 99, 0.4);
    for (id, row) in out.chunks_mut(HIDDEN).enumerate() {
        let readable = (32..127).contains(&id) || (256..first_special).contains(&id);
        if !readable {
            row.fill(0.0);
        }
    }
    let out = Tensor::from_vec(out, (vocab, HIDDEN), &device)?;
    tensors.push(("output.weight".into(), QTensor::quantize(&out, dtype)?));
    for layer in 0..LAYERS {
        let p = format!("blk.{layer}");
        tensors.push((format!("{p}.attn_norm.weight"), vector(HIDDEN, 1.0)?));
        tensors.push((format!("{p}.ffn_norm.weight"), vector(HIDDEN, 1.0)?));
        tensors.push((
            format!("{p}.attn_q.weight"),
            matrix(HEADS * HEAD_DIM, HIDDEN)?,
        ));
        tensors.push((
            format!("{p}.attn_k.weight"),
            matrix(KV_HEADS * HEAD_DIM, HIDDEN)?,
        ));
        tensors.push((
            format!("{p}.attn_v.weight"),
            matrix(KV_HEADS * HEAD_DIM, HIDDEN)?,
        ));
        tensors.push((
            format!("{p}.attn_output.weight"),
            matrix(HIDDEN, HEADS * HEAD_DIM)?,
        ));
        tensors.push((format!("{p}.ffn_gate.weight"), matrix(FFN, HIDDEN)?));
        tensors.push((format!("{p}.ffn_up.weight"), matrix(FFN, HIDDEN)?));
        tensors.push((format!("{p}.ffn_down.weight"), matrix(HIDDEN, FFN)?));
        if arch == Arch::Qwen2 {
            tensors.push((format!("{p}.attn_q.bias"), vector(HEADS * HEAD_DIM, 0.01)?));
            tensors.push((
                format!("{p}.attn_k.bias"),
                vector(KV_HEADS * HEAD_DIM, 0.01)?,
            ));
            tensors.push((
                format!("{p}.attn_v.bias"),
                vector(KV_HEADS * HEAD_DIM, 0.01)?,
            ));
        }
        if arch == Arch::Qwen3 {
            tensors.push((format!("{p}.attn_q_norm.weight"), vector(HEAD_DIM, 1.0)?));
            tensors.push((format!("{p}.attn_k_norm.weight"), vector(HEAD_DIM, 1.0)?));
        }
    }

    let u32v = |n: usize| Value::U32(n as u32);
    let mut metadata: Vec<(String, Value)> = vec![
        ("general.architecture".into(), Value::String(name.into())),
        ("general.name".into(), Value::String(format!("tiny-{name}"))),
        (format!("{name}.context_length"), u32v(CONTEXT)),
        (format!("{name}.embedding_length"), u32v(HIDDEN)),
        (format!("{name}.block_count"), u32v(LAYERS)),
        (format!("{name}.feed_forward_length"), u32v(FFN)),
        (format!("{name}.attention.head_count"), u32v(HEADS)),
        (format!("{name}.attention.head_count_kv"), u32v(KV_HEADS)),
        (
            format!("{name}.attention.layer_norm_rms_epsilon"),
            Value::F32(1e-6),
        ),
        (format!("{name}.rope.freq_base"), Value::F32(10_000.0)),
        (format!("{name}.rope.dimension_count"), u32v(HEAD_DIM)),
        (format!("{name}.attention.key_length"), u32v(HEAD_DIM)),
        (format!("{name}.attention.value_length"), u32v(HEAD_DIM)),
        ("tokenizer.ggml.model".into(), Value::String("gpt2".into())),
        (
            "tokenizer.ggml.pre".into(),
            Value::String(
                if arch == Arch::Llama {
                    "smollm"
                } else {
                    "qwen2"
                }
                .into(),
            ),
        ),
        (
            "tokenizer.ggml.tokens".into(),
            Value::Array(tokens.iter().cloned().map(Value::String).collect()),
        ),
        ("tokenizer.ggml.token_type".into(), Value::Array(types)),
        (
            "tokenizer.ggml.merges".into(),
            Value::Array(
                MERGES
                    .iter()
                    .map(|(a, b)| Value::String(format!("{a} {b}")))
                    .collect(),
            ),
        ),
        ("tokenizer.ggml.bos_token_id".into(), u32v(first_special)),
        (
            "tokenizer.ggml.eos_token_id".into(),
            u32v(first_special + 1),
        ),
    ];
    if arch == Arch::Qwen3 {
        // A template of the Qwen kind: Python string methods and a namespace.
        metadata.push((
            "tokenizer.chat_template".into(),
            Value::String("{%- for m in messages %}{{ '<|im_start|>' + m.role + '\\n' + m.content.strip() + '<|im_end|>\\n' }}{%- endfor %}{%- if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{%- endif %}".into()),
        ));
    }
    let path = dir.join(format!("tiny-{name}-{dtype:?}.gguf"));
    let mut file = std::fs::File::create(&path)?;
    let md: Vec<(&str, &Value)> = metadata.iter().map(|(k, v)| (k.as_str(), v)).collect();
    let ts: Vec<(&str, &QTensor)> = tensors.iter().map(|(k, v)| (k.as_str(), v)).collect();
    gguf_file::write(&mut file, &md, &ts)?;
    Ok(path)
}
