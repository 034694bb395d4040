//! The analytics the client and start screens show: a client's model scores from the company's
//! score cache, and the company's most valuable recommended actions.

use serde::Serialize;

use super::{ApiEnum, DateTime, Id, Money, schema};

api_enum!(RfmSegment {
    Champions = "CHAMPIONS",
    Loyal = "LOYAL",
    PotentialLoyalists = "POTENTIAL_LOYALISTS",
    NewCustomers = "NEW_CUSTOMERS",
    Promising = "PROMISING",
    NeedAttention = "NEED_ATTENTION",
    AboutToSleep = "ABOUT_TO_SLEEP",
    AtRisk = "AT_RISK",
    CantLose = "CANT_LOSE",
    Hibernating = "HIBERNATING",
});

api_enum!(RecommendedActionKind {
    CallAtRisk = "CALL_AT_RISK",
    OfferLikelyToBuy = "OFFER_LIKELY_TO_BUY",
    WinBackLapsed = "WIN_BACK_LAPSED",
    Growing = "GROWING",
    Declining = "DECLINING",
    FocusSegment = "FOCUS_SEGMENT",
});

api_enum!(EvidenceKind {
    PAlive = "P_ALIVE",
    ExpectedPurchases30Days = "EXPECTED_PURCHASES_30_DAYS",
    ExpectedPurchases90Days = "EXPECTED_PURCHASES_90_DAYS",
    ExpectedOrderValue = "EXPECTED_ORDER_VALUE",
    RepeatPurchases = "REPEAT_PURCHASES",
    DaysSinceLastPurchase = "DAYS_SINCE_LAST_PURCHASE",
    RecentRevenue = "RECENT_REVENUE",
    PreviousRevenue = "PREVIOUS_REVENUE",
    Threshold = "THRESHOLD",
    Clients = "CLIENTS",
});

/// A client named by a report or an action.
#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "ClientRef")]
pub struct NamedClient {
    pub id: Id,
    pub name: String,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Evidence {
    pub kind: EvidenceKind,
    /// Probabilities 0..=1, counts, days, or money in major units of the base currency.
    pub value: f64,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct RecommendedAction {
    pub kind: RecommendedActionKind,
    pub client: Option<NamedClient>,
    pub segment: RfmSegment,
    pub value_at_stake: Money,
    pub evidence: Vec<Evidence>,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ClientScore {
    pub segment: RfmSegment,
    pub purchases: i32,
    pub days_since_last_purchase: i32,
    pub p_alive: f64,
    pub expected_purchases_30_days: f64,
    pub expected_purchases_90_days: f64,
    pub expected_order_value: Option<Money>,
    #[cynic(rename = "clv12Months")]
    pub clv_12_months: Option<Money>,
}

/// A client in a report's at-risk or likely-to-buy list.
#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "ClientScore")]
#[serde(rename_all = "camelCase")]
pub struct ClientScoreRow {
    pub client: NamedClient,
    pub segment: RfmSegment,
    pub days_since_last_purchase: i32,
    pub p_alive: f64,
    pub expected_purchases_30_days: f64,
    pub expected_order_value: Option<Money>,
    #[cynic(rename = "clv12Months")]
    pub clv_12_months: Option<Money>,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ClientAnalytics {
    pub computed_at: DateTime,
    pub score: ClientScore,
    pub action: Option<RecommendedAction>,
    /// The client's note in both languages, from the scores.
    pub note: super::LocalizedText,
    pub model: super::reports::CustomerModel,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "Client")]
pub struct ClientWithAnalytics {
    pub analytics: Option<ClientAnalytics>,
}

/// One client's scores and recommended action.
#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "QueryRoot", variables = "super::IdVariables")]
pub struct ClientAnalyticsQuery {
    #[arguments(id: $id)]
    pub client: ClientWithAnalytics,
}

#[derive(cynic::QueryVariables, Debug)]
pub struct TopActionsVariables {
    pub first: i32,
}

/// The company's most valuable recommended actions.
#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "QueryRoot", variables = "TopActionsVariables")]
pub struct TopActions {
    #[arguments(first: $first)]
    pub recommended_actions: Vec<RecommendedAction>,
}
