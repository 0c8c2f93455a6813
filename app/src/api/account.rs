//! The person's own account: profile, language, password, address, export and deletion.
use leptos::prelude::*;

use crate::error::AppError;
use crate::wire::account::{AccountView, DeletionPreview, FeaturedData};

#[server(endpoint = "get_my_account")]
pub async fn get_my_account() -> Result<AccountView, AppError> {
    use crate::server::{ctx, service::my_data};
    ctx::finish(async move { my_data::account(&ctx::state()?, ctx::viewer().as_ref()).await }.await)
}

/// Display name and language (the language of every mail and, from now on, of the pages).
#[server(endpoint = "update_profile")]
pub async fn update_profile(display_name: String, locale: String) -> Result<(), AppError> {
    use crate::server::{ctx, db::retry_contended, service::my_data};
    ctx::finish(
        async move {
            let state = ctx::state()?;
            let viewer = ctx::viewer();
            let chosen =
                retry_contended(|| my_data::update_profile(&state, viewer.as_ref(), &display_name, &locale)).await?;
            ctx::set_cookie(&format!(
                "{}={}; Path=/; Max-Age=31536000; SameSite=Lax{}",
                crate::i18n::LOCALE_COOKIE,
                chosen.code(),
                if state.config.secure_cookies { "; Secure" } else { "" }
            ));
            ctx::redirect_form_post("/account?saved=profile");
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    password_confirm: String,
) -> Result<(), AppError> {
    use crate::server::{ctx, service::my_data};
    ctx::finish(
        async move {
            let keep = ctx::current_session().map(|s| s.id);
            my_data::change_password(
                &ctx::state()?,
                ctx::viewer().as_ref(),
                &current_password,
                &new_password,
                &password_confirm,
                keep.as_deref(),
                &ctx::client_ip(),
            )
            .await?;
            ctx::redirect_form_post("/account?saved=password");
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "request_email_change")]
pub async fn request_email_change(email: String, password: String) -> Result<(), AppError> {
    use crate::server::{ctx, service::my_data};
    ctx::finish(
        async move {
            my_data::request_email_change(&ctx::state()?, ctx::viewer().as_ref(), &email, &password, &ctx::client_ip())
                .await?;
            ctx::redirect_form_post("/account?saved=email");
            Ok(())
        }
        .await,
    )
}

/// The link from the new address, confirmed with a button (a mail scanner's visit changes nothing).
#[server(endpoint = "confirm_email_change")]
pub async fn confirm_email_change(token: String) -> Result<(), AppError> {
    use crate::server::{ctx, service::my_data};
    ctx::finish(
        async move {
            ctx::allow(crate::domain::policy::Op::UseLink)?;
            let state = ctx::state()?;
            my_data::confirm_email_change(&state, &token).await?;
            // Every session ended with the change, this one too.
            ctx::set_cookie(&crate::server::auth::clear_session_cookie(state.config.secure_cookies));
            ctx::redirect_form_post("/sign-in?email_changed=1");
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "get_deletion_preview")]
pub async fn get_deletion_preview() -> Result<DeletionPreview, AppError> {
    use crate::server::{ctx, service::my_data};
    ctx::finish(async move { my_data::deletion_preview(&ctx::state()?, ctx::viewer().as_ref()).await }.await)
}

#[server(endpoint = "delete_account")]
pub async fn delete_account(password: String, confirm: Option<String>) -> Result<(), AppError> {
    use crate::server::{auth, ctx, service::my_data};
    ctx::finish(
        async move {
            let state = ctx::state()?;
            my_data::delete_account(&state, ctx::viewer().as_ref(), &password, confirm.is_some(), &ctx::client_ip())
                .await?;
            ctx::set_cookie(&auth::clear_session_cookie(state.config.secure_cookies));
            ctx::redirect_form_post("/account/deleted");
            Ok(())
        }
        .await,
    )
}

/// A featured person (no account), through their consent link: what is held about them.
#[server(endpoint = "get_featured_data")]
pub async fn get_featured_data(token: String) -> Result<FeaturedData, AppError> {
    use crate::server::{ctx, service::consent};
    ctx::finish(
        async move {
            ctx::allow(crate::domain::policy::Op::UseLink)?;
            consent::featured_data(&ctx::state()?, &token).await
        }
        .await,
    )
}

/// A featured person erases their name and address from the nomination; their consent is
/// withdrawn with it (the record leaves the archive).
#[server(endpoint = "erase_featured_data")]
pub async fn erase_featured_data(token: String) -> Result<(), AppError> {
    use crate::server::{ctx, service::consent};
    ctx::finish(
        async move {
            ctx::allow(crate::domain::policy::Op::UseLink)?;
            consent::erase_featured(&ctx::state()?, &token, ctx::request_locale()).await?;
            ctx::redirect_form_post("/consent/done?erased=1");
            Ok(())
        }
        .await,
    )
}
