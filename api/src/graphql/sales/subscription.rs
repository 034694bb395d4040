use std::future::Future;
use std::sync::Arc;

use async_graphql::{Context, SimpleObject, Subscription};
use futures::{Stream, StreamExt};
use tokio::sync::broadcast::error::RecvError;

use super::SaleNode;
use crate::app::App;
use crate::events::{ChangeKind, Entity};
use crate::graphql::{app, principal};

/// A sale of the subscriber's company was created or changed.
#[derive(SimpleObject)]
pub struct SaleChange {
    pub kind: ChangeKind,
    pub sale: SaleNode,
}

#[derive(Default)]
pub struct SaleSubscription;

#[Subscription]
impl SaleSubscription {
    /// Sales created or changed in the active company, by people or integrations.
    #[allow(clippy::unused_async)] // async-graphql subscription fields must be async
    async fn sale_changed(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<impl Stream<Item = SaleChange> + use<>> {
        let company_id = principal(ctx).company()?;
        let app = app(ctx).clone();
        Ok(changes(
            app,
            company_id,
            Entity::Sale,
            |app, company_id, ids| async move {
                let mut conn = app.db.read().await.ok()?;
                crate::db::sales::by_ids(&mut conn, company_id, &ids)
                    .await
                    .ok()
            },
        )
        .map(|(kind, sale)| SaleChange {
            kind,
            sale: SaleNode(sale),
        }))
    }
}

/// The changed rows of one company and entity, loaded (scoped to the company) as events come.
/// The receiver is taken now, so nothing published after subscribing is missed.
pub(crate) fn changes<T, F, Fut>(
    app: Arc<App>,
    company_id: i64,
    entity: Entity,
    load: F,
) -> impl Stream<Item = (ChangeKind, T)> + Send + use<T, F, Fut>
where
    T: Send + 'static,
    F: Fn(Arc<App>, i64, Vec<i64>) -> Fut + Send + 'static,
    Fut: Future<Output = Option<Vec<T>>> + Send,
{
    let mut rx = app.events.subscribe();
    async_stream::stream! {
        loop {
            match rx.recv().await {
                Ok(event) if event.company_id == company_id && event.entity == entity => {
                    match load(app.clone(), company_id, event.ids.clone()).await {
                        Some(rows) => {
                            for row in rows {
                                yield (event.kind, row);
                            }
                        }
                        None => tracing::warn!("could not load changed rows for a subscriber"),
                    }
                }
                Ok(_) => {}
                Err(RecvError::Lagged(n)) => tracing::warn!(missed = n, "a subscriber fell behind"),
                Err(RecvError::Closed) => break,
            }
        }
    }
}
