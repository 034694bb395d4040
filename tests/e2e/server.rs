//! Starting and stopping the server binary, and talking GraphQL to it.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

pub use crate::harness::Backend;
use crate::harness::TestDb;

/// Where a server keeps its data: a fresh SQLite file or a fresh PostgreSQL database, gone
/// when dropped.
pub struct Storage {
    pub env: Vec<(String, String)>,
    logs: std::path::PathBuf,
    _db: TestDb,
}

impl Storage {
    pub async fn new(backend: Backend) -> Storage {
        let db = TestDb::new(backend).await;
        // Server logs outlive the test, to read after a failure.
        let logs = std::env::temp_dir().join("crm-e2e-logs");
        std::fs::create_dir_all(&logs).unwrap();
        let env = vec![
            ("CRM_DATA_DIR".to_owned(), db.dir().display().to_string()),
            ("DATABASE_URL".to_owned(), db.url.clone()),
        ];
        Storage { env, logs, _db: db }
    }
}

/// A running `crm` process; killed when dropped.
pub struct Server {
    child: Child,
    pub base: String,
    pub http: reqwest::Client,
}

impl Server {
    pub async fn start(storage: &Storage, extra_env: &[(&str, &str)]) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let log =
            std::fs::File::create(storage.logs.join(format!("crm-e2e-server-{port}.log"))).unwrap();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_crm"));
        cmd.env("CRM_LISTEN", format!("127.0.0.1:{port}"))
            .env("RUST_LOG", "warn")
            // The assistant's model has tests of its own; these servers answer without one.
            .env("CRM_MODEL", "off")
            .stdout(Stdio::null())
            .stderr(log);
        for (k, v) in &storage.env {
            cmd.env(k, v);
        }
        for (k, v) in extra_env {
            cmd.env(k, v);
        }
        let child = cmd.spawn().expect("the crm binary starts");
        let server = Server {
            child,
            base: format!("127.0.0.1:{port}"),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(120))
                .build()
                .unwrap(),
        };
        let started = Instant::now();
        loop {
            if let Ok(r) = server
                .http
                .get(format!("http://{}/health", server.base))
                .send()
                .await
                && r.status().is_success()
            {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "the server did not come up"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        server
    }

    /// Ends the process at once, as a crash or `kill -9` would.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    pub fn ws_url(&self) -> String {
        format!("ws://{}/graphql/ws", self.base)
    }

    pub async fn call(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let mut req = self
            .http
            .post(format!("http://{}/graphql", self.base))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send()
            .await
            .expect("request")
            .json()
            .await
            .expect("JSON answer")
    }

    /// Registers `email` with a new company; returns the user's access token and a new
    /// read-write API key of that company.
    pub async fn sign_up(&self, email: &str) -> (String, String) {
        let input = json!({"email": email, "password": "long enough", "displayName": email, "companyName": "Shop"});
        let reg = self
            .data(
                None,
                "mutation($i: RegisterInput!) { register(input: $i) { accessToken } }",
                json!({"i": input}),
            )
            .await;
        let user = reg["register"]["accessToken"].as_str().unwrap().to_owned();
        let key = self
            .data(
                Some(&user),
                "mutation { createApiKey(name: \"e2e\") { secret } }",
                json!({}),
            )
            .await;
        (
            user,
            key["createApiKey"]["secret"].as_str().unwrap().to_owned(),
        )
    }

    pub async fn data(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let r = self.call(token, query, variables).await;
        assert!(r.get("errors").is_none(), "unexpected errors: {r}");
        r["data"].clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub const UPSERT_CLIENTS: &str = "mutation($rows: [ClientUpsertInput!]!) { upsertClients(clients: $rows) { created updated unchanged rejected } }";
pub const UPSERT_SALES: &str = "mutation($rows: [SaleUpsertInput!]!) { upsertSales(sales: $rows) { created updated unchanged rejected } }";

pub fn clients(n: usize) -> Value {
    Value::Array(
        (0..n)
            .map(|i| json!({ "externalId": format!("c{i}"), "name": format!("Клиент {i:04}"), "email": format!("c{i}@shop.example"),
                             "attributes": { "tier": if i % 10 == 0 { "gold" } else { "regular" } } }))
            .collect(),
    )
}

pub fn sales(n: usize, clients: usize) -> Value {
    Value::Array(
        (0..n)
            .map(|i| {
                json!({ "externalId": format!("order-{i}"), "clientExternalId": format!("c{}", (i * 7) % clients),
                        "amountMinor": 50_00 + (i as i64 * 7919) % 500_000, "currency": if i % 20 == 0 { "USD" } else { "RUB" },
                        "soldAt": format!("2026-{:02}-{:02}T{:02}:15:00+03:00", 1 + i % 11, 1 + i % 28, i % 24),
                        "items": [{ "name": "Товар", "quantity": 1 + (i % 3) as i64, "unitPriceMinor": 50_00 }] })
            })
            .collect(),
    )
}
