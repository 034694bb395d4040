//! The start screen: this month's figures against the same days of last month, and the latest
//! sales.

use serde::Serialize;

use super::{DateTime, Money, SaleRowEdge, schema};

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "SalesSummary")]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    pub sales_count: i32,
    pub new_clients: i32,
    pub revenue: Vec<Money>,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "SaleConnection")]
pub struct SaleList {
    pub edges: Vec<SaleRowEdge>,
}

/// This month so far, and the same days of last month.
#[derive(cynic::QueryVariables, Debug)]
pub struct PeriodVariables {
    pub from: DateTime,
    pub to: DateTime,
    pub previous_from: DateTime,
    pub previous_to: DateTime,
}

/// The start screen: this month's figures, last month's to compare, and the latest sales.
#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "QueryRoot", variables = "PeriodVariables")]
#[serde(rename_all = "camelCase")]
pub struct Dashboard {
    #[arguments(from: $from, to: $to)]
    pub sales_summary: Summary,
    /// The same days of the previous month, to compare with.
    #[cynic(alias, rename = "salesSummary")]
    #[arguments(from: $previous_from, to: $previous_to)]
    pub previous: Summary,
    #[arguments(first: 5)]
    pub sales: SaleList,
}
