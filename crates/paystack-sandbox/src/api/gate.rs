//! The layer in front of every Paystack API route: resolve the integration from the key (401
//! otherwise), log the request, then apply the integration's faults around the handler.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::{CONTENT_LENGTH, RETRY_AFTER};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body::Frame;
use paystack_facts::messages::INVALID_KEY;
use paystack_facts::quotas;
use tokio::time::Instant;

use super::auth::authenticate;
use super::envelope::ApiError;
use crate::faults::{FaultAction, RateHeaders};
use crate::registry::Registry;

/// Marks a response whose connection the server must close without writing anything.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DropConnection;

/// Bodies above this are refused (a full 1000-charge batch is ~150 KB).
const MAX_BODY: usize = 16 * 1024 * 1024;

pub(crate) async fn api_layer(State(registry): State<Arc<Registry>>, request: Request, next: Next) -> Response {
    let integration = match authenticate(&registry, request.headers()) {
        Ok(integration) => integration,
        Err(e) => return e.into_response(),
    };
    let (mut parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY).await else {
        return ApiError::plain(StatusCode::PAYLOAD_TOO_LARGE, "Request body is too large").into_response();
    };
    let decision = integration.faults.lock().decide_request(
        parts.method.as_str(),
        parts.uri.path(),
        parts.uri.query(),
        Instant::now(),
    );
    integration.requests.lock().record(&parts, &bytes, decision.label(), registry.clock.now());
    if !decision.latency.is_zero() {
        tokio::time::sleep(decision.latency).await;
    }
    let mut response = match decision.action {
        // A 401 is Paystack's answer to a key revoked mid-way: `Invalid key`, as for an unknown key.
        Some(FaultAction::Error(401)) => ApiError::unauthorized(INVALID_KEY).into_response(),
        Some(FaultAction::Error(status)) => {
            ApiError::server(StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)).into_response()
        }
        Some(FaultAction::RateLimited { reset_secs, .. }) => {
            let mut response = ApiError::rate_limited().into_response();
            response.headers_mut().insert(RETRY_AFTER, HeaderValue::from(reset_secs));
            response
        }
        Some(FaultAction::DropBefore) => return dropped(),
        action => {
            parts.extensions.insert(integration);
            let response = next.run(Request::from_parts(parts, Body::from(bytes))).await;
            match action {
                Some(FaultAction::DropAfter) => return dropped(),
                Some(FaultAction::Truncate) => truncate(response).await,
                _ => response,
            }
        }
    };
    if let Some(headers) = decision.rate_headers {
        add_rate_headers(&mut response, headers);
    }
    response
}

fn add_rate_headers(response: &mut Response, h: RateHeaders) {
    let headers = response.headers_mut();
    headers.insert(HeaderName::from_static(quotas::LIMIT_HEADER), HeaderValue::from(h.limit));
    headers.insert(HeaderName::from_static(quotas::REMAINING_HEADER), HeaderValue::from(h.remaining));
    headers.insert(HeaderName::from_static(quotas::RESET_HEADER), HeaderValue::from(h.reset_secs));
}

fn dropped() -> Response {
    let mut response = Response::new(Body::empty());
    response.extensions_mut().insert(DropConnection);
    response
}

/// Keeps status and headers (with the full Content-Length) but sends only half the body, then
/// fails the body so the server aborts the connection mid-response.
async fn truncate(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap_or_default();
    parts.headers.insert(CONTENT_LENGTH, HeaderValue::from(bytes.len()));
    let head = bytes.slice(..bytes.len() / 2);
    let body = TruncatedBody { head: Some(head), pause: Box::pin(tokio::time::sleep(TRUNCATE_FLUSH)) };
    Response::from_parts(parts, Body::new(body))
}

/// How long the truncated body waits before failing: long enough for hyper to flush what was
/// written (it discards its write buffer when a body fails).
const TRUNCATE_FLUSH: std::time::Duration = std::time::Duration::from_millis(20);

struct TruncatedBody {
    head: Option<Bytes>,
    pause: Pin<Box<tokio::time::Sleep>>,
}

impl http_body::Body for TruncatedBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        if let Some(head) = self.head.take() {
            return Poll::Ready(Some(Ok(Frame::data(head))));
        }
        match self.pause.as_mut().poll(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(()) => Poll::Ready(Some(Err(std::io::Error::new(
                std::io::ErrorKind::ConnectionAborted,
                "body truncated by a sandbox fault",
            )))),
        }
    }
}
