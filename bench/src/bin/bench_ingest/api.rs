//! The GraphQL side: the real server in-process, sign-up and API key, the batch ingestion
//! and the clients page, timed over HTTP.

use super::*;

/// The real server, running in this process on an ephemeral port.
pub(super) struct Server {
    pub(super) api: Api,
    /// Kept so the state outlives every request; dropped with the server.
    pub(super) _app: Arc<crm_api::App>,
    pub(super) task: JoinHandle<std::io::Result<()>>,
}

impl Server {
    pub(super) async fn start(database_url: &str) -> Result<Server> {
        let config = crm_api::Config {
            database_url: Some(database_url.to_owned()),
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            // The benchmark sends far more than an integrator's default allowance per minute.
            api_key_rate_per_min: 1_000_000,
            // The page measurements come after the bulk top-up; the user's token must still be
            // valid then, however long the top-up takes on a slow machine.
            access_token_ttl: Duration::from_secs(24 * 3600),
            ..Default::default()
        };
        // build_router migrates the fresh database.
        let (app, router) = crm_api::build_router(config)
            .await
            .context("starting the API server")?;
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
            .await
            .context("binding 127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let task = tokio::spawn(crm_api::serve(listener, router));
        let http = reqwest::Client::builder()
            // Loopback only: an HTTP_PROXY in the environment must not be used.
            .no_proxy()
            .timeout(Duration::from_secs(600))
            .build()
            .context("building the HTTP client")?;
        Ok(Server {
            api: Api {
                http,
                url: format!("http://{addr}/graphql"),
            },
            _app: app,
            task,
        })
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

pub(super) struct Api {
    pub(super) http: reqwest::Client,
    pub(super) url: String,
}

impl Api {
    /// Posts a pre-serialized GraphQL request and returns the raw answer, so callers can stop
    /// their timer before parsing.
    pub(super) async fn send(
        &self,
        token: Option<&str>,
        body: String,
    ) -> Result<(StatusCode, String)> {
        let mut request = self
            .http
            .post(&self.url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.context("sending a GraphQL request")?;
        let status = response.status();
        let text = response
            .text()
            .await
            .context("reading a GraphQL response")?;
        Ok((status, text))
    }

    /// Posts a request and returns its `data`, failing on any GraphQL error.
    pub(super) async fn call(&self, token: Option<&str>, body: String) -> Result<Value> {
        let (status, text) = self.send(token, body).await?;
        graphql_data(status, &text)
    }
}

pub(super) fn graphql_data(status: StatusCode, text: &str) -> Result<Value> {
    let mut response: Value = serde_json::from_str(text).with_context(|| {
        format!(
            "HTTP {status}: the response is not JSON: {}",
            text.chars().take(300).collect::<String>()
        )
    })?;
    if let Some(errors) = response
        .get("errors")
        .filter(|e| e.as_array().is_some_and(|a| !a.is_empty()))
    {
        bail!("HTTP {status}: GraphQL errors: {errors}");
    }
    ensure!(status.is_success(), "HTTP {status}: {text}");
    Ok(response
        .get_mut("data")
        .map(Value::take)
        .unwrap_or(Value::Null))
}

pub(super) struct Tokens {
    /// The user's session token (for the clients page, as the web app would ask).
    pub(super) access_token: String,
    /// An integration key (for the upserts, as an integrator would send them).
    pub(super) api_key: String,
}

pub(super) async fn sign_up(api: &Api) -> Result<Tokens> {
    let body = json!({
        "query": REGISTER,
        "variables": { "input": {
            "email": format!("bench-{}@example.com", std::process::id()),
            "password": "bench-ingest-password",
            "displayName": "Bench User",
            "companyName": "Bench Company",
        }},
    });
    let data = api.call(None, body.to_string()).await.context("register")?;
    let access_token = data["register"]["accessToken"]
        .as_str()
        .context("register returned no accessToken")?
        .to_owned();
    let body = json!({ "query": CREATE_API_KEY });
    let data = api
        .call(Some(&access_token), body.to_string())
        .await
        .context("createApiKey")?;
    let api_key = data["createApiKey"]["secret"]
        .as_str()
        .context("createApiKey returned no secret")?
        .to_owned();
    Ok(Tokens {
        access_token,
        api_key,
    })
}

/// Per-status totals of batch upserts.
#[derive(Debug, Default)]
pub(super) struct BatchCounts {
    pub(super) created: u64,
    pub(super) updated: u64,
    pub(super) unchanged: u64,
    pub(super) rejected: u64,
}

impl BatchCounts {
    pub(super) fn parse(result: &Value) -> Result<BatchCounts> {
        let field = |name: &str| {
            result[name]
                .as_u64()
                .with_context(|| format!("batch result without {name}: {result}"))
        };
        Ok(BatchCounts {
            created: field("created")?,
            updated: field("updated")?,
            unchanged: field("unchanged")?,
            rejected: field("rejected")?,
        })
    }

    pub(super) fn add(&mut self, other: &BatchCounts) {
        self.created += other.created;
        self.updated += other.updated;
        self.unchanged += other.unchanged;
        self.rejected += other.rejected;
    }

    /// Every row of a fresh load must have been created.
    pub(super) fn ensure_all_created(&self, rows: usize, what: &str) -> Result<()> {
        ensure!(
            self.created == rows as u64
                && self.updated == 0
                && self.unchanged == 0
                && self.rejected == 0,
            "{what}: expected {rows} created, got {self:?}"
        );
        Ok(())
    }
}

pub(super) async fn upsert_clients(api: &Api, key: &str) -> Result<()> {
    let clients: Vec<Value> = (0..CLIENTS)
        .map(|i| {
            json!({
                "externalId": client_external_id(i),
                "name": client_name(i),
                "email": client_email(i),
            })
        })
        .collect();
    let body = json!({ "query": UPSERT_CLIENTS, "variables": { "clients": clients } });
    let data = api
        .call(Some(key), body.to_string())
        .await
        .context("upsertClients")?;
    BatchCounts::parse(&data["upsertClients"])?.ensure_all_created(CLIENTS, "upsertClients")
}

/// Request bodies of `upsertSales`, one per batch, serialized up front so the timing covers
/// the server's work and the transfer, not building JSON in this process.
pub(super) fn sale_bodies(sales: &[SaleRow]) -> Vec<String> {
    sales
        .chunks(BATCH)
        .enumerate()
        .map(|(batch, chunk)| {
            let rows: Vec<Value> = chunk
                .iter()
                .enumerate()
                .map(|(j, sale)| {
                    json!({
                        "externalId": format!("s{}", batch * BATCH + j),
                        "clientExternalId": client_external_id(sale.client),
                        "amountMinor": sale.amount_minor,
                        "currency": "RUB",
                        "soldAt": sale.sold_at.and_utc().to_rfc3339_opts(SecondsFormat::Secs, true),
                    })
                })
                .collect();
            json!({ "query": UPSERT_SALES, "variables": { "sales": rows } }).to_string()
        })
        .collect()
}

pub(super) async fn time_graphql_ingest(
    api: &Api,
    key: &str,
    sales: &[SaleRow],
) -> Result<Throughput> {
    let bodies = sale_bodies(sales);
    let mut total = BatchCounts::default();
    // Sequential on purpose: one integrator pushing its backlog, batch after batch.
    let start = Instant::now();
    for body in bodies {
        let data = api.call(Some(key), body).await.context("upsertSales")?;
        total.add(&BatchCounts::parse(&data["upsertSales"])?);
    }
    let elapsed = start.elapsed();
    total.ensure_all_created(sales.len(), "upsertSales")?;
    Ok(Throughput {
        rows: sales.len(),
        elapsed,
    })
}

pub(super) async fn page_latency(
    api_url: &str,
    api: &Api,
    access_token: &str,
    target_sales: usize,
) -> Result<PageReport> {
    let pg = pg_connect(api_url).await?;
    let company_id: i64 = pg
        .query_one("SELECT id FROM companies ORDER BY id LIMIT 1", &[])
        .await
        .context("finding the API company")?
        .get(0);
    top_up_sales(&pg, company_id, target_sales).await?;
    eprintln!("recomputing client aggregates and analyzing…");
    refresh_aggregates(&pg, company_id).await?;
    // Fresh statistics, as autovacuum would have gathered after such a load.
    pg.batch_execute("ANALYZE").await.context("ANALYZE")?;

    let sales: i64 = pg
        .query_one(
            "SELECT count(*) FROM sales WHERE company_id = $1::bigint",
            &[&company_id],
        )
        .await?
        .get(0);
    let clients: i64 = pg
        .query_one(
            "SELECT count(*) FROM clients WHERE company_id = $1::bigint AND archived_at IS NULL",
            &[&company_id],
        )
        .await?
        .get(0);

    eprintln!("measuring the clients page at {sales} sales…");
    let by_total = page_body(&format!(
        "first: {PAGE_SIZE}, sort: {{field: TOTAL_SPENT, direction: DESC}}"
    ));
    let by_name = page_body(&format!("first: {PAGE_SIZE}"));
    Ok(PageReport {
        sales,
        clients,
        by_total_spent: measure_page(api, access_token, &by_total, clients).await?,
        by_name: measure_page(api, access_token, &by_name, clients).await?,
    })
}

pub(super) fn page_body(arguments: &str) -> String {
    json!({ "query": format!("{{ clients({arguments}) {{ {PAGE_FIELDS} }} }}") }).to_string()
}

/// Warms up, then times each request from sending to the last byte of the answer.
pub(super) async fn measure_page(
    api: &Api,
    token: &str,
    body: &str,
    clients: i64,
) -> Result<Latency> {
    for _ in 0..WARMUP_REQUESTS {
        let (status, text) = api.send(Some(token), body.to_owned()).await?;
        check_page(status, &text, clients)?;
    }
    let mut samples = Vec::with_capacity(MEASURED_REQUESTS);
    for _ in 0..MEASURED_REQUESTS {
        let body = body.to_owned();
        let start = Instant::now();
        let (status, text) = api.send(Some(token), body).await?;
        samples.push(start.elapsed());
        // Checked after the timer: parsing here is the client's cost, not the server's.
        check_page(status, &text, clients)?;
    }
    samples.sort();
    Ok(Latency {
        p50: percentile(&samples, 50.0),
        p99: percentile(&samples, 99.0),
    })
}

/// A full first page with the right total, and no errors.
pub(super) fn check_page(status: StatusCode, text: &str, clients: i64) -> Result<()> {
    let data = graphql_data(status, text).context("clients page")?;
    let page = &data["clients"];
    let total = page["totalCount"].as_i64();
    ensure!(
        total == Some(clients),
        "clients page: totalCount {total:?}, expected {clients}"
    );
    let edges = page["edges"].as_array().map_or(0, Vec::len);
    let expected = PAGE_SIZE.min(usize::try_from(clients).unwrap_or(usize::MAX));
    ensure!(
        edges == expected,
        "clients page: {edges} edges, expected {expected}"
    );
    Ok(())
}

/// Nearest-rank percentile of sorted samples.
pub(super) fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = (p / 100.0 * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}
