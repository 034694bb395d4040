//! Tenant isolation: every operation that takes an id, tried with another company's ids,
//! answers NOT_FOUND and changes nothing.

use serde_json::{Value, json};

use crate::harness::{Server, TestDb, UPSERT_SALES, error_code};
use crate::on_both_backends;

on_both_backends!(other_companies_ids_are_not_found);

async fn other_companies_ids_are_not_found(db: TestDb) {
    let s = Server::start(db).await;
    let (a, _) = s.register("a@example.com", "A").await;
    let (b, _) = s.register("b@example.com", "B").await;
    let b_key = s.api_key(&b, "READ_WRITE").await;

    // Company A's objects.
    let client = s.data(Some(&a), "mutation { createClient(input: {name: \"Secret client\", externalId: \"x1\"}) { id } }", json!({})).await
        ["createClient"]["id"].clone();
    let sale = s
        .data(Some(&a), "mutation($c: ID!) { createSale(input: {clientId: $c, amountMinor: 500, currency: \"RUB\"}) { id } }", json!({"c": client}))
        .await["createSale"]["id"]
        .clone();
    s.data(Some(&a), "mutation($c: ID!) { addInteraction(clientId: $c, input: {kind: CALL, body: \"secret\"}) { id } }", json!({"c": client}))
        .await;
    let key_id = s
        .data(
            Some(&a),
            "mutation { createApiKey(name: \"a\") { apiKey { id } } }",
            json!({}),
        )
        .await["createApiKey"]["apiKey"]["id"]
        .clone();
    let a_company =
        s.data(Some(&a), "{ company { id } }", json!({})).await["company"]["id"].clone();
    let a_member =
        s.data(Some(&a), "{ members { id } }", json!({})).await["members"][0]["id"].clone();
    let before = snapshot(&s, &a, &client).await;

    let attempts: Vec<(&str, Value)> = vec![
        (
            "query($id: ID!) { client(id: $id) { name } }",
            json!({"id": client}),
        ),
        (
            "query($id: ID!) { sale(id: $id) { amount { amount } } }",
            json!({"id": sale}),
        ),
        (
            "query($id: ID!) { interactions(clientId: $id) { edges { node { body } } } }",
            json!({"id": client}),
        ),
        (
            "mutation($id: ID!) { updateClient(id: $id, input: {name: \"pwned\"}) { id } }",
            json!({"id": client}),
        ),
        (
            "mutation($id: ID!) { archiveClient(id: $id) { id } }",
            json!({"id": client}),
        ),
        (
            "mutation($id: ID!) { restoreClient(id: $id) { id } }",
            json!({"id": client}),
        ),
        (
            "mutation($id: ID!) { addInteraction(clientId: $id, input: {kind: NOTE, body: \"x\"}) { id } }",
            json!({"id": client}),
        ),
        (
            "mutation($id: ID!) { createSale(input: {clientId: $id, amountMinor: 1, currency: \"RUB\"}) { id } }",
            json!({"id": client}),
        ),
        (
            "mutation($id: ID!) { updateSale(id: $id, input: {amountMinor: 1}) { id } }",
            json!({"id": sale}),
        ),
        (
            "mutation($id: ID!) { cancelSale(id: $id) { id } }",
            json!({"id": sale}),
        ),
        (
            "mutation($id: ID!) { revokeApiKey(id: $id) { id } }",
            json!({"id": key_id}),
        ),
        (
            "mutation($id: ID!) { switchCompany(companyId: $id) { role } }",
            json!({"id": a_company}),
        ),
        (
            "mutation($id: ID!) { updateMemberRole(memberId: $id, role: VIEWER) { id } }",
            json!({"id": a_member}),
        ),
        (
            "mutation($id: ID!) { removeMember(memberId: $id) }",
            json!({"id": a_member}),
        ),
        (
            "mutation($id: ID!) { login(email: \"b@example.com\", password: \"correct horse\", companyId: $id) { accessToken } }",
            json!({"id": a_company}),
        ),
    ];
    for (query, vars) in &attempts {
        let r = s.call(Some(&b), query, vars.clone()).await;
        assert_eq!(error_code(&r), "NOT_FOUND", "{query} answered {r}");
        assert!(
            !r.to_string().contains("Secret") && !r.to_string().contains("secret"),
            "{r} leaks"
        );
    }
    // The same through B's API key where keys may act.
    for (query, vars) in &attempts[..10] {
        let r = s.call(Some(&b_key), query, vars.clone()).await;
        assert_eq!(
            error_code(&r),
            "NOT_FOUND",
            "{query} with a key answered {r}"
        );
    }
    // Lists filtered by a foreign id are empty, and batches cannot attach to foreign clients.
    let filtered = s
        .data(
            Some(&b),
            "query($id: ID!) { sales(filter: {clientId: $id}) { totalCount } }",
            json!({"id": client}),
        )
        .await;
    assert_eq!(filtered["sales"]["totalCount"], 0);
    let batch = s
        .data(
            Some(&b_key),
            UPSERT_SALES,
            json!({"rows": [
                {"externalId": "b1", "clientId": client, "amountMinor": 1, "currency": "RUB", "soldAt": "2026-01-01"},
                {"externalId": "b2", "clientExternalId": "x1", "amountMinor": 1, "currency": "RUB", "soldAt": "2026-01-01"}
            ]}),
        )
        .await;
    assert_eq!(batch["upsertSales"]["rejected"], 2);
    assert_eq!(
        batch["upsertSales"]["rows"][0]["error"]["code"],
        "UNKNOWN_CLIENT"
    );
    assert_eq!(
        batch["upsertSales"]["rows"][1]["error"]["code"],
        "UNKNOWN_CLIENT"
    );
    let b_clients = s
        .data(
            Some(&b),
            "{ clients { totalCount } sales { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(b_clients["clients"]["totalCount"], 0);
    assert_eq!(b_clients["sales"]["totalCount"], 0);

    assert_eq!(
        before,
        snapshot(&s, &a, &client).await,
        "company A's data is unchanged"
    );
}

async fn snapshot(s: &Server, token: &str, client: &Value) -> Value {
    s.data(
        Some(token),
        "query($id: ID!) { client(id: $id) { name archived salesCount totalSpent { amountMinor }
            sales { edges { node { status amount { amountMinor } } } }
            interactions { edges { node { body } } } }
          apiKeys { revoked } members { role } }",
        json!({"id": client}),
    )
    .await
}
