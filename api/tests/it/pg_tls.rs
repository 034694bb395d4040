//! PostgreSQL over TLS when `DATABASE_URL` asks for it (libpq's `sslmode`, `sslrootcert`), for
//! the pool, the migrations and the `LISTEN` connection. The local test server is Debian's
//! PostgreSQL, which serves TLS with its self-signed "snakeoil" certificate.

use std::time::Duration;

use crm_test_support::{Backend, ScratchDb, pg_admin_url};
use serde_json::json;

use crate::harness::{Server, TestDb, UPSERT_CLIENTS, clients};
use crate::ws;

/// The server's own certificate file and whether it serves TLS at all.
async fn server_tls() -> (bool, String) {
    let (client, conn) = tokio_postgres::connect(&pg_admin_url(), tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    let on: String = client.query_one("SHOW ssl", &[]).await.unwrap().get(0);
    let file: String = client
        .query_one("SHOW ssl_cert_file", &[])
        .await
        .unwrap()
        .get(0);
    (on == "on", file)
}

/// Encrypted connections to `database` right now.
async fn encrypted_connections(database: &str) -> i64 {
    let (client, conn) = tokio_postgres::connect(&pg_admin_url(), tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    client
        .query_one(
            "SELECT count(*) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) \
             WHERE a.datname = $1 AND s.ssl",
            &[&database],
        )
        .await
        .unwrap()
        .get(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pool_migrations_and_listener_use_tls_when_asked() {
    let (on, cert) = server_tls().await;
    assert!(
        on,
        "the test PostgreSQL serves no TLS (ssl = off): Debian's package turns it on with its snakeoil certificate"
    );
    let db = TestDb::new(Backend::Postgres).await;
    let database = db.url.rsplit('/').next().unwrap().to_owned();
    let config = crm_api::Config {
        database_url: Some(format!("{}?sslmode=require", db.url)),
        ..db.config()
    };
    let s = Server::with_config(config, db).await;
    let url = s.serve_ws().await;

    let (owner, _) = s.register("tls@example.com", "Acme").await;
    let key = s.api_key(&owner, "READ_WRITE").await;
    let mut socket = ws::connect(&url, Some(&owner)).await.unwrap();
    ws::subscribe(&mut socket, "1", "subscription { clientChanged { kind } }").await;
    s.data(Some(&key), UPSERT_CLIENTS, json!({"rows": clients(1)}))
        .await;
    // The event went out through NOTIFY and came back through the TLS LISTEN connection.
    let event = ws::next(&mut socket, Duration::from_secs(10)).await;
    assert!(event.is_some(), "the change event arrived");
    assert!(
        encrypted_connections(&database).await >= 2,
        "the pool and the listener are encrypted"
    );

    // verify-ca with the server's own certificate as the root checks the chain...
    let verified = ScratchDb::new(Backend::Postgres, "tls").await;
    let with_root = format!(
        "{}?sslmode=verify-ca&sslrootcert={}",
        verified.url,
        cert.replace('/', "%2F")
    );
    crm_api::db::Db::connect(&with_root, 1)
        .await
        .expect("verify-ca against the server's certificate");
    // ...while verify-full also wants the host name, which the certificate does not name
    // for 127.0.0.1: refused, not silently downgraded.
    let full = with_root.replace("verify-ca", "verify-full");
    let refused = crm_api::db::Db::connect(&full, 1).await;
    assert!(
        refused.is_err(),
        "verify-full on an address the certificate does not name"
    );
    // Parameters we cannot honour stop the start.
    let client_cert = format!("{}?sslmode=require&sslcert=/tmp/client.pem", verified.url);
    let refused = crm_api::db::Db::connect(&client_cert, 1).await;
    assert!(
        refused.is_err_and(|e| e.to_string().contains("sslcert")),
        "client certificates are refused by name"
    );
}
