//! Every GraphQL operation of the UI against the schema the server executes.

use async_graphql::{Request, Variables};
use crm_api::auth::Principal;
use crm_api::http::Api;
use crm_test_support::{Backend, ScratchDb};
use crm_web::gql::*;
use cynic::{MutationBuilder, QueryBuilder, SubscriptionBuilder};
use serde_json::Value;

/// An operation's text and variables, as the server receives them.
fn text<Q, V: serde::Serialize>(op: cynic::Operation<Q, V>) -> (String, Value) {
    (op.query, serde_json::to_value(op.variables).unwrap())
}

/// Every operation the UI sends, with variables of the kind the pages send, passes the
/// validation of the schema the server executes (cynic checked them against
/// `schema.graphql` at compile time; this checks the generated text against the server).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operations_match_the_schema() {
    let db = ScratchDb::new(Backend::Sqlite, "web_ops").await;
    let config = crm_api::Config {
        database_url: Some(db.url.clone()),
        ..Default::default()
    };
    let api = Api::new(crm_api::App::start(config).await.unwrap());
    let id = || Id("1".into());
    let at = || DateTime("2026-11-22T10:15:00+00:00".into());
    let item = || SaleItemInput {
        name: "Goods".into(),
        sku: Some("SKU-1".into()),
        kind: ItemKind::Service,
        quantity: 1.5,
        unit_price_minor: Some(Minor(2_000)),
    };
    let fields = || SaleUpdateInput {
        client_id: Some(id()),
        amount_minor: Minor(3_000_000_000),
        currency: "RUB".into(),
        sold_at: Some(at()),
        status: SaleStatus::Refunded,
        note: None,
        items: vec![item()],
    };
    let input = || ReportInput {
        kind: ReportKind::Trends,
        from: NaiveDate("2026-01-01".into()),
        to: NaiveDate("2026-12-31".into()),
        granularity: Granularity::Week,
        filters: Some(ReportFiltersInput {
            client_ids: vec![id()],
            statuses: vec![SaleStatus::Refunded],
            currency: Some("RUB".into()),
            amount_min: Some(Minor(100)),
            amount_max: None,
        }),
        horizon: 6,
    };
    let ops: Vec<(String, serde_json::Value)> = vec![
        text(Login::build(LoginVariables {
            email: "a@example.com".into(),
            password: "wrong password".into(),
        })),
        text(Refresh::build(RefreshVariables {
            token: "spent".into(),
        })),
        text(Logout::build(())),
        text(Me::build(())),
        text(SwitchCompany::build(IdVariables { id: id() })),
        text(ClientAnalyticsQuery::build(IdVariables { id: id() })),
        text(TopActions::build(TopActionsVariables { first: 3 })),
        text(RunReport::build(ReportVariables { input: input() })),
        text(SaveReport::build(SaveReportVariables {
            name: "Год".into(),
            input: input(),
        })),
        text(SavedReports::build(SavedReportsVariables {
            first: Some(25),
            after: Some("cursor".into()),
        })),
        text(SavedReportQuery::build(IdVariables { id: id() })),
        text(SharedReportQuery::build(TokenVariables {
            token: "token".into(),
        })),
        text(RenameSaved::build(RenameSavedVariables {
            id: id(),
            name: "Год".into(),
        })),
        text(ShareSaved::build(ShareSavedVariables {
            id: id(),
            with_members: true,
        })),
        text(DeleteSaved::build(IdVariables { id: id() })),
        text(CreateLink::build(CreateLinkVariables {
            saved_report_id: id(),
            expires_in_days: 7,
        })),
        text(RevokeLink::build(IdVariables { id: id() })),
        text(Dashboard::build(PeriodVariables {
            from: at(),
            to: at(),
            previous_from: at(),
            previous_to: at(),
        })),
        text(StartReport::build(ReportVariables { input: input() })),
        text(CancelReportJob::build(IdVariables { id: id() })),
        text(Clients::build(ClientsVariables {
            first: Some(25),
            after: Some("cursor".into()),
            filter: Some(ClientFilterInput {
                search: Some("Клиент".into()),
                status: Some(ClientStatus::Active),
                archived: Some(true),
                last_interaction_from: Some(at()),
                last_interaction_to: Some(at()),
                has_purchases: Some(false),
            }),
            sort: Some(ClientSortInput {
                field: ClientSortField::TotalSpent,
                direction: SortDirection::Desc,
            }),
        })),
        text(Sales::build(SalesVariables {
            first: Some(25),
            after: None,
            filter: Some(SaleFilterInput {
                sold_from: Some(at()),
                sold_to: Some(at()),
                client_id: Some(id()),
                status: Some(SaleStatus::Pending),
                currency: Some("RUB".into()),
            }),
            sort: Some(SaleSortInput {
                field: SaleSortField::Amount,
                direction: SortDirection::Asc,
            }),
        })),
        text(Client::build(ClientVariables {
            id: id(),
            sales: 20,
            interactions: 20,
            interactions_after: Some("cursor".into()),
        })),
        text(UpdateClient::build(UpdateClientVariables {
            id: id(),
            input: ClientUpdateInput {
                name: "Name".into(),
                email: None,
                phone: Some("+7 900".into()),
                status: ClientStatus::Inactive,
            },
        })),
        text(CreateClient::build(CreateClientVariables {
            input: ClientInput {
                name: "Name".into(),
                email: Some("a@b.example".into()),
                phone: None,
                status: ClientStatus::Active,
            },
        })),
        text(ArchiveClient::build(IdVariables { id: id() })),
        text(RestoreClient::build(IdVariables { id: id() })),
        text(AddInteraction::build(AddInteractionVariables {
            id: id(),
            input: InteractionInput {
                kind: InteractionKind::Meeting,
                body: "Met".into(),
                occurred_at: Some(at()),
            },
        })),
        text(CreateSale::build(CreateSaleVariables {
            input: SaleInput {
                client_id: id(),
                amount_minor: Minor(3_000_000_000),
                currency: "RUB".into(),
                sold_at: None,
                status: SaleStatus::Completed,
                items: vec![item()],
                note: Some("note".into()),
            },
        })),
        text(Sale::build(IdVariables { id: id() })),
        text(UpdateSale::build(UpdateSaleVariables {
            id: id(),
            input: fields(),
        })),
        text(ApiKeys::build(())),
        text(CreateApiKey::build(NewKeyVariables {
            name: "Shop".into(),
            scope: Scope::Read,
        })),
        text(RevokeApiKey::build(IdVariables { id: id() })),
        text(Conversations::build(ConversationsVariables {
            first: Some(30),
        })),
        text(ConversationQuery::build(IdVariables { id: id() })),
        text(AskAssistant::build(AskVariables {
            question: "top 5 clients".into(),
            conversation_id: Some(id()),
        })),
        text(DeleteConversation::build(IdVariables { id: id() })),
        // Last: it signs up, so the operations above ran without a session.
        text(Register::build(RegisterVariables {
            input: RegisterInput {
                email: "ops@example.com".into(),
                password: "long enough".into(),
                display_name: "Ops".into(),
                company_name: "Ops".into(),
                base_currency: "RUB".into(),
                locale: "ru".into(),
            },
        })),
    ];
    for (query, variables) in ops {
        let request = Request::new(query.as_str()).variables(Variables::from_json(variables));
        let response = api
            .execute(Principal::Anonymous, request, String::new())
            .await;
        for e in &response.errors {
            // Without a session the API refuses (and the made-up login and link fail), but
            // never for the operation's shape.
            let code = e.extensions.as_ref().and_then(|x| x.get("code"));
            let code = code.map(|c| c.to_string()).unwrap_or_default();
            let fine = code == "\"UNAUTHENTICATED\""
                || (query.contains("login(") && e.message == "wrong e-mail or password")
                // A link needs no session: a made-up token is simply not found.
                || (query.contains("sharedReport(") && code == "\"NOT_FOUND\"");
            assert!(fine, "{query}\n  {code} {}", e.message);
        }
    }
    // The subscriptions: the live sales list's, the report progress', the assistant's
    // narrative and its chat answers.
    let sales = serde_json::to_value(SaleChanged::build(())).unwrap();
    let job = serde_json::to_value(ReportJobChanged::build(IdVariables { id: id() })).unwrap();
    let narrative = serde_json::to_value(ReportNarrative::build(NarrativeVariables {
        job_id: Some(id()),
        saved_report_id: None,
        language: Language::Ru,
    }))
    .unwrap();
    let answer =
        serde_json::to_value(AssistantAnswer::build(AnswerVariables { message_id: id() })).unwrap();
    for body in [sales, job, narrative, answer] {
        let request = Request::new(body["query"].as_str().unwrap())
            .variables(Variables::from_json(body["variables"].clone()));
        let mut stream = Box::pin(api.subscribe(Principal::Anonymous, request));
        let first = futures::StreamExt::next(&mut stream).await.unwrap();
        assert!(!first.errors.is_empty(), "{body}");
        for e in &first.errors {
            assert!(
                e.message.contains("authentication required"),
                "{body}: {}",
                e.message
            );
        }
    }
}
