//! A server killed in the middle of a batch leaves nothing half-written; the same batch sent
//! again after a restart gives exactly the intended data.

use std::time::Duration;

use serde_json::json;

use crate::server::{Backend, Server, Storage, UPSERT_CLIENTS, UPSERT_SALES, clients, sales};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_mid_batch_on_sqlite() {
    killed_mid_batch(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_mid_batch_on_postgres() {
    killed_mid_batch(Backend::Postgres).await;
}

async fn killed_mid_batch(backend: Backend) {
    let storage = Storage::new(backend).await;
    // This server pauses inside each batch transaction, after its rows are written and
    // before it commits: the test kills it there.
    let s = Server::start(&storage, &[("CRM_FAULT_BATCH_PAUSE_MS", "60000")]).await;
    let (user, key) = s.sign_up("k@shop.example").await;

    let batch = json!({"rows": clients(1000)});
    let request = {
        let (http, base, key, batch) = (s.http.clone(), s.base.clone(), key.clone(), batch.clone());
        tokio::spawn(async move {
            http.post(format!("http://{base}/graphql"))
                .bearer_auth(key)
                .json(&json!({"query": UPSERT_CLIENTS, "variables": batch}))
                .send()
                .await
        })
    };
    // Long enough for the rows to be inserted; the pause keeps the transaction open.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert!(
        !request.is_finished(),
        "the batch should still be in its transaction"
    );
    s.kill();
    assert!(
        request.await.unwrap().is_err(),
        "the client sees the connection drop"
    );

    let s = Server::start(&storage, &[]).await;
    let count = s
        .data(Some(&user), "{ clients { totalCount } }", json!({}))
        .await;
    assert_eq!(
        count["clients"]["totalCount"], 0,
        "nothing of the killed batch remains"
    );
    let again = s.data(Some(&key), UPSERT_CLIENTS, batch).await;
    assert_eq!(again["upsertClients"]["created"], 1000);
    let sales = s
        .data(Some(&key), UPSERT_SALES, json!({"rows": sales(2000, 1000)}))
        .await;
    assert_eq!(sales["upsertSales"]["created"], 2000);
    let counts = s
        .data(
            Some(&user),
            "{ clients { totalCount } sales { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(counts["clients"]["totalCount"], 1000);
    assert_eq!(counts["sales"]["totalCount"], 2000);
}
