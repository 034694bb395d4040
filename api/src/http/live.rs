//! Long-lived streams follow the rights of whoever opened them: the graphql-ws sockets
//! ([`super::socket`]) and the event streams the web UI serves as server-sent events
//! ([`super::Api::subscribe`]). Each is counted against its session or key (at most
//! [`MAX_PER_HOLDER`] open at once), re-checked every `Config::live_recheck`, and ended when
//! the session or key has ended (logout, revocation, removal from the company) or its rights
//! changed (a role downgrade, a company switch): the client reconnects and gets its new rights.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_graphql::{Pos, Response};
use futures::{Stream, StreamExt};

use crate::app::App;
use crate::auth::Principal;
use crate::error::{ApiError, Code};

/// Sockets plus event streams one session or API key may hold open.
pub const MAX_PER_HOLDER: usize = 16;

/// Whose rights a long-lived stream uses.
#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
enum Holder {
    Session(i64),
    Key(i64),
}

impl Holder {
    fn of(principal: &Principal) -> Option<Holder> {
        match principal {
            Principal::Anonymous => None,
            Principal::User { session_id, .. } => Some(Holder::Session(*session_id)),
            Principal::ApiKey { key_id, .. } => Some(Holder::Key(*key_id)),
        }
    }
}

/// Open streams per holder (in this process).
#[derive(Default)]
pub struct LiveCounts(Mutex<HashMap<Holder, usize>>);

impl LiveCounts {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Holder, usize>> {
        match self.0.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        }
    }
}

/// One open stream's place in [`LiveCounts`], given back when dropped.
pub struct LiveSlot {
    app: Arc<App>,
    holder: Holder,
}

impl Drop for LiveSlot {
    fn drop(&mut self) {
        let mut counts = self.app.live.lock();
        if let Some(n) = counts.get_mut(&self.holder) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                counts.remove(&self.holder);
            }
        }
    }
}

/// Takes a place for one more stream of `principal`. Errors: UNAUTHENTICATED for anonymous,
/// RATE_LIMITED when the holder already has [`MAX_PER_HOLDER`] open.
pub fn open(app: &Arc<App>, principal: &Principal) -> Result<LiveSlot, ApiError> {
    let holder = Holder::of(principal).ok_or(ApiError::Unauthenticated)?;
    let mut counts = app.live.lock();
    let n = counts.entry(holder).or_insert(0);
    if *n >= MAX_PER_HOLDER {
        return Err(ApiError::RateLimited {
            retry_after_secs: 5,
        });
    }
    *n += 1;
    Ok(LiveSlot {
        app: app.clone(),
        holder,
    })
}

/// `Ok` while `principal` still holds with the same rights. A database that cannot answer
/// right now is not a reason to end a stream: that counts as holding until the next check.
pub async fn still_holds(app: &App, principal: &Principal) -> Result<(), ApiError> {
    match app.recheck(principal).await {
        Ok(now) if now == *principal => Ok(()),
        Ok(_) => Err(ApiError::Forbidden(
            "your access has changed; subscribe again",
        )),
        Err(e) if e.code() == Code::Unavailable => Ok(()),
        Err(e) => Err(e),
    }
}

/// A response holding one error (with its code).
pub fn error_response(e: ApiError) -> Response {
    Response::from_errors(vec![
        async_graphql::Error::from(e).into_server_error(Pos::default()),
    ])
}

/// `stream`, ended after one error response once `principal` no longer holds (checked every
/// `Config::live_recheck`). Keeps `slot` for as long as it runs.
pub fn follow_rights<S>(
    app: Arc<App>,
    principal: Principal,
    slot: LiveSlot,
    stream: S,
) -> impl Stream<Item = Response> + Send + 'static
where
    S: Stream<Item = Response> + Send + 'static,
{
    async_stream::stream! {
        let _slot = slot;
        let mut stream = std::pin::pin!(stream);
        let mut checks = tokio::time::interval(app.config.live_recheck);
        checks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        checks.tick().await;
        loop {
            let step = tokio::select! {
                item = stream.next() => Step::Event(item),
                _ = checks.tick() => Step::Check,
            };
            match step {
                Step::Event(Some(response)) => yield response,
                Step::Event(None) => break,
                Step::Check => {
                    if let Err(e) = still_holds(&app, &principal).await {
                        yield error_response(e);
                        break;
                    }
                }
            }
        }
    }
}

/// What woke a followed stream. Lives for one loop turn: boxing the event would only add an
/// allocation per event.
#[allow(clippy::large_enum_variant)]
enum Step {
    Event(Option<Response>),
    Check,
}
