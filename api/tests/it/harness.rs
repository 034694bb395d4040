//! Test harness: a fresh database per test on each backend, the real router, and a small
//! GraphQL client. PostgreSQL comes from `CRM_TEST_PG_URL` (an admin URL; default
//! `postgres://postgres@127.0.0.1:5432/postgres`); each test gets its own database.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, header};
use crm_api::{App, Config};
use crm_test_support::ScratchDb;
use serde_json::{Value, json};
use tower::ServiceExt;

pub use crm_test_support::Backend;

/// A database that exists for one test (see `crm-test-support`), with the server settings to
/// use it.
pub struct TestDb(ScratchDb);

impl TestDb {
    pub async fn new(backend: Backend) -> TestDb {
        TestDb(ScratchDb::new(backend, "api").await)
    }

    pub fn config(&self) -> Config {
        Config {
            database_url: Some(self.url.clone()),
            pool_size: 4,
            ..Config::default()
        }
    }
}

impl std::ops::Deref for TestDb {
    type Target = ScratchDb;
    fn deref(&self) -> &ScratchDb {
        &self.0
    }
}

/// Runs an async test body once per backend, each in its own test function.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name($crate::harness::TestDb::new($crate::harness::Backend::Sqlite).await).await
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    super::$name($crate::harness::TestDb::new($crate::harness::Backend::Postgres).await).await
                }
            }
        )*
    };
}

/// The real application on a test database, called in-process through its router.
pub struct Server {
    pub app: Arc<App>,
    pub router: axum::Router,
    /// Keeps the test database alive as long as the server.
    _db: TestDb,
}

impl Server {
    pub async fn start(db: TestDb) -> Server {
        Self::with_config(db.config(), db).await
    }

    pub async fn with_config(config: Config, db: TestDb) -> Server {
        let (app, router) = crm_api::build_router(config).await.expect("server starts");
        Server {
            app,
            router,
            _db: db,
        }
    }

    /// Serves the router over real HTTP on a free port, for WebSocket clients; returns the
    /// subscription address, `ws://127.0.0.1:PORT/graphql/ws`.
    pub async fn serve_ws(&self) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free port");
        let url = format!(
            "ws://{}/graphql/ws",
            listener.local_addr().expect("bound address")
        );
        tokio::spawn(crm_api::serve(listener, self.router.clone()));
        url
    }

    /// Posts a raw body to /graphql; returns the HTTP status and the JSON answer.
    pub async fn post_raw(&self, token: Option<&str>, body: Vec<u8>) -> (u16, Value) {
        let mut req = Request::post("/graphql").header(header::CONTENT_TYPE, "application/json");
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let response = self
            .router
            .clone()
            .oneshot(req.body(Body::from(body)).expect("request"))
            .await
            .expect("router answers");
        let status = response.status().as_u16();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("body");
        let value = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| panic!("not JSON: {}", String::from_utf8_lossy(&bytes)));
        (status, value)
    }

    /// Runs a GraphQL operation; returns the whole response (data and errors).
    pub async fn call(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let body =
            serde_json::to_vec(&json!({ "query": query, "variables": variables })).expect("json");
        self.post_raw(token, body).await.1
    }

    /// Runs an operation that must succeed; returns `data`.
    pub async fn data(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let r = self.call(token, query, variables).await;
        assert!(
            r.get("errors").is_none(),
            "unexpected errors: {r}\nquery: {query}"
        );
        r["data"].clone()
    }

    /// Runs an operation that must fail; returns the code of its first error.
    pub async fn error_code(&self, token: Option<&str>, query: &str, variables: Value) -> String {
        let r = self.call(token, query, variables).await;
        error_code(&r)
    }

    /// Registers a user with a new company; returns (access token, refresh token).
    pub async fn register(&self, email: &str, company: &str) -> (String, String) {
        let d = self
            .data(
                None,
                "mutation($i: RegisterInput!) { register(input: $i) { accessToken refreshToken } }",
                json!({ "i": { "email": email, "password": "correct horse", "displayName": email,
                               "companyName": company } }),
            )
            .await;
        (
            d["register"]["accessToken"]
                .as_str()
                .expect("token")
                .to_owned(),
            d["register"]["refreshToken"]
                .as_str()
                .expect("token")
                .to_owned(),
        )
    }

    /// Invites the registered user `email` into the company of `inviter` with `role`, and
    /// signs them in to it (password of [`Server::register`]). Returns (membership id, access
    /// token in that company).
    pub async fn join(&self, inviter: &str, email: &str, role: &str) -> (String, String) {
        let invited = self
            .data(
                Some(inviter),
                &format!("mutation {{ inviteMember(email: \"{email}\", role: {role}) {{ id }} }}"),
                json!({}),
            )
            .await;
        let member = invited["inviteMember"]["id"]
            .as_str()
            .expect("id")
            .to_owned();
        let me = self
            .data(Some(inviter), "{ me { company { id } } }", json!({}))
            .await;
        let login = self
            .data(
                None,
                "mutation($e: String!, $c: ID!) { login(email: $e, password: \"correct horse\", companyId: $c) { accessToken } }",
                json!({ "e": email, "c": me["me"]["company"]["id"] }),
            )
            .await;
        (
            member,
            login["login"]["accessToken"]
                .as_str()
                .expect("token")
                .to_owned(),
        )
    }

    /// Creates an API key with the user's token; returns the full secret.
    pub async fn api_key(&self, token: &str, scope: &str) -> String {
        let d = self
            .data(
                Some(token),
                &format!(
                    "mutation {{ createApiKey(name: \"test\", scope: {scope}) {{ secret }} }}"
                ),
                json!({}),
            )
            .await;
        d["createApiKey"]["secret"]
            .as_str()
            .expect("secret")
            .to_owned()
    }
}

/// Minor units as the API writes them (the `MinorUnits` scalar: a string of digits), read back.
/// Anything else fails the test, a JSON number included.
pub fn minor(v: &Value) -> i64 {
    v.as_str()
        .and_then(|text| text.parse().ok())
        .unwrap_or_else(|| panic!("expected minor units as a string of digits, got {v}"))
}

pub fn error_code(r: &Value) -> String {
    r["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("expected a coded error, got {r}"))
        .to_owned()
}

pub const UPSERT_CLIENTS: &str = "mutation($rows: [ClientUpsertInput!]!) { upsertClients(clients: $rows) {
    created updated unchanged rejected rows { index externalId status id error { code field message } } } }";

pub const UPSERT_SALES: &str = "mutation($rows: [SaleUpsertInput!]!) { upsertSales(sales: $rows) {
    created updated unchanged rejected rows { index externalId status id error { code field message } } } }";

/// `n` clients `c0..c{n-1}`.
pub fn clients(n: usize) -> Value {
    Value::Array(
        (0..n)
            .map(|i| {
                json!({ "externalId": format!("c{i}"), "name": format!("Client {i:05}"),
                             "email": format!("client{i}@example.com") })
            })
            .collect(),
    )
}

/// `n` sales `s0..s{n-1}` spread over `clients` clients.
pub fn sales(n: usize, clients: usize) -> Value {
    Value::Array(
        (0..n)
            .map(|i| {
                json!({ "externalId": format!("s{i}"), "clientExternalId": format!("c{}", i % clients),
                        "amountMinor": 1000 + (i as i64 * 7919) % 100_000, "currency": "RUB",
                        "soldAt": format!("2026-{:02}-{:02}T10:00:00Z", 1 + i % 12, 1 + i % 28) })
            })
            .collect(),
    )
}
