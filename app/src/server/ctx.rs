//! Request context for server functions and server rendering: state, the signed-in viewer,
//! the request's locale and address, and response cookies.
use http::{header, request::Parts, HeaderValue};
use leptos::prelude::*;

use crate::domain::policy::Op;
use crate::error::AppError;
use crate::i18n::Locale;
use crate::server::AppState;
use crate::wire::Viewer;

/// Put into request extensions by the session middleware.
#[derive(Clone, Debug)]
pub struct CurrentSession {
    /// The session row id (the hash of the cookie token).
    pub id: String,
    pub viewer: Viewer,
    /// The database expiry was just moved forward: the response renews the cookie to match,
    /// so an active person is never signed out 14 days after signing in.
    pub renewed: bool,
}

/// The client address as the middleware determined it (proxy-aware only with `TRUST_PROXY`).
#[derive(Clone, Debug)]
pub struct ClientIp(pub String);

pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| AppError::internal("context", "AppState not provided"))
}

fn parts() -> Option<Parts> {
    use_context::<Parts>()
}

pub fn current_session() -> Option<CurrentSession> {
    parts()?.extensions.get::<CurrentSession>().cloned()
}

pub fn viewer() -> Option<Viewer> {
    current_session().map(|s| s.viewer)
}

/// Asks the policy about an operation that concerns no particular object (public reads,
/// signing in, links, the Markdown preview); returns the viewer, if any.
pub fn allow(op: Op) -> Result<Option<Viewer>, AppError> {
    let v = viewer();
    match op {
        Op::UseLink => crate::server::policy::link(v.as_ref(), op)?,
        _ => crate::server::policy::platform(v.as_ref(), op)?,
    }
    Ok(v)
}

pub fn request_locale() -> Locale {
    crate::i18n::request_locale()
}

pub fn client_ip() -> String {
    parts().and_then(|p| p.extensions.get::<ClientIp>().map(|ip| ip.0.clone())).unwrap_or_else(|| "unknown".into())
}

/// True for a browser's plain form submission (no JavaScript), which expects a page back.
pub fn is_plain_form_post() -> bool {
    parts()
        .and_then(|p| p.headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).map(|v| v.contains("text/html")))
        .unwrap_or(false)
}

/// After a plain form post, send the browser to `path`; with JavaScript the page navigates itself.
pub fn redirect_form_post(path: &str) {
    if is_plain_form_post() {
        leptos_axum::redirect(path);
    }
}

pub fn set_cookie(cookie: &str) {
    if let (Some(res), Ok(value)) = (use_context::<leptos_axum::ResponseOptions>(), HeaderValue::from_str(cookie)) {
        res.append_header(header::SET_COOKIE, value);
    }
}

pub fn set_status(status: http::StatusCode) {
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(status);
    }
}

/// Gives a failed server function the HTTP status of its error (401, 403, 404, 409, 422 …)
/// instead of a blanket 500. A plain form post keeps its redirect back to the form.
pub fn finish<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(e) = &result {
        if e.is_busy() {
            // Nothing was saved; the request may simply be sent again. A plain form post gets
            // a page that sends the person back to their form, text intact (see `busy_page`).
            if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
                res.insert_header(header::RETRY_AFTER, HeaderValue::from_static("2"));
                res.insert_header(http::HeaderName::from_static(BUSY_MARK), HeaderValue::from_static("1"));
            }
        }
        if !is_plain_form_post() {
            set_status(e.status());
        }
    }
    result
}

/// Set on a response whose server function found the database too busy.
pub const BUSY_MARK: &str = "x-gp-busy";

/// A cookie of this request, read once: it is cleared in the response.
pub fn take_cookie(name: &str, path: &str) -> Option<String> {
    let p = parts()?;
    let header = p.headers.get(header::COOKIE)?.to_str().ok()?;
    let value = crate::i18n::cookie_value(header, name)?.to_string();
    clear_cookie(name, path);
    Some(value)
}

pub fn clear_cookie(name: &str, path: &str) {
    set_cookie(&format!("{name}=; Path={path}; Max-Age=0; HttpOnly; SameSite=Lax"));
}

/// What a person typed, kept in their own browser for ten minutes so that a form posted
/// without JavaScript comes back filled in after a problem. Over 3.5 KB it is not kept (a
/// browser would refuse the cookie).
pub fn set_echo_cookie<T: serde::Serialize>(name: &str, path: &str, value: &T) {
    use base64::Engine;
    let Ok(json) = serde_json::to_vec(value) else { return };
    let encoded = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json);
    if encoded.len() > 3500 {
        return;
    }
    let secure = state().map(|s| s.config.secure_cookies).unwrap_or(false);
    set_cookie(&format!(
        "{name}={encoded}; Path={path}; Max-Age=600; HttpOnly; SameSite=Lax{}",
        if secure { "; Secure" } else { "" }
    ));
}

pub fn decode_echo<T: serde::de::DeserializeOwned>(value: &str) -> Option<T> {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(value.trim()).ok()?;
    serde_json::from_slice(&bytes).ok()
}
