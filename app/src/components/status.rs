//! The HTTP status of a server-rendered page, set by the page itself (nothing in the browser):
//! 401 asking to sign in, 403, 404 for what one may not know of, 410 for withdrawn records.
use leptos::prelude::*;

use crate::error::AppError;

pub fn set(code: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(res), Ok(status)) = (use_context::<leptos_axum::ResponseOptions>(), http::StatusCode::from_u16(code)) {
        res.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

/// A response header of the page being rendered (e.g. for the page cache to read).
pub fn set_header(name: &'static str, value: &str) {
    #[cfg(feature = "ssr")]
    if let (Some(res), Ok(v)) = (use_context::<leptos_axum::ResponseOptions>(), http::HeaderValue::from_str(value)) {
        res.insert_header(http::HeaderName::from_static(name), v);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = (name, value);
}

/// The status of a page that could not show what it was asked for.
pub fn for_error(e: &AppError) {
    set(e.status_code());
}

/// What a page shows when it cannot show what was asked: the error in the reader's language,
/// with the page's HTTP status set to match (404 for what one may not know of, and so on).
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    let locale = crate::i18n::use_locale();
    let t = crate::i18n::use_texts();
    for_error(&error);
    let title = match error {
        AppError::NotFound => Some(t.not_found_title),
        AppError::Forbidden => Some(t.forbidden_title),
        _ => None,
    };
    view! {
        <section class="narrow notice" role="alert">
            {title.map(|h| view! { <h1>{h}</h1> })}
            <p class="error">{error.message(locale)}</p>
        </section>
    }
}
