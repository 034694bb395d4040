//! `bench-llm`: prompt and generation speed of our model runtime (`crm_ai::llm`, candle) beside
//! llama.cpp on the same GGUF, the same prompt and the same thread count, in one run; and the
//! memory each weight format holds.
//!
//! The prompt is a chat about a month's sales (about 250 tokens once templated); both engines
//! decode greedily for `--tokens` new tokens (default 128; fewer if the model stops). Ours runs
//! with each weight format (`quantized`: Q4_1 kept 4-bit for our kernels on AVX2, re-quantised
//! to Q8_0 at load elsewhere; `f32`: dequantised).
//! llama.cpp runs through `llama-cpp-python` (`--python`, a Python with it installed; built
//! from source from PyPI: `pip install llama-cpp-python==0.3.16`), fed our prompt's token ids
//! (the tokenizer test shows both engines give the same ids), timing its prompt `eval` and each
//! one-token `eval`.
//!
//! ```text
//! CANDLE_NUM_THREADS=1 RAYON_NUM_THREADS=1 cargo run --release -p crm-bench --bin bench-llm -- \
//!   --model ~/.cache/crm-models/SmolLM2-135M-Instruct.Q4_1.gguf --python /path/to/venv/bin/python
//! ```
//!
//! Prints tokens per second for each, the ratio to llama.cpp, time to first token, load time,
//! and the process's resident memory after each load. Then a general report's commentary as
//! the server writes it (the fact sheet, default sampling, the sentence gate): time to the
//! first token, to the first sentence shown and to the finished commentary, what was kept and
//! what the checker dropped.

use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, bail};
use chrono::NaiveDate;
use crm_ai::llm::{ChatMessage, Event, Llm, LlmConfig, Request, Sampling, WeightFormat};
use crm_ai::narrate::check::Checked;
use crm_ai::narrate::gate::Gate;
use crm_ai::narrate::sheet::{FactSheet, Language};

const SYSTEM: &str = "You are a sales analyst. Comment on the figures in three sentences. \
Use only the numbers given.";
const FACTS: &str = "Company: Acme Trading. Period: March 2026 compared with February 2026. \
Revenue 1,240,000 RUB (up 12.5% from 1,102,000 RUB). Sales: 412 (up 8%). Average order value \
3,010 RUB (up 4%). Buyers: 187, of which 41 new and 146 returning. Top clients: Ivanov LLC \
96,000 RUB, Petrova & Co 71,500 RUB, Sidorov Group 64,200 RUB. At risk: 23 clients with a \
probability of still being active below 40%, together worth 310,000 RUB of expected value. \
Forecast for April 2026: 1,310,000 RUB (80% interval 1,150,000 to 1,470,000). Forecast \
accuracy on held-out months: MASE 0.71 against the seasonal naive method. Seasonality: \
revenue peaks in March and December. Write the commentary now.";

struct Args {
    model: PathBuf,
    python: Option<PathBuf>,
    tokens: usize,
}

fn args() -> anyhow::Result<Args> {
    let mut model = None;
    let mut python = None;
    let mut tokens = 128;
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--model" => model = it.next().map(PathBuf::from),
            "--python" => python = it.next().map(PathBuf::from),
            "--tokens" => tokens = it.next().context("--tokens N")?.parse()?,
            other => bail!("unknown argument {other}"),
        }
    }
    Ok(Args {
        model: model.context("--model PATH is required")?,
        python,
        tokens,
    })
}

fn rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmRSS:")).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|kb| kb.parse::<f64>().ok())
            })
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

struct Figures {
    prompt_tokens: usize,
    generated: usize,
    prompt_tps: f64,
    generation_tps: f64,
    first_token_ms: f64,
}

fn ours(model: &Llm, tokens: usize) -> anyhow::Result<Figures> {
    let request = Request {
        messages: vec![ChatMessage::system(SYSTEM), ChatMessage::user(FACTS)],
        max_tokens: tokens,
        sampling: Sampling {
            temperature: 0.0,
            repeat_penalty: 1.0,
            ..Sampling::default()
        },
    };
    let mut generation = model.generate(request)?;
    loop {
        match generation.next_blocking() {
            Some(Event::Text(_)) => {}
            Some(Event::Finished(f)) => {
                let prompt = f.prompt_time.as_secs_f64();
                return Ok(Figures {
                    prompt_tokens: f.prompt_tokens,
                    generated: f.generated_tokens,
                    // The prompt pass includes sampling the first token.
                    prompt_tps: f.prompt_tokens as f64 / prompt,
                    generation_tps: f.generated_tokens.saturating_sub(1) as f64
                        / f.generation_time.as_secs_f64(),
                    first_token_ms: prompt * 1000.0,
                });
            }
            Some(Event::Failed(e)) => return Err(e.into()),
            None => bail!("the worker stopped"),
        }
    }
}

/// The fact sheet of a general report for March 2026, as `crm_api::reports::narrative` builds
/// one (the same figures as `FACTS`).
fn general_sheet() -> FactSheet {
    let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap_or_default();
    let mut s = FactSheet::new("general sales report");
    s.period("Period", day(3, 1), day(3, 31));
    s.count("Sales", 412);
    s.money("Revenue", 1_240_000.0, "RUB");
    s.percent("Revenue change on the previous period", 12.52);
    s.percent("Sales count change on the previous period", 8.0);
    s.count("Buyers", 187);
    s.count("New buyers", 41);
    s.count("Returning buyers", 146);
    s.money("Average order value", 3_009.71, "RUB");
    s.name("Top client", "Ivanov LLC");
    s.money("Top client revenue", 96_000.0, "RUB");
    s.name("Second client", "Petrova & Co");
    s.money("Second client revenue", 71_500.0, "RUB");
    s
}

/// Writes the commentary of [`general_sheet`] as the server does and prints its timings.
fn commentary(model: &Llm) -> anyhow::Result<()> {
    let sheet = general_sheet();
    let started = Instant::now();
    let mut generation = model.generate(Request {
        messages: sheet.messages(Language::En),
        max_tokens: 160,
        sampling: Sampling::default(),
    })?;
    let mut gate = Gate::new(sheet.facts().clone());
    let (mut first_token, mut first_shown) = (None, None);
    loop {
        match generation.next_blocking() {
            Some(Event::Text(piece)) => {
                first_token.get_or_insert_with(|| started.elapsed());
                if !gate.push(&piece).is_empty() {
                    first_shown.get_or_insert_with(|| started.elapsed());
                }
            }
            Some(Event::Finished(f)) => {
                let done = started.elapsed();
                let text = gate.text().to_owned();
                let checked = gate.finish();
                let ms = |d: Option<std::time::Duration>| {
                    d.map_or("never".to_owned(), |d| {
                        format!("{:.0} ms", d.as_secs_f64() * 1000.0)
                    })
                };
                println!(
                    "commentary of a general report: {} prompt tokens, {} generated; first token {}, first sentence shown {}, finished {}",
                    f.prompt_tokens,
                    f.generated_tokens,
                    ms(first_token),
                    ms(first_shown),
                    ms(Some(done)),
                );
                println!("  the model wrote: {text:?}");
                println!(
                    "  kept {} sentence(s), dropped {}; shown: {}",
                    checked.kept_sentences,
                    checked.dropped.len(),
                    if checked.usable(Checked::MIN_SENTENCES) {
                        format!("{:?}", checked.kept)
                    } else {
                        "nothing (withheld: only the template commentary stands)".to_owned()
                    }
                );
                for d in &checked.dropped {
                    println!("  dropped {:?}: {:?}", d.reason, d.sentence);
                }
                return Ok(());
            }
            Some(Event::Failed(e)) => return Err(e.into()),
            None => bail!("the worker stopped"),
        }
    }
}

const LLAMA_CPP: &str = r#"
import json, sys, time
import numpy as np
import llama_cpp
path, threads, n_new = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
prompt = json.loads(sys.stdin.read())
llm = llama_cpp.Llama(model_path=path, n_ctx=2048, n_batch=512, n_threads=threads,
                      n_threads_batch=threads, verbose=False)
best = None
for _ in range(3):
    llm.reset()
    t0 = time.perf_counter()
    llm.eval(prompt)
    token = int(np.argmax(llm.scores[llm.n_tokens - 1]))
    t1 = time.perf_counter()
    for _ in range(n_new - 1):
        llm.eval([token])
        token = int(np.argmax(llm.scores[llm.n_tokens - 1]))
    t2 = time.perf_counter()
    run = (t1 - t0, t2 - t1)
    best = run if best is None or sum(run) < sum(best) else best
print(json.dumps({"prompt_s": best[0], "generation_s": best[1]}))
"#;

fn llama_cpp(
    python: &PathBuf,
    model: &PathBuf,
    prompt: &[u32],
    new: usize,
    threads: usize,
) -> anyhow::Result<(f64, f64)> {
    let mut child = Command::new(python)
        .args(["-c", LLAMA_CPP])
        .arg(model)
        .arg(threads.to_string())
        .arg(new.to_string())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .context("starting python")?;
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().context("stdin")?;
        stdin.write_all(serde_json::to_string(prompt)?.as_bytes())?;
    }
    let output = child.wait_with_output()?;
    if !output.status.success() {
        bail!("llama-cpp-python failed: {}", output.status);
    }
    let v: serde_json::Value = serde_json::from_slice(&output.stdout)?;
    let prompt_s = v
        .get("prompt_s")
        .and_then(serde_json::Value::as_f64)
        .context("prompt_s")?;
    let generation_s = v
        .get("generation_s")
        .and_then(serde_json::Value::as_f64)
        .context("generation_s")?;
    Ok((
        prompt.len() as f64 / prompt_s,
        (new.saturating_sub(1)) as f64 / generation_s,
    ))
}

fn main() -> anyhow::Result<()> {
    let args = args()?;
    let threads: usize = std::env::var("CANDLE_NUM_THREADS")
        .ok()
        .and_then(|v| v.parse().ok())
        .context("set CANDLE_NUM_THREADS (the thread count both engines use)")?;
    // candle's f32 GEMM and our quantized kernels size their work by rayon's pool, which
    // reads RAYON_NUM_THREADS (default: every core): without it ours would run on more
    // threads than llama.cpp.
    let rayon: Option<usize> = std::env::var("RAYON_NUM_THREADS")
        .ok()
        .and_then(|v| v.parse().ok());
    if rayon != Some(threads) {
        bail!("set RAYON_NUM_THREADS={threads} too (the same count as CANDLE_NUM_THREADS)");
    }
    println!(
        "model {}, {threads} thread(s), {} new tokens at most, greedy",
        args.model.display(),
        args.tokens
    );
    println!("resident memory before loading: {:.0} MB", rss_mb());
    let mut prompt_ids = Vec::new();
    let mut ours_by_format = Vec::new();
    for format in [WeightFormat::Quantized, WeightFormat::F32] {
        let started = Instant::now();
        let model = Llm::load(
            &args.model,
            &LlmConfig {
                weights: format,
                queue: 1,
            },
        )?;
        let load = started.elapsed();
        let rss = rss_mb();
        ours(&model, 8)?; // warm-up
        let mut best: Option<Figures> = None;
        for _ in 0..3 {
            let f = ours(&model, args.tokens)?;
            if best
                .as_ref()
                .is_none_or(|b| f.prompt_tps + f.generation_tps > b.prompt_tps + b.generation_tps)
            {
                best = Some(f);
            }
        }
        let best = best.context("no run")?;
        if prompt_ids.is_empty() {
            prompt_ids =
                model.prompt_tokens(&[ChatMessage::system(SYSTEM), ChatMessage::user(FACTS)])?;
        }
        println!(
            "ours ({format:?}): load {:.2} s, weights {} MB, resident {:.0} MB; prompt {} tokens at {:.0} tok/s (first token {:.0} ms); {} tokens generated at {:.1} tok/s",
            load.as_secs_f64(),
            model.info().weight_bytes >> 20,
            rss,
            best.prompt_tokens,
            best.prompt_tps,
            best.first_token_ms,
            best.generated,
            best.generation_tps
        );
        if format == WeightFormat::Quantized {
            commentary(&model)?;
        }
        ours_by_format.push((format, best));
        drop(model);
    }
    let Some(python) = args.python else {
        println!("llama.cpp: skipped (no --python)");
        return Ok(());
    };
    let generated = ours_by_format
        .first()
        .map_or(args.tokens, |(_, f)| f.generated.max(2));
    let (prompt_tps, generation_tps) =
        llama_cpp(&python, &args.model, &prompt_ids, generated, threads)?;
    println!(
        "llama.cpp (Q4_1 as shipped): prompt {} tokens at {prompt_tps:.0} tok/s; {generated} tokens generated at {generation_tps:.1} tok/s",
        prompt_ids.len()
    );
    for (format, f) in &ours_by_format {
        println!(
            "ratio ours ({format:?}) / llama.cpp: prompt {:.2}x, generation {:.2}x",
            f.prompt_tps / prompt_tps,
            f.generation_tps / generation_tps
        );
    }
    Ok(())
}
