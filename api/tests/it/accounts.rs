//! Registration, sessions, companies, members and roles.

use std::time::Duration;

use crm_api::Config;
use serde_json::json;

use crate::harness::{Server, TestDb};
use crate::on_both_backends;

on_both_backends!(
    sessions_refresh_rotate_and_logout_ends_them,
    roles_limit_what_members_do,
    users_switch_between_companies,
    login_is_rate_limited,
    companies_keep_an_owner
);

const ME: &str =
    "{ me { user { email } company { name } role companies { company { name } role } } }";
const REFRESH: &str =
    "mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken refreshToken } }";

async fn sessions_refresh_rotate_and_logout_ends_them(db: TestDb) {
    let config = Config {
        refresh_reuse_grace: Duration::from_secs(1),
        ..db.config()
    };
    let s = Server::with_config(config, db).await;
    let (access, refresh) = s.register("Ann@Example.com", "Acme").await;
    let me = s.data(Some(&access), ME, json!({})).await;
    assert_eq!(me["me"]["user"]["email"], "ann@example.com");
    assert_eq!(me["me"]["role"], "OWNER");

    // Registering the same e-mail again is refused.
    let again = s
        .call(None, "mutation { register(input: {email: \"ann@example.com\", password: \"12345678\", displayName: \"A\", companyName: \"B\"}) { accessToken } }", json!({}))
        .await;
    assert_eq!(crate::harness::error_code(&again), "BAD_USER_INPUT");

    // Wrong password and unknown user look the same.
    let login = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken refreshToken } }";
    let wrong = s
        .call(
            None,
            login,
            json!({"e": "ann@example.com", "p": "wrong password"}),
        )
        .await;
    let unknown = s
        .call(
            None,
            login,
            json!({"e": "nobody@example.com", "p": "wrong password"}),
        )
        .await;
    assert_eq!(
        wrong["errors"][0]["message"],
        unknown["errors"][0]["message"]
    );
    let ok = s
        .data(
            None,
            login,
            json!({"e": "ANN@example.com", "p": "correct horse"}),
        )
        .await;
    assert!(ok["login"]["accessToken"].as_str().is_some());

    // A refresh token is replaced when used. Parallel calls presenting it (a browser's
    // requests after its access token expired) all get the same successor.
    let (r1, r1_parallel) = tokio::join!(
        s.data(None, REFRESH, json!({"t": refresh})),
        s.data(None, REFRESH, json!({"t": refresh}))
    );
    let refresh2 = r1["refreshSession"]["refreshToken"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(refresh2, refresh);
    assert_eq!(r1_parallel["refreshSession"]["refreshToken"], refresh2);
    let access2 = r1["refreshSession"]["accessToken"]
        .as_str()
        .unwrap()
        .to_owned();
    s.data(Some(&access2), ME, json!({})).await;
    // Within the grace window the replaced token still gets the current tokens.
    let late = s.data(None, REFRESH, json!({"t": refresh})).await;
    assert_eq!(late["refreshSession"]["refreshToken"], refresh2);
    // After it, reusing the spent token is theft: it fails and ends the session for everyone.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        s.error_code(None, REFRESH, json!({"t": refresh})).await,
        "UNAUTHENTICATED"
    );
    assert_eq!(
        s.error_code(None, REFRESH, json!({"t": refresh2})).await,
        "UNAUTHENTICATED"
    );
    assert_eq!(
        s.error_code(Some(&access2), ME, json!({})).await,
        "UNAUTHENTICATED"
    );

    // Logout ends the access token at once, not when it expires.
    let session = ok["login"]["accessToken"].as_str().unwrap().to_owned();
    let session_refresh = ok["login"]["refreshToken"].as_str().unwrap().to_owned();
    s.data(Some(&session), ME, json!({})).await;
    s.data(Some(&session), "mutation { logout }", json!({}))
        .await;
    assert_eq!(
        s.error_code(Some(&session), ME, json!({})).await,
        "UNAUTHENTICATED"
    );
    assert_eq!(
        s.error_code(None, REFRESH, json!({"t": session_refresh}))
            .await,
        "UNAUTHENTICATED"
    );
    // A forged token is refused.
    assert_eq!(
        s.error_code(Some("eyJhbGciOiJIUzI1NiJ9.e30.bad"), ME, json!({}))
            .await,
        "UNAUTHENTICATED"
    );
}

async fn roles_limit_what_members_do(db: TestDb) {
    let s = Server::start(db).await;
    let (owner, _) = s.register("owner@example.com", "Acme").await;
    let (viewer, _) = s.register("viewer@example.com", "Viewer's own").await;
    let (member, _) = s.register("member@example.com", "Member's own").await;
    let invite = "mutation($e: String!, $r: Role!) { inviteMember(email: $e, role: $r) { id role user { email } } }";
    s.data(
        Some(&owner),
        invite,
        json!({"e": "viewer@example.com", "r": "VIEWER"}),
    )
    .await;
    s.data(
        Some(&owner),
        invite,
        json!({"e": "member@example.com", "r": "MEMBER"}),
    )
    .await;
    assert_eq!(
        s.error_code(
            Some(&owner),
            invite,
            json!({"e": "nobody@example.com", "r": "MEMBER"})
        )
        .await,
        "BAD_USER_INPUT"
    );
    let acme = s.data(Some(&owner), "{ company { id } }", json!({})).await["company"]["id"].clone();
    let switch = "mutation($c: ID!) { switchCompany(companyId: $c) { company { name } role } }";
    let v = s.data(Some(&viewer), switch, json!({"c": acme})).await;
    assert_eq!(v["switchCompany"]["role"], "VIEWER");
    s.data(Some(&member), switch, json!({"c": acme})).await;

    let create = "mutation { createClient(input: {name: \"Ivan\"}) { id } }";
    assert_eq!(
        s.error_code(Some(&viewer), create, json!({})).await,
        "FORBIDDEN"
    );
    s.data(Some(&viewer), "{ clients { totalCount } }", json!({}))
        .await;
    s.data(Some(&member), create, json!({})).await;
    let key = "mutation { createApiKey(name: \"k\") { secret } }";
    assert_eq!(
        s.error_code(Some(&member), key, json!({})).await,
        "FORBIDDEN"
    );
    assert_eq!(
        s.error_code(Some(&viewer), "{ apiKeys { id } }", json!({}))
            .await,
        "FORBIDDEN"
    );
    assert_eq!(
        s.error_code(
            Some(&member),
            invite,
            json!({"e": "x@example.com", "r": "VIEWER"})
        )
        .await,
        "FORBIDDEN"
    );

    // API keys: a read key reads, cannot write; a revoked key does nothing; keys cannot make keys.
    let read_key = s.api_key(&owner, "READ").await;
    s.data(Some(&read_key), "{ clients { totalCount } }", json!({}))
        .await;
    assert_eq!(
        s.error_code(Some(&read_key), create, json!({})).await,
        "FORBIDDEN"
    );
    let rw_key = s.api_key(&owner, "READ_WRITE").await;
    s.data(Some(&rw_key), create, json!({})).await;
    assert_eq!(
        s.error_code(Some(&rw_key), key, json!({})).await,
        "FORBIDDEN"
    );
    let keys = s
        .data(
            Some(&owner),
            "{ apiKeys { id prefix scope revoked lastUsedAt } }",
            json!({}),
        )
        .await;
    let listed = keys["apiKeys"].as_array().unwrap();
    assert_eq!(listed.len(), 2);
    assert!(
        rw_key.starts_with(listed[0]["prefix"].as_str().unwrap()),
        "newest first, prefix shown"
    );
    assert!(listed[0]["lastUsedAt"].is_string(), "last use is recorded");
    assert!(
        !keys.to_string().contains(&rw_key),
        "the secret is never listed"
    );
    let id = listed[0]["id"].clone();
    s.data(
        Some(&owner),
        "mutation($id: ID!) { revokeApiKey(id: $id) { revoked } }",
        json!({"id": id}),
    )
    .await;
    assert_eq!(
        s.error_code(Some(&rw_key), "{ clients { totalCount } }", json!({}))
            .await,
        "UNAUTHENTICATED"
    );
}

async fn users_switch_between_companies(db: TestDb) {
    let s = Server::start(db).await;
    let (t, _) = s.register("multi@example.com", "First").await;
    let second = s
        .data(Some(&t), "mutation { createCompany(name: \"Second\", baseCurrency: \"usd\") { id baseCurrency } }", json!({}))
        .await;
    assert_eq!(second["createCompany"]["baseCurrency"], "USD");
    s.data(
        Some(&t),
        "mutation { createClient(input: {name: \"In first\"}) { id } }",
        json!({}),
    )
    .await;
    let me = s.data(Some(&t), ME, json!({})).await;
    assert_eq!(me["me"]["companies"].as_array().unwrap().len(), 2);
    assert_eq!(me["me"]["company"]["name"], "First");
    s.data(
        Some(&t),
        "mutation($c: ID!) { switchCompany(companyId: $c) { company { name } } }",
        json!({"c": second["createCompany"]["id"]}),
    )
    .await;
    let me = s.data(Some(&t), ME, json!({})).await;
    assert_eq!(me["me"]["company"]["name"], "Second");
    let n = s
        .data(Some(&t), "{ clients { totalCount } }", json!({}))
        .await;
    assert_eq!(
        n["clients"]["totalCount"], 0,
        "the second company has its own clients"
    );
}

async fn login_is_rate_limited(db: TestDb) {
    let s = Server::start(db).await;
    s.register("slow@example.com", "Acme").await;
    let login = "mutation { login(email: \"slow@example.com\", password: \"guess guess\") { accessToken } }";
    let mut codes = Vec::new();
    for _ in 0..12 {
        codes.push(s.error_code(None, login, json!({})).await);
    }
    assert_eq!(codes[0], "BAD_USER_INPUT");
    assert_eq!(
        codes.last().map(String::as_str),
        Some("RATE_LIMITED"),
        "{codes:?}"
    );
}

async fn companies_keep_an_owner(db: TestDb) {
    let s = Server::start(db).await;
    let (owner, _) = s.register("own@example.com", "Acme").await;
    let (admin, _) = s.register("adm@example.com", "Other").await;
    let added = s
        .data(
            Some(&owner),
            "mutation { inviteMember(email: \"adm@example.com\", role: ADMIN) { id } }",
            json!({}),
        )
        .await;
    let members = s
        .data(
            Some(&owner),
            "{ members { id role user { email } } }",
            json!({}),
        )
        .await;
    let owner_member = members["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["role"] == "OWNER")
        .unwrap()["id"]
        .clone();
    let demote = "mutation($m: ID!) { updateMemberRole(memberId: $m, role: MEMBER) { role } }";
    assert_eq!(
        s.error_code(Some(&owner), demote, json!({"m": owner_member}))
            .await,
        "BAD_USER_INPUT"
    );
    assert_eq!(
        s.error_code(
            Some(&owner),
            "mutation($m: ID!) { removeMember(memberId: $m) }",
            json!({"m": owner_member})
        )
        .await,
        "BAD_USER_INPUT"
    );
    // An admin cannot touch the owner, nor make owners.
    let acme = s.data(Some(&owner), "{ company { id } }", json!({})).await["company"]["id"].clone();
    s.data(
        Some(&admin),
        "mutation($c: ID!) { switchCompany(companyId: $c) { role } }",
        json!({"c": acme}),
    )
    .await;
    assert_eq!(
        s.error_code(Some(&admin), demote, json!({"m": owner_member}))
            .await,
        "FORBIDDEN"
    );
    let promote = "mutation($m: ID!) { updateMemberRole(memberId: $m, role: OWNER) { role } }";
    assert_eq!(
        s.error_code(
            Some(&admin),
            promote,
            json!({"m": added["inviteMember"]["id"]})
        )
        .await,
        "FORBIDDEN"
    );
}
