//! A PostgreSQL outage while serving: requests fail fast with a code, and the server
//! recovers by itself. The outage is made by a TCP proxy between the server and PostgreSQL
//! that drops every connection and refuses new ones, which is what clients see while the
//! database restarts, without restarting the database other tests are using.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crm_test_support::pg_admin_url;
use serde_json::json;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

use crate::harness::{Backend, Server, TestDb, error_code};

struct Proxy {
    port: u16,
    tasks: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl Proxy {
    async fn start(port: u16, target: String) -> Proxy {
        let listener = TcpListener::bind(("127.0.0.1", port))
            .await
            .expect("proxy binds");
        let port = listener.local_addr().unwrap().port();
        let tasks: Arc<Mutex<Vec<JoinHandle<()>>>> = Arc::default();
        let inner = tasks.clone();
        let accept = tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                let target = target.clone();
                let conn = tokio::spawn(async move {
                    if let Ok(mut server) = TcpStream::connect(&target).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
                inner.lock().unwrap().push(conn);
            }
        });
        tasks.lock().unwrap().push(accept);
        Proxy { port, tasks }
    }

    /// Closes the listening port and every open connection.
    fn stop(&self) {
        for t in self.tasks.lock().unwrap().drain(..) {
            t.abort();
        }
    }
}

fn pg_target() -> String {
    // host:port of the admin URL.
    let url = pg_admin_url();
    let host = url.split('@').next_back().unwrap_or("127.0.0.1:5432");
    host.split('/')
        .next()
        .unwrap_or("127.0.0.1:5432")
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_outage_gives_coded_errors_then_recovers() {
    let db = TestDb::new(Backend::Postgres).await;
    let proxy = Proxy::start(0, pg_target()).await;
    let name = db.url.rsplit('/').next().unwrap().to_owned();
    let user = pg_admin_url()
        .split("//")
        .nth(1)
        .unwrap()
        .split('@')
        .next()
        .unwrap()
        .to_owned();
    let via_proxy = format!("postgres://{user}@127.0.0.1:{}/{name}", proxy.port);
    let config = crm_api::Config {
        database_url: Some(via_proxy),
        ..db.config()
    };
    let s = Server::with_config(config, db).await;
    let (token, _) = s.register("ops@example.com", "Acme").await;
    s.data(
        Some(&token),
        "mutation { createClient(input: {name: \"Before\"}) { id } }",
        json!({}),
    )
    .await;

    proxy.stop();
    for query in [
        "{ clients { totalCount } }",
        "mutation { createClient(input: {name: \"During\"}) { id } }",
    ] {
        let started = Instant::now();
        let r = s.call(Some(&token), query, json!({})).await;
        let took = started.elapsed();
        assert_eq!(error_code(&r), "UNAVAILABLE", "{r}");
        assert!(
            took < Duration::from_secs(8),
            "the error came after {took:?}"
        );
    }

    let proxy = Proxy::start(proxy.port, pg_target()).await;
    let started = Instant::now();
    loop {
        let r = s
            .call(
                Some(&token),
                "{ clients { totalCount edges { node { name } } } }",
                json!({}),
            )
            .await;
        if r.get("errors").is_none() {
            assert_eq!(
                r["data"]["clients"]["totalCount"], 1,
                "nothing half-written: {r}"
            );
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "no recovery: {r}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    s.data(
        Some(&token),
        "mutation { createClient(input: {name: \"After\"}) { id } }",
        json!({}),
    )
    .await;
    proxy.stop();
}
