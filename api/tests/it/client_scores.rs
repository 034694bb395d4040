//! The per-client score cache: one pass for the whole company, equal to the recommendations
//! report's own figures, reused across page views, recomputed after new sales or rates, and
//! never visible to another company.

use chrono::{Days, Utc};
use serde_json::{Value, json};

use crate::harness::{Server, TestDb, minor};
use crate::reports::{load, named_clients};
use crm_test_support::buyers;

crate::on_both_backends!(client_scores_are_cached_and_follow_new_sales);

const ANALYTICS: &str = "query($id: ID!) { client(id: $id) { analytics {
    asOf computedAt
    score { client { name } segment purchases pAlive expectedPurchases30Days expectedPurchases90Days
            expectedOrderValue { amountMinor currency } clv12Months { amountMinor } daysSinceLastPurchase }
    action { kind client { name } valueAtStake { amountMinor } evidence { kind value } }
    model { clients rough } } } }";
const ACTIONS: &str = "query($n: Int!) { recommendedActions(first: $n) { kind client { id name } valueAtStake { amountMinor } evidence { kind } } }";

/// The shared year of buyers (`crm_test_support::buyers`), and "idle", who never bought.
async fn company_with_buyers(s: &Server, token: &str) {
    let mut names: Vec<String> = (0..buyers::CLIENTS).map(|i| format!("c{i}")).collect();
    names.push("idle".to_owned());
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let sales = buyers::year_of_sales(Utc::now().date_naive());
    load(s, token, named_clients(&refs), Value::Array(sales)).await;
}

/// Today in the company's time zone, Europe/Moscow unless it says otherwise: scores are as of
/// that day, which is a day ahead of UTC's from 21:00 UTC.
fn company_today() -> chrono::NaiveDate {
    Utc::now()
        .with_timezone(&chrono_tz::Europe::Moscow)
        .date_naive()
}

async fn client_ids(s: &Server, token: &str) -> std::collections::HashMap<String, Value> {
    let d = s
        .data(
            Some(token),
            "{ clients(first: 100) { nodes { id externalId } } }",
            json!({}),
        )
        .await;
    d["clients"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["externalId"].as_str().unwrap().to_owned(),
                n["id"].clone(),
            )
        })
        .collect()
}

async fn analytics(s: &Server, token: &str, id: &Value) -> Value {
    s.data(Some(token), ANALYTICS, json!({ "id": id })).await["client"]["analytics"].clone()
}

async fn client_scores_are_cached_and_follow_new_sales(db: TestDb) {
    let s = Server::start(db).await;
    let (a, _) = s.register("a@example.com", "A").await;
    let (b, _) = s.register("b@example.com", "B").await;
    company_with_buyers(&s, &a).await;
    let ids = client_ids(&s, &a).await;

    // A steady buyer: alive, likely to buy, with money figures in the base currency.
    let steady = analytics(&s, &a, &ids["c0"]).await;
    let score = &steady["score"];
    assert_eq!(score["client"]["name"], "Client c0", "{steady}");
    assert_eq!(score["purchases"], 26, "{steady}");
    assert!(score["pAlive"].as_f64().unwrap() > 0.7, "{steady}");
    assert!(
        score["expectedPurchases90Days"].as_f64().unwrap() > 1.0,
        "{steady}"
    );
    assert_eq!(score["expectedOrderValue"]["currency"], "RUB");
    assert!(minor(&score["clv12Months"]["amountMinor"]) > 0, "{steady}");
    assert_eq!(
        steady["asOf"].as_str().unwrap(),
        company_today().to_string()
    );
    // Fitted on the 40 buyers: enough to read the scores as figures.
    assert_eq!(steady["model"], json!({ "clients": 40, "rough": false }));
    // A buyer who stopped long ago is most likely gone, and the action says what to do.
    let gone = analytics(&s, &a, &ids["c1"]).await;
    assert!(gone["score"]["pAlive"].as_f64().unwrap() < 0.5, "{gone}");
    let kind = gone["action"]["kind"].as_str().unwrap_or("none");
    assert!(matches!(kind, "WIN_BACK_LAPSED" | "CALL_AT_RISK"), "{gone}");
    assert!(!gone["action"]["evidence"].as_array().unwrap().is_empty());
    // Never bought: nothing to model.
    assert_eq!(analytics(&s, &a, &ids["idle"]).await, Value::Null);

    // The cache holds what the recommendations report computes on the same sales.
    let today = company_today();
    let report = s
        .data(
            Some(&a),
            "query($i: ReportInput!) { report(input: $i) { body { ... on SalesRecommendationsReport {
                likelyToBuy { client { id } pAlive expectedPurchases30Days } } } } }",
            json!({ "i": { "kind": "RECOMMENDATIONS", "from": (today - Days::new(400)).to_string(),
                           "to": today.to_string() } }),
        )
        .await;
    let likely = report["report"]["body"]["likelyToBuy"].as_array().unwrap();
    assert!(!likely.is_empty(), "{report}");
    for row in likely {
        let cached = analytics(&s, &a, &row["client"]["id"]).await;
        for field in ["pAlive", "expectedPurchases30Days"] {
            let (x, y) = (
                row[field].as_f64().unwrap(),
                cached["score"][field].as_f64().unwrap(),
            );
            // Both observe up to "now", a few milliseconds apart.
            assert!((x - y).abs() < 1e-3, "{field}: report {x}, cache {y}");
        }
    }

    // Page views reuse the pass: the same computation time, and no pass over the sales.
    let before = s.app.db.query_count();
    let again = analytics(&s, &a, &ids["c0"]).await;
    assert_eq!(again["computedAt"], steady["computedAt"]);
    assert!(
        s.app.db.query_count() - before <= 8,
        "a cached read ran {} statements",
        s.app.db.query_count() - before
    );

    // A new sale makes the next read recompute, for the whole company.
    s.data(
        Some(&a),
        "mutation($i: SaleInput!) { createSale(input: $i) { id } }",
        json!({ "i": { "clientId": ids["c2"], "amountMinor": 1_000_00, "currency": "RUB" } }),
    )
    .await;
    let after = analytics(&s, &a, &ids["c2"]).await;
    assert_ne!(after["computedAt"], steady["computedAt"], "{after}");
    let before_sale = analytics(&s, &a, &ids["c0"]).await;
    assert_eq!(before_sale["computedAt"], after["computedAt"]);
    assert_eq!(after["score"]["purchases"], 5, "{after}");
    assert_eq!(after["score"]["daysSinceLastPurchase"], 0, "{after}");

    // So does a change of exchange rates (they change values in the base currency).
    s.data(
        Some(&a),
        "mutation { setExchangeRate(currency: \"USD\", validOn: \"2020-01-01\", rate: \"90\") { id } }",
        json!({}),
    )
    .await;
    let rated = analytics(&s, &a, &ids["c0"]).await;
    assert_ne!(rated["computedAt"], after["computedAt"]);

    // The company's top actions: ranked by value at stake, at most the number asked for.
    let top = s.data(Some(&a), ACTIONS, json!({ "n": 3 })).await["recommendedActions"].clone();
    let top = top.as_array().unwrap();
    assert!(!top.is_empty() && top.len() <= 3, "{top:?}");
    let stakes: Vec<i64> = top
        .iter()
        .map(|x| minor(&x["valueAtStake"]["amountMinor"]))
        .collect();
    assert!(stakes.windows(2).all(|w| w[0] >= w[1]), "{stakes:?}");
    // A renamed client shows its new name.
    if let Some(id) = top.iter().find_map(|x| x["client"]["id"].as_str()) {
        s.data(
            Some(&a),
            "mutation($id: ID!) { updateClient(id: $id, input: { name: \"Renamed\" }) { id } }",
            json!({ "id": id }),
        )
        .await;
        let top = s.data(Some(&a), ACTIONS, json!({ "n": 3 })).await;
        assert!(top.to_string().contains("Renamed"), "{top}");
    }
    for n in [0, 51] {
        assert_eq!(
            s.error_code(Some(&a), ACTIONS, json!({ "n": n })).await,
            "BAD_USER_INPUT"
        );
    }

    // Another company sees none of it.
    assert_eq!(
        s.error_code(Some(&b), ANALYTICS, json!({ "id": ids["c0"] }))
            .await,
        "NOT_FOUND"
    );
    let theirs = s.data(Some(&b), ACTIONS, json!({ "n": 50 })).await;
    assert_eq!(theirs["recommendedActions"], json!([]), "{theirs}");

    // A company with five buyers gets scores, marked rough.
    let sales: Vec<Value> = buyers::year_of_sales(Utc::now().date_naive())
        .into_iter()
        .filter(|sale| {
            matches!(
                sale["clientExternalId"].as_str(),
                Some("c0" | "c1" | "c2" | "c3" | "c4")
            )
        })
        .collect();
    let five = ["c0", "c1", "c2", "c3", "c4"];
    load(&s, &b, named_clients(&five), Value::Array(sales)).await;
    let few = client_ids(&s, &b).await;
    let scored = analytics(&s, &b, &few["c0"]).await;
    assert_eq!(
        scored["model"],
        json!({ "clients": 5, "rough": true }),
        "{scored}"
    );
}
