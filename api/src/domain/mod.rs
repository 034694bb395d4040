//! The CRM's vocabulary, below every interface: statuses and kinds as stored, the stored form
//! of a sale's items, field and batch limits, and the validation of raw input. GraphQL,
//! ingestion, reports and (later) the assistant all speak these types; `db` stores them.
//!
//! Enums derive the GraphQL enum (their GraphQL names are their variant names) and map to a
//! `TEXT` column through diesel's `ToSql`/`FromSql` on both backends. A stored value this code
//! does not know is a deserialisation error, never read as some default.

// Money and counts here never change type silently: no `as` conversions.
#![deny(clippy::as_conversions)]

pub mod money;
pub mod phone;
pub mod text;
pub mod validate;

use serde::{Deserialize, Serialize};

use crate::error::{ApiError, ApiResult};

/// Most rows one batch upsert takes (`upsertClients`, `upsertSales`).
pub const MAX_BATCH: usize = 10_000;
/// Largest amount accepted for one sale, in minor units (10^13: a hundred billion roubles),
/// so that sums over millions of sales stay far from i64 overflow.
pub const MAX_AMOUNT_MINOR: i64 = 10_000_000_000_000;
/// Most items one sale has.
pub const MAX_ITEMS: usize = 200;
/// Longest client name, in characters.
pub const CLIENT_NAME_MAX: usize = 300;
/// Longest phone number as typed, in characters.
pub const PHONE_MAX: usize = 50;
/// Longest external id (the integrator's key), in characters.
pub const EXTERNAL_ID_MAX: usize = 200;
/// Longest note on a sale, in characters.
pub const NOTE_MAX: usize = 2000;

/// Declares an enum that is stored as one lower-case text per variant: the enum itself (a
/// GraphQL enum too), `ALL`, `as_str`, `parse` (`None` for an unknown text) and diesel's
/// `ToSql`/`FromSql` for `Text` on every backend whose `str`/`String` do.
macro_rules! stored_as_text {
    (
        $(#[$meta:meta])*
        pub enum $ty:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, Hash, async_graphql::Enum,
            diesel::expression::AsExpression, diesel::deserialize::FromSqlRow,
            serde::Serialize, serde::Deserialize,
        )]
        #[diesel(sql_type = diesel::sql_types::Text)]
        pub enum $ty {
            $($(#[$vmeta])* $variant),+
        }

        impl $ty {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$ty] = &[$($ty::$variant),+];

            /// The stored text.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($ty::$variant => $text),+
                }
            }

            /// The variant stored as `text`; `None` for a text this code does not know.
            pub fn parse(text: &str) -> Option<$ty> {
                match text {
                    $($text => Some($ty::$variant),)+
                    _ => None,
                }
            }
        }

        impl<DB> diesel::serialize::ToSql<diesel::sql_types::Text, DB> for $ty
        where
            DB: diesel::backend::Backend,
            str: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
        {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, DB>,
            ) -> diesel::serialize::Result {
                self.as_str().to_sql(out)
            }
        }

        impl<DB> diesel::deserialize::FromSql<diesel::sql_types::Text, DB> for $ty
        where
            DB: diesel::backend::Backend,
            String: diesel::deserialize::FromSql<diesel::sql_types::Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
                let text = String::from_sql(bytes)?;
                $ty::parse(&text).ok_or_else(|| {
                    format!(concat!("unknown stored ", stringify!($ty), " {:?}"), text).into()
                })
            }
        }
    };
}

pub(crate) use stored_as_text;

stored_as_text! {
    /// Where a sale stands. Only completed sales count in totals and analytics.
    pub enum SaleStatus {
        /// Paid and delivered: counts in totals and analytics.
        Completed => "completed",
        /// Ordered, not yet paid or delivered.
        Pending => "pending",
        Cancelled => "cancelled",
        Refunded => "refunded",
    }
}

stored_as_text! {
    /// Whether a client is still buying, as the company or its integration says.
    pub enum ClientStatus {
        Active => "active",
        Inactive => "inactive",
    }
}

stored_as_text! {
    /// What kind of contact with a client an interaction records.
    pub enum InteractionKind {
        Call => "call",
        Email => "email",
        Meeting => "meeting",
        Note => "note",
    }
}

stored_as_text! {
    /// A member's rights in a company, ordered: each includes the ones before it.
    #[derive(PartialOrd, Ord)]
    pub enum Role {
        /// Reads everything, changes nothing.
        Viewer => "viewer",
        /// Reads and writes clients, sales and interactions.
        Member => "member",
        /// A member who also manages API keys and members.
        Admin => "admin",
        /// An admin who may also manage other admins and owners.
        Owner => "owner",
    }
}

stored_as_text! {
    /// What an API key may do.
    pub enum Scope {
        Read => "read",
        ReadWrite => "read_write",
    }
}

/// Goods or a service, for one line of a sale.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, async_graphql::Enum, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemKind {
    Goods,
    Service,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, async_graphql::Enum)]
pub enum SortDirection {
    Asc,
    Desc,
}

/// One line of a sale as stored (a JSON array in `sales.items`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SaleItem {
    pub name: String,
    pub sku: Option<String>,
    pub kind: ItemKind,
    /// Positive; fractional for goods sold by weight or length.
    pub quantity: f64,
    /// Price of one unit in the sale's currency, minor units.
    pub unit_price_minor: Option<i64>,
}

/// Validates the items of a sale (at most [`MAX_ITEMS`]; names, SKUs, quantities and prices
/// checked) and returns them as the stored JSON text. Errors name the field, e.g.
/// `items[3].quantity`.
pub fn items_json(field: &str, items: &[SaleItem]) -> ApiResult<String> {
    if items.len() > MAX_ITEMS {
        return Err(ApiError::bad_input(
            field,
            format!("a sale may have at most {MAX_ITEMS} items"),
        ));
    }
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let f = |name: &str| format!("{field}[{i}].{name}");
        if !item.quantity.is_finite() || item.quantity <= 0.0 || item.quantity > 1e9 {
            return Err(ApiError::bad_input(
                f("quantity"),
                "must be a positive number",
            ));
        }
        out.push(SaleItem {
            name: validate::text(&f("name"), &item.name, 300)?,
            sku: validate::optional_text(&f("sku"), item.sku.as_deref(), 100)?,
            kind: item.kind,
            quantity: item.quantity,
            unit_price_minor: item
                .unit_price_minor
                .map(|p| validate::amount(&f("unitPriceMinor"), p))
                .transpose()?,
        });
    }
    serde_json::to_string(&out).map_err(ApiError::internal)
}

/// The items stored as `json` by [`items_json`]; an unreadable text is an internal error.
pub fn items_from_json(json: &str) -> ApiResult<Vec<SaleItem>> {
    serde_json::from_str(json).map_err(ApiError::internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_texts_round_trip_and_unknown_ones_are_none() {
        for s in SaleStatus::ALL {
            assert_eq!(SaleStatus::parse(s.as_str()), Some(*s));
        }
        for s in ClientStatus::ALL {
            assert_eq!(ClientStatus::parse(s.as_str()), Some(*s));
        }
        for k in InteractionKind::ALL {
            assert_eq!(InteractionKind::parse(k.as_str()), Some(*k));
        }
        assert_eq!(SaleStatus::parse("shipped"), None);
        assert_eq!(SaleStatus::parse("Completed"), None);
        assert_eq!(ClientStatus::parse(""), None);
    }

    #[test]
    fn items_are_checked_and_stored_as_json() {
        let item = SaleItem {
            name: " Chair ".into(),
            sku: None,
            kind: ItemKind::Goods,
            quantity: 2.0,
            unit_price_minor: Some(15_000),
        };
        let json = items_json("items", std::slice::from_ref(&item)).unwrap();
        let back = items_from_json(&json).unwrap();
        assert_eq!(back[0].name, "Chair");
        let bad = SaleItem {
            quantity: 0.0,
            ..item
        };
        let err = items_json("items", &[bad]).unwrap_err();
        assert!(
            matches!(err, ApiError::BadInput { field: Some(f), .. } if f == "items[0].quantity")
        );
    }
}
