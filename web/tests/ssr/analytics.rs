//! The analytics on the client and start screens, rendered on the server from real model
//! fits: a company with a year of repeat buyers, pushed with an API key.

use chrono::{Days, Utc};
use serde_json::{Value, json};

use crm_test_support::buyers;

use crate::harness::{Web, parsed, web};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn analytics_on_sqlite() {
    analytics(web(false).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn analytics_on_postgres() {
    analytics(web(true).await).await;
}

/// The shared year of buyers (`crm_test_support::buyers`), named in Russian.
fn year_of_sales() -> (Vec<Value>, Vec<Value>) {
    let clients = (0..buyers::CLIENTS)
        .map(|i| json!({"externalId": format!("c{i}"), "name": format!("Клиент {i:02}")}))
        .collect();
    (clients, buyers::year_of_sales(Utc::now().date_naive()))
}

async fn analytics(w: Web) {
    let args = json!({"email": "an@example.com", "password": "long enough", "display_name": "Анна",
                      "company_name": "Аналитика", "base_currency": "RUB"});
    let (status, cookie, body) = w.call("/api/session/register", "", args).await;
    assert_eq!(status, 200, "{body}");
    let session = cookie.unwrap();

    // Before any sale: the start screen says recommendations come with repeat buyers.
    let (_, body) = w.page("/", &session).await;
    assert!(
        body.contains("id=\"top-actions\"") && body.contains("No recommendations yet"),
        "{body}"
    );

    let (_, _, created) = w
        .call(
            "/api/keys",
            &session,
            json!({"name": "Shop", "scope": "READ_WRITE"}),
        )
        .await;
    let key = parsed(&created)["secret"].as_str().unwrap().to_owned();
    let (clients, sales) = year_of_sales();
    let r = w
        .graphql(
            &key,
            "mutation($r: [ClientUpsertInput!]!) { upsertClients(clients: $r) { created } }",
            json!({"r": clients}),
        )
        .await;
    assert_eq!(r["data"]["upsertClients"]["created"], 40, "{r}");
    let r = w
        .graphql(
            &key,
            "mutation($r: [SaleUpsertInput!]!) { upsertSales(sales: $r) { created } }",
            json!({"r": sales}),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let ids = w
        .graphql(
            &key,
            "{ clients(first: 100) { nodes { id externalId } } }",
            json!({}),
        )
        .await;
    let id_of = |ext: &str| {
        ids["data"]["clients"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["externalId"] == ext)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };

    // A steady buyer: still active with a high probability, in English and Russian.
    let steady = format!("/clients/{}", id_of("c0"));
    let (status, body) = w.page(&steady, &session).await;
    assert_eq!(status, 200);
    assert!(
        body.contains("id=\"client-analytics\"") && body.contains("Still active"),
        "{body}"
    );
    // The value, without the hydration markers around it.
    let cell = between(&body, "id=\"score-p-alive\"", "%");
    let p_alive: String = cell
        .rsplit("-->")
        .next()
        .unwrap_or(cell)
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    assert!(p_alive.parse::<u32>().unwrap() >= 70, "{cell}");
    // Forty buyers: the scores are not marked rough.
    assert!(!body.contains("id=\"rough-models\""), "{body}");
    // The client's note says so in words, in the page's language.
    assert!(
        body.contains("id=\"client-note\"") && body.contains("is most likely still buying"),
        "{body}"
    );
    let (_, body) = w.page(&steady, &format!("{session}; crm_lang=ru")).await;
    assert!(
        body.contains("Ещё покупает") && body.contains("Ожидаемый чек"),
        "{body}"
    );
    assert!(
        body.contains("скорее всего, продолжает покупать") && body.contains("Что сделать:"),
        "{body}"
    );

    // A buyer who stopped: the recommended action and its evidence.
    let (_, body) = w
        .page(
            &format!("/clients/{}", id_of("c1")),
            &format!("{session}; crm_lang=ru"),
        )
        .await;
    assert!(
        body.contains("Вернуть: скорее всего ушёл")
            || body.contains("Позвонить: ценный клиент может уйти"),
        "{body}"
    );
    assert!(body.contains("Дней с последней покупки"), "{body}");

    // The start screen: three actions, each naming and linking its client or segment.
    let (_, body) = w.page("/", &session).await;
    let section = between(&body, "id=\"top-actions\"", "</section>");
    assert_eq!(section.matches("class=\"action\"").count(), 3, "{section}");
    assert_eq!(section.matches("Value at stake").count(), 3, "{section}");
    assert!(section.contains("href=\"/clients/"), "{section}");
    // This month's figures, each against the same days of last month.
    let figures = between(&body, "id=\"figures\"", "</section>");
    assert!(
        figures.matches("vs the same days of last month").count() >= 2,
        "sales and new clients at least (revenue when this month has any): {figures}"
    );
    // And the year's revenue with its forecast.
    let trend = between(&body, "id=\"revenue-trend\"", "</section>");
    assert!(
        trend.contains("id=\"home-trend\"") && trend.contains("class=\"line forecast\""),
        "{trend}"
    );

    reports(&w, &session).await;
    few_buyers(&w).await;
}

/// A company with five buyers: its client screen shows the scores, marked rough.
async fn few_buyers(w: &Web) {
    let args = json!({"email": "few@example.com", "password": "long enough", "display_name": "Ф",
                      "company_name": "Маленькая", "base_currency": "RUB"});
    let (status, cookie, body) = w.call("/api/session/register", "", args).await;
    assert_eq!(status, 200, "{body}");
    let session = cookie.unwrap();
    let (_, _, created) = w
        .call(
            "/api/keys",
            &session,
            json!({"name": "Shop", "scope": "READ_WRITE"}),
        )
        .await;
    let key = parsed(&created)["secret"].as_str().unwrap().to_owned();
    let (clients, sales) = year_of_sales();
    let few = |v: &Value, field: &str| {
        matches!(v[field].as_str(), Some("c0" | "c1" | "c2" | "c3" | "c4"))
    };
    let clients: Vec<Value> = clients
        .into_iter()
        .filter(|c| few(c, "externalId"))
        .collect();
    let sales: Vec<Value> = sales
        .into_iter()
        .filter(|s| few(s, "clientExternalId"))
        .collect();
    for (mutation, rows) in [
        (
            "mutation($r: [ClientUpsertInput!]!) { upsertClients(clients: $r) { created } }",
            clients,
        ),
        (
            "mutation($r: [SaleUpsertInput!]!) { upsertSales(sales: $r) { created } }",
            sales,
        ),
    ] {
        let r = w.graphql(&key, mutation, json!({"r": rows})).await;
        assert!(r["errors"].is_null(), "{r}");
    }
    let ids = w
        .graphql(&key, "{ clients(first: 5) { nodes { id } } }", json!({}))
        .await;
    let id = ids["data"]["clients"]["nodes"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, body) = w
        .page(
            &format!("/clients/{id}"),
            &format!("{session}; crm_lang=ru"),
        )
        .await;
    assert_eq!(status, 200);
    assert!(
        body.contains("id=\"rough-models\"") && body.contains("Покупателей пока мало"),
        "{body}"
    );
}

/// The report builder and the three report views, and their downloads with the session cookie.
async fn reports(w: &Web, session: &str) {
    let today = Utc::now().date_naive();
    let from = today - Days::new(364);
    let ru = format!("{session}; crm_lang=ru");

    // Nothing chosen: the builder explains what to do.
    let (status, body) = w.page("/reports/new", session).await;
    assert_eq!(status, 200);
    assert!(
        body.contains("id=\"report-builder\"") && body.contains("id=\"report-empty\""),
        "{body}"
    );

    // Sales trends: the chart with the forecast bands, the series table, the summary slot.
    let trends = format!(
        "/reports/new?kind=trends&from={from}&to={today}&granularity=month&status=&currency=&horizon=3"
    );
    let (status, body) = w.page(&trends, session).await;
    assert_eq!(status, 200, "{body}");
    let chart = between(&body, "id=\"chart-trend\"", "</figure>");
    assert!(
        chart.contains("<svg")
            && chart.contains("class=\"band95\"")
            && chart.contains("class=\"line forecast\""),
        "{chart}"
    );
    assert!(
        chart.contains("<title>"),
        "points carry their tooltip: {chart}"
    );
    assert!(
        body.contains("id=\"table-series\"") && body.contains("id=\"report-summary\""),
        "{body}"
    );
    let (_, body) = w.page(&trends, &ru).await;
    assert!(
        body.contains("Прогноз") && body.contains("Интервал 95"),
        "{body}"
    );

    // The general report: key figures, periods as bars and a table, the cohort heat-map.
    let general = format!(
        "/reports/new?kind=general&from={from}&to={today}&granularity=month&status=&currency=&horizon="
    );
    let (_, body) = w.page(&general, &ru).await;
    for id in [
        "key-figures",
        "chart-periods",
        "chart-buyers",
        "table-periods",
        "table-top-clients",
        "table-cohorts",
    ] {
        assert!(body.contains(&format!("id=\"{id}\"")), "{id}: {body}");
    }
    assert!(
        body.contains("Выручка") && body.contains("Клиент "),
        "{body}"
    );

    // Recommendations: actions with their evidence, the at-risk and likely-to-buy tables.
    let recommendations = format!(
        "/reports/new?kind=recommendations&from={from}&to={today}&granularity=&status=&currency=&horizon="
    );
    let (_, body) = w.page(&recommendations, session).await;
    for id in [
        "report-actions",
        "table-at-risk",
        "table-likely",
        "chart-segments",
    ] {
        assert!(body.contains(&format!("id=\"{id}\"")), "{id}: {body}");
    }

    // A client search narrows the report to the clients it finds, and the page names them;
    // a search that finds nobody, or an amount without a currency, is an error that says so.
    let (_, body) = w
        .page(
            &format!("{general}&client=%D0%9A%D0%BB%D0%B8%D0%B5%D0%BD%D1%82%2001"),
            &ru,
        )
        .await;
    let named = between(&body, "id=\"report-clients\"", "</p>");
    assert!(
        named.contains("Клиент 01") && !named.contains("Клиент 02"),
        "{named}"
    );
    // The downloads are the job's own exports: the report as computed, clients included.
    let csv = between(&body, "id=\"export-csv\" href=\"", "\"").replace("&#38;", "&");
    assert!(
        csv.starts_with("/reports/jobs/") && csv.ends_with("/export?format=csv&lang=ru"),
        "the export is the job's: {csv}"
    );
    let (status, export) = w.page(&csv, &ru).await;
    assert_eq!(status, 200, "{csv}: {export}");
    let (_, body) = w
        .page(&format!("{general}&client=nobody-at-all"), session)
        .await;
    assert!(
        body.contains("class=\"error\"") && body.contains("no client matches"),
        "{body}"
    );
    let (_, body) = w.page(&format!("{general}&min=100"), session).await;
    assert!(body.contains("choose a currency"), "{body}");
    let (_, body) = w
        .page(&format!("{general}&currency=RUB&min=100&max=10"), session)
        .await;
    assert!(body.contains("below the smallest"), "{body}");
    let (_, body) = w
        .page(&format!("{general}&currency=RUB&min=1000000000"), session)
        .await;
    assert!(
        body.contains("id=\"report-no-sales\""),
        "no sale is that large: {body}"
    );

    // A period without sales says so instead of drawing empty charts.
    let (_, body) = w
        .page("/reports/new?kind=general&from=2001-01-01&to=2001-01-31&granularity=&status=&currency=&horizon=", session)
        .await;
    assert!(body.contains("id=\"report-no-sales\""), "{body}");
    // A bad parameter is an error on the page, not a crash.
    let (_, body) = w
        .page("/reports/new?kind=general&from=2026-02-01&to=2026-01-01&granularity=&status=&currency=&horizon=", session)
        .await;
    assert!(body.contains("class=\"error\""), "{body}");

    // The download links work with the session cookie alone, in the page's language.
    let (_, body) = w.page(&general, &ru).await;
    let csv = between(&body, "id=\"export-csv\" href=\"", "\"").replace("&#38;", "&");
    assert!(
        csv.starts_with("/reports/jobs/") && csv.contains("lang=ru"),
        "{csv}"
    );
    let request = axum::http::Request::get(&csv)
        .header(axum::http::header::COOKIE, session)
        .body(axum::body::Body::empty())
        .unwrap();
    let (status, _, file) = w.send(request).await;
    assert_eq!(status, 200, "{file}");
    assert!(
        file.starts_with('\u{feff}') && file.contains("Выручка"),
        "{file}"
    );
    let request = axum::http::Request::get(&csv)
        .body(axum::body::Body::empty())
        .unwrap();
    assert_eq!(w.send(request).await.0, 401, "no session, no file");
    saved_and_shared(w, session, &from.to_string(), &today.to_string()).await;
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("no {start} in {text}"))
        + start.len();
    let len = text[from..].find(end).unwrap();
    text[from..from + len].trim()
}

/// Save a report, find it in the list, open its snapshot and download it, share it through a
/// read-only link that works without a session, revoke the link, delete the report.
async fn saved_and_shared(w: &Web, session: &str, from: &str, to: &str) {
    let get = |path: String, cookie: Option<&str>| {
        let mut request = axum::http::Request::get(path);
        if let Some(c) = cookie {
            request = request.header(axum::http::header::COOKIE, c);
        }
        request.body(axum::body::Body::empty()).unwrap()
    };
    let query = json!({"kind": "general", "from": from, "to": to, "granularity": "month",
                       "status": "", "currency": "", "horizon": ""});
    let (status, _, answer) = w
        .call(
            "/api/reports/save",
            session,
            json!({"query": query, "name": "  "}),
        )
        .await;
    assert_eq!(status, 400, "a blank name is refused: {answer}");
    let (status, _, answer) = w
        .call(
            "/api/reports/save",
            session,
            json!({"query": query, "name": "Год продаж"}),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    let id = parsed(&answer).as_str().unwrap().to_owned();

    let (_, body) = w.page("/reports", session).await;
    assert!(
        body.contains("id=\"saved-table\"") && body.contains("Год продаж"),
        "{body}"
    );
    let table = between(&body, "id=\"saved-table\"", "</table>");
    assert!(table.contains("Анна"), "the author's name: {table}");
    let (status, body) = w
        .page(
            &format!("/reports/saved/{id}"),
            &format!("{session}; crm_lang=ru"),
        )
        .await;
    assert_eq!(status, 200);
    assert!(
        body.contains("id=\"chart-periods\"") && body.contains("id=\"sharing\""),
        "{body}"
    );
    assert!(
        body.contains(&format!(
            "/reports/saved/{id}/export?format=pdf&#38;lang=ru"
        )),
        "{body}"
    );
    let (status, _, pdf) = w
        .send(get(
            format!("/reports/saved/{id}/export?format=pdf&lang=ru"),
            Some(session),
        ))
        .await;
    assert_eq!(status, 200);
    assert!(pdf.starts_with("%PDF"), "a PDF");

    // A read-only link: the snapshot for anyone holding it, nothing else of the company.
    let (status, _, answer) = w
        .call(
            "/api/reports/saved/link",
            session,
            json!({"id": id, "days": 7}),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    let token = parsed(&answer).as_str().unwrap().to_owned();
    let (status, _, body) = w.send(get(format!("/shared/{token}"), None)).await;
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains("id=\"shared-name\"") && body.contains("Год продаж"),
        "{body}"
    );
    assert!(
        !body.contains("aria-label=\"main\""),
        "no app navigation on a shared page"
    );
    let (status, _, csv) = w
        .send(get(format!("/shared/{token}/export?format=csv"), None))
        .await;
    assert_eq!(status, 200, "{csv}");

    // Revoked: a clear page and no data.
    let (_, _, detail) = w
        .send(get(
            format!("/api/reports/saved/one?id={id}"),
            Some(session),
        ))
        .await;
    let link = parsed(&detail)["links"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, _, answer) = w
        .call("/api/reports/link/revoke", session, json!({"id": link}))
        .await;
    assert_eq!(status, 200, "{answer}");
    let (status, _, body) = w.send(get(format!("/shared/{token}"), None)).await;
    assert_eq!(status, 404);
    assert!(
        body.contains("id=\"link-gone\"") && !body.contains("Год продаж"),
        "{body}"
    );

    let (status, _, answer) = w
        .call("/api/reports/saved/delete", session, json!({"id": id}))
        .await;
    assert_eq!(status, 200, "{answer}");
    let (_, body) = w.page("/reports", session).await;
    assert!(body.contains("id=\"saved-empty\""), "{body}");
}
