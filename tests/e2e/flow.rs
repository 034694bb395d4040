//! The specification's flow, as an integrator and a user would walk it.

use std::time::Duration;

use serde_json::json;

use crate::server::{Backend, Server, Storage, UPSERT_CLIENTS, UPSERT_SALES, clients, sales};
use crate::ws;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn integrator_flow_on_sqlite() {
    integrator_flow(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn integrator_flow_on_postgres() {
    integrator_flow(Backend::Postgres).await;
}

async fn integrator_flow(backend: Backend) {
    let storage = Storage::new(backend).await;
    let s = Server::start(&storage, &[]).await;

    // Register, then log in as a returning user would.
    s.data(
        None,
        "mutation { register(input: {email: \"owner@shop.example\", password: \"long enough\", displayName: \"Owner\", companyName: \"Shop\"}) { accessToken } }",
        json!({}),
    )
    .await;
    let login = s
        .data(None, "mutation { login(email: \"owner@shop.example\", password: \"long enough\") { accessToken } }", json!({}))
        .await;
    let user = login["login"]["accessToken"].as_str().unwrap().to_owned();

    // The integration's key.
    let key = s
        .data(
            Some(&user),
            "mutation { createApiKey(name: \"Shop sync\") { secret } }",
            json!({}),
        )
        .await["createApiKey"]["secret"]
        .as_str()
        .unwrap()
        .to_owned();

    // Push 1,000 clients and 10,000 sales, then exactly the same again.
    let c = s
        .data(Some(&key), UPSERT_CLIENTS, json!({"rows": clients(1000)}))
        .await;
    assert_eq!(c["upsertClients"]["created"], 1000);
    let sl = s
        .data(
            Some(&key),
            UPSERT_SALES,
            json!({"rows": sales(10_000, 1000)}),
        )
        .await;
    assert_eq!(sl["upsertSales"]["created"], 10_000);
    let c = s
        .data(Some(&key), UPSERT_CLIENTS, json!({"rows": clients(1000)}))
        .await;
    assert_eq!(
        c["upsertClients"],
        json!({"created": 0, "updated": 0, "unchanged": 1000, "rejected": 0})
    );
    let sl = s
        .data(
            Some(&key),
            UPSERT_SALES,
            json!({"rows": sales(10_000, 1000)}),
        )
        .await;
    assert_eq!(
        sl["upsertSales"],
        json!({"created": 0, "updated": 0, "unchanged": 10_000, "rejected": 0})
    );

    // The user reads them: counts are exact, pages cover every client once.
    let counts = s
        .data(
            Some(&user),
            "{ clients { totalCount } sales { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(counts["clients"]["totalCount"], 1000);
    assert_eq!(counts["sales"]["totalCount"], 10_000);
    let mut seen = std::collections::HashSet::new();
    let mut after = serde_json::Value::Null;
    loop {
        let page = s
            .data(
                Some(&user),
                "query($a: String) { clients(first: 100, after: $a, sort: {field: TOTAL_SPENT, direction: DESC}) {
                    edges { node { id name salesCount totalSpent { amount currency } lastSale { soldAt } } }
                    pageInfo { hasNextPage endCursor } } }",
                json!({"a": after}),
            )
            .await;
        for e in page["clients"]["edges"].as_array().unwrap() {
            assert!(seen.insert(e["node"]["id"].as_str().unwrap().to_owned()));
            assert_eq!(
                e["node"]["salesCount"].as_i64().unwrap() > 0,
                e["node"]["lastSale"].is_object()
            );
        }
        if page["clients"]["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = page["clients"]["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(seen.len(), 1000);
    let recent = s
        .data(Some(&user), "{ sales(first: 5, filter: {currency: \"USD\"}) { totalCount edges { node { amount { currency } client { name } items { name quantity } } } } }", json!({}))
        .await;
    assert_eq!(recent["sales"]["totalCount"], 500);

    // A subscribed user sees the next sale as it is pushed.
    let mut socket = ws::connect(&s.ws_url(), Some(&user))
        .await
        .expect("subscription connects");
    ws::subscribe(&mut socket, "live", "subscription { saleChanged { kind sale { externalId amount { amount currency } client { name } } } }").await;
    let next = json!([{ "externalId": "order-new", "clientExternalId": "c42", "amountMinor": 124_000_000_i64, "currency": "RUB", "soldAt": "2026-11-22T09:00:00Z" }]);
    s.data(Some(&key), UPSERT_SALES, json!({"rows": next}))
        .await;
    let msg = ws::next(&mut socket, Duration::from_secs(15))
        .await
        .expect("the new sale arrives");
    let change = &msg["payload"]["data"]["saleChanged"];
    assert_eq!(change["kind"], "CREATED", "{msg}");
    assert_eq!(change["sale"]["externalId"], "order-new");
    assert_eq!(
        change["sale"]["amount"],
        json!({"amount": "1240000.00", "currency": "RUB"})
    );
    assert_eq!(change["sale"]["client"]["name"], "Клиент 0042");
}

/// On PostgreSQL, a sale pushed to one server process reaches a subscriber of another.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subscriptions_cross_server_processes_on_postgres() {
    let storage = Storage::new(Backend::Postgres).await;
    let a = Server::start(&storage, &[]).await;
    let b = Server::start(&storage, &[]).await;
    let (user, key) = a.sign_up("x@shop.example").await;
    a.data(Some(&key), UPSERT_CLIENTS, json!({"rows": clients(3)}))
        .await;

    // The same token works on process B: the signing secret is shared through the database.
    let mut socket = ws::connect(&b.ws_url(), Some(&user))
        .await
        .expect("connects to B");
    ws::subscribe(
        &mut socket,
        "1",
        "subscription { saleChanged { sale { externalId } } }",
    )
    .await;
    a.data(Some(&key), UPSERT_SALES, json!({"rows": sales(1, 3)}))
        .await;
    let msg = ws::next(&mut socket, Duration::from_secs(15))
        .await
        .expect("B's subscriber hears A's sale");
    assert_eq!(
        msg["payload"]["data"]["saleChanged"]["sale"]["externalId"],
        "order-0"
    );
}
