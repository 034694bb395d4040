//! The GraphQL operations the UI runs, typed from `schema.graphql` by cynic: `build.rs`
//! registers the schema, and every struct here names the schema type it selects from. A field,
//! argument or variable the schema lacks, or one of the wrong type, fails the build. The
//! fragments are also what server functions hand to the pages, in the browser and during
//! server rendering alike (they serialize under the API's field names).
//!
//! This module holds what every screen shares: the scalars, the schema's enums (`ApiEnum`)
//! and the common fragments. The operations are one module per screen (`session`, `dashboard`,
//! `clients`, `sales`, `api_keys`), re-exported here, so callers write `gql::Clients`.

use serde::Serialize;

mod api_keys;
mod clients;
mod dashboard;
mod sales;
mod session;

pub use analytics::*;
pub use api_keys::*;
pub use clients::*;
pub use dashboard::*;
pub use sales::*;
pub use session::*;

#[cynic::schema("crm")]
mod schema {}

// ---------------------------------------------------------------------------------------------
// Scalars

/// An id as the API gives it.
#[derive(cynic::Scalar, Clone, Debug, PartialEq, Eq, Hash)]
#[cynic(graphql_type = "ID")]
pub struct Id(pub String);

impl Id {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Id {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A moment in RFC 3339 (`2026-11-22T10:15:00+03:00`). The API writes UTC; on the server,
/// an answer is read with each moment moved into the company's zone (`server::zone`), so the
/// pages print local dates and times from the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateTime(pub String);

cynic::impl_scalar!(DateTime, schema::DateTime);

impl Serialize for DateTime {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for DateTime {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<DateTime, D::Error> {
        let text = <String as serde::Deserialize>::deserialize(deserializer)?;
        #[cfg(feature = "server")]
        let text = crate::server::zone::localize(text);
        Ok(DateTime(text))
    }
}

impl DateTime {
    /// The local calendar day (`YYYY-MM-DD`) of the moment, as written.
    pub fn day(&self) -> &str {
        self.0.get(..10).unwrap_or("")
    }
}

impl std::ops::Deref for DateTime {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl From<chrono::DateTime<chrono::Utc>> for DateTime {
    fn from(at: chrono::DateTime<chrono::Utc>) -> DateTime {
        DateTime(at.to_rfc3339())
    }
}

/// Money in minor units: the schema's `MinorUnits`, a 64-bit integer the API writes as a
/// string of digits (`"3000000000"`). It is sent the same way, and read from a string or a
/// plain integer (what older servers and stored pages hold).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Minor(pub i64);

cynic::impl_scalar!(Minor, schema::MinorUnits);

impl Serialize for Minor {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Minor {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Minor, D::Error> {
        #[derive(serde::Deserialize)]
        #[serde(untagged)]
        enum Form {
            Text(String),
            Number(i64),
        }
        match Form::deserialize(deserializer)? {
            Form::Number(n) => Ok(Minor(n)),
            Form::Text(text) => text
                .parse()
                .map(Minor)
                .map_err(|_| serde::de::Error::custom(format!("not minor units: {text:?}"))),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Enums

/// An enum of the schema, with its values as the API names them: what forms and addresses
/// carry, and what the server's checks of a form accept.
pub trait ApiEnum: Sized + Copy + 'static {
    /// Every value, in the order forms offer them.
    const ALL: &'static [Self];

    /// The API's name of this value.
    fn name(self) -> &'static str;

    /// The value the API names `text`.
    fn parse(text: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.name() == text)
    }
}

/// Declares an enum of the schema: each value once, with its API name.
macro_rules! api_enum {
    ($name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        #[derive(cynic::Enum, Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $name {
            $(#[cynic(rename = $text)] $variant),+
        }

        impl ApiEnum for $name {
            const ALL: &'static [$name] = &[$($name::$variant),+];

            fn name(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }
    };
}

// Declared after `api_enum!`, which they use.
mod analytics;
mod assistant;
mod chat;
mod reports;
pub use assistant::*;
pub use chat::*;
pub use reports::*;

api_enum!(SaleStatus {
    Completed = "COMPLETED",
    Pending = "PENDING",
    Cancelled = "CANCELLED",
    Refunded = "REFUNDED",
});

api_enum!(InteractionKind {
    Call = "CALL",
    Email = "EMAIL",
    Meeting = "MEETING",
    Note = "NOTE",
});

api_enum!(ClientStatus {
    Active = "ACTIVE",
    Inactive = "INACTIVE",
});

api_enum!(ItemKind {
    Goods = "GOODS",
    Service = "SERVICE",
});

api_enum!(Role {
    Viewer = "VIEWER",
    Member = "MEMBER",
    Admin = "ADMIN",
    Owner = "OWNER",
});

api_enum!(Scope {
    Read = "READ",
    ReadWrite = "READ_WRITE",
});

api_enum!(ChangeKind {
    Created = "CREATED",
    Updated = "UPDATED",
});

api_enum!(ClientSortField {
    Name = "NAME",
    TotalSpent = "TOTAL_SPENT",
    LastPurchase = "LAST_PURCHASE",
    LastInteraction = "LAST_INTERACTION",
    CreatedAt = "CREATED_AT",
});

api_enum!(SaleSortField {
    SoldAt = "SOLD_AT",
    Amount = "AMOUNT",
});

api_enum!(SortDirection {
    Asc = "ASC",
    Desc = "DESC",
});

// ---------------------------------------------------------------------------------------------
// Fragments and variables that several screens share

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Money {
    /// Major units as a decimal string ("1240000.00").
    pub amount: String,
    pub currency: String,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "Client")]
pub struct ClientRef {
    pub id: Id,
    pub name: String,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PageInfo {
    pub has_next_page: bool,
    pub end_cursor: Option<String>,
}

/// A sale as lists show it.
#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "Sale")]
#[serde(rename_all = "camelCase")]
pub struct SaleRow {
    pub id: Id,
    pub amount: Money,
    pub sold_at: DateTime,
    pub status: SaleStatus,
    pub client: ClientRef,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "SaleEdge")]
pub struct SaleRowEdge {
    pub node: SaleRow,
}

/// The variables of every operation on one object by its id. The screens' modules name it
/// `super::IdVariables` in `variables = ...`: cynic derives the path of `IdVariablesFields` from it.
#[derive(cynic::QueryVariables, Debug)]
pub struct IdVariables {
    pub id: Id,
}

/// A line of goods or services of a sale, as the client and sale screens show it.
#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "SaleItem")]
#[serde(rename_all = "camelCase")]
pub struct ItemRow {
    pub name: String,
    pub sku: Option<String>,
    pub kind: ItemKind,
    pub quantity: f64,
    pub unit_price_minor: Option<Minor>,
}

#[cfg(test)]
mod tests {
    use super::Minor;

    #[test]
    fn minor_units_travel_as_strings_and_read_back_exactly() {
        let big = Minor(9_007_199_254_740_993); // 2^53 + 1: a JavaScript number would round it
        let text = serde_json::to_string(&big).unwrap();
        assert_eq!(text, "\"9007199254740993\"");
        assert_eq!(serde_json::from_str::<Minor>(&text).unwrap(), big);
        assert_eq!(serde_json::from_str::<Minor>("42").unwrap(), Minor(42));
        assert!(serde_json::from_str::<Minor>("\"4.2\"").is_err());
    }
}
