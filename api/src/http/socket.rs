//! `/graphql/ws`: subscriptions over graphql-ws (the `graphql-transport-ws` protocol and the
//! older `graphql-ws` of subscriptions-transport-ws).
//!
//! A socket carries subscriptions only: queries and mutations go over HTTP, where the size,
//! timeout and rate limits apply. Its principal comes from `connection_init` (browsers cannot
//! set headers on a WebSocket) or the upgrade request's Authorization header. The socket
//! - is closed with 4408 when `connection_init` does not arrive within [`INIT_TIMEOUT`];
//! - counts against its session's or key's open streams ([`live::MAX_PER_HOLDER`]);
//! - takes each operation from the principal's rate limit, and holds at most
//!   [`MAX_STREAMS`] subscriptions at once;
//! - is closed with 4403 once its session or key has ended or its rights changed
//!   (re-checked every `Config::live_recheck`, see [`live`]).

use std::str::FromStr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use async_graphql::http::{ALL_WEBSOCKET_PROTOCOLS, WebSocketProtocols, WsMessage};
use async_graphql::parser::types::{DocumentOperations, OperationType};
use async_graphql::{Data, Executor, Request, Response};
use axum::extract::ws::{CloseFrame, Message, WebSocket};
use axum::extract::{State, WebSocketUpgrade};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use futures::stream::BoxStream;
use futures::{SinkExt, StreamExt};

use super::live::{self, LiveSlot};
use super::{Api, bearer};
use crate::auth::Principal;
use crate::error::ApiError;
use crate::graphql::loaders::Loaders;

/// How long a new socket may stay silent before `connection_init`.
pub const INIT_TIMEOUT: Duration = Duration::from_secs(5);
/// Subscriptions one socket may run at once.
pub const MAX_STREAMS: usize = 16;
/// Largest message a client may send (a subscription document is a few hundred bytes).
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024;

pub(super) async fn subscriptions(
    State(http): State<Api>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> axum::response::Response {
    let Some(protocol) = headers
        .get(header::SEC_WEBSOCKET_PROTOCOL)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.split(',')
                .find_map(|p| WebSocketProtocols::from_str(p.trim()).ok())
        })
    else {
        return (
            StatusCode::BAD_REQUEST,
            "ask for the graphql-transport-ws subprotocol",
        )
            .into_response();
    };
    let header_token = bearer(&headers).map(str::to_owned);
    upgrade
        .max_message_size(MAX_MESSAGE_BYTES)
        .max_frame_size(MAX_MESSAGE_BYTES)
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |socket| serve(http, protocol, header_token, socket))
}

/// What one socket's operations share.
struct Connection {
    principal: OnceLock<Principal>,
    slot: std::sync::Mutex<Option<LiveSlot>>,
    streams: AtomicUsize,
}

async fn serve(
    http: Api,
    protocol: WebSocketProtocols,
    header_token: Option<String>,
    socket: WebSocket,
) {
    let app = http.app.clone();
    let connection = Arc::new(Connection {
        principal: OnceLock::new(),
        slot: std::sync::Mutex::new(None),
        streams: AtomicUsize::new(0),
    });
    let (mut sink, input) = socket.split();
    let input = input
        .take_while(|m| futures::future::ready(m.is_ok()))
        .filter_map(|m| {
            futures::future::ready(match m {
                Ok(Message::Text(t)) => Some(t.as_str().as_bytes().to_vec()),
                Ok(Message::Binary(b)) => Some(b.to_vec()),
                _ => None,
            })
        });
    let on_init = {
        let app = app.clone();
        let connection = connection.clone();
        move |payload: serde_json::Value| async move {
            // The token comes in the payload (`authorization: "Bearer …"` or `token`), else
            // from the upgrade request's header.
            let token = payload
                .get("authorization")
                .or_else(|| payload.get("Authorization"))
                .and_then(|v| v.as_str())
                .map(|v| v.strip_prefix("Bearer ").unwrap_or(v).to_owned())
                .or_else(|| {
                    payload
                        .get("token")
                        .and_then(|v| v.as_str())
                        .map(str::to_owned)
                })
                .or(header_token);
            let principal = app.authenticate(token.as_deref()).await?;
            let slot = live::open(&app, &principal)?;
            if let Ok(mut held) = connection.slot.lock() {
                *held = Some(slot);
            }
            let mut data = Data::default();
            data.insert(Loaders::for_subscriptions(
                &app,
                principal.company().unwrap_or(0),
            ));
            data.insert(principal.clone());
            let _ = connection.principal.set(principal);
            Ok::<_, async_graphql::Error>(data)
        }
    };
    let executor = SocketExecutor {
        http: http.clone(),
        connection: connection.clone(),
    };
    let mut messages = async_graphql::http::WebSocket::new(executor, input, protocol)
        .on_connection_init(on_init)
        .map(|m| match m {
            WsMessage::Text(text) => Message::Text(text.into()),
            WsMessage::Close(code, reason) => Message::Close(Some(CloseFrame {
                code,
                reason: reason.into(),
            })),
        });
    let init_deadline = tokio::time::sleep(INIT_TIMEOUT);
    tokio::pin!(init_deadline);
    let mut checks = tokio::time::interval(app.config.live_recheck);
    checks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let close = loop {
        tokio::select! {
            message = messages.next() => match message {
                Some(m) => {
                    if sink.send(m).await.is_err() {
                        break None;
                    }
                }
                None => break None,
            },
            _ = &mut init_deadline, if connection.principal.get().is_none() => {
                break Some((4408, "Connection initialisation timeout".to_owned()));
            }
            _ = checks.tick(), if connection.principal.get().is_some() => {
                if let Some(principal) = connection.principal.get()
                    && let Err(e) = live::still_holds(&app, principal).await
                {
                    break Some((4403, format!("Forbidden: {}", e.message())));
                }
            }
        }
    };
    if let Some((code, reason)) = close {
        let _ = sink
            .send(Message::Close(Some(CloseFrame {
                code,
                reason: reason.into(),
            })))
            .await;
    }
}

/// Runs the operations of one socket: subscriptions only, each taken from the principal's
/// rate limit, at most [`MAX_STREAMS`] at once.
#[derive(Clone)]
struct SocketExecutor {
    http: Api,
    connection: Arc<Connection>,
}

impl Executor for SocketExecutor {
    async fn execute(&self, _request: Request) -> Response {
        live::error_response(ApiError::BadInput {
            field: None,
            message: "only subscriptions run over the socket; send queries and mutations to POST /graphql".into(),
        })
    }

    fn execute_stream(
        &self,
        request: Request,
        session_data: Option<Arc<Data>>,
    ) -> BoxStream<'static, Response> {
        let refuse =
            |e: ApiError| futures::stream::once(async move { live::error_response(e) }).boxed();
        let Some(principal) = self.connection.principal.get() else {
            return refuse(ApiError::Unauthenticated);
        };
        if !only_subscriptions(&request.query) {
            return refuse(ApiError::BadInput {
                field: None,
                message: "only subscriptions run over the socket; send queries and mutations to POST /graphql".into(),
            });
        }
        if let Err(e) = self.http.app.check_rate(principal) {
            return refuse(e);
        }
        let running = self.connection.streams.fetch_add(1, Ordering::SeqCst);
        let guard = StreamGuard(self.connection.clone());
        if running >= MAX_STREAMS {
            return refuse(ApiError::BadInput {
                field: None,
                message: format!("at most {MAX_STREAMS} subscriptions run on one socket"),
            });
        }
        let stream = self
            .http
            .schema
            .execute_stream_with_session_data(request, session_data.unwrap_or_default());
        stream
            .map(move |r| {
                let _held = &guard;
                super::with_codes(r)
            })
            .boxed()
    }
}

/// Gives a subscription's place back when its stream ends.
struct StreamGuard(Arc<Connection>);

impl Drop for StreamGuard {
    fn drop(&mut self) {
        self.0.streams.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Whether every operation of `query` is a subscription. A document that does not parse is
/// let through: the schema answers it with the parse error.
fn only_subscriptions(query: &str) -> bool {
    let Ok(document) = async_graphql::parser::parse_query(query) else {
        return true;
    };
    match &document.operations {
        DocumentOperations::Single(op) => op.node.ty == OperationType::Subscription,
        DocumentOperations::Multiple(ops) => ops
            .values()
            .all(|op| op.node.ty == OperationType::Subscription),
    }
}

#[cfg(test)]
mod tests {
    use super::only_subscriptions;

    #[test]
    fn only_subscription_documents_pass() {
        assert!(only_subscriptions("subscription { saleChanged { kind } }"));
        assert!(!only_subscriptions("{ me { user { email } } }"));
        assert!(!only_subscriptions("mutation { logout }"));
        assert!(!only_subscriptions(
            "subscription A { saleChanged { kind } } query B { me { role } }"
        ));
    }
}
