use async_graphql::{Context, SimpleObject, Subscription};
use futures::Stream;

use super::ClientNode;
use crate::events::{ChangeKind, Entity};
use crate::graphql::{app, principal};

/// A client of the subscriber's company was created or changed.
#[derive(SimpleObject)]
pub struct ClientChange {
    pub kind: ChangeKind,
    pub client: ClientNode,
}

#[derive(Default)]
pub struct ClientSubscription;

#[Subscription]
impl ClientSubscription {
    /// Clients created or changed in the active company, by people or integrations.
    #[allow(clippy::unused_async)] // async-graphql subscription fields must be async
    async fn client_changed(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<impl Stream<Item = ClientChange> + use<>> {
        let company_id = principal(ctx).company()?;
        let app = app(ctx).clone();
        Ok(crate::graphql::sales::subscription::changes(
            app,
            company_id,
            Entity::Client,
            |app, company_id, ids| async move {
                let mut conn = app.db.read().await.ok()?;
                crate::db::clients::by_ids(&mut conn, company_id, &ids)
                    .await
                    .ok()
            },
        )
        .map(|(kind, client)| ClientChange {
            kind,
            client: ClientNode(client),
        }))
    }
}

use futures::StreamExt;
