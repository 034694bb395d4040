//! Minor units beyond 32 and 53 bits: the `MinorUnits` scalar reads and writes them exactly, and
//! a total that does not fit in 64 bits is OUT_OF_RANGE on both backends, never a wrong sum.

use serde_json::{Value, json};

use crate::harness::{Server, TestDb, UPSERT_CLIENTS, UPSERT_SALES, clients, error_code, minor};
use crate::on_both_backends;

on_both_backends!(
    amounts_beyond_32_bits_travel_exactly,
    overflowing_totals_are_errors_not_numbers
);

const SALES: &str = "query($f: SaleFilterInput) { sales(filter: $f) { totalCount
    edges { node { externalId amount { amountMinor amount currency } items { unitPriceMinor } } } } }";

/// 30 000 000,00 ₽: above i32::MAX kopecks.
const BIG: i64 = 3_000_000_000;

async fn amounts_beyond_32_bits_travel_exactly(db: TestDb) {
    let s = Server::start(db).await;
    let (user, _) = s.register("money@example.com", "Money").await;
    let key = s.api_key(&user, "READ_WRITE").await;
    s.data(Some(&key), UPSERT_CLIENTS, json!({ "rows": clients(1) }))
        .await;
    // The string form and a plain integer are both accepted.
    let r = s
        .data(
            Some(&key),
            UPSERT_SALES,
            json!({ "rows": [
                { "externalId": "text", "clientExternalId": "c0", "amountMinor": BIG.to_string(),
                  "currency": "RUB", "soldAt": "2026-11-01",
                  "items": [{ "name": "Станок", "unitPriceMinor": "2500000000" }] },
                { "externalId": "int", "clientExternalId": "c0", "amountMinor": BIG + 1,
                  "currency": "RUB", "soldAt": "2026-11-02" }
            ] }),
        )
        .await;
    assert_eq!(r["upsertSales"]["created"], 2, "{r}");

    let page = s.data(Some(&user), SALES, json!({})).await;
    let rows = page["sales"]["edges"].as_array().unwrap();
    let text = rows
        .iter()
        .find(|e| e["node"]["externalId"] == "text")
        .unwrap();
    assert_eq!(
        text["node"]["amount"],
        json!({ "amountMinor": "3000000000", "amount": "30000000.00", "currency": "RUB" }),
        "written as a string of digits"
    );
    assert_eq!(
        text["node"]["items"][0]["unitPriceMinor"],
        json!("2500000000")
    );

    // Filters take the scalar too.
    let over = s
        .data(
            Some(&user),
            SALES,
            json!({ "f": { "amountMin": (BIG + 1).to_string() } }),
        )
        .await;
    assert_eq!(over["sales"]["totalCount"], 1, "{over}");

    // The client's total: 60 000 000,01 ₽, above 2^32 kopecks.
    let client = s
        .data(
            Some(&user),
            "{ clients { edges { node { totalSpent { amountMinor } totals { amountMinor } } } } }",
            json!({}),
        )
        .await;
    let node = &client["clients"]["edges"][0]["node"];
    assert_eq!(minor(&node["totalSpent"]["amountMinor"]), 2 * BIG + 1);
    assert_eq!(minor(&node["totals"][0]["amountMinor"]), 2 * BIG + 1);

    // Anything but a whole number within i64 is refused, naming nothing stored.
    for bad in [
        json!("1.5"),
        json!("1e9"),
        json!(" 5"),
        json!("9223372036854775808"),
        json!(1.5),
        json!(true),
    ] {
        let r = s
            .call(
                Some(&key),
                UPSERT_SALES,
                json!({ "rows": [{ "externalId": "bad", "clientExternalId": "c0",
                    "amountMinor": bad, "currency": "RUB", "soldAt": "2026-11-03" }] }),
            )
            .await;
        assert_eq!(error_code(&r), "BAD_USER_INPUT", "{bad}: {r}");
    }
    let after = s.data(Some(&user), SALES, json!({})).await;
    assert_eq!(after["sales"]["totalCount"], 2);

    // The sales list's sum per currency counts every matching sale on all pages, exactly.
    s.data(
        Some(&key),
        UPSERT_SALES,
        json!({ "rows": [
            { "externalId": "usd", "clientExternalId": "c0", "amountMinor": 1999,
              "currency": "USD", "soldAt": "2026-11-03" }
        ] }),
    )
    .await;
    let totals = "query($f: SaleFilterInput) { sales(first: 1, filter: $f) { totals { amountMinor currency } } }";
    let all = s.data(Some(&user), totals, json!({})).await;
    assert_eq!(
        all["sales"]["totals"],
        json!([{ "amountMinor": (2 * BIG + 1).to_string(), "currency": "RUB" },
               { "amountMinor": "1999", "currency": "USD" }]),
        "{all}"
    );
    let filtered = s
        .data(
            Some(&user),
            totals,
            json!({ "f": { "amountMin": BIG + 1 } }),
        )
        .await;
    assert_eq!(
        filtered["sales"]["totals"],
        json!([{ "amountMinor": (BIG + 1).to_string(), "currency": "RUB" }])
    );
}

/// A sum beyond i64 cannot be reached through the API's per-sale limit with a realistic number
/// of sales, so the amounts are raised in the database directly, as an older import or a
/// manual fix could have left them.
async fn overflowing_totals_are_errors_not_numbers(db: TestDb) {
    let s = Server::start(db).await;
    let (user, _) = s.register("overflow@example.com", "Overflow").await;
    let key = s.api_key(&user, "READ_WRITE").await;
    s.data(Some(&key), UPSERT_CLIENTS, json!({ "rows": clients(2) }))
        .await;
    let sale = |id: &str, client: &str, day: &str| {
        json!({ "externalId": id, "clientExternalId": client, "amountMinor": 100,
                "currency": "RUB", "soldAt": day })
    };
    let r = s
        .data(
            Some(&key),
            UPSERT_SALES,
            json!({ "rows": [sale("a", "c0", "2026-11-01"), sale("b", "c1", "2026-11-02")] }),
        )
        .await;
    assert_eq!(r["upsertSales"]["created"], 2, "{r}");
    let mut conn = s.app.db.write().await.unwrap();
    // 2^62 each: their sum is 2^63, one past i64::MAX.
    conn.execute_sql("UPDATE sales SET amount_minor = 4611686018427387904")
        .await
        .unwrap();
    // One client is a few kopecks below the largest total.
    conn.execute_sql(
        "UPDATE client_stats SET total_spent_minor = 9223372036854775800 \
         WHERE client_id = (SELECT id FROM clients WHERE external_id = 'c0')",
    )
    .await
    .unwrap();
    drop(conn);

    let summary = s
        .call(
            Some(&user),
            "{ salesSummary(from: \"2026-01-01T00:00:00Z\", to: \"2027-01-01T00:00:00Z\") { revenue { amountMinor } } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&summary), "OUT_OF_RANGE", "{summary}");
    let report = s
        .call(
            Some(&user),
            "query($i: ReportInput!) { report(input: $i) { body { ... on GeneralSalesReport { totals { revenueInBase { amountMinor } } } } } }",
            json!({ "i": { "kind": "GENERAL", "from": "2026-11-01", "to": "2026-11-30" } }),
        )
        .await;
    assert_eq!(error_code(&report), "OUT_OF_RANGE", "{report}");
    let listed = s
        .call(
            Some(&user),
            "{ sales { totalCount totals { amountMinor } } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&listed), "OUT_OF_RANGE", "{listed}");

    // A new sale that would carry c0's total past i64::MAX: the batch is refused as a whole and
    // nothing of it is stored.
    let r = s
        .call(
            Some(&key),
            UPSERT_SALES,
            json!({ "rows": [sale("c", "c1", "2026-11-03"), sale("d", "c0", "2026-11-03")] }),
        )
        .await;
    assert_eq!(error_code(&r), "OUT_OF_RANGE", "{r}");
    let count = s
        .data(Some(&user), "{ sales { totalCount } }", json!({}))
        .await;
    assert_eq!(count["sales"]["totalCount"], 2);
    let totals: Value = s
        .data(
            Some(&user),
            "{ clients(sort: {field: NAME, direction: ASC}) { edges { node { externalId salesCount totalSpent { amountMinor } } } } }",
            json!({}),
        )
        .await;
    let c0 = &totals["clients"]["edges"][0]["node"];
    assert_eq!(c0["externalId"], "c0");
    assert_eq!(c0["salesCount"], 1);
    assert_eq!(
        minor(&c0["totalSpent"]["amountMinor"]),
        9_223_372_036_854_775_800
    );
}
