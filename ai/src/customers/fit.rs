//! Maximum-likelihood fits: the mean negative log-likelihood and its analytic gradient in the
//! log-parameters, minimised by argmin's L-BFGS with a Moré–Thuente line search.

use std::cell::RefCell;

use argmin::core::{CostFunction, Executor, Gradient, TerminationReason, TerminationStatus};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;
use serde::Serialize;
use statrs::function::gamma::{digamma, ln_gamma};

use super::{BgNbd, Customer, FitError, GammaGamma, Spender};

/// A fitted model and how far to trust it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Fit<P> {
    pub params: P,
    /// Total log-likelihood at `params`, in the caller's units.
    pub log_likelihood: f64,
    /// Customers the model was fitted on.
    pub customers: usize,
    /// Whether L-BFGS met its gradient or cost tolerance (not just ran out of iterations).
    pub converged: bool,
    pub iterations: u64,
}

const MAX_ITERATIONS: u64 = 1_000;

/// The last point evaluated: parameters, cost, gradient.
type Evaluated = (Vec<f64>, f64, Vec<f64>);

/// An objective with its gradient from one pass, cached for the line search's paired calls.
struct Objective<F: Fn(&[f64]) -> (f64, Vec<f64>)> {
    eval: F,
    last: RefCell<Option<Evaluated>>,
}

impl<F: Fn(&[f64]) -> (f64, Vec<f64>)> Objective<F> {
    fn new(eval: F) -> Self {
        Self {
            eval,
            last: RefCell::new(None),
        }
    }

    fn at(&self, theta: &[f64]) -> (f64, Vec<f64>) {
        if let Some((at, cost, gradient)) = self.last.borrow().as_ref()
            && at.as_slice() == theta
        {
            return (*cost, gradient.clone());
        }
        let (cost, gradient) = (self.eval)(theta);
        // Outside the region where the likelihood is finite, push the line search back.
        let (cost, gradient) = if cost.is_finite() && gradient.iter().all(|g| g.is_finite()) {
            (cost, gradient)
        } else {
            (f64::MAX / 4.0, vec![0.0; theta.len()])
        };
        *self.last.borrow_mut() = Some((theta.to_vec(), cost, gradient.clone()));
        (cost, gradient)
    }
}

impl<F: Fn(&[f64]) -> (f64, Vec<f64>)> CostFunction for Objective<F> {
    type Param = Vec<f64>;
    type Output = f64;
    fn cost(&self, theta: &Vec<f64>) -> Result<f64, argmin::core::Error> {
        Ok(self.at(theta).0)
    }
}

impl<F: Fn(&[f64]) -> (f64, Vec<f64>)> Gradient for Objective<F> {
    type Param = Vec<f64>;
    type Gradient = Vec<f64>;
    fn gradient(&self, theta: &Vec<f64>) -> Result<Vec<f64>, argmin::core::Error> {
        Ok(self.at(theta).1)
    }
}

/// Minimises `eval` from `start`; returns the best log-parameters, iterations and convergence.
fn minimise(
    eval: impl Fn(&[f64]) -> (f64, Vec<f64>),
    start: Vec<f64>,
) -> Result<(Vec<f64>, u64, bool), FitError> {
    let optimiser = |e: argmin::core::Error| FitError::Optimiser(e.to_string());
    let solver = LBFGS::new(MoreThuenteLineSearch::new(), 10)
        .with_tolerance_grad(1e-9)
        .map_err(optimiser)?
        .with_tolerance_cost(1e-14)
        .map_err(optimiser)?;
    let result = Executor::new(Objective::new(eval), solver)
        .configure(|state| state.param(start).max_iters(MAX_ITERATIONS))
        .run()
        .map_err(optimiser)?;
    let state = result.state;
    let converged = matches!(
        state.termination_status,
        TerminationStatus::Terminated(TerminationReason::SolverConverged)
    );
    let theta = state
        .best_param
        .ok_or_else(|| FitError::Optimiser("no parameters".into()))?;
    Ok((theta, state.iter, converged))
}

fn exp4(theta: &[f64]) -> [f64; 4] {
    let value = |i: usize| theta.get(i).copied().unwrap_or(0.0).exp();
    [value(0), value(1), value(2), value(3)]
}

/// Customers grouped by (x, t_x, T) with a weight; times scaled to (0, 1] by 1/max(T) and held
/// once each in `times`, so ln(α + t) is computed per distinct time, not per customer.
struct BgNbdData {
    times: Vec<f64>,
    frequencies: Vec<u32>,
    groups: Vec<Group>,
    customers: f64,
}

struct Group {
    frequency: usize,
    recency: usize,
    age: usize,
    weight: f64,
}

impl BgNbdData {
    fn new(customers: &[Customer], scale: f64) -> Self {
        let mut keys: Vec<(u32, u64, u64)> = customers
            .iter()
            .map(|c| {
                (
                    c.frequency,
                    (c.recency * scale).to_bits(),
                    (c.age * scale).to_bits(),
                )
            })
            .collect();
        keys.sort_unstable();
        let mut times: Vec<f64> = keys
            .iter()
            .flat_map(|(_, r, t)| [f64::from_bits(*r), f64::from_bits(*t)])
            .collect();
        times.sort_unstable_by(f64::total_cmp);
        times.dedup();
        let mut frequencies: Vec<u32> = keys.iter().map(|k| k.0).collect();
        frequencies.dedup();
        let index_of = |list: &[f64], v: u64| {
            list.partition_point(|t| t.total_cmp(&f64::from_bits(v)).is_lt())
        };
        let mut groups: Vec<Group> = Vec::new();
        let mut previous = None;
        for key in &keys {
            if previous == Some(key)
                && let Some(last) = groups.last_mut()
            {
                last.weight += 1.0;
                continue;
            }
            previous = Some(key);
            groups.push(Group {
                frequency: frequencies.partition_point(|x| *x < key.0),
                recency: index_of(&times, key.1),
                age: index_of(&times, key.2),
                weight: 1.0,
            });
        }
        Self {
            times,
            frequencies,
            groups,
            customers: customers.len() as f64,
        }
    }

    /// Mean negative log-likelihood and its gradient in θ = ln(r, α, a, b).
    fn eval(&self, theta: &[f64]) -> (f64, Vec<f64>) {
        let [r, alpha, a, b] = exp4(theta);
        let ln_time: Vec<f64> = self.times.iter().map(|t| (alpha + t).ln()).collect();
        let inv_time: Vec<f64> = self.times.iter().map(|t| 1.0 / (alpha + t)).collect();
        // The terms that depend on x only: A1 + A2 of eq. 6 and their partial derivatives.
        let per_frequency: Vec<[f64; 7]> = self
            .frequencies
            .iter()
            .map(|x| {
                let x = f64::from(*x);
                let value = ln_gamma(r + x) - ln_gamma(r)
                    + r * alpha.ln()
                    + ln_gamma(a + b)
                    + ln_gamma(b + x)
                    - ln_gamma(b)
                    - ln_gamma(a + b + x);
                let d_r = digamma(r + x) - digamma(r) + alpha.ln();
                let d_alpha = r / alpha;
                let d_a = digamma(a + b) - digamma(a + b + x);
                let d_b = digamma(a + b) + digamma(b + x) - digamma(b) - digamma(a + b + x);
                let ln_b_x = (b + x - 1.0).ln();
                [value, d_r, d_alpha, d_a, d_b, x, ln_b_x]
            })
            .collect();
        let ln_a = a.ln();
        let (mut ll, mut g) = (0.0, [0.0; 4]);
        for group in &self.groups {
            let (Some(f), Some(ln_age), Some(inv_age), Some(ln_rec), Some(inv_rec)) = (
                per_frequency.get(group.frequency),
                ln_time.get(group.age),
                inv_time.get(group.age),
                ln_time.get(group.recency),
                inv_time.get(group.recency),
            ) else {
                continue;
            };
            let [value, d_r, d_alpha, d_a, d_b, x, ln_b_x] = *f;
            let a3 = -(r + x) * ln_age;
            let (term, dr, dalpha, da, db) = if x == 0.0 {
                (a3, -ln_age, -(r + x) * inv_age, 0.0, 0.0)
            } else {
                let a4 = ln_a - ln_b_x - (r + x) * ln_rec;
                let max = a3.max(a4);
                let (e3, e4) = ((a3 - max).exp(), (a4 - max).exp());
                let total = e3 + e4;
                let (w3, w4) = (e3 / total, e4 / total);
                (
                    max + total.ln(),
                    -w3 * ln_age - w4 * ln_rec,
                    -(r + x) * (w3 * inv_age + w4 * inv_rec),
                    w4 / a,
                    -w4 * (-ln_b_x).exp(),
                )
            };
            let w = group.weight;
            ll += w * (value + term);
            g[0] += w * (d_r + dr);
            g[1] += w * (d_alpha + dalpha);
            g[2] += w * (d_a + da);
            g[3] += w * (d_b + db);
        }
        let n = self.customers;
        let gradient = vec![
            -g[0] * r / n,
            -g[1] * alpha / n,
            -g[2] * a / n,
            -g[3] * b / n,
        ];
        (-ll / n, gradient)
    }
}

pub(super) fn bg_nbd(customers: &[Customer]) -> Result<Fit<BgNbd>, FitError> {
    let max_age = customers.iter().map(|c| c.age).fold(0.0, f64::max);
    let scale = if max_age > 0.0 { 1.0 / max_age } else { 1.0 };
    let data = BgNbdData::new(customers, scale);
    let (theta, iterations, converged) = minimise(|t| data.eval(t), vec![0.0; 4])?;
    let [r, alpha, a, b] = exp4(&theta);
    let (mean_nll, _) = data.eval(&theta);
    // Scaling time by s multiplies each repeat buyer's likelihood by s^x: undo it.
    let repeats: f64 = customers.iter().map(|c| f64::from(c.frequency)).sum();
    Ok(Fit {
        params: BgNbd {
            r,
            alpha: alpha / scale,
            a,
            b,
        },
        log_likelihood: -mean_nll * data.customers + repeats * scale.ln(),
        customers: customers.len(),
        converged,
        iterations,
    })
}

/// Spenders grouped by frequency; mean values scaled by 1/mean so γ starts near 1.
struct GammaGammaData {
    frequencies: Vec<u32>,
    /// (frequency index, m̄ scaled, ln m̄ scaled) per spender.
    spenders: Vec<(usize, f64, f64)>,
}

impl GammaGammaData {
    fn new(spenders: &[Spender], scale: f64) -> Self {
        let mut frequencies: Vec<u32> = spenders.iter().map(|s| s.frequency).collect();
        frequencies.sort_unstable();
        frequencies.dedup();
        let spenders = spenders
            .iter()
            .map(|s| {
                let m = s.mean_value * scale;
                (frequencies.partition_point(|x| *x < s.frequency), m, m.ln())
            })
            .collect();
        Self {
            frequencies,
            spenders,
        }
    }

    /// Mean negative log-likelihood and its gradient in θ = ln(p, q, γ).
    fn eval(&self, theta: &[f64]) -> (f64, Vec<f64>) {
        let [p, q, gamma, _] = exp4(theta);
        let per_frequency: Vec<[f64; 4]> = self
            .frequencies
            .iter()
            .map(|x| {
                let x = f64::from(*x);
                let px = p * x;
                [
                    x,
                    ln_gamma(px + q) - ln_gamma(px) + px * x.ln(),
                    digamma(px + q),
                    digamma(px),
                ]
            })
            .collect();
        let (ln_gamma_q, digamma_q, ln_g) = (ln_gamma(q), digamma(q), gamma.ln());
        let (mut ll, mut g) = (0.0, [0.0; 3]);
        for (frequency, m, ln_m) in &self.spenders {
            let Some([x, value, psi_pxq, psi_px]) = per_frequency.get(*frequency).copied() else {
                continue;
            };
            let px = p * x;
            let ln_gm = (gamma + m * x).ln();
            ll += value - ln_gamma_q + q * ln_g + (px - 1.0) * ln_m - (px + q) * ln_gm;
            g[0] += x * (psi_pxq - psi_px + ln_m + x.ln() - ln_gm);
            g[1] += psi_pxq - digamma_q + ln_g - ln_gm;
            g[2] += q / gamma - (px + q) / (gamma + m * x);
        }
        let n = self.spenders.len() as f64;
        (
            -ll / n,
            vec![-g[0] * p / n, -g[1] * q / n, -g[2] * gamma / n],
        )
    }
}

pub(super) fn gamma_gamma(spenders: &[Spender]) -> Result<Fit<GammaGamma>, FitError> {
    let n = spenders.len() as f64;
    let mean = spenders.iter().map(|s| s.mean_value).sum::<f64>() / n;
    let scale = 1.0 / mean;
    let data = GammaGammaData::new(spenders, scale);
    let (theta, iterations, converged) = minimise(|t| data.eval(t), vec![0.0; 3])?;
    let [p, q, gamma, _] = exp4(&theta);
    let (mean_nll, _) = data.eval(&theta);
    // Scaling money by s multiplies each density by s: undo it.
    Ok(Fit {
        params: GammaGamma {
            p,
            q,
            gamma: gamma / scale,
        },
        log_likelihood: -mean_nll * n + n * scale.ln(),
        customers: spenders.len(),
        converged,
        iterations,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::indexing_slicing, clippy::unwrap_used)]
    use super::*;

    /// The analytic gradients agree with central differences of the objective.
    #[test]
    fn gradients_match_finite_differences() {
        let customers = [
            Customer {
                frequency: 0,
                recency: 0.0,
                age: 30.0,
            },
            Customer {
                frequency: 2,
                recency: 10.0,
                age: 35.0,
            },
            Customer {
                frequency: 5,
                recency: 33.0,
                age: 34.0,
            },
            Customer {
                frequency: 1,
                recency: 2.0,
                age: 20.0,
            },
        ];
        let data = BgNbdData::new(&customers, 1.0 / 35.0);
        check(|t| data.eval(t), &[-0.3, 0.2, -0.1, 0.4]);
        let spenders = [
            Spender {
                frequency: 1,
                mean_value: 0.8,
            },
            Spender {
                frequency: 3,
                mean_value: 1.4,
            },
            Spender {
                frequency: 7,
                mean_value: 1.1,
            },
        ];
        let data = GammaGammaData::new(&spenders, 1.0);
        check(|t| data.eval(t), &[0.5, 0.3, -0.2]);
    }

    fn check(eval: impl Fn(&[f64]) -> (f64, Vec<f64>), theta: &[f64]) {
        let (_, gradient) = eval(theta);
        for i in 0..theta.len() {
            let h = 1e-6;
            let (mut up, mut down) = (theta.to_vec(), theta.to_vec());
            up[i] += h;
            down[i] -= h;
            let numeric = (eval(&up).0 - eval(&down).0) / (2.0 * h);
            assert!(
                (numeric - gradient[i]).abs() < 1e-6,
                "θ{i}: {numeric} vs {}",
                gradient[i]
            );
        }
    }
}
