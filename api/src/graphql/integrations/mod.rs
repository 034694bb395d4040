//! Batch upserts for integrators: the GraphQL face of [`crate::ingest`].

mod clients;
mod sales;

use async_graphql::{MaybeUndefined, MergedObject};

use crate::ingest::Patch;

#[derive(MergedObject, Default)]
pub struct IntegrationMutation(clients::ClientUpsertMutation, sales::SaleUpsertMutation);

/// Absent keeps a field, `null` clears it, a value sets it.
fn patch(v: &MaybeUndefined<String>) -> Patch<String> {
    match v {
        MaybeUndefined::Undefined => Patch::Keep,
        MaybeUndefined::Null => Patch::Clear,
        MaybeUndefined::Value(s) => Patch::Set(s.clone()),
    }
}
