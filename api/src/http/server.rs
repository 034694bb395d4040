//! The HTTP/1.1 server loop: accepts connections, serves the router on each with its peer
//! address (`ConnectInfo`) and WebSocket upgrades, and stops gracefully on ctrl-c or SIGTERM.
//!
//! It exists instead of `axum::serve` for one limit that one does not set: the time a client
//! may take to send a request's headers. Without it a client that opens connections and
//! trickles header bytes (slowloris) holds them, and their memory, for ever. Bodies have their
//! own limit where they are read (`Config::body_read_timeout`).

use std::pin::pin;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tower::ServiceExt;

/// Time a client has to send a request's headers once it has connected or finished its
/// previous request (hyper's header read timeout).
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// How the server treats connections.
#[derive(Clone, Copy, Debug)]
pub struct ServeOptions {
    pub header_read_timeout: Duration,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            header_read_timeout: HEADER_READ_TIMEOUT,
        }
    }
}

/// Serves `router` on `listener` until ctrl-c or SIGTERM, then lets the requests in flight
/// finish (open WebSockets are closed by the process ending).
pub async fn serve(listener: TcpListener, router: Router) -> std::io::Result<()> {
    serve_with(listener, router, ServeOptions::default()).await
}

/// [`serve`] with other options (tests shorten the timeouts).
pub async fn serve_with(
    listener: TcpListener,
    router: Router,
    options: ServeOptions,
) -> std::io::Result<()> {
    // Connection tasks watch `stop` and hold a clone of `running` until they end.
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(());
    let (running_tx, running_rx) = tokio::sync::watch::channel(());
    let mut shutdown = pin!(shutdown_signal());
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(connection) => connection,
                // Out of file descriptors and the like: wait rather than spin.
                Err(e) => {
                    tracing::warn!(error = %e, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            router.clone().oneshot(request.map(Body::new))
        });
        let mut stop = stop_rx.clone();
        let running = running_rx.clone();
        tokio::spawn(async move {
            let mut builder = http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(options.header_read_timeout);
            let mut connection = pin!(
                builder
                    .serve_connection(TokioIo::new(stream), service)
                    .with_upgrades()
            );
            let result = tokio::select! {
                result = connection.as_mut() => result,
                _ = stop.changed() => {
                    connection.as_mut().graceful_shutdown();
                    connection.await
                }
            };
            if let Err(e) = result {
                tracing::debug!(error = %e, %peer, "connection ended with an error");
            }
            drop(running);
        });
    }
    drop(listener);
    tracing::info!("shutting down");
    stop_tx.send_replace(());
    drop(running_rx);
    running_tx.closed().await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = term => {}
    }
}
