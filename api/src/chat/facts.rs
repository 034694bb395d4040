//! What an answer was built from, stored with it and shown under it: the period, the figures,
//! a table, the clients named, the report to open.

use super::*;

/// Days, first and last inclusive, in the company's time zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, SimpleObject)]
#[graphql(name = "ChatPeriod")]
pub struct FactPeriod {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// One figure an answer used, labelled and formatted in the question's language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, SimpleObject)]
#[graphql(name = "ChatFigure")]
pub struct Figure {
    pub label: String,
    pub value: String,
}

/// A small table an answer used: a header and rows of formatted cells. When `clientIds` is not
/// empty, row i is about the client with `clientIds[i]`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, SimpleObject)]
#[graphql(name = "ChatTable")]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub client_ids: Vec<async_graphql::ID>,
}

/// What an answer was built from, to show under it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, SimpleObject)]
#[graphql(name = "ChatFacts")]
pub struct Facts {
    /// The period the figures are for.
    pub period: Option<FactPeriod>,
    /// The period compared with, for comparisons.
    pub compared_with: Option<FactPeriod>,
    pub figures: Vec<Figure>,
    pub table: Option<Table>,
    /// Clients the answer names, to link to.
    pub clients: Vec<ClientRef>,
    /// When a typed name matched several clients: them, to choose from.
    pub candidates: Vec<ClientRef>,
    /// Questions the assistant can answer (help, out of scope, a name that matched nothing).
    pub examples: Vec<String>,
    /// The report the answer comes from, to open in the report screen.
    pub report: Option<ReportParameters>,
}
