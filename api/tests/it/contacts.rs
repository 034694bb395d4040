//! Names and phones as people write them: clients sort by the alphabet whatever the case, and
//! a phone number finds its client however either was typed; both alike on the two backends.

use serde_json::{Value, json};

use crate::harness::{Server, TestDb, UPSERT_CLIENTS};
use crate::on_both_backends;

on_both_backends!(
    names_sort_by_the_alphabet_across_pages,
    phones_are_found_in_any_form,
    rows_older_than_their_sort_keys_get_them_at_start
);

const LIST: &str =
    "query($f: ClientFilterInput, $s: ClientSortInput, $first: Int, $after: String) {
  clients(filter: $f, sort: $s, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { externalId name phone phoneE164 phoneDisplay phoneValid } } } }";

fn names(r: &Value) -> Vec<String> {
    r["clients"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["name"].as_str().unwrap().to_owned())
        .collect()
}

async fn upsert(s: &Server, key: &str, rows: Value) {
    let r = s
        .data(Some(key), UPSERT_CLIENTS, json!({ "rows": rows }))
        .await;
    assert_eq!(r["upsertClients"]["rejected"], 0, "{r}");
}

/// Every page of the list in one direction.
async fn all_names(s: &Server, token: &str, direction: &str, search: Option<&str>) -> Vec<String> {
    let mut out = Vec::new();
    let mut after = Value::Null;
    loop {
        let r = s
            .data(
                Some(token),
                LIST,
                json!({ "s": { "field": "NAME", "direction": direction }, "first": 3,
                        "after": after, "f": { "search": search } }),
            )
            .await;
        out.extend(names(&r));
        if r["clients"]["pageInfo"]["hasNextPage"] != true {
            return out;
        }
        after = r["clients"]["pageInfo"]["endCursor"].clone();
    }
}

async fn names_sort_by_the_alphabet_across_pages(db: TestDb) {
    let s = Server::start(db).await;
    let (user, _) = s.register("names@example.com", "Names").await;
    let key = s.api_key(&user, "READ_WRITE").await;
    let given = [
        "Вера",
        "алла",
        "Boris",
        "anna",
        "Жанна",
        "Ёлкин",
        "Егор",
        "ООО «Ромашка»",
        "Émile",
        "Ирина",
        "Йошкин",
    ];
    let rows: Vec<Value> = given
        .iter()
        .enumerate()
        .map(|(i, n)| json!({ "externalId": format!("n{i}"), "name": n }))
        .collect();
    upsert(&s, &key, json!(rows)).await;
    let expected = [
        "anna",
        "Boris",
        "Émile",
        "алла",
        "Вера",
        "Егор",
        "Ёлкин",
        "Жанна",
        "Ирина",
        "Йошкин",
        "ООО «Ромашка»",
    ];
    assert_eq!(all_names(&s, &user, "ASC", None).await, expected);
    let mut reversed = expected.to_vec();
    reversed.reverse();
    assert_eq!(all_names(&s, &user, "DESC", None).await, reversed);

    // A rename moves the client to its new place.
    upsert(&s, &key, json!([{ "externalId": "n1", "name": "Яна" }])).await;
    let after = all_names(&s, &user, "ASC", None).await;
    assert_eq!(after.last().map(String::as_str), Some("Яна"), "{after:?}");

    // Search ignores case and reads ё as е.
    assert_eq!(all_names(&s, &user, "ASC", Some("ЕЛКИН")).await, ["Ёлкин"]);
    assert_eq!(
        all_names(&s, &user, "ASC", Some("ромашка")).await,
        ["ООО «Ромашка»"]
    );
}

async fn phones_are_found_in_any_form(db: TestDb) {
    let s = Server::start(db).await;
    let (user, _) = s.register("phones@example.com", "Phones").await;
    let key = s.api_key(&user, "READ_WRITE").await;
    upsert(
        &s,
        &key,
        json!([
            { "externalId": "typed", "name": "Зайцев Иван", "phone": "+7 (912) 345-67-89" },
            { "externalId": "e164", "name": "Петрова Анна", "phone": "+79876543210" },
            { "externalId": "eight", "name": "Сидоров Олег", "phone": "8 495 123-45-67" },
            { "externalId": "berlin", "name": "Müller", "phone": "030 1234567" },
            { "externalId": "bad", "name": "Без номера", "phone": "доб. 12" }
        ]),
    )
    .await;
    let find = |search: &'static str| {
        let s = &s;
        let user = user.clone();
        async move {
            let r = s
                .data(Some(&user), LIST, json!({ "f": { "search": search } }))
                .await;
            r["clients"]["edges"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["node"]["externalId"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    for search in [
        "79123456789",
        "9123456789",
        "+7 912 345 67 89",
        "8 (912) 345-67-89",
        "912 345",
    ] {
        assert_eq!(find(search).await, ["typed"], "{search}");
    }
    assert_eq!(find("987 654-32-10").await, ["e164"]);
    assert_eq!(find("+7 495 1234567").await, ["eight"]);
    assert_eq!(
        find("доб").await,
        ["bad"],
        "an invalid number is still text"
    );

    let r = s
        .data(
            Some(&user),
            LIST,
            json!({ "s": { "field": "NAME", "direction": "ASC" } }),
        )
        .await;
    let node = |ext: &str| -> Value {
        r["clients"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["node"]["externalId"] == ext)
            .map(|e| e["node"].clone())
            .unwrap()
    };
    assert_eq!(
        node("typed"),
        json!({ "externalId": "typed", "name": "Зайцев Иван", "phone": "+7 (912) 345-67-89",
                "phoneE164": "+79123456789", "phoneDisplay": "+7 912 345-67-89", "phoneValid": true })
    );
    assert_eq!(node("eight")["phoneE164"], "+74951234567");
    // Kept as typed, flagged, never lost.
    assert_eq!(
        node("bad"),
        json!({ "externalId": "bad", "name": "Без номера", "phone": "доб. 12",
                "phoneE164": null, "phoneDisplay": "доб. 12", "phoneValid": false })
    );
    // A Berlin number without its country code means nothing in Russia ...
    assert_eq!(node("berlin")["phoneValid"], false);

    // ... and is read again when the company says its numbers are German.
    let r = s
        .call(
            Some(&user),
            "mutation { setCompanyPhoneRegion(region: \"XX\") { phoneRegion } }",
            json!({}),
        )
        .await;
    assert_eq!(crate::harness::error_code(&r), "BAD_USER_INPUT", "{r}");
    let r = s
        .data(
            Some(&user),
            "mutation { setCompanyPhoneRegion(region: \"de\") { phoneRegion } }",
            json!({}),
        )
        .await;
    assert_eq!(r["setCompanyPhoneRegion"]["phoneRegion"], "DE");
    assert_eq!(find("+49 30 1234567").await, ["berlin"]);
    let r = s
        .data(Some(&user), LIST, json!({ "f": { "search": "Müller" } }))
        .await;
    let berlin = &r["clients"]["edges"][0]["node"];
    assert_eq!(
        (berlin["phoneE164"].clone(), berlin["phoneValid"].clone()),
        (json!("+49301234567"), json!(true)),
        "{r}"
    );
    // Numbers with their country code do not change.
    assert_eq!(find("79123456789").await, ["typed"]);
    let names = all_names(&s, &user, "ASC", None).await;
    assert_eq!(names.len(), 5, "every client keeps its sort key: {names:?}");
    assert_eq!(names.first().map(String::as_str), Some("Müller"));
}

/// Clients stored before the sort keys and phone columns existed (or whose derivation was
/// interrupted) get them when the server opens the database.
async fn rows_older_than_their_sort_keys_get_them_at_start(db: TestDb) {
    let url = db.url.clone();
    let s = Server::start(db).await;
    let (user, _) = s.register("old@example.com", "Old").await;
    let key = s.api_key(&user, "READ_WRITE").await;
    upsert(
        &s,
        &key,
        json!([
            { "externalId": "a", "name": "Вера", "phone": "8 912 345 67 89" },
            { "externalId": "b", "name": "anna" }
        ]),
    )
    .await;
    let mut conn = s.app.db.write().await.unwrap();
    conn.execute_sql("UPDATE clients SET name_key = '', phone_e164 = NULL, search_text = ''")
        .await
        .unwrap();
    drop(conn);

    crm_api::db::Db::connect(&url, 1).await.expect("opens");
    assert_eq!(all_names(&s, &user, "ASC", None).await, ["anna", "Вера"]);
    let r = s
        .data(
            Some(&user),
            LIST,
            json!({ "f": { "search": "+79123456789" } }),
        )
        .await;
    assert_eq!(names(&r), ["Вера"]);
    assert_eq!(
        r["clients"]["edges"][0]["node"]["phoneE164"],
        "+79123456789"
    );
}
