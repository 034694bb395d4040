//! Report jobs: progress over a subscription, cancellation, and — on PostgreSQL — a job started
//! through one server process, watched, cancelled and downloaded through another.

use std::time::Duration;

use serde_json::{Value, json};

use crate::harness::{Server, TestDb, UPSERT_CLIENTS, UPSERT_SALES};
use crate::ws;

crate::on_both_backends!(jobs_report_progress_and_can_be_cancelled);

const START: &str = "mutation($i: ReportInput!) { startReport(input: $i) { id state progress } }";
const JOB: &str = "query($id: ID!) { reportJob(id: $id) { state progress step error report { body { ... on GeneralSalesReport { totals { salesCount } } } } } }";
const WATCH: &str = "subscription($id: ID!) { reportJobChanged(id: $id) { state progress step } }";

fn year() -> Value {
    json!({ "i": { "kind": "GENERAL", "from": "2026-01-01", "to": "2026-12-31" } })
}

async fn sell(s: &Server, token: &str) {
    s.data(
        Some(token),
        UPSERT_CLIENTS,
        json!({ "rows": [{ "externalId": "c0", "name": "Client" }] }),
    )
    .await;
    s.data(
        Some(token),
        UPSERT_SALES,
        json!({ "rows": [{ "externalId": "s0", "clientExternalId": "c0", "amountMinor": 100,
        "currency": "RUB", "soldAt": "2026-03-10T10:00:00Z" }] }),
    )
    .await;
}

/// A server whose report jobs wait `pause_ms` before each step, listening on a real port.
async fn slow_server(db: TestDb, pause_ms: u64) -> (Server, String) {
    let mut config = db.config();
    config.fault_report_step_pause = Some(Duration::from_millis(pause_ms));
    let s = Server::with_config(config, db).await;
    let url = s.serve_ws().await;
    (s, url)
}

async fn wait_for(s: &Server, token: &str, id: &Value, state: &str) -> Value {
    for _ in 0..200 {
        let job = s.data(Some(token), JOB, json!({ "id": id })).await["reportJob"].clone();
        if job["state"] == state {
            return job;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("job {id} never became {state}");
}

async fn jobs_report_progress_and_can_be_cancelled(db: TestDb) {
    let (s, url) = slow_server(db, 150).await;
    let (a, _) = s.register("a@example.com", "A").await;
    let (b, _) = s.register("b@example.com", "B").await;
    sell(&s, &a).await;

    // Watched to the end: the progress only grows, and the last message says DONE.
    let id = s.data(Some(&a), START, year()).await["startReport"]["id"].clone();
    let mut socket = ws::connect(&url, Some(&a)).await.unwrap();
    ws::send(&mut socket, json!({ "id": "1", "type": "subscribe", "payload": { "query": WATCH, "variables": { "id": id } } })).await;
    let mut seen: Vec<(String, i64)> = Vec::new();
    while let Some(msg) = ws::next(&mut socket, Duration::from_secs(20)).await {
        if msg["type"] == "complete" {
            break;
        }
        assert_eq!(msg["type"], "next", "{msg}");
        let job = &msg["payload"]["data"]["reportJobChanged"];
        seen.push((
            job["state"].as_str().unwrap().to_owned(),
            job["progress"].as_i64().unwrap(),
        ));
    }
    assert!(seen.len() >= 4, "several steps were seen: {seen:?}");
    assert!(
        seen.windows(2).all(|w| w[0].1 <= w[1].1),
        "progress never goes back: {seen:?}"
    );
    assert_eq!(seen.last().unwrap(), &("DONE".to_owned(), 100), "{seen:?}");
    let done = s.data(Some(&a), JOB, json!({ "id": id })).await["reportJob"].clone();
    assert_eq!(done["report"]["body"]["totals"]["salesCount"], 1);
    let path = format!("/reports/jobs/{}/export", id.as_str().unwrap());
    assert_eq!(crate::exports::get_status(&s, &path, Some(&a)).await, 200);
    assert_eq!(
        crate::exports::get_status(&s, &path, Some(&b)).await,
        404,
        "another company's job"
    );

    // Cancelled while running: it stops at its next step and stays cancelled.
    let id = s.data(Some(&a), START, year()).await["startReport"]["id"].clone();
    assert_eq!(
        s.error_code(
            Some(&b),
            "mutation($id: ID!) { cancelReportJob(id: $id) { state } }",
            json!({ "id": id })
        )
        .await,
        "NOT_FOUND"
    );
    assert_eq!(
        s.error_code(Some(&b), JOB, json!({ "id": id })).await,
        "NOT_FOUND"
    );
    let cancelled = s
        .data(
            Some(&a),
            "mutation($id: ID!) { cancelReportJob(id: $id) { state } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(cancelled["cancelReportJob"]["state"], "CANCELLED");
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    let job = s.data(Some(&a), JOB, json!({ "id": id })).await["reportJob"].clone();
    assert_eq!(job["state"], "CANCELLED", "{job}");
    assert_eq!(job["report"], Value::Null);
    let path = format!("/reports/jobs/{}/export", id.as_str().unwrap());
    assert_eq!(
        crate::exports::get_status(&s, &path, Some(&a)).await,
        400,
        "nothing to download"
    );

    // Ended jobs are deleted a day after they ended (when the company starts another);
    // the pruning leaves other companies' jobs and running jobs alone.
    let company = s.app.clone();
    let later = chrono::Utc::now().naive_utc() + crm_api::reports::jobs::KEEP_ENDED;
    let running = s.data(Some(&b), START, year()).await["startReport"]["id"].clone();
    let mut conn = company.db.write().await.unwrap();
    let company_of = |token: &str| {
        let app = company.clone();
        let token = token.to_owned();
        async move {
            app.authenticate(Some(&token))
                .await
                .unwrap()
                .company()
                .unwrap()
        }
    };
    let (ca, cb) = (company_of(&a).await, company_of(&b).await);
    assert_eq!(
        crm_api::db::report_jobs::prune(&mut conn, ca, later)
            .await
            .unwrap(),
        2,
        "company A's done and cancelled jobs"
    );
    assert_eq!(
        crm_api::db::report_jobs::prune(&mut conn, cb, later)
            .await
            .unwrap(),
        0,
        "company B's job still runs"
    );
    drop(conn);
    assert_eq!(
        s.error_code(Some(&a), JOB, json!({ "id": id })).await,
        "NOT_FOUND"
    );
    wait_for(&s, &b, &running, "DONE").await;

    // Bad parameters fail at once, not in the background.
    let bad = json!({ "i": { "kind": "GENERAL", "from": "2026-02-01", "to": "2026-01-01" } });
    assert_eq!(s.error_code(Some(&a), START, bad).await, "BAD_USER_INPUT");
}

/// Two server processes' worth of state (two applications on one PostgreSQL database): a job
/// started through A is watched, and downloaded, through B; one started through B is cancelled
/// through A.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jobs_cross_server_processes_on_postgres() {
    let db = TestDb::new(crate::harness::Backend::Postgres).await;
    let mut config = db.config();
    config.fault_report_step_pause = Some(Duration::from_millis(150));
    let (_b_app, b_router) = crm_api::build_router(config.clone()).await.unwrap();
    let a = Server::with_config(config, db).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let b_url = format!("ws://{}/graphql/ws", listener.local_addr().unwrap());
    tokio::spawn(crm_api::serve(listener, b_router.clone()));
    let (token, _) = a.register("a@example.com", "A").await;
    sell(&a, &token).await;

    let id = a.data(Some(&token), START, year()).await["startReport"]["id"].clone();
    let mut socket = ws::connect(&b_url, Some(&token)).await.unwrap();
    ws::send(&mut socket, json!({ "id": "1", "type": "subscribe", "payload": { "query": WATCH, "variables": { "id": id } } })).await;
    let mut last = Value::Null;
    while let Some(msg) = ws::next(&mut socket, Duration::from_secs(20)).await {
        if msg["type"] == "complete" {
            break;
        }
        last = msg["payload"]["data"]["reportJobChanged"].clone();
    }
    assert_eq!(last["state"], "DONE", "B saw A's job finish: {last}");
    let b = crate::exports::RouterOnly(b_router);
    let path = format!("/reports/jobs/{}/export?format=xlsx", id.as_str().unwrap());
    assert_eq!(
        b.get_status(&path, Some(&token)).await,
        200,
        "B serves A's result"
    );

    let started_on_b =
        b.graphql(Some(&token), START, year()).await["data"]["startReport"]["id"].clone();
    let cancelled = a
        .data(
            Some(&token),
            "mutation($id: ID!) { cancelReportJob(id: $id) { state } }",
            json!({ "id": started_on_b }),
        )
        .await;
    assert_eq!(cancelled["cancelReportJob"]["state"], "CANCELLED");
    let job = wait_for(&a, &token, &started_on_b, "CANCELLED").await;
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    let again = a
        .data(Some(&token), JOB, json!({ "id": started_on_b }))
        .await["reportJob"]
        .clone();
    assert_eq!(
        again["state"], job["state"],
        "B's job stopped and stayed cancelled"
    );
}
