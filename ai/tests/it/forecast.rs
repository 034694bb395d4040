use crm_ai::forecast::{Method, Note, Options, forecast, mase};

use crate::fixtures::{Random, column, json};

fn monthly(horizon: usize) -> Options {
    Options {
        season_length: 12,
        horizon,
        max_origins: 4,
    }
}

/// The classic monthly airline series (1949–1960), as statsforecast ships it: trained on the first
/// 132 months, judged on the last 12, against statsforecast 2.1.1's AutoETS on the same split.
#[test]
fn air_passengers_beats_seasonal_naive_and_matches_statsforecast_auto_ets() {
    let y = column("air_passengers.csv", "passengers");
    assert_eq!(y.len(), 144);
    let reference = json("air_passengers_reference.json");
    let ets_mase = reference["auto_ets_season12"]["mase"].as_f64().unwrap();
    let naive_mase = reference["seasonal_naive_m12"]["mase"].as_f64().unwrap();
    let (train, test) = y.split_at(132);

    let f = forecast(train, monthly(12)).unwrap();
    let point: Vec<f64> = f.points.iter().map(|p| p.value).collect();
    let ours = mase(train, test, &point, 12).unwrap();
    println!(
        "chosen {:?} {:?}: MASE {ours:.4}; statsforecast AutoETS {ets_mase:.4}; seasonal naive {naive_mase:.4}",
        f.method, f.model
    );
    println!("candidates: {:#?}", f.candidates);
    assert!(
        ours <= 1.05 * ets_mase,
        "MASE {ours} above 1.05 × {ets_mase}"
    );
    assert!(
        ours < naive_mase,
        "MASE {ours} not below seasonal naive {naive_mase}"
    );
    assert_eq!(f.season_length, Some(12));
    assert!(
        f.seasonal_strength.unwrap() > 0.8,
        "{:?}",
        f.seasonal_strength
    );
    let accuracy = f.accuracy.as_ref().unwrap();
    assert_eq!(accuracy.origins, 4);
    // The chosen method won its own backtest against the baseline.
    assert!(accuracy.mase.unwrap() <= f.baseline.as_ref().unwrap().mase.unwrap());
    for p in &f.points {
        assert!(
            p.lower95 <= p.lower80
                && p.lower80 <= p.value
                && p.value <= p.upper80
                && p.upper80 <= p.upper95,
            "{p:?}"
        );
    }
}

/// y = 200 + 3t + 40·sin(2πt/12) + N(0, 4²): the forecast follows level, trend and season.
#[test]
fn recovers_known_level_trend_and_season() {
    let mut random = Random::new(7);
    let truth = |t: usize| {
        200.0 + 3.0 * t as f64 + 40.0 * (2.0 * std::f64::consts::PI * t as f64 / 12.0).sin()
    };
    let y: Vec<f64> = (0..72).map(|t| truth(t) + 4.0 * random.normal()).collect();
    let f = forecast(&y, monthly(12)).unwrap();
    assert_eq!(f.points.len(), 12);
    for (h, p) in f.points.iter().enumerate() {
        let expected = truth(72 + h);
        // Within 15 (about 4 noise standard deviations; the season's amplitude is 40).
        assert!(
            (p.value - expected).abs() < 15.0,
            "h={h}: {} vs {expected} ({:?})",
            p.value,
            f.method
        );
        assert!(
            p.lower95 < expected && expected < p.upper95,
            "h={h}: {expected} outside {p:?}"
        );
    }
    assert!(f.seasonal_strength.unwrap() > 0.9);
    assert!(
        f.accuracy.unwrap().mase.unwrap() < 1.0,
        "a good method beats the naive scale here"
    );
}

/// A flat series with noise: the forecast is the level, the 95% band covers about ±2σ.
#[test]
fn recovers_a_level_without_season() {
    let mut random = Random::new(11);
    let y: Vec<f64> = (0..60).map(|_| 500.0 + 10.0 * random.normal()).collect();
    let f = forecast(
        &y,
        Options {
            season_length: 1,
            horizon: 6,
            max_origins: 4,
        },
    )
    .unwrap();
    for p in &f.points {
        assert!((p.value - 500.0).abs() < 8.0, "{p:?}");
        let half_width = (p.upper95 - p.lower95) / 2.0;
        assert!((14.0..40.0).contains(&half_width), "{p:?}");
    }
    assert_eq!(f.season_length, None);
}

#[test]
fn no_history_says_so() {
    let f = forecast(&[], monthly(3)).unwrap();
    assert!(f.points.is_empty());
    assert_eq!(f.notes, vec![Note::NoHistory]);
}

#[test]
fn zeros_forecast_zero() {
    let f = forecast(&[0.0; 30], monthly(3)).unwrap();
    assert_eq!(f.points.len(), 3);
    assert!(f.points.iter().all(|p| p.value == 0.0 && p.upper95 == 0.0));
    assert!(f.notes.contains(&Note::AllZero));
}

#[test]
fn short_history_gets_no_seasonal_model_and_says_so() {
    let y: Vec<f64> = (0..15).map(|t| 100.0 + t as f64).collect();
    let f = forecast(&y, monthly(6)).unwrap();
    assert!(
        f.notes
            .contains(&Note::ShortForSeason { have: 15, need: 24 })
    );
    assert!(!matches!(
        f.method,
        Method::SeasonalNaive | Method::MstlEts | Method::MstlEtsLog
    ));
    assert!(f.candidates.iter().all(|(m, _)| !matches!(
        m,
        Method::SeasonalNaive | Method::MstlEts | Method::MstlEtsLog
    )));
    assert_eq!(f.points.len(), 6);
    assert_eq!(f.season_length, None);
}

#[test]
fn a_single_sale_gives_a_finite_non_negative_forecast() {
    let mut y = vec![0.0; 24];
    y[5] = 1_000.0;
    let f = forecast(&y, monthly(6)).unwrap();
    assert_eq!(f.points.len(), 6);
    for p in &f.points {
        assert!(
            p.value.is_finite() && p.value >= 0.0 && p.lower95 >= 0.0 && p.upper95.is_finite(),
            "{p:?}"
        );
    }
}

#[test]
fn very_short_histories_still_answer() {
    let f = forecast(&[10.0], monthly(2)).unwrap();
    assert!(f.points.is_empty());
    assert_eq!(f.notes, vec![Note::TooShortToForecast { have: 1, need: 2 }]);
    for n in 2..=4 {
        let y: Vec<f64> = (0..n).map(|t| 10.0 + t as f64).collect();
        let f = forecast(&y, monthly(2)).unwrap();
        assert_eq!(f.points.len(), 2, "n={n}");
        assert!(f.accuracy.is_none());
        assert!(
            f.notes.contains(&Note::TooShortToBacktest { have: n }),
            "n={n}: {:?}",
            f.notes
        );
    }
}

/// One month at ten times the usual level must not dominate the forecast.
#[test]
fn an_outlier_month_does_not_take_over() {
    let mut random = Random::new(3);
    let mut y: Vec<f64> = (0..36).map(|_| 1_000.0 + 50.0 * random.normal()).collect();
    y[20] = 10_000.0;
    let f = forecast(&y, monthly(3)).unwrap();
    for p in &f.points {
        assert!(p.value < 2_500.0, "{:?}: {p:?}", f.method);
    }
}

#[test]
fn bad_input_is_an_error() {
    assert!(forecast(&[1.0, f64::NAN], monthly(1)).is_err());
    assert!(forecast(&[1.0], monthly(0)).is_err());
    assert!(forecast(&[1.0], monthly(10_000)).is_err());
    assert!(forecast(&vec![1.0; 100_000], monthly(1)).is_err());
}
