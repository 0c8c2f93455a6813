//! Sign-up, sign-in, sign-out, password reset and the language switch.
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::{account::Role, ids::UserId};
use crate::error::AppError;

/// The signed-in person, as pages see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    pub role: Role,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountSummary {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub created_at: DateTime<Utc>,
}

#[server]
pub async fn get_viewer() -> Result<Option<Viewer>, AppError> {
    Ok(crate::server::ctx::viewer())
}

/// Returns where to go next; a form post without JavaScript is redirected there.
#[server]
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

#[server]
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

#[server]
pub async fn sign_out() -> Result<String, AppError> {
    crate::server::ctx::finish(
        async move {
            use crate::server::{auth, ctx, service::accounts};
            let state = ctx::state()?;
            if let Some(session) = ctx::current_session() {
                accounts::sign_out(&state.db, &session.id).await?;
            }
            ctx::set_cookie(&auth::clear_session_cookie(state.config.secure_cookies));
            ctx::redirect_form_post("/");
            Ok("/".into())
        }
        .await,
    )
}

#[server]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    crate::server::ctx::finish(
        async move {
            use crate::server::{ctx, service::accounts};
            let state = ctx::state()?;
            accounts::request_password_reset(&state, &email, ctx::request_locale(), &ctx::client_ip()).await
        }
        .await,
    )
}

#[server]
pub async fn reset_password(token: String, password: String, password_confirm: String) -> Result<(), AppError> {
    crate::server::ctx::finish(
        async move {
            use crate::server::{ctx, service::accounts};
            let state = ctx::state()?;
            accounts::reset_password(&state, &token, &password, &password_confirm).await?;
            ctx::redirect_form_post("/sign-in?reset=1");
            Ok(())
        }
        .await,
    )
}

/// Stores the chosen language in a cookie (a preference, not server state) and returns to `next`.
#[server]
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
            let target = super::safe_next(next.as_deref(), "/");
            ctx::redirect_form_post(&target);
            Ok(target)
        }
        .await,
    )
}
