//! Data under concurrency: parallel batches over the same clients leave every client's figures
//! equal to a recount, and two owners demoting each other at once leave the company an owner.

use std::time::Duration;

use futures::future::join_all;
use serde_json::{Value, json};

use crate::harness::{Server, TestDb, UPSERT_CLIENTS, UPSERT_SALES, clients, error_code, minor};
use crate::on_both_backends;

on_both_backends!(
    parallel_batches_keep_client_figures_equal_to_a_recount,
    owners_demoting_each_other_leave_an_owner
);

const CLIENTS: usize = 10;
const BATCHES: usize = 8;

fn sale(external_id: &str, client: usize, amount: i64) -> Value {
    json!({
        "externalId": external_id,
        "clientExternalId": format!("c{client}"),
        "amountMinor": amount,
        "currency": "RUB",
        "soldAt": "2026-11-20T10:00:00Z",
    })
}

async fn parallel_batches_keep_client_figures_equal_to_a_recount(db: TestDb) {
    let config = crm_api::Config {
        pool_size: BATCHES + 2,
        // Each batch holds its locks a moment before committing, so the batches overlap.
        fault_batch_pause: Some(std::time::Duration::from_millis(150)),
        ..db.config()
    };
    let s = Server::with_config(config, db).await;
    let (owner, _) = s.register("owner@example.com", "Acme").await;
    let key = s.api_key(&owner, "READ_WRITE").await;
    s.data(
        Some(&key),
        UPSERT_CLIENTS,
        json!({"rows": clients(CLIENTS)}),
    )
    .await;
    let seed: Vec<Value> = (0..100)
        .map(|i| sale(&format!("s{i}"), i % CLIENTS, 100))
        .collect();
    s.data(Some(&key), UPSERT_SALES, json!({"rows": seed}))
        .await;

    // Half the batches add sales to every client (in their own orders: their figures grow by
    // increments); the others only move ten seed sales to other clients with new amounts (their
    // figures are recounted). A recount that waited for another batch's lock must count what
    // that batch committed meanwhile.
    let batches: Vec<Value> = (0..BATCHES)
        .map(|b| {
            let rows: Vec<Value> = if b % 2 == 0 {
                let mut rows: Vec<Value> = (0..30)
                    .map(|i| {
                        sale(
                            &format!("b{b}-{i}"),
                            (b * 3 + i) % CLIENTS,
                            1_000 + i as i64,
                        )
                    })
                    .collect();
                if b % 4 == 2 {
                    rows.reverse();
                }
                rows
            } else {
                (0..10)
                    .map(|i| {
                        sale(
                            &format!("s{}", b * 10 + i),
                            (i + b + 1) % CLIENTS,
                            (b as i64 + 1) * 10_000 + i as i64,
                        )
                    })
                    .collect()
            };
            json!({ "rows": rows })
        })
        .collect();
    let answers = join_all(
        batches
            .into_iter()
            .map(|rows| s.call(Some(&key), UPSERT_SALES, rows)),
    )
    .await;
    for (b, answer) in answers.iter().enumerate() {
        assert!(answer.get("errors").is_none(), "a batch failed: {answer}");
        let result = &answer["data"]["upsertSales"];
        let (created, updated) = if b % 2 == 0 { (30, 0) } else { (0, 10) };
        assert_eq!(result["created"], created, "{answer}");
        assert_eq!(result["updated"], updated, "{answer}");
    }

    // Every client's stored figures equal a recount of its sales.
    let page = s
        .data(
            Some(&key),
            "{ clients(first: 100) { nodes { id externalId salesCount totalSpent { amountMinor } totals { amountMinor currency } } } }",
            json!({}),
        )
        .await;
    let nodes = page["clients"]["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), CLIENTS);
    let mut all_sales = 0;
    for node in nodes {
        let counted = s
            .data(
                Some(&key),
                "query($c: ID!) { sales(first: 1, filter: {clientId: $c, status: COMPLETED}) { totalCount } }",
                json!({ "c": node["id"] }),
            )
            .await;
        let count = counted["sales"]["totalCount"].as_i64().unwrap();
        all_sales += count;
        assert_eq!(node["salesCount"].as_i64(), Some(count), "{node}");
        let recount = match &node["totals"][0]["amountMinor"] {
            Value::Null => 0,
            v => minor(v),
        };
        assert_eq!(
            Some(minor(&node["totalSpent"]["amountMinor"])),
            Some(recount),
            "{node}"
        );
    }
    assert_eq!(all_sales, 100 + 30 * (BATCHES as i64 / 2));
}

/// Each change pauses after its checks (`fault_role_change_pause`), so the two overlap: without
/// the lock both would see two owners and both pass.
async fn owners_demoting_each_other_leave_an_owner(db: TestDb) {
    let config = crm_api::Config {
        fault_role_change_pause: Some(Duration::from_millis(500)),
        ..db.config()
    };
    let s = Server::with_config(config, db).await;
    let (first, _) = s.register("first@example.com", "Acme").await;
    s.register("second@example.com", "Other").await;
    let (second_member, second) = s.join(&first, "second@example.com", "OWNER").await;
    let members = s
        .data(Some(&first), "{ members { id user { email } } }", json!({}))
        .await;
    let first_member = members["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["user"]["email"] == "first@example.com")
        .map(|m| m["id"].as_str().unwrap().to_owned())
        .unwrap();

    const DEMOTE: &str =
        "mutation($m: ID!) { updateMemberRole(memberId: $m, role: ADMIN) { role } }";
    let (a, b) = tokio::join!(
        s.call(Some(&first), DEMOTE, json!({ "m": second_member })),
        s.call(Some(&second), DEMOTE, json!({ "m": first_member })),
    );
    let passed = [&a, &b]
        .iter()
        .filter(|r| r.get("errors").is_none())
        .count();
    assert_eq!(passed, 1, "exactly one demotion passes: {a} {b}");
    let refused = if a.get("errors").is_some() { &a } else { &b };
    assert!(
        ["BAD_USER_INPUT", "FORBIDDEN"].contains(&error_code(refused).as_str()),
        "{refused}"
    );
    let winner = if a.get("errors").is_none() {
        &first
    } else {
        &second
    };
    let members = s
        .data(Some(winner), "{ members { role } }", json!({}))
        .await;
    let owners = members["members"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["role"] == "OWNER")
        .count();
    assert_eq!(owners, 1, "{members}");
}
