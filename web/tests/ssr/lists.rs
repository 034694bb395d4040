//! A sales team's day on the server-rendered pages, without scripts: searches that keep any
//! text, the clients list's filters, direction, pages back and forth and archive, a new client
//! with a duplicate warning, the sales list's sums and sorting, days in the company's time
//! zone, signing in through the plain form, the page language and titles, Russian messages.

use axum::body::Body;
use axum::http::{Request as HttpRequest, header};
use serde_json::{Value, json};

use crate::harness::{Web, parsed, register, web};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_working_day_on_sqlite() {
    working_day(web(false).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_working_day_on_postgres() {
    working_day(web(true).await).await;
}

/// The `Location` of a redirect and the status.
async fn redirect(w: &Web, request: HttpRequest<Body>) -> (u16, String, Option<String>) {
    let response = tower::ServiceExt::oneshot(w.router.clone(), request)
        .await
        .unwrap();
    let location = response
        .headers()
        .get(header::LOCATION)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let cookie = response
        .headers()
        .get(header::SET_COOKIE)
        .map(|v| v.to_str().unwrap().to_owned());
    (response.status().as_u16(), location, cookie)
}

/// A plain HTML form post, as a browser without scripts sends it.
fn form_post(path: &str, body: &str, cookie: &str) -> HttpRequest<Body> {
    HttpRequest::post(path)
        .header(header::HOST, "crm.test")
        .header(header::ORIGIN, "http://crm.test")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, cookie)
        .body(Body::from(body.to_owned()))
        .unwrap()
}

/// `text` as a browser's form encoding writes it.
fn form_encoded(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        match b {
            b' ' => out.push('+'),
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => {
                out.push(char::from(b));
            }
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Follows the clients search form as a browser without scripts submits it.
async fn search(w: &Web, session: &str, text: &str) -> String {
    let sent = format!("/clients?form=1&search={}&sort=name", form_encoded(text));
    let request = HttpRequest::get(&sent)
        .header(header::COOKIE, session)
        .body(Body::empty())
        .unwrap();
    let (status, location, _) = redirect(w, request).await;
    assert_eq!(status, 303, "{sent}");
    assert!(
        !location.contains("form=1") && location.starts_with("/clients?"),
        "{location}"
    );
    w.page(&location, session).await.1
}

fn client_id(found: &Value) -> String {
    found["data"]["clients"]["nodes"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn working_day(w: Web) {
    let set_cookie = register(&w, "day@example.com").await;
    let session = set_cookie.split(';').next().unwrap().to_owned();
    let ru = format!("{session}; crm_lang=ru");
    let (_, _, created) = w
        .call(
            "/api/keys",
            &session,
            json!({"name": "Shop", "scope": "READ_WRITE"}),
        )
        .await;
    let key = parsed(&created)["secret"].as_str().unwrap().to_owned();
    let mut rows: Vec<Value> = (0..28)
        .map(|i| json!({"externalId": format!("c{i}"), "name": format!("Покупатель {i:02}")}))
        .collect();
    rows.push(json!({"externalId": "zi", "name": "Зайцев Иван", "phone": "+7 912 345-67-89"}));
    rows.push(
        json!({"externalId": "tj", "name": "Tom & Jerry + Co 100%", "email": "tj@cartoon.example"}),
    );
    w.graphql(
        &key,
        "mutation($r: [ClientUpsertInput!]!) { upsertClients(clients: $r) { created } }",
        json!({"r": rows}),
    )
    .await;
    // 00:30 in Moscow on 1 November (the company's zone) is still 31 October in UTC.
    let sales = json!([
        {"externalId": "night", "clientExternalId": "zi", "amountMinor": 150_000, "currency": "RUB", "soldAt": "2026-10-31T21:30:00Z"},
        {"externalId": "oct", "clientExternalId": "zi", "amountMinor": 50_000, "currency": "RUB", "soldAt": "2026-10-15T12:00:00Z"},
        {"externalId": "usd", "clientExternalId": "tj", "amountMinor": 1_999, "currency": "USD", "soldAt": "2026-11-10T12:00:00Z"}
    ]);
    let pushed = w
        .graphql(
            &key,
            "mutation($r: [SaleUpsertInput!]!) { upsertSales(sales: $r) { created } }",
            json!({"r": sales}),
        )
        .await;
    assert_eq!(pushed["data"]["upsertSales"]["created"], 3, "{pushed}");

    // Any text survives the search form and the address: spaces, `&`, `+`, `%`, Cyrillic.
    let body = search(&w, &session, "Зайцев Иван").await;
    assert!(
        body.contains("1 client") && body.contains("Зайцев Иван"),
        "{body}"
    );
    assert!(
        body.contains("value=\"Зайцев Иван\""),
        "the field shows the text: {body}"
    );
    let body = search(&w, &session, "Tom & Jerry + Co 100%").await;
    assert!(body.contains("1 client"), "{body}");
    assert!(
        body.contains("value=\"Tom &#38; Jerry + Co 100%\""),
        "{body}"
    );
    // A phone number as people write it, and as shown.
    for phone in ["89123456789", "+7 912 345-67-89"] {
        let found = search(&w, &session, phone).await;
        assert!(found.contains("Зайцев Иван"), "{phone}: {found}");
        assert!(
            found.contains("id=\"active-filters\""),
            "the search is shown as a filter"
        );
    }

    // Pages forward and back by their links; the direction reverses the order.
    let (_, page1) = w.page("/clients?sort=name", &session).await;
    assert!(page1.contains("30 clients") && page1.contains("Покупатель 00"));
    let next = href(&page1, "next-page");
    let (_, page2) = w.page(&next, &session).await;
    // Latin before Cyrillic: Tom, Зайцев, then the buyers; the last five are on page 2.
    assert!(
        !page2.contains("Покупатель 00") && page2.contains("Покупатель 27"),
        "{page2}"
    );
    let back = href(&page2, "previous-page");
    let (_, again) = w.page(&back, &session).await;
    assert!(again.contains("Покупатель 00") && !again.contains("id=\"previous-page\""));
    let (_, desc) = w.page("/clients?sort=name&dir=desc", &session).await;
    let (p27, p26) = (
        desc.find("Покупатель 27").unwrap(),
        desc.find("Покупатель 26").unwrap(),
    );
    assert!(
        p27 < p26 && !desc.contains("Tom &#38; Jerry"),
        "backwards: Я to A, Latin last"
    );
    let (_, with) = w.page("/clients?purchases=yes", &session).await;
    assert!(with.contains("2 clients"), "{with}");
    let (_, without) = w.page("/clients?purchases=no", &session).await;
    assert!(without.contains("28 clients"), "{without}");
    // A value the form does not offer (an edited address): the error, and a way back.
    let (_, odd) = w.page("/clients?purchases=NONE", &session).await;
    assert!(
        odd.contains("role=\"alert\"") && odd.contains("id=\"clear-filters\""),
        "{odd}"
    );
    let (status, _, refused) = w
        .call("/api/clients", &session, json!({"q": {"sort": "age"}}))
        .await;
    assert_eq!(status, 400, "{refused}");
    assert!(refused.contains("sort"), "{refused}");

    // A new client; the same e-mail again is a warning first, a client only when confirmed.
    let new = |email: &str, confirmed: bool| json!({"name": "Новый Клиент", "email": email, "phone": "", "note": "Пришёл с выставки", "confirmed": confirmed});
    let (status, _, answer) = w
        .call(
            "/api/client/create",
            &session,
            new("new@buyer.example", false),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    let new_id = parsed(&answer)["Client"].as_str().unwrap().to_owned();
    let (_, body) = w.page(&format!("/clients/{new_id}"), &session).await;
    assert!(
        body.contains("Новый Клиент") && body.contains("Пришёл с выставки"),
        "{body}"
    );
    let (_, _, answer) = w
        .call(
            "/api/client/create",
            &session,
            new("NEW@buyer.example", false),
        )
        .await;
    assert_eq!(
        parsed(&answer)["Duplicates"][0]["id"],
        json!(new_id),
        "{answer}"
    );
    let (_, _, answer) = w
        .call(
            "/api/client/create",
            &session,
            new("new@buyer.example", true),
        )
        .await;
    assert!(parsed(&answer)["Client"].is_string(), "{answer}");
    // A phone is the same number in any form.
    let by_phone = json!({"name": "Иван З.", "email": "", "phone": "8 (912) 345-67-89", "note": "", "confirmed": false});
    let (_, _, answer) = w.call("/api/client/create", &session, by_phone).await;
    assert_eq!(
        parsed(&answer)["Duplicates"][0]["name"],
        "Зайцев Иван",
        "{answer}"
    );
    let (status, body) = w.page("/clients/new", &session).await;
    assert_eq!(status, 200);
    assert!(body.contains("id=\"new-client-form\""), "{body}");

    // Archived: out of the list, found under "Show archived", restored from there.
    let (status, _, _) = w
        .call(
            "/api/client/archive",
            &session,
            json!({"id": new_id, "archived": true}),
        )
        .await;
    assert_eq!(status, 200);
    let (_, body) = w.page("/clients?search=new%40buyer", &session).await;
    assert!(
        body.contains("1 client"),
        "only the unarchived twin: {body}"
    );
    let (_, body) = w.page("/clients?archived=1", &session).await;
    assert!(
        body.contains("1 client") && body.contains("class=\"restore\""),
        "{body}"
    );
    w.call(
        "/api/client/archive",
        &session,
        json!({"id": new_id, "archived": false}),
    )
    .await;
    let (_, body) = w.page("/clients?archived=1", &session).await;
    assert!(body.contains("No archived clients."), "{body}");

    // Sales: the sum of the matching sales per currency, sorting by amount, and days of the
    // company's zone (00:30 on 1 November in Moscow is November's).
    let (_, body) = w.page("/sales", &session).await;
    assert!(
        body.contains("id=\"sales-totals\"")
            && body.contains("₽2,000.00")
            && body.contains("$19.99"),
        "{body}"
    );
    let (_, body) = w
        .page(
            "/sales?from=2026-11-01&to=2026-11-30&currency=RUB",
            &session,
        )
        .await;
    assert!(
        body.contains("1 sale") && body.contains("Nov 1, 2026") && body.contains("₽1,500.00"),
        "{body}"
    );
    let (_, body) = w
        .page("/sales?from=2026-10-01&to=2026-10-31", &session)
        .await;
    assert!(
        body.contains("1 sale") && body.contains("₽500.00"),
        "October holds the other: {body}"
    );
    let (_, body) = w.page("/sales?sort=amount&dir=asc", &session).await;
    let (small, big) = (
        body.find("$19.99").unwrap(),
        body.find("₽1,500.00").unwrap(),
    );
    assert!(small < big, "smallest first");
    let zi = client_id(
        &w.graphql(
            &key,
            "{ clients(filter: {search: \"Зайцев\"}) { nodes { id } } }",
            json!({}),
        )
        .await,
    );
    let (_, body) = w.page(&format!("/clients/{zi}"), &ru).await;
    assert!(
        body.contains("01.11.2026"),
        "the client's purchase on its local day: {body}"
    );

    // A sale moves to another client, with its lines replaced; the day left as it was keeps
    // the moment (the form sends no day then).
    let usd = w
        .graphql(
            &key,
            "{ sales(filter: {currency: \"USD\"}) { nodes { id } } }",
            json!({}),
        )
        .await;
    let usd = usd["data"]["sales"]["nodes"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let form =
        json!({"amount": "19.99", "currency": "USD", "day": "", "status": "COMPLETED", "note": ""});
    let line = |name: &str| json!({"name": name, "sku": "", "kind": "GOODS", "quantity": "2", "unit_price": "9,995"});
    let (status, _, answer) = w
        .call(
            "/api/sale/update",
            &session,
            json!({"id": usd, "form": form, "client_id": zi, "items": [line("Sticker")]}),
        )
        .await;
    assert_eq!(status, 400, "three decimals in USD: {answer}");
    assert!(answer.contains("items[0].unitPriceMinor"), "{answer}");
    let (status, _, answer) = w
        .call(
            "/api/sale/update",
            &session,
            json!({"id": usd, "form": form, "client_id": zi, "items": [line("")]}),
        )
        .await;
    assert_eq!(status, 400, "{answer}");
    assert!(answer.contains("items[0].name"), "{answer}");
    let fixed = json!({"name": "Sticker", "sku": "ST-1", "kind": "GOODS", "quantity": "2", "unit_price": "9.99"});
    let (status, _, answer) = w
        .call(
            "/api/sale/update",
            &session,
            json!({"id": usd, "form": form, "client_id": zi, "items": [fixed]}),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    let (_, body) = w.page(&format!("/sales/{usd}"), &session).await;
    assert!(
        body.contains("Зайцев Иван")
            && body.contains("Sticker")
            && body.contains("ST-1")
            && body.contains("Nov 10, 2026"),
        "{body}"
    );

    // The report builder's quick periods count from the company's today, not the browser's.
    let moscow_today = || {
        chrono::Utc::now()
            .with_timezone(&chrono::FixedOffset::east_opt(3 * 3600).unwrap())
            .date_naive()
            .to_string()
    };
    let before = moscow_today();
    let (status, today) = w.page("/api/report/today", &session).await;
    assert_eq!(status, 200, "{today}");
    assert!(
        today == format!("\"{before}\"") || today == format!("\"{}\"", moscow_today()),
        "{today}"
    );

    // The page says its language and where you are.
    let (_, body) = w.page("/clients", &ru).await;
    assert!(
        body.contains("<html lang=\"ru\""),
        "{}",
        &body[..body.len().min(300)]
    );
    assert!(body.contains("<title>Клиенты — Лавка</title>"), "{body}");
    let (_, body) = w.page("/sales", &session).await;
    assert!(
        body.contains("<html lang=\"en\"") && body.contains("<title>Sales — Лавка</title>"),
        "{body}"
    );

    // Signing in through the plain form (before the app runs): a redirect with the cookie, and
    // the password in no address; a wrong one goes back to the form, with a Russian message.
    let (status, location, cookie) = redirect(
        &w,
        form_post(
            "/login",
            "email=day%40example.com&password=long+enough&next=%2Fsales",
            "",
        ),
    )
    .await;
    assert_eq!((status, location.as_str()), (303, "/sales"));
    assert!(
        cookie.unwrap_or_default().starts_with("crm_session="),
        "signed in"
    );
    let (status, location, cookie) = redirect(
        &w,
        form_post(
            "/login",
            "email=day%40example.com&password=secret+guess&next=%2F%2Fevil.example",
            "",
        ),
    )
    .await;
    assert_eq!(status, 303);
    assert!(
        cookie.is_none() && location.starts_with("/login?") && !location.contains("secret"),
        "{location}"
    );
    let (_, body) = w.page(&location, "crm_lang=ru").await;
    assert!(body.contains("Неверная почта или пароль"), "{body}");
    assert!(
        body.contains("value=\"day@example.com\""),
        "the e-mail is kept: {body}"
    );
    // From another site, the sign-in form is refused: nobody is signed in behind their back.
    let mut cross = form_post("/login", "email=day%40example.com&password=long+enough", "");
    cross
        .headers_mut()
        .insert(header::ORIGIN, "https://evil.example".parse().unwrap());
    assert_eq!(redirect(&w, cross).await.0, 403);
    // Registration through the plain form, and its refusal kept with the values typed.
    let (status, location, cookie) = redirect(
        &w,
        form_post(
            "/register",
            "email=day%40example.com&password=long+enough&displayName=Vera&companyName=Shop&baseCurrency=RUB",
            "",
        ),
    )
    .await;
    assert_eq!(status, 303);
    assert!(
        cookie.is_none() && location.contains("companyName=Shop") && !location.contains("long"),
        "{location}"
    );
    let (_, body) = w.page(&location, "crm_lang=ru").await;
    assert!(body.contains("Эта почта уже зарегистрирована"), "{body}");
}

/// The `href` of the element with `id`.
fn href(body: &str, id: &str) -> String {
    let at = body
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id}: {body}"));
    let tag_start = body[..at].rfind('<').unwrap();
    let tag = &body[tag_start..body[at..].find('>').unwrap() + at];
    let start = tag.find("href=\"").unwrap() + 6;
    let end = tag[start..].find('"').unwrap() + start;
    tag[start..end].replace("&amp;", "&").replace("&#38;", "&")
}
