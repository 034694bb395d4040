//! Integrator batch upserts: idempotent, one transaction per batch, a result per row.

use serde_json::json;

use crate::harness::{Server, TestDb, UPSERT_CLIENTS, UPSERT_SALES, clients, minor, sales};
use crate::on_both_backends;

on_both_backends!(
    same_batch_twice_changes_nothing,
    changed_rows_update_and_totals_follow,
    pages_walk_every_row_once
);

async fn same_batch_twice_changes_nothing(db: TestDb) {
    let s = Server::start(db).await;
    let (user, _) = s.register("int@example.com", "Shop").await;
    let key = s.api_key(&user, "READ_WRITE").await;
    let first = s
        .data(Some(&key), UPSERT_CLIENTS, json!({"rows": clients(300)}))
        .await;
    assert_eq!(first["upsertClients"]["created"], 300);
    let again = s
        .data(Some(&key), UPSERT_CLIENTS, json!({"rows": clients(300)}))
        .await;
    assert_eq!(again["upsertClients"]["unchanged"], 300);
    assert_eq!(again["upsertClients"]["created"], 0);
    // Same ids for the same rows.
    assert_eq!(
        first["upsertClients"]["rows"][17]["id"],
        again["upsertClients"]["rows"][17]["id"]
    );

    let first = s
        .data(Some(&key), UPSERT_SALES, json!({"rows": sales(2000, 300)}))
        .await;
    assert_eq!(first["upsertSales"]["created"], 2000);
    let again = s
        .data(Some(&key), UPSERT_SALES, json!({"rows": sales(2000, 300)}))
        .await;
    assert_eq!(again["upsertSales"]["unchanged"], 2000);
    let counts = s
        .data(
            Some(&user),
            "{ clients { totalCount } sales { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(counts["clients"]["totalCount"], 300);
    assert_eq!(counts["sales"]["totalCount"], 2000);
}

async fn changed_rows_update_and_totals_follow(db: TestDb) {
    let s = Server::start(db).await;
    let (user, _) = s.register("int@example.com", "Shop").await;
    let key = s.api_key(&user, "READ_WRITE").await;
    s.data(Some(&key), UPSERT_CLIENTS, json!({"rows": clients(2)}))
        .await;
    let rows = json!([
        {"externalId": "s1", "clientExternalId": "c0", "amountMinor": 100_00, "currency": "RUB", "soldAt": "2026-01-10"},
        {"externalId": "s2", "clientExternalId": "c0", "amountMinor": 50_00, "currency": "RUB", "soldAt": "2026-02-10"},
        {"externalId": "s3", "clientExternalId": "c0", "amountMinor": 7_00, "currency": "USD", "soldAt": "2026-03-10"},
    ]);
    s.data(Some(&key), UPSERT_SALES, json!({"rows": rows}))
        .await;
    let q = "{ clients(sort: {field: NAME}) { edges { node { externalId salesCount totalSpent { amount currency }
        totals { amount currency } lastPurchaseAt } } } }";
    let c = s.data(Some(&user), q, json!({})).await;
    let c0 = &c["clients"]["edges"][0]["node"];
    assert_eq!(c0["salesCount"], 3);
    assert_eq!(
        c0["totalSpent"],
        json!({"amount": "150.00", "currency": "RUB"}),
        "base currency only"
    );
    assert_eq!(
        c0["totals"],
        json!([{"amount": "150.00", "currency": "RUB"}, {"amount": "7.00", "currency": "USD"}])
    );

    // Move s2 to c1 and cancel s1: both clients' figures follow, in one batch.
    let change = json!([
        {"externalId": "s1", "clientExternalId": "c0", "amountMinor": 100_00, "currency": "RUB", "soldAt": "2026-01-10", "status": "CANCELLED"},
        {"externalId": "s2", "clientExternalId": "c1", "amountMinor": 50_00, "currency": "RUB", "soldAt": "2026-02-10"},
        {"externalId": "s3", "clientExternalId": "c0", "amountMinor": 7_00, "currency": "USD", "soldAt": "2026-03-10"},
    ]);
    let r = s
        .data(Some(&key), UPSERT_SALES, json!({"rows": change}))
        .await;
    assert_eq!(
        (
            r["upsertSales"]["updated"].as_i64(),
            r["upsertSales"]["unchanged"].as_i64()
        ),
        (Some(2), Some(1))
    );
    let c = s.data(Some(&user), q, json!({})).await;
    let (c0, c1) = (
        &c["clients"]["edges"][0]["node"],
        &c["clients"]["edges"][1]["node"],
    );
    assert_eq!(c0["salesCount"], 1);
    assert_eq!(c0["totalSpent"]["amount"], "0.00");
    assert_eq!(c1["salesCount"], 1);
    assert_eq!(c1["totalSpent"]["amount"], "50.00");
    assert_eq!(c1["lastPurchaseAt"], "2026-02-10T00:00:00+00:00");

    // A new sale adds to what is there; an older one leaves the last purchase date alone.
    let more = json!([
        {"externalId": "s4", "clientExternalId": "c1", "amountMinor": 25_00, "currency": "RUB", "soldAt": "2026-05-01"},
        {"externalId": "s5", "clientExternalId": "c1", "amountMinor": 1_00, "currency": "RUB", "soldAt": "2025-05-01"},
        {"externalId": "s6", "clientExternalId": "c1", "amountMinor": 9_00, "currency": "RUB", "soldAt": "2026-06-01", "status": "PENDING"},
    ]);
    s.data(Some(&key), UPSERT_SALES, json!({"rows": more}))
        .await;
    let c = s.data(Some(&user), q, json!({})).await;
    let c1 = &c["clients"]["edges"][1]["node"];
    assert_eq!(c1["salesCount"], 3, "pending sales do not count");
    assert_eq!(c1["totalSpent"]["amount"], "76.00");
    assert_eq!(c1["lastPurchaseAt"], "2026-05-01T00:00:00+00:00");

    // The key figures count completed sales of the period only.
    let sum = s
        .data(Some(&user), "{ salesSummary(from: \"2026-01-01T00:00:00Z\", to: \"2100-01-01T00:00:00Z\") { salesCount newClients revenue { amount currency } } }", json!({}))
        .await;
    assert_eq!(
        sum["salesSummary"],
        json!({"salesCount": 3, "newClients": 2, "revenue": [{"amount": "75.00", "currency": "RUB"}, {"amount": "7.00", "currency": "USD"}]})
    );

    // Upserting a client with only a new name keeps its e-mail; null clears it.
    s.data(
        Some(&key),
        UPSERT_CLIENTS,
        json!({"rows": [{"externalId": "c0", "name": "Renamed"}]}),
    )
    .await;
    let one = s
        .data(
            Some(&user),
            "{ clients(filter: {search: \"renamed\"}) { edges { node { email } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        one["clients"]["edges"][0]["node"]["email"],
        "client0@example.com"
    );
    s.data(
        Some(&key),
        UPSERT_CLIENTS,
        json!({"rows": [{"externalId": "c0", "name": "Renamed", "email": null}]}),
    )
    .await;
    let one = s
        .data(
            Some(&user),
            "{ clients(filter: {search: \"renamed\"}) { edges { node { email } } } }",
            json!({}),
        )
        .await;
    assert_eq!(one["clients"]["edges"][0]["node"]["email"], json!(null));
}

async fn pages_walk_every_row_once(db: TestDb) {
    let s = Server::start(db).await;
    let (user, _) = s.register("int@example.com", "Shop").await;
    let key = s.api_key(&user, "READ_WRITE").await;
    s.data(Some(&key), UPSERT_CLIENTS, json!({"rows": clients(120)}))
        .await;
    s.data(Some(&key), UPSERT_SALES, json!({"rows": sales(90, 45)}))
        .await;
    for (field, direction) in [
        ("NAME", "ASC"),
        ("TOTAL_SPENT", "DESC"),
        ("LAST_PURCHASE", "DESC"),
        ("LAST_PURCHASE", "ASC"),
        ("CREATED_AT", "DESC"),
    ] {
        let mut seen = std::collections::HashSet::new();
        let mut after = serde_json::Value::Null;
        let mut previous: Option<serde_json::Value> = None;
        loop {
            let page = s
                .data(
                    Some(&user),
                    "query($a: String, $f: ClientSortField!, $d: SortDirection!) {
                        clients(first: 25, after: $a, sort: {field: $f, direction: $d}) {
                          edges { node { id totalSpent { amountMinor } lastPurchaseAt } } pageInfo { hasNextPage endCursor } } }",
                    json!({"a": after, "f": field, "d": direction}),
                )
                .await;
            for e in page["clients"]["edges"].as_array().unwrap() {
                assert!(
                    seen.insert(e["node"]["id"].as_str().unwrap().to_owned()),
                    "{field} repeats a row"
                );
                if field == "TOTAL_SPENT" {
                    let v = e["node"]["totalSpent"]["amountMinor"].clone();
                    if let Some(p) = &previous {
                        assert!(minor(p) >= minor(&v), "descending totals");
                    }
                    previous = Some(v);
                }
                if field == "LAST_PURCHASE" && e["node"]["lastPurchaseAt"].is_string() {
                    assert!(
                        previous.as_ref().is_none_or(|p| !p.is_null()),
                        "clients without purchases come last"
                    );
                }
                if field == "LAST_PURCHASE" {
                    previous = Some(e["node"]["lastPurchaseAt"].clone());
                }
            }
            if page["clients"]["pageInfo"]["hasNextPage"] != true {
                break;
            }
            after = page["clients"]["pageInfo"]["endCursor"].clone();
        }
        assert_eq!(seen.len(), 120, "{field} {direction} walks all clients");
    }
    // Sales pages too.
    let mut seen = 0;
    let mut after = serde_json::Value::Null;
    loop {
        let page = s
            .data(Some(&user), "query($a: String) { sales(first: 40, after: $a) { edges { node { id } } pageInfo { hasNextPage endCursor } } }", json!({"a": after}))
            .await;
        seen += page["sales"]["edges"].as_array().unwrap().len();
        if page["sales"]["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = page["sales"]["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(seen, 90);
}

/// Statistics taken while a table was empty go stale as an import fills it; the batches notice
/// it (and then look rows up through the indexes, see `DbConn::prefer_indexes_if_stale`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stale_statistics_are_noticed_on_postgres() {
    let db = TestDb::new(crate::harness::Backend::Postgres).await;
    let pool = crm_api::db::Db::connect(&db.url, 1).await.unwrap();
    let mut conn = pool.write().await.unwrap();
    // Never analyzed: the planner measures the table itself.
    assert!(!conn.prefer_indexes_if_stale(&["clients"]).await.unwrap());
    conn.execute_sql("ANALYZE clients").await.unwrap();
    assert!(
        !conn.prefer_indexes_if_stale(&["clients"]).await.unwrap(),
        "analyzed and still empty"
    );
    conn.execute_sql(
        "INSERT INTO companies (name, base_currency, created_at) VALUES ('Stats', 'RUB', now()); \
         INSERT INTO clients (company_id, external_id, name, status, search_text, created_at, updated_at) \
         SELECT (SELECT max(id) FROM companies), 'c' || i, 'Client ' || i, 'active', 'client ' || i, \
         now(), now() FROM generate_series(1, 5000) AS i",
    )
    .await
    .unwrap();
    assert!(
        conn.prefer_indexes_if_stale(&["clients"]).await.unwrap(),
        "5,000 rows since an ANALYZE of the empty table"
    );
    conn.plan_normally().await.unwrap();
    conn.execute_sql("ANALYZE clients").await.unwrap();
    assert!(
        !conn.prefer_indexes_if_stale(&["clients"]).await.unwrap(),
        "analyzed again"
    );
}

/// A batch leaves the written tables analyzed on PostgreSQL (where autovacuum may be off, late
/// or not yet due): the reports over a fresh import are planned with statistics.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batches_leave_statistics_fresh_on_postgres() {
    let s = Server::start(TestDb::new(crate::harness::Backend::Postgres).await).await;
    let (token, _) = s.register("stats@example.com", "Stats").await;
    let mut conn = s.app.db.write().await.unwrap();
    // A table that was never analyzed counts as stale.
    assert!(
        conn.analyze_if_stale(&["sales"]).await.unwrap(),
        "never analyzed"
    );
    assert!(
        !conn.analyze_if_stale(&["sales"]).await.unwrap(),
        "just analyzed"
    );
    drop(conn);
    s.data(
        Some(&token),
        UPSERT_CLIENTS,
        serde_json::json!({ "rows": [{ "externalId": "c0", "name": "Client" }] }),
    )
    .await;
    let sales: Vec<serde_json::Value> = (0..2_000)
        .map(|i| {
            serde_json::json!({ "externalId": format!("s{i}"), "clientExternalId": "c0",
                "amountMinor": 100 + i, "currency": "RUB", "soldAt": "2026-03-10T10:00:00Z" })
        })
        .collect();
    s.data(
        Some(&token),
        UPSERT_SALES,
        serde_json::json!({ "rows": sales }),
    )
    .await;
    // The batch grew the table far past double its analyzed size and analyzed it again.
    let mut conn = s.app.db.write().await.unwrap();
    assert!(
        !conn.analyze_if_stale(&["clients", "sales"]).await.unwrap(),
        "the batch left fresh statistics"
    );
}
