use crm_ai::customers::{
    BgNbd, Customer, FitError, GammaGamma, Spender, clv, fit_bg_nbd, fit_gamma_gamma,
};

use crate::fixtures::{Random, column, json};

fn cdnow(file: &str) -> (Vec<Customer>, Vec<Spender>) {
    let x = column(file, "frequency");
    let t_x = column(file, "recency");
    let t = column(file, "T");
    let m = column(file, "monetary_value");
    let customers = (0..x.len())
        .map(|i| Customer {
            frequency: x[i] as u32,
            recency: t_x[i],
            age: t[i],
        })
        .collect();
    let spenders = (0..x.len())
        .map(|i| Spender {
            frequency: x[i] as u32,
            mean_value: m[i],
        })
        .collect();
    (customers, spenders)
}

fn close(got: f64, expected: f64, relative: f64) -> bool {
    (got - expected).abs() <= relative * expected.abs()
}

/// Fader, Hardie & Lee (2005) Table/§5 estimates on the CDNOW sample (2,357 customers, weeks).
#[test]
fn cdnow_sample_reproduces_the_papers_estimates() {
    let (customers, spenders) = cdnow("cdnow_sample_summary.csv");
    assert_eq!(customers.len(), 2357);
    let fit = fit_bg_nbd(&customers).unwrap();
    let BgNbd { r, alpha, a, b } = fit.params;
    println!(
        "BG/NBD {:?}, LL {}, {} iterations",
        fit.params, fit.log_likelihood, fit.iterations
    );
    assert!(fit.converged);
    for (name, got, paper) in [
        ("r", r, 0.243),
        ("alpha", alpha, 4.414),
        ("a", a, 0.793),
        ("b", b, 2.426),
    ] {
        assert!(close(got, paper, 0.01), "{name} = {got}, paper {paper}");
    }
    assert!(
        (fit.log_likelihood - -9582.4).abs() < 0.1,
        "LL {}",
        fit.log_likelihood
    );
    assert!((fit.params.total_log_likelihood(&customers) - fit.log_likelihood).abs() < 1e-6);

    let gg = fit_gamma_gamma(&spenders).unwrap();
    println!(
        "Gamma-Gamma {:?}, LL {}, {} iterations",
        gg.params, gg.log_likelihood, gg.iterations
    );
    assert!(gg.converged);
    assert_eq!(gg.customers, 946);
    let GammaGamma { p, q, gamma } = gg.params;
    for (name, got, paper) in [("p", p, 6.25), ("q", q, 3.74), ("gamma", gamma, 15.44)] {
        assert!(close(got, paper, 0.01), "{name} = {got}, paper {paper}");
    }
    let recorded = json("cdnow_sample_lifetimes.json");
    let gg_ll = recorded["gamma_gamma"]["log_likelihood_total"]
        .as_f64()
        .unwrap();
    assert!(
        (gg.log_likelihood - gg_ll).abs() < 1e-3,
        "{} vs lifetimes {gg_ll}",
        gg.log_likelihood
    );
}

/// Per-customer predictions against `lifetimes` 0.11.3 on the same data (recorded in the
/// fixture): P(alive), expected purchases in 30 and 90 days, expected order value and 12-month
/// CLV (months of 4.345 weeks, 1% a month).
#[test]
fn cdnow_sample_predictions_match_lifetimes() {
    let (customers, spenders) = cdnow("cdnow_sample_summary.csv");
    let bg = fit_bg_nbd(&customers).unwrap().params;
    let gg = fit_gamma_gamma(&spenders).unwrap().params;
    let recorded = json("cdnow_sample_lifetimes.json");
    let t30 = recorded["prediction_args"]["t30d_weeks"].as_f64().unwrap();
    let t90 = recorded["prediction_args"]["t90d_weeks"].as_f64().unwrap();
    let cases = recorded["customers"].as_array().unwrap();
    assert_eq!(cases.len(), 8);
    for case in cases {
        let number = |k: &str| case[k].as_f64().unwrap();
        let c = Customer {
            frequency: number("frequency") as u32,
            recency: number("recency"),
            age: number("T"),
        };
        let m = number("monetary_value");
        let value = gg.expected_order_value(c.frequency, m).unwrap();
        let checks = [
            (
                "P(alive)",
                bg.p_alive(&c),
                number("conditional_probability_alive"),
            ),
            (
                "E[Y(30d)]",
                bg.expected_purchases(&c, t30),
                number("expected_purchases_t30d"),
            ),
            (
                "E[Y(90d)]",
                bg.expected_purchases(&c, t90),
                number("expected_purchases_t90d"),
            ),
            (
                "E[M]",
                value,
                number("gg_conditional_expected_average_profit"),
            ),
            (
                "CLV",
                clv(&bg, &c, value, 12, 4.345, 0.01),
                number("clv_12m_W_d0.01"),
            ),
        ];
        for (what, got, expected) in checks {
            // Both fits stop at their own tolerance: agree to 0.1% (or 1e-9 absolute near 0).
            assert!(
                (got - expected).abs() <= 1e-3 * expected.abs() + 1e-9,
                "customer {}: {what} {got} vs lifetimes {expected}",
                case["customer_id"]
            );
        }
    }
}

/// Customers simulated from the BG/NBD story with known parameters (52 weeks of observation,
/// staggered starts): the fit recovers them.
#[test]
fn recovers_simulated_parameters() {
    let truth = BgNbd {
        r: 0.5,
        alpha: 6.0,
        a: 0.8,
        b: 3.0,
    };
    let mut random = Random::new(42);
    let customers: Vec<Customer> = (0..20_000)
        .map(|i| {
            let age = 52.0 - f64::from(i % 13);
            let rate = random.gamma(truth.r) / truth.alpha;
            let dropout = random.beta(truth.a, truth.b);
            let (mut time, mut last, mut frequency) = (0.0, 0.0, 0u32);
            loop {
                time += random.exponential(rate);
                if time > age {
                    break;
                }
                frequency += 1;
                last = time;
                if random.uniform() < dropout {
                    break;
                }
            }
            Customer {
                frequency,
                recency: last,
                age,
            }
        })
        .collect();
    let started = std::time::Instant::now();
    let fit = fit_bg_nbd(&customers).unwrap();
    println!("fitted {:?} in {:?}", fit.params, started.elapsed());
    assert!(fit.converged);
    let BgNbd { r, alpha, a, b } = fit.params;
    // 20,000 customers: r, α within 5%, a, b within 10% (b is the least determined).
    assert!(close(r, truth.r, 0.05), "r {r}");
    assert!(close(alpha, truth.alpha, 0.05), "alpha {alpha}");
    assert!(close(a, truth.a, 0.10), "a {a}");
    assert!(close(b, truth.b, 0.10), "b {b}");

    let truth = GammaGamma {
        p: 4.0,
        q: 3.0,
        gamma: 50.0,
    };
    let spenders: Vec<Spender> = (0..10_000)
        .map(|i| {
            let frequency = 1 + i % 6;
            let nu = random.gamma(truth.q) / truth.gamma;
            let total: f64 = (0..frequency).map(|_| random.gamma(truth.p) / nu).sum();
            Spender {
                frequency,
                mean_value: total / f64::from(frequency),
            }
        })
        .collect();
    let fit = fit_gamma_gamma(&spenders).unwrap();
    println!("fitted {:?}", fit.params);
    let GammaGamma { p, q, gamma } = fit.params;
    assert!(close(p, truth.p, 0.10), "p {p}");
    assert!(close(q, truth.q, 0.10), "q {q}");
    assert!(close(gamma, truth.gamma, 0.10), "gamma {gamma}");
}

#[test]
fn bad_input_is_refused_with_a_reason() {
    let good = Customer {
        frequency: 1,
        recency: 2.0,
        age: 10.0,
    };
    let bad = [
        Customer {
            frequency: 1,
            recency: 12.0,
            age: 10.0,
        },
        Customer {
            frequency: 0,
            recency: 2.0,
            age: 10.0,
        },
        Customer {
            frequency: 1,
            recency: f64::NAN,
            age: 10.0,
        },
    ];
    for b in bad {
        assert!(
            matches!(fit_bg_nbd(&[good, good, b]), Err(FitError::Input(_))),
            "{b:?}"
        );
    }
    assert!(matches!(fit_bg_nbd(&[good]), Err(FitError::TooFew { .. })));
    let new = Customer {
        frequency: 0,
        recency: 0.0,
        age: 3.0,
    };
    assert_eq!(fit_bg_nbd(&[new, new, new]), Err(FitError::NoRepeatBuyers));
    assert!(matches!(
        fit_gamma_gamma(&[Spender {
            frequency: 0,
            mean_value: 1.0
        }]),
        Err(FitError::TooFew { .. })
    ));
}
