//! Abuse limits: root fields per operation, the cost of database-backed fields, rate limits on
//! registration and per signed-in user, requests served at once, inputs checked before they
//! are stored or hashed, and PostgreSQL's statement timeout.

use std::time::Duration;

use crm_api::Config;
use serde_json::json;

use crate::harness::{Server, TestDb, clients, error_code};
use crate::on_both_backends;

on_both_backends!(
    operations_have_a_root_field_cap_and_connections_a_cost,
    registration_and_users_are_rate_limited,
    huge_logins_are_refused_before_anything_is_kept,
    requests_beyond_the_cap_get_unavailable,
    long_statements_are_cancelled_on_postgres
);

async fn operations_have_a_root_field_cap_and_connections_a_cost(db: TestDb) {
    let s = Server::start(db).await;
    let (owner, _) = s.register("owner@example.com", "Acme").await;

    let aliases = |n: usize| {
        let fields: Vec<String> = (0..n)
            .map(|i| format!("a{i}: clients(first: 1) {{ totalCount }}"))
            .collect();
        format!("{{ {} }}", fields.join(" "))
    };
    s.data(Some(&owner), &aliases(20), json!({})).await;
    let r = s.call(Some(&owner), &aliases(21), json!({})).await;
    assert_eq!(error_code(&r), "BAD_USER_INPUT", "{r}");
    assert!(r.to_string().contains("at most 20 root fields"), "{r}");
    // Through a fragment too.
    let via_fragment = format!(
        "query {{ ...F }} fragment F on QueryRoot {{ {} }}",
        &aliases(21)[2..aliases(21).len() - 2]
    );
    let r = s.call(Some(&owner), &via_fragment, json!({})).await;
    assert!(r.to_string().contains("at most 20 root fields"), "{r}");
    // The same cap holds for mutations: aliases cannot run a hash per field.
    let registers: Vec<String> = (0..21)
        .map(|i| format!("r{i}: register(input: {{email: \"x{i}@example.com\", password: \"long enough\", displayName: \"X\", companyName: \"X\"}}) {{ accessToken }}"))
        .collect();
    let r = s
        .call(
            None,
            &format!("mutation {{ {} }}", registers.join(" ")),
            json!({}),
        )
        .await;
    assert_eq!(error_code(&r), "BAD_USER_INPUT", "{r}");

    // A connection costs its SQL: 100 clients each with a page of 100 sales is refused.
    let nested = "{ clients(first: 100) { nodes { sales(first: 100) { nodes { id } } } } }";
    let r = s.call(Some(&owner), nested, json!({})).await;
    assert_eq!(error_code(&r), "BAD_USER_INPUT", "{r}");
    assert!(r.to_string().contains("complex"), "{r}");

    // The depth limit lets tools introspect the schema: GraphiQL's introspection query reads
    // type references seven `ofType` levels deep under `__schema.types.fields.args.type`.
    let type_ref = (0..7).fold("kind name".to_owned(), |inner, _| {
        format!("kind name ofType {{ {inner} }}")
    });
    let introspection = format!(
        "query IntrospectionQuery {{ __schema {{ queryType {{ name }} types {{ name \
         fields(includeDeprecated: true) {{ name args {{ name type {{ {type_ref} }} }} \
         type {{ {type_ref} }} }} }} }} }}"
    );
    let r = s.data(None, &introspection, json!({})).await;
    assert_eq!(r["__schema"]["queryType"]["name"], "QueryRoot", "{r}");
}

async fn registration_and_users_are_rate_limited(db: TestDb) {
    let config = Config {
        register_rate_per_min: 3,
        user_rate_per_min: 5,
        ..db.config()
    };
    let s = Server::with_config(config, db).await;
    let mut tokens = Vec::new();
    for i in 0..3 {
        tokens.push(s.register(&format!("u{i}@example.com"), "Acme").await.0);
    }
    let r = s
        .call(
            None,
            "mutation { register(input: {email: \"u9@example.com\", password: \"long enough\", displayName: \"U\", companyName: \"U\"}) { accessToken } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&r), "RATE_LIMITED", "{r}");
    assert!(r["errors"][0]["extensions"]["retryAfterSeconds"].as_u64() > Some(0));
    // Nothing was stored for the refused one: it can sign in nowhere.
    let login = s
        .call(
            None,
            "mutation { login(email: \"u9@example.com\", password: \"long enough\") { accessToken } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&login), "BAD_USER_INPUT", "{login}");

    // A signed-in user gets 5 requests a minute here, as an API key would.
    let user = &tokens[0];
    let mut codes = Vec::new();
    for _ in 0..6 {
        let r = s.call(Some(user), "{ me { role } }", json!({})).await;
        codes.push(if r.get("errors").is_some() {
            error_code(&r)
        } else {
            "OK".to_owned()
        });
    }
    // register itself used none of these: the first 5 pass.
    assert_eq!(codes[..5], ["OK"; 5], "{codes:?}");
    assert_eq!(codes[5], "RATE_LIMITED", "{codes:?}");
    // Other users have their own budget.
    s.data(Some(&tokens[1]), "{ me { role } }", json!({})).await;
}

async fn huge_logins_are_refused_before_anything_is_kept(db: TestDb) {
    let s = Server::start(db).await;
    let huge = format!("{}@example.com", "a".repeat(8 * 1024 * 1024));
    let r = s
        .call(
            None,
            "mutation($e: String!) { login(email: $e, password: \"whatever1\") { accessToken } }",
            json!({ "e": huge }),
        )
        .await;
    assert_eq!(error_code(&r), "BAD_USER_INPUT", "{r}");
    assert_eq!(r["errors"][0]["extensions"]["field"], "email", "{r}");
    // A control character is not an address either.
    let r = s
        .call(
            None,
            "mutation($e: String!) { login(email: $e, password: \"whatever1\") { accessToken } }",
            json!({ "e": "ann\u{0}@example.com" }),
        )
        .await;
    assert_eq!(error_code(&r), "BAD_USER_INPUT", "{r}");
}

async fn requests_beyond_the_cap_get_unavailable(db: TestDb) {
    let config = Config {
        max_concurrent_requests: 1,
        // A batch holds its request open this long.
        fault_batch_pause: Some(Duration::from_secs(3)),
        ..db.config()
    };
    let s = Server::with_config(config, db).await;
    let (owner, _) = s.register("owner@example.com", "Acme").await;
    let key = s.api_key(&owner, "READ_WRITE").await;
    let body = serde_json::to_vec(&json!({
        "query": crate::harness::UPSERT_CLIENTS,
        "variables": { "rows": clients(1) },
    }))
    .unwrap();
    let (slow, quick) = tokio::join!(s.post_raw(Some(&key), body), async {
        tokio::time::sleep(Duration::from_millis(500)).await;
        s.post_raw(Some(&owner), br#"{"query":"{ me { role } }"}"#.to_vec())
            .await
    });
    assert_eq!(slow.0, 200, "{}", slow.1);
    assert_eq!(quick.0, 503, "{}", quick.1);
    assert_eq!(error_code(&quick.1), "UNAVAILABLE");
    // Once the batch is done, requests are served again.
    s.data(Some(&owner), "{ me { role } }", json!({})).await;
}

async fn long_statements_are_cancelled_on_postgres(db: TestDb) {
    if crm_api::db::backend_of(&db.url) != crm_api::db::Backend::Postgres {
        // SQLite has no statement timeout; its writers queue behind one lock instead.
        return;
    }
    let settings = crm_api::db::DbSettings {
        pool_size: 1,
        statement_timeout: Duration::from_millis(500),
        ..Default::default()
    };
    let pool = crm_api::db::Db::connect_with(&db.url, &settings)
        .await
        .unwrap();
    let mut conn = pool.read().await.unwrap();
    let started = std::time::Instant::now();
    let slept = conn.execute_sql("SELECT pg_sleep(3)").await;
    assert!(slept.is_err(), "pg_sleep(3) was cancelled");
    assert!(started.elapsed() < Duration::from_secs(2));
}

/// A client that trickles its headers loses the connection; one that trickles its body gets
/// 408 with a coded error. (Not a timing test: the bounds are ten times the limits.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_clients_are_cut_off() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let db = TestDb::new(crate::harness::Backend::Sqlite).await;
    let config = Config {
        body_read_timeout: Duration::from_secs(1),
        ..db.config()
    };
    let s = Server::with_config(config, db).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(crm_api::serve_with(
        listener,
        s.router.clone(),
        crm_api::ServeOptions {
            header_read_timeout: Duration::from_secs(1),
        },
    ));

    let mut slow_headers = tokio::net::TcpStream::connect(addr).await.unwrap();
    slow_headers
        .write_all(b"POST /graphql HTTP/1.1\r\nHost: crm\r\nContent-Type: app")
        .await
        .unwrap();
    let mut rest = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), slow_headers.read_to_end(&mut rest))
        .await
        .expect("the server closes the connection")
        .unwrap();
    assert!(
        rest.is_empty() || rest.starts_with(b"HTTP/1.1 408"),
        "{}",
        String::from_utf8_lossy(&rest)
    );

    let mut slow_body = tokio::net::TcpStream::connect(addr).await.unwrap();
    slow_body
        .write_all(
            b"POST /graphql HTTP/1.1\r\nHost: crm\r\nContent-Type: application/json\r\n\
              Content-Length: 100\r\n\r\n{\"query\":",
        )
        .await
        .unwrap();
    let mut answer = Vec::new();
    let mut chunk = [0u8; 4096];
    let read = async {
        while !String::from_utf8_lossy(&answer).contains("BAD_USER_INPUT") {
            let n = slow_body.read(&mut chunk).await.unwrap();
            if n == 0 {
                break;
            }
            answer.extend_from_slice(&chunk[..n]);
        }
    };
    tokio::time::timeout(Duration::from_secs(10), read)
        .await
        .expect("an answer before the bound");
    let text = String::from_utf8_lossy(&answer);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(text.contains("did not arrive within 1 s"), "{text}");

    // A prompt client is served as usual on the same server.
    let r = reqwest::Client::new()
        .post(format!("http://{addr}/graphql"))
        .json(&json!({ "query": "{ __typename }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}
