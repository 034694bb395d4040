//! The web router on a scratch database, and requests to it as a browser sends them.

use axum::body::Body;
use axum::http::{Request, header};
use serde_json::{Value, json};
use tower::ServiceExt;

use crm_test_support::{Backend, ScratchDb};

pub struct Web {
    pub router: axum::Router,
    _db: ScratchDb,
}

pub async fn web(postgres: bool) -> Web {
    web_with(postgres, crm_api::Config::default()).await
}

/// [`web`] with other settings than the defaults (the database is set here).
pub async fn web_with(postgres: bool, config: crm_api::Config) -> Web {
    let backend = if postgres {
        Backend::Postgres
    } else {
        Backend::Sqlite
    };
    let db = ScratchDb::new(backend, "web").await;
    let config = crm_api::Config {
        database_url: Some(db.url.clone()),
        ..config
    };
    Web {
        router: crm_web::server::build(config).await.unwrap(),
        _db: db,
    }
}

impl Web {
    /// The status, the first `Set-Cookie` (name=value only) and the body of the answer.
    pub async fn send(&self, request: Request<Body>) -> (u16, Option<String>, String) {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status().as_u16();
        let cookie = response
            .headers()
            .get(header::SET_COOKIE)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.split(';').next().unwrap_or("").to_owned());
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        (status, cookie, String::from_utf8_lossy(&body).into_owned())
    }

    /// A page as an English-speaking browser with `cookie` gets it.
    pub async fn page(&self, path: &str, cookie: &str) -> (u16, String) {
        let request = Request::get(path)
            .header(header::COOKIE, cookie)
            .header(header::ACCEPT_LANGUAGE, "en-US,en")
            .body(Body::empty())
            .unwrap();
        let (status, _, body) = self.send(request).await;
        (status, body)
    }

    /// A server function called from our own pages.
    pub async fn call(
        &self,
        path: &str,
        cookie: &str,
        args: Value,
    ) -> (u16, Option<String>, String) {
        let request = Request::post(path)
            .header(header::HOST, "crm.test")
            .header(header::ORIGIN, "http://crm.test")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::COOKIE, cookie)
            .body(Body::from(args.to_string()))
            .unwrap();
        self.send(request).await
    }

    /// A GraphQL request with an API key, as an integration sends it.
    pub async fn graphql(&self, key: &str, query: &str, variables: Value) -> Value {
        let request = Request::post("/graphql")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::AUTHORIZATION, format!("Bearer {key}"))
            .body(Body::from(
                json!({ "query": query, "variables": variables }).to_string(),
            ))
            .unwrap();
        serde_json::from_str(&self.send(request).await.2).unwrap()
    }
}

/// Registers through the UI's server function; returns the whole `Set-Cookie` of the answer.
pub async fn register(w: &Web, email: &str) -> String {
    let args = json!({"email": email, "password": "long enough", "display_name": "Вера",
                      "company_name": "Лавка", "base_currency": "RUB"});
    let response = w
        .router
        .clone()
        .oneshot(
            Request::post("/api/session/register")
                .header(header::HOST, "crm.test")
                .header(header::ORIGIN, "http://crm.test")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(args.to_string()))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response
        .headers()
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned()
}

/// A JSON call's answer, parsed.
pub fn parsed(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|_| panic!("not JSON: {body}"))
}

/// The form field a failed call names.
pub fn field_of(body: &str) -> Value {
    parsed(body)["data"]["ServerError"]["details"]["field"].clone()
}
