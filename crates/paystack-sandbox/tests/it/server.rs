//! The embedded server: start, addresses, shutdown, determinism across runs.

use paystack_sandbox::{DEFAULT_SECRET_KEY, SandboxConfig, SandboxServer};
use serde_json::json;

use crate::common::*;

#[test]
fn starts_on_a_random_port_and_shuts_down_idempotently() {
    let mut server = SandboxServer::start(SandboxConfig::default()).unwrap();
    assert_eq!(server.secret_key(), DEFAULT_SECRET_KEY);
    let url = server.base_url();
    assert!(url.starts_with("http://127.0.0.1:") && !url.ends_with(":0"), "{url}");
    assert_eq!(url, format!("http://{}", server.local_addr()));
    let health = std::net::TcpStream::connect(server.local_addr());
    assert!(health.is_ok());
    server.shutdown();
    server.shutdown();
    assert!(std::net::TcpStream::connect(server.local_addr()).is_err(), "stopped listening");
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
