//! Customer-base models of the "buy till you die" family, fitted by maximum likelihood.
//!
//! - [`fit_bg_nbd`]: the BG/NBD model of Fader, Hardie & Lee (2005), "Counting your customers
//!   the easy way: an alternative to the Pareto/NBD model", *Marketing Science* 24(2):275–284.
//!   While alive a customer buys at a Poisson rate λ ~ Gamma(r, α); after each purchase they
//!   drop out with probability p ~ Beta(a, b). Gives [`BgNbd::p_alive`] and
//!   [`BgNbd::expected_purchases`] (the paper's eq. 10).
//! - [`fit_gamma_gamma`]: the Gamma-Gamma spend model of Fader, Hardie & Lee (2005), "RFM and
//!   CLV: using iso-value curves for customer base analysis", *JMR* 42(4), and Fader & Hardie's
//!   note "The Gamma-Gamma model of monetary value" (2013). Gives
//!   [`GammaGamma::expected_order_value`].
//! - [`clv`]: customer lifetime value over a horizon, discounted per period.
//!
//! Inputs are per-customer summaries: `frequency` x = repeat purchases (purchase days after the
//! first), `recency` t_x = time from the first to the last purchase, `age` T = time from the
//! first purchase to the end of the observation. Any time unit works as long as it is the same
//! everywhere (the reports use days; the CDNOW tests use weeks); α is in that unit.
//!
//! Likelihoods are computed in log space; parameters are fitted on the log scale (they are all
//! positive) with argmin's L-BFGS and analytic gradients, starting from 1 on a time axis scaled
//! by 1/max(T). Customers with the same (x, t_x, T) are counted once with a weight, and ln Γ and
//! ψ are evaluated once per distinct frequency, so a fit over tens of thousands of customers
//! takes milliseconds.

mod fit;
mod hypergeometric;

use serde::Serialize;

use crate::InputError;
pub use fit::Fit;

/// The most customers one fit accepts.
pub const MAX_CUSTOMERS: usize = 5_000_000;

/// One customer's purchase history, summarised (see the module doc for units).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Customer {
    /// x: repeat purchases after the first.
    pub frequency: u32,
    /// t_x: time from the first purchase to the last, 0 when x = 0.
    pub recency: f64,
    /// T: time from the first purchase to the end of observation, T ≥ t_x.
    pub age: f64,
}

/// BG/NBD parameters: purchase rate λ ~ Gamma(r, α), dropout p ~ Beta(a, b).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct BgNbd {
    pub r: f64,
    pub alpha: f64,
    pub a: f64,
    pub b: f64,
}

/// Gamma-Gamma parameters: order value ~ Gamma(p, ν), ν ~ Gamma(q, γ).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct GammaGamma {
    pub p: f64,
    pub q: f64,
    pub gamma: f64,
}

/// A repeat customer's spending, for the Gamma-Gamma model.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spender {
    /// x: repeat purchases, > 0.
    pub frequency: u32,
    /// m̄: mean value of those repeat purchases, > 0, in money units (major units are fine).
    pub mean_value: f64,
}

/// Why a model could not be fitted.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FitError {
    #[error(transparent)]
    Input(#[from] InputError),
    #[error("{have} customers; the model needs at least {need}")]
    TooFew { have: usize, need: usize },
    #[error("nobody bought twice: the dropout and spend models cannot be fitted")]
    NoRepeatBuyers,
    #[error("the optimiser failed: {0}")]
    Optimiser(String),
}

fn check_customers(customers: &[Customer]) -> Result<(), InputError> {
    if customers.len() > MAX_CUSTOMERS {
        return Err(InputError::TooLong {
            what: "customers",
            max: MAX_CUSTOMERS,
        });
    }
    for (index, c) in customers.iter().enumerate() {
        if !c.recency.is_finite() || !c.age.is_finite() {
            return Err(InputError::NotFinite { index });
        }
        if c.recency < 0.0
            || c.age < c.recency
            || (c.frequency == 0 && c.recency != 0.0)
            || (c.frequency > 0 && c.age <= 0.0)
        {
            return Err(InputError::Invalid {
                what: "customer",
                why: "needs 0 ≤ recency ≤ age, and recency 0 without repeat purchases",
            });
        }
    }
    Ok(())
}

/// Fits BG/NBD by maximum likelihood (FHL 2005 eq. 6).
///
/// # Errors
/// [`FitError::Input`] for a customer with inconsistent numbers, [`FitError::TooFew`] under 3
/// customers, [`FitError::NoRepeatBuyers`] when every frequency is 0 (dropout cannot be seen),
/// [`FitError::Optimiser`] when L-BFGS fails outright.
pub fn fit_bg_nbd(customers: &[Customer]) -> Result<Fit<BgNbd>, FitError> {
    check_customers(customers)?;
    if customers.len() < 3 {
        return Err(FitError::TooFew {
            have: customers.len(),
            need: 3,
        });
    }
    if customers.iter().all(|c| c.frequency == 0) {
        return Err(FitError::NoRepeatBuyers);
    }
    fit::bg_nbd(customers)
}

/// Fits Gamma-Gamma by maximum likelihood on repeat customers (Fader & Hardie 2013, eq. 1).
/// Spenders with frequency 0 or a mean value ≤ 0 are left out, as the model requires.
///
/// # Errors
/// [`FitError::Input`] for a non-finite value, [`FitError::TooFew`] under 3 usable spenders,
/// [`FitError::Optimiser`] when L-BFGS fails outright.
pub fn fit_gamma_gamma(spenders: &[Spender]) -> Result<Fit<GammaGamma>, FitError> {
    if spenders.len() > MAX_CUSTOMERS {
        return Err(InputError::TooLong {
            what: "spenders",
            max: MAX_CUSTOMERS,
        }
        .into());
    }
    if let Some(index) = spenders.iter().position(|s| !s.mean_value.is_finite()) {
        return Err(InputError::NotFinite { index }.into());
    }
    let usable: Vec<Spender> = spenders
        .iter()
        .copied()
        .filter(|s| s.frequency > 0 && s.mean_value > 0.0)
        .collect();
    if usable.len() < 3 {
        return Err(FitError::TooFew {
            have: usable.len(),
            need: 3,
        });
    }
    fit::gamma_gamma(&usable)
}

impl BgNbd {
    /// Log-likelihood of one customer (FHL 2005 eq. 6, in log space).
    pub fn log_likelihood(&self, c: &Customer) -> f64 {
        let Self { r, alpha, a, b } = *self;
        let x = f64::from(c.frequency);
        let ln_gamma = statrs::function::gamma::ln_gamma;
        let a1 = ln_gamma(r + x) - ln_gamma(r) + r * alpha.ln();
        let a2 = ln_gamma(a + b) + ln_gamma(b + x) - ln_gamma(b) - ln_gamma(a + b + x);
        let a3 = -(r + x) * (alpha + c.age).ln();
        if c.frequency == 0 {
            return a1 + a2 + a3;
        }
        let a4 = a.ln() - (b + x - 1.0).ln() - (r + x) * (alpha + c.recency).ln();
        a1 + a2 + log_sum_exp(a3, a4)
    }

    /// Total log-likelihood over `customers`.
    pub fn total_log_likelihood(&self, customers: &[Customer]) -> f64 {
        customers.iter().map(|c| self.log_likelihood(c)).sum()
    }

    /// P(alive | x, t_x, T): the probability the customer has not dropped out (FHL 2005 eq. 12).
    /// 1 for a customer who never bought again (BG/NBD lets customers drop out only after a
    /// purchase).
    pub fn p_alive(&self, c: &Customer) -> f64 {
        if c.frequency == 0 {
            return 1.0;
        }
        1.0 / (1.0 + self.dropout_odds(c).exp())
    }

    /// ln of the odds of having dropped out at the last purchase against being alive:
    /// ln[a/(b+x−1)] + (r+x)·ln[(α+T)/(α+t_x)].
    fn dropout_odds(&self, c: &Customer) -> f64 {
        let x = f64::from(c.frequency);
        (self.a / (self.b + x - 1.0)).ln()
            + (self.r + x) * ((self.alpha + c.age) / (self.alpha + c.recency)).ln()
    }

    /// E[Y(t) | x, t_x, T]: expected purchases in the next `t` time units (FHL 2005 eq. 10),
    /// with the Gaussian hypergeometric ₂F₁ summed by its series (argument t/(α+T+t) < 1).
    /// `NaN` only if the series does not converge in a million terms, or when a + b + x − 1 is
    /// zero or a negative integer (where eq. 10 is undefined).
    pub fn expected_purchases(&self, c: &Customer, t: f64) -> f64 {
        if t <= 0.0 {
            return 0.0;
        }
        let Self { r, alpha, b, .. } = *self;
        // eq. 10 divides by a − 1; the expectation is continuous in a, so step off 1.
        let a = if (self.a - 1.0).abs() < 1e-9 {
            1.0 + 1e-9
        } else {
            self.a
        };
        let x = f64::from(c.frequency);
        let z = t / (alpha + c.age + t);
        let Some((sign, ln_f)) = hypergeometric::signed_ln_2f1(r + x, b + x, a + b + x - 1.0, z)
        else {
            return f64::NAN;
        };
        let tail = sign * ((r + x) * (1.0 - z).ln() + ln_f).exp();
        let numerator = (a + b + x - 1.0) / (a - 1.0) * (1.0 - tail);
        let denominator = if c.frequency == 0 {
            1.0
        } else {
            1.0 + self.dropout_odds(c).exp()
        };
        numerator / denominator
    }
}

impl GammaGamma {
    /// Log-likelihood of one spender (Fader & Hardie 2013, eq. 1).
    pub fn log_likelihood(&self, s: &Spender) -> f64 {
        let Self { p, q, gamma } = *self;
        let x = f64::from(s.frequency);
        let ln_gamma = statrs::function::gamma::ln_gamma;
        let px = p * x;
        ln_gamma(px + q) - ln_gamma(px) - ln_gamma(q)
            + q * gamma.ln()
            + (px - 1.0) * s.mean_value.ln()
            + px * x.ln()
            - (px + q) * (gamma + s.mean_value * x).ln()
    }

    /// E[M | x, m̄]: the expected value of this customer's future orders, a weighted mean of the
    /// population mean γp/(q−1) and the customer's own mean m̄ with weight px/(px+q−1)
    /// (Fader & Hardie 2013, eq. 5). For x = 0 it is the population mean. `None` when q ≤ 1
    /// (the population mean is infinite).
    pub fn expected_order_value(&self, frequency: u32, mean_value: f64) -> Option<f64> {
        let Self { p, q, gamma } = *self;
        if q <= 1.0 {
            return None;
        }
        let px = p * f64::from(frequency);
        let weight = px / (px + q - 1.0);
        Some((1.0 - weight) * gamma * p / (q - 1.0) + weight * mean_value)
    }
}

/// Customer lifetime value: the expected value of purchases over `periods` periods of
/// `period_length` time units each, each period's expected purchases
/// E[Y(k·L)] − E[Y((k−1)·L)] valued at `order_value` and discounted at the period's end by
/// (1 + `discount_rate`)^k. This is the convention of `lifetimes` (months of 4.345 weeks with a
/// monthly rate); no margin is applied.
pub fn clv(
    model: &BgNbd,
    customer: &Customer,
    order_value: f64,
    periods: u32,
    period_length: f64,
    discount_rate: f64,
) -> f64 {
    let mut value = 0.0;
    let mut before = 0.0;
    for k in 1..=periods {
        let k = f64::from(k);
        let cumulative = model.expected_purchases(customer, k * period_length);
        value += order_value * (cumulative - before) / (1.0 + discount_rate).powf(k);
        before = cumulative;
    }
    value
}

/// ln(eᵃ + eᵇ) without overflow.
fn log_sum_exp(a: f64, b: f64) -> f64 {
    let max = a.max(b);
    max + ((a - max).exp() + (b - max).exp()).ln()
}
