//! The clients list a user works with: search, filters, interactions, archive, live changes.

use std::time::Duration;

use serde_json::json;

use crate::harness::{Server, TestDb};
use crate::on_both_backends;
use crate::ws;

on_both_backends!(search_filters_and_interactions);

const LIST: &str =
    "query($f: ClientFilterInput, $s: ClientSortInput) { clients(filter: $f, sort: $s) {
    totalCount edges { node { name lastInteractionAt salesCount archived } } } }";

async fn search_filters_and_interactions(db: TestDb) {
    let s = Server::start(db).await;
    let url = s.serve_ws().await;
    let (t, _) = s.register("list@example.com", "Acme").await;
    let mut ids = Vec::new();
    for (name, email) in [
        ("Анна Смирнова", "anna@example.ru"),
        ("Boris", "boris@example.com"),
        ("Carla 50%", "carla@example.com"),
    ] {
        let d = s
            .data(Some(&t), "mutation($n: String!, $e: String) { createClient(input: {name: $n, email: $e}) { id } }", json!({"n": name, "e": email}))
            .await;
        ids.push(d["createClient"]["id"].clone());
    }
    let names = |r: &serde_json::Value| -> Vec<String> {
        r["clients"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["node"]["name"].as_str().unwrap().to_owned())
            .collect()
    };
    // Search ignores case, also in Cyrillic, and takes % literally.
    let r = s
        .data(Some(&t), LIST, json!({"f": {"search": "СМИРН"}}))
        .await;
    assert_eq!(names(&r), ["Анна Смирнова"]);
    let r = s
        .data(Some(&t), LIST, json!({"f": {"search": "BORIS@EXAMPLE"}}))
        .await;
    assert_eq!(names(&r), ["Boris"]);
    let r = s
        .data(Some(&t), LIST, json!({"f": {"search": "50%"}}))
        .await;
    assert_eq!(names(&r), ["Carla 50%"]);
    let r = s.data(Some(&t), LIST, json!({"f": {"search": "%"}})).await;
    assert_eq!(names(&r), ["Carla 50%"]);

    // An interaction moves the last interaction date forward, never back.
    let mut socket = ws::connect(&url, Some(&t)).await.expect("connects");
    ws::subscribe(
        &mut socket,
        "c",
        "subscription { clientChanged { kind client { name lastInteractionAt } } }",
    )
    .await;
    let add = "mutation($c: ID!, $at: DateTime) { addInteraction(clientId: $c, input: {kind: CALL, body: \"Called about renewal\", occurredAt: $at}) { id kind author { email } } }";
    let added = s
        .data(
            Some(&t),
            add,
            json!({"c": ids[1], "at": "2026-10-01T12:00:00Z"}),
        )
        .await;
    assert_eq!(
        added["addInteraction"]["author"]["email"],
        "list@example.com"
    );
    s.data(
        Some(&t),
        add,
        json!({"c": ids[1], "at": "2026-09-01T12:00:00Z"}),
    )
    .await;
    let msg = ws::next(&mut socket, Duration::from_secs(10))
        .await
        .expect("client change");
    assert_eq!(
        msg["payload"]["data"]["clientChanged"]["client"]["name"],
        "Boris"
    );
    let one = s
        .data(Some(&t), "query($c: ID!) { client(id: $c) { lastInteractionAt interactions { edges { node { occurredAt body } } } } }", json!({"c": ids[1]}))
        .await;
    assert_eq!(
        one["client"]["lastInteractionAt"],
        "2026-10-01T12:00:00+00:00"
    );
    let history = one["client"]["interactions"]["edges"].as_array().unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(
        history[0]["node"]["occurredAt"], "2026-10-01T12:00:00+00:00",
        "newest first"
    );

    let r = s
        .data(Some(&t), LIST, json!({"f": {"lastInteractionFrom": "2026-09-15T00:00:00Z", "lastInteractionTo": "2026-10-15T00:00:00Z"}}))
        .await;
    assert_eq!(names(&r), ["Boris"]);
    let r = s
        .data(
            Some(&t),
            LIST,
            json!({"s": {"field": "LAST_INTERACTION", "direction": "DESC"}}),
        )
        .await;
    assert_eq!(names(&r)[0], "Boris", "clients with interactions first");

    // Purchases filter.
    s.data(Some(&t), "mutation($c: ID!) { createSale(input: {clientId: $c, amountMinor: 100, currency: \"RUB\"}) { id } }", json!({"c": ids[0]}))
        .await;
    let r = s
        .data(Some(&t), LIST, json!({"f": {"hasPurchases": true}}))
        .await;
    assert_eq!(names(&r), ["Анна Смирнова"]);
    let r = s
        .data(Some(&t), LIST, json!({"f": {"hasPurchases": false}}))
        .await;
    assert_eq!(r["clients"]["totalCount"], 2);

    // Archived clients leave the default list and can come back.
    s.data(
        Some(&t),
        "mutation($c: ID!) { archiveClient(id: $c) { archived } }",
        json!({"c": ids[2]}),
    )
    .await;
    let r = s.data(Some(&t), LIST, json!({})).await;
    assert_eq!(r["clients"]["totalCount"], 2);
    let r = s
        .data(Some(&t), LIST, json!({"f": {"archived": true}}))
        .await;
    assert_eq!(names(&r), ["Carla 50%"]);
    s.data(
        Some(&t),
        "mutation($c: ID!) { restoreClient(id: $c) { archived } }",
        json!({"c": ids[2]}),
    )
    .await;
    let r = s.data(Some(&t), LIST, json!({})).await;
    assert_eq!(r["clients"]["totalCount"], 3);

    // Editing: absent fields stay, null clears.
    let edited = s
        .data(Some(&t), "mutation($c: ID!) { updateClient(id: $c, input: {phone: \"+7 900 000-00-00\", email: null, status: INACTIVE}) { name email phone status } }", json!({"c": ids[1]}))
        .await;
    assert_eq!(
        edited["updateClient"],
        json!({"name": "Boris", "email": null, "phone": "+7 900 000-00-00", "status": "INACTIVE"})
    );
    let r = s
        .data(Some(&t), LIST, json!({"f": {"status": "INACTIVE"}}))
        .await;
    assert_eq!(names(&r), ["Boris"]);
}
