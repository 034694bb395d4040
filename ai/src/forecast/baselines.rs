//! The simple methods written here: naive, seasonal naive and Theta (SES with drift).
//!
//! Sources: Hyndman & Athanasopoulos, *Forecasting: Principles and Practice* (3rd ed.), §5.2
//! (naive and seasonal naive, and their interval widths in §5.5); Hyndman & Billah (2003),
//! "Unmasking the Theta method", which shows Theta is simple exponential smoothing with a drift
//! of half the series' linear slope; classical decomposition (FPP §3.4) to deseasonalise first.

use argmin::core::{CostFunction, Executor};
use argmin::solver::brent::BrentOpt;

use super::{Prediction, ensure_finite};
use crate::ModelError;

/// z-values of the two central intervals every method gives.
pub(super) const Z80: f64 = 1.281_551_565_544_600_4;
pub(super) const Z95: f64 = 1.959_963_984_540_054;

/// Seasonal naive with period `m` (plain naive when `m` is 1): each forecast repeats the value
/// one season earlier. Intervals from the in-sample one-step residual variance, widened with the
/// number of whole seasons ahead: σ·√(k+1), k = ⌊(h−1)/m⌋ (FPP §5.5).
pub(super) fn seasonal_naive(
    y: &[f64],
    m: usize,
    horizon: usize,
) -> Result<Prediction, ModelError> {
    let m = m.max(1);
    if y.len() <= m {
        return Err(ModelError::NotEnoughData {
            have: y.len(),
            need: m + 1,
        });
    }
    let residuals: Vec<f64> = y.iter().zip(y.iter().skip(m)).map(|(a, b)| b - a).collect();
    let sigma = (residuals.iter().map(|e| e * e).sum::<f64>() / residuals.len() as f64).sqrt();
    let last_season = y.get(y.len() - m..).ok_or(ModelError::NotEnoughData {
        have: y.len(),
        need: m,
    })?;
    let mut prediction = Prediction::with_capacity(horizon);
    for (h, value) in last_season.iter().cycle().take(horizon).enumerate() {
        let whole_seasons = h / m;
        prediction.push(*value, sigma * ((whole_seasons + 1) as f64).sqrt());
    }
    ensure_finite(prediction)
}

/// Theta: simple exponential smoothing of the (deseasonalised) series plus a drift of half its
/// least-squares slope, as in Hyndman & Billah (2003) eq. (3):
/// ŷ(n+h) = ℓ(n) + b/2 · (h − 1 + (1 − (1−α)ⁿ)/α), with SES intervals σ·√(1 + α²(h−1)).
/// With `m` > 1 and a significant lag-`m` autocorrelation (90%, as the original M3 method), the
/// series is first divided by classical multiplicative seasonal indices (additive when a value
/// is not positive) and the forecast multiplied back.
pub(super) fn theta(y: &[f64], m: usize, horizon: usize) -> Result<Prediction, ModelError> {
    if y.len() < 3 {
        return Err(ModelError::NotEnoughData {
            have: y.len(),
            need: 3,
        });
    }
    let seasons = if m > 1 && y.len() >= 2 * m && is_seasonal(y, m) {
        Some(SeasonalIndices::classical(y, m)?)
    } else {
        None
    };
    let adjusted: Vec<f64> = match &seasons {
        Some(s) => y.iter().enumerate().map(|(t, v)| s.remove(t, *v)).collect(),
        None => y.to_vec(),
    };
    let fit = Ses::fit(&adjusted)?;
    let n = adjusted.len() as f64;
    let drift = least_squares_slope(&adjusted) / 2.0;
    let alpha = fit.alpha;
    let drift_start = (1.0 - (1.0 - alpha).powf(n)) / alpha;
    let mut prediction = Prediction::with_capacity(horizon);
    for h in 0..horizon {
        let point = fit.level + drift * (h as f64 + drift_start);
        let se = fit.sigma * (1.0 + alpha * alpha * h as f64).sqrt();
        match &seasons {
            Some(s) => {
                let t = y.len() + h;
                prediction.push_bounds(
                    s.restore(t, point),
                    [
                        s.restore(t, point - Z80 * se),
                        s.restore(t, point + Z80 * se),
                    ],
                    [
                        s.restore(t, point - Z95 * se),
                        s.restore(t, point + Z95 * se),
                    ],
                );
            }
            None => prediction.push(point, se),
        }
    }
    ensure_finite(prediction)
}

/// Whether the lag-`m` autocorrelation is significant at 90% (Bartlett's standard error), the
/// seasonality test of the M3 Theta method.
fn is_seasonal(y: &[f64], m: usize) -> bool {
    let n = y.len() as f64;
    let mean = y.iter().sum::<f64>() / n;
    let variance: f64 = y.iter().map(|v| (v - mean).powi(2)).sum();
    if variance <= 0.0 {
        return false;
    }
    let acf = |lag: usize| -> f64 {
        y.iter()
            .zip(y.iter().skip(lag))
            .map(|(a, b)| (a - mean) * (b - mean))
            .sum::<f64>()
            / variance
    };
    let earlier: f64 = (1..m).map(|k| acf(k).powi(2)).sum();
    let limit = 1.645 * ((1.0 + 2.0 * earlier) / n).sqrt();
    acf(m).abs() > limit
}

fn least_squares_slope(y: &[f64]) -> f64 {
    let n = y.len() as f64;
    let mean_t = (n - 1.0) / 2.0;
    let mean_y = y.iter().sum::<f64>() / n;
    let (mut sxy, mut sxx) = (0.0, 0.0);
    for (t, v) in y.iter().enumerate() {
        let dt = t as f64 - mean_t;
        sxy += dt * (v - mean_y);
        sxx += dt * dt;
    }
    if sxx > 0.0 { sxy / sxx } else { 0.0 }
}

/// Classical decomposition's seasonal indices (FPP §3.4): the series over its centred moving
/// average, averaged per position in the season and normalised.
struct SeasonalIndices {
    indices: Vec<f64>,
    multiplicative: bool,
}

impl SeasonalIndices {
    fn classical(y: &[f64], m: usize) -> Result<Self, ModelError> {
        let multiplicative = y.iter().all(|v| *v > 0.0);
        let trend = centred_moving_average(y, m);
        let mut sums = vec![0.0; m];
        let mut counts = vec![0usize; m];
        for (t, (v, c)) in y.iter().zip(&trend).enumerate() {
            let Some(c) = c else { continue };
            let detrended = if multiplicative { v / c } else { v - c };
            if let (Some(s), Some(k)) = (sums.get_mut(t % m), counts.get_mut(t % m)) {
                *s += detrended;
                *k += 1;
            }
        }
        if counts.contains(&0) {
            return Err(ModelError::NotEnoughData {
                have: y.len(),
                need: 2 * m,
            });
        }
        let mut indices: Vec<f64> = sums
            .iter()
            .zip(&counts)
            .map(|(s, k)| s / *k as f64)
            .collect();
        let mean = indices.iter().sum::<f64>() / m as f64;
        for index in &mut indices {
            if multiplicative {
                *index /= mean
            } else {
                *index -= mean
            }
        }
        Ok(Self {
            indices,
            multiplicative,
        })
    }

    fn index(&self, t: usize) -> f64 {
        let neutral = if self.multiplicative { 1.0 } else { 0.0 };
        self.indices
            .get(t % self.indices.len().max(1))
            .copied()
            .unwrap_or(neutral)
    }

    fn remove(&self, t: usize, value: f64) -> f64 {
        if self.multiplicative {
            value / self.index(t)
        } else {
            value - self.index(t)
        }
    }

    fn restore(&self, t: usize, value: f64) -> f64 {
        if self.multiplicative {
            value * self.index(t)
        } else {
            value + self.index(t)
        }
    }
}

/// The m-period centred moving average (a 2×m average when m is even); `None` at the ends.
fn centred_moving_average(y: &[f64], m: usize) -> Vec<Option<f64>> {
    let n = y.len();
    let half = m / 2;
    (0..n)
        .map(|t| {
            if t < half || t + half >= n {
                return None;
            }
            let window = y.get(t - half..=t + half)?;
            if m % 2 == 1 {
                return Some(window.iter().sum::<f64>() / m as f64);
            }
            let (first, last) = (window.first()?, window.last()?);
            let inner: f64 = window.iter().sum::<f64>() - first - last;
            Some((inner + (first + last) / 2.0) / m as f64)
        })
        .collect()
}

/// Simple exponential smoothing fitted by least squares: α by Brent's method on (0, 1) (argmin),
/// the initial level in closed form for each α (the one-step errors are linear in it).
struct Ses {
    alpha: f64,
    level: f64,
    sigma: f64,
}

struct SesCost<'a>(&'a [f64]);

impl CostFunction for SesCost<'_> {
    type Param = f64;
    type Output = f64;
    fn cost(&self, alpha: &f64) -> Result<f64, argmin::core::Error> {
        Ok(Ses::with_alpha(self.0, *alpha).1)
    }
}

impl Ses {
    const ALPHA_RANGE: (f64, f64) = (1e-4, 0.9999);

    fn fit(y: &[f64]) -> Result<Self, ModelError> {
        let solver = BrentOpt::new(Self::ALPHA_RANGE.0, Self::ALPHA_RANGE.1);
        let result = Executor::new(SesCost(y), solver)
            .configure(|state| state.max_iters(100))
            .run()
            .map_err(|e| ModelError::Optimiser(e.to_string()))?;
        let alpha = result.state.best_param.unwrap_or(0.5);
        let (level, sse) = Self::with_alpha(y, alpha);
        let dof = y.len().saturating_sub(2).max(1) as f64;
        Ok(Self {
            alpha,
            level,
            sigma: (sse / dof).sqrt(),
        })
    }

    /// The final level and the sum of squared one-step errors for `alpha`, with the initial level
    /// that minimises them: ℓ(t) = A(t) + B(t)·ℓ0, so SSE is a parabola in ℓ0.
    fn with_alpha(y: &[f64], alpha: f64) -> (f64, f64) {
        let (mut a, mut b) = (0.0, 1.0);
        let (mut num, mut den) = (0.0, 0.0);
        for v in y {
            num += b * (v - a);
            den += b * b;
            a = alpha * v + (1.0 - alpha) * a;
            b *= 1.0 - alpha;
        }
        let level0 = if den > 0.0 { num / den } else { 0.0 };
        let (mut level, mut sse) = (level0, 0.0);
        for v in y {
            sse += (v - level).powi(2);
            level = alpha * v + (1.0 - alpha) * level;
        }
        (level, sse)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::indexing_slicing, clippy::unwrap_used)]
    use super::*;

    #[test]
    fn seasonal_naive_repeats_the_last_season_and_widens_per_season() {
        let y = [1.0, 2.0, 3.0, 2.0, 3.0, 4.0];
        let p = seasonal_naive(&y, 3, 5).unwrap();
        assert_eq!(p.point, vec![2.0, 3.0, 4.0, 2.0, 3.0]);
        let width = |h: usize| p.upper80[h] - p.lower80[h];
        assert!((width(3) / width(0) - 2f64.sqrt()).abs() < 1e-12);
    }

    #[test]
    fn ses_recovers_a_constant_level() {
        let fit = Ses::fit(&[5.0; 20]).unwrap();
        assert!((fit.level - 5.0).abs() < 1e-9);
        assert!(fit.sigma < 1e-9);
    }

    #[test]
    fn theta_follows_a_straight_line() {
        let y: Vec<f64> = (0..40).map(|t| 10.0 + 2.0 * t as f64).collect();
        let p = theta(&y, 1, 3).unwrap();
        // A line is forecast with SES (α → 1, level = last value) plus half the slope per step,
        // so Theta under-shoots a pure line by design: 88 + 1·(h + ~1).
        for (h, value) in p.point.iter().enumerate() {
            let expected = 88.0 + 1.0 * (h as f64 + 1.0);
            assert!(
                (value - expected).abs() < 0.2,
                "h={h}: {value} vs {expected}"
            );
        }
    }
}
