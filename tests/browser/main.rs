//! The web app in a real browser: a bundle built by `web/scripts/bundle.sh` (server binary
//! plus wasm), Debian's Chromium driven through chromedriver from Rust (fantoccini), on SQLite
//! and on PostgreSQL. Each step saves a screenshot under `test-artifacts/browser-<backend>/`.
//!
//! The bundle is looked for in `CRM_UI_BUNDLE` (default `dist/` at the top of the checkout, the
//! README's release bundle); `tests/run.sh` (the README's test command) builds one in
//! `target/test-bundle` from the release wasm and the server binary of its own test build.

// A test: a panic on a missing element is its answer.
#![allow(clippy::indexing_slicing)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crm_test_support::{Backend, ScratchDb};
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

mod fake_model;

/// One browser flow at a time: two Chromiums on two cores only slow each other down.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

const WAIT: Duration = Duration::from_secs(30);

/// The server's access-token lifetime in these flows.
const ACCESS_TTL_SECS: u64 = 1;
/// How long a token stays accepted after it expired (the verifier's leeway for clock skew).
const TOKEN_LEEWAY_SECS: u64 = 5;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn bundle() -> PathBuf {
    let dir = std::env::var_os("CRM_UI_BUNDLE")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("dist"));
    assert!(
        dir.join("server").is_file() && dir.join("public/index.html").is_file(),
        "no web bundle in {}: build it with web/scripts/bundle.sh (tests/run.sh does)",
        dir.display()
    );
    dir
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("no free port: {e}"))
}

/// A child process killed when the test ends, however it ends.
struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Waits until `url` answers over HTTP.
async fn wait_http(url: &str, what: &str, child: &mut Process) {
    let http = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if http.get(url).send().await.is_ok() {
            return;
        }
        if let Ok(Some(status)) = child.0.try_wait() {
            panic!("{what} exited with {status}");
        }
        assert!(Instant::now() < deadline, "{what} did not answer at {url}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

struct Flow {
    browser: Client,
    base: String,
    shots: PathBuf,
    step: u32,
    http: reqwest::Client,
    /// chromedriver, for a second browser session.
    driver_url: String,
    /// Where browser profiles go.
    profiles: PathBuf,
}

/// A Chromium session: a fresh profile at `profile`, scripts on or off, the browser's
/// languages `languages` (an `Accept-Language` value).
async fn session(
    driver_url: &str,
    base: &str,
    profile: &Path,
    scripts: bool,
    languages: &str,
) -> Client {
    let mut clipboard = serde_json::Map::new();
    clipboard.insert(format!("{base},*"), json!({ "setting": 1 }));
    let mut args = vec![
        "--headless=new".to_owned(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--disable-dev-shm-usage".into(),
        "--disable-background-networking".into(),
        "--disable-component-update".into(),
        "--no-first-run".into(),
        "--disable-sync".into(),
        "--disable-quic".into(),
        "--window-size=1280,900".into(),
        format!("--lang={}", languages.split(',').next().unwrap_or("en-US")),
        format!("--user-data-dir={}", profile.display()),
    ];
    if !scripts {
        // As on a link so slow that the app's code has not arrived: the page as the server
        // rendered it, and nothing else.
        args.push("--blink-settings=scriptEnabled=false".into());
    }
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": std::env::var("CRM_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
            "args": args,
            "prefs": {
                "intl.accept_languages": languages,
                // Lets the test read the clipboard back after the Copy button.
                "profile.content_settings.exceptions.clipboard": clipboard,
            },
        }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(driver_url)
        .await
        .unwrap_or_else(|e| panic!("WebDriver session: {e}"))
}

impl Flow {
    /// A window of `width`×`height` CSS pixels: 390×844 is a phone, 1280×900 the desktop.
    async fn resize(&self, width: u32, height: u32) {
        self.browser
            .set_window_size(width, height)
            .await
            .unwrap_or_else(|e| panic!("resize to {width}×{height}: {e}"));
    }

    async fn shot(&mut self, name: &str) {
        self.step += 1;
        let png = self
            .browser
            .screenshot()
            .await
            .unwrap_or_else(|e| panic!("screenshot {name}: {e}"));
        let path = self.shots.join(format!("{:02}-{name}.png", self.step));
        std::fs::write(&path, png).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }

    async fn go(&self, path: &str) {
        self.browser
            .goto(&format!("{}{path}", self.base))
            .await
            .unwrap_or_else(|e| panic!("goto {path}: {e}"));
    }

    async fn find(&self, css: &str) -> fantoccini::elements::Element {
        self.browser
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no {css}: {e}"))
    }

    /// Waits until the element's text contains `needle`; returns the text.
    async fn text_contains(&self, css: &str, needle: &str) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let text = match self.browser.find(Locator::Css(css)).await {
                Ok(e) => e.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if text.contains(needle) {
                return text;
            }
            assert!(
                Instant::now() < deadline,
                "{css} never contained {needle:?}; it says {text:?}"
            );
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
    }

    /// Waits until the app is interactive: the wasm bundle has hydrated the page.
    async fn hydrated(&self) {
        let deadline = Instant::now() + WAIT;
        loop {
            let done = self
                .browser
                .execute(
                    "return document.documentElement.dataset.hydrated === '1';",
                    vec![],
                )
                .await
                .ok()
                .and_then(|v| v.as_bool())
                .unwrap_or(false);
            if done {
                return;
            }
            assert!(Instant::now() < deadline, "the page never hydrated");
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
    }

    /// The file behind a download link, fetched by the page (its session cookie) with the
    /// link's language switched to Russian.
    async fn download(&self, link: &str) -> Vec<u8> {
        let script = format!(
            "fetch(document.querySelector('{link}').href.replace('lang=en', 'lang=ru'))
               .then(r => r.ok ? r.arrayBuffer() : Promise.reject(r.status))
               .then(b => {{ let s = ''; new Uint8Array(b).forEach(c => s += String.fromCharCode(c)); arguments[0](btoa(s)); }})
               .catch(e => arguments[0]('failed: ' + e));"
        );
        let got = self
            .browser
            .execute_async(&script, vec![])
            .await
            .unwrap_or_else(|e| panic!("download {link}: {e}"));
        let text = got.as_str().unwrap_or_default();
        use base64::Engine;
        base64::engine::general_purpose::STANDARD
            .decode(text)
            .unwrap_or_else(|e| panic!("download {link}: {text}: {e}"))
    }

    async fn type_into(&self, css: &str, text: &str) {
        let field = self.find(css).await;
        field
            .clear()
            .await
            .unwrap_or_else(|e| panic!("clear {css}: {e}"));
        field
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("type into {css}: {e}"));
    }

    async fn click(&self, css: &str) {
        self.find(css)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    async fn graphql(&self, token: &str, query: &str, variables: Value) -> Value {
        let answer: Value = self
            .http
            .post(format!("{}/graphql", self.base))
            .bearer_auth(token)
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .unwrap_or_else(|e| panic!("GraphQL: {e}"))
            .json()
            .await
            .unwrap_or_else(|e| panic!("GraphQL answer: {e}"));
        assert!(answer.get("errors").is_none(), "{answer}");
        answer["data"].clone()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_flow_on_sqlite() {
    browser_flow(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_flow_on_postgres() {
    browser_flow(true).await;
}

async fn browser_flow(postgres: bool) {
    let _serial = SERIAL.lock().await;
    let backend = if postgres { "postgres" } else { "sqlite" };
    let bundle = bundle();
    let db = ScratchDb::new(
        if postgres {
            Backend::Postgres
        } else {
            Backend::Sqlite
        },
        "browser",
    )
    .await;

    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    // The assistant's words come from an OpenAI-compatible server, so what it writes (and what
    // the checker must drop) is known; the local model's own smoke test is in `ai/tests`.
    let model_url = fake_model::start().await;
    let mut server = Process(
        Command::new(bundle.join("server"))
            .current_dir(&bundle)
            .env("CRM_LISTEN", format!("127.0.0.1:{port}"))
            .env("DATABASE_URL", &db.url)
            .env("CRM_DATA_DIR", db.dir())
            // Every step of a report job waits this long, so a general report (seven steps)
            // runs long enough to show its progress and be cancelled.
            .env("CRM_FAULT_REPORT_STEP_PAUSE_MS", "700")
            // Access tokens expire every few seconds, so every later step also shows the
            // session renewing itself (several calls of one page at once included).
            .env("CRM_ACCESS_TOKEN_TTL_SECS", ACCESS_TTL_SECS.to_string())
            .env("CRM_MODEL", "off")
            .env("CRM_LLM_BASE_URL", &model_url)
            .env("CRM_LLM_MODEL", "analyst-model")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("starting {}: {e}", bundle.join("server").display())),
    );
    wait_http(&format!("{base}/health"), "the web server", &mut server).await;

    let driver_port = free_port();
    let mut driver = Process(
        Command::new("chromedriver")
            .arg(format!("--port={driver_port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("starting chromedriver (apt-get install chromium-driver): {e}")
            }),
    );
    wait_http(
        &format!("http://127.0.0.1:{driver_port}/status"),
        "chromedriver",
        &mut driver,
    )
    .await;

    let driver_url = format!("http://127.0.0.1:{driver_port}");
    let browser = session(
        &driver_url,
        &base,
        &db.dir().join("chromium-profile"),
        true,
        "en-US,en",
    )
    .await;

    let shots = root()
        .join("test-artifacts")
        .join(format!("browser-{backend}"));
    let _ = std::fs::remove_dir_all(&shots);
    std::fs::create_dir_all(&shots).unwrap_or_else(|e| panic!("{}: {e}", shots.display()));
    let mut f = Flow {
        browser,
        base,
        shots,
        step: 0,
        http: reqwest::Client::new(),
        driver_url,
        profiles: db.dir().to_owned(),
    };
    // A failed step still closes the browser (killing chromedriver alone leaves Chromium
    // running) and drops the database; then the failure is reported.
    let outcome =
        futures::FutureExt::catch_unwind(std::panic::AssertUnwindSafe(steps(&mut f, backend)))
            .await;
    let _ = f.browser.clone().close().await;
    drop(server);
    drop(driver);
    drop(db);
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

async fn steps(f: &mut Flow, backend: &str) {
    let email = format!("owner-{backend}@shop.example");
    let password = "browser test password";

    // Register: the form checks the password length itself, then the API creates the account.
    f.go("/register").await;
    f.hydrated().await;
    f.type_into("#register-form input[name=email]", &email)
        .await;
    f.type_into("#register-form input[name=password]", "short")
        .await;
    f.type_into("#register-form input[name=displayName]", "Вера Кузнецова")
        .await;
    f.type_into("#register-form input[name=companyName]", "Лавка у дома")
        .await;
    f.click("#register-form button[type=submit]").await;
    // The browser itself refuses the short password (minlength) before anything is sent.
    let too_short = f
        .browser
        .execute("return document.querySelector('#register-form input[name=password]').validity.tooShort;", vec![])
        .await
        .unwrap_or_else(|e| panic!("validity: {e}"));
    assert_eq!(too_short, json!(true));
    assert!(
        f.browser
            .current_url()
            .await
            .map(|u| u.path() == "/register")
            .unwrap_or(false)
    );
    f.shot("register-short-password").await;
    f.type_into("#register-form input[name=password]", password)
        .await;
    // By keyboard: Enter in a field sends the form.
    f.find("#register-form input[name=password]")
        .await
        .send_keys(&char::from(Key::Enter).to_string())
        .await
        .unwrap_or_else(|e| panic!("enter: {e}"));
    f.text_contains("main", "This month").await;
    f.shot("start-screen").await;

    // The access token expires; the next page renews the session and stays signed in, and
    // so does the one after (the renewed tokens reached the browser's cookie).
    for path in ["/", "/clients"] {
        tokio::time::sleep(Duration::from_secs(ACCESS_TTL_SECS + TOKEN_LEEWAY_SECS + 1)).await;
        f.go(path).await;
        f.hydrated().await;
        // Signed out, the shell shows the sign-in form instead of the menu.
        f.find("#sign-out").await;
    }
    f.go("/").await;
    f.text_contains("main", "This month").await;
    f.shot("still-signed-in-after-expiry").await;

    // An API key, read from the page; the Copy button reports success only once copied.
    f.go("/api-keys").await;
    f.hydrated().await;
    f.type_into("#create-key input[name=name]", "Shop sync")
        .await;
    f.click("#create-key button[type=submit]").await;
    let key = f
        .find("#new-key-secret")
        .await
        .text()
        .await
        .unwrap_or_default();
    assert!(key.starts_with("crm_"), "{key}");
    // The example runs as pasted: it names this server, not a variable to fill in.
    f.text_contains("#key-example", &format!("curl -s \"{}/graphql\"", f.base))
        .await;
    f.text_contains("#keys-table", "read and write").await;
    f.click("#copy-key").await;
    f.text_contains("#copy-key", "Copied").await;
    let copied = f
        .browser
        .execute_async(
            "navigator.clipboard.readText().then(arguments[0], () => arguments[0](null));",
            vec![],
        )
        .await
        .unwrap_or_else(|e| panic!("clipboard: {e}"));
    assert_eq!(
        copied,
        json!(key),
        "the Copy button put the key on the clipboard"
    );
    f.shot("api-key-created").await;

    // The shop pushes clients and sales with that key.
    let clients: Vec<Value> = (0..30)
        .map(|i| json!({"externalId": format!("c{i}"), "name": format!("Покупатель {i:02}"), "email": format!("c{i}@buyers.example")}))
        .collect();
    let data = f
        .graphql(
            &key,
            "mutation($r: [ClientUpsertInput!]!) { upsertClients(clients: $r) { created } }",
            json!({"r": clients}),
        )
        .await;
    assert_eq!(data["upsertClients"]["created"], 30);
    let now = chrono::Utc::now();
    let sales: Vec<Value> = (0..12)
        .map(|i| {
            json!({"externalId": format!("s{i}"), "clientExternalId": format!("c{}", i % 4),
                        "amountMinor": 100_000 * (i + 1), "currency": "RUB",
                        "soldAt": (now - chrono::Duration::hours(i)).to_rfc3339()})
        })
        .collect();
    let data = f
        .graphql(
            &key,
            "mutation($r: [SaleUpsertInput!]!) { upsertSales(sales: $r) { created } }",
            json!({"r": sales}),
        )
        .await;
    assert_eq!(data["upsertSales"]["created"], 12);

    // The lists show them.
    f.go("/clients?sort=total").await;
    f.text_contains("#clients-count", "30 clients").await;
    f.text_contains("#clients-table", "Покупатель 03").await;
    f.shot("clients-list").await;
    // A client opened from the sorted list links back to the list as it was left.
    f.hydrated().await;
    f.click("#clients-table tbody a[href^='/clients/']").await;
    f.text_contains(".crumbs", "Clients").await;
    f.click(".crumbs a").await;
    f.text_contains("#clients-count", "30 clients").await;
    let back = f
        .browser
        .current_url()
        .await
        .unwrap_or_else(|e| panic!("current URL: {e}"));
    assert!(back.as_str().contains("sort=total"), "{back}");
    f.go("/sales").await;
    f.text_contains("#sales-count", "12 sales").await;
    f.shot("sales-list").await;

    // A report: a quick period in the builder (the app navigates), then another type through
    // the form (a plain GET), the chart, and downloads that the session cookie alone opens.
    f.go("/reports/new").await;
    f.hydrated().await;
    f.click(".presets a:last-child").await;
    // A long report shows its progress, then itself.
    f.find("#report-progress progress").await;
    f.shot("report-progress").await;
    f.text_contains("#key-figures", "12").await;
    f.find("#chart-periods svg").await;
    f.text_contains("#chart-buyers svg .legend", "returning")
        .await;
    // The assistant's commentary streams in beside the summary, a checked sentence at a time,
    // labelled as AI; the sentence with an invented figure never shows.
    f.text_contains("#ai-text", "That is a good result.").await;
    let partial = f.find("#ai-text").await.text().await.unwrap_or_default();
    assert!(
        partial.starts_with("Revenue reached ") && !partial.contains("Keep it up"),
        "shown before the model finished: {partial}"
    );
    f.text_contains("#ai-label", "AI · written by the assistant")
        .await;
    f.shot("report-commentary-streaming").await;
    f.text_contains("#ai-text", "Keep it up.").await;
    let done = f.find("#ai-text").await.text().await.unwrap_or_default();
    assert!(!done.contains("Globex") && !done.contains("40"), "{done}");
    f.text_contains("#ai-label", "analyst-model").await;
    f.shot("report-general").await;
    f.find("#report-builder select[name=kind]")
        .await
        .select_by_value("trends")
        .await
        .unwrap_or_else(|e| panic!("kind: {e}"));
    f.click("#report-builder button[type=submit]").await;
    f.find("#chart-trend svg").await;
    f.find("#table-series").await;
    f.shot("report-trends").await;
    // Each download, as the browser gets it with its session cookie, in Russian: opened and
    // read — a year by month under Russian headings. No forecast rows: this shop's history is
    // one full month (November; the months before its first sale are not history), too short
    // to forecast from.
    let rows = 1 + 12;
    let csv = String::from_utf8(f.download("#export-csv").await).unwrap_or_default();
    assert!(csv.starts_with('\u{feff}'), "a BOM for spreadsheets: {csv}");
    assert_eq!(csv.lines().count(), rows, "{csv}");
    assert!(
        csv.lines().next().unwrap_or_default().contains("Период"),
        "{csv}"
    );
    let xlsx = f.download("#export-xlsx").await;
    let mut book: calamine::Xlsx<_> = calamine::Xlsx::new(std::io::Cursor::new(xlsx))
        .unwrap_or_else(|e| panic!("the XLSX opens: {e}"));
    use calamine::Reader;
    let sheet = book
        .worksheet_range("Выручка")
        .unwrap_or_else(|e| panic!("the revenue sheet: {e}"));
    assert_eq!(sheet.rows().count(), rows);
    assert_eq!(
        sheet.get((0, 0)).map(ToString::to_string).as_deref(),
        Some("Период")
    );
    let pdf = f.download("#export-pdf").await;
    let text = pdf_extract::extract_text_from_mem(&pdf).unwrap_or_else(|e| panic!("PDF: {e}"));
    assert!(
        text.contains("Тренды продаж") && text.contains("Период"),
        "{text}"
    );

    // Save it, share it through a read-only link, open the link without the session (as a
    // stranger's browser would), revoke it: the link is refused.
    f.hydrated().await;
    f.type_into("#save-report input[name=name]", "Тренд года")
        .await;
    f.click("#save-report button[type=submit]").await;
    f.click("#report-saved a").await;
    f.text_contains("#saved-name", "Тренд года").await;
    f.hydrated().await;
    f.click("#create-link button[type=submit]").await;
    let link = f
        .find("#new-link-url")
        .await
        .attr("href")
        .await
        .unwrap_or_else(|e| panic!("link: {e}"))
        .unwrap_or_default();
    assert!(link.starts_with("/shared/"), "{link}");
    f.find("#links button").await;
    f.shot("report-saved-and-shared").await;
    let stranger = format!(
        "fetch('{link}', {{ credentials: 'omit' }})
           .then(r => r.text().then(t => arguments[0]([r.status, t.includes('Тренд года')])))
           .catch(e => arguments[0]([0, String(e)]));"
    );
    let got = f
        .browser
        .execute_async(&stranger, vec![])
        .await
        .unwrap_or_else(|e| panic!("shared link: {e}"));
    assert_eq!(got, json!([200, true]), "the link shows the report");
    f.click("#links button").await;
    f.text_contains("#links", "ended").await;
    let got = f
        .browser
        .execute_async(&stranger, vec![])
        .await
        .unwrap_or_else(|e| panic!("shared link: {e}"));
    assert_eq!(got, json!([404, false]), "a revoked link shows nothing");

    // Filters: a client search selects the clients the report counts; the report names them.
    // The company's day (Europe/Moscow, UTC+3 all year): from 21:00 UTC a day ahead of UTC's.
    let today = (chrono::Utc::now() + chrono::Duration::hours(3)).date_naive();
    let year = format!(
        "/reports/new?kind=general&from={}&to={today}",
        today - chrono::Days::new(365)
    );
    f.go(&year).await;
    f.find("#key-figures").await;
    f.type_into("#report-builder input[name=client]", "Покупатель 01")
        .await;
    f.click("#report-builder button[type=submit]").await;
    f.text_contains("#report-clients", "Покупатель 01").await;
    f.text_contains("#key-figures .figure:nth-child(2) .big", "3")
        .await;
    f.shot("report-client-filter").await;

    // Cancel: a running report stops, says so, and runs again on request.
    f.go(&format!("{year}&granularity=week")).await;
    f.find("#report-progress").await;
    f.hydrated().await;
    f.click("#cancel-report").await;
    f.text_contains("#report-cancelled", "cancelled").await;
    f.shot("report-cancelled").await;
    f.click("#report-cancelled button").await;
    f.find("#key-figures").await;

    // Phone-sized: the report view and the saved reports stack and scroll.
    f.resize(390, 844).await;
    f.find("#chart-periods svg").await;
    f.browser
        .execute(
            "document.querySelector('#key-figures').scrollIntoView();",
            vec![],
        )
        .await
        .unwrap_or_else(|e| panic!("scroll: {e}"));
    f.shot("phone-report").await;
    f.go("/reports").await;
    f.find("#saved-table").await;
    f.shot("phone-saved-reports").await;
    f.resize(1280, 900).await;

    // Two earlier purchases for four buyers, so the customer models have repeat buyers to fit.
    let earlier: Vec<Value> = (0..8)
        .map(|i| {
            json!({"externalId": format!("early-{i}"), "clientExternalId": format!("c{}", i % 4),
                   "amountMinor": 150_000, "currency": "RUB",
                   "soldAt": (now - chrono::Duration::days(30 * (1 + i / 4))).to_rfc3339()})
        })
        .collect();
    f.graphql(
        &key,
        "mutation($r: [SaleUpsertInput!]!) { upsertSales(sales: $r) { created } }",
        json!({"r": earlier}),
    )
    .await;

    // A client: open it from the list, read its note, add an interaction.
    f.go("/clients?search=%D0%9F%D0%BE%D0%BA%D1%83%D0%BF%D0%B0%D1%82%D0%B5%D0%BB%D1%8C%2003")
        .await;
    f.hydrated().await;
    f.click("#clients-table a").await;
    f.text_contains("#client-name", "Покупатель 03").await;
    // The client's note: status with its probability, expectations, the next step.
    f.text_contains("#client-note", "chance of").await;
    f.text_contains("#client-note", "5 purchases so far").await;
    f.text_contains("#client-note", "Next step:").await;
    f.shot("client-note").await;
    let client_page = f
        .browser
        .current_url()
        .await
        .map(|u| u.path().to_owned())
        .unwrap_or_default();
    f.hydrated().await;
    f.find("#interaction-form select[name=kind]")
        .await
        .select_by_value("MEETING")
        .await
        .unwrap_or_else(|e| panic!("kind: {e}"));
    f.type_into(
        "#interaction-form textarea[name=body]",
        "Встретились, обсудили оптовые цены",
    )
    .await;
    f.click("#save-interaction").await;
    f.text_contains("#interactions", "обсудили оптовые цены")
        .await;
    f.text_contains("#interactions", "Meeting").await;
    f.shot("client-with-interaction").await;

    // A sale: open it from the client's purchases, change its amount and status.
    f.click("#purchases a").await;
    f.find("#sale-amount").await;
    f.hydrated().await;
    f.click("#edit-sale").await;
    f.type_into("#edit-sale-form input[name=amount]", "777,50")
        .await;
    f.find("#edit-sale-form select[name=status]")
        .await
        .select_by_value("REFUNDED")
        .await
        .unwrap_or_else(|e| panic!("status: {e}"));
    f.click("#edit-sale-form button[type=submit]").await;
    f.text_contains("#sale-status", "Refunded").await;
    f.text_contains("#sale-amount", "777.50").await;
    f.shot("sale-edited").await;

    // Live: a sale pushed while the sales list is open appears without a reload.
    f.go("/sales").await;
    f.hydrated().await;
    f.find("#live-status").await;
    let push = json!([{"externalId": "live-1", "clientExternalId": "c29", "amountMinor": 424_200,
                       "currency": "RUB", "soldAt": chrono::Utc::now().to_rfc3339()}]);
    f.graphql(
        &key,
        "mutation($r: [SaleUpsertInput!]!) { upsertSales(sales: $r) { created } }",
        json!({"r": push}),
    )
    .await;
    f.text_contains("#sales-table", "Покупатель 29").await;
    f.text_contains("#sales-count", "21 sales").await;
    f.shot("sale-arrived-live").await;

    // The assistant's chat, from the sales screen: a question in English, its template answer
    // from the figures, the model's checked words streaming in under the AI label, the facts.
    f.click("#chat-toggle").await;
    f.find("#chat-panel").await;
    f.text_contains("#chat-intro", "Answers come from your figures")
        .await;
    f.type_into("#chat-question", "how much did we sell in the last 7 days?")
        .await;
    f.click("#chat-send").await;
    f.text_contains("#chat-turn-0 .chat-template", "revenue")
        .await;
    f.text_contains("#chat-turn-0 .ai-label", "AI · written by the assistant")
        .await;
    f.text_contains("#chat-turn-0 .ai-text", "Revenue reached")
        .await;
    f.shot("chat-streaming").await;
    let answered = f
        .text_contains("#chat-turn-0 .ai-text", "Keep it up.")
        .await;
    assert!(!answered.contains("Globex"), "{answered}");
    f.text_contains("#chat-turn-0 .chat-facts", "Average order value")
        .await;
    // In Russian, in the same conversation: the top clients, each a link.
    f.type_into("#chat-question", "топ 3 клиента за последние 7 дней")
        .await;
    f.click("#chat-send").await;
    let top = f
        .text_contains("#chat-turn-1 .chat-template", "Лучшие клиенты")
        .await;
    assert!(top.contains("Покупатель"), "{top}");
    f.text_contains("#chat-turn-1 .chat-table", "Покупатель")
        .await;
    // Out of scope: said plainly, with questions it can answer.
    f.type_into("#chat-question", "write me a poem").await;
    f.click("#chat-send").await;
    f.text_contains(
        "#chat-turn-2 .chat-template",
        "I can only answer questions about your sales data",
    )
    .await;
    f.shot("chat-answers").await;
    // Kept across a reload: the panel reopens on the same conversation.
    f.go("/sales").await;
    f.hydrated().await;
    f.click("#chat-toggle").await;
    f.text_contains("#chat-turn-1 .chat-question", "топ 3 клиента")
        .await;
    f.text_contains("#chat-turn-0 .ai-text", "Keep it up.")
        .await;
    f.click("#chat-panel .chat-list summary").await;
    f.text_contains("#chat-conversations", "how much did we sell")
        .await;
    // A client named in an answer opens its screen.
    let named = f
        .text_contains("#chat-turn-1 .chat-table a", "Покупатель")
        .await;
    f.click("#chat-turn-1 .chat-table a").await;
    f.text_contains("#client-name", &named).await;
    // The panel stays open across screens; on a phone it takes the whole screen.
    f.resize(390, 844).await;
    f.find("#chat-turn-0").await;
    f.shot("phone-chat").await;
    f.click("#chat-close").await;
    f.resize(1280, 900).await;

    // A phone-sized screen: the client screen stacks its parts.
    f.resize(390, 844).await;
    f.go(&client_page).await;
    f.find("#interaction-form").await;
    f.shot("phone-client").await;
    f.resize(1280, 900).await;

    // Language: Russian, remembered across pages.
    f.go("/sales").await;
    f.hydrated().await;
    f.click("#language-switch").await;
    f.text_contains("h1", "Продажи").await;
    f.go("/clients").await;
    f.text_contains("#clients-count", "30 клиентов").await;
    f.shot("russian").await;
    // The chat in Russian: the panel's own words, a new conversation, a question answered from
    // the figures, then the model's Russian words under the Russian AI label.
    f.click("#chat-toggle").await;
    f.click("#chat-new").await;
    f.text_contains("#chat-intro", "Спрашивайте о продажах")
        .await;
    f.type_into("#chat-question", "сколько мы продали за последние 7 дней?")
        .await;
    f.click("#chat-send").await;
    f.text_contains("#chat-turn-0 .chat-facts", "Выручка").await;
    f.text_contains("#chat-turn-0 .ai-label", "ИИ · написано ассистентом")
        .await;
    let words = f
        .text_contains("#chat-turn-0 .ai-text", "Так держать.")
        .await;
    assert!(!words.contains("Globex"), "{words}");
    f.shot("chat-russian").await;
    f.click("#chat-close").await;

    // The clients list follows its links, back and forward included, loading each page.
    f.go("/clients").await;
    f.hydrated().await;
    f.text_contains("#clients-table", "Покупатель 00").await;
    f.click("#next-page").await;
    f.text_contains("#clients-table", "Покупатель 29").await;
    let page2 = f
        .find("#clients-table")
        .await
        .text()
        .await
        .unwrap_or_default();
    assert!(
        !page2.contains("Покупатель 00"),
        "page 2 is not page 1: {page2}"
    );
    f.shot("clients-page-2").await;
    f.click("#previous-page").await;
    f.text_contains("#clients-table", "Покупатель 00").await;
    f.browser
        .back()
        .await
        .unwrap_or_else(|e| panic!("back: {e}"));
    f.text_contains("#clients-table", "Покупатель 29").await;
    f.browser
        .forward()
        .await
        .unwrap_or_else(|e| panic!("forward: {e}"));
    f.text_contains("#clients-table", "Покупатель 00").await;

    // A search with a space finds the client and stays in the field as typed; so does a
    // phone number as the list shows it. A changed sort applies at once.
    let zaitsev = json!([{"externalId": "zi", "name": "Зайцев Иван", "phone": "8 912 345-67-89"}]);
    f.graphql(
        &key,
        "mutation($r: [ClientUpsertInput!]!) { upsertClients(clients: $r) { created } }",
        json!({"r": zaitsev}),
    )
    .await;
    for typed in ["Зайцев Иван", "+7 912 345-67-89"] {
        f.go("/clients").await;
        f.hydrated().await;
        f.type_into("#client-search input[name=search]", typed)
            .await;
        f.find("#client-search input[name=search]")
            .await
            .send_keys(&char::from(Key::Enter).to_string())
            .await
            .unwrap_or_else(|e| panic!("enter: {e}"));
        f.text_contains("#clients-count", "1 клиент").await;
        f.text_contains("#clients-table", "Зайцев Иван").await;
        let kept = f
            .browser
            .execute(
                "return document.querySelector('#client-search input[name=search]').value;",
                vec![],
            )
            .await
            .unwrap_or_else(|e| panic!("value: {e}"));
        assert_eq!(kept, json!(typed), "the field keeps the search");
    }
    f.text_contains("#clients-table", "+7 912 345-67-89").await;
    f.shot("client-search-phone").await;
    f.hydrated().await;
    f.click("#clear-filters").await;
    f.text_contains("#clients-count", "31 клиент").await;
    f.hydrated().await;
    f.find("#client-search select[name=dir]")
        .await
        .select_by_value("desc")
        .await
        .unwrap_or_else(|e| panic!("dir: {e}"));
    f.text_contains("#clients-table tbody tr:first-child", "Покупатель 29")
        .await;

    // A new client: the same e-mail as a client's is a warning first; then archived after a
    // confirmation, found among the archived, and restored.
    f.go("/clients").await;
    f.hydrated().await;
    f.click("#new-client").await;
    f.hydrated().await;
    f.type_into("#new-client-form input[name=name]", "Анна Смирнова")
        .await;
    f.type_into("#new-client-form input[name=email]", "c1@buyers.example")
        .await;
    f.type_into(
        "#new-client-form textarea[name=note]",
        "Пришла по рекомендации",
    )
    .await;
    f.click("#new-client-form button[type=submit]").await;
    f.text_contains("#duplicates", "Покупатель 01").await;
    f.shot("new-client-duplicate").await;
    f.click("#create-anyway").await;
    f.text_contains("#client-name", "Анна Смирнова").await;
    f.text_contains("#interactions", "Пришла по рекомендации")
        .await;
    f.hydrated().await;
    f.click("#archive-client").await;
    f.text_contains("#archive-confirm", "архив").await;
    f.shot("archive-confirm").await;
    f.click("#archive-confirmed").await;
    f.text_contains(".detail-head", "В архиве").await;
    f.go("/clients?search=%D0%90%D0%BD%D0%BD%D0%B0").await;
    f.text_contains("#clients-none", "По этому запросу клиентов нет")
        .await;
    f.hydrated().await;
    f.click("#client-search input[name=archived]").await;
    f.text_contains("#clients-table", "Анна Смирнова").await;
    f.shot("archived-found").await;
    f.hydrated().await;
    f.click("#clients-table button.restore").await;
    f.find("#clients-none").await;
    f.go("/clients?search=%D0%90%D0%BD%D0%BD%D0%B0").await;
    f.text_contains("#clients-table", "Анна Смирнова").await;

    // Server messages in Russian: an amount the form cannot read.
    f.go("/clients?search=%D0%90%D0%BD%D0%BD%D0%B0").await;
    f.click("#clients-table a").await;
    f.find("#add-sale").await;
    f.hydrated().await;
    f.click("#add-sale").await;
    f.type_into("#sale-form input[name=amount]", "двести").await;
    f.click("#sale-form button[type=submit]").await;
    f.text_contains("#sale-form", "Введите число, например 1 240,50")
        .await;
    f.shot("russian-error").await;

    // A sale at 00:30 on 1 March in the company's zone (Moscow) is March's, though it is
    // still 28 February in UTC.
    let night = json!([{"externalId": "night", "clientExternalId": "c5", "amountMinor": 31_415,
                        "currency": "RUB", "soldAt": "2026-02-28T21:30:00Z"}]);
    f.graphql(
        &key,
        "mutation($r: [SaleUpsertInput!]!) { upsertSales(sales: $r) { created } }",
        json!({"r": night}),
    )
    .await;
    f.go("/sales?from=2026-03-01&to=2026-03-31").await;
    f.text_contains("#sales-table", "01.03.2026").await;
    f.text_contains("#sales-table", "314,15").await;
    f.text_contains("#sales-totals", "314,15").await;
    f.shot("sale-local-day").await;
    f.go("/sales?from=2026-02-01&to=2026-02-28").await;
    f.find("main .empty").await;

    // Phone-sized: a one-line menu, and every column of the lists reachable.
    f.resize(390, 844).await;
    for (path, shot) in [("/clients", "phone-clients"), ("/sales", "phone-sales")] {
        f.go(path).await;
        f.find("table.list").await;
        let layout = f
            .browser
            .execute(
                "const nav = document.querySelector('header.top nav');
                 const cells = [...document.querySelectorAll('table.list tbody tr:first-child td')];
                 return [document.documentElement.scrollWidth <= window.innerWidth + 1,
                         nav.getBoundingClientRect().height < 60,
                         cells.length > 0 && cells.every(td => getComputedStyle(td).display !== 'none' && td.getBoundingClientRect().right <= window.innerWidth + 1)];",
                vec![],
            )
            .await
            .unwrap_or_else(|e| panic!("layout: {e}"));
        assert_eq!(
            layout,
            json!([true, true, true]),
            "{path}: no sideways page, one-line menu, every cell on screen"
        );
        f.shot(shot).await;
    }
    f.resize(1280, 900).await;

    // Before the app's code arrives (scripts off: as on a very slow link), the sign-in form
    // still works, through a plain form post: a wrong password comes back with a Russian
    // message, the right one signs in, and the password is in no address.
    let slow = session(
        &f.driver_url,
        &f.base,
        &f.profiles.join("no-scripts"),
        false,
        "ru-RU,ru",
    )
    .await;
    let outcome = futures::FutureExt::catch_unwind(std::panic::AssertUnwindSafe(async {
        slow.goto(&format!("{}/login", f.base))
            .await
            .unwrap_or_else(|e| panic!("goto: {e}"));
        let fill = |password: &'static str| {
            let slow = slow.clone();
            let email = email.clone();
            async move {
                for (field, text) in [("email", email.as_str()), ("password", password)] {
                    let input = slow
                        .find(Locator::Css(&format!("#login-form input[name={field}]")))
                        .await
                        .unwrap_or_else(|e| panic!("{field}: {e}"));
                    input.clear().await.unwrap_or_else(|e| panic!("clear: {e}"));
                    input
                        .send_keys(text)
                        .await
                        .unwrap_or_else(|e| panic!("type: {e}"));
                }
                slow.find(Locator::Css("#login-form button[type=submit]"))
                    .await
                    .unwrap_or_else(|e| panic!("button: {e}"))
                    .click()
                    .await
                    .unwrap_or_else(|e| panic!("click: {e}"));
            }
        };
        fill("not the password").await;
        let message = slow
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css("#login-form .error"))
            .await
            .unwrap_or_else(|e| panic!("no message: {e}"))
            .text()
            .await
            .unwrap_or_default();
        assert_eq!(message, "Неверная почта или пароль");
        let url = slow
            .current_url()
            .await
            .map(|u| u.to_string())
            .unwrap_or_default();
        assert!(
            !url.contains("not+the") && !url.contains("not%20the"),
            "the typed password is in no address: {url}"
        );
        fill(password).await;
        let home = slow
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css("#figures"))
            .await
            .map(|_| ())
            .is_ok();
        let url = slow
            .current_url()
            .await
            .map(|u| u.to_string())
            .unwrap_or_default();
        assert!(
            home && url.ends_with('/') && !url.contains('?'),
            "signed in on the start screen: {url}"
        );
        let png = slow.screenshot().await.unwrap_or_default();
        let _ = std::fs::write(f.shots.join("no-scripts-signed-in.png"), png);
    }))
    .await;
    let _ = slow.close().await;
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }

    // A second company: the switcher appears and changes everything shown.
    let login = f
        .graphql(
            "",
            "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }",
            json!({"e": email, "p": password}),
        )
        .await;
    let token = login["login"]["accessToken"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    f.graphql(
        &token,
        "mutation { createCompany(name: \"Второй магазин\", baseCurrency: \"USD\") { id } }",
        json!({}),
    )
    .await;
    f.go("/clients").await;
    f.hydrated().await;
    let switch = f.find("#company-switch").await;
    let second = f
        .browser
        .execute("return [...document.querySelectorAll('#company-switch option')].find(o => o.textContent.includes('Второй')).value;", vec![])
        .await
        .unwrap_or_else(|e| panic!("options: {e}"));
    switch
        .select_by_value(second.as_str().unwrap_or_default())
        .await
        .unwrap_or_else(|e| panic!("switch: {e}"));
    f.text_contains("main", "Продаж пока нет").await;
    f.go("/clients").await;
    f.find("#clients-empty").await;
    f.shot("second-company").await;

    // GraphiQL renders from the server's own files (this browser has no internet) under the
    // page's policy, which allows scripts from this server only.
    f.go("/graphql").await;
    f.find(".graphiql-container .graphiql-query-editor").await;
    f.shot("graphiql").await;
}
