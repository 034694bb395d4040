//! The start screen: the period's figures and the latest sales.

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

#[derive(cynic::QueryVariables, Debug)]
pub struct PeriodVariables {
    pub from: DateTime,
    pub to: DateTime,
}

/// The start screen: the period's figures and the latest sales.
#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "QueryRoot", variables = "PeriodVariables")]
#[serde(rename_all = "camelCase")]
pub struct Dashboard {
    #[arguments(from: $from, to: $to)]
    pub sales_summary: Summary,
    #[arguments(first: 5)]
    pub sales: SaleList,
}
