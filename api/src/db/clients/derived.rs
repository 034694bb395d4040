//! What the server derives from a client's contact fields so that both backends sort and find
//! alike, and the backfill of rows written before (or under another phone region).

use super::*;

/// What the server stores beside a client's contact fields so that both backends sort and
/// find alike (see `domain::text` and `domain::phone`).
#[derive(Clone, Debug, PartialEq)]
pub struct Derived {
    /// Lines a search matches in, folded: the name, the e-mail, the phone as typed, and for a
    /// valid phone its digits in E.164 and without the country code (so `79123456789`,
    /// `9123456789` and `+7 912 345 67 89` all find `+7 (912) 345-67-89`).
    pub search_text: String,
    /// The name's alphabetical sort key.
    pub name_key: String,
    /// The phone in E.164 when it is a valid number in the company's region.
    pub phone_e164: Option<String>,
}

impl Derived {
    pub fn of(name: &str, email: Option<&str>, phone: Option<&str>, region: Region) -> Derived {
        let mut search_text = text::fold(name);
        for part in [email, phone].into_iter().flatten() {
            search_text.push('\n');
            search_text.push_str(&text::fold(part));
        }
        let valid = phone.and_then(|p| phone::parse(p, region));
        match &valid {
            Some(p) => {
                for digits in [p.e164.trim_start_matches('+'), p.national.as_str()] {
                    search_text.push('\n');
                    search_text.push_str(digits);
                }
            }
            // An invalid number is still found by its digits, however it was typed.
            None => {
                if let Some(digits) = phone.and_then(phone::digits_of) {
                    search_text.push('\n');
                    search_text.push_str(&digits);
                }
            }
        }
        Derived {
            search_text,
            name_key: text::sort_key(name),
            phone_e164: valid.map(|p| p.e164),
        }
    }
}

/// The search a client list runs for what a person typed: folded text, or when the text is a
/// phone number, the digits that every stored form of that number contains.
pub fn search_term(typed: &str, region: Region) -> String {
    if let Some(digits) = phone::digits_of(typed) {
        return match phone::parse(typed, region) {
            Some(p) => p.national,
            None => digits,
        };
    }
    text::fold(typed.trim())
}

/// Fills the [`Derived`] columns of clients that lack them (an empty `name_key`): rows written
/// before they existed, or a company's rows after its phone region changed. One company's
/// clients, or every company's; 500 rows a round. Returns how many rows it filled.
pub async fn derive_missing(conn: &mut DbConn, company: Option<i64>) -> QueryResult<u64> {
    type Row = (i64, i64, String, Option<String>, Option<String>, String);
    let mut filled = 0;
    loop {
        // One transaction a round: one commit (one sync on SQLite) per 500 rows.
        let round = crate::transaction!(conn, diesel::result::Error, {
            let rows: Vec<Row> = with_conn!(conn, c => {
                let mut q = clients::table
                    .inner_join(crate::db::schema::companies::table)
                    .filter(clients::name_key.eq(""))
                    .into_boxed();
                if let Some(company) = company {
                    q = q.filter(clients::company_id.eq(company));
                }
                q.select((
                    clients::id,
                    clients::company_id,
                    clients::name,
                    clients::email,
                    clients::phone,
                    crate::db::schema::companies::phone_region,
                ))
                .order(clients::id)
                .limit(500)
                .load(c)
                .await
            })?;
            for (id, company_id, name, email, phone, region) in &rows {
                let d = Derived::of(
                    name,
                    email.as_deref(),
                    phone.as_deref(),
                    Region::from_stored(region),
                );
                with_conn!(conn, c => {
                    diesel::update(
                        clients::table
                            .filter(clients::company_id.eq(*company_id))
                            .filter(clients::id.eq(*id)),
                    )
                    .set((
                        clients::search_text.eq(d.search_text),
                        clients::name_key.eq(d.name_key),
                        clients::phone_e164.eq(d.phone_e164),
                    ))
                    .execute(c)
                    .await
                })?;
            }
            Ok(rows.len())
        })?;
        if round == 0 {
            return Ok(filled);
        }
        filled += u64::try_from(round).unwrap_or(0);
    }
}

/// Derives every client's columns of one company again (after its phone region changed).
/// Run it in a transaction: in between, the company's clients sort as unnamed.
pub async fn derive_all(conn: &mut DbConn, company_id: i64) -> QueryResult<u64> {
    with_conn!(conn, c => {
        diesel::update(clients::table.filter(clients::company_id.eq(company_id)))
            .set(clients::name_key.eq(""))
            .execute(c)
            .await
    })?;
    derive_missing(conn, Some(company_id)).await
}
