//! Subscriptions over WebSocket: authenticated at connection time, scoped to the company.

use std::time::Duration;

use serde_json::json;

use crate::harness::{Server, TestDb, UPSERT_CLIENTS, UPSERT_SALES, clients, minor};
use crate::on_both_backends;
use crate::ws;

on_both_backends!(subscribers_see_their_company_only);

const SALES: &str = "subscription { saleChanged { kind sale { externalId amount { amountMinor } client { externalId } } } }";

async fn subscribers_see_their_company_only(db: TestDb) {
    let s = Server::start(db).await;
    let url = s.serve_ws().await;

    let (a, _) = s.register("a@example.com", "A").await;
    let (b, _) = s.register("b@example.com", "B").await;
    let (a_key, b_key) = (
        s.api_key(&a, "READ_WRITE").await,
        s.api_key(&b, "READ_WRITE").await,
    );
    for key in [&a_key, &b_key] {
        s.data(Some(key), UPSERT_CLIENTS, json!({"rows": clients(1)}))
            .await;
    }

    assert!(
        ws::connect(&url, None).await.is_err(),
        "anonymous subscribers are refused"
    );
    assert!(
        ws::connect(&url, Some("crm_not_a_key")).await.is_err(),
        "bad keys are refused"
    );

    let mut socket = ws::connect(&url, Some(&a)).await.expect("A connects");
    ws::subscribe(&mut socket, "1", SALES).await;
    let sale = |ext: &str| json!({"rows": [{"externalId": ext, "clientExternalId": "c0", "amountMinor": 4200, "currency": "RUB", "soldAt": "2026-11-20"}]});
    // B's sale first: if it leaked it would arrive before A's.
    s.data(Some(&b_key), UPSERT_SALES, sale("from-b")).await;
    s.data(Some(&a_key), UPSERT_SALES, sale("from-a")).await;
    let msg = ws::next(&mut socket, Duration::from_secs(10))
        .await
        .expect("an event");
    assert_eq!(msg["type"], "next", "{msg}");
    let change = &msg["payload"]["data"]["saleChanged"];
    assert_eq!(change["kind"], "CREATED");
    assert_eq!(change["sale"]["externalId"], "from-a");
    assert_eq!(change["sale"]["client"]["externalId"], "c0");
    // An update arrives too; B's sale never does.
    s.data(Some(&b_key), UPSERT_SALES, sale("from-b-2")).await;
    let mut updated = sale("from-a");
    updated["rows"][0]["amountMinor"] = json!(5000);
    s.data(Some(&a_key), UPSERT_SALES, updated).await;
    let msg = ws::next(&mut socket, Duration::from_secs(10))
        .await
        .expect("an update");
    assert_eq!(msg["payload"]["data"]["saleChanged"]["kind"], "UPDATED");
    assert_eq!(
        minor(&msg["payload"]["data"]["saleChanged"]["sale"]["amount"]["amountMinor"]),
        5000
    );
    assert!(
        ws::next(&mut socket, Duration::from_millis(500))
            .await
            .is_none(),
        "nothing else arrives"
    );
}
