//! The consent page reached from an e-mailed link: no account needed.
use leptos::prelude::*;

use crate::error::AppError;
use crate::wire::ConsentRequestView;

#[server(endpoint = "get_consent_request")]
pub async fn get_consent_request(token: String) -> Result<ConsentRequestView, AppError> {
    use crate::server::{ctx, service::consent};
    ctx::finish(
        async move {
            ctx::allow(crate::domain::policy::Op::UseLink)?;
            consent::view(&ctx::state()?, &token).await
        }
        .await,
    )
}

#[server(endpoint = "answer_consent")]
pub async fn answer_consent(
    token: String,
    decision: String,
    scope: Option<String>,
    photos: Option<String>,
) -> Result<String, AppError> {
    use crate::domain::consent::ConsentScope;
    use crate::server::{ctx, service::consent};
    ctx::finish(
        async move {
            ctx::allow(crate::domain::policy::Op::UseLink)?;
            let scope = scope.as_deref().and_then(ConsentScope::parse);
            let state = consent::respond(
                &ctx::state()?,
                &token,
                decision == "give",
                scope,
                photos.is_some(),
                ctx::request_locale(),
            )
            .await?;
            let done = format!("/consent/done?status={}", state.status.key());
            ctx::redirect_form_post(&done);
            Ok(done)
        }
        .await,
    )
}

#[server(endpoint = "withdraw_consent_by_link")]
pub async fn withdraw_consent_by_link(token: String) -> Result<String, AppError> {
    use crate::server::{ctx, service::consent};
    ctx::finish(
        async move {
            ctx::allow(crate::domain::policy::Op::UseLink)?;
            consent::withdraw_with_link(&ctx::state()?, &token).await?;
            let done = "/consent/done?status=withdrawn".to_string();
            ctx::redirect_form_post(&done);
            Ok(done)
        }
        .await,
    )
}
