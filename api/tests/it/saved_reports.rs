//! Saved reports on both backends: the snapshot stays as saved, sharing with members, roles,
//! read-only links (open without sign-in, revocable) and tenant isolation.

use serde_json::{Value, json};

use crate::harness::{Server, TestDb, UPSERT_CLIENTS, UPSERT_SALES};
use crate::on_both_backends;

on_both_backends!(
    saved_reports_keep_their_snapshot_and_follow_the_roles,
    report_links_show_one_snapshot_until_revoked
);

const SAVE: &str = "mutation($n: String!, $i: ReportInput!) { saveReport(name: $n, input: $i) {
    id name kind sharedWithMembers canChange parameters { from to granularity }
    report { body { ... on GeneralSalesReport { totals { salesCount } } } } } }";
const LIST: &str = "{ savedReports { totalCount edges { node { id name sharedWithMembers canChange } } pageInfo { hasNextPage } } }";

fn general(from: &str, to: &str) -> Value {
    json!({ "kind": "GENERAL", "from": from, "to": to })
}

async fn sell(s: &Server, token: &str, id: &str) {
    s.data(
        Some(token),
        UPSERT_CLIENTS,
        json!({ "rows": [{ "externalId": "c0", "name": "Client c0" }] }),
    )
    .await;
    let r = s
        .data(
            Some(token),
            UPSERT_SALES,
            json!({ "rows": [{ "externalId": id, "clientExternalId": "c0", "amountMinor": 100_00,
            "currency": "RUB", "soldAt": "2026-03-10T10:00:00Z" }] }),
        )
        .await;
    assert_eq!(r["upsertSales"]["rejected"], 0);
}

/// Owner plus a member and a viewer who switched into the owner's company.
async fn team(s: &Server) -> (String, String, String) {
    let (owner, _) = s.register("owner@example.com", "Acme").await;
    let (member, _) = s.register("member@example.com", "Member's own").await;
    let (viewer, _) = s.register("viewer@example.com", "Viewer's own").await;
    let invite = "mutation($e: String!, $r: Role!) { inviteMember(email: $e, role: $r) { id } }";
    s.data(
        Some(&owner),
        invite,
        json!({ "e": "member@example.com", "r": "MEMBER" }),
    )
    .await;
    s.data(
        Some(&owner),
        invite,
        json!({ "e": "viewer@example.com", "r": "VIEWER" }),
    )
    .await;
    let acme = s.data(Some(&owner), "{ company { id } }", json!({})).await["company"]["id"].clone();
    let switch = "mutation($c: ID!) { switchCompany(companyId: $c) { role } }";
    s.data(Some(&member), switch, json!({ "c": acme })).await;
    s.data(Some(&viewer), switch, json!({ "c": acme })).await;
    (owner, member, viewer)
}

async fn saved_reports_keep_their_snapshot_and_follow_the_roles(db: TestDb) {
    let s = Server::start(db).await;
    let (owner, member, viewer) = team(&s).await;
    sell(&s, &owner, "s1").await;

    let saved = s
        .data(
            Some(&member),
            SAVE,
            json!({ "n": "  March  ", "i": general("2026-03-01", "2026-03-31") }),
        )
        .await["saveReport"]
        .clone();
    assert_eq!(saved["name"], "March");
    assert_eq!(saved["kind"], "GENERAL");
    assert_eq!(saved["sharedWithMembers"], false);
    assert_eq!(saved["canChange"], true);
    assert_eq!(saved["parameters"]["granularity"], "MONTH");
    assert_eq!(saved["report"]["body"]["totals"]["salesCount"], 1);
    let id = saved["id"].clone();

    // The snapshot does not move when new sales arrive; a fresh report does.
    sell(&s, &owner, "s2").await;
    let open = "query($id: ID!) { savedReport(id: $id) { name report { body { ... on GeneralSalesReport { totals { salesCount } } } } } }";
    let again = s.data(Some(&member), open, json!({ "id": id })).await;
    assert_eq!(
        again["savedReport"]["report"]["body"]["totals"]["salesCount"],
        1
    );

    // Not shared yet: its author and the owner (who may have to revoke its links) see it.
    assert_eq!(
        s.data(Some(&member), LIST, json!({})).await["savedReports"]["totalCount"],
        1
    );
    assert_eq!(
        s.data(Some(&owner), LIST, json!({})).await["savedReports"]["totalCount"],
        1
    );
    assert_eq!(
        s.data(Some(&viewer), LIST, json!({})).await["savedReports"]["totalCount"],
        0
    );
    assert_eq!(
        s.error_code(Some(&viewer), open, json!({ "id": id })).await,
        "NOT_FOUND"
    );

    let share = "mutation($id: ID!, $w: Boolean!) { shareSavedReport(id: $id, withMembers: $w) { sharedWithMembers } }";
    s.data(Some(&member), share, json!({ "id": id, "w": true }))
        .await;
    let list = s.data(Some(&viewer), LIST, json!({})).await["savedReports"].clone();
    assert_eq!(list["totalCount"], 1);
    assert_eq!(list["edges"][0]["node"]["canChange"], false);
    s.data(Some(&viewer), open, json!({ "id": id })).await;

    // Viewers run reports but save nothing, and change nothing of others.
    assert_eq!(
        s.error_code(
            Some(&viewer),
            SAVE,
            json!({ "n": "mine", "i": general("2026-03-01", "2026-03-31") })
        )
        .await,
        "FORBIDDEN"
    );
    let rename =
        "mutation($id: ID!, $n: String!) { renameSavedReport(id: $id, name: $n) { name } }";
    let delete = "mutation($id: ID!) { deleteSavedReport(id: $id) }";
    assert_eq!(
        s.error_code(Some(&viewer), rename, json!({ "id": id, "n": "x" }))
            .await,
        "FORBIDDEN"
    );
    assert_eq!(
        s.error_code(Some(&viewer), delete, json!({ "id": id }))
            .await,
        "FORBIDDEN"
    );
    assert_eq!(
        s.error_code(Some(&member), rename, json!({ "id": id, "n": " " }))
            .await,
        "BAD_USER_INPUT"
    );
    assert_eq!(
        s.data(Some(&member), rename, json!({ "id": id, "n": "Март" }))
            .await["renameSavedReport"]["name"],
        "Март"
    );

    // A read-only key sees shared reports and saves none.
    let key = s.api_key(&owner, "READ").await;
    assert_eq!(
        s.data(Some(&key), LIST, json!({})).await["savedReports"]["totalCount"],
        1
    );
    assert_eq!(
        s.error_code(
            Some(&key),
            SAVE,
            json!({ "n": "k", "i": general("2026-03-01", "2026-03-31") })
        )
        .await,
        "FORBIDDEN"
    );

    // Pages: 3 more reports, two per page.
    for n in ["a", "b", "c"] {
        s.data(
            Some(&owner),
            SAVE,
            json!({ "n": n, "i": general("2026-03-01", "2026-03-31") }),
        )
        .await;
    }
    let page = "query($a: String) { savedReports(first: 2, after: $a) { totalCount edges { node { name } } pageInfo { hasNextPage endCursor } } }";
    let first = s.data(Some(&owner), page, json!({ "a": null })).await["savedReports"].clone();
    assert_eq!(first["totalCount"], 4);
    let names = |p: &Value| {
        p["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["node"]["name"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&first), vec!["c", "b"]);
    assert_eq!(first["pageInfo"]["hasNextPage"], true);
    let second = s
        .data(
            Some(&owner),
            page,
            json!({ "a": first["pageInfo"]["endCursor"] }),
        )
        .await["savedReports"]
        .clone();
    assert_eq!(names(&second), vec!["a", "Март"]);
    assert_eq!(second["pageInfo"]["hasNextPage"], false);

    // The owner may delete the member's report; then it is gone for everyone.
    assert_eq!(
        s.data(Some(&owner), delete, json!({ "id": id })).await["deleteSavedReport"],
        true
    );
    assert_eq!(
        s.error_code(Some(&member), open, json!({ "id": id })).await,
        "NOT_FOUND"
    );
    assert_eq!(
        s.error_code(Some(&owner), delete, json!({ "id": id }))
            .await,
        "NOT_FOUND"
    );
}

async fn report_links_show_one_snapshot_until_revoked(db: TestDb) {
    let s = Server::start(db).await;
    let (a, _) = s.register("a@example.com", "A").await;
    let (b, _) = s.register("b@example.com", "B").await;
    sell(&s, &a, "s1").await;
    let id = s
        .data(
            Some(&a),
            SAVE,
            json!({ "n": "March", "i": general("2026-03-01", "2026-03-31") }),
        )
        .await["saveReport"]["id"]
        .clone();

    let create = "mutation($id: ID!, $d: Int) { createReportLink(savedReportId: $id, expiresInDays: $d) { token link { id live expiresAt } } }";
    let created =
        s.data(Some(&a), create, json!({ "id": id, "d": 30 })).await["createReportLink"].clone();
    let token = created["token"].as_str().unwrap().to_owned();
    assert!(token.starts_with("crm_share_") && token.len() > 40);
    assert_eq!(created["link"]["live"], true);
    let link_id = created["link"]["id"].clone();

    // Anyone holding the token sees the snapshot, without signing in; nothing else of A.
    let shared = "query($t: String!) { sharedReport(token: $t) { name report { baseCurrency body { ... on GeneralSalesReport { totals { salesCount } } } } } }";
    let seen = s.data(None, shared, json!({ "t": token })).await["sharedReport"].clone();
    assert_eq!(seen["name"], "March");
    assert_eq!(seen["report"]["body"]["totals"]["salesCount"], 1);
    assert_eq!(
        s.error_code(None, "{ clients { totalCount } }", json!({}))
            .await,
        "UNAUTHENTICATED"
    );
    for wrong in ["", "crm_share_nope", "nope", &token[..token.len() - 1]] {
        assert_eq!(
            s.error_code(None, shared, json!({ "t": wrong })).await,
            "NOT_FOUND",
            "{wrong}"
        );
    }
    for days in [0, 366] {
        assert_eq!(
            s.error_code(Some(&a), create, json!({ "id": id, "d": days }))
                .await,
            "BAD_USER_INPUT"
        );
    }

    // Company B can neither see, link, revoke nor delete A's report.
    let open = "query($id: ID!) { savedReport(id: $id) { name } }";
    assert_eq!(
        s.error_code(Some(&b), open, json!({ "id": id })).await,
        "NOT_FOUND"
    );
    assert_eq!(
        s.error_code(Some(&b), create, json!({ "id": id, "d": 1 }))
            .await,
        "NOT_FOUND"
    );
    let revoke = "mutation($id: ID!) { revokeReportLink(id: $id) { live revokedAt } }";
    assert_eq!(
        s.error_code(Some(&b), revoke, json!({ "id": link_id }))
            .await,
        "NOT_FOUND"
    );
    assert_eq!(
        s.error_code(
            Some(&b),
            "mutation($id: ID!) { deleteSavedReport(id: $id) }",
            json!({ "id": id })
        )
        .await,
        "NOT_FOUND"
    );
    assert_eq!(
        s.data(Some(&b), LIST, json!({})).await["savedReports"]["totalCount"],
        0
    );
    s.data(None, shared, json!({ "t": token })).await;

    // Revoked: the link shows nothing; revoking again is harmless.
    let revoked =
        s.data(Some(&a), revoke, json!({ "id": link_id })).await["revokeReportLink"].clone();
    assert_eq!(revoked["live"], false);
    assert!(revoked["revokedAt"].is_string());
    s.data(Some(&a), revoke, json!({ "id": link_id })).await;
    assert_eq!(
        s.error_code(None, shared, json!({ "t": token })).await,
        "NOT_FOUND"
    );
    let links = s
        .data(
            Some(&a),
            "query($id: ID!) { savedReport(id: $id) { links { id live } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        links["savedReport"]["links"],
        json!([{ "id": link_id, "live": false }])
    );

    // Deleting the report ends its links too.
    let token2 =
        s.data(Some(&a), create, json!({ "id": id, "d": 1 })).await["createReportLink"]["token"]
            .as_str()
            .unwrap()
            .to_owned();
    s.data(None, shared, json!({ "t": token2 })).await;
    s.data(
        Some(&a),
        "mutation($id: ID!) { deleteSavedReport(id: $id) }",
        json!({ "id": id }),
    )
    .await;
    assert_eq!(
        s.error_code(None, shared, json!({ "t": token2 })).await,
        "NOT_FOUND"
    );
}
