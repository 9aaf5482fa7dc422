//! Signing in to the dashboard: the integration's secret key is typed once into a form; the
//! sandbox answers with a cookie holding a random session token (never the key), and the key is
//! never written back into any page. The token names the integration in the registry.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{FromRequestParts, State};
use axum::http::header::{COOKIE, LOCATION, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use maud::html;
use rand::Rng;

use super::html::{page, respond};
use crate::api::auth::integration_of_key;
use crate::integration::Integration;
use crate::registry::Registry;
use crate::wire::query_map;

const COOKIE_NAME: &str = "paystack_sandbox_dashboard";
const TOKEN_ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
/// Sessions kept at most; the oldest sign-ins are forgotten first (they sign in again).
const MAX_SESSIONS: usize = 1024;

/// The integration the request's dashboard cookie signs in, if any.
pub(crate) fn signed_in(registry: &Registry, headers: &HeaderMap) -> Option<Arc<Integration>> {
    let token = cookie(headers, COOKIE_NAME)?;
    registry.dashboard_sessions.lock().get(token)
}

/// A dashboard page's integration, as its handler's argument: a request that is not signed in
/// is answered with the sign-in form instead, before the handler runs.
pub(crate) struct SignedIn(pub Arc<Integration>);

impl FromRequestParts<Arc<Registry>> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, registry: &Arc<Registry>) -> Result<Self, Response> {
        signed_in(registry, &parts.headers).map(SignedIn).ok_or_else(|| login_page(StatusCode::OK, None))
    }
}

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// The sign-in form (`error`: why the last key was refused; never the key itself).
pub(crate) fn login_page(status: StatusCode, error: Option<&str>) -> Response {
    let body = html! {
        div.panel {
            div.head { div { div.merchant { "paystack-rs sandbox" } div.who { "Dashboard" } } }
            div.body {
                form method="post" action="/_sandbox/" {
                    p { label for="key" { "The integration's secret key (" code { "sk_test_…" } " or " code { "sk_live_…" } ")" } }
                    input #key type="password" name="key" autocomplete="off" required;
                    @if let Some(error) = error { p.error #error { (error) } }
                    p { button.button #sign-in type="submit" { "Open the dashboard" } }
                }
                p.muted { "Each key is its own integration. The key is kept by the sandbox; the browser only gets a session cookie." }
            }
        }
    };
    respond(status, page("Dashboard sign-in", None, body))
}

/// POST /_sandbox/ `key=sk_…`: a session for that key's integration, or the form again.
pub(crate) async fn login(State(registry): State<Arc<Registry>>, body: Bytes) -> Response {
    let form = query_map(std::str::from_utf8(&body).ok());
    let key = form.get("key").map(|k| k.trim()).unwrap_or("");
    let integration = match integration_of_key(&registry, key) {
        Ok(integration) => integration,
        Err(refused) => {
            return login_page(StatusCode::UNAUTHORIZED, Some(&format!("That key was refused: {}", refused.message)));
        }
    };
    let token: String = {
        let mut rng = rand::rng();
        (0..32).map(|_| char::from(TOKEN_ALPHABET[rng.random_range(0..TOKEN_ALPHABET.len())])).collect()
    };
    registry.dashboard_sessions.lock().insert(token.clone(), integration, MAX_SESSIONS);
    let cookie = format!("{COOKIE_NAME}={token}; Path=/_sandbox; HttpOnly; SameSite=Strict");
    redirect_home(Some(cookie))
}

/// POST /_sandbox/logout: forgets the session.
pub(crate) async fn logout(State(registry): State<Arc<Registry>>, headers: HeaderMap) -> Response {
    if let Some(token) = cookie(&headers, COOKIE_NAME) {
        registry.dashboard_sessions.lock().remove(token);
    }
    redirect_home(Some(format!("{COOKIE_NAME}=; Path=/_sandbox; HttpOnly; SameSite=Strict; Max-Age=0")))
}

/// 303 to the dashboard's home, setting `cookie` when given.
pub(crate) fn redirect_home(cookie: Option<String>) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    let headers = response.headers_mut();
    headers.insert(LOCATION, HeaderValue::from_static("/_sandbox/"));
    if let Some(value) = cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
        headers.insert(SET_COOKIE, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_its_cookie_among_others() {
        let mut headers = HeaderMap::new();
        headers.append(COOKIE, HeaderValue::from_static("a=1; paystack_sandbox_dashboard=tok; b=2"));
        assert_eq!(cookie(&headers, COOKIE_NAME), Some("tok"));
        assert_eq!(cookie(&headers, "c"), None);
    }
}
