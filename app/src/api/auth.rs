//! Sign-up, sign-in, sign-out, password reset and the language switch.
use leptos::prelude::*;

use crate::error::AppError;
use crate::wire::Viewer;

#[server(endpoint = "get_viewer")]
pub async fn get_viewer() -> Result<Option<Viewer>, AppError> {
    Ok(crate::server::ctx::viewer())
}

/// Returns where to go next; a form post without JavaScript is redirected there.
#[server(endpoint = "sign_in")]
pub async fn sign_in(email: String, password: String, next: Option<String>) -> Result<String, AppError> {
    crate::server::ctx::finish(
        async move {
            use crate::server::{auth, ctx, service::accounts};
            let state = ctx::state()?;
            let previous = ctx::current_session().map(|s| s.id);
            let signed = accounts::sign_in(&state, &email, &password, &ctx::client_ip(), previous.as_deref()).await?;
            ctx::set_cookie(&auth::session_cookie(&signed.token, state.config.secure_cookies));
            let target = super::safe_next(next.as_deref(), "/account");
            ctx::redirect_form_post(&target);
            Ok(target)
        }
        .await,
    )
}

#[server(endpoint = "sign_up")]
pub async fn sign_up(
    email: String,
    display_name: String,
    password: String,
    next: Option<String>,
) -> Result<String, AppError> {
    crate::server::ctx::finish(
        async move {
            use crate::server::{auth, ctx, service::accounts};
            let state = ctx::state()?;
            let previous = ctx::current_session().map(|s| s.id);
            let signed = accounts::sign_up(
                &state,
                &email,
                &display_name,
                &password,
                ctx::request_locale(),
                &ctx::client_ip(),
                previous.as_deref(),
            )
            .await?;
            ctx::set_cookie(&auth::session_cookie(&signed.token, state.config.secure_cookies));
            let target = super::safe_next(next.as_deref(), "/account");
            ctx::redirect_form_post(&target);
            Ok(target)
        }
        .await,
    )
}

#[server(endpoint = "sign_out")]
pub async fn sign_out() -> Result<String, AppError> {
    crate::server::ctx::finish(
        async move {
            use crate::server::{auth, ctx, service::accounts};
            let state = ctx::state()?;
            if let Some(session) = ctx::current_session() {
                accounts::sign_out(&state, &session.id).await?;
            }
            ctx::set_cookie(&auth::clear_session_cookie(state.config.secure_cookies));
            ctx::redirect_form_post("/");
            Ok("/".into())
        }
        .await,
    )
}

#[server(endpoint = "request_password_reset")]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    crate::server::ctx::finish(
        async move {
            use crate::server::{ctx, service::accounts};
            let state = ctx::state()?;
            accounts::request_password_reset(&state, &email, ctx::request_locale(), &ctx::client_ip()).await?;
            ctx::redirect_form_post("/forgot-password?sent=1");
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "reset_password")]
pub async fn reset_password(token: String, password: String, password_confirm: String) -> Result<(), AppError> {
    crate::server::ctx::finish(
        async move {
            use crate::server::{ctx, service::accounts};
            let state = ctx::state()?;
            accounts::reset_password(&state, &token, &password, &password_confirm, &ctx::client_ip()).await?;
            ctx::redirect_form_post("/sign-in?reset=1");
            Ok(())
        }
        .await,
    )
}

/// Stores the chosen language in a cookie (a preference, not server state) and returns to `next`.
#[server(endpoint = "switch_locale")]
pub async fn switch_locale(to: String, next: Option<String>) -> Result<String, AppError> {
    crate::server::ctx::finish(
        async move {
            use crate::i18n::{Locale, LOCALE_COOKIE};
            use crate::server::ctx;
            let locale = Locale::parse(&to).unwrap_or_default();
            let state = ctx::state()?;
            ctx::set_cookie(&format!(
                "{LOCALE_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax{}",
                locale.code(),
                if state.config.secure_cookies { "; Secure" } else { "" }
            ));
            if let Some(who) = ctx::viewer() {
                crate::server::service::accounts::set_locale(&state, &who, locale).await?;
            }
            let target = super::safe_next(next.as_deref(), "/");
            ctx::redirect_form_post(&target);
            Ok(target)
        }
        .await,
    )
}
