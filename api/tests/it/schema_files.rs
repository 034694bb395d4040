//! Generated and hand-kept files agree with the code: `schema.graphql`, the two migration
//! sets with each other, and the hand-written diesel `schema.rs` with the migrated databases.

use std::collections::BTreeMap;

use crate::harness::{Backend, TestDb};

#[test]
fn schema_graphql_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../schema.graphql");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == crm_api::graphql::sdl(),
        "schema.graphql is stale; regenerate it with:\n  cargo run -p crm-api --bin crm -- export-schema > schema.graphql"
    );
}

/// Table -> column -> (type family, nullable) of a migrated database.
type Columns = BTreeMap<String, BTreeMap<String, (String, bool)>>;

fn family(t: &str) -> String {
    let t = t.to_ascii_lowercase();
    if t.contains("int") || t.contains("serial") {
        "integer"
    } else if t.contains("timestamp") {
        "timestamp"
    } else if t.contains("text") || t.contains("char") {
        "text"
    } else if t.contains("double") || t == "real" {
        "float"
    } else {
        return t;
    }
    .to_owned()
}

async fn pg_columns(url: &str) -> Columns {
    let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    let rows = client
        .query(
            "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text FROM information_schema.columns
             WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations'",
            &[],
        )
        .await
        .unwrap();
    let mut out = Columns::new();
    for r in rows {
        let (t, c, ty, null): (String, String, String, String) =
            (r.get(0), r.get(1), r.get(2), r.get(3));
        out.entry(t)
            .or_default()
            .insert(c, (family(&ty), null == "YES"));
    }
    out
}

fn sqlite_columns(path: &str) -> Columns {
    use diesel::prelude::*;
    #[derive(QueryableByName)]
    struct Col {
        #[diesel(sql_type = diesel::sql_types::Text)]
        t: String,
        #[diesel(sql_type = diesel::sql_types::Text)]
        name: String,
        #[diesel(sql_type = diesel::sql_types::Text)]
        ty: String,
        #[diesel(sql_type = diesel::sql_types::Integer)]
        notnull: i32,
        #[diesel(sql_type = diesel::sql_types::Integer)]
        pk: i32,
    }
    let mut conn = SqliteConnection::establish(path).unwrap();
    let cols: Vec<Col> = diesel::sql_query(
        "SELECT m.name AS t, p.name AS name, p.type AS ty, p.\"notnull\" AS \"notnull\", p.pk AS pk
         FROM sqlite_master m JOIN pragma_table_info(m.name) p
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '__diesel_schema_migrations'",
    )
    .load(&mut conn)
    .unwrap();
    let mut out = Columns::new();
    for c in cols {
        // SQLite reports a primary key as nullable unless declared NOT NULL; it never is.
        out.entry(c.t)
            .or_default()
            .insert(c.name, (family(&c.ty), c.notnull == 0 && c.pk == 0));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrations_of_both_backends_agree() {
    let pg = TestDb::new(Backend::Postgres).await;
    let lite = TestDb::new(Backend::Sqlite).await;
    crm_api::db::Db::connect(&pg.url, 1).await.unwrap();
    crm_api::db::Db::connect(&lite.url, 1).await.unwrap();
    let (a, b) = (pg_columns(&pg.url).await, sqlite_columns(&lite.url));
    assert_eq!(a, b, "PostgreSQL and SQLite migrations differ");
    assert!(a.contains_key("sales") && a["sales"].contains_key("amount_minor"));
}

/// The tables of `api/src/db/schema.rs` as `Columns`, read from its `diesel::table!` blocks
/// (`name -> Type,` or `name -> Nullable<Type>,` per column).
fn schema_rs_columns() -> Columns {
    let text = include_str!("../../src/db/schema.rs");
    let mut out = Columns::new();
    let mut table: Option<String> = None;
    for line in text.lines().map(str::trim) {
        if let Some(head) = line.strip_suffix('{').map(str::trim)
            && let Some((name, _key)) = head.split_once(' ')
            && !name.contains('!')
        {
            table = Some(name.to_owned());
            out.entry(name.to_owned()).or_default();
            continue;
        }
        if line == "}" {
            table = None;
            continue;
        }
        let (Some(t), Some((column, ty))) = (&table, line.split_once(" -> ")) else {
            continue;
        };
        let ty = ty.trim_end_matches(',');
        let (ty, nullable) = match ty.strip_prefix("Nullable<") {
            Some(inner) => (inner.trim_end_matches('>'), true),
            None => (ty, false),
        };
        let family = match ty {
            "BigInt" | "Integer" => "integer",
            "Text" => "text",
            "Timestamp" => "timestamp",
            "Bool" => "boolean",
            "Date" => "date",
            "Double" => "float",
            other => panic!("schema.rs: type {other} of {t}.{column} is not mapped in this test"),
        };
        out.entry(t.clone())
            .or_default()
            .insert(column.to_owned(), (family.to_owned(), nullable));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn diesel_schema_rs_matches_the_migrated_databases() {
    let declared = schema_rs_columns();
    assert!(
        declared.len() >= 10 && declared["sales"]["status"] == ("text".to_owned(), false),
        "the parser of schema.rs read too little: {declared:?}"
    );
    let pg = TestDb::new(Backend::Postgres).await;
    let lite = TestDb::new(Backend::Sqlite).await;
    crm_api::db::Db::connect(&pg.url, 1).await.unwrap();
    crm_api::db::Db::connect(&lite.url, 1).await.unwrap();
    for (name, migrated) in [
        ("PostgreSQL", pg_columns(&pg.url).await),
        ("SQLite", sqlite_columns(&lite.url)),
    ] {
        assert_eq!(
            declared, migrated,
            "api/src/db/schema.rs differs from the migrated {name} database: edit schema.rs to \
             match migrations/ (every table, column, type family and nullability)"
        );
    }
}
