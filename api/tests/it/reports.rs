//! Reports over GraphQL on both backends: figures cut in the company's time zone, currencies
//! converted with the company's rates (or flagged as missing), the forecast and the customer
//! models on real data, bad input, roles and tenant isolation.

use serde_json::{Value, json};

use crate::harness::{Server, TestDb, UPSERT_CLIENTS, UPSERT_SALES, minor};
use crate::on_both_backends;

on_both_backends!(
    general_report_cuts_months_in_the_company_time_zone,
    currencies_convert_with_the_companys_rates,
    trends_report_forecasts_a_seasonal_series,
    recommendations_report_fits_the_customer_models,
    bad_report_parameters_are_refused_with_the_field,
    reports_and_rates_stay_inside_the_company,
);

const GENERAL: &str = "query($i: ReportInput!) { report(input: $i) {
  timeZone baseCurrency summary { en ru } missingRates { currency on }
  body { ... on GeneralSalesReport {
    totals { salesCount buyers newBuyers returningBuyers revenue { amountMinor currency }
             revenueInBase { amountMinor } averageOrderValue { amountMinor } }
    previousFrom previousTo
    previous { salesCount buyers revenueInBase { amountMinor } }
    change { revenuePercent salesCountPercent }
    periods { start partial figures { salesCount revenueInBase { amountMinor } } }
    topClients { client { id name } salesCount revenueInBase { amountMinor } }
    byStatus { status salesCount counted amounts { amountMinor currency } }
    byCurrency { currency salesCount revenue { amountMinor } revenueInBase { amountMinor } sharePercent }
    segments { segment clients }
    cohorts { month clients retention }
  } } } }";

pub(crate) async fn load(s: &Server, token: &str, clients: Value, sales: Value) {
    let r = s
        .data(Some(token), UPSERT_CLIENTS, json!({ "rows": clients }))
        .await;
    assert_eq!(r["upsertClients"]["rejected"], 0, "{r}");
    let r = s
        .data(Some(token), UPSERT_SALES, json!({ "rows": sales }))
        .await;
    assert_eq!(r["upsertSales"]["rejected"], 0, "{r}");
}

pub(crate) fn sale(
    id: &str,
    client: &str,
    amount: i64,
    currency: &str,
    at: &str,
    status: &str,
) -> Value {
    json!({ "externalId": id, "clientExternalId": client, "amountMinor": amount, "currency": currency,
            "soldAt": at, "status": status })
}

fn input(kind: &str, from: &str, to: &str, granularity: &str) -> Value {
    json!({ "i": { "kind": kind, "from": from, "to": to, "granularity": granularity } })
}

pub(crate) fn named_clients(names: &[&str]) -> Value {
    Value::Array(
        names
            .iter()
            .map(|n| json!({ "externalId": n, "name": format!("Client {n}") }))
            .collect(),
    )
}

async fn general_report_cuts_months_in_the_company_time_zone(db: TestDb) {
    let s = Server::start(db).await;
    let (a, _) = s.register("a@example.com", "A").await;
    load(
        &s,
        &a,
        named_clients(&["c0", "c1", "c2"]),
        json!([
            // 01:30 in Moscow on 1 March: March there, 28 February in UTC.
            sale(
                "s1",
                "c0",
                100_00,
                "RUB",
                "2026-02-28T22:30:00Z",
                "COMPLETED"
            ),
            sale(
                "s2",
                "c0",
                50_00,
                "RUB",
                "2026-03-15T10:00:00Z",
                "COMPLETED"
            ),
            sale(
                "s3",
                "c1",
                200_00,
                "RUB",
                "2026-02-10T10:00:00Z",
                "COMPLETED"
            ),
            sale(
                "s4",
                "c1",
                999_00,
                "RUB",
                "2026-03-20T10:00:00Z",
                "CANCELLED"
            ),
            sale("s5", "c2", 30_00, "RUB", "2026-03-21T10:00:00Z", "PENDING"),
            sale(
                "s6",
                "c2",
                70_00,
                "RUB",
                "2026-03-31T20:59:59Z",
                "COMPLETED"
            ),
            // 00:00 on 1 April in Moscow: outside March.
            sale("s7", "c2", 1_00, "RUB", "2026-03-31T21:00:00Z", "COMPLETED"),
        ]),
    )
    .await;

    let r = s
        .data(
            Some(&a),
            GENERAL,
            input("GENERAL", "2026-03-01", "2026-03-31", "MONTH"),
        )
        .await["report"]
        .clone();
    assert_eq!(r["timeZone"], "Europe/Moscow");
    assert_eq!(r["missingRates"], json!([]));
    let g = &r["body"];
    let t = &g["totals"];
    assert_eq!(
        t["salesCount"], 3,
        "s1, s2, s6: cancelled and pending do not count; s7 is April"
    );
    assert_eq!(minor(&t["revenueInBase"]["amountMinor"]), 220_00);
    assert_eq!(
        t["revenue"],
        json!([{ "amountMinor": "22000", "currency": "RUB" }])
    );
    assert_eq!(
        (
            t["buyers"].clone(),
            t["newBuyers"].clone(),
            t["returningBuyers"].clone()
        ),
        (json!(2), json!(2), json!(0))
    );
    assert_eq!(
        minor(&t["averageOrderValue"]["amountMinor"]),
        7333,
        "220.00 / 3, rounded"
    );
    // The previous 31 days: 29 January to 28 February (Moscow), which holds s3 only.
    assert_eq!(
        (g["previousFrom"].clone(), g["previousTo"].clone()),
        (json!("2026-01-29"), json!("2026-02-28"))
    );
    assert_eq!(g["previous"]["salesCount"], 1);
    assert_eq!(
        minor(&g["previous"]["revenueInBase"]["amountMinor"]),
        200_00
    );
    assert!((g["change"]["revenuePercent"].as_f64().unwrap() - 10.0).abs() < 1e-9);
    assert_eq!(g["periods"].as_array().unwrap().len(), 1);
    assert_eq!(g["topClients"][0]["client"]["name"], "Client c0");
    assert_eq!(
        minor(&g["topClients"][0]["revenueInBase"]["amountMinor"]),
        150_00
    );
    let statuses: Vec<(String, i64, bool)> = g["byStatus"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["status"].as_str().unwrap().to_owned(),
                b["salesCount"].as_i64().unwrap(),
                b["counted"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        statuses,
        vec![
            ("COMPLETED".into(), 3, true),
            ("PENDING".into(), 1, false),
            ("CANCELLED".into(), 1, false)
        ]
    );
    assert_eq!(g["cohorts"][0]["month"], "2026-03-01");
    assert_eq!(
        g["cohorts"][0]["clients"], 2,
        "c0 and c2 first bought in March; c1 in February"
    );
    let summary = &r["summary"];
    assert!(
        summary["en"]
            .as_str()
            .unwrap()
            .contains("revenue 220.00\u{a0}RUB from 3 sales"),
        "{summary}"
    );
    assert!(
        summary["ru"]
            .as_str()
            .unwrap()
            .contains("выручка 220,00\u{a0}₽, 3 продажи"),
        "{summary}"
    );

    // Days: the 01:30 sale is on 1 March; the last one on 31 March.
    let r = s
        .data(
            Some(&a),
            GENERAL,
            input("GENERAL", "2026-03-01", "2026-03-31", "DAY"),
        )
        .await["report"]
        .clone();
    let days = r["body"]["periods"].as_array().unwrap();
    assert_eq!(days.len(), 31);
    assert_eq!(
        minor(&days[0]["figures"]["revenueInBase"]["amountMinor"]),
        100_00
    );
    assert_eq!(
        minor(&days[30]["figures"]["revenueInBase"]["amountMinor"]),
        70_00
    );

    // The same sales seen from UTC: s1 belongs to February, s7 to March.
    s.data(
        Some(&a),
        "mutation { setCompanyTimeZone(timeZone: \"UTC\") { timeZone } }",
        json!({}),
    )
    .await;
    let r = s
        .data(
            Some(&a),
            GENERAL,
            input("GENERAL", "2026-03-01", "2026-03-31", "MONTH"),
        )
        .await["report"]
        .clone();
    assert_eq!(r["timeZone"], "UTC");
    assert_eq!(
        minor(&r["body"]["totals"]["revenueInBase"]["amountMinor"]),
        121_00,
        "s2 + s6 + s7"
    );
    let code = s
        .error_code(
            Some(&a),
            "mutation { setCompanyTimeZone(timeZone: \"Mars/Olympus\") { timeZone } }",
            json!({}),
        )
        .await;
    assert_eq!(code, "BAD_USER_INPUT");
}

async fn currencies_convert_with_the_companys_rates(db: TestDb) {
    let s = Server::start(db).await;
    let (a, _) = s.register("a@example.com", "A").await;
    load(
        &s,
        &a,
        named_clients(&["c0", "c1"]),
        json!([
            sale(
                "s1",
                "c0",
                100_00,
                "RUB",
                "2026-03-10T10:00:00Z",
                "COMPLETED"
            ),
            sale(
                "s2",
                "c1",
                10_00,
                "USD",
                "2026-03-11T10:00:00Z",
                "COMPLETED"
            ),
        ]),
    )
    .await;
    let query = input("GENERAL", "2026-03-01", "2026-03-31", "MONTH");

    // No rate: the base-currency total is empty, never a sum of roubles and dollars.
    let r = s.data(Some(&a), GENERAL, query.clone()).await["report"].clone();
    assert_eq!(
        r["missingRates"],
        json!([{ "currency": "USD", "on": "2026-03-01" }])
    );
    let t = &r["body"]["totals"];
    assert_eq!(t["revenueInBase"], Value::Null);
    assert_eq!(t["averageOrderValue"], Value::Null);
    assert_eq!(
        t["revenue"],
        json!([{ "amountMinor": "10000", "currency": "RUB" }, { "amountMinor": "1000", "currency": "USD" }])
    );
    assert!(
        r["summary"]["en"]
            .as_str()
            .unwrap()
            .contains("exchange rate is missing")
    );

    // A rate from February applies in March; one dated later does not.
    let set = "mutation($c: String!, $d: NaiveDate!, $r: String!) { setExchangeRate(currency: $c, validOn: $d, rate: $r) { id rate validOn } }";
    s.data(
        Some(&a),
        set,
        json!({ "c": "USD", "d": "2026-02-01", "r": "90" }),
    )
    .await;
    let later = s
        .data(
            Some(&a),
            set,
            json!({ "c": "usd", "d": "2026-04-01", "r": "95.5" }),
        )
        .await;
    assert_eq!(later["setExchangeRate"]["rate"], "95.5");
    let r = s.data(Some(&a), GENERAL, query.clone()).await["report"].clone();
    assert_eq!(r["missingRates"], json!([]));
    let t = &r["body"]["totals"];
    assert_eq!(minor(&t["revenueInBase"]["amountMinor"]), 100_00 + 900_00);
    assert_eq!(minor(&t["averageOrderValue"]["amountMinor"]), 500_00);
    let usd = r["body"]["byCurrency"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["currency"] == "USD")
        .unwrap()
        .clone();
    assert_eq!(minor(&usd["revenueInBase"]["amountMinor"]), 900_00);
    assert!((usd["sharePercent"].as_f64().unwrap() - 90.0).abs() < 1e-9);
    assert_eq!(r["body"]["topClients"][0]["client"]["name"], "Client c1");

    let rates = s
        .data(
            Some(&a),
            "{ exchangeRates { currency validOn rate } }",
            json!({}),
        )
        .await;
    assert_eq!(rates["exchangeRates"].as_array().unwrap().len(), 2);
    for (c, d, r) in [
        ("RUB", "2026-01-01", "1"),
        ("USD", "2026-01-01", "0"),
        ("USD", "2026-01-01", "1e2"),
        ("XYZ", "2026-01-01", "1"),
    ] {
        let code = s
            .error_code(Some(&a), set, json!({ "c": c, "d": d, "r": r }))
            .await;
        assert_eq!(code, "BAD_USER_INPUT", "{c} {r}");
    }
}

async fn trends_report_forecasts_a_seasonal_series(db: TestDb) {
    let s = Server::start(db).await;
    let (a, _) = s.register("a@example.com", "A").await;
    // 36 months, one sale a month, with a yearly season and a trend.
    let sales: Vec<Value> = (0..36)
        .map(|i: i64| {
            let season =
                [0, 10, 30, 50, 60, 50, 30, 10, 0, -20, -30, -20][usize::try_from(i % 12).unwrap()];
            let amount = (1000 + 10 * i + season) * 100;
            let (year, month) = (2023 + i / 12, 1 + i % 12);
            sale(
                &format!("s{i}"),
                "c0",
                amount,
                "RUB",
                &format!("{year}-{month:02}-15T10:00:00Z"),
                "COMPLETED",
            )
        })
        .collect();
    load(&s, &a, named_clients(&["c0"]), Value::Array(sales)).await;
    let query = "query($i: ReportInput!) { report(input: $i) { summary { en ru } body { ... on SalesTrendsReport {
        series { start partial revenueInBase { amountMinor } growthPercent growthOnSeasonPercent }
        forecast { method model points { start value { amountMinor } lower80 { amountMinor } upper80 { amountMinor }
                   lower95 { amountMinor } upper95 { amountMinor } }
                   accuracy { mase baselineMase coverage80 coverage95 origins periodsHeldOut } notes { kind detail } }
        seasonLength seasonalStrength } } } }";
    let mut vars = input("TRENDS", "2023-01-01", "2025-12-31", "MONTH");
    vars["i"]["horizon"] = json!(6);
    let r = s.data(Some(&a), query, vars).await["report"].clone();
    let t = &r["body"];
    assert_eq!(t["series"].as_array().unwrap().len(), 36);
    assert_eq!(t["seasonLength"], 12);
    assert!(t["seasonalStrength"].as_f64().unwrap() > 0.5, "{t}");
    let points = t["forecast"]["points"].as_array().unwrap();
    assert_eq!(points.len(), 6);
    assert_eq!(points[0]["start"], "2026-01-01");
    assert_eq!(points[5]["start"], "2026-06-01");
    for (h, p) in points.iter().enumerate() {
        // The truth continues the pattern: (1000 + 10·(36+h) + season) roubles.
        let season = [0, 10, 30, 50, 60, 50][h];
        let truth = (1000 + 10 * (36 + i64::try_from(h).unwrap()) + season) * 100;
        let value = minor(&p["value"]["amountMinor"]);
        assert!(
            (value - truth).abs() < 40_00,
            "month {h}: {value} vs {truth} ({})",
            t["forecast"]
        );
        let m = |k: &str| minor(&p[k]["amountMinor"]);
        assert!(
            m("lower95") <= m("lower80")
                && m("lower80") <= value
                && value <= m("upper80")
                && m("upper80") <= m("upper95")
        );
    }
    let accuracy = &t["forecast"]["accuracy"];
    assert!(
        accuracy["mase"].as_f64().unwrap() < accuracy["baselineMase"].as_f64().unwrap() + 1e-9,
        "{accuracy}"
    );
    // 36 months, 6 held out, origins 3 months apart while two full years remain to train on.
    assert_eq!(accuracy["origins"], 3);
    assert!(t["series"][12]["growthOnSeasonPercent"].is_number());
    assert!(
        r["summary"]["ru"]
            .as_str()
            .unwrap()
            .contains("Прогноз на 6 месяцев вперёд"),
        "{}",
        r["summary"]["ru"]
    );
    assert!(
        r["summary"]["en"]
            .as_str()
            .unwrap()
            .contains("Forecast for the next 6 months"),
        "{}",
        r["summary"]["en"]
    );
    // Months before the first sale are not history: a range that starts two years earlier
    // forecasts exactly as the range that starts at the first sale.
    let mut vars = input("TRENDS", "2021-01-01", "2025-12-31", "MONTH");
    vars["i"]["horizon"] = json!(6);
    let longer = s.data(Some(&a), query, vars).await["report"].clone();
    assert_eq!(longer["body"]["series"].as_array().unwrap().len(), 60);
    assert_eq!(longer["body"]["forecast"], t["forecast"]);

    // One year only: no seasonal model, and the report says why.
    let r = s
        .data(
            Some(&a),
            query,
            input("TRENDS", "2025-01-01", "2025-12-31", "MONTH"),
        )
        .await["report"]
        .clone();
    let notes: Vec<&str> = r["body"]["forecast"]["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"].as_str().unwrap())
        .collect();
    assert!(notes.contains(&"SHORT_FOR_SEASON"), "{notes:?}");
    assert!(
        r["summary"]["en"]
            .as_str()
            .unwrap()
            .contains("shorter than two seasons")
    );
    // A range with no sales at all still answers.
    let r = s
        .data(
            Some(&a),
            query,
            input("TRENDS", "2010-01-01", "2010-12-31", "MONTH"),
        )
        .await["report"]
        .clone();
    assert_eq!(
        minor(&r["body"]["forecast"]["points"][0]["value"]["amountMinor"]),
        0
    );
}

async fn recommendations_report_fits_the_customer_models(db: TestDb) {
    let s = Server::start(db).await;
    let (a, _) = s.register("a@example.com", "A").await;
    // 60 clients over 2025: regular buyers who stopped at different times, steady buyers,
    // and one-off buyers. Deterministic.
    let names: Vec<String> = (0..60).map(|i| format!("c{i}")).collect();
    let mut sales = Vec::new();
    for i in 0..60i64 {
        let (gap, count, start) = match i % 4 {
            0 => (14, 26, 1),  // every two weeks all year: active
            1 => (10, 8, 5),   // often, but stopped in spring: at risk or lapsed
            2 => (30, 3, 100), // a few purchases
            _ => (0, 1, 200),  // once
        };
        for k in 0..count {
            let day = start + k * gap + i % 7;
            if day > 364 {
                break;
            }
            let date = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()
                + chrono::Days::new(u64::try_from(day).unwrap());
            sales.push(sale(
                &format!("s{i}-{k}"),
                &format!("c{i}"),
                (500 + 37 * i) * 100,
                "RUB",
                &format!("{date}T12:00:00Z"),
                "COMPLETED",
            ));
        }
    }
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    load(&s, &a, named_clients(&refs), Value::Array(sales)).await;
    let query = "query($i: ReportInput!) { report(input: $i) { summary { en ru } body { ... on SalesRecommendationsReport {
        model { clients repeatBuyers note rough bgNbd { r alpha a b logLikelihood converged } gammaGamma { p q gamma converged clients } }
        segments { segment clients revenueInBase { amountMinor } }
        atRisk { client { id name } pAlive expectedPurchases30Days clv12Months { amountMinor } daysSinceLastPurchase }
        likelyToBuy { client { name } pAlive expectedPurchases30Days expectedOrderValue { amountMinor } }
        actions { kind client { name } segment valueAtStake { amountMinor } evidence { kind value } } } } } }";
    let r = s
        .data(
            Some(&a),
            query,
            input("RECOMMENDATIONS", "2025-01-01", "2025-12-31", "MONTH"),
        )
        .await["report"]
        .clone();
    let body = &r["body"];
    let model = &body["model"];
    assert_eq!(model["clients"], 60);
    assert_eq!(model["repeatBuyers"], 45);
    assert_eq!(model["rough"], false);
    // These regular, made-up buyers leave at the same rate, so the dropout's spread (a, b) may run
    // off to its limit; then the fit says it did not converge, and the note says what that means.
    let bg = &model["bgNbd"];
    assert!(
        bg["r"].as_f64().unwrap() > 0.0 && bg["alpha"].as_f64().unwrap() > 0.0,
        "{model}"
    );
    if !bg["converged"].as_bool().unwrap() {
        assert!(
            model["note"].as_str().unwrap().contains("did not converge"),
            "{model}"
        );
    }
    assert!(model["gammaGamma"]["p"].as_f64().unwrap() > 0.0, "{model}");
    let segment_total: i64 = body["segments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["clients"].as_i64().unwrap())
        .sum();
    assert_eq!(segment_total, 60);
    // The spring quitters are the at-risk ones; the fortnightly buyers are likely to buy.
    let at_risk = body["atRisk"].as_array().unwrap();
    assert!(!at_risk.is_empty());
    for c in at_risk {
        // Only those who stopped buying: never the fortnightly buyers or the one-off ones.
        let n: i64 = c["client"]["name"]
            .as_str()
            .unwrap()
            .trim_start_matches("Client c")
            .parse()
            .unwrap();
        assert!(matches!(n % 4, 1 | 2), "{c}");
        assert!(c["pAlive"].as_f64().unwrap() < 0.5);
    }
    let likely = body["likelyToBuy"].as_array().unwrap();
    assert!(!likely.is_empty());
    for c in likely {
        let n: i64 = c["client"]["name"]
            .as_str()
            .unwrap()
            .trim_start_matches("Client c")
            .parse()
            .unwrap();
        assert_eq!(n % 4, 0, "{c}");
    }
    let actions = body["actions"].as_array().unwrap();
    assert!(
        actions.iter().any(|a| a["kind"] == "OFFER_LIKELY_TO_BUY"),
        "{actions:?}"
    );
    assert!(
        actions
            .iter()
            .all(|a| !a["evidence"].as_array().unwrap().is_empty())
    );
    let stakes: Vec<i64> = actions
        .iter()
        .map(|a| minor(&a["valueAtStake"]["amountMinor"]))
        .collect();
    assert!(
        stakes.windows(2).all(|w| w[0] >= w[1]),
        "ranked by value at stake: {stakes:?}"
    );
    assert!(
        r["summary"]["ru"]
            .as_str()
            .unwrap()
            .starts_with("60 покупателей"),
        "{}",
        r["summary"]["ru"]
    );

    // Before the first sale there is nobody to model: the report says so instead of failing.
    let r = s
        .data(
            Some(&a),
            query,
            input("RECOMMENDATIONS", "2024-12-01", "2024-12-31", "DAY"),
        )
        .await["report"]
        .clone();
    let model = &r["body"]["model"];
    assert_eq!(model["clients"], 0, "{model}");
    assert_eq!(model["bgNbd"], Value::Null, "{model}");
    assert!(
        model["note"].as_str().unwrap().contains("purchase model"),
        "{model}"
    );
}

async fn bad_report_parameters_are_refused_with_the_field(db: TestDb) {
    let s = Server::start(db).await;
    let (a, _) = s.register("a@example.com", "A").await;
    let cases = [
        (
            json!({ "kind": "GENERAL", "from": "2026-03-02", "to": "2026-03-01" }),
            "to",
        ),
        (
            json!({ "kind": "GENERAL", "from": "2020-01-01", "to": "2026-03-01", "granularity": "DAY" }),
            "to",
        ),
        (
            json!({ "kind": "GENERAL", "from": "2026-01-01", "to": "2026-03-01", "filters": { "statuses": ["CANCELLED"] } }),
            "filters.statuses",
        ),
        (
            json!({ "kind": "GENERAL", "from": "2026-01-01", "to": "2026-03-01", "filters": { "currency": "ZZZ" } }),
            "filters.currency",
        ),
        (
            json!({ "kind": "GENERAL", "from": "2026-01-01", "to": "2026-03-01", "filters": { "amountMin": 10, "amountMax": 5 } }),
            "filters.amountMax",
        ),
        (
            json!({ "kind": "GENERAL", "from": "2026-01-01", "to": "2026-03-01", "filters": { "clientIds": ["x"] } }),
            "filters.clientIds",
        ),
        (
            json!({ "kind": "TRENDS", "from": "2026-01-01", "to": "2026-03-01", "horizon": 0 }),
            "horizon",
        ),
        (
            json!({ "kind": "GENERAL", "from": "1800-01-01", "to": "1800-03-01" }),
            "from",
        ),
    ];
    for (i, field) in cases {
        let r = s
            .call(
                Some(&a),
                "query($i: ReportInput!) { report(input: $i) { timeZone } }",
                json!({ "i": i }),
            )
            .await;
        assert_eq!(crate::harness::error_code(&r), "BAD_USER_INPUT", "{i}: {r}");
        assert_eq!(r["errors"][0]["extensions"]["field"], field, "{i}: {r}");
    }
    let code = s
        .error_code(
            None,
            "query($i: ReportInput!) { report(input: $i) { timeZone } }",
            input("GENERAL", "2026-01-01", "2026-01-31", "MONTH"),
        )
        .await;
    assert_eq!(code, "UNAUTHENTICATED");
}

async fn reports_and_rates_stay_inside_the_company(db: TestDb) {
    let s = Server::start(db).await;
    let (a, _) = s.register("a@example.com", "A").await;
    let (b, _) = s.register("b@example.com", "B").await;
    load(
        &s,
        &a,
        named_clients(&["c0"]),
        json!([sale(
            "s1",
            "c0",
            100_00,
            "RUB",
            "2026-03-10T10:00:00Z",
            "COMPLETED"
        )]),
    )
    .await;
    let a_client = s
        .data(Some(&a), "{ clients { edges { node { id } } } }", json!({}))
        .await["clients"]["edges"][0]["node"]["id"]
        .clone();
    let rate = s
        .data(Some(&a), "mutation { setExchangeRate(currency: \"USD\", validOn: \"2026-01-01\", rate: \"90\") { id } }", json!({}))
        .await["setExchangeRate"]["id"]
        .clone();

    // B sees none of A's sales, even when naming A's client.
    let mut vars = input("GENERAL", "2026-03-01", "2026-03-31", "MONTH");
    vars["i"]["filters"] = json!({ "clientIds": [a_client] });
    let r = s.data(Some(&b), GENERAL, vars).await["report"].clone();
    assert_eq!(r["body"]["totals"]["salesCount"], 0);
    assert_eq!(r["body"]["topClients"], json!([]));
    let r = s
        .data(
            Some(&b),
            GENERAL,
            input("GENERAL", "2026-03-01", "2026-03-31", "MONTH"),
        )
        .await["report"]
        .clone();
    assert_eq!(r["body"]["totals"]["salesCount"], 0);
    assert_eq!(
        s.data(Some(&b), "{ exchangeRates { id } }", json!({}))
            .await["exchangeRates"],
        json!([])
    );
    let code = s
        .error_code(
            Some(&b),
            "mutation($id: ID!) { deleteExchangeRate(id: $id) }",
            json!({ "id": rate }),
        )
        .await;
    assert_eq!(code, "NOT_FOUND");

    // A read-only key may run reports, not change rates.
    let key = s.api_key(&a, "READ").await;
    let r = s
        .data(
            Some(&key),
            GENERAL,
            input("GENERAL", "2026-03-01", "2026-03-31", "MONTH"),
        )
        .await["report"]
        .clone();
    assert_eq!(r["body"]["totals"]["salesCount"], 1);
    let code = s
        .error_code(
            Some(&key),
            "mutation($id: ID!) { deleteExchangeRate(id: $id) }",
            json!({ "id": rate }),
        )
        .await;
    assert_eq!(code, "FORBIDDEN");
    s.data(
        Some(&a),
        "mutation($id: ID!) { deleteExchangeRate(id: $id) }",
        json!({ "id": rate }),
    )
    .await;
}
