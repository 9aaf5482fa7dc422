//! One HTTP attempt: pooled reqwest client (rustls, gzip, HTTP/2 by ALPN), the auth header built
//! once, read timeouts on the headers and on every piece of the body, and a size cap.
//!
//! An attempt's failure says whether the request may have reached Paystack, which is what
//! decides if a POST can be sent again.

use std::collections::HashMap;
use std::error::Error as _;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use bytes::Bytes;
pub use reqwest::header::HeaderMap;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue, USER_AGENT};

use crate::config::{ClientConfig, check_base_url};
use crate::endpoint::HttpMethod;
use crate::error::{Error, Phase};

/// An answer with its status line, headers and whole body.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Bytes,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SecretKey;

    fn transport(base: &str) -> Transport {
        let mut config = ClientConfig::new(SecretKey::new("sk_test_x").unwrap_or_else(|e| panic!("{e}")));
        config.base_url = base.into();
        Transport::new(&config).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn urls_keep_the_encoded_path_and_the_base_prefix() {
        let t = transport("http://127.0.0.1:8080");
        assert_eq!(t.url("/transaction/verify/..%2Fx").as_str(), "http://127.0.0.1:8080/transaction/verify/..%2Fx");
        assert_eq!(
            t.url("/transaction?perPage=2&from=2024-01-01").as_str(),
            "http://127.0.0.1:8080/transaction?perPage=2&from=2024-01-01"
        );
        let t = transport("https://proxy.example.com/paystack/");
        assert_eq!(t.url("/bulkcharge/a%2Fb").as_str(), "https://proxy.example.com/paystack/bulkcharge/a%2Fb");
        assert_eq!(
            t.url("/transaction/verify/%252F").as_str(),
            "https://proxy.example.com/paystack/transaction/verify/%252F"
        );
    }
}

/// Header names and values as text, for errors (where the cost does not matter).
pub fn header_pairs(headers: &HeaderMap) -> Vec<(String, String)> {
    headers.iter().map(|(k, v)| (k.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned())).collect()
}

/// Whether a failed request can have been processed by the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// The connection was never established: nothing reached the server.
    NotSent,
    /// The request may have been processed; its outcome is unknown.
    MaybeSent,
}

/// Why an attempt produced no answer.
#[derive(Debug, Clone)]
pub struct Failure {
    pub delivery: Delivery,
    /// Set when a timeout expired.
    pub timeout: Option<(Phase, Duration)>,
    /// The TLS handshake refused the server's certificate: trying again meets the same
    /// certificate, so the call fails at once instead of being retried.
    pub certificate_refused: bool,
    pub message: String,
}

/// The HTTP side of a client, shared by all its calls.
#[derive(Debug)]
pub struct Transport {
    http: reqwest::Client,
    /// reqwest fixes the connect timeout per client, so a call that overrides it uses a pool of
    /// its own, built once per distinct value.
    by_connect_timeout: Mutex<HashMap<Duration, reqwest::Client>>,
    builder_config: BuilderConfig,
    base_url: String,
    /// The base URL parsed once; each request only sets its path and query (parsing a whole URL,
    /// host and IDNA included, for every call showed up in profiles).
    base: reqwest::Url,
    authorization: HeaderValue,
    user_agent: HeaderValue,
    connect_timeout: Duration,
    max_body_bytes: usize,
}

impl Transport {
    pub fn new(config: &ClientConfig) -> Result<Self, Error> {
        let base_url = check_base_url(&config.base_url)?;
        let base = reqwest::Url::parse(&base_url).map_err(|e| Error::Config(format!("base_url: {e}")))?;
        let mut authorization = HeaderValue::from_str(&format!("Bearer {}", config.secret_key.expose()))
            .map_err(|_| Error::Config("the secret key cannot be sent in an HTTP header".into()))?;
        authorization.set_sensitive(true);
        let user_agent = HeaderValue::from_str(&config.user_agent)
            .map_err(|_| Error::Config("user_agent cannot be sent in an HTTP header".into()))?;

        let certs = match &config.ca_bundle_pem {
            Some(pem) => {
                let certs = reqwest::Certificate::from_pem_bundle(pem)
                    .map_err(|e| Error::Config(format!("the CA bundle is not valid PEM: {e}")))?;
                if certs.is_empty() {
                    return Err(Error::Config("the CA bundle holds no certificates".into()));
                }
                certs
            }
            None => Vec::new(),
        };
        let builder_config = BuilderConfig { certs };
        let http = builder_config.build(config.timeouts.connect)?;
        Ok(Transport {
            http,
            by_connect_timeout: Mutex::new(HashMap::new()),
            builder_config,
            base_url,
            base,
            authorization,
            user_agent,
            connect_timeout: config.timeouts.connect,
            max_body_bytes: config.max_body_bytes,
        })
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The base URL with `path_and_query` (already percent-encoded) appended to its path.
    fn url(&self, path_and_query: &str) -> reqwest::Url {
        let (path, query) = match path_and_query.split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (path_and_query, None),
        };
        let mut url = self.base.clone();
        let prefix = self.base.path().trim_end_matches('/');
        if prefix.is_empty() {
            url.set_path(path);
        } else {
            url.set_path(&format!("{prefix}{path}"));
        }
        url.set_query(query);
        url
    }

    /// The pooled client for a call: the default one, or one with another connect timeout.
    fn http_for(&self, connect: Option<Duration>) -> Result<reqwest::Client, Failure> {
        let Some(connect) = connect.filter(|c| *c != self.connect_timeout) else { return Ok(self.http.clone()) };
        let mut pools = self.by_connect_timeout.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(http) = pools.get(&connect) {
            return Ok(http.clone());
        }
        let http = self.builder_config.build(connect).map_err(|e| Failure {
            delivery: Delivery::NotSent,
            timeout: None,
            certificate_refused: false,
            message: e.to_string(),
        })?;
        pools.insert(connect, http.clone());
        Ok(http)
    }

    /// Sends one request and reads the whole answer: at most `connect` (default: the client's)
    /// to connect, `read` for the headers and between body pieces, and never past `deadline`.
    pub async fn send(
        &self,
        method: HttpMethod,
        path_and_query: &str,
        body: Option<&Bytes>,
        timeouts: (Option<Duration>, Duration),
        deadline: Instant,
    ) -> Result<Answer, Failure> {
        let (connect, read) = timeouts;
        let http = self.http_for(connect)?;
        let connect_timeout = connect.unwrap_or(self.connect_timeout);
        let url = self.url(path_and_query);
        let mut request = match method {
            HttpMethod::Get => http.get(url),
            HttpMethod::Post => http.post(url),
        }
        .header(AUTHORIZATION, self.authorization.clone())
        .header(ACCEPT, HeaderValue::from_static("application/json"))
        .header(USER_AGENT, self.user_agent.clone());
        if let Some(body) = body {
            request = request.header(CONTENT_TYPE, HeaderValue::from_static("application/json")).body(body.clone());
        }

        let started = Instant::now();
        let wait = read.min(deadline.saturating_duration_since(started));
        let response = match tokio::time::timeout(wait, request.send()).await {
            Err(_) => {
                let phase = if wait < read { Phase::Total } else { Phase::Read };
                return Err(Failure {
                    delivery: Delivery::MaybeSent,
                    timeout: Some((phase, wait)),
                    certificate_refused: false,
                    message: "no answer in time".into(),
                });
            }
            Ok(Err(e)) => return Err(classify(&e, started, connect_timeout)),
            Ok(Ok(response)) => response,
        };

        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = self.read_body(response, read, deadline).await?;
        Ok(Answer { status, headers, body })
    }

    async fn read_body(
        &self,
        mut response: reqwest::Response,
        read: Duration,
        deadline: Instant,
    ) -> Result<Bytes, Failure> {
        let failed = |message: String, timeout| Failure {
            delivery: Delivery::MaybeSent,
            timeout,
            certificate_refused: false,
            message,
        };
        if response.content_length().is_some_and(|n| n > self.max_body_bytes as u64) {
            return Err(failed(format!("the answer is larger than the {} byte limit", self.max_body_bytes), None));
        }
        let mut first: Option<Bytes> = None;
        // Sized from Content-Length when a body comes in several pieces, so it is copied once.
        let mut rest: Vec<u8> = Vec::new();
        let expected = response.content_length().map_or(0, |n| n as usize);
        loop {
            let now = Instant::now();
            let wait = read.min(deadline.saturating_duration_since(now));
            match tokio::time::timeout(wait, response.chunk()).await {
                Err(_) => {
                    let phase = if wait < read { Phase::Total } else { Phase::Read };
                    return Err(failed("the answer stopped arriving".into(), Some((phase, wait))));
                }
                Ok(Err(e)) => return Err(failed(format!("the answer broke off: {}", error_chain(&e)), None)),
                Ok(Ok(None)) => break,
                Ok(Ok(Some(chunk))) => {
                    // Most answers arrive in one piece: keep it without copying.
                    match &first {
                        None if rest.is_empty() => first = Some(chunk),
                        _ => {
                            if let Some(f) = first.take() {
                                rest.reserve(expected.max(f.len() + chunk.len()));
                                rest.extend_from_slice(&f);
                            }
                            rest.extend_from_slice(&chunk);
                        }
                    }
                    let len = first.as_ref().map_or(rest.len(), Bytes::len);
                    if len > self.max_body_bytes {
                        return Err(failed(
                            format!("the answer is larger than the {} byte limit", self.max_body_bytes),
                            None,
                        ));
                    }
                }
            }
        }
        Ok(match first {
            Some(b) => b,
            None => Bytes::from(rest),
        })
    }
}

/// What a failed send means: never connected (nothing reached the server) or maybe delivered.
fn classify(e: &reqwest::Error, started: Instant, connect_timeout: Duration) -> Failure {
    // reqwest's own text is "error sending request for url (…)": the causes say what happened.
    let message = e.source().map_or_else(|| error_chain(e), error_chain);
    if e.is_connect() {
        let timeout = e.is_timeout().then_some((Phase::Connect, connect_timeout));
        return Failure { delivery: Delivery::NotSent, timeout, certificate_refused: certificate_refused(e), message };
    }
    let timeout = e.is_timeout().then(|| (Phase::Read, started.elapsed()));
    Failure { delivery: Delivery::MaybeSent, timeout, certificate_refused: false, message }
}

/// Whether a connect error's causes hold rustls refusing the server's certificate (unknown
/// issuer, expired, wrong name, or none presented). The connector wraps it in `io::Error`s, whose
/// `source()` skips the error they wrap, so those are opened with `get_ref()`.
fn certificate_refused(e: &reqwest::Error) -> bool {
    fn refused(mut cause: &(dyn std::error::Error + 'static)) -> bool {
        while let Some(inner) = cause.downcast_ref::<std::io::Error>().and_then(std::io::Error::get_ref) {
            cause = inner;
        }
        matches!(
            cause.downcast_ref::<rustls::Error>(),
            Some(rustls::Error::InvalidCertificate(_) | rustls::Error::NoCertificatesPresented)
        )
    }
    let mut source = e.source();
    while let Some(cause) = source {
        if refused(cause) {
            return true;
        }
        source = cause.source();
    }
    false
}

/// What every pooled client of a transport is built with.
#[derive(Debug)]
struct BuilderConfig {
    certs: Vec<reqwest::Certificate>,
}

impl BuilderConfig {
    fn build(&self, connect: Duration) -> Result<reqwest::Client, Error> {
        let mut builder = reqwest::Client::builder()
            .connect_timeout(connect)
            .pool_idle_timeout(Duration::from_secs(60))
            .pool_max_idle_per_host(64)
            .tcp_nodelay(true)
            .redirect(reqwest::redirect::Policy::none());
        if !self.certs.is_empty() {
            builder = builder.tls_certs_merge(self.certs.iter().cloned());
        }
        builder.build().map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))
    }
}

/// The error and its causes on one line ("error sending request: connection closed …").
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut message = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = cause.source();
    }
    message
}
