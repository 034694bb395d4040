//! Every page's `<html lang>` in the interface language (the choice's cookie, else the
//! browser's `Accept-Language`), so screen readers, hyphenation and translation tools read
//! Russian as Russian from the first byte. The page template comes from the bundle, so the
//! attribute is added to the rendered page's opening `<html>` tag here; once the app runs,
//! switching the language updates it (`components::layout::Root`).

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;
use http_body_util::BodyExt;

use super::cookies::locale_of;

/// Adds `lang` to the `<html>` tag of an HTML page (in the first part of the body, where the
/// template puts it).
pub async fn html_lang(request: Request, next: Next) -> Response {
    let code = locale_of(request.headers()).code();
    let response = next.run(request).await;
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !html {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // The body grows by the attribute.
    parts.headers.remove(header::CONTENT_LENGTH);
    let mut first = true;
    let body = body.map_frame(move |frame| {
        if !std::mem::take(&mut first) {
            return frame;
        }
        match frame.into_data() {
            Ok(data) => http_body::Frame::data(with_lang(data, code)),
            Err(other) => other,
        }
    });
    Response::from_parts(parts, Body::new(body))
}

/// `page` with `lang="{code}"` on its `<html>` tag, when the tag has no `lang` yet.
fn with_lang(page: Bytes, code: &str) -> Bytes {
    let Ok(text) = std::str::from_utf8(&page) else {
        return page;
    };
    let Some(start) = text.find("<html") else {
        return page;
    };
    let Some(end) = text[start..].find('>').map(|e| start + e) else {
        return page;
    };
    let tag = &text[start..end];
    if tag.contains(" lang=") || !matches!(tag.as_bytes().get(5), None | Some(b' ' | b'\n')) {
        return page;
    }
    let mut out = String::with_capacity(text.len() + 12);
    out.push_str(&text[..start + 5]);
    out.push_str(&format!(" lang=\"{code}\""));
    out.push_str(&text[start + 5..]);
    Bytes::from(out)
}

#[cfg(test)]
mod tests {
    use super::with_lang;
    use axum::body::Bytes;

    fn lang(page: &str) -> String {
        String::from_utf8_lossy(&with_lang(Bytes::from(page.to_owned()), "ru")).into_owned()
    }

    #[test]
    fn the_html_tag_gets_the_language_once() {
        assert_eq!(
            lang("<!DOCTYPE html><html><head>"),
            "<!DOCTYPE html><html lang=\"ru\"><head>"
        );
        assert_eq!(lang("<html class=\"x\">"), "<html lang=\"ru\" class=\"x\">");
        assert_eq!(lang("<html lang=\"en\">"), "<html lang=\"en\">");
        assert_eq!(lang("<htmlx>"), "<htmlx>");
        assert_eq!(lang("no tag"), "no tag");
    }
}
