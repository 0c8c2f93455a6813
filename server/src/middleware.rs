//! Layers that run before routing: security headers, the same-origin rule for state-changing
//! requests (server functions have no CSRF protection of their own), and session lookup.
use std::net::SocketAddr;

use app::i18n::{cookie_value, Locale};
use app::server::{
    auth::SESSION_COOKIE,
    ctx::{ClientIp, CurrentSession},
    service::accounts,
    AppState,
};
use axum::{
    body::Body,
    extract::{ConnectInfo, Request, State},
    http::{header, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

/// The page's Content-Security-Policy, with the nonce Leptos puts on its hydration scripts.
pub fn provide_page_csp() {
    use leptos::prelude::use_context;
    if let (Some(nonce), Some(res)) = (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>()) {
        let csp = format!(
            "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
             img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; \
             frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
        );
        if let Ok(v) = HeaderValue::from_str(&csp) {
            res.insert_header(header::CONTENT_SECURITY_POLICY, v);
        }
    }
}

/// A form refused twice in a row without an island: the browser posts from `…?__path=…&__err=…`
/// and Leptos appends the new error to that address, so the page would show the first, stale
/// error. The server functions see a Referer without the old pair.
pub async fn fresh_form_errors(mut req: Request, next: Next) -> Response {
    if req.method() == axum::http::Method::POST && req.uri().path().starts_with("/api/") {
        let cleaned = req
            .headers()
            .get(header::REFERER)
            .and_then(|v| v.to_str().ok())
            .filter(|r| r.contains("__err=") || r.contains("__path="))
            .map(without_form_error);
        if let Some(v) = cleaned.and_then(|c| HeaderValue::from_str(&c).ok()) {
            req.headers_mut().insert(header::REFERER, v);
        }
    }
    next.run(req).await
}

/// `url` without its `__path` and `__err` query pairs.
pub fn without_form_error(url: &str) -> String {
    let (base, fragment) = match url.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (url, None),
    };
    let (path, query) = base.split_once('?').unwrap_or((base, ""));
    let kept: Vec<&str> =
        query.split('&').filter(|p| !p.is_empty() && !p.starts_with("__err=") && !p.starts_with("__path=")).collect();
    let mut out = path.to_string();
    if !kept.is_empty() {
        out.push('?');
        out.push_str(&kept.join("&"));
    }
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

const DEFAULT_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

pub async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let is_asset = path.starts_with("/pkg/");
    let hashed = is_asset && app::assets::is_hashed_asset(path);
    let mut res = next.run(req).await;
    // A missing file must not be remembered for a year.
    let ok = res.status().is_success();
    let h = res.headers_mut();
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    );
    h.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(DEFAULT_CSP));
    }
    if state.config.secure_cookies {
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000"));
    }
    let is_html = h.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/html"));
    if is_html && !h.contains_key(header::CACHE_CONTROL) {
        // Pages show who is signed in; shared caches must not keep them.
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-cache"));
    }
    if is_asset && ok && !h.contains_key(header::CACHE_CONTROL) {
        // A hashed name never changes its content: keep it a year. Unhashed (a plain
        // `cargo build`) only briefly, so a deploy is picked up.
        let policy = if hashed { "public, max-age=31536000, immutable" } else { "public, max-age=300" };
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    res
}

/// Is `origin` this site? Either the configured public origin, or the same host the request
/// was addressed to (a browser never lets another site choose our Host header).
pub fn is_same_origin(origin: &str, public_url: &str, host: Option<&str>) -> bool {
    if origin.eq_ignore_ascii_case(public_url) {
        return true;
    }
    let authority = origin.strip_prefix("https://").or_else(|| origin.strip_prefix("http://"));
    match (authority, host) {
        (Some(a), Some(h)) => !a.is_empty() && a.eq_ignore_ascii_case(h),
        _ => false,
    }
}

pub async fn same_origin(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let state_changing = matches!(*req.method(), Method::POST | Method::PUT | Method::PATCH | Method::DELETE);
    if state_changing {
        let headers = req.headers();
        let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
        let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
        let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
        let allowed = fetch_site != Some("cross-site")
            && match origin {
                Some(o) => is_same_origin(o, &state.config.public_url, host),
                // Every current browser sends Origin on POST; without it, accept only what the
                // browser itself marks as same-origin.
                None => fetch_site == Some("same-origin"),
            };
        if !allowed {
            tracing::warn!(method = %req.method(), path = %req.uri().path(), ?origin, ?fetch_site, "refused cross-site request");
            return (
                StatusCode::FORBIDDEN,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                "403 — 他のサイトからの送信は受け付けていません。/ Requests from other sites are refused.",
            )
                .into_response();
        }
    }
    next.run(req).await
}

/// Resolves the session cookie, the client address and the locale once per request.
pub async fn session(State(state): State<AppState>, mut req: Request<Body>, next: Next) -> Response {
    let path = req.uri().path();
    if path.starts_with("/pkg/") || path == "/favicon.svg" || path == "/healthz" {
        return next.run(req).await;
    }
    let ip = client_ip(&req, state.config.trust_proxy);
    let cookie_header = req.headers().get(header::COOKIE).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let accept_language = req.headers().get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
    let locale = Locale::negotiate(cookie_header.as_deref(), accept_language);
    let token = cookie_header.as_deref().and_then(|h| cookie_value(h, SESSION_COOKIE)).map(str::to_owned);
    // Reading a page may use the session remembered a moment ago; a request that changes
    // something always checks the database.
    let reading = crate::routes::is_reading(req.method());
    let session: Option<CurrentSession> = match &token {
        Some(token) => match accounts::resolve(&state, token, reading).await {
            Ok(s) => s,
            // Busy: answering as if signed out would send a signed-in person's post to the
            // sign-in page and lose what they typed. "Send again in a moment" keeps it.
            Err(e) if e.is_busy() => {
                return crate::routes::busy_response(crate::routes::accepts_html(req.headers()), reading)
            }
            Err(e) => {
                tracing::warn!(error = ?e, "session lookup failed; continuing signed out");
                None
            }
        },
        None => None,
    };
    let renew = session.as_ref().filter(|s| s.renewed).and(token);
    let ext = req.extensions_mut();
    ext.insert(ClientIp(ip));
    ext.insert(locale);
    if let Some(s) = session {
        ext.insert(s);
    }
    let mut res = next.run(req).await;
    // The database expiry slid forward: the cookie follows, unless this very response sets or
    // clears the session cookie itself (sign-in, sign-out).
    if let Some(token) = renew {
        let sets_session = res
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .any(|v| v.to_str().is_ok_and(|v| v.starts_with(&format!("{SESSION_COOKIE}="))));
        if !sets_session {
            if let Ok(v) =
                HeaderValue::from_str(&app::server::auth::session_cookie(&token, state.config.secure_cookies))
            {
                res.headers_mut().append(header::SET_COOKIE, v);
            }
        }
    }
    res
}

fn client_ip(req: &Request<Body>, trust_proxy: bool) -> String {
    if trust_proxy {
        if let Some(forwarded) =
            req.headers().get("x-forwarded-for").and_then(|v| v.to_str().ok()).and_then(|v| v.split(',').next())
        {
            let ip = forwarded.trim();
            if !ip.is_empty() {
                return ip.to_string();
            }
        }
    }
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ci| ci.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

#[cfg(test)]
mod tests {
    use super::{is_same_origin, without_form_error};

    #[test]
    fn an_old_form_error_is_dropped_from_the_referer() {
        assert_eq!(
            without_form_error("http://h/events/x/register?a=1&__path=%2Fapi%2Fr&__err=AAA#f"),
            "http://h/events/x/register?a=1#f"
        );
        assert_eq!(without_form_error("http://h/sign-up?__path=x&__err=y"), "http://h/sign-up");
        assert_eq!(without_form_error("http://h/sign-up"), "http://h/sign-up");
    }

    #[test]
    fn own_origin_is_recognised() {
        assert!(is_same_origin("http://127.0.0.1:3000", "http://127.0.0.1:3000", None));
        assert!(is_same_origin("http://localhost:3000", "http://127.0.0.1:3000", Some("localhost:3000")));
        assert!(is_same_origin("https://award.example.jp", "https://award.example.jp", Some("10.0.0.5:3000")));
    }

    #[test]
    fn other_origins_are_not() {
        assert!(!is_same_origin("https://evil.example", "http://127.0.0.1:3000", Some("127.0.0.1:3000")));
        assert!(!is_same_origin("null", "http://127.0.0.1:3000", Some("127.0.0.1:3000")));
        assert!(!is_same_origin("http://127.0.0.1:3000.evil.example", "http://127.0.0.1:3000", Some("127.0.0.1:3000")));
        assert!(!is_same_origin("http://", "http://127.0.0.1:3000", Some("")));
    }
}
