//! Report downloads over HTTP on both backends, read back with the libraries a user's tools
//! stand for: `csv` for CSV, `calamine` for XLSX (and the chart part inside the zip),
//! `pdf-extract` for PDF. Checked:
//! row counts, columns, Russian headings, figures equal to the GraphQL result, typed cells,
//! formula neutralisation, and the same authorization as GraphQL.

use std::io::Cursor;

use axum::body::Body;
use axum::http::{Request, header};
use calamine::{Data, Reader, Xlsx};
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::harness::{Server, TestDb, UPSERT_CLIENTS, UPSERT_SALES};
use crate::on_both_backends;

on_both_backends!(
    exports_hold_the_reports_figures,
    exports_follow_the_same_rights_as_graphql
);

struct Download {
    status: u16,
    content_type: String,
    disposition: String,
    body: Vec<u8>,
}

async fn get(s: &Server, path: &str, token: Option<&str>) -> Download {
    get_on(&s.router, path, token).await
}

pub async fn get_status(s: &Server, path: &str, token: Option<&str>) -> u16 {
    get(s, path, token).await.status
}

/// The body of a download that must succeed.
pub async fn get_body(s: &Server, path: &str, token: Option<&str>) -> Vec<u8> {
    let d = get(s, path, token).await;
    assert_eq!(d.status, 200, "{path}");
    d.body
}

/// Another application's router on the same database (a second server process's worth).
pub struct RouterOnly(pub axum::Router);

impl RouterOnly {
    pub async fn get_status(&self, path: &str, token: Option<&str>) -> u16 {
        get_on(&self.0, path, token).await.status
    }

    pub async fn graphql(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let mut req = Request::post("/graphql").header(header::CONTENT_TYPE, "application/json");
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let body = serde_json::to_vec(&json!({ "query": query, "variables": variables })).unwrap();
        let response = self
            .0
            .clone()
            .oneshot(req.body(Body::from(body)).unwrap())
            .await
            .unwrap();
        serde_json::from_slice(
            &axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .unwrap(),
        )
        .unwrap()
    }
}

async fn get_on(router: &axum::Router, path: &str, token: Option<&str>) -> Download {
    let mut req = Request::get(path);
    if let Some(t) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    let response = router
        .clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let header_text = |name| {
        response
            .headers()
            .get(name)
            .map(|v: &axum::http::HeaderValue| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    let (status, content_type, disposition) = (
        response.status().as_u16(),
        header_text(header::CONTENT_TYPE),
        header_text(header::CONTENT_DISPOSITION),
    );
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap()
        .to_vec();
    Download {
        status,
        content_type,
        disposition,
        body,
    }
}

async fn setup(s: &Server, token: &str) {
    let clients = json!([
        { "externalId": "c0", "name": "Иван Петров" },
        { "externalId": "c1", "name": "=HYPERLINK(\"http://evil\")" },
        { "externalId": "c2", "name": "+7 (900) 000-00-00" },
    ]);
    s.data(Some(token), UPSERT_CLIENTS, json!({ "rows": clients }))
        .await;
    let mut sales = Vec::new();
    // Weekly purchases through 2025 for every client, and a few in other months' edges.
    for week in 0..52i64 {
        for (c, amount) in [("c0", 1_000_00), ("c1", 2_500_50), ("c2", 700_00)] {
            let date = chrono::NaiveDate::from_ymd_opt(2025, 1, 3).unwrap()
                + chrono::Days::new(u64::try_from(week * 7).unwrap());
            sales.push(json!({ "externalId": format!("{c}-{week}"), "clientExternalId": c, "amountMinor": amount + week,
                               "currency": "RUB", "soldAt": format!("{date}T09:00:00Z") }));
        }
    }
    let r = s
        .data(Some(token), UPSERT_SALES, json!({ "rows": sales }))
        .await;
    assert_eq!(r["upsertSales"]["rejected"], 0, "{r}");
}

const PERIODS: &str =
    "query($i: ReportInput!) { report(input: $i) { body { ... on GeneralSalesReport {
    periods { start figures { salesCount buyers revenueInBase { amountMinor amount } } }
    topClients { client { name } revenueInBase { amount } } } } } }";

async fn exports_hold_the_reports_figures(db: TestDb) {
    let s = Server::start(db).await;
    let (a, _) = s.register("a@example.com", "A").await;
    setup(&s, &a).await;
    let gql = s
        .data(
            Some(&a),
            PERIODS,
            json!({ "i": { "kind": "GENERAL", "from": "2025-01-01", "to": "2025-12-31" } }),
        )
        .await;
    let periods = gql["report"]["body"]["periods"].as_array().unwrap().clone();
    assert_eq!(periods.len(), 12);

    // CSV in Russian: BOM, `;` between fields, decimal comma, Russian headings, one row per month.
    let d = get(
        &s,
        "/reports/export?kind=general&from=2025-01-01&to=2025-12-31&format=csv&lang=ru",
        Some(&a),
    )
    .await;
    assert_eq!(d.status, 200, "{}", String::from_utf8_lossy(&d.body));
    assert_eq!(d.content_type, "text/csv; charset=utf-8");
    assert_eq!(
        d.disposition,
        "attachment; filename=\"report-general-2025-01-01-2025-12-31.csv\""
    );
    assert!(d.body.starts_with(b"\xEF\xBB\xBF"), "UTF-8 byte-order mark");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(&d.body[3..]);
    let headings: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        headings,
        [
            "Период",
            "Продажи",
            "Выручка",
            "Покупатели",
            "Новые покупатели",
            "Повторные покупатели",
            "Средний чек"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), periods.len());
    for (row, p) in rows.iter().zip(&periods) {
        assert_eq!(&row[0], p["start"].as_str().unwrap());
        assert_eq!(
            row[1].parse::<i64>().unwrap(),
            p["figures"]["salesCount"].as_i64().unwrap()
        );
        assert_eq!(
            row[2],
            p["figures"]["revenueInBase"]["amount"]
                .as_str()
                .unwrap()
                .replace('.', ",")
        );
        assert_eq!(
            row[3].parse::<i64>().unwrap(),
            p["figures"]["buyers"].as_i64().unwrap()
        );
    }

    // The same in English: `,` and `.`.
    let d = get(
        &s,
        "/reports/export?kind=general&from=2025-01-01&to=2025-12-31",
        Some(&a),
    )
    .await;
    let mut reader = csv::Reader::from_reader(&d.body[3..]);
    assert_eq!(&reader.headers().unwrap()[2], "Revenue");
    let first = reader.records().next().unwrap().unwrap();
    assert_eq!(
        &first[2],
        periods[0]["figures"]["revenueInBase"]["amount"]
            .as_str()
            .unwrap()
    );

    // XLSX: a summary sheet, then typed sheets; the Periods sheet has a native chart.
    let d = get(
        &s,
        "/reports/export?kind=general&from=2025-01-01&to=2025-12-31&format=xlsx&lang=ru",
        Some(&a),
    )
    .await;
    assert_eq!(d.status, 200);
    assert_eq!(
        d.content_type,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(d.body.clone())).unwrap();
    let names = book.sheet_names();
    assert_eq!(
        names,
        [
            "Сводка",
            "Периоды",
            "Лучшие клиенты",
            "По статусам",
            "По валютам",
            "Сегменты",
            "Когорты"
        ]
    );
    let sheet = book.worksheet_range("Периоды").unwrap();
    let rows: Vec<&[Data]> = sheet.rows().collect();
    assert_eq!(rows.len(), 1 + periods.len());
    assert_eq!(rows[0][2], Data::String("Выручка".into()));
    for (row, p) in rows[1..].iter().zip(&periods) {
        assert!(
            matches!(row[0], Data::DateTime(_)),
            "dates are date cells: {:?}",
            row[0]
        );
        assert_eq!(
            row[1],
            Data::Float(p["figures"]["salesCount"].as_f64().unwrap())
        );
        let expected: f64 = p["figures"]["revenueInBase"]["amount"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(row[2], Data::Float(expected), "money is a number cell");
    }
    let top = book.worksheet_range("Лучшие клиенты").unwrap();
    let names_in_sheet: Vec<String> = top.rows().skip(1).map(|r| r[0].to_string()).collect();
    assert!(
        names_in_sheet.contains(&"=HYPERLINK(\"http://evil\")".to_owned()),
        "typed as text, unchanged: {names_in_sheet:?}"
    );
    let formulas = book.worksheet_formula("Лучшие клиенты").unwrap();
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "no cell is a formula"
    );
    assert!(
        contains(&d.body, b"xl/charts/chart1.xml"),
        "a native chart part"
    );

    // CSV of the recommendations: typed names that look like formulas are neutralised.
    let d = get(
        &s,
        "/reports/export?kind=recommendations&from=2025-01-01&to=2025-12-31&format=csv",
        Some(&a),
    )
    .await;
    assert_eq!(d.status, 200, "{}", String::from_utf8_lossy(&d.body));
    let text = String::from_utf8(d.body[3..].to_vec()).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        ["Action", "Client", "Segment", "Value at stake", "Evidence"]
    );
    let clients: Vec<String> = reader.records().map(|r| r.unwrap()[1].to_owned()).collect();
    assert!(
        clients.iter().any(|c| c == "'=HYPERLINK(\"http://evil\")"),
        "{clients:?}"
    );
    assert!(
        clients.iter().any(|c| c == "'+7 (900) 000-00-00"),
        "{clients:?}"
    );
    assert!(
        clients.iter().all(|c| !c.starts_with(['=', '+', '-', '@'])),
        "{clients:?}"
    );

    // PDF in Russian: the embedded font carries Cyrillic; every month and its revenue is there,
    // and the pages are numbered.
    let d = get(
        &s,
        "/reports/export?kind=general&from=2025-01-01&to=2025-12-31&format=pdf&lang=ru",
        Some(&a),
    )
    .await;
    assert_eq!(d.status, 200, "{}", String::from_utf8_lossy(&d.body));
    assert_eq!(d.content_type, "application/pdf");
    assert!(d.body.starts_with(b"%PDF-"));
    // Kept for a person to look at, beside the browser tests' screenshots.
    let artifacts = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../test-artifacts");
    if std::fs::create_dir_all(&artifacts).is_ok() {
        let _ = std::fs::write(artifacts.join("report-general-ru.pdf"), &d.body);
    }
    let text = pdf_extract::extract_text_from_mem(&d.body).unwrap();
    for expected in [
        "Общий отчёт о продажах",
        "Периоды",
        "Период",
        "Выручка",
        "Лучшие клиенты",
        "Иван Петров",
        "Страница 1 из",
        "Новые и повторные покупатели",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from the PDF text:\n{text}"
        );
    }
    // The charts are the web UI's SVG, text and all (placed glyph by glyph, so the extracted
    // text is spaced out): period labels, value ticks, the legend.
    let packed: String = text.split_whitespace().collect();
    for expected in ["янв2025", "ноя2025", "0RUB", "Выручка", "новыеповторные"]
    {
        assert!(
            packed.contains(expected),
            "{expected:?} missing from the PDF's charts:\n{text}"
        );
    }
    for p in &periods {
        assert!(
            text.contains(p["start"].as_str().unwrap()),
            "{} missing",
            p["start"]
        );
        let revenue = p["figures"]["revenueInBase"]["amount"]
            .as_str()
            .unwrap()
            .replace('.', ",");
        assert!(
            text.contains(&revenue),
            "{revenue} missing from the PDF text"
        );
    }

    // Trends in XLSX: actual and forecast rows, and the forecast sheet.
    let d = get(
        &s,
        "/reports/export?kind=trends&from=2025-01-01&to=2025-12-31&format=xlsx&horizon=2",
        Some(&a),
    )
    .await;
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(d.body)).unwrap();
    let sheet = book.worksheet_range("Revenue").unwrap();
    assert_eq!(sheet.rows().count(), 1 + 12 + 2);
    assert_eq!(book.sheet_names(), ["Summary", "Revenue", "Forecast"]);
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

async fn exports_follow_the_same_rights_as_graphql(db: TestDb) {
    let s = Server::start(db).await;
    let (a, _) = s.register("a@example.com", "A").await;
    let (b, _) = s.register("b@example.com", "B").await;
    setup(&s, &a).await;
    let live = "/reports/export?kind=general&from=2025-01-01&to=2025-12-31";

    assert_eq!(get(&s, live, None).await.status, 401);
    let key = s.api_key(&a, "READ").await;
    assert_eq!(
        get(&s, live, Some(&key)).await.status,
        200,
        "a read-only key may export"
    );
    for bad in [
        "&format=docx",
        "&lang=de",
        "&granularity=year",
        "&horizon=x",
        "&statuses=cancelled",
    ] {
        let d = get(&s, &format!("{live}{bad}"), Some(&a)).await;
        assert_eq!(d.status, 400, "{bad}");
        let body: Value = serde_json::from_slice(&d.body).unwrap();
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
            "{bad}"
        );
    }
    assert_eq!(
        get(&s, "/reports/export?kind=general&from=2025-01-01", Some(&a))
            .await
            .status,
        400
    );

    // Company B's export of the same range holds none of A's sales.
    let d = get(&s, live, Some(&b)).await;
    let mut reader = csv::Reader::from_reader(&d.body[3..]);
    let sales: i64 = reader
        .records()
        .map(|r| r.unwrap()[1].parse::<i64>().unwrap())
        .sum();
    assert_eq!(sales, 0);

    // A saved report exports its snapshot, for those who may see it.
    let id = s
        .data(
            Some(&a),
            "mutation($i: ReportInput!) { saveReport(name: \"Year\", input: $i) { id } }",
            json!({ "i": { "kind": "GENERAL", "from": "2025-01-01", "to": "2025-12-31" } }),
        )
        .await["saveReport"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/reports/saved/{id}/export?format=xlsx");
    assert_eq!(get(&s, &path, Some(&a)).await.status, 200);
    assert_eq!(get(&s, &path, Some(&b)).await.status, 404);
    assert_eq!(get(&s, &path, None).await.status, 401);
    assert_eq!(
        get(&s, "/reports/saved/nope/export", Some(&a)).await.status,
        404
    );

    // A share link's export works without signing in, until the link is revoked.
    let created = s
        .data(
            Some(&a),
            "mutation($id: ID!) { createReportLink(savedReportId: $id) { token link { id } } }",
            json!({ "id": id }),
        )
        .await["createReportLink"]
        .clone();
    let shared = format!(
        "/shared/{}/export?lang=ru",
        created["token"].as_str().unwrap()
    );
    let d = get(&s, &shared, None).await;
    assert_eq!(d.status, 200);
    assert!(
        String::from_utf8(d.body)
            .unwrap()
            .contains("Период;Продажи;Выручка")
    );
    s.data(
        Some(&a),
        "mutation($id: ID!) { revokeReportLink(id: $id) { live } }",
        json!({ "id": created["link"]["id"] }),
    )
    .await;
    assert_eq!(get(&s, &shared, None).await.status, 404);
    assert_eq!(
        get(&s, "/shared/crm_share_nothing/export", None)
            .await
            .status,
        404
    );
}
