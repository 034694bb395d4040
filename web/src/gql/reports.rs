//! Reports: the report builder's query and the three report types as the report view shows
//! them (the general sales report, sales trends with the forecast, sales recommendations).

use serde::Serialize;

use super::{
    ApiEnum, ClientScoreRow, DateTime, Id, Minor, Money, NamedClient, RecommendedAction,
    RfmSegment, SaleStatus, schema,
};

api_enum!(ReportKind {
    General = "GENERAL",
    Trends = "TRENDS",
    Recommendations = "RECOMMENDATIONS",
});

api_enum!(Granularity {
    Day = "DAY",
    Week = "WEEK",
    Month = "MONTH",
});

api_enum!(ForecastMethod {
    Naive = "NAIVE",
    SeasonalNaive = "SEASONAL_NAIVE",
    Theta = "THETA",
    Ets = "ETS",
    MstlEts = "MSTL_ETS",
    MstlEtsLog = "MSTL_ETS_LOG",
});

/// A calendar day as the API writes it (`2026-11-22`).
#[derive(cynic::Scalar, Clone, Debug, PartialEq, Eq)]
pub struct NaiveDate(pub String);

impl std::ops::Deref for NaiveDate {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

#[derive(cynic::InputObject, Debug)]
pub struct ReportFiltersInput {
    pub client_ids: Vec<Id>,
    pub statuses: Vec<SaleStatus>,
    pub currency: Option<String>,
    pub amount_min: Option<Minor>,
    pub amount_max: Option<Minor>,
}

#[derive(cynic::InputObject, Debug)]
pub struct ReportInput {
    pub kind: ReportKind,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub granularity: Granularity,
    pub filters: Option<ReportFiltersInput>,
    pub horizon: i32,
}

#[derive(cynic::QueryVariables, Debug)]
pub struct ReportVariables {
    pub input: ReportInput,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
pub struct LocalizedText {
    pub en: String,
    pub ru: String,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
pub struct MissingRate {
    pub currency: String,
    pub on: NaiveDate,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Figures {
    pub sales_count: i32,
    pub revenue: Vec<Money>,
    pub revenue_in_base: Option<Money>,
    pub average_order_value: Option<Money>,
    pub buyers: i32,
    pub new_buyers: i32,
    pub returning_buyers: i32,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    pub revenue_percent: Option<f64>,
    pub sales_count_percent: Option<f64>,
    pub buyers_percent: Option<f64>,
    pub average_order_value_percent: Option<f64>,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PeriodFigures {
    pub start: NaiveDate,
    pub partial: bool,
    pub figures: Figures,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct TopClient {
    pub client: NamedClient,
    pub sales_count: i32,
    pub revenue_in_base: Option<Money>,
    pub revenue: Vec<Money>,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct StatusFigures {
    pub status: SaleStatus,
    pub sales_count: i32,
    pub amounts: Vec<Money>,
    pub counted: bool,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CurrencyFigures {
    pub currency: String,
    pub sales_count: i32,
    pub revenue: Money,
    pub revenue_in_base: Option<Money>,
    pub share_percent: Option<f64>,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SegmentFigures {
    pub segment: RfmSegment,
    pub clients: i32,
    pub revenue_in_base: Option<Money>,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
pub struct Cohort {
    pub month: NaiveDate,
    pub clients: i32,
    /// Share of the cohort buying in each month since its first, 0..=1.
    pub retention: Vec<f64>,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "GeneralSalesReport")]
#[serde(rename_all = "camelCase")]
pub struct GeneralReport {
    pub totals: Figures,
    pub previous_from: NaiveDate,
    pub previous_to: NaiveDate,
    pub previous: Figures,
    pub change: Change,
    pub periods: Vec<PeriodFigures>,
    pub top_clients: Vec<TopClient>,
    pub by_status: Vec<StatusFigures>,
    pub by_currency: Vec<CurrencyFigures>,
    pub segments: Vec<SegmentFigures>,
    pub cohorts: Vec<Cohort>,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SeriesPoint {
    pub start: NaiveDate,
    pub partial: bool,
    pub sales_count: i32,
    pub revenue_in_base: Option<Money>,
    pub growth_percent: Option<f64>,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ForecastPoint {
    pub start: NaiveDate,
    pub value: Money,
    pub lower80: Money,
    pub upper80: Money,
    pub lower95: Money,
    pub upper95: Money,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ForecastAccuracy {
    pub mase: Option<f64>,
    pub baseline_mase: Option<f64>,
    pub coverage80: f64,
    pub coverage95: f64,
    pub origins: i32,
}

api_enum!(ForecastNoteKind {
    NoHistory = "NO_HISTORY",
    TooShortToForecast = "TOO_SHORT_TO_FORECAST",
    AllZero = "ALL_ZERO",
    ShortForSeason = "SHORT_FOR_SEASON",
    TooShortToBacktest = "TOO_SHORT_TO_BACKTEST",
    CandidateFailed = "CANDIDATE_FAILED",
    PartialPeriodsLeftOut = "PARTIAL_PERIODS_LEFT_OUT",
    MissingRates = "MISSING_RATES",
});

/// Why the forecast is as it is: the kind (translated by the UI) and the API's English detail.
#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
pub struct ForecastNote {
    pub kind: ForecastNoteKind,
    pub detail: String,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
pub struct RevenueForecast {
    pub method: ForecastMethod,
    pub points: Vec<ForecastPoint>,
    pub accuracy: Option<ForecastAccuracy>,
    pub notes: Vec<ForecastNote>,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "SalesTrendsReport")]
#[serde(rename_all = "camelCase")]
pub struct TrendsReport {
    pub series: Vec<SeriesPoint>,
    pub forecast: RevenueForecast,
    pub season_length: i32,
    pub seasonal_strength: Option<f64>,
    pub growth_over_range_percent: Option<f64>,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CustomerModel {
    pub clients: i32,
    pub repeat_buyers: i32,
    pub note: Option<String>,
    /// Fitted on few buyers: the scores are rough.
    pub rough: bool,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "SalesRecommendationsReport")]
#[serde(rename_all = "camelCase")]
pub struct RecommendationsReport {
    pub model: CustomerModel,
    pub segments: Vec<SegmentFigures>,
    pub at_risk: Vec<ClientScoreRow>,
    pub likely_to_buy: Vec<ClientScoreRow>,
    pub actions: Vec<RecommendedAction>,
}

/// The body of a report, by its type. Serialised with the GraphQL `__typename` tag, as cynic
/// reads it back.
// One value per report, moved rarely: boxing the large variant would only add an allocation.
#[allow(clippy::large_enum_variant)]
#[derive(cynic::InlineFragments, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "ReportBody")]
#[serde(tag = "__typename")]
pub enum ReportBody {
    #[serde(rename = "GeneralSalesReport")]
    General(GeneralReport),
    #[serde(rename = "SalesTrendsReport")]
    Trends(TrendsReport),
    #[serde(rename = "SalesRecommendationsReport")]
    Recommendations(RecommendationsReport),
    #[cynic(fallback)]
    Unknown,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub parameters: ReportParams,
    pub generated_at: DateTime,
    pub time_zone: String,
    pub base_currency: String,
    pub summary: LocalizedText,
    pub missing_rates: Vec<MissingRate>,
    pub body: ReportBody,
    pub narratives: Vec<Narrative>,
}

/// One report, computed now.
#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "QueryRoot", variables = "ReportVariables")]
pub struct RunReport {
    #[arguments(input: $input)]
    pub report: Report,
}

// ---------------------------------------------------------------------------------------------
// Report jobs: a report computed in the background, watched and cancelled

api_enum!(JobState {
    Running = "RUNNING",
    Done = "DONE",
    Failed = "FAILED",
    Cancelled = "CANCELLED",
});

/// A report job as the report view follows it: progress 0..=100, the step it is on (a key:
/// `periods`, `forecast`, …), and the report once done.
#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "ReportJob")]
pub struct JobView {
    pub id: Id,
    pub state: JobState,
    pub progress: i32,
    pub step: String,
    pub error: Option<String>,
    pub report: Option<Report>,
}

#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "MutationRoot", variables = "ReportVariables")]
pub struct StartReport {
    #[arguments(input: $input)]
    pub start_report: JobView,
}

#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "MutationRoot", variables = "super::IdVariables")]
pub struct CancelReportJob {
    #[arguments(id: $id)]
    pub cancel_report_job: JobView,
}

#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "SubscriptionRoot", variables = "super::IdVariables")]
pub struct ReportJobChanged {
    #[arguments(id: $id)]
    pub report_job_changed: JobView,
}

// ---------------------------------------------------------------------------------------------
// The assistant's narrative

api_enum!(Language {
    En = "EN",
    Ru = "RU",
});

api_enum!(NarrativeUnavailable {
    ModelOff = "MODEL_OFF",
    ModelNotReady = "MODEL_NOT_READY",
    LanguageNotSupported = "LANGUAGE_NOT_SUPPORTED",
    Busy = "BUSY",
    Failed = "FAILED",
});

/// The assistant's checked words on a report, as stored with it.
#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Narrative {
    pub language: Language,
    pub text: String,
    pub withheld: bool,
    pub dropped_sentences: i32,
    pub model: String,
    pub written_at: DateTime,
}

/// One step of a narrative being written: checked text to append, or the stored narrative at
/// the end, or why none can be written now.
#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
pub struct NarrativeEvent {
    pub delta: String,
    pub narrative: Option<Narrative>,
    pub unavailable: Option<NarrativeUnavailable>,
}

#[derive(cynic::QueryVariables, Debug)]
pub struct NarrativeVariables {
    pub job_id: Option<Id>,
    pub saved_report_id: Option<Id>,
    pub language: Language,
}

#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "SubscriptionRoot", variables = "NarrativeVariables")]
pub struct ReportNarrative {
    #[arguments(jobId: $job_id, savedReportId: $saved_report_id, language: $language)]
    pub report_narrative: NarrativeEvent,
}

// ---------------------------------------------------------------------------------------------
// Saved reports and read-only links

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "ReportParameters")]
pub struct ReportParams {
    pub kind: ReportKind,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub granularity: Granularity,
    pub filters: ReportFilters,
    pub horizon: i32,
}

/// Which sales a report counted, as the API resolved the builder's filters.
#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ReportFilters {
    pub client_ids: Vec<Id>,
    pub statuses: Vec<SaleStatus>,
    pub currency: Option<String>,
    pub amount_min: Option<Minor>,
    pub amount_max: Option<Minor>,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ReportLink {
    pub id: Id,
    pub created_at: DateTime,
    pub expires_at: DateTime,
    pub revoked_at: Option<DateTime>,
    pub live: bool,
}

/// A saved report as the list shows it.
#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "SavedReport")]
#[serde(rename_all = "camelCase")]
pub struct SavedRow {
    pub id: Id,
    pub name: String,
    pub parameters: ReportParams,
    pub shared_with_members: bool,
    pub can_change: bool,
    pub updated_at: DateTime,
    pub author_name: Option<String>,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "SavedReportEdge")]
pub struct SavedRowEdge {
    pub node: SavedRow,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "SavedReportConnection")]
#[serde(rename_all = "camelCase")]
pub struct SavedPage {
    pub total_count: i32,
    pub edges: Vec<SavedRowEdge>,
    pub page_info: super::PageInfo,
}

#[derive(cynic::QueryVariables, Debug)]
pub struct SavedReportsVariables {
    pub first: Option<i32>,
    pub after: Option<String>,
}

#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "QueryRoot", variables = "SavedReportsVariables")]
pub struct SavedReports {
    #[arguments(first: $first, after: $after)]
    pub saved_reports: SavedPage,
}

/// One saved report: its snapshot, sharing and links.
#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "SavedReport")]
#[serde(rename_all = "camelCase")]
pub struct SavedDetail {
    pub id: Id,
    pub name: String,
    pub shared_with_members: bool,
    pub can_change: bool,
    pub report: Report,
    pub links: Vec<ReportLink>,
}

#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "QueryRoot", variables = "super::IdVariables")]
pub struct SavedReportQuery {
    #[arguments(id: $id)]
    pub saved_report: SavedDetail,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "SharedReport")]
pub struct SharedDetail {
    pub name: String,
    pub report: Report,
}

#[derive(cynic::QueryVariables, Debug)]
pub struct TokenVariables {
    pub token: String,
}

#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "QueryRoot", variables = "TokenVariables")]
pub struct SharedReportQuery {
    #[arguments(token: $token)]
    pub shared_report: SharedDetail,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "SavedReport")]
pub struct SavedId {
    pub id: Id,
}

#[derive(cynic::QueryVariables, Debug)]
pub struct SaveReportVariables {
    pub name: String,
    pub input: ReportInput,
}

#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "MutationRoot", variables = "SaveReportVariables")]
pub struct SaveReport {
    #[arguments(name: $name, input: $input)]
    pub save_report: SavedId,
}

#[derive(cynic::QueryVariables, Debug)]
pub struct RenameSavedVariables {
    pub id: Id,
    pub name: String,
}

// A mutation must select something; the UI reloads what it shows instead of reading this.
#[allow(dead_code)]
#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "MutationRoot", variables = "RenameSavedVariables")]
pub struct RenameSaved {
    #[arguments(id: $id, name: $name)]
    pub rename_saved_report: SavedId,
}

#[derive(cynic::QueryVariables, Debug)]
pub struct ShareSavedVariables {
    pub id: Id,
    pub with_members: bool,
}

#[allow(dead_code)]
#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "MutationRoot", variables = "ShareSavedVariables")]
pub struct ShareSaved {
    #[arguments(id: $id, withMembers: $with_members)]
    pub share_saved_report: SavedId,
}

#[allow(dead_code)]
#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "MutationRoot", variables = "super::IdVariables")]
pub struct DeleteSaved {
    #[arguments(id: $id)]
    pub delete_saved_report: bool,
}

#[derive(cynic::QueryVariables, Debug)]
pub struct CreateLinkVariables {
    pub saved_report_id: Id,
    pub expires_in_days: i32,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "CreatedReportLink")]
pub struct CreatedLink {
    /// Shown once: the link is `/shared/{token}`.
    pub token: String,
}

#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "MutationRoot", variables = "CreateLinkVariables")]
pub struct CreateLink {
    #[arguments(savedReportId: $saved_report_id, expiresInDays: $expires_in_days)]
    pub create_report_link: CreatedLink,
}

#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "ReportLink")]
pub struct LinkId {
    pub id: Id,
}

#[allow(dead_code)]
#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "MutationRoot", variables = "super::IdVariables")]
pub struct RevokeLink {
    #[arguments(id: $id)]
    pub revoke_report_link: LinkId,
}
