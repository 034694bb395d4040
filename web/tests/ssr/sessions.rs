//! Sessions over time: a page rendered after the access token expired renews the session once
//! and stays signed in, however many server functions it runs; the browser's next request with
//! the cookie of before (a parallel call) still works within the grace window; over https the
//! cookie is `Secure` and `__Host-` prefixed.

use std::time::Duration;

use crate::harness::{register, web_with};
use axum::body::Body;
use axum::http::{Request, header};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_access_tokens_renew_on_sqlite() {
    expired_access_tokens_renew(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_access_tokens_renew_on_postgres() {
    expired_access_tokens_renew(true).await;
}

async fn expired_access_tokens_renew(postgres: bool) {
    let config = crm_api::Config {
        access_token_ttl: Duration::from_secs(1),
        ..Default::default()
    };
    let w = web_with(postgres, config).await;
    let old = register(&w, "ttl@example.com").await;
    let old = old.split(';').next().unwrap().to_owned();
    // Past the token's life and the verifier's 5 s leeway.
    tokio::time::sleep(Duration::from_millis(6_500)).await;

    // The start screen runs several server functions (the viewer, the month's figures):
    // one renewal serves them all, and the page answers with the renewed cookie.
    let request = Request::get("/")
        .header(header::COOKIE, &old)
        .header(header::ACCEPT_LANGUAGE, "en-US,en")
        .body(Body::empty())
        .unwrap();
    let (status, renewed, body) = w.send(request).await;
    assert_eq!(status, 200);
    assert!(
        body.contains("This month") && !body.contains("id=\"login-form\""),
        "signed in after the access token expired: {body}"
    );
    let renewed = renewed.expect("the page renews the cookie");
    assert!(
        renewed.starts_with("crm_session=") && renewed != old,
        "{renewed}"
    );

    // A parallel request that still carried the old cookie is served too (grace window)...
    let (_, body) = w.page("/clients", &old).await;
    assert!(!body.contains("id=\"login-form\""), "{body}");
    // ...and the renewed cookie keeps working.
    let (_, body) = w.page("/clients", &renewed).await;
    assert!(!body.contains("id=\"login-form\""), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cookies_over_https_are_secure_and_host_prefixed() {
    let config = crm_api::Config {
        public_url: Some("https://crm.test".into()),
        ..Default::default()
    };
    let w = web_with(false, config).await;
    let cookie = register(&w, "https@example.com").await;
    assert!(cookie.starts_with("__Host-crm_session="), "{cookie}");
    assert!(
        cookie.contains("; Secure") && cookie.contains("Path=/") && !cookie.contains("Domain"),
        "{cookie}"
    );
    let session = cookie.split(';').next().unwrap().to_owned();
    let (_, body) = w.page("/clients", &session).await;
    assert!(!body.contains("id=\"login-form\""), "{body}");
    // A plain-named cookie is not the session over https.
    let plain = session.replacen("__Host-", "", 1);
    let (_, body) = w.page("/clients", &plain).await;
    assert!(body.contains("id=\"login-form\""), "{body}");
}
