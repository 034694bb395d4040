//! `bench-customers`, the customer-model benchmark: BG/NBD and Gamma-Gamma fit time of `crm-ai` against the reference
//! implementation, Python's `lifetimes`, on the same data in the same run.
//!
//! Data: the CDNOW master file's calibration summary (23,570 customers, 39 weeks; built from the
//! file `lifetimes` ships, by `ai/tests/fixtures/make_fixtures.py`). Our fits run 21 times
//! (the first is a warm-up) and the median and minimum are printed; `lifetimes` runs
//! `ai/tests/fixtures/lifetimes_fit_time.py` 3 times and its minimum counts, so the reference
//! is given its best run. The parameters of both are printed with their largest relative
//! difference. Targets: ≥ 10× faster, parameters equal to 1e-3.
//!
//! Run it with
//!
//! ```text
//! python3 -m venv ~/.cache/crm-py && ~/.cache/crm-py/bin/pip install lifetimes==0.11.3
//! cargo run --release -p crm-bench --bin bench-customers [-- --python PATH]
//! ```

// A benchmark program: a panic on a broken assumption is the right answer.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, ensure};
use crm_ai::customers::{Customer, Spender, fit_bg_nbd, fit_gamma_gamma};
use serde_json::Value;

const SUMMARY: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../ai/tests/fixtures/cdnow_master_summary.csv"
);
const REFERENCE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../ai/tests/fixtures/lifetimes_fit_time.py"
);

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let python = args
        .iter()
        .position(|a| a == "--python")
        .and_then(|i| args.get(i + 1).cloned())
        .unwrap_or_else(|| {
            format!(
                "{}/.cache/crm-py/bin/python",
                std::env::var("HOME").unwrap_or_default()
            )
        });

    let (customers, spenders) = load(SUMMARY)?;
    println!(
        "CDNOW master calibration summary: {} customers, {} repeat buyers",
        customers.len(),
        spenders.iter().filter(|s| s.frequency > 0).count()
    );

    let mut bg_times = Vec::new();
    let mut gg_times = Vec::new();
    let (mut bg, mut gg) = (None, None);
    for _ in 0..21 {
        let started = Instant::now();
        bg = Some(fit_bg_nbd(&customers)?);
        let middle = Instant::now();
        gg = Some(fit_gamma_gamma(&spenders)?);
        bg_times.push(middle - started);
        gg_times.push(middle.elapsed());
    }
    let (bg, gg) = (bg.unwrap(), gg.unwrap());
    bg_times.remove(0);
    gg_times.remove(0);

    let mut reference: Option<Value> = None;
    for _ in 0..3 {
        let output = Command::new(&python)
            .args([REFERENCE, SUMMARY])
            .output()
            .with_context(|| format!("running {python}"))?;
        ensure!(
            output.status.success(),
            "lifetimes failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let run: Value = serde_json::from_slice(&output.stdout)?;
        let total =
            |v: &Value| v["bgnbd_seconds"].as_f64().unwrap() + v["gg_seconds"].as_f64().unwrap();
        if reference
            .as_ref()
            .is_none_or(|best| total(&run) < total(best))
        {
            reference = Some(run);
        }
    }
    let reference = reference.unwrap();
    let seconds = |k: &str| reference[k].as_f64().unwrap();

    let ours_bg = median(&bg_times);
    let ours_gg = median(&gg_times);
    let (ref_bg, ref_gg) = (seconds("bgnbd_seconds"), seconds("gg_seconds"));
    println!();
    println!(
        "{:<22} {:>14} {:>14} {:>14} {:>9}",
        "fit", "crm-ai median", "crm-ai min", "lifetimes min", "speed-up"
    );
    let row = |name: &str, times: &[Duration], ours: f64, reference: f64| {
        let min = times.iter().min().unwrap().as_secs_f64();
        println!(
            "{name:<22} {:>12.2}ms {:>12.2}ms {:>12.2}ms {:>8.1}×",
            ours * 1e3,
            min * 1e3,
            reference * 1e3,
            reference / ours
        );
    };
    row("BG/NBD", &bg_times, ours_bg, ref_bg);
    row("Gamma-Gamma", &gg_times, ours_gg, ref_gg);
    let total_times: Vec<Duration> = bg_times
        .iter()
        .zip(&gg_times)
        .map(|(a, b)| *a + *b)
        .collect();
    row("both", &total_times, median(&total_times), ref_bg + ref_gg);
    println!("target: ≥ 10× for both together");

    println!();
    println!(
        "{:<6} {:>14} {:>14} {:>12}",
        "param", "crm-ai", "lifetimes", "rel. diff"
    );
    let mut worst: f64 = 0.0;
    let params = [
        ("r", bg.params.r, "r"),
        ("alpha", bg.params.alpha, "alpha"),
        ("a", bg.params.a, "a"),
        ("b", bg.params.b, "b"),
        ("p", gg.params.p, "p"),
        ("q", gg.params.q, "q"),
        ("gamma", gg.params.gamma, "v"),
    ];
    for (name, ours, key) in params {
        let theirs = seconds(key);
        let diff = (ours - theirs).abs() / theirs.abs();
        worst = worst.max(diff);
        println!("{name:<6} {ours:>14.6} {theirs:>14.6} {diff:>12.2e}");
    }
    println!("largest relative difference {worst:.2e} (target ≤ 1e-3)");
    println!(
        "BG/NBD: converged {} after {} iterations; Gamma-Gamma: converged {} after {} iterations",
        bg.converged, bg.iterations, gg.converged, gg.iterations
    );
    Ok(())
}

fn median(times: &[Duration]) -> f64 {
    let mut sorted: Vec<f64> = times.iter().map(Duration::as_secs_f64).collect();
    sorted.sort_by(f64::total_cmp);
    sorted[sorted.len() / 2]
}

fn load(path: &str) -> Result<(Vec<Customer>, Vec<Spender>)> {
    let text = std::fs::read_to_string(PathBuf::from(path)).with_context(|| path.to_owned())?;
    let mut customers = Vec::new();
    let mut spenders = Vec::new();
    for line in text.lines().skip(1).filter(|l| !l.is_empty()) {
        let f: Vec<&str> = line.split(',').collect();
        let frequency: f64 = f[1].parse()?;
        let frequency = frequency as u32;
        customers.push(Customer {
            frequency,
            recency: f[2].parse()?,
            age: f[3].parse()?,
        });
        spenders.push(Spender {
            frequency,
            mean_value: f[4].parse()?,
        });
    }
    Ok((customers, spenders))
}
