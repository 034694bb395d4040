//! Search and filter forms are plain GET forms, so they work before the browser code arrives.
//! A browser encodes such a form once (`application/x-www-form-urlencoded`), but the router
//! decodes a query once before it splits it, so `a&b` or `1+1` typed into a field would come
//! apart. Each of these forms carries a marker field (`FORM_MARKER`); a request with it is answered
//! with a redirect to the same page at the address the app itself writes for those values
//! (`crate::routes::Text`), which the router reads back exactly.

use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use dioxus::router::exports::{QUERY_ASCII_SET, percent_encoding::utf8_percent_encode};

use crate::routes::{FORM_MARKER as MARKER, Text, form_value};

/// Redirects a page request sent by a marked GET form to the app's own address for it.
pub async fn canonical_form_query(request: Request, next: Next) -> Response {
    if request.method() == Method::GET
        && let Some(location) = request
            .uri()
            .query()
            .and_then(|q| canonical(request.uri().path(), q))
        && let Ok(location) = HeaderValue::from_str(&location)
    {
        return (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response();
    }
    next.run(request).await
}

/// The address for `path` with a marked form's `query`: empty fields and the marker left out,
/// each value written as [`Text`] writes it; `None` when the query has no marker.
fn canonical(path: &str, query: &str) -> Option<String> {
    let pairs: Vec<(String, String)> = query
        .split('&')
        .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
        .map(|(k, v)| (form_value(k), form_value(v)))
        .collect();
    if !pairs
        .iter()
        .any(|(k, v)| (k.as_str(), v.as_str()) == MARKER)
    {
        return None;
    }
    let written: Vec<String> = pairs
        .into_iter()
        .filter(|(k, v)| k != MARKER.0 && !v.is_empty())
        .map(|(k, v)| format!("{k}={}", Text(v)))
        .collect();
    // Only what the router's own writing encodes on top (non-ASCII, quotes, `<`, `>`).
    let query = utf8_percent_encode(&written.join("&"), QUERY_ASCII_SET).to_string();
    // A path of our own pages only: never a redirect to another host (`//evil.example`).
    let path = if path.starts_with("//") { "/" } else { path };
    Some(if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    })
}

#[cfg(test)]
mod tests {
    use super::canonical;
    use crate::api::clients::ClientQuery;
    use crate::routes::Route;

    /// What a browser sends for `search` typed into the clients form.
    fn submitted(search: &str) -> String {
        let mut q = String::from("search=");
        for b in search.bytes() {
            match b {
                b' ' => q.push('+'),
                b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => {
                    q.push(char::from(b));
                }
                b => q.push_str(&format!("%{b:02X}")),
            }
        }
        q + "&sort=total&after=&form=1"
    }

    #[test]
    fn any_text_a_form_sends_comes_back_from_the_router_as_typed() {
        for typed in [
            "Зайцев Иван",
            "a&b=c",
            "1+1 = 2",
            "100% «ёлка» \"quoted\" 'single'",
            "#tag ? <b>",
            "%D0%97 literally",
            "  spaced  ",
        ] {
            let location = canonical("/clients", &submitted(typed)).unwrap_or_default();
            assert!(location.is_ascii(), "{location}");
            let route: Route = location.parse().unwrap_or_else(|_| Route::clients());
            let query = ClientQuery {
                search: typed.to_owned(),
                sort: "total".into(),
                ..ClientQuery::default()
            };
            assert_eq!(route, Route::Clients { query }, "{typed:?} via {location}");
            // The app's own link to it reads back the same.
            assert_eq!(route.to_string().parse::<Route>().ok(), Some(route));
        }
    }

    #[test]
    fn only_marked_queries_redirect_and_only_to_our_own_pages() {
        assert_eq!(canonical("/clients", "search=a%26b"), None);
        assert_eq!(canonical("/clients", "form=1").as_deref(), Some("/clients"));
        assert_eq!(
            canonical("//evil.example", "form=1&search=x").as_deref(),
            Some("/?search=x")
        );
    }
}
