//! Relations load in batches: a page of clients with their totals and last sale costs the
//! same number of SQL statements for 10 clients as for 50.

use serde_json::json;

use crate::harness::{Server, TestDb, UPSERT_CLIENTS, UPSERT_SALES, clients, sales};
use crate::on_both_backends;

on_both_backends!(client_page_costs_constant_queries);

const PAGE: &str =
    "query($n: Int!) { clients(first: $n, sort: {field: TOTAL_SPENT, direction: DESC}) {
    edges { node { id name salesCount totalSpent { amount } totals { amount currency }
                   lastSale { id amount { amount } client { name } } } } } }";

async fn client_page_costs_constant_queries(db: TestDb) {
    let s = Server::start(db).await;
    let (user, _) = s.register("n1@example.com", "Acme").await;
    let key = s.api_key(&user, "READ_WRITE").await;
    s.data(Some(&key), UPSERT_CLIENTS, json!({"rows": clients(60)}))
        .await;
    s.data(Some(&key), UPSERT_SALES, json!({"rows": sales(600, 60)}))
        .await;

    let mut costs = Vec::new();
    for n in [10, 50] {
        // Warm the connection pool so connection set-up statements are not counted.
        s.data(Some(&user), PAGE, json!({"n": n})).await;
        let before = s.app.db.query_count();
        let page = s.data(Some(&user), PAGE, json!({"n": n})).await;
        costs.push(s.app.db.query_count() - before);
        let edges = page["clients"]["edges"].as_array().unwrap();
        assert_eq!(edges.len(), n as usize);
        assert!(
            edges
                .iter()
                .all(|e| e["node"]["lastSale"]["client"]["name"] == e["node"]["name"])
        );
    }
    assert_eq!(
        costs[0], costs[1],
        "SQL statements for 10 vs 50 clients: {costs:?}"
    );
    assert!(
        costs[1] <= 8,
        "a page of 50 clients took {} statements",
        costs[1]
    );
}
