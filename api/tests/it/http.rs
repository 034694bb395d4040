//! The HTTP surface as a deployment sees it: liveness and readiness, the headers every answer
//! carries (GraphiQL's pinned scripts among them), and client addresses taken from `X-Forwarded-For` only behind a trusted proxy.

use serde_json::{Value, json};

use crate::harness::{Server, TestDb};
use crate::on_both_backends;

on_both_backends!(
    health_ready_and_security_headers,
    forwarded_addresses_count_only_from_trusted_proxies
);

async fn health_ready_and_security_headers(db: TestDb) {
    let s = Server::start(db).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(crm_api::serve(listener, s.router.clone()));
    let http = reqwest::Client::new();
    for path in ["/health", "/ready"] {
        let r = http.get(format!("{base}{path}")).send().await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
        assert_eq!(r.headers()["x-frame-options"], "DENY");
        let csp = r.headers()["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("frame-ancestors 'none'")
                && csp.contains("default-src 'self'")
                && csp.contains("connect-src 'self'"),
            "{csp}"
        );
        assert_eq!(r.text().await.unwrap(), "ok");
    }
    let r = http
        .post(format!("{base}/graphql"))
        .json(&json!({"query": "{ __typename }"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["cache-control"], "no-store");
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");

    // GraphiQL works without internet: every file it loads comes from this server, each one
    // that is not ours is the pinned release (its bytes match the page's integrity hash), and
    // the page's policy runs scripts from this server only.
    let r = http.get(format!("{base}/graphql")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let csp = r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("script-src 'self';"), "{csp}");
    let html = r.text().await.unwrap();
    assert!(
        !html.contains("https://") && !html.contains("http://"),
        "{html}"
    );
    assert!(!html.contains("<script>"), "no inline script: {html}");
    let mut pinned = 0;
    for tag in html.split('<').filter(|t| t.contains("/graphql/assets/")) {
        let attr = |name: &str| {
            tag.split(&format!("{name}=\"")[..])
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .map(str::to_owned)
        };
        let path = attr("src").or_else(|| attr("href")).unwrap();
        let asset = http.get(format!("{base}{path}")).send().await.unwrap();
        assert_eq!(asset.status(), 200, "{path}");
        let kind = asset.headers()["content-type"].to_str().unwrap().to_owned();
        assert!(
            kind.starts_with("text/javascript") || kind.starts_with("text/css"),
            "{kind}"
        );
        let bytes = asset.bytes().await.unwrap();
        if let Some(integrity) = attr("integrity") {
            use base64::Engine;
            use sha2::Digest;
            let digest =
                base64::engine::general_purpose::STANDARD.encode(sha2::Sha384::digest(&bytes));
            assert_eq!(integrity, format!("sha384-{digest}"), "{path}");
            pinned += 1;
        } else {
            assert!(
                String::from_utf8_lossy(&bytes).contains("/graphql/ws"),
                "{path}"
            );
        }
    }
    assert_eq!(pinned, 4, "React, ReactDOM, GraphiQL and its CSS: {html}");
    let missing = http
        .get(format!("{base}/graphql/assets/nothing.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
}

async fn login_code(http: &reqwest::Client, url: &str, forwarded_for: &str, email: &str) -> String {
    let answer: Value = http
        .post(url)
        .header("x-forwarded-for", forwarded_for)
        .json(&json!({
            "query": "mutation($e: String!) { login(email: $e, password: \"wrong password\") { accessToken } }",
            "variables": {"e": email},
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    answer["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

async fn forwarded_addresses_count_only_from_trusted_proxies(db: TestDb) {
    let trusted = crm_api::Config {
        login_rate_per_min: 2,
        trusted_proxies: crm_api::http::client_addr::TrustedProxies::parse("127.0.0.1").unwrap(),
        ..db.config()
    };
    let s = Server::with_config(trusted, db).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/graphql", listener.local_addr().unwrap());
    tokio::spawn(crm_api::serve(listener, s.router.clone()));
    let http = reqwest::Client::new();
    // Behind the trusted proxy (this test, on 127.0.0.1) each client address has its own
    // bucket (each attempt names another e-mail, so the e-mail buckets stay out of it).
    for (addr, email, code) in [
        ("198.51.100.1", "a@example.com", "BAD_USER_INPUT"),
        ("198.51.100.1", "b@example.com", "BAD_USER_INPUT"),
        ("198.51.100.1", "c@example.com", "RATE_LIMITED"),
        ("198.51.100.2", "d@example.com", "BAD_USER_INPUT"),
    ] {
        assert_eq!(
            login_code(&http, &url, addr, email).await,
            code,
            "{addr} {email}"
        );
    }
}
