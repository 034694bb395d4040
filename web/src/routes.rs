//! Every screen of the app, one variant each.

use dioxus::prelude::*;

use crate::api::clients::ClientQuery;
use crate::api::reports::ReportQuery;
use crate::api::sales::SaleQuery;
use crate::api::session::Failure;
use crate::components::layout::{Root, Shell};
use crate::pages::api_keys::ApiKeys;
use crate::pages::client::ClientPage;
use crate::pages::clients::{Clients, NewClient};
use crate::pages::home::Home;
use crate::pages::login::{Login, Register};
use crate::pages::not_found::NotFound;
use crate::pages::reports::ReportBuilder;
use crate::pages::sale::SalePage;
use crate::pages::sales::Sales;
use crate::pages::saved_reports::{SavedReport, SavedReports, SharedReport};

#[derive(Routable, Clone, PartialEq, Debug)]
#[rustfmt::skip]
pub enum Route {
    #[layout(Root)]
        #[route("/login?:..failure")]
        Login { failure: Failure },
        #[route("/register?:..failure")]
        Register { failure: Failure },
        #[route("/shared/:token")]
        SharedReport { token: String },
        #[layout(Shell)]
            #[route("/")]
            Home {},
            #[route("/clients?:..query")]
            Clients { query: ClientQuery },
            #[route("/clients/new")]
            NewClient {},
            #[route("/clients/:id?:more")]
            ClientPage { id: String, more: String },
            #[route("/sales?:..query")]
            Sales { query: SaleQuery },
            #[route("/sales/:id")]
            SalePage { id: String },
            #[route("/reports?:after")]
            SavedReports { after: String },
            #[route("/reports/saved/:id")]
            SavedReport { id: String },
            #[route("/reports/new?:kind&:from&:to&:granularity&:status&:currency&:client&:min&:max&:horizon")]
            ReportBuilder { kind: String, from: String, to: String, granularity: String, status: String, currency: String, client: Text, min: Text, max: Text, horizon: String },
            #[route("/api-keys")]
            ApiKeys {},
        #[end_layout]
        #[route("/:..segments")]
        NotFound { segments: Vec<String> },
}

impl Route {
    /// The clients list as it first opens.
    pub fn clients() -> Route {
        Route::Clients {
            query: ClientQuery::default(),
        }
    }

    /// The sales list, unfiltered.
    pub fn sales() -> Route {
        Route::sales_of(String::new())
    }

    /// The sales list of one client (every client when `client` is empty).
    pub fn sales_of(client: String) -> Route {
        Route::Sales {
            query: SaleQuery::of_client(client),
        }
    }

    /// The report builder with nothing chosen yet.
    pub fn new_report() -> Route {
        Route::report(ReportQuery::default())
    }

    /// The report builder with these parameters (and the report, when they are complete).
    pub fn report(q: ReportQuery) -> Route {
        let ReportQuery {
            kind,
            from,
            to,
            granularity,
            status,
            currency,
            client,
            min,
            max,
            horizon,
        } = q;
        Route::ReportBuilder {
            kind,
            from,
            to,
            granularity,
            status,
            currency,
            client: Text(client),
            min: Text(min),
            max: Text(max),
            horizon,
        }
    }

    pub fn client(id: String) -> Route {
        Route::ClientPage {
            id,
            more: String::new(),
        }
    }
}

/// Where to go after signing in: `next` when it is a path of this site, else the start screen.
/// Never another host (`//evil.example`, `/\\evil.example`, a tab a browser would drop), never
/// a scheme (`javascript:`).
pub fn local_target(next: &str) -> &str {
    let path_only = next.starts_with('/')
        && !next.starts_with("//")
        && !next
            .chars()
            .any(|c| c == '\\' || c.is_control() || c.is_whitespace());
    if path_only { next } else { "/" }
}

/// The hidden field (`name`, `value`) that marks a query as sent by one of our GET forms, which
/// `crate::server::query` turns into the address the app writes itself.
pub const FORM_MARKER: (&str, &str) = ("form", "1");

/// Free text in a page's address (a search, an amount as typed), written so that any text comes
/// back exactly as it was: spaces, `+`, `&`, `%`, `#`, `=`, quotes and Cyrillic.
///
/// The router percent-decodes the whole query once before it splits it at `&` and `=`, so a
/// value's own `&`, `=`, `+`, `%` and `#` are written percent-encoded twice (`&` → `%2526`) and
/// a space as `+`; the rest (Cyrillic, quotes) the router's own encoding covers. Reading undoes
/// this once more, as `application/x-www-form-urlencoded` (WHATWG URL §5.1). A plain HTML form
/// encodes once; `crate::server::query` answers such a submission with a redirect to the
/// address written here, so the router never sees it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Text(pub String);

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use std::fmt::Write;
        for c in self.0.chars() {
            match c {
                ' ' => f.write_char('+')?,
                '%' | '&' | '+' | '#' | '=' => write!(f, "%25{:02X}", u32::from(c))?,
                c => f.write_char(c)?,
            }
        }
        Ok(())
    }
}

impl std::str::FromStr for Text {
    type Err = std::convert::Infallible;
    /// `s` is the value as the router passes it, decoded once already.
    fn from_str(s: &str) -> Result<Text, Self::Err> {
        Ok(Text(form_value(s)))
    }
}

/// One value of an `application/x-www-form-urlencoded` query, decoded: `+` is a space, then
/// percent-escapes are undone (invalid UTF-8 becomes U+FFFD).
pub fn form_value(raw: &str) -> String {
    let spaced = raw.replace('+', " ");
    percent_encoding::percent_decode_str(&spaced)
        .decode_utf8_lossy()
        .into_owned()
}

/// The `name=value` pairs of a query as the router hands it over (percent-decoded once), each
/// value read back as [`Text`] writes it.
pub fn query_pairs(query: &str) -> impl Iterator<Item = (&str, String)> {
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(name, value)| (name, form_value(value)))
}

/// Writes a query as the app's addresses carry it: empty values left out, each value as
/// [`Text`] writes it (the router encodes what is not ASCII on top).
pub fn write_query(f: &mut std::fmt::Formatter<'_>, pairs: &[(&str, &str)]) -> std::fmt::Result {
    let mut first = true;
    for (name, value) in pairs.iter().filter(|(_, v)| !v.is_empty()) {
        if !first {
            f.write_str("&")?;
        }
        first = false;
        write!(f, "{name}={}", Text((*value).to_owned()))?;
    }
    Ok(())
}

/// A list's view as its address carries it (`/clients?search=…&sort=…`): named form values,
/// empty meaning "not chosen", among them `after` (the cursor this page starts after) and
/// `trail` (the earlier pages', [`Trail`]); `sort` and `dir` order the list, the other fields
/// filter it. The router reads and writes it through `From<&str>` and `Display`, which call
/// [`ListView::parse`] and [`ListView::write`].
pub trait ListView: Clone + Default {
    /// Every field with its name, in the order the address writes them.
    fn fields(&self) -> Vec<(&'static str, &str)>;

    /// The field `name`, to change it; `None` for a name the view does not have.
    fn field_mut(&mut self, name: &str) -> Option<&mut String>;

    /// The view an address's query gives (decoded once, as the router hands it over).
    fn parse(query: &str) -> Self {
        let mut view = Self::default();
        for (name, value) in query_pairs(query) {
            if let Some(slot) = view.field_mut(name) {
                *slot = value;
            }
        }
        view
    }

    /// The view's query, as the address carries it.
    fn write(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write_query(f, &self.fields())
    }

    /// The value of the field `name` ("" when empty or unknown).
    fn get(&self, name: &str) -> String {
        self.fields()
            .into_iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.to_owned())
            .unwrap_or_default()
    }

    /// The view with `name` set to `value`.
    fn with(&self, name: &str, value: String) -> Self {
        let mut view = self.clone();
        if let Some(slot) = view.field_mut(name) {
            *slot = value;
        }
        view
    }

    /// The same view from its first page.
    fn first_page(&self) -> Self {
        self.with("after", String::new())
            .with("trail", String::new())
    }

    /// The page after this one, which starts after `cursor`.
    fn next_page(&self, cursor: String) -> Self {
        let trail = Trail::push(&self.get("trail"), &self.get("after"));
        self.with("trail", trail).with("after", cursor)
    }

    /// The page before this one; `None` on the first page.
    fn previous_page(&self) -> Option<Self> {
        Trail::pop(&self.get("trail"), &self.get("after"))
            .map(|(trail, after)| self.with("trail", trail).with("after", after))
    }

    /// The filters in force, with their values.
    fn filters(&self) -> Vec<(&'static str, &str)> {
        self.fields()
            .into_iter()
            .filter(|(name, value)| {
                !value.is_empty() && !matches!(*name, "sort" | "dir" | "after" | "trail")
            })
            .collect()
    }

    /// The view without the filter `name`, from its first page.
    fn without(&self, name: &str) -> Self {
        self.first_page().with(name, String::new())
    }

    /// The view with no filter, in the same order.
    fn unfiltered(&self) -> Self {
        Self::default()
            .with("sort", self.get("sort"))
            .with("dir", self.get("dir"))
    }
}

/// Pages seen before the current one, for "Previous page": the cursors the earlier pages
/// started after (the first page's, empty, is implied), joined by `.` (cursors are URL-safe
/// base64, which has no `.`). At most [`Trail::MAX`] are kept; older pages are left out.
pub struct Trail;

impl Trail {
    /// Cursors of name sorts hold the name, so a long trail makes a long address.
    pub const MAX: usize = 10;

    /// The trail of the next page, from the current page's `trail` and `after`.
    pub fn push(trail: &str, after: &str) -> String {
        if after.is_empty() {
            return String::new();
        }
        let mut cursors: Vec<&str> = trail.split('.').filter(|c| !c.is_empty()).collect();
        cursors.push(after);
        let skip = cursors.len().saturating_sub(Self::MAX);
        cursors.split_off(skip).join(".")
    }

    /// The previous page's `(trail, after)`; `None` on the first page.
    pub fn pop(trail: &str, after: &str) -> Option<(String, String)> {
        if after.is_empty() {
            return None;
        }
        let mut cursors: Vec<&str> = trail.split('.').filter(|c| !c.is_empty()).collect();
        let previous = cursors.pop().unwrap_or_default().to_owned();
        Some((cursors.join("."), previous))
    }
}

#[cfg(test)]
mod tests {
    use super::{Text, Trail};

    #[test]
    fn a_trail_walks_back_to_the_first_page() {
        let page2 = ("".to_owned(), "c1".to_owned());
        let page3 = (Trail::push(&page2.0, &page2.1), "c2".to_owned());
        assert_eq!(page3.0, "c1");
        assert_eq!(Trail::pop(&page3.0, &page3.1), Some(page2.clone()));
        assert_eq!(
            Trail::pop(&page2.0, &page2.1),
            Some((String::new(), String::new()))
        );
        assert_eq!(Trail::pop("", ""), None);
        let long = (0..60).fold(String::new(), |t, i| Trail::push(&t, &format!("c{i}")));
        assert_eq!(long.split('.').count(), Trail::MAX);
        assert!(long.ends_with("c59"));
    }

    #[test]
    fn after_signing_in_only_pages_of_this_site() {
        use super::local_target;
        assert_eq!(local_target("/clients?search=a"), "/clients?search=a");
        for foreign in [
            "//evil.example/",
            "/\\evil.example",
            "/\t/evil.example",
            "https://evil.example/",
            "javascript:alert(1)",
            "",
        ] {
            assert_eq!(local_target(foreign), "/", "{foreign:?}");
        }
    }

    #[test]
    fn text_is_written_so_that_one_decoding_leaves_it_readable() {
        let t = Text("a b&c+d%e=#".into()).to_string();
        assert_eq!(t, "a+b%2526c%252Bd%2525e%253D%2523");
        let once = percent_encoding::percent_decode_str(&t)
            .decode_utf8_lossy()
            .into_owned();
        assert_eq!(once.parse::<Text>().ok(), Some(Text("a b&c+d%e=#".into())));
    }
}
