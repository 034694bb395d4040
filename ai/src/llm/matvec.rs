//! Quantized matrix × vector products for generating one token at a time on x86-64.
//!
//! Generating a token reads every weight of the model once, so its speed is that of one
//! matrix × vector product per weight matrix. candle 0.11 has no SIMD kernel for Q4_1 (the
//! default model's type; a scalar loop), and its Q8_0 kernel converts two f16 scales per block
//! of 32 weights and reloads the activations for every row. Here a matrix is packed once at load
//! into blocks with f32 scales ([`PackedMatrix`]), the activations are quantized once per
//! product to 8 bits with their block sums (ggml's Q8_1), and four rows share each activation
//! load, with AVX2 and FMA chosen at run time ([`fast`]). The arithmetic is ggml's
//! (`ggml_vec_dot_q4_1_q8_1`, `ggml_vec_dot_q8_0_q8_0`; Gerganov et al., ggml): integer dot
//! products of each block, scaled in f32:
//! - Q4_1 weights `w = d·q + m` (`q` in 0..=15), against activations `x ≈ dₓ·qₓ` with
//!   `sₓ = dₓ·Σqₓ`: `d·dₓ·Σ q·qₓ + m·sₓ` per block;
//! - Q8_0 weights `w = d·q` (`q` in −128..=127): `d·dₓ·Σ q·qₓ`.
//!
//! Q4_1 stays 4-bit (0.75 bytes per weight with its f32 scales, against 1.06 for the Q8_0 copy
//! candle needs), so a token reads 30 % fewer bytes, and the products are the same as
//! llama.cpp's on the file as shipped. Q8_0 takes 36 bytes per block here against 34 in the
//! file (an f32 scale instead of f16). Q4_0 is left to candle, which has an AVX2 kernel for it
//! at 18 bytes per block. A portable scalar kernel does the same sums where AVX2
//! is missing and is the reference of the tests.

// The SIMD kernels load through raw pointers (std::arch has no safe unaligned load) and call
// `#[target_feature]` functions after checking the CPU has the feature; each block says why it
// is sound.
#![allow(unsafe_code)]

use candle_core::quantized::{GgmlDType, QTensor};
use candle_core::{Result, Tensor};
use rayon::prelude::*;

/// Weights and activations per block.
const BLOCK: usize = 32;

/// 32 weights `d·q + m`; weight `j` is the low nibble of `qs[j]`, weight `j + 16` its high
/// nibble (ggml's Q4_1 layout).
#[derive(Clone, Copy, Debug)]
#[repr(C)]
struct BlockQ4 {
    d: f32,
    m: f32,
    qs: [u8; BLOCK / 2],
}

/// 32 weights `d·q`.
#[derive(Clone, Copy, Debug)]
#[repr(C)]
struct BlockQ8 {
    d: f32,
    qs: [i8; BLOCK],
}

/// 32 activations `≈ d·q`, with `s = d·Σq` (ggml's Q8_1).
#[derive(Clone, Copy, Debug, Default)]
#[repr(C)]
struct BlockX {
    d: f32,
    s: f32,
    qs: [i8; BLOCK],
}

#[derive(Debug)]
enum Blocks {
    Q4(Vec<BlockQ4>),
    Q8(Vec<BlockQ8>),
}

/// A weight matrix `(rows, cols)`, row-major in blocks of 32 along `cols`.
#[derive(Debug)]
pub(crate) struct PackedMatrix {
    rows: usize,
    cols: usize,
    blocks: Blocks,
}

/// Whether this CPU runs the SIMD kernels (x86-64 with AVX2 and FMA). Elsewhere candle's own
/// kernels (NEON on ARM) are faster than the scalar ones here.
pub(crate) fn fast() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("fma")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// Whether [`PackedMatrix::from_qtensor`] takes tensors of this type.
pub(crate) fn packs(dtype: GgmlDType) -> bool {
    matches!(dtype, GgmlDType::Q4_1 | GgmlDType::Q8_0)
}

/// The f16 at `at` (little-endian), as f32.
fn half(bytes: &[u8], at: usize) -> f32 {
    let pair = [
        bytes.get(at).copied().unwrap_or(0),
        bytes.get(at + 1).copied().unwrap_or(0),
    ];
    half::f16::from_le_bytes(pair).to_f32()
}

impl PackedMatrix {
    /// Packs a 2-D Q4_1 or Q8_0 tensor `(rows, cols)`.
    ///
    /// # Errors
    /// Another type or rank, an empty matrix, or `cols` not a multiple of 32.
    pub(crate) fn from_qtensor(tensor: &QTensor) -> Result<Self> {
        let (rows, cols) = tensor.shape().dims2()?;
        if rows == 0 || cols == 0 || !cols.is_multiple_of(BLOCK) {
            candle_core::bail!("a {rows}×{cols} matrix is not packed (whole blocks of {BLOCK})");
        }
        let data = tensor.data()?;
        let n = rows * cols / BLOCK;
        let blocks = match tensor.dtype() {
            GgmlDType::Q4_1 => Blocks::Q4(
                data.chunks_exact(20)
                    .map(|b| BlockQ4 {
                        d: half(b, 0),
                        m: half(b, 2),
                        qs: nibbles(b.get(4..).unwrap_or(&[])),
                    })
                    .collect(),
            ),
            GgmlDType::Q8_0 => Blocks::Q8(
                data.chunks_exact(34)
                    .map(|b| {
                        let mut qs = [0i8; BLOCK];
                        for (q, &byte) in qs.iter_mut().zip(b.get(2..).unwrap_or(&[])) {
                            *q = i8::from_le_bytes([byte]);
                        }
                        BlockQ8 { d: half(b, 0), qs }
                    })
                    .collect(),
            ),
            other => candle_core::bail!("{other:?} is not packed"),
        };
        let len = match &blocks {
            Blocks::Q4(b) => b.len(),
            Blocks::Q8(b) => b.len(),
        };
        if len != n {
            candle_core::bail!("{len} blocks for a {rows}×{cols} matrix");
        }
        Ok(Self { rows, cols, blocks })
    }

    pub(crate) fn rows(&self) -> usize {
        self.rows
    }

    pub(crate) fn cols(&self) -> usize {
        self.cols
    }

    /// The matrix in f32, `(rows, cols)`.
    pub(crate) fn dequantize(&self) -> Result<Tensor> {
        let mut values = Vec::with_capacity(self.rows * self.cols);
        match &self.blocks {
            Blocks::Q4(blocks) => {
                for b in blocks {
                    let q = unpack(&b.qs);
                    values.extend(q.iter().map(|&q| b.d * f32::from(q) + b.m));
                }
            }
            Blocks::Q8(blocks) => {
                for b in blocks {
                    values.extend(b.qs.iter().map(|&q| b.d * f32::from(q)));
                }
            }
        }
        Tensor::from_vec(values, (self.rows, self.cols), &candle_core::Device::Cpu)
    }

    /// `out = W·x` for one vector `x` of `cols` values; `out` holds `rows`.
    ///
    /// # Errors
    /// `x` or `out` of the wrong length.
    pub(crate) fn matvec(&self, x: &[f32], out: &mut [f32]) -> Result<()> {
        if x.len() != self.cols || out.len() != self.rows {
            candle_core::bail!(
                "{}×{} matrix, vector of {}, output of {}",
                self.rows,
                self.cols,
                x.len(),
                out.len()
            );
        }
        let x = quantize(x);
        let kernel = Kernel::chosen();
        // Rows in chunks of whole quads; several threads only when the model was given them.
        let chunk = 64;
        let run = |(i, out): (usize, &mut [f32])| self.rows_with(kernel, &x, i * chunk, out);
        if rayon::current_num_threads() > 1 && self.rows >= 4 * chunk {
            out.par_chunks_mut(chunk).enumerate().for_each(run);
        } else {
            out.chunks_mut(chunk).enumerate().for_each(run);
        }
        Ok(())
    }

    /// Rows `first..first + out.len()` of `W·x` with `kernel`.
    fn rows_with(&self, kernel: Kernel, x: &[BlockX], first: usize, out: &mut [f32]) {
        let per_row = self.cols / BLOCK;
        match &self.blocks {
            Blocks::Q4(b) => rows(b, per_row, first, out, |w| match kernel {
                Kernel::Scalar => w.map(|row| scalar::dot_q4(row, x)),
                // SAFETY: `Kernel::Avx2` is chosen only when the CPU has AVX2 and FMA.
                #[cfg(target_arch = "x86_64")]
                Kernel::Avx2 => unsafe { avx2::dot4_q4(w, x) },
            }),
            Blocks::Q8(b) => rows(b, per_row, first, out, |w| match kernel {
                Kernel::Scalar => w.map(|row| scalar::dot_q8(row, x)),
                // SAFETY: as above.
                #[cfg(target_arch = "x86_64")]
                Kernel::Avx2 => unsafe { avx2::dot4_q8(w, x) },
            }),
        }
    }
}

fn nibbles(bytes: &[u8]) -> [u8; BLOCK / 2] {
    let mut qs = [0u8; BLOCK / 2];
    for (q, &b) in qs.iter_mut().zip(bytes) {
        *q = b;
    }
    qs
}

/// The 32 weights of a block, 0..=15.
fn unpack(qs: &[u8; BLOCK / 2]) -> [u8; BLOCK] {
    let mut q = [0u8; BLOCK];
    let (low, high) = q.split_at_mut(BLOCK / 2);
    for ((l, h), &b) in low.iter_mut().zip(high.iter_mut()).zip(qs) {
        *l = b & 0x0f;
        *h = b >> 4;
    }
    q
}

/// Activations to 8 bits per block: `d = max|x| / 127`, `q = round(x / d)`.
fn quantize(x: &[f32]) -> Vec<BlockX> {
    x.chunks_exact(BLOCK)
        .map(|xs| {
            let amax = xs.iter().fold(0f32, |m, v| m.max(v.abs()));
            let d = amax / 127.0;
            let inverse = if d == 0.0 { 0.0 } else { 1.0 / d };
            let mut block = BlockX {
                d,
                ..BlockX::default()
            };
            let mut sum = 0i32;
            for (q, &v) in block.qs.iter_mut().zip(xs) {
                // |v·inverse| ≤ 127 by the choice of d.
                #[allow(clippy::as_conversions, clippy::cast_possible_truncation)]
                let r = (v * inverse).round() as i8;
                *q = r;
                sum += i32::from(r);
            }
            #[allow(clippy::as_conversions, clippy::cast_precision_loss)]
            let s = d * sum as f32;
            block.s = s;
            block
        })
        .collect()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kernel {
    Scalar,
    #[cfg(target_arch = "x86_64")]
    Avx2,
}

impl Kernel {
    fn chosen() -> Self {
        #[cfg(target_arch = "x86_64")]
        if fast() {
            return Self::Avx2;
        }
        Self::Scalar
    }
}

/// Four rows starting at `first`: the rows past the matrix repeat its last row (their results
/// are not written).
fn quad<T>(blocks: &[T], per_row: usize, first: usize, rows: usize) -> [&[T]; 4] {
    let row = |r: usize| {
        let r = r.min(rows - 1);
        blocks.get(r * per_row..(r + 1) * per_row).unwrap_or(&[])
    };
    [row(first), row(first + 1), row(first + 2), row(first + 3)]
}

fn write4(out: &mut [f32], at: usize, dots: [f32; 4]) {
    for (o, d) in out.iter_mut().skip(at).take(4).zip(dots) {
        *o = d;
    }
}

/// Rows `first..first + out.len()` of a matrix of `per_row` blocks per row, four at a time.
fn rows<T>(
    blocks: &[T],
    per_row: usize,
    first: usize,
    out: &mut [f32],
    dot4: impl Fn([&[T]; 4]) -> [f32; 4],
) {
    let rows = blocks.len() / per_row.max(1);
    for at in (0..out.len()).step_by(4) {
        write4(out, at, dot4(quad(blocks, per_row, first + at, rows)));
    }
}

mod scalar {
    use super::{BlockQ4, BlockQ8, BlockX, unpack};

    #[allow(clippy::as_conversions, clippy::cast_precision_loss)]
    pub(super) fn dot_q4(w: &[BlockQ4], x: &[BlockX]) -> f32 {
        w.iter()
            .zip(x)
            .map(|(w, x)| {
                let q = unpack(&w.qs);
                let dot: i32 = q
                    .iter()
                    .zip(&x.qs)
                    .map(|(&a, &b)| i32::from(a) * i32::from(b))
                    .sum();
                w.d * x.d * dot as f32 + w.m * x.s
            })
            .sum()
    }

    #[allow(clippy::as_conversions, clippy::cast_precision_loss)]
    pub(super) fn dot_q8(w: &[BlockQ8], x: &[BlockX]) -> f32 {
        w.iter()
            .zip(x)
            .map(|(w, x)| {
                let dot: i32 =
                    w.qs.iter()
                        .zip(&x.qs)
                        .map(|(&a, &b)| i32::from(a) * i32::from(b))
                        .sum();
                w.d * x.d * dot as f32
            })
            .sum()
    }
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    use std::arch::x86_64::{
        __m256, __m256i, _mm_add_ps, _mm_add_ss, _mm_cvtss_f32, _mm_loadu_si128, _mm_movehdup_ps,
        _mm_movehl_ps, _mm_srli_epi16, _mm256_and_si256, _mm256_castps256_ps128,
        _mm256_cvtepi32_ps, _mm256_extractf128_ps, _mm256_fmadd_ps, _mm256_loadu_si256,
        _mm256_madd_epi16, _mm256_maddubs_epi16, _mm256_set_m128i, _mm256_set1_epi8,
        _mm256_set1_epi16, _mm256_set1_ps, _mm256_setzero_ps, _mm256_sign_epi8,
    };

    use super::{BLOCK, BlockQ4, BlockQ8, BlockX};

    #[target_feature(enable = "avx2,fma")]
    fn sum(v: __m256) -> f32 {
        let s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps::<1>(v));
        let s = _mm_add_ps(s, _mm_movehl_ps(s, s));
        _mm_cvtss_f32(_mm_add_ss(s, _mm_movehdup_ps(s)))
    }

    #[target_feature(enable = "avx2,fma")]
    fn load(qs: &[i8; BLOCK]) -> __m256i {
        // SAFETY: 32 readable bytes; the load has no alignment requirement.
        unsafe { _mm256_loadu_si256(qs.as_ptr().cast()) }
    }

    /// The 32 weights of a Q4 block as bytes 0..=15, in element order.
    #[target_feature(enable = "avx2,fma")]
    fn weights(qs: &[u8; BLOCK / 2]) -> __m256i {
        // SAFETY: 16 readable bytes; the load has no alignment requirement.
        let low = unsafe { _mm_loadu_si128(qs.as_ptr().cast()) };
        let both = _mm256_set_m128i(_mm_srli_epi16::<4>(low), low);
        _mm256_and_si256(both, _mm256_set1_epi8(0x0f))
    }

    /// `acc + scale · Σ u·y` over the block, eight partial sums; `u` unsigned, products of
    /// pairs within i16 (|u| ≤ 128, |y| ≤ 127).
    #[target_feature(enable = "avx2,fma")]
    fn step(acc: __m256, scale: f32, u: __m256i, y: __m256i) -> __m256 {
        let pairs = _mm256_maddubs_epi16(u, y);
        let quads = _mm256_madd_epi16(pairs, _mm256_set1_epi16(1));
        _mm256_fmadd_ps(_mm256_set1_ps(scale), _mm256_cvtepi32_ps(quads), acc)
    }

    /// Dot products of four Q4 rows with `x`.
    #[target_feature(enable = "avx2,fma")]
    pub(super) fn dot4_q4(w: [&[BlockQ4]; 4], x: &[BlockX]) -> [f32; 4] {
        let [r0, r1, r2, r3] = w;
        let mut acc = [_mm256_setzero_ps(); 4];
        let mut min = [0f32; 4];
        for ((((w0, w1), w2), w3), xb) in r0.iter().zip(r1).zip(r2).zip(r3).zip(x) {
            let y = load(&xb.qs);
            for (i, w) in [w0, w1, w2, w3].into_iter().enumerate() {
                if let (Some(a), Some(m)) = (acc.get_mut(i), min.get_mut(i)) {
                    *a = step(*a, w.d * xb.d, weights(&w.qs), y);
                    *m += w.m * xb.s;
                }
            }
        }
        let [a0, a1, a2, a3] = acc;
        let [m0, m1, m2, m3] = min;
        [sum(a0) + m0, sum(a1) + m1, sum(a2) + m2, sum(a3) + m3]
    }

    /// Dot products of four Q8 rows with `x`: `|w|·sign(y, w)` keeps the first operand
    /// unsigned.
    #[target_feature(enable = "avx2,fma")]
    pub(super) fn dot4_q8(w: [&[BlockQ8]; 4], x: &[BlockX]) -> [f32; 4] {
        let [r0, r1, r2, r3] = w;
        let mut acc = [_mm256_setzero_ps(); 4];
        for ((((w0, w1), w2), w3), xb) in r0.iter().zip(r1).zip(r2).zip(r3).zip(x) {
            let y = load(&xb.qs);
            for (a, w) in acc.iter_mut().zip([w0, w1, w2, w3]) {
                let q = load(&w.qs);
                *a = step(
                    *a,
                    w.d * xb.d,
                    _mm256_sign_epi8(q, q),
                    _mm256_sign_epi8(y, q),
                );
            }
        }
        acc.map(|a| sum(a))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::{Device, Module};
    use crm_test_support::tiny_model::noise;

    /// `W·x` in f64 from the dequantized weights.
    fn reference(w: &Tensor, x: &[f32]) -> Vec<f64> {
        let w: Vec<Vec<f32>> = w.to_vec2().unwrap();
        w.iter()
            .map(|row| {
                row.iter()
                    .zip(x)
                    .map(|(&a, &b)| f64::from(a) * f64::from(b))
                    .sum()
            })
            .collect()
    }

    #[test]
    fn products_match_the_dequantized_matrix_for_every_type_and_kernel() {
        // 70 rows: quads plus a tail of two.
        let (rows, cols) = (70, 128);
        let values =
            Tensor::from_vec(noise(rows * cols, 7, 0.5), (rows, cols), &Device::Cpu).unwrap();
        let x = noise(cols, 11, 0.5);
        for dtype in [GgmlDType::Q4_1, GgmlDType::Q8_0] {
            let q = QTensor::quantize(&values, dtype).unwrap();
            let packed = PackedMatrix::from_qtensor(&q).unwrap();
            // Our unpacking equals candle's dequantization of the same blocks.
            let ours = packed.dequantize().unwrap();
            let theirs = q.dequantize(&Device::Cpu).unwrap();
            let gap = (&ours - &theirs)
                .unwrap()
                .abs()
                .unwrap()
                .max_all()
                .unwrap()
                .to_scalar::<f32>()
                .unwrap();
            assert!(gap < 1e-6, "{dtype:?}: dequantized differ by {gap}");

            let exact = reference(&theirs, &x);
            let scale = exact.iter().fold(0f64, |m, v| m.max(v.abs()));
            let xq = quantize(&x);
            let mut kernels = vec![Kernel::Scalar];
            if fast() {
                kernels.push(Kernel::chosen());
            }
            let mut results = Vec::new();
            for kernel in kernels {
                let mut out = vec![f32::NAN; rows];
                packed.rows_with(kernel, &xq, 0, &mut out);
                for (i, (&o, &e)) in out.iter().zip(&exact).enumerate() {
                    // Rounding the activations to 8 bits: about 1 % of the largest product.
                    assert!(
                        (f64::from(o) - e).abs() < 0.02 * scale,
                        "{dtype:?} {kernel:?} row {i}: {o} vs {e}"
                    );
                }
                results.push(out);
            }
            // The SIMD kernel sums the same integers: equal to float rounding.
            if let [scalar, simd] = results.as_slice() {
                for (a, b) in scalar.iter().zip(simd) {
                    assert!((a - b).abs() <= 1e-5 * (1.0 + a.abs()), "{a} vs {b}");
                }
            }
            // Exactly: against the f64 product with the activations as quantized.
            let xd: Vec<f32> = xq
                .iter()
                .flat_map(|b| b.qs.iter().map(move |&q| b.d * f32::from(q)))
                .collect();
            let exact_q = reference(&theirs, &xd);
            for out in &results {
                for (i, (&o, &e)) in out.iter().zip(&exact_q).enumerate() {
                    assert!(
                        (f64::from(o) - e).abs() < 1e-5 * (1.0 + scale),
                        "{dtype:?} row {i}: {o} vs {e} with the quantized activations"
                    );
                }
            }
            // candle's own quantized product (rows of whole pairs of blocks for its Q4_1 kernel).
            let xt = Tensor::from_vec(x.clone(), (1, cols), &Device::Cpu).unwrap();
            let candle: Vec<f32> = candle_core::quantized::QMatMul::from_qtensor(q)
                .unwrap()
                .forward(&xt)
                .unwrap()
                .flatten_all()
                .unwrap()
                .to_vec1()
                .unwrap();
            let worst = candle
                .iter()
                .zip(&exact_q)
                .map(|(&c, &e)| (f64::from(c) - e).abs())
                .fold(0.0, f64::max);
            // Its activation scales are f16, ours f32: measured 0.03 % of the largest product.
            assert!(worst < 1e-3 * scale, "{dtype:?}: candle differs by {worst}");
            // The public entry point, with the kernel this CPU has.
            let mut out = vec![0.0; rows];
            packed.matvec(&x, &mut out).unwrap();
            assert_eq!(out, *results.last().unwrap());
            assert!(packed.matvec(&x[1..], &mut out).is_err());
        }
    }

    #[test]
    fn other_types_and_partial_blocks_are_refused() {
        let values = Tensor::from_vec(noise(4 * 256, 3, 0.5), (4, 256), &Device::Cpu).unwrap();
        let q = QTensor::quantize(&values, GgmlDType::Q4K).unwrap();
        assert!(PackedMatrix::from_qtensor(&q).is_err());
        assert!(!packs(GgmlDType::Q5_1) && !packs(GgmlDType::Q4_0) && packs(GgmlDType::Q4_1));
    }

    #[test]
    fn rows_split_across_threads_give_the_same_products() {
        // 300 rows: chunks of 64 on two threads, the last chunk partial.
        let (rows, cols) = (300, 64);
        let values =
            Tensor::from_vec(noise(rows * cols, 5, 0.5), (rows, cols), &Device::Cpu).unwrap();
        let x = noise(cols, 13, 0.5);
        for dtype in [GgmlDType::Q4_1, GgmlDType::Q8_0] {
            let packed =
                PackedMatrix::from_qtensor(&QTensor::quantize(&values, dtype).unwrap()).unwrap();
            let mut one = vec![0.0; rows];
            rayon::ThreadPoolBuilder::new()
                .num_threads(1)
                .build()
                .unwrap()
                .install(|| packed.matvec(&x, &mut one))
                .unwrap();
            let mut two = vec![0.0; rows];
            rayon::ThreadPoolBuilder::new()
                .num_threads(2)
                .build()
                .unwrap()
                .install(|| packed.matvec(&x, &mut two))
                .unwrap();
            assert_eq!(one, two, "{dtype:?}");
            let mut whole = vec![0.0; rows];
            packed.rows_with(Kernel::chosen(), &quantize(&x), 0, &mut whole);
            assert_eq!(one, whole, "{dtype:?}");
        }
        let empty = Tensor::zeros((0, 64), candle_core::DType::F32, &Device::Cpu).unwrap();
        if let Ok(q) = QTensor::quantize(&empty, GgmlDType::Q8_0) {
            assert!(PackedMatrix::from_qtensor(&q).is_err());
        }
    }
}
