//! Helpers: a sandbox per test, a small JSON client, a webhook receiver, polling.

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use parking_lot::Mutex;
use paystack_sandbox::{SandboxConfig, SandboxServer};
use serde_json::{Value, json};

pub const AUTH_SUCCESS: &str = "AUTH_success001";
pub const EMAIL_SUCCESS: &str = "success@example.com";
pub const AUTH_PLAIN: &str = "AUTH_success002";
pub const EMAIL_PLAIN: &str = "plain@example.com";
pub const AUTH_FULL: &str = "AUTH_success003";
pub const EMAIL_FULL: &str = "ada@example.com";
pub const AUTH_DECLINED: &str = "AUTH_declined01";
pub const EMAIL_DECLINED: &str = "declined@example.com";
pub const AUTH_LOW: &str = "AUTH_lowbalance";
pub const EMAIL_LOW: &str = "lowbalance@example.com";
pub const AUTH_FLAKY3: &str = "AUTH_flaky3fail";
pub const AUTH_FLAKY5: &str = "AUTH_flaky5fail";

/// A running sandbox; stops when dropped.
pub struct Sandbox {
    pub server: SandboxServer,
    pub client: reqwest::Client,
}

/// An HTTP answer.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

/// A client bound to one sandbox and one key.
#[derive(Clone)]
pub struct Api {
    pub client: reqwest::Client,
    pub base: String,
    pub key: Option<String>,
}

impl Sandbox {
    /// A sandbox with fast test defaults, overridden by `overrides` (SandboxConfig JSON fields).
    pub fn start(overrides: Value) -> Self {
        let mut config = json!({
            "process_interval_ms": 5,
            "webhook_retry_interval_ms": 20,
            "webhook_max_attempts": 4,
            "webhook_timeout_ms": 1000,
        });
        if let (Value::Object(base), Value::Object(extra)) = (&mut config, overrides) {
            base.extend(extra);
        }
        let config = SandboxConfig::from_json(&config.to_string()).expect("valid test config");
        let server = SandboxServer::start(config).expect("sandbox starts");
        let client = reqwest::Client::builder().no_proxy().build().unwrap();
        Self { server, client }
    }

    pub fn api(&self) -> Api {
        self.api_with(Some(self.server.secret_key()))
    }

    pub fn api_with(&self, key: Option<&str>) -> Api {
        Api { client: self.client.clone(), base: self.server.base_url(), key: key.map(str::to_string) }
    }
}

impl Api {
    pub async fn send(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Reply {
        self.try_send(method, path, body).await.expect("request completes")
    }

    pub async fn try_send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Reply, reqwest::Error> {
        let mut request = self.client.request(method, format!("{}{path}", self.base));
        if let Some(key) = &self.key {
            request = request.bearer_auth(key);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = response.bytes().await?;
        let body =
            serde_json::from_slice(&bytes).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()));
        Ok(Reply { status, headers, body })
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(reqwest::Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.send(reqwest::Method::POST, path, Some(body)).await
    }

    pub async fn put(&self, path: &str, body: Value) -> Reply {
        self.send(reqwest::Method::PUT, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> Reply {
        self.send(reqwest::Method::DELETE, path, None).await
    }

    /// POST /transaction/initialize then complete it through the control API.
    pub async fn paid_transaction(&self, email: &str, amount: u64, extra: Value) -> Value {
        let mut body = json!({"email": email, "amount": amount});
        if let (Value::Object(b), Value::Object(e)) = (&mut body, extra) {
            b.extend(e);
        }
        let init = self.post("/transaction/initialize", body).await;
        assert_eq!(init.status, 200, "{:?}", init.body);
        let reference = init.body["data"]["reference"].as_str().unwrap().to_string();
        let done =
            self.post(&format!("/_sandbox/transactions/{reference}/complete"), json!({"status": "success"})).await;
        assert_eq!(done.status, 200, "{:?}", done.body);
        done.body["data"].clone()
    }

    /// POST /bulkcharge, asserting it was queued; returns `data`.
    pub async fn bulk(&self, charges: Value) -> Value {
        let reply = self.post("/bulkcharge", charges).await;
        assert_eq!(reply.status, 200, "{:?}", reply.body);
        reply.body["data"].clone()
    }

    /// Waits until the batch is complete; returns its fetch `data`.
    pub async fn wait_complete(&self, code: &str) -> Value {
        let api = self.clone();
        let code = code.to_string();
        wait_for(Duration::from_secs(10), move || {
            let api = api.clone();
            let code = code.clone();
            async move {
                let reply = api.get(&format!("/bulkcharge/{code}")).await;
                (reply.body["data"]["status"] == "complete").then(|| reply.body["data"].clone())
            }
        })
        .await
    }

    pub async fn ledger(&self, query: &str) -> Value {
        self.get(&format!("/_sandbox/ledger{query}")).await.body["data"].clone()
    }
}

/// Polls `probe` every 10 ms until it yields a value; panics after `timeout`.
pub async fn wait_for<T, F, Fut>(timeout: Duration, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        if let Some(value) = probe().await {
            return value;
        }
        assert!(tokio::time::Instant::now() < deadline, "condition not met within {timeout:?}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// A webhook receiver on 127.0.0.1: answers 500 to the first `fail_first` requests, then 200.
pub struct Receiver {
    pub addr: SocketAddr,
    pub received: Arc<Mutex<Vec<(HeaderMap, Bytes)>>>,
}

impl Receiver {
    pub async fn start(fail_first: usize) -> Self {
        let received: Arc<Mutex<Vec<(HeaderMap, Bytes)>>> = Arc::default();
        let log = Arc::clone(&received);
        let app = axum::Router::new().route(
            "/hook",
            axum::routing::post(move |headers: HeaderMap, body: Bytes| {
                let log = Arc::clone(&log);
                async move {
                    let mut log = log.lock();
                    log.push((headers, body));
                    if log.len() <= fail_first { StatusCode::INTERNAL_SERVER_ERROR } else { StatusCode::OK }
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self { addr, received }
    }

    pub fn url(&self) -> String {
        format!("http://{}/hook", self.addr)
    }

    pub fn count(&self) -> usize {
        self.received.lock().len()
    }
}

/// Paystack's samples and OpenAPI documents, vendored in the repository (`tests/data/SOURCE.md`).
pub fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/paystack")
}

pub fn read_json(relative: &str) -> Value {
    let path = data_dir().join(relative);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// HMAC-SHA512 hex, as Paystack signs webhooks.
pub fn hmac_sha512_hex(key: &str, body: &[u8]) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha2::Sha512>::new_from_slice(key.as_bytes()).unwrap();
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}
