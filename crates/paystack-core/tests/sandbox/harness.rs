//! A shared sandbox, a key per test, the control API (faults, ledger, request log), a client of
//! the core with a recording observer, and calls by endpoint and parameter name.

use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use paystack_core::endpoints::by_name;
use paystack_core::envelope::JsonDecoder;
use paystack_core::request::named_args;
use paystack_core::{
    Area, Arg, CallOptions, Client, ClientConfig, Error, Event, Level, Observer, Reply, RetryPolicy, SecretKey,
};
use paystack_sandbox::{SandboxConfig, SandboxServer};
use serde_json::{Value, json};

pub const AUTH_SUCCESS: &str = "AUTH_success001";
pub const EMAIL_SUCCESS: &str = "success@example.com";
pub const CHARGE: &str = "/transaction/charge_authorization";

fn server() -> &'static SandboxServer {
    static SERVER: OnceLock<SandboxServer> = OnceLock::new();
    SERVER.get_or_init(|| {
        let config = SandboxConfig { process_interval_ms: 2, worker_threads: 2, ..SandboxConfig::default() };
        SandboxServer::start(config).unwrap_or_else(|e| panic!("cannot start the sandbox: {e}"))
    })
}

/// What an observer heard: area, level and message of each event, in order.
#[derive(Debug, Default)]
pub struct Recorder {
    pub events: Mutex<Vec<(Area, Level, String)>>,
}

impl Observer for Recorder {
    fn enabled(&self, _: Area, _: Level) -> bool {
        true
    }
    fn record(&self, event: &Event<'_>) {
        self.events.lock().unwrap_or_else(|e| e.into_inner()).push((event.area(), event.level(), event.to_string()));
    }
}

impl Recorder {
    pub fn messages(&self, level: Level) -> Vec<String> {
        let events = self.events.lock().unwrap_or_else(|e| e.into_inner());
        events.iter().filter(|(_, l, _)| *l == level).map(|(_, _, m)| m.clone()).collect()
    }
}

/// One test's integration: its key, a core client with a recorder, and the control API.
pub struct Sandbox {
    pub key: String,
    pub base: String,
    pub client: Client,
    pub recorder: Arc<Recorder>,
    control: reqwest::Client,
}

/// Retries with short backoffs, so the tests take little time.
pub fn fast_retries(max_retries: u32) -> RetryPolicy {
    RetryPolicy { max_retries, base_delay: Duration::from_millis(20), max_delay: Duration::from_millis(200) }
}

impl Sandbox {
    /// The sandbox seen through a key of `name`'s own.
    pub fn new(name: &str) -> Self {
        Self::with(name, |config| config.retry = fast_retries(3))
    }

    pub fn with(name: &str, configure: impl FnOnce(&mut ClientConfig)) -> Self {
        let key = format!("sk_test_core_{}", name.replace(|c: char| !c.is_ascii_alphanumeric(), "_"));
        let base = server().base_url();
        let mut config = ClientConfig::new(SecretKey::new(key.clone()).unwrap_or_else(|e| panic!("{e}")));
        config.base_url = base.clone();
        configure(&mut config);
        let recorder = Arc::new(Recorder::default());
        let client = Client::new(config).unwrap_or_else(|e| panic!("{e}")).with_observer(recorder.clone());
        Sandbox { key, base, client, recorder, control: reqwest::Client::new() }
    }

    /// Another client of the same integration (another caller of the same account).
    pub fn another_client(&self) -> Client {
        let mut config = ClientConfig::new(SecretKey::new(self.key.clone()).unwrap_or_else(|e| panic!("{e}")));
        config.base_url = self.base.clone();
        Client::new(config).unwrap_or_else(|e| panic!("{e}"))
    }

    pub async fn control(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut request = self.control.request(method, format!("{}/_sandbox/{path}", self.base)).bearer_auth(&self.key);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let answer = request.send().await.unwrap_or_else(|e| panic!("control {path}: {e}"));
        let body: Value = answer.json().await.unwrap_or_else(|e| panic!("control {path}: {e}"));
        body.get("data").cloned().unwrap_or(Value::Null)
    }

    pub async fn set_faults(&self, rules: Value) {
        self.control(reqwest::Method::PUT, "faults", Some(json!({ "rules": rules }))).await;
    }

    pub async fn clear_faults(&self) {
        self.control(reqwest::Method::DELETE, "faults", None).await;
    }

    /// `"METHOD /path"` of every request that reached the API, oldest first.
    pub async fn paths(&self) -> Vec<String> {
        self.requests()
            .await
            .iter()
            .map(|r| format!("{} {}", r["method"].as_str().unwrap_or("?"), r["path"].as_str().unwrap_or("?")))
            .collect()
    }

    pub async fn requests(&self) -> Vec<Value> {
        match self.control(reqwest::Method::GET, "requests", None).await {
            Value::Array(items) => items,
            other => panic!("requests: {other}"),
        }
    }

    pub async fn ledger(&self, operation: &str) -> Value {
        self.control(reqwest::Method::GET, &format!("ledger?operation={operation}"), None).await
    }

    /// Successful charges the ledger holds for `reference`.
    pub async fn charges_of(&self, reference: &str) -> u64 {
        let ledger = self.control(reqwest::Method::GET, &format!("ledger?reference={reference}"), None).await;
        ledger["counts"][reference]["successful_charges"].as_u64().unwrap_or(0)
    }
}

/// `client.call` of endpoint `name` with arguments by parameter name.
pub async fn call(client: &Client, name: &str, args: Value, options: CallOptions) -> Result<Reply<Value>, Error> {
    let endpoint = by_name(name).unwrap_or_else(|| panic!("no endpoint {name}"));
    let Value::Object(args) = args else { panic!("arguments are an object") };
    let args = named_args(endpoint, args.iter().map(|(k, v)| (k.as_str(), Arg::Json(v.clone()))))
        .unwrap_or_else(|e| panic!("{e}"));
    client.call(endpoint, &args, &options, &JsonDecoder).await
}

pub fn charge_args(reference: &str) -> Value {
    json!({"email": EMAIL_SUCCESS, "amount": 5000, "authorization_code": AUTH_SUCCESS, "reference": reference})
}

pub fn ok<T>(result: Result<T, Error>) -> T {
    result.unwrap_or_else(|e| panic!("{e}"))
}

pub fn failed<T: std::fmt::Debug>(result: Result<T, Error>) -> Error {
    match result {
        Ok(r) => panic!("succeeded: {r:?}"),
        Err(e) => e,
    }
}
