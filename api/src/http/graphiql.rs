//! GraphiQL at `GET /graphql`, served entirely by this server: GraphiQL 3.8.3 and React 18.3.1
//! are embedded in the binary (`api/assets/graphiql`, unchanged from their npm packages), so the
//! page works without internet access and tells no third party who uses the API. Each file is
//! named on the page with its SHA-384 (Subresource Integrity), the start script is a file too,
//! and the page's Content Security Policy runs scripts from this server only.

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

/// One embedded file: its name under `/graphql/assets/`, type, bytes and SHA-384 in base64.
struct Asset {
    name: &'static str,
    content_type: &'static str,
    bytes: &'static [u8],
    sha384: &'static str,
}

const REACT: Asset = Asset {
    name: "react.production.min.js",
    content_type: "text/javascript; charset=utf-8",
    bytes: include_bytes!("../../assets/graphiql/react.production.min.js"),
    sha384: "DGyLxAyjq0f9SPpVevD6IgztCFlnMF6oW/XQGmfe+IsZ8TqEiDrcHkMLKI6fiB/Z",
};
const REACT_DOM: Asset = Asset {
    name: "react-dom.production.min.js",
    content_type: "text/javascript; charset=utf-8",
    bytes: include_bytes!("../../assets/graphiql/react-dom.production.min.js"),
    sha384: "gTGxhz21lVGYNMcdJOyq01Edg0jhn/c22nsx0kyqP0TxaV5WVdsSH1fSDUf5YJj1",
};
const GRAPHIQL: Asset = Asset {
    name: "graphiql.min.js",
    content_type: "text/javascript; charset=utf-8",
    bytes: include_bytes!("../../assets/graphiql/graphiql.min.js"),
    sha384: "HbRVEFG0JGJZeAHCJ9Xm2+tpknBQ7QZmNlO/DgZtkZ0aJSypT96YYGRNod99l9Ie",
};
const GRAPHIQL_CSS: Asset = Asset {
    name: "graphiql.min.css",
    content_type: "text/css; charset=utf-8",
    bytes: include_bytes!("../../assets/graphiql/graphiql.min.css"),
    sha384: "Mq3vbRBY71jfjQAt/DcjxUIYY33ksal4cgdRt9U/hNPvHBCaT2JfJ/PTRiPKf0aM",
};
/// Ours: starts GraphiQL against `/graphql` and `/graphql/ws`.
const START: Asset = Asset {
    name: "start.js",
    content_type: "text/javascript; charset=utf-8",
    bytes: include_bytes!("graphiql/start.js"),
    sha384: "",
};

const ASSETS: [&Asset; 5] = [&REACT, &REACT_DOM, &GRAPHIQL, &GRAPHIQL_CSS, &START];

/// Everything from this server; GraphiQL sets inline styles and its CSS embeds fonts and icons
/// as data URLs.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self' 'unsafe-inline'; font-src 'self' data:; img-src 'self' data:; \
     connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

fn script(asset: &Asset) -> String {
    format!(
        r#"<script src="/graphql/assets/{}" integrity="sha384-{}"></script>"#,
        asset.name, asset.sha384
    )
}

/// The GraphiQL page.
pub async fn page() -> impl IntoResponse {
    let html = format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="robots" content="noindex">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>CRM GraphQL</title>
<link rel="stylesheet" href="/graphql/assets/{css}" integrity="sha384-{css_hash}">
{react}
{react_dom}
</head>
<body style="margin: 0">
<div id="graphiql" style="height: 100vh">Loading GraphiQL…</div>
{graphiql}
<script src="/graphql/assets/{start}"></script>
</body>
</html>
"#,
        css = GRAPHIQL_CSS.name,
        css_hash = GRAPHIQL_CSS.sha384,
        react = script(&REACT),
        react_dom = script(&REACT_DOM),
        graphiql = script(&GRAPHIQL),
        start = START.name,
    );
    (
        [(header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY)],
        Html(html),
    )
}

/// `/graphql/assets/{name}`: the page's files, cacheable for a day (their names change with
/// the versions pinned above only through a new release of the server).
pub async fn asset(Path(name): Path<String>) -> Response {
    match ASSETS.iter().find(|a| a.name == name) {
        Some(a) => (
            [
                (header::CONTENT_TYPE, a.content_type),
                (header::CACHE_CONTROL, "public, max-age=86400"),
            ],
            a.bytes,
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
