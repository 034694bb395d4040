//! Revenue forecasts with prediction intervals, and how far to trust them.
//!
//! [`forecast`] takes a regular series (one value per day, ISO week or month, oldest first,
//! in any unit — the reports pass money in major units as `f64`, which is fine for a model) and
//! returns point forecasts with 80% and 95% intervals. The method is picked per series by a
//! rolling-origin backtest on the series' own history (FPP §5.10, time-series
//! cross-validation) among:
//! - seasonal naive (naive when there is no season): the baseline;
//! - Theta (Hyndman & Billah 2003), deseasonalised when the lag-m autocorrelation says so;
//! - AutoETS without a season (augurs), for trend and level;
//! - MSTL + AutoETS (augurs), on the values or on their logarithms, for seasonal series.
//!
//! The chosen method's backtest accuracy is reported as MASE (Hyndman & Koehler 2006) against
//! the in-sample seasonal naive scale, beside the seasonal-naive baseline's own MASE on the same
//! origins, and the share of actual values that fell inside the 80% and 95% intervals.
//!
//! What this module must not do: read a database, know about currencies or dates. Input and
//! output are plain numbers; the caller labels the periods.

mod baselines;
mod ets;

use serde::Serialize;

use crate::{InputError, ModelError};

/// The longest history accepted (ten years of days).
pub const MAX_HISTORY: usize = 3_660;
/// The longest horizon accepted.
pub const MAX_HORIZON: usize = 366;

/// A forecasting method.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Method {
    /// Each period repeats the last value.
    Naive,
    /// Each period repeats the value one season earlier.
    SeasonalNaive,
    /// Simple exponential smoothing with drift (Hyndman & Billah 2003).
    Theta,
    /// Exponential smoothing state-space model without a season, chosen by AICc.
    Ets,
    /// MSTL decomposition, non-seasonal AutoETS on the adjusted series.
    MstlEts,
    /// As `MstlEts`, on the logarithm of a positive series.
    MstlEtsLog,
}

/// What the caller asks for.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Periods in one season: 7 for days (a week), 52 for ISO weeks, 12 for months; 1 for none.
    pub season_length: usize,
    /// Periods to forecast, 1..=[`MAX_HORIZON`].
    pub horizon: usize,
    /// Backtest origins at most (each one refits every candidate).
    pub max_origins: usize,
}

/// One forecast period. Bounds are clamped at zero: revenue is not negative.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Point {
    pub value: f64,
    pub lower80: f64,
    pub upper80: f64,
    pub lower95: f64,
    pub upper95: f64,
}

/// Backtest accuracy of one method over the same origins.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Accuracy {
    /// Mean absolute scaled error: < 1 beats the in-sample seasonal naive one-step error.
    /// `None` when the history has no variation to scale by.
    pub mase: Option<f64>,
    /// Mean absolute error, in the series' unit.
    pub mae: f64,
    /// Share of held-out values inside the 80% interval, 0..=1.
    pub coverage80: f64,
    /// Share of held-out values inside the 95% interval, 0..=1.
    pub coverage95: f64,
    /// Number of rolling origins, and periods held out after each.
    pub origins: usize,
    pub horizon: usize,
}

/// Something the reader of a forecast should know.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Note {
    /// No periods at all: nothing to forecast from.
    NoHistory,
    /// Fewer periods than any method needs (two): no forecast is given.
    TooShortToForecast { have: usize, need: usize },
    /// Every period is zero: the forecast is zero.
    AllZero,
    /// Fewer than two full seasons: no seasonal model was tried.
    ShortForSeason { have: usize, need: usize },
    /// Too short to hold anything out: the method is a default and its accuracy is unknown.
    TooShortToBacktest { have: usize },
    /// A candidate failed on the backtest or the final fit and was left out.
    CandidateFailed { method: Method, reason: String },
}

/// A forecast with its method, accuracy and caveats.
#[derive(Clone, Debug, Serialize)]
pub struct Forecast {
    pub method: Method,
    /// The ETS model's name (e.g. "AAdN") when an ETS method was chosen.
    pub model: Option<String>,
    /// One entry per period ahead; empty with fewer than two periods of history.
    pub points: Vec<Point>,
    /// The chosen method's backtest accuracy; `None` when the series is too short.
    pub accuracy: Option<Accuracy>,
    /// The seasonal-naive baseline on the same backtest.
    pub baseline: Option<Accuracy>,
    /// Every candidate that completed the backtest, best first.
    pub candidates: Vec<(Method, Accuracy)>,
    /// The season length used by seasonal models, when one was.
    pub season_length: Option<usize>,
    /// Strength of that season in the history, 0..=1 (FPP §4.3), from MSTL.
    pub seasonal_strength: Option<f64>,
    pub notes: Vec<Note>,
}

/// Forecasts `history` `options.horizon` periods ahead.
///
/// # Errors
/// [`InputError`] for a non-finite value, a history over [`MAX_HISTORY`] or a horizon outside
/// 1..=[`MAX_HORIZON`]. Model failures are not errors: the next-best method is used and a
/// [`Note`] says so.
pub fn forecast(history: &[f64], options: Options) -> Result<Forecast, InputError> {
    if options.horizon == 0 || options.horizon > MAX_HORIZON {
        return Err(InputError::OutOfRange {
            what: "horizon",
            min: 1,
            max: MAX_HORIZON,
        });
    }
    if history.len() > MAX_HISTORY {
        return Err(InputError::TooLong {
            what: "history",
            max: MAX_HISTORY,
        });
    }
    if let Some(index) = history.iter().position(|v| !v.is_finite()) {
        return Err(InputError::NotFinite { index });
    }
    let horizon = options.horizon;
    let mut result = Forecast {
        method: Method::Naive,
        model: None,
        points: Vec::new(),
        accuracy: None,
        baseline: None,
        candidates: Vec::new(),
        season_length: None,
        seasonal_strength: None,
        notes: Vec::new(),
    };
    if history.is_empty() {
        result.notes.push(Note::NoHistory);
        return Ok(result);
    }
    if history.len() < 2 {
        result.notes.push(Note::TooShortToForecast {
            have: history.len(),
            need: 2,
        });
        return Ok(result);
    }
    if history.iter().all(|v| *v == 0.0) {
        result.points = vec![
            Point {
                value: 0.0,
                lower80: 0.0,
                upper80: 0.0,
                lower95: 0.0,
                upper95: 0.0
            };
            horizon
        ];
        result.notes.push(Note::AllZero);
        return Ok(result);
    }

    let m = options.season_length.max(1);
    let seasonal = m > 1 && history.len() >= 2 * m;
    if m > 1 && !seasonal {
        result.notes.push(Note::ShortForSeason {
            have: history.len(),
            need: 2 * m,
        });
    }
    let scale_period = if seasonal { m } else { 1 };
    let baseline = if seasonal {
        Method::SeasonalNaive
    } else {
        Method::Naive
    };
    let mut candidates = vec![baseline, Method::Theta, Method::Ets];
    if seasonal {
        candidates.push(Method::MstlEts);
        if history.iter().all(|v| *v > 0.0) {
            candidates.push(Method::MstlEtsLog);
        }
    }

    // Rolling origins: the last `origins` cut points, `step` apart, each holding out `held`.
    let held = horizon.min((history.len() / 5).max(1));
    let min_train = if seasonal { 2 * m } else { 8 };
    let step = (held / 2).max(1);
    let origins: Vec<usize> = (0..options.max_origins.max(1))
        .filter_map(|k| history.len().checked_sub(held + k * step))
        .filter(|origin| *origin >= min_train)
        .collect();
    if origins.is_empty() {
        result.notes.push(Note::TooShortToBacktest {
            have: history.len(),
        });
    }

    let mut scored: Vec<(Method, Accuracy)> = Vec::new();
    if !origins.is_empty() {
        for method in &candidates {
            match backtest(history, *method, m, scale_period, &origins, held) {
                Ok(accuracy) => scored.push((*method, accuracy)),
                Err(e) => result.notes.push(Note::CandidateFailed {
                    method: *method,
                    reason: e.to_string(),
                }),
            }
        }
    }
    scored.sort_by(|a, b| rank(&a.1).total_cmp(&rank(&b.1)));
    result.baseline = scored
        .iter()
        .find(|(method, _)| *method == baseline)
        .map(|(_, a)| a.clone());

    // The final fit, best candidate first; without a backtest, ETS when it has enough data.
    let order: Vec<(Method, Option<Accuracy>)> = if scored.is_empty() {
        vec![
            (Method::Ets, None),
            (Method::Theta, None),
            (Method::Naive, None),
        ]
    } else {
        scored
            .iter()
            .map(|(method, a)| (*method, Some(a.clone())))
            .chain([(Method::Naive, None)])
            .collect()
    };
    for (method, accuracy) in order {
        match fit_predict(history, method, m, horizon) {
            Ok((prediction, model)) => {
                result.method = method;
                result.model = model;
                result.accuracy = accuracy;
                result.points = prediction.points();
                break;
            }
            Err(e) => result.notes.push(Note::CandidateFailed {
                method,
                reason: e.to_string(),
            }),
        }
    }
    result.candidates = scored;
    if seasonal {
        result.season_length = Some(m);
        result.seasonal_strength = ets::mstl_ets(history, m, 1)
            .ok()
            .map(|(_, strength)| strength)
            .filter(|s| s.is_finite())
            .map(|s| s.clamp(0.0, 1.0));
    }
    Ok(result)
}

/// The backtest ranks by MASE, and by MAE when the history is flat.
fn rank(accuracy: &Accuracy) -> f64 {
    accuracy.mase.unwrap_or(accuracy.mae)
}

/// Mean absolute scaled error of `forecast` against `actual`, scaled by the in-sample mean
/// absolute `m`-step difference of `train` (Hyndman & Koehler 2006; FPP §5.8).
/// `None` when that scale is zero or `train` is not longer than `m`.
pub fn mase(train: &[f64], actual: &[f64], forecast: &[f64], m: usize) -> Option<f64> {
    let scale = seasonal_scale(train, m)?;
    let n = actual.len().min(forecast.len());
    if n == 0 {
        return None;
    }
    let mae = actual
        .iter()
        .zip(forecast)
        .map(|(a, f)| (a - f).abs())
        .sum::<f64>()
        / n as f64;
    Some(mae / scale)
}

fn seasonal_scale(train: &[f64], m: usize) -> Option<f64> {
    let m = m.max(1);
    let diffs: Vec<f64> = train
        .iter()
        .zip(train.iter().skip(m))
        .map(|(a, b)| (b - a).abs())
        .collect();
    if diffs.is_empty() {
        return None;
    }
    let scale = diffs.iter().sum::<f64>() / diffs.len() as f64;
    (scale > 0.0).then_some(scale)
}

fn backtest(
    y: &[f64],
    method: Method,
    m: usize,
    scale_period: usize,
    origins: &[usize],
    held: usize,
) -> Result<Accuracy, ModelError> {
    let (mut mase_sum, mut mase_count, mut abs_sum, mut n, mut in80, mut in95) =
        (0.0, 0usize, 0.0, 0usize, 0usize, 0usize);
    for origin in origins {
        let train = y.get(..*origin).ok_or(ModelError::NotEnoughData {
            have: y.len(),
            need: *origin,
        })?;
        let actual = y
            .get(*origin..origin + held)
            .ok_or(ModelError::NotEnoughData {
                have: y.len(),
                need: origin + held,
            })?;
        let (p, _) = fit_predict(train, method, m, held)?;
        if let Some(value) = mase(train, actual, &p.point, scale_period) {
            mase_sum += value;
            mase_count += 1;
        }
        for (i, a) in actual.iter().enumerate() {
            let within = |lower: &[f64], upper: &[f64]| matches!((lower.get(i), upper.get(i)), (Some(l), Some(u)) if l <= a && a <= u);
            abs_sum += (a - p.point.get(i).copied().unwrap_or(f64::NAN)).abs();
            n += 1;
            in80 += usize::from(within(&p.lower80, &p.upper80));
            in95 += usize::from(within(&p.lower95, &p.upper95));
        }
    }
    let n_f = n.max(1) as f64;
    Ok(Accuracy {
        mase: (mase_count > 0).then(|| mase_sum / mase_count as f64),
        mae: abs_sum / n_f,
        coverage80: in80 as f64 / n_f,
        coverage95: in95 as f64 / n_f,
        origins: origins.len(),
        horizon: held,
    })
}

/// Fits `method` to `y` and predicts `horizon` periods; bounds and points clamped at zero.
fn fit_predict(
    y: &[f64],
    method: Method,
    m: usize,
    horizon: usize,
) -> Result<(Prediction, Option<String>), ModelError> {
    let (p, model) = match method {
        Method::Naive => (baselines::seasonal_naive(y, 1, horizon)?, None),
        Method::SeasonalNaive => (baselines::seasonal_naive(y, m, horizon)?, None),
        Method::Theta => (baselines::theta(y, m, horizon)?, None),
        Method::Ets => {
            let (p, name) = ets::auto_ets(y, horizon)?;
            (p, Some(name))
        }
        Method::MstlEts => (ets::mstl_ets(y, m, horizon)?.0, None),
        Method::MstlEtsLog => (ets::mstl_ets_log(y, m, horizon)?, None),
    };
    Ok((p.clamped_at_zero(), model))
}

/// Point forecasts and both intervals, as parallel vectors.
#[derive(Debug, Default)]
pub(crate) struct Prediction {
    pub point: Vec<f64>,
    pub lower80: Vec<f64>,
    pub upper80: Vec<f64>,
    pub lower95: Vec<f64>,
    pub upper95: Vec<f64>,
}

impl Prediction {
    fn with_capacity(n: usize) -> Self {
        Self {
            point: Vec::with_capacity(n),
            lower80: Vec::with_capacity(n),
            upper80: Vec::with_capacity(n),
            lower95: Vec::with_capacity(n),
            upper95: Vec::with_capacity(n),
        }
    }

    /// A point with symmetric normal intervals of standard error `se`.
    fn push(&mut self, point: f64, se: f64) {
        use baselines::{Z80, Z95};
        self.push_bounds(
            point,
            [point - Z80 * se, point + Z80 * se],
            [point - Z95 * se, point + Z95 * se],
        );
    }

    fn push_bounds(&mut self, point: f64, b80: [f64; 2], b95: [f64; 2]) {
        self.point.push(point);
        self.lower80.push(b80[0]);
        self.upper80.push(b80[1]);
        self.lower95.push(b95[0]);
        self.upper95.push(b95[1]);
    }

    fn clamped_at_zero(mut self) -> Self {
        for v in [
            &mut self.point,
            &mut self.lower80,
            &mut self.upper80,
            &mut self.lower95,
            &mut self.upper95,
        ] {
            v.iter_mut().for_each(|x| *x = x.max(0.0));
        }
        self
    }

    fn points(&self) -> Vec<Point> {
        let rows = self
            .point
            .iter()
            .zip(&self.lower80)
            .zip(&self.upper80)
            .zip(&self.lower95)
            .zip(&self.upper95);
        rows.map(|((((value, lower80), upper80), lower95), upper95)| Point {
            value: *value,
            lower80: *lower80,
            upper80: *upper80,
            lower95: *lower95,
            upper95: *upper95,
        })
        .collect()
    }
}

/// A method's output is used only when every number in it is finite and the vectors agree.
fn ensure_finite(p: Prediction) -> Result<Prediction, ModelError> {
    let n = p.point.len();
    let all = [&p.point, &p.lower80, &p.upper80, &p.lower95, &p.upper95];
    if all.iter().any(|v| v.len() != n) || all.iter().any(|v| v.iter().any(|x| !x.is_finite())) {
        return Err(ModelError::NotFinite);
    }
    Ok(p)
}
