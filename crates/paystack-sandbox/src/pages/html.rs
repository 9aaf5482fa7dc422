//! The shell every page shares: one inline stylesheet, no script, no external asset (the pages
//! work offline and load in one request), and the headers that keep them inert: a
//! Content-Security-Policy that allows no script, no framing and no loads from elsewhere, no
//! caching (they show live state) and no Referer (a checkout URL is a capability).
//! maud escapes every value spliced into the markup.

use axum::http::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use maud::{DOCTYPE, Markup, PreEscaped, html};

/// Styles only: `default-src 'none'` also forbids every script, plugin and remote load.
const POLICY: &str =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; frame-ancestors 'none'";

const STYLE: &str = r#"
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1f2933;background:#f3f5f8}
a{color:#0b6bcb}
header.bar{background:#0d2436;color:#fff;padding:10px 20px;display:flex;gap:14px;align-items:center;flex-wrap:wrap}
header.bar a{color:#cfe3f5;text-decoration:none}
header.bar a.here{color:#fff;font-weight:600;border-bottom:2px solid #3bb75e}
header.bar .brand{font-weight:700;color:#fff;margin-right:12px}
header.bar form{margin-left:auto;font-size:13px}
header.bar .cancel{color:#cfe3f5}
main{max-width:1180px;margin:0 auto;padding:18px 20px 40px}
h1{font-size:22px;margin:6px 0 14px}
h2{font-size:17px;margin:22px 0 8px}
table{border-collapse:collapse;width:100%;background:#fff;border:1px solid #dde3ea;font-size:13.5px}
th,td{text-align:left;padding:6px 9px;border-bottom:1px solid #e8edf2;vertical-align:top}
th{background:#f7f9fb;font-weight:600;color:#52606d}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
code,pre{font:12.5px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{background:#0f1c26;color:#d9e6f2;padding:10px;border-radius:6px;overflow:auto;max-height:420px;margin:6px 0}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;background:#e4e9ef;color:#3e4c59}
.badge.success,.badge.delivered,.badge.complete{background:#dcf5e3;color:#1e7a3a}
.badge.failed,.badge.fault{background:#fde2e1;color:#b42318}
.badge.abandoned,.badge.paused,.badge.pending{background:#fff1d6;color:#8a5a00}
.badge.queued,.badge.active{background:#dcecfb;color:#0b5aa6}
tr.fault td{background:#fff6f5}
.muted{color:#7b8794}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin:10px 0 6px}
.stat{background:#fff;border:1px solid #dde3ea;border-radius:8px;padding:10px 14px;min-width:150px}
.stat b{display:block;font-size:20px}
progress{width:180px;height:12px;vertical-align:middle;appearance:none;border:none;border-radius:6px;background:#e4e9ef;overflow:hidden}
progress::-webkit-progress-bar{background:#e4e9ef;border-radius:6px}
progress::-webkit-progress-value{background:#3bb75e;border-radius:6px}
progress::-moz-progress-bar{background:#3bb75e}
.filters a{margin-right:10px}
.pager{margin:8px 0}
.pager a,.pager span{margin-right:12px}
details summary{cursor:pointer}
.panel{max-width:440px;margin:48px auto;background:#fff;border:1px solid #dde3ea;border-radius:12px;box-shadow:0 8px 30px rgba(13,36,54,.08);overflow:hidden}
.panel .head{padding:18px 22px;border-bottom:1px solid #e8edf2;display:flex;justify-content:space-between;gap:12px;align-items:flex-start}
.panel .body{padding:18px 22px}
.merchant{font-weight:600}
.mode{font-size:11px;font-weight:700;letter-spacing:.04em;background:#fff1d6;color:#8a5a00;border-radius:4px;padding:2px 6px}
.amount{font-size:26px;font-weight:700;margin:2px 0}
.who{color:#52606d;font-size:13.5px;word-break:break-all}
.choice{display:flex;align-items:center;gap:12px;width:100%;text-align:left;margin:8px 0;padding:12px 14px;border:1px solid #cbd5df;border-radius:8px;background:#fff;font:inherit;cursor:pointer}
.choice:hover{border-color:#3bb75e;background:#f4fbf6}
.choice .pan{font-family:ui-monospace,Menlo,Consolas,monospace;font-weight:600}
.choice .what{color:#52606d;font-size:13px}
.choice.pay{background:#3bb75e;border-color:#3bb75e;color:#fff}
.choice.pay .what{color:#e9f9ee}
.choice.pay:hover{background:#2fa251}
.cancel{background:none;border:none;color:#7b8794;text-decoration:underline;font:inherit;cursor:pointer;padding:6px 0}
.result{font-size:18px;font-weight:700;margin:0 0 8px}
.result.success{color:#1e7a3a}.result.failed{color:#b42318}.result.gone{color:#8a5a00}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 14px;margin:10px 0;font-size:13.5px}
dl.facts dt{color:#7b8794}dl.facts dd{margin:0;word-break:break-all}
.button{display:inline-block;background:#0d2436;color:#fff;border:none;border-radius:6px;padding:9px 16px;font:inherit;text-decoration:none;cursor:pointer}
input[type=password],input[type=text]{font:inherit;padding:8px 10px;border:1px solid #cbd5df;border-radius:6px;width:100%}
.error{color:#b42318;margin:8px 0}
footer.note{color:#7b8794;font-size:12px;padding:12px 22px;border-top:1px solid #e8edf2;background:#fafbfc}
"#;

/// A whole page. `refresh` (seconds) reloads it while something it shows is still changing.
pub(crate) fn page(title: &str, refresh: Option<u32>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="robots" content="noindex";
                @if let Some(seconds) = refresh {
                    meta http-equiv="refresh" content=(seconds);
                }
                title { (title) " · paystack-rs sandbox" }
                style { (PreEscaped(STYLE)) }
            }
            body { (body) }
        }
    }
}

/// `markup` as an HTML answer with the pages' headers.
pub(crate) fn respond(status: StatusCode, markup: Markup) -> Response {
    let mut response = (status, Html(markup.into_string())).into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static(POLICY));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}

/// A status as a coloured badge (`class` = the status, for the stylesheet and for tests).
pub(crate) fn badge(status: &str) -> Markup {
    html! { span class={ "badge " (status) } { (status) } }
}

/// An http(s) URL, the only kind a page links to or redirects to (never `javascript:` and the like).
pub(crate) fn is_web_url(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://")) && !url.chars().any(char::is_control)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn values_are_escaped_and_the_page_is_inert() {
        let markup = page("<t>", Some(2), html! { p { ("<script>alert(1)</script>") } a href=("\"><x") {} });
        let text = markup.into_string();
        assert!(text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(text.contains(r#"href="&quot;&gt;&lt;x""#));
        assert!(!text.contains("<script"));
        assert!(text.contains(r#"<meta http-equiv="refresh" content="2">"#));
        let response = respond(StatusCode::OK, html! {});
        let policy = response.headers()[CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(policy.starts_with("default-src 'none'"));
    }

    #[test]
    fn only_web_urls() {
        assert!(is_web_url("http://127.0.0.1:8000/shop/callback?x=1"));
        assert!(is_web_url("HTTPS://example.com"));
        for url in ["javascript:alert(1)", "data:text/html,x", "//evil", "/relative", "http://a\nb"] {
            assert!(!is_web_url(url), "{url}");
        }
    }
}
