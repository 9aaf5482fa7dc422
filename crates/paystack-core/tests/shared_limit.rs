//! The shared limiter against a real `redis-server` (scripts/test.sh installs it), started on a
//! free loopback port: two limiters (two processes' worth: each its own connection) never grant
//! more than the quota between them, and with Redis unreachable a limiter falls back to its own
//! count and says so once.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use paystack_core::shared_limiter::{OnFailure, Refused, SharedLimiter, Transition};
use paystack_core::{Quota, SharedRateLimit};

struct Redis {
    child: Child,
    port: u16,
}

impl Redis {
    /// On a free port; another port if, between choosing it and binding it, someone else took it.
    fn start() -> Redis {
        for _ in 0..5 {
            if let Some(redis) = Redis::try_start_on(free_port()) {
                return redis;
            }
        }
        panic!("redis-server could not bind a free port in 5 tries");
    }

    fn start_on(port: u16) -> Redis {
        Redis::try_start_on(port).unwrap_or_else(|| panic!("port {port} is held by another process"))
    }

    /// The server, once it answers on `port` as itself (its process id in `INFO server`): a bare
    /// TCP connect can succeed against another test's server that took the port, or, while
    /// nothing listens yet, against a socket connected to itself.
    fn try_start_on(port: u16) -> Option<Redis> {
        let mut child = Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("redis-server is needed (bash scripts/test.sh installs it): {e}"));
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            match server_pid(port) {
                Some(pid) if pid == child.id() => return Some(Redis { child, port }),
                Some(_) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return None;
                }
                None if matches!(child.try_wait(), Ok(Some(_))) => return None,
                None => {}
            }
            assert!(Instant::now() < deadline, "redis-server did not answer within 10 s");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/0", self.port)
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The process id of the Redis answering on `port`, if one does.
fn server_pid(port: u16) -> Option<u32> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_millis(500))).ok()?;
    stream.write_all(b"INFO server\r\n").ok()?;
    let mut answer = Vec::new();
    let mut chunk = [0u8; 4096];
    while answer.len() < 64 * 1024 {
        let n = stream.read(&mut chunk).ok().filter(|n| *n > 0)?;
        answer.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&answer);
        if let Some(rest) = text.split("process_id:").nth(1)
            && let Some((pid, _)) = rest.split_once("\r\n")
        {
            return pid.trim().parse().ok();
        }
    }
    None
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
    listener.local_addr().map(|a| a.port()).unwrap_or_else(|e| panic!("{e}"))
}

const KEY: &str = "sk_test_shared_limit_it";

fn settings(url: &str, quota: Quota) -> SharedRateLimit {
    SharedRateLimit::new(url, quota).unwrap_or_else(|e| panic!("{e}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_limiters_share_one_quota() {
    let redis = Redis::start();
    let quota = Quota { limit: 5, window: Duration::from_millis(400) };
    let a = SharedLimiter::new(settings(&redis.url(), quota), KEY);
    let b = SharedLimiter::new(settings(&redis.url(), quota), KEY);
    let told = Mutex::new(Vec::new());
    let report = |t: Transition<'_>| told.lock().unwrap_or_else(|e| e.into_inner()).push(format!("{t:?}"));
    let started = Instant::now();
    let deadline = started + Duration::from_secs(10);
    let mut granted = Vec::new();
    for i in 0..15 {
        let limiter = if i % 2 == 0 { &a } else { &b };
        assert!(limiter.acquire(deadline, &report).await.is_ok());
        granted.push(started.elapsed());
    }
    // 5 at once, 5 a window (plus its 20 ms margin) later, 5 more after another.
    assert!(granted[4] < Duration::from_millis(300), "{granted:?}");
    assert!(granted[5] >= Duration::from_millis(400), "{granted:?}");
    assert!(granted[10] >= Duration::from_millis(800), "{granted:?}");
    assert!(granted[14] < Duration::from_millis(1500), "{granted:?}");
    assert!(told.lock().unwrap_or_else(|e| e.into_inner()).is_empty());
    // A limiter for another key has a quota of its own.
    let c = SharedLimiter::new(settings(&redis.url(), quota), "sk_test_someone_else");
    let now = Instant::now();
    assert!(c.acquire(now + Duration::from_millis(50), &report).await.is_ok());
    // A 429's pause holds every limiter sharing the quota.
    a.pause(Duration::from_millis(300)).await;
    match b.acquire(Instant::now() + Duration::from_millis(100), &report).await {
        Err(Refused::Wait(wait)) => assert!(wait > Duration::from_millis(150), "{wait:?}"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreachable_redis_falls_back_or_raises_and_says_so_once() {
    let url = format!("redis://127.0.0.1:{}/0", free_port());
    let quota = Quota { limit: 3, window: Duration::from_secs(5) };
    let mut shared = settings(&url, quota);
    shared.timeout = Duration::from_millis(300);
    let limiter = SharedLimiter::new(shared.clone(), KEY);
    let told = Mutex::new(Vec::new());
    let report = |t: Transition<'_>| told.lock().unwrap_or_else(|e| e.into_inner()).push(format!("{t:?}"));
    let deadline = Instant::now() + Duration::from_millis(200);
    for _ in 0..3 {
        assert!(limiter.acquire(deadline, &report).await.is_ok());
    }
    // The local count took over: the fourth waits for the window.
    assert!(matches!(limiter.acquire(deadline, &report).await, Err(Refused::Wait(_))));
    let told = told.into_inner().unwrap_or_else(|e| e.into_inner());
    assert_eq!(told.len(), 1, "{told:?}");
    assert!(told[0].contains("fallback: true"), "{told:?}");

    shared.on_failure = OnFailure::Raise;
    let raising = SharedLimiter::new(shared, KEY);
    let quiet = |_: Transition<'_>| {};
    assert!(matches!(raising.acquire(deadline, &quiet).await, Err(Refused::Unreachable(_))));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redis_restarted_between_calls_is_reconnected_to_without_an_outage() {
    let redis = Redis::start();
    let port = redis.port;
    let quota = Quota { limit: 100, window: Duration::from_secs(1) };
    let limiter = SharedLimiter::new(settings(&redis.url(), quota), KEY);
    let told = Mutex::new(Vec::new());
    let report = |t: Transition<'_>| told.lock().unwrap_or_else(|e| e.into_inner()).push(format!("{t:?}"));
    let deadline = Instant::now() + Duration::from_secs(10);
    assert!(limiter.acquire(deadline, &report).await.is_ok());
    assert!(told.lock().unwrap_or_else(|e| e.into_inner()).is_empty(), "before the restart: {told:?}");
    drop(redis);
    let _again = Redis::start_on(port);
    assert!(limiter.acquire(deadline, &report).await.is_ok());
    let told = told.into_inner().unwrap_or_else(|e| e.into_inner());
    assert!(told.is_empty(), "{told:?}");
}
