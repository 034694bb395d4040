//! Bad input gets a coded error and loses nothing.

use serde_json::json;

use crate::harness::{Server, TestDb, UPSERT_CLIENTS, UPSERT_SALES, clients, error_code};
use crate::on_both_backends;

on_both_backends!(
    bad_requests_are_coded_and_change_nothing,
    bad_rows_are_rejected_alone,
    oversized_bodies_are_refused,
    control_characters_are_refused_everywhere
);

/// A NUL byte (which PostgreSQL cannot store) or another control character in any text is
/// BAD_USER_INPUT naming the field, the same on both backends; the rest of a batch is written.
async fn control_characters_are_refused_everywhere(db: TestDb) {
    let s = Server::start(db).await;
    let (user, _) = s.register("ctl@example.com", "Acme").await;
    let key = s.api_key(&user, "READ_WRITE").await;
    let rows = json!([
        {"externalId": "ok", "name": "Иван Петров"},
        {"externalId": "nul", "name": "Иван\u{0}Петров"},
        {"externalId": "bell\u{7}", "name": "Bell"},
        {"externalId": "tab", "name": "Tab\tName"},
        {"externalId": "phone", "name": "Phone", "phone": "+7\u{0}912"},
    ]);
    let r = s
        .data(Some(&key), UPSERT_CLIENTS, json!({"rows": rows}))
        .await;
    let result = &r["upsertClients"];
    assert_eq!(result["created"], 1, "{r}");
    assert_eq!(result["rejected"], 4, "{r}");
    let fields: Vec<&str> = result["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|row| row["error"]["field"].as_str())
        .collect();
    assert_eq!(fields, ["name", "externalId", "name", "phone"], "{r}");

    // Sales: a note may span lines, but holds no NUL.
    let sale = |id: &str, note: &str| {
        json!({"externalId": id, "clientExternalId": "ok", "amountMinor": 100, "currency": "RUB",
               "soldAt": "2026-11-20", "note": note})
    };
    let r = s
        .data(
            Some(&key),
            UPSERT_SALES,
            json!({"rows": [sale("lines", "first line\nsecond\tline"), sale("nul", "a\u{0}b")]}),
        )
        .await;
    assert_eq!(r["upsertSales"]["created"], 1, "{r}");
    assert_eq!(r["upsertSales"]["rows"][1]["error"]["field"], "note", "{r}");

    // Single mutations and the search box answer the same way.
    let r = s
        .call(
            Some(&user),
            "mutation($n: String!) { createClient(input: {name: $n}) { id } }",
            json!({"n": "x\u{0}y"}),
        )
        .await;
    assert_eq!(error_code(&r), "BAD_USER_INPUT", "{r}");
    assert_eq!(r["errors"][0]["extensions"]["field"], "name", "{r}");
    let r = s
        .call(
            Some(&user),
            "query($q: String!) { clients(filter: {search: $q}) { totalCount } }",
            json!({"q": "Ив\u{0}"}),
        )
        .await;
    assert_eq!(error_code(&r), "BAD_USER_INPUT", "{r}");
    let stored = s
        .data(
            Some(&user),
            "{ clients { totalCount } sales { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(stored["clients"]["totalCount"], 1);
    assert_eq!(stored["sales"]["totalCount"], 1);
}

async fn bad_requests_are_coded_and_change_nothing(db: TestDb) {
    let s = Server::start(db).await;
    let (user, _) = s.register("bad@example.com", "Acme").await;
    let key = s.api_key(&user, "READ_WRITE").await;
    s.data(Some(&key), UPSERT_CLIENTS, json!({"rows": clients(3)}))
        .await;
    let before = s
        .data(
            Some(&user),
            "{ clients { totalCount } sales { totalCount } }",
            json!({}),
        )
        .await;

    let (status, r) = s
        .post_raw(
            Some(&key),
            b"{\"query\": \"{ clients { totalCount }\"".to_vec(),
        )
        .await;
    assert_eq!(
        (status, error_code(&r).as_str()),
        (400, "BAD_USER_INPUT"),
        "malformed JSON"
    );
    let (status, r) = s.post_raw(Some(&key), b"[1, 2]".to_vec()).await;
    assert_eq!(
        (status, error_code(&r).as_str()),
        (400, "BAD_USER_INPUT"),
        "not a request"
    );

    let cases = [
        ("unknown field", "{ clients { nope } }", json!({})),
        ("syntax", "{ clients { ", json!({})),
        (
            "wrong type",
            "mutation { upsertSales(sales: [{externalId: \"s\", clientExternalId: \"c0\", amountMinor: \"ten\", currency: \"RUB\", soldAt: \"2026-01-01\"}]) { created } }",
            json!({}),
        ),
        (
            "overflow",
            "mutation { upsertSales(sales: [{externalId: \"s\", clientExternalId: \"c0\", amountMinor: 99999999999999999999999, currency: \"RUB\", soldAt: \"2026-01-01\"}]) { created } }",
            json!({}),
        ),
        (
            "wrong variable type",
            "mutation($r: [SaleUpsertInput!]!) { upsertSales(sales: $r) { created } }",
            json!({"r": [{"externalId": 5}]}),
        ),
        (
            "bad enum",
            "{ clients(sort: {field: SHOE_SIZE}) { totalCount } }",
            json!({}),
        ),
        (
            "page too big",
            "{ clients(first: 1000) { totalCount } }",
            json!({}),
        ),
        (
            "page too small",
            "{ sales(first: 0) { totalCount } }",
            json!({}),
        ),
        (
            "bad cursor",
            "{ clients(after: \"garbage\") { totalCount } }",
            json!({}),
        ),
        (
            "negative",
            "mutation { createSale(input: {clientId: \"1\", amountMinor: -5, currency: \"RUB\"}) { id } }",
            json!({}),
        ),
        (
            "currency",
            "mutation { createSale(input: {clientId: \"1\", amountMinor: 5, currency: \"RUR\"}) { id } }",
            json!({}),
        ),
        (
            "impossible date",
            "mutation { createSale(input: {clientId: \"1\", amountMinor: 5, currency: \"RUB\", soldAt: \"2026-02-30T00:00:00Z\"}) { id } }",
            json!({}),
        ),
        (
            "long name",
            "mutation($n: String!) { createClient(input: {name: $n}) { id } }",
            json!({"n": "я".repeat(301)}),
        ),
        (
            "empty name",
            "mutation { createClient(input: {name: \"   \"}) { id } }",
            json!({}),
        ),
        (
            "bad e-mail",
            "mutation { createClient(input: {name: \"A\", email: \"not an address\"}) { id } }",
            json!({}),
        ),
        (
            "attributes not an object",
            "mutation { createClient(input: {name: \"A\", attributes: [1]}) { id } }",
            json!({}),
        ),
        (
            "duplicate external id",
            "mutation { createClient(input: {name: \"A\", externalId: \"c1\"}) { id } }",
            json!({}),
        ),
        (
            "too deep",
            "{ clients { edges { node { sales { edges { node { client { sales { edges { node { client { sales { edges { node { client { name } } } } } } } } } } } } } } } }",
            json!({}),
        ),
    ];
    for (what, query, vars) in cases {
        let r = s.call(Some(&key), query, vars).await;
        assert_eq!(error_code(&r), "BAD_USER_INPUT", "{what}: {r}");
        assert!(
            r["errors"][0]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{what} explains itself"
        );
    }
    // A batch over the limit is refused whole.
    let rows: Vec<_> = (0..10_001)
        .map(|i| json!({"externalId": format!("x{i}"), "name": "X"}))
        .collect();
    let r = s
        .call(Some(&key), UPSERT_CLIENTS, json!({"rows": rows}))
        .await;
    assert_eq!(error_code(&r), "BAD_USER_INPUT");
    assert_eq!(r["errors"][0]["extensions"]["field"], "clients");

    let after = s
        .data(
            Some(&user),
            "{ clients { totalCount } sales { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(before, after, "nothing was written");
}

async fn bad_rows_are_rejected_alone(db: TestDb) {
    let s = Server::start(db).await;
    let (user, _) = s.register("rows@example.com", "Acme").await;
    let key = s.api_key(&user, "READ_WRITE").await;
    s.data(Some(&key), UPSERT_CLIENTS, json!({"rows": clients(2)}))
        .await;
    let rows = json!([
        {"externalId": "ok1", "clientExternalId": "c0", "amountMinor": 100, "currency": "rub", "soldAt": "2026-03-01T12:00:00+03:00"},
        {"externalId": "neg", "clientExternalId": "c0", "amountMinor": -1, "currency": "RUB", "soldAt": "2026-03-01"},
        {"externalId": "cur", "clientExternalId": "c0", "amountMinor": 1, "currency": "XYZ", "soldAt": "2026-03-01"},
        {"externalId": "day", "clientExternalId": "c0", "amountMinor": 1, "currency": "RUB", "soldAt": "2026-02-30"},
        {"externalId": "ok1", "clientExternalId": "c1", "amountMinor": 1, "currency": "RUB", "soldAt": "2026-03-01"},
        {"externalId": "who", "clientExternalId": "nobody", "amountMinor": 1, "currency": "RUB", "soldAt": "2026-03-01"},
        {"externalId": "", "clientExternalId": "c0", "amountMinor": 1, "currency": "RUB", "soldAt": "2026-03-01"},
        {"externalId": "both", "clientExternalId": "c0", "clientId": "1", "amountMinor": 1, "currency": "RUB", "soldAt": "2026-03-01"},
        {"externalId": "big", "clientExternalId": "c0", "amountMinor": 100000000000000i64, "currency": "RUB", "soldAt": "2026-03-01"},
        {"externalId": "ok2", "clientExternalId": "c1", "amountMinor": 250, "currency": "USD", "soldAt": "2026-03-02"},
    ]);
    let r = s
        .data(Some(&key), UPSERT_SALES, json!({"rows": rows}))
        .await["upsertSales"]
        .clone();
    assert_eq!(
        (r["created"].as_i64(), r["rejected"].as_i64()),
        (Some(2), Some(8)),
        "{r}"
    );
    let expect = [
        (0, "CREATED", None, None),
        (1, "REJECTED", Some("BAD_USER_INPUT"), Some("amountMinor")),
        (2, "REJECTED", Some("BAD_USER_INPUT"), Some("currency")),
        (3, "REJECTED", Some("BAD_USER_INPUT"), Some("soldAt")),
        (
            4,
            "REJECTED",
            Some("DUPLICATE_IN_BATCH"),
            Some("externalId"),
        ),
        (
            5,
            "REJECTED",
            Some("UNKNOWN_CLIENT"),
            Some("clientExternalId"),
        ),
        (6, "REJECTED", Some("BAD_USER_INPUT"), Some("externalId")),
        (
            7,
            "REJECTED",
            Some("BAD_USER_INPUT"),
            Some("clientExternalId"),
        ),
        (8, "REJECTED", Some("BAD_USER_INPUT"), Some("amountMinor")),
        (9, "CREATED", None, None),
    ];
    for (i, status, code, field) in expect {
        let row = &r["rows"][i];
        assert_eq!(row["index"], i, "results are in input order");
        assert_eq!(row["status"], status, "row {i}: {row}");
        assert_eq!(row["error"]["code"].as_str(), code, "row {i}: {row}");
        assert_eq!(row["error"]["field"].as_str(), field, "row {i}: {row}");
    }
    let sale = s.data(Some(&user), "{ sales(sort: {field: SOLD_AT, direction: ASC}) { totalCount edges { node { soldAt amount { currency } } } } }", json!({})).await;
    assert_eq!(sale["sales"]["totalCount"], 2);
    assert_eq!(
        sale["sales"]["edges"][0]["node"]["soldAt"], "2026-03-01T09:00:00+00:00",
        "stored in UTC"
    );
    assert_eq!(
        sale["sales"]["edges"][0]["node"]["amount"]["currency"],
        "RUB"
    );
}

async fn oversized_bodies_are_refused(db: TestDb) {
    let config = crm_api::Config {
        max_body_bytes: 4096,
        ..db.config()
    };
    let s = Server::with_config(config, db).await;
    let (user, _) = s.register("big@example.com", "Acme").await;
    let body = serde_json::to_vec(
        &json!({"query": "{ clients { totalCount } }", "variables": {"pad": "x".repeat(5000)}}),
    )
    .unwrap();
    let (status, r) = s.post_raw(Some(&user), body).await;
    assert_eq!(status, 413);
    assert_eq!(error_code(&r), "BAD_USER_INPUT");
}
