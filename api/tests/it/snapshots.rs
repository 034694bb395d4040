//! GraphQL response snapshots of the main operations (insta): what an integrator and the web
//! UI get back, field by field. Ids, cursors and server timestamps are redacted; both
//! backends must give the same answer, so both compare with the same snapshot file.
//! After an intended change of a response, review and accept the new snapshot with
//! `INSTA_UPDATE=always cargo test -p crm-api --test it snapshots` and commit the `.snap` file.

use serde_json::{Value, json};

use crate::harness::{Server, TestDb, UPSERT_CLIENTS, UPSERT_SALES};
use crate::on_both_backends;

on_both_backends!(main_operations);

/// Replaces a value that differs from run to run with `label`; a null stays null, so a
/// missing id still shows.
fn redact(label: &'static str) -> insta::internals::Redaction {
    insta::dynamic_redaction(
        move |value, _| {
            if value.is_nil() { value } else { label.into() }
        },
    )
}

fn check(name: &str, value: &Value) {
    insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
        insta::assert_json_snapshot!(name, value, {
            ".**.id" => redact("[id]"),
            ".**.cursor" => redact("[cursor]"),
            ".**.startCursor" => redact("[cursor]"),
            ".**.endCursor" => redact("[cursor]"),
            ".**.createdAt" => redact("[now]"),
            ".**.updatedAt" => redact("[now]"),
        });
    });
}

async fn main_operations(db: TestDb) {
    let s = Server::start(db).await;
    let (user, _) = s.register("owner@example.com", "Shop").await;
    let key = s.api_key(&user, "READ_WRITE").await;

    let clients = s
        .call(
            Some(&key),
            UPSERT_CLIENTS,
            json!({"rows": [
                {"externalId": "c1", "name": "Иван Зайцев", "email": "ivan@example.ru", "phone": "+7 900 000-00-01",
                 "attributes": {"tier": "gold"}},
                {"externalId": "c2", "name": "Anna Smith", "status": "INACTIVE"},
                {"externalId": "c3", "name": "Bad", "email": "not an address"},
                {"externalId": "c1", "name": "Twice"},
            ]}),
        )
        .await;
    check("upsert_clients", &clients);

    let sales = s
        .call(
            Some(&key),
            UPSERT_SALES,
            json!({"rows": [
                {"externalId": "s1", "clientExternalId": "c1", "amountMinor": 1_240_000_00_i64, "currency": "rub",
                 "soldAt": "2026-03-01T01:30:00+03:00", "items": [
                    {"name": "Стол", "sku": "T-1", "quantity": 2, "unitPriceMinor": 620_000_00_i64},
                    {"name": "Delivery", "kind": "SERVICE"}]},
                {"externalId": "s2", "clientExternalId": "c2", "amountMinor": 5_00, "currency": "USD",
                 "soldAt": "2026-03-02", "status": "REFUNDED", "note": "returned"},
                {"externalId": "s3", "clientExternalId": "nobody", "amountMinor": 1, "currency": "RUB", "soldAt": "2026-03-03"},
                {"externalId": "s4", "clientExternalId": "c1", "amountMinor": -1, "currency": "RUB", "soldAt": "2026-03-03"},
            ]}),
        )
        .await;
    check("upsert_sales", &sales);

    let list = s
        .call(
            Some(&user),
            "{ clients(first: 5, sort: {field: NAME, direction: ASC}) {
                 totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
                 edges { cursor node { id externalId name email phone attributes status archived
                   salesCount totalSpent { amountMinor currency amount } totals { amountMinor currency amount }
                   lastPurchaseAt lastSale { externalId amount { amount currency } }
                   createdAt updatedAt } } } }",
            json!({}),
        )
        .await;
    check("clients_page", &list);

    let sales_page = s
        .call(
            Some(&user),
            "{ sales(first: 10) { totalCount
                 nodes { id externalId client { externalId name } amount { amountMinor currency amount }
                   soldAt status items { name sku kind quantity unitPriceMinor } note createdAt updatedAt } } }",
            json!({}),
        )
        .await;
    check("sales_page", &sales_page);

    let summary = s
        .call(
            Some(&user),
            "{ salesSummary(from: \"2026-02-01T00:00:00Z\", to: \"2026-04-01T00:00:00Z\") {
                 salesCount revenue { amountMinor currency amount } newClients } }",
            json!({}),
        )
        .await;
    check("sales_summary", &summary);
}
