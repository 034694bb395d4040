//! Change events for subscriptions. On SQLite they stay in the process; on PostgreSQL they
//! go through NOTIFY so every server process on the database sees every change.

use std::sync::Arc;
use std::time::Duration;

use diesel::sql_types::Text;
use diesel_async::RunQueryDsl;
use futures::StreamExt;
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;

use crate::db::{Backend, Db};
use crate::with_conn;

const CHANNEL: &str = "crm_events";
/// PostgreSQL caps a NOTIFY payload at 8000 bytes; ids are sent in chunks that stay below.
const IDS_PER_NOTIFY: usize = 400;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Entity {
    Client,
    Sale,
    /// A report job moved on (progress, done, failed, cancelled).
    ReportJob,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, async_graphql::Enum)]
pub enum ChangeKind {
    Created,
    Updated,
}

/// Rows of one company that changed in one way.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub company_id: i64,
    pub entity: Entity,
    pub kind: ChangeKind,
    pub ids: Vec<i64>,
}

#[derive(Clone)]
pub struct Events {
    local: broadcast::Sender<Arc<Event>>,
    db: Db,
}

impl Events {
    /// Starts the fan-out (and, on PostgreSQL, the LISTEN task).
    pub fn start(db: &Db) -> Events {
        let (local, _) = broadcast::channel(1024);
        if db.backend() == Backend::Postgres {
            tokio::spawn(listen_forever(db.clone(), local.clone()));
        }
        Events {
            local,
            db: db.clone(),
        }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Event>> {
        self.local.subscribe()
    }

    /// Publishes events after their transaction committed. A failure is logged, not returned:
    /// the data is saved, only live updates are missed.
    pub async fn publish(&self, events: Vec<Event>) {
        for event in events.into_iter().filter(|e| !e.ids.is_empty()) {
            match self.db.backend() {
                Backend::Sqlite => {
                    let _ = self.local.send(Arc::new(event));
                }
                Backend::Postgres => {
                    if let Err(e) = self.notify(&event).await {
                        tracing::warn!(error = %e, "could not publish a change event");
                    }
                }
            }
        }
    }

    async fn notify(&self, event: &Event) -> anyhow::Result<()> {
        let mut conn = self.db.read().await?;
        for ids in event.ids.chunks(IDS_PER_NOTIFY) {
            let payload = serde_json::to_string(&Event {
                ids: ids.to_vec(),
                ..event.clone()
            })?;
            with_conn!(conn, c => {
                diesel::sql_query("SELECT pg_notify($1, $2)")
                    .bind::<Text, _>(CHANNEL)
                    .bind::<Text, _>(&payload)
                    .execute(c)
                    .await
            })?;
        }
        Ok(())
    }
}

async fn listen_forever(db: Db, local: broadcast::Sender<Arc<Event>>) {
    loop {
        if let Err(e) = listen(&db, &local).await {
            tracing::warn!(error = %e, "event listener lost its connection; reconnecting");
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

async fn listen(db: &Db, local: &broadcast::Sender<Arc<Event>>) -> anyhow::Result<()> {
    let Some(connected) = db.pg_listener().await else {
        anyhow::bail!("no PostgreSQL to listen to");
    };
    let (client, mut messages) = connected?;
    let statement = format!("LISTEN {CHANNEL}");
    let listen = client.batch_execute(&statement);
    tokio::pin!(listen);
    // The connection must be polled while LISTEN runs.
    loop {
        tokio::select! {
            done = &mut listen => { done?; break; }
            msg = messages.next() => match msg {
                Some(Ok(_)) => {}
                Some(Err(e)) => return Err(e.into()),
                None => anyhow::bail!("connection closed"),
            },
        }
    }
    tracing::debug!("listening for change events");
    while let Some(msg) = messages.next().await {
        if let tokio_postgres::AsyncMessage::Notification(n) = msg? {
            match serde_json::from_str::<Event>(n.payload()) {
                Ok(event) => {
                    let _ = local.send(Arc::new(event));
                }
                Err(e) => tracing::warn!(error = %e, "ignoring a malformed change event"),
            }
        }
    }
    anyhow::bail!("connection closed")
}
