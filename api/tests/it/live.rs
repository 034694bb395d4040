//! Long-lived connections follow revocation: graphql-ws sockets and the event streams the web
//! UI serves (`Api::subscribe`) end when their session or key ends or their rights change;
//! sockets carry subscriptions only, must say `connection_init` in time, and are capped.

use std::time::Duration;

use crm_api::Config;
use crm_api::http::Api;
use futures::StreamExt;
use serde_json::json;

use crate::harness::{Server, TestDb};
use crate::on_both_backends;
use crate::ws;

on_both_backends!(
    sockets_close_when_their_session_or_key_ends,
    a_role_downgrade_ends_the_socket,
    sockets_carry_subscriptions_only_and_are_capped,
    ui_event_streams_follow_the_session
);

const SALES: &str = "subscription { saleChanged { kind } }";
/// A recheck this often makes the tests quick; the default is 5 s.
const RECHECK: Duration = Duration::from_millis(200);

async fn start(db: TestDb) -> (Server, String) {
    let config = Config {
        live_recheck: RECHECK,
        ..db.config()
    };
    let s = Server::with_config(config, db).await;
    let url = s.serve_ws().await;
    (s, url)
}

async fn sockets_close_when_their_session_or_key_ends(db: TestDb) {
    let (s, url) = start(db).await;
    let (owner, _) = s.register("owner@example.com", "Acme").await;
    let key = s.api_key(&owner, "READ").await;

    let mut by_user = ws::connect(&url, Some(&owner))
        .await
        .expect("user connects");
    ws::subscribe(&mut by_user, "1", SALES).await;
    let mut by_key = ws::connect(&url, Some(&key)).await.expect("key connects");
    ws::subscribe(&mut by_key, "1", SALES).await;
    assert_eq!(
        ws::close_code(&mut by_user, Duration::from_millis(600)).await,
        None,
        "a live session keeps its socket"
    );

    // Revoking the key closes its socket, and only that one.
    let keys = s.data(Some(&owner), "{ apiKeys { id } }", json!({})).await;
    let key_id = keys["apiKeys"][0]["id"].as_str().unwrap().to_owned();
    s.data(
        Some(&owner),
        "mutation($id: ID!) { revokeApiKey(id: $id) { id } }",
        json!({ "id": key_id }),
    )
    .await;
    assert_eq!(
        ws::close_code(&mut by_key, Duration::from_secs(5)).await,
        Some(4403)
    );
    assert_eq!(
        ws::close_code(&mut by_user, Duration::from_millis(600)).await,
        None
    );

    // Logging out closes the session's socket.
    s.data(Some(&owner), "mutation { logout }", json!({})).await;
    assert_eq!(
        ws::close_code(&mut by_user, Duration::from_secs(5)).await,
        Some(4403)
    );
    assert!(
        ws::connect(&url, Some(&owner)).await.is_err(),
        "the ended session cannot open a new socket"
    );
}

async fn a_role_downgrade_ends_the_socket(db: TestDb) {
    let (s, url) = start(db).await;
    let (owner, _) = s.register("owner@example.com", "Acme").await;
    s.register("member@example.com", "Elsewhere").await;
    let (member_id, admin) = s.join(&owner, "member@example.com", "ADMIN").await;
    let mut socket = ws::connect(&url, Some(&admin)).await.expect("connects");
    ws::subscribe(&mut socket, "1", SALES).await;

    s.data(
        Some(&owner),
        "mutation($m: ID!) { updateMemberRole(memberId: $m, role: VIEWER) { role } }",
        json!({ "m": member_id }),
    )
    .await;
    assert_eq!(
        ws::close_code(&mut socket, Duration::from_secs(5)).await,
        Some(4403),
        "the socket opened as an admin ends when its user is a viewer"
    );
    // Reconnecting gives the new rights.
    let socket = ws::connect(&url, Some(&admin)).await;
    assert!(socket.is_ok(), "a viewer may still subscribe");
}

/// The next `next` or `error` message for operation `id` (skipping others' and `complete`).
async fn answer_to(socket: &mut ws::Socket, id: &str) -> serde_json::Value {
    loop {
        let message = ws::next(socket, Duration::from_secs(5))
            .await
            .expect("an answer");
        if message["id"] == id && message["type"] != "complete" {
            return message;
        }
    }
}

async fn sockets_carry_subscriptions_only_and_are_capped(db: TestDb) {
    let (s, url) = start(db).await;
    let (owner, _) = s.register("owner@example.com", "Acme").await;

    // Queries and mutations belong to POST /graphql.
    let mut socket = ws::connect(&url, Some(&owner)).await.expect("connects");
    for (id, query) in [("q", "{ me { role } }"), ("m", "mutation { logout }")] {
        ws::send(
            &mut socket,
            json!({ "id": id, "type": "subscribe", "payload": { "query": query } }),
        )
        .await;
        let answer = answer_to(&mut socket, id).await;
        let text = answer.to_string();
        assert!(text.contains("only subscriptions"), "{text}");
    }
    s.data(Some(&owner), "{ me { role } }", json!({})).await;

    // At most 16 subscriptions per socket.
    for i in 0..16 {
        ws::send(
            &mut socket,
            json!({ "id": format!("s{i}"), "type": "subscribe", "payload": { "query": SALES } }),
        )
        .await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    ws::send(
        &mut socket,
        json!({ "id": "one-too-many", "type": "subscribe", "payload": { "query": SALES } }),
    )
    .await;
    let refused = answer_to(&mut socket, "one-too-many").await;
    assert!(refused.to_string().contains("at most 16"), "{refused}");

    // At most 16 sockets and streams per session: the 17th is refused at connection_init.
    let mut open = Vec::new();
    for _ in 0..15 {
        open.push(ws::connect(&url, Some(&owner)).await.expect("connects"));
    }
    let refused = ws::connect(&url, Some(&owner)).await;
    assert!(
        refused.is_err(),
        "the 17th socket of one session is refused"
    );
    drop(open);
    drop(socket);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        ws::connect(&url, Some(&owner)).await.is_ok(),
        "closed sockets give their places back"
    );

    // A socket that never says connection_init is closed with 4408.
    let mut silent = ws::open(&url).await;
    assert_eq!(
        ws::close_code(&mut silent, Duration::from_secs(10)).await,
        Some(4408)
    );
}

async fn ui_event_streams_follow_the_session(db: TestDb) {
    let (s, _) = start(db).await;
    let (owner, _) = s.register("owner@example.com", "Acme").await;
    let api = Api::new(s.app.clone());
    let principal = api.authenticate(Some(&owner)).await.unwrap();
    let mut events = Box::pin(api.subscribe(principal, async_graphql::Request::new(SALES)));
    let quiet = tokio::time::timeout(Duration::from_millis(600), events.next()).await;
    assert!(quiet.is_err(), "nothing arrives while the session is live");

    s.data(Some(&owner), "mutation { logout }", json!({})).await;
    let last = tokio::time::timeout(Duration::from_secs(5), events.next())
        .await
        .expect("the stream answers")
        .expect("an error response");
    assert_eq!(
        last.errors[0]
            .extensions
            .as_ref()
            .and_then(|e| e.get("code"))
            .map(|c| c.to_string()),
        Some("\"UNAUTHENTICATED\"".to_owned())
    );
    assert!(
        tokio::time::timeout(Duration::from_secs(5), events.next())
            .await
            .expect("the stream ends")
            .is_none()
    );
}
