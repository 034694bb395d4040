//! The screens a signed-in user walks through, rendered on the server: sign-in, registration,
//! the start screen, the lists with their filters and pages, API keys, a missing page, a
//! cross-site write, a wrong password and signing out.

use axum::body::Body;
use axum::http::{Request as HttpRequest, header};
use serde_json::{Value, json};

use crate::client_and_sale::screens_of_one_client_and_sale;
use crate::harness::{Web, register, web};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_on_sqlite() {
    pages(web(false).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_on_postgres() {
    pages(web(true).await).await;
}

async fn pages(w: Web) {
    // Not signed in: the sign-in form, in the browser's language.
    let (status, body) = w.page("/", "").await;
    assert_eq!(status, 200);
    assert!(body.contains("id=\"login-form\""), "{body}");
    let request = HttpRequest::get("/login")
        .header(header::ACCEPT_LANGUAGE, "ru-RU,ru;q=0.9")
        .body(Body::empty())
        .unwrap();
    let body = w.send(request).await.2;
    assert!(body.contains("Войти"), "{body}");

    // Registration sets an httpOnly session cookie.
    let set_cookie = register(&w, "web@example.com").await;
    assert!(
        set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"),
        "{set_cookie}"
    );
    let session = set_cookie.split(';').next().unwrap().to_owned();

    // A new company: empty start screen and the clients empty state.
    let (_, body) = w.page("/", &session).await;
    assert!(
        body.contains("This month") && body.contains("No sales this month yet"),
        "{body}"
    );
    assert!(body.contains("Лавка"), "the company is shown");
    let (_, body) = w.page("/clients", &session).await;
    assert!(body.contains("id=\"clients-empty\""), "{body}");

    // A key, created through the UI's server function, pushes data through GraphQL.
    let (status, _, created) = w
        .call(
            "/api/keys",
            &session,
            json!({"name": "Shop", "scope": "READ_WRITE"}),
        )
        .await;
    assert_eq!(status, 200, "{created}");
    let created: Value = serde_json::from_str(&created).unwrap();
    assert_eq!(created["apiKey"]["scope"], "READ_WRITE");
    // A read-only key for a reporting tool; a scope the API does not know is refused.
    let (status, _, reader) = w
        .call(
            "/api/keys",
            &session,
            json!({"name": "BI", "scope": "READ"}),
        )
        .await;
    assert_eq!(status, 200, "{reader}");
    assert!(reader.contains("\"scope\":\"READ\""), "{reader}");
    let (status, _, refused) = w
        .call(
            "/api/keys",
            &session,
            json!({"name": "Admin", "scope": "ALL"}),
        )
        .await;
    assert_eq!(status, 400, "{refused}");
    assert!(refused.contains("scope"), "{refused}");
    let key = created["secret"].as_str().unwrap().to_owned();
    let rows: Vec<Value> = (0..30)
        .map(|i| json!({"externalId": format!("c{i}"), "name": format!("Клиент {i:02}"), "email": format!("c{i}@shop.example")}))
        .collect();
    w.graphql(
        &key,
        "mutation($r: [ClientUpsertInput!]!) { upsertClients(clients: $r) { created } }",
        json!({"r": rows}),
    )
    .await;
    let sale = json!([{"externalId": "s1", "clientExternalId": "c7", "amountMinor": 124_000_000, "currency": "RUB",
                       "soldAt": chrono::Utc::now().to_rfc3339()}]);
    w.graphql(
        &key,
        "mutation($r: [SaleUpsertInput!]!) { upsertSales(sales: $r) { created } }",
        json!({"r": sale}),
    )
    .await;

    // The lists show it, formatted per language, 25 to a page.
    let (_, body) = w
        .page("/clients?sort=total", &format!("{session}; crm_lang=ru"))
        .await;
    assert!(body.contains("30 клиентов"), "{body}");
    assert!(
        body.contains("1\u{a0}240\u{a0}000,00\u{a0}₽"),
        "money in Russian format"
    );
    assert!(body.contains("id=\"next-page\""), "a second page");
    let first = body.find("Клиент 07").unwrap();
    assert!(
        body[..first].matches("<tr").count() <= 2,
        "the biggest buyer comes first"
    );
    let (_, body) = w
        .page(
            "/clients?search=%D0%BA%D0%BB%D0%B8%D0%B5%D0%BD%D1%82%2029",
            &session,
        )
        .await;
    assert!(
        body.contains("1 client") && body.contains("Клиент 29"),
        "{body}"
    );
    // As the search form itself sends it (a space as `+`).
    let (_, body) = w
        .page(
            "/clients?search=%D0%BA%D0%BB%D0%B8%D0%B5%D0%BD%D1%82+29",
            &session,
        )
        .await;
    assert!(
        body.contains("1 client") && body.contains("Клиент 29"),
        "{body}"
    );
    let (_, body) = w.page("/", &session).await;
    assert!(
        body.contains("₽1,240,000.00") && body.contains("1 sale"),
        "{body}"
    );
    let (_, body) = w.page("/api-keys", &session).await;
    assert!(
        body.contains(&key[..12]) && !body.contains(&key),
        "the list shows the prefix, never the key"
    );

    // The sales list with its filters.
    let (_, body) = w.page("/sales", &session).await;
    assert!(
        body.contains("id=\"sales-table\"")
            && body.contains("Клиент 07")
            && body.contains("1 sale"),
        "{body}"
    );
    let (_, body) = w.page("/sales?currency=USD", &session).await;
    assert!(body.contains("No sales match this filter."), "{body}");
    let (_, body) = w
        .page(
            "/sales?status=COMPLETED&from=2000-01-01",
            &format!("{session}; crm_lang=ru"),
        )
        .await;
    assert!(
        body.contains("1 продажа") && body.contains("Завершена"),
        "{body}"
    );
    let (status, _, body) = w
        .call("/api/sales", &session, json!({"q": {"from": "tomorrow"}}))
        .await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body.contains("BAD_USER_INPUT") && body.contains("from"),
        "{body}"
    );

    screens_of_one_client_and_sale(&w, &session, &key).await;

    // Unknown pages are real 404s.
    let (status, body) = w.page("/no/such/page", &session).await;
    assert_eq!(status, 404);
    assert!(body.contains("Page not found"));

    // Writes from another site are refused, even with the cookie.
    let request = HttpRequest::post("/api/keys")
        .header(header::HOST, "crm.test")
        .header(header::ORIGIN, "https://evil.example")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::COOKIE, &session)
        .body(Body::from(
            json!({"name": "stolen", "scope": "READ"}).to_string(),
        ))
        .unwrap();
    assert_eq!(w.send(request).await.0, 403);

    // Wrong passwords come back as a coded error for the form.
    let (status, _, body) = w
        .call(
            "/api/session/login",
            "",
            json!({"email": "web@example.com", "password": "nope nope"}),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("BAD_USER_INPUT"), "{body}");

    // Signing out ends the session: the cookie is cleared and the old one no longer works.
    let (_, cleared, _) = w.call("/api/session/logout", &session, json!({})).await;
    assert_eq!(cleared.as_deref(), Some("crm_session="));
    let (_, body) = w.page("/clients", &session).await;
    assert!(body.contains("id=\"login-form\""), "the old cookie is dead");
}
