#![allow(clippy::indexing_slicing, clippy::unwrap_used)]

use chrono::NaiveDate;

use super::names::{ClientMatch, match_client};
use super::*;

/// A Monday.
const TODAY: &str = "2026-11-30";

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn p(from: &str, to: &str) -> Period {
    Period {
        from: d(from),
        to: d(to),
    }
}

fn none() -> Filters {
    Filters::default()
}

fn client(name: &str) -> Filters {
    Filters {
        client: Some(name.into()),
        ..Filters::default()
    }
}

fn money(currency: Option<&str>, min: Option<i64>, max: Option<i64>) -> Filters {
    Filters {
        currency: currency.map(str::to_owned),
        amount_min: min,
        amount_max: max,
        client: None,
    }
}

fn fig(from: &str, to: &str) -> Intent {
    Intent::Figures {
        period: p(from, to),
        filters: none(),
    }
}

fn fig_f(from: &str, to: &str, filters: Filters) -> Intent {
    Intent::Figures {
        period: p(from, to),
        filters,
    }
}

fn cmp(period: Period, against: Option<Period>) -> Intent {
    Intent::Compare {
        period,
        against,
        filters: none(),
    }
}

fn top(from: &str, to: &str, n: u32) -> Intent {
    Intent::TopClients {
        period: p(from, to),
        n,
        filters: none(),
    }
}

fn who(name: &str) -> Intent {
    Intent::Client { name: name.into() }
}

fn ahead(count: u32, unit: Unit) -> Intent {
    Intent::Forecast {
        horizon: Horizon { count, unit },
    }
}

fn report(kind: ReportType, from: &str, to: &str) -> Intent {
    Intent::Report {
        kind,
        period: p(from, to),
    }
}

const NOV: (&str, &str) = ("2026-11-01", "2026-11-30");
const OCT: (&str, &str) = ("2026-10-01", "2026-10-31");

fn check(rows: &[(&str, Intent)], today: &str, language: Language) {
    let mut failures = Vec::new();
    for (question, want) in rows {
        let got = recognise(question, d(today));
        if got.intent != *want || got.language != language {
            failures.push(format!(
                "{question:?}\n   want {language:?} {want:?}\n    got {:?} {:?}",
                got.language, got.intent
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn english() -> Vec<(&'static str, Intent)> {
    use Intent::{AtRisk, Help, LikelyBuyers, OutOfScope};
    vec![
        // Figures and periods.
        ("revenue this month", fig(NOV.0, NOV.1)),
        ("how much did we sell last month", fig(OCT.0, OCT.1)),
        ("revnue last week", fig("2026-11-23", "2026-11-29")),
        ("sales in march", fig("2026-03-01", "2026-03-31")),
        (
            "what was our average order value in q1",
            fig("2026-01-01", "2026-03-31"),
        ),
        ("how many orders yesterday", fig("2026-11-29", "2026-11-29")),
        ("sales today", fig("2026-11-30", "2026-11-30")),
        ("sales ytd", fig("2026-01-01", "2026-11-30")),
        ("revenue MTD", fig(NOV.0, NOV.1)),
        ("qtd revenue", fig("2026-10-01", "2026-11-30")),
        ("sales year to date", fig("2026-01-01", "2026-11-30")),
        ("revenue last year", fig("2025-01-01", "2025-12-31")),
        ("sales in 2025", fig("2025-01-01", "2025-12-31")),
        ("sales march last year", fig("2025-03-01", "2025-03-31")),
        ("sales since march 3", fig("2026-03-03", "2026-11-30")),
        (
            "revenue from 1 to 15 march",
            fig("2026-03-01", "2026-03-15"),
        ),
        (
            "sales between March 1 and March 15",
            fig("2026-03-01", "2026-03-15"),
        ),
        ("revenue last 7 days", fig("2026-11-24", "2026-11-30")),
        (
            "sales for the past 3 months",
            fig("2026-08-31", "2026-11-30"),
        ),
        ("sales in december", fig("2025-12-01", "2025-12-31")),
        (
            "revenue from 2026-03-01 to 2026-03-15",
            fig("2026-03-01", "2026-03-15"),
        ),
        ("sales on 2026-03-01", fig("2026-03-01", "2026-03-01")),
        (
            "revenue first quarter of last year",
            fig("2025-01-01", "2025-03-31"),
        ),
        ("sales this quarter", fig("2026-10-01", "2026-11-30")),
        ("revenue last quarter", fig("2026-07-01", "2026-09-30")),
        ("sales this week", fig("2026-11-30", "2026-11-30")),
        (
            "whats the revenue for the day before yesterday",
            fig("2026-11-28", "2026-11-28"),
        ),
        (
            "income in the last 2 weeks",
            fig("2026-11-17", "2026-11-30"),
        ),
        // Money filters and clients.
        (
            "sales in euros over 1000 this month",
            fig_f(NOV.0, NOV.1, money(Some("EUR"), Some(100_000), None)),
        ),
        (
            "sales under $300 last month",
            fig_f(OCT.0, OCT.1, money(Some("USD"), None, Some(30_000))),
        ),
        (
            "revenue more than 5k",
            fig_f(NOV.0, NOV.1, money(None, Some(500_000), None)),
        ),
        (
            "revenue between 500 and 2000 eur",
            fig_f(
                NOV.0,
                NOV.1,
                money(Some("EUR"), Some(50_000), Some(200_000)),
            ),
        ),
        (
            "sales last 2 weeks in gbp",
            fig_f("2026-11-17", "2026-11-30", money(Some("GBP"), None, None)),
        ),
        (
            "how much did Acme buy this year",
            fig_f("2026-01-01", "2026-11-30", client("Acme")),
        ),
        (
            "how much did \"Globex Industries\" spend in march",
            fig_f("2026-03-01", "2026-03-31", client("Globex Industries")),
        ),
        // Compare.
        (
            "compare this month vs last month",
            cmp(p(NOV.0, NOV.1), Some(p(OCT.0, OCT.1))),
        ),
        (
            "compare q1 with q2",
            cmp(
                p("2026-01-01", "2026-03-31"),
                Some(p("2026-04-01", "2026-06-30")),
            ),
        ),
        (
            "revenue compared to last year",
            cmp(p(NOV.0, NOV.1), Some(p("2025-01-01", "2025-12-31"))),
        ),
        (
            "compare sales with the previous period",
            cmp(p(NOV.0, NOV.1), None),
        ),
        (
            "this month vs last",
            cmp(p(NOV.0, NOV.1), Some(p(OCT.0, OCT.1))),
        ),
        // Top clients.
        ("top 5 clients", top(NOV.0, NOV.1, 5)),
        (
            "top ten customers last year",
            top("2025-01-01", "2025-12-31", 10),
        ),
        (
            "10 best customers in march",
            top("2026-03-01", "2026-03-31", 10),
        ),
        (
            "who bought the most this week",
            top("2026-11-30", "2026-11-30", 5),
        ),
        ("top 100 clients", top(NOV.0, NOV.1, MAX_TOP)),
        ("top-3 custmers", top(NOV.0, NOV.1, 3)),
        // A client.
        ("tell me about Acme", who("Acme")),
        ("how is ivanov doing", who("ivanov")),
        ("whats up with Globex", who("Globex")),
        ("customer smith & sons", who("smith sons")),
        // At risk, likely buyers.
        ("which clients are at risk of churn", AtRisk { n: 5 }),
        ("who stopped buying", AtRisk { n: 5 }),
        ("top 10 customers at risk", AtRisk { n: 10 }),
        ("who will buy soon", LikelyBuyers { n: 5 }),
        ("7 clients most likely to buy", LikelyBuyers { n: 7 }),
        // Forecast.
        ("forecast", ahead(3, Unit::Month)),
        ("forcast next month", ahead(1, Unit::Month)),
        ("what to expect next quarter", ahead(3, Unit::Month)),
        (
            "revenue prediction for the next 14 days",
            ahead(14, Unit::Day),
        ),
        ("forecast next week", ahead(1, Unit::Week)),
        ("prediction for next year", ahead(12, Unit::Month)),
        ("what will revenue be next month", ahead(1, Unit::Month)),
        // Reports.
        (
            "general sales report for last month",
            report(ReportType::General, OCT.0, OCT.1),
        ),
        (
            "sales trends report q3",
            report(ReportType::Trends, "2026-07-01", "2026-09-30"),
        ),
        (
            "recommendations report",
            report(ReportType::Recommendations, NOV.0, NOV.1),
        ),
        // Help and out of scope.
        ("hi", Help),
        ("what can you do?", Help),
        ("hello there", Help),
        ("", Help),
        ("what's the weather tomorrow", OutOfScope),
        ("write me a poem about sales", OutOfScope),
        ("tell me a joke", OutOfScope),
        ("pasta recipe", OutOfScope),
        ("asdfgh qwerty", OutOfScope),
        // More as people type.
        (
            "show me sales for acme in march",
            fig_f("2026-03-01", "2026-03-31", client("acme")),
        ),
        ("how's acme", who("acme")),
        (
            "q1 vs q2 revenue",
            cmp(
                p("2026-01-01", "2026-03-31"),
                Some(p("2026-04-01", "2026-06-30")),
            ),
        ),
        (
            "sales from acme over 500 usd last week",
            fig_f(
                "2026-11-23",
                "2026-11-29",
                Filters {
                    client: Some("acme".into()),
                    ..money(Some("USD"), Some(50_000), None)
                },
            ),
        ),
        ("what did we sell in may", fig("2026-05-01", "2026-05-31")),
        ("may i see revenue", fig(NOV.0, NOV.1)),
        ("revenue in jan 2026", fig("2026-01-01", "2026-01-31")),
        (
            "how much revenue 2026-03-01 - 2026-03-31",
            fig("2026-03-01", "2026-03-31"),
        ),
        (
            "compare march 2025 and march 2026",
            cmp(
                p("2025-03-01", "2025-03-31"),
                Some(p("2026-03-01", "2026-03-31")),
            ),
        ),
    ]
}

fn russian() -> Vec<(&'static str, Intent)> {
    use Intent::{AtRisk, Help, LikelyBuyers, OutOfScope};
    vec![
        // Figures and periods.
        ("выручка за этот месяц", fig(NOV.0, NOV.1)),
        ("сколько продали в прошлом месяце", fig(OCT.0, OCT.1)),
        ("продажи на прошлой неделе", fig("2026-11-23", "2026-11-29")),
        ("выручка в марте", fig("2026-03-01", "2026-03-31")),
        ("продажи за март", fig("2026-03-01", "2026-03-31")),
        (
            "выручка в марте прошлого года",
            fig("2025-03-01", "2025-03-31"),
        ),
        (
            "средний чек за первый квартал",
            fig("2026-01-01", "2026-03-31"),
        ),
        (
            "выручка за 1 квартал 2025 года",
            fig("2025-01-01", "2025-03-31"),
        ),
        (
            "продажи в прошлом квартале",
            fig("2026-07-01", "2026-09-30"),
        ),
        ("выручка с начала года", fig("2026-01-01", "2026-11-30")),
        ("продажи в прошлом году", fig("2025-01-01", "2025-12-31")),
        ("выручка за 2025 год", fig("2025-01-01", "2025-12-31")),
        ("продажи с 3 марта", fig("2026-03-03", "2026-11-30")),
        ("выручка с 1 по 15 марта", fig("2026-03-01", "2026-03-15")),
        (
            "продажи за последние 30 дней",
            fig("2026-11-01", "2026-11-30"),
        ),
        (
            "выручка за последние 2 недели",
            fig("2026-11-17", "2026-11-30"),
        ),
        ("продажи сегодня", fig("2026-11-30", "2026-11-30")),
        ("выручка вчера", fig("2026-11-29", "2026-11-29")),
        ("сколько продали позавчера", fig("2026-11-28", "2026-11-28")),
        ("выручка в этом месяце", fig(NOV.0, NOV.1)),
        (
            "продажи с 01.03.2026 по 15.03.2026",
            fig("2026-03-01", "2026-03-15"),
        ),
        ("выручка 01.03.2026", fig("2026-03-01", "2026-03-01")),
        ("выручка 1-15 марта", fig("2026-03-01", "2026-03-15")),
        ("продаж в декабре", fig("2025-12-01", "2025-12-31")),
        // Money filters and clients.
        (
            "сколько купил Иванов в марте",
            fig_f("2026-03-01", "2026-03-31", client("Иванов")),
        ),
        (
            "сколько потратила Петрова в этом году",
            fig_f("2026-01-01", "2026-11-30", client("Петрова")),
        ),
        (
            "продажи больше 10 000 рублей",
            fig_f(NOV.0, NOV.1, money(Some("RUB"), Some(1_000_000), None)),
        ),
        (
            "продажи от 500 до 2000 евро за март",
            fig_f(
                "2026-03-01",
                "2026-03-31",
                money(Some("EUR"), Some(50_000), Some(200_000)),
            ),
        ),
        (
            "сделки менее 1000 долларов",
            fig_f(NOV.0, NOV.1, money(Some("USD"), None, Some(100_000))),
        ),
        (
            "выручка свыше 12,5 тыс ₽",
            fig_f(NOV.0, NOV.1, money(Some("RUB"), Some(1_250_000), None)),
        ),
        (
            "выручка в рублях за вчера",
            fig_f("2026-11-29", "2026-11-29", money(Some("RUB"), None, None)),
        ),
        // Compare.
        (
            "сравни март и февраль",
            cmp(
                p("2026-03-01", "2026-03-31"),
                Some(p("2026-02-01", "2026-02-28")),
            ),
        ),
        (
            "сравни март с февралем",
            cmp(
                p("2026-03-01", "2026-03-31"),
                Some(p("2026-02-01", "2026-02-28")),
            ),
        ),
        (
            "выручка в этом месяце по сравнению с прошлым",
            cmp(p(NOV.0, NOV.1), Some(p(OCT.0, OCT.1))),
        ),
        (
            "сравни 2025 с 2024",
            cmp(
                p("2025-01-01", "2025-12-31"),
                Some(p("2024-01-01", "2024-12-31")),
            ),
        ),
        ("продажи с 2024 года", fig("2024-01-01", TODAY)),
        (
            "сравни этот месяц с прошлым периодом",
            cmp(p(NOV.0, NOV.1), None),
        ),
        (
            "выручка по сравнению с прошлым годом",
            cmp(p(NOV.0, NOV.1), Some(p("2025-01-01", "2025-12-31"))),
        ),
        // Top clients.
        ("топ-10 покупателей", top(NOV.0, NOV.1, 10)),
        (
            "три лучших клиента в прошлом году",
            top("2025-01-01", "2025-12-31", 3),
        ),
        (
            "лучшие клиенты в этом квартале",
            top("2026-10-01", "2026-11-30", 5),
        ),
        ("кто больше всех купил в октябре", top(OCT.0, OCT.1, 5)),
        (
            "покажи top 7 clients за март",
            top("2026-03-01", "2026-03-31", 7),
        ),
        ("клинеты за март", top("2026-03-01", "2026-03-31", 5)),
        // A client, in declined forms.
        ("расскажи про Иванова", who("Иванова")),
        ("что с Петровой", who("Петровой")),
        ("клиент Сидоров", who("Сидоров")),
        ("как дела у ООО Ромашка", who("ООО Ромашка")),
        ("расскажи о Петрове", who("Петрове")),
        // At risk, likely buyers.
        ("кто перестал покупать", AtRisk { n: 5 }),
        ("клиенты под угрозой ухода", AtRisk { n: 5 }),
        ("отток клиентов", AtRisk { n: 5 }),
        ("10 клиентов под угрозой", AtRisk { n: 10 }),
        ("клинеты под угрозой", AtRisk { n: 5 }),
        ("кто скоро купит", LikelyBuyers { n: 5 }),
        ("вероятные покупатели топ 8", LikelyBuyers { n: 8 }),
        // Forecast.
        ("прогноз на следующий квартал", ahead(3, Unit::Month)),
        ("прогоз на 3 месяца вперёд", ahead(3, Unit::Month)),
        ("прогноз выручки на следующую неделю", ahead(1, Unit::Week)),
        ("прогноз на следующий год", ahead(12, Unit::Month)),
        (
            "какая будет выручка в следующем месяце",
            ahead(1, Unit::Month),
        ),
        // Reports.
        (
            "общий отчёт за прошлый месяц",
            report(ReportType::General, OCT.0, OCT.1),
        ),
        (
            "отчет по трендам за этот квартал",
            report(ReportType::Trends, "2026-10-01", "2026-11-30"),
        ),
        (
            "рекомендации на ноябрь",
            report(ReportType::Recommendations, NOV.0, NOV.1),
        ),
        // Help and out of scope.
        ("привет", Help),
        ("что ты умеешь", Help),
        ("помощь", Help),
        ("какая погода завтра", OutOfScope),
        ("напиши стих", OutOfScope),
        ("расскажи анекдот", OutOfScope),
        ("рецепт борща", OutOfScope),
        ("кто президент", OutOfScope),
        // More as people type.
        (
            "выручка по Иванову за март",
            fig_f("2026-03-01", "2026-03-31", client("Иванову")),
        ),
        (
            "сколько клиентов купили в марте",
            fig("2026-03-01", "2026-03-31"),
        ),
        ("прогноз", ahead(3, Unit::Month)),
        ("выручка за неделю", fig("2026-11-24", "2026-11-30")),
        (
            "топ клиентов по выручке за 2025",
            top("2025-01-01", "2025-12-31", 5),
        ),
        ("кто наши лучшие клиенты", top(NOV.0, NOV.1, 5)),
        (
            "сколько заработали с 1 по 10 ноября",
            fig("2026-11-01", "2026-11-10"),
        ),
        ("как там Иванов", who("Иванов")),
        ("отчет", report(ReportType::General, NOV.0, NOV.1)),
        ("продажи за 3 месяца", fig("2026-08-31", "2026-11-30")),
        (
            "средний чек в долларах за прошлую неделю",
            fig_f("2026-11-23", "2026-11-29", money(Some("USD"), None, None)),
        ),
        ("какие клиенты могут уйти", AtRisk { n: 5 }),
    ]
}

#[test]
fn english_questions() {
    let rows = english();
    assert!(rows.len() >= 40);
    check(&rows, TODAY, Language::En);
}

#[test]
fn russian_questions() {
    let rows = russian();
    assert!(rows.len() >= 40);
    check(&rows, TODAY, Language::Ru);
}

/// Against a today in March: "in March" is March to date, Q2 has not started.
#[test]
fn questions_in_march() {
    let today = "2026-03-10";
    check(
        &[
            ("sales in march", fig("2026-03-01", "2026-03-10")),
            ("revenue q2", fig("2025-04-01", "2025-06-30")),
            ("sales last week", fig("2026-03-02", "2026-03-08")),
            ("revenue last quarter", fig("2025-10-01", "2025-12-31")),
            ("sales in march last year", fig("2025-03-01", "2025-03-31")),
            (
                "top 5 clients this month",
                top("2026-03-01", "2026-03-10", 5),
            ),
        ],
        today,
        Language::En,
    );
    check(
        &[
            ("выручка за первый квартал", fig("2026-01-01", "2026-03-10")),
            ("продажи в апреле", fig("2025-04-01", "2025-04-30")),
            (
                "выручка с 20 декабря по 10 января",
                fig("2025-12-20", "2026-01-10"),
            ),
            ("продажи за март", fig("2026-03-01", "2026-03-10")),
        ],
        today,
        Language::Ru,
    );
}

#[test]
fn long_questions_are_cut() {
    let long = format!("revenue last month {}", "x".repeat(2 * MAX_QUESTION_CHARS));
    let got = recognise(&long, d(TODAY));
    assert_eq!(
        got.intent,
        fig_f(OCT.0, OCT.1, client(&"x".repeat(MAX_QUESTION_CHARS - 19)))
    );
}

const PEOPLE: &[&str] = &[
    "Иван Петров",
    "Анна Петрова",
    "Иван Иванов",
    "Иванов Пётр",
    "Acme Ltd",
    "Acme",
    "Globex Industries",
    "Сидоров Алексей",
    "ООО Ромашка",
];

#[test]
fn names_match_in_declined_forms() {
    use ClientMatch::{Ambiguous, One};
    let cases: &[(&str, ClientMatch)] = &[
        ("Петровым", One(0)),
        ("у Петровой", One(1)),
        ("Петрова", One(1)),
        ("Петрову", Ambiguous(vec![0, 1])),
        ("Иванову", Ambiguous(vec![2, 3])),
        ("ивана иванова", One(2)),
        ("Сидорову", One(7)),
        ("алексея сидорова", One(7)),
        ("ромашку", One(8)),
        ("ооо ромашка", One(8)),
        ("acme", One(5)),
        ("ACME's", One(5)),
        ("acme ltd", One(4)),
        ("globex", One(6)),
    ];
    for (typed, want) in cases {
        assert_eq!(match_client(typed, PEOPLE), *want, "{typed}");
    }
}

#[test]
fn names_match_any_word_of_a_name() {
    assert_eq!(
        match_client("Иванову", &["Иван Иванов", "Acme Ltd"]),
        ClientMatch::One(0)
    );
    assert_eq!(
        match_client("acme", &["Acme Ltd", "Globex"]),
        ClientMatch::One(0)
    );
}

#[test]
fn exact_beats_stem_beats_typo() {
    assert_eq!(
        match_client("Петров", &["Петрова", "Петров"]),
        ClientMatch::One(1)
    );
    assert_eq!(
        match_client("Петрова", &["Петров", "Петрова"]),
        ClientMatch::One(1)
    );
    assert_eq!(
        match_client("Иванов", &["Иванав", "Иванова"]),
        ClientMatch::One(1)
    );
}

#[test]
fn names_match_with_one_typo_in_long_words() {
    assert_eq!(match_client("globx", PEOPLE), ClientMatch::One(6));
    assert_eq!(
        match_client("Petorv", &["Ivan Petrov"]),
        ClientMatch::One(0)
    );
    assert_eq!(match_client("Сидрова", PEOPLE), ClientMatch::One(7));
    // Short words need to be exact: "acm" is not "acme".
    assert_eq!(match_client("acm", PEOPLE), ClientMatch::None);
    // Two edits are too many.
    assert_eq!(match_client("glbx", PEOPLE), ClientMatch::None);
}

#[test]
fn unknown_names_match_nothing() {
    assert_eq!(match_client("Smith", PEOPLE), ClientMatch::None);
    assert_eq!(match_client("", PEOPLE), ClientMatch::None);
    assert_eq!(match_client("у", PEOPLE), ClientMatch::None);
    assert_eq!(match_client("Петров", &[]), ClientMatch::None);
}

#[test]
fn ambiguous_matches_list_at_most_five() {
    let many = [
        "Иванов А",
        "Иванов Б",
        "Иванов В",
        "Иванов Г",
        "Иванов Д",
        "Иванов Е",
        "Петров",
    ];
    assert_eq!(
        match_client("Иванов", &many),
        ClientMatch::Ambiguous(vec![0, 1, 2, 3, 4])
    );
}

#[test]
fn thousands_of_candidates() {
    let names: Vec<String> = (0..5000).map(|i| format!("Client {i} Ltd")).collect();
    let mut refs: Vec<&str> = names.iter().map(String::as_str).collect();
    refs.push("Ромашка");
    assert_eq!(match_client("Ромашке", &refs), ClientMatch::One(5000));
}
