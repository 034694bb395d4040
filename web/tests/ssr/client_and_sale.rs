//! One client's and one sale's screens, the server functions of their forms, and the live
//! feed of sales.

use axum::body::Body;
use axum::http::{Request as HttpRequest, header};
use serde_json::json;
use tower::ServiceExt;

use crate::harness::{Web, field_of, parsed};

/// The client and sale screens and their forms' server functions, then the live sales feed.
pub async fn screens_of_one_client_and_sale(w: &Web, session: &str, key: &str) {
    let found = w
        .graphql(
            key,
            "{ clients(filter: {search: \"клиент 07\"}) { nodes { id } } }",
            json!({}),
        )
        .await;
    let id = found["data"]["clients"]["nodes"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let page = format!("/clients/{id}");
    let (status, body) = w.page(&page, session).await;
    assert_eq!(status, 200);
    assert!(
        body.contains("id=\"client-name\"")
            && body.contains("Клиент 07")
            && body.contains("c7@shop.example")
            && body.contains("id=\"purchases\"")
            && body.contains("₽1,240,000.00"),
        "{body}"
    );
    assert!(body.contains("Nothing recorded yet"), "no interactions yet");

    // An interaction: the empty one is refused with its field, the real one is listed.
    let args = json!({"client_id": id, "kind": "CALL", "body": "  ", "day": ""});
    let (status, _, answer) = w.call("/api/client/interaction", session, args).await;
    assert_eq!(status, 400, "{answer}");
    assert!(
        answer.contains("BAD_USER_INPUT") && answer.contains("body"),
        "{answer}"
    );
    let args = json!({"client_id": id, "kind": "MEETING", "body": "Обсудили скидку на 2027", "day": "2026-11-20"});
    let (status, _, answer) = w.call("/api/client/interaction", session, args).await;
    assert_eq!(status, 200, "{answer}");
    let (_, body) = w.page(&page, &format!("{session}; crm_lang=ru")).await;
    assert!(
        body.contains("Обсудили скидку на 2027")
            && body.contains("Встреча")
            && body.contains("20.11.2026"),
        "{body}"
    );

    // Editing the client: a bad e-mail comes back for its field, nothing changes.
    let edit = |email: &str| json!({"id": id, "name": "Клиент 07 VIP", "email": email, "phone": "+7 900 000-00-07", "status": "ACTIVE"});
    let (status, _, answer) = w
        .call("/api/client/update", session, edit("not-an-email"))
        .await;
    assert_eq!(status, 400, "{answer}");
    assert_eq!(field_of(&answer), "email", "{answer}");
    let (_, body) = w.page(&page, session).await;
    assert!(
        !body.contains("Клиент 07 VIP"),
        "the refused edit changed nothing"
    );
    let (status, _, answer) = w
        .call("/api/client/update", session, edit("vip@shop.example"))
        .await;
    assert_eq!(status, 200, "{answer}");
    let (_, body) = w.page(&page, session).await;
    assert!(
        body.contains("Клиент 07 VIP")
            && body.contains("vip@shop.example")
            // Dialled in E.164, shown in the international format.
            && body.contains("href=\"tel:+79000000007\"")
            && body.contains(">+7 900 000-00-07<"),
        "{body}"
    );

    // A sale from the client screen: amounts as people type them, checked per currency.
    let sale = |amount: &str, currency: &str| {
        json!({"client_id": id, "item": "Консультация",
               "form": {"amount": amount, "currency": currency, "day": "", "status": "COMPLETED", "note": "из интерфейса"}})
    };
    for (amount, currency, field) in [
        ("12,345", "RUB", "amountMinor"),
        ("abc", "RUB", "amountMinor"),
        ("10", "XYZ", "currency"),
        ("1.5", "JPY", "amountMinor"),
    ] {
        let (status, _, answer) = w
            .call("/api/sale/create", session, sale(amount, currency))
            .await;
        assert_eq!(status, 400, "{amount} {currency}: {answer}");
        assert_eq!(field_of(&answer), field, "{answer}");
    }
    let (status, _, answer) = w
        .call("/api/sale/create", session, sale("1 500,50", "rub"))
        .await;
    assert_eq!(status, 200, "{answer}");
    let sale_id = parsed(&answer).as_str().unwrap().to_owned();
    let (_, body) = w.page(&page, session).await;
    assert!(
        body.contains("₽1,241,500.50"),
        "the total counts the new sale: {body}"
    );
    let (status, body) = w.page(&format!("/sales/{sale_id}"), session).await;
    assert_eq!(status, 200);
    assert!(
        body.contains("₽1,500.50")
            && body.contains("Консультация")
            && body.contains("из интерфейса")
            && body.contains(&format!("href=\"/clients/{id}?more=\"")),
        "{body}"
    );

    // Editing the sale: refunded, it leaves the client's total.
    let form = json!({"amount": "1500.50", "currency": "RUB", "day": "", "status": "REFUNDED", "note": ""});
    let (status, _, answer) = w
        .call(
            "/api/sale/update",
            session,
            json!({"id": sale_id, "form": form, "client_id": "", "items": [
                {"name": "Консультация", "sku": "", "kind": "SERVICE", "quantity": "2", "unit_price": "750,25"}
            ]}),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    let (_, body) = w.page(&format!("/sales/{sale_id}"), session).await;
    assert!(
        body.contains("Refunded")
            && !body.contains("из интерфейса")
            && body.contains("Консультация")
            && body.contains("₽750.25"),
        "{body}"
    );
    let (_, body) = w.page(&page, session).await;
    assert!(body.contains("₽1,240,000.00"), "{body}");

    // The sales list of this client only.
    let (_, body) = w.page(&format!("/sales?client={id}"), session).await;
    assert!(
        body.contains("2 sales") && body.contains("id=\"client-filter\""),
        "the client filter is shown, with a way to clear it: {body}"
    );

    // Another company's client or sale is not found, not shown: a 404 with the message.
    for missing in ["/clients/999999", "/sales/999999"] {
        let (status, body) = w.page(missing, session).await;
        assert_eq!(status, 404, "{missing}");
        assert!(
            body.contains("role=\"alert\"") && !body.contains("client-name"),
            "{body}"
        );
    }

    // The live feed: a sale pushed by the integration arrives as a server-sent event.
    let request = HttpRequest::get("/api/live/sales")
        .header(header::COOKIE, session)
        .body(Body::empty())
        .unwrap();
    let response = w.router.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()[header::CONTENT_TYPE],
        "text/event-stream"
    );
    let mut events = response.into_body().into_data_stream();
    let push = json!([{"externalId": "live-1", "clientExternalId": "c3", "amountMinor": 9_900, "currency": "RUB",
                       "soldAt": chrono::Utc::now().to_rfc3339()}]);
    // Retried until the feed delivers: the subscription starts when the stream is first read.
    let mut seen = String::new();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let mut pushed = false;
    while !seen.contains("\"CREATED\"") {
        assert!(
            std::time::Instant::now() < deadline,
            "no live event: {seen}"
        );
        if !pushed {
            let w2 = w.router.clone();
            let key = key.to_owned();
            let push = push.clone();
            tokio::spawn(async move {
                tokio::time::sleep(std::time::Duration::from_millis(300)).await;
                let request = HttpRequest::post("/graphql")
                    .header(header::CONTENT_TYPE, "application/json")
                    .header(header::AUTHORIZATION, format!("Bearer {key}"))
                    .body(Body::from(
                        json!({"query": "mutation($r: [SaleUpsertInput!]!) { upsertSales(sales: $r) { created } }",
                               "variables": {"r": push}})
                        .to_string(),
                    ))
                    .unwrap();
                let _ = w2.oneshot(request).await;
            });
            pushed = true;
        }
        let next = tokio::time::timeout(
            std::time::Duration::from_secs(20),
            futures::StreamExt::next(&mut events),
        )
        .await;
        match next {
            Ok(Some(Ok(bytes))) => seen.push_str(&String::from_utf8_lossy(&bytes)),
            other => panic!("the live feed ended: {other:?} after {seen}"),
        }
    }
    assert!(
        seen.contains("Клиент 03") && seen.contains("99.00"),
        "{seen}"
    );
}
