//! Exponential smoothing through the `augurs` crates: AutoETS (a port of statsforecast's, model
//! chosen by AICc; Hyndman et al. 2008, FPP ch. 8) for non-seasonal series, and MSTL
//! (Bandara, Hyndman & Bergmeir 2021) with a non-seasonal AutoETS on trend + remainder for
//! seasonal ones — augurs' own seasonal ETS is not implemented (it panics), so it is never asked
//! for. Every call runs under `catch_unwind`: a panic inside the library becomes an error.

use std::panic::{AssertUnwindSafe, catch_unwind};

use augurs_core::{Fit, Predict};
use augurs_ets::AutoETS;
use augurs_mstl::MSTLModel;

use super::{Prediction, ensure_finite};
use crate::ModelError;

fn guarded<T>(
    what: &'static str,
    f: impl FnOnce() -> Result<T, ModelError>,
) -> Result<T, ModelError> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(Err(ModelError::Panicked(what)))
}

fn intervals(
    p80: augurs_core::Forecast,
    p95: augurs_core::Forecast,
) -> Result<Prediction, ModelError> {
    let missing = || ModelError::Library("no prediction intervals".into());
    let i80 = p80.intervals.ok_or_else(missing)?;
    let i95 = p95.intervals.ok_or_else(missing)?;
    ensure_finite(Prediction {
        point: p80.point,
        lower80: i80.lower,
        upper80: i80.upper,
        lower95: i95.lower,
        upper95: i95.upper,
    })
}

/// AutoETS over the non-seasonal specs (error A/M, trend N/A/Ad), picked by AICc.
/// Returns the prediction and the chosen model's name, e.g. "AAdN".
pub(super) fn auto_ets(y: &[f64], horizon: usize) -> Result<(Prediction, String), ModelError> {
    guarded("AutoETS", || {
        let fitted = AutoETS::non_seasonal()
            .fit(y)
            .map_err(|e| ModelError::Library(e.to_string()))?;
        let model = fitted.model();
        let name = model.model_type().to_string();
        let name = if model.damped() {
            format!(
                "{}d{}",
                name.get(..2).unwrap_or(""),
                name.get(2..).unwrap_or("")
            )
        } else {
            name
        };
        let predict = |level| {
            fitted
                .predict(horizon, level)
                .map_err(|e| ModelError::Library(e.to_string()))
        };
        Ok((intervals(predict(0.8)?, predict(0.95)?)?, name))
    })
}

/// MSTL with one seasonal period `m` and a non-seasonal AutoETS on the seasonally adjusted
/// series. Needs at least two full seasons. Also returns the seasonal strength
/// F = max(0, 1 − Var(R)/Var(S+R)) of the decomposition (FPP §4.3).
pub(super) fn mstl_ets(
    y: &[f64],
    m: usize,
    horizon: usize,
) -> Result<(Prediction, f64), ModelError> {
    if y.len() < 2 * m {
        return Err(ModelError::NotEnoughData {
            have: y.len(),
            need: 2 * m,
        });
    }
    guarded("MSTL", || {
        let model = MSTLModel::new(vec![m], AutoETS::non_seasonal().into_trend_model());
        let fitted = model
            .fit(y)
            .map_err(|e| ModelError::Library(e.to_string()))?;
        let strength = fitted
            .fit()
            .seasonal_strength()
            .first()
            .copied()
            .unwrap_or(0.0);
        let predict = |level| {
            fitted
                .predict(horizon, level)
                .map_err(|e| ModelError::Library(e.to_string()))
        };
        Ok((intervals(predict(0.8)?, predict(0.95)?)?, strength))
    })
}

/// MSTL + AutoETS on ln(y) for a positive series whose seasonal swings grow with its level;
/// the point is exp of the log forecast (the median) and the bounds are exp of the log bounds.
pub(super) fn mstl_ets_log(y: &[f64], m: usize, horizon: usize) -> Result<Prediction, ModelError> {
    if y.iter().any(|v| *v <= 0.0) {
        return Err(ModelError::NotPositive);
    }
    let logs: Vec<f64> = y.iter().map(|v| v.ln()).collect();
    let (p, _) = mstl_ets(&logs, m, horizon)?;
    let exp = |v: Vec<f64>| v.into_iter().map(f64::exp).collect();
    ensure_finite(Prediction {
        point: exp(p.point),
        lower80: exp(p.lower80),
        upper80: exp(p.upper80),
        lower95: exp(p.lower95),
        upper95: exp(p.upper95),
    })
}
