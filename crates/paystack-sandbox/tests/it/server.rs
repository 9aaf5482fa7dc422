//! The embedded server: start, addresses, shutdown, determinism across runs.

use paystack_sandbox::{DEFAULT_SECRET_KEY, SandboxConfig, SandboxServer};
use serde_json::json;

use crate::common::*;

#[test]
fn starts_on_a_random_port_and_shuts_down_idempotently() {
    let mut server = SandboxServer::start(SandboxConfig::default()).unwrap();
    assert_eq!(server.secret_key(), DEFAULT_SECRET_KEY);
    server.shutdown();
    // Only its own key, so that it can be told from another sandbox given its port later.
    let keys = vec!["sk_test_only_this_one".to_owned()];
    let mut server = SandboxServer::start(SandboxConfig { keys, ..SandboxConfig::default() }).unwrap();
    assert!(answers_as_this_server(server.local_addr()), "a key it does not know is 401");
    let url = server.base_url();
    assert!(url.starts_with("http://127.0.0.1:") && !url.ends_with(":0"), "{url}");
    assert_eq!(url, format!("http://{}", server.local_addr()));
    let health = std::net::TcpStream::connect(server.local_addr());
    assert!(health.is_ok());
    server.shutdown();
    server.shutdown();
    assert!(!answers_as_this_server(server.local_addr()), "stopped listening");
}

/// Whether the sandbox started by the test above still answers at `addr`. Other tests start
/// sandboxes on port 0 at the same time, so the freed port may already be another one's: that
/// one (any key accepted) answers 200 where this one (only its own key) would answer 401.
fn answers_as_this_server(addr: std::net::SocketAddr) -> bool {
    use std::io::{Read, Write};
    let Ok(mut stream) = std::net::TcpStream::connect(addr) else { return false };
    let request = "GET /transaction/totals HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer sk_test_not_this_one\r\nConnection: close\r\n\r\n";
    let mut answer = String::new();
    let sent = stream.write_all(request.as_bytes()).and_then(|()| stream.read_to_string(&mut answer));
    sent.is_ok() && answer.starts_with("HTTP/1.1 401")
}

#[test]
fn start_reports_bad_configs_and_busy_ports() {
    let bad = SandboxConfig { secret_key: "pk_test_x".into(), ..SandboxConfig::default() };
    assert_eq!(SandboxServer::start(bad).unwrap_err().kind(), std::io::ErrorKind::InvalidInput);
    let first = SandboxServer::start(SandboxConfig::default()).unwrap();
    let busy = SandboxConfig { port: first.local_addr().port(), ..SandboxConfig::default() };
    assert!(SandboxServer::start(busy).is_err());
}

#[tokio::test]
async fn works_from_inside_another_runtime_and_is_deterministic() {
    async fn ids(seed: u64) -> (String, String, u64) {
        let sb = Sandbox::start(json!({"seed": seed}));
        let api = sb.api();
        let init =
            api.post("/transaction/initialize", json!({"email": "d@example.com", "amount": 100})).await.body["data"]
                .clone();
        let batch = api.bulk(json!([{"authorization": AUTH_SUCCESS, "amount": 100}])).await;
        let id =
            api.get(&format!("/transaction/verify/{}", init["reference"].as_str().unwrap())).await.body["data"]["id"]
                .as_u64()
                .unwrap();
        (init["reference"].as_str().unwrap().to_string(), batch["batch_code"].as_str().unwrap().to_string(), id)
    }
    let first = ids(5).await;
    assert_eq!(first, ids(5).await, "same seed, same ids");
    assert_ne!(first, ids(6).await);
}

#[tokio::test]
async fn router_serves_in_process() {
    use tower::ServiceExt;
    let router = paystack_sandbox::router(SandboxConfig::default()).unwrap();
    let request = axum::http::Request::get("/transaction/totals")
        .header("authorization", format!("Bearer {DEFAULT_SECRET_KEY}"))
        .body(axum::body::Body::empty())
        .unwrap();
    let response = router.oneshot(request).await.unwrap();
    assert_eq!(response.status(), 200);
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
    let body: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(body["message"], "Transaction totals");
}

#[test]
fn the_binary_prints_its_base_url_and_serves() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_paystack-sandbox"))
        .args([
            "--port",
            "0",
            "--seed",
            "3",
            "--process-interval-ms",
            "1",
            "--faults",
            r#"[{"kind":"latency","ms":1}]"#,
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let base = line.trim().to_string();
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let status = runtime.block_on(async {
        let client = reqwest::Client::builder().no_proxy().build().unwrap();
        let reply =
            client.get(format!("{base}/transaction/totals")).bearer_auth(DEFAULT_SECRET_KEY).send().await.unwrap();
        reply.status().as_u16()
    });
    child.kill().unwrap();
    let _ = child.wait();
    assert_eq!(status, 200);

    let bad = Command::new(env!("CARGO_BIN_EXE_paystack-sandbox"))
        .args(["--port", "x"])
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert_eq!(bad.code(), Some(2));
    let unknown = Command::new(env!("CARGO_BIN_EXE_paystack-sandbox"))
        .arg("--frobnicate")
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert_eq!(unknown.code(), Some(2));
}
