//! Nominations: start, save (also autosave), submit, withdraw, attachments and consent requests.
use leptos::prelude::*;

use super::types::{CategoryView, EditionSummary, NominationDetail, NominationSummary, SaveResult};
use crate::domain::nomination::NominationInput;
use crate::error::AppError;

#[server]
pub async fn list_open_editions() -> Result<Vec<(EditionSummary, Vec<CategoryView>)>, AppError> {
    use crate::server::{ctx, service::editions};
    ctx::finish(async move { editions::open_for_nominations(ctx::state()?.db.conn(), chrono::Utc::now()).await }.await)
}

#[server]
pub async fn start_nomination(edition_id: i64, category: String) -> Result<i64, AppError> {
    use crate::domain::ids::EditionId;
    use crate::server::{ctx, service::nominations};
    ctx::finish(
        async move {
            let viewer = ctx::require_viewer()?;
            let id = nominations::start(&ctx::state()?, &viewer, EditionId(edition_id), &category).await?;
            ctx::redirect_form_post(&format!("/nominations/{}/edit", id.0));
            Ok(id.0)
        }
        .await,
    )
}

#[server]
pub async fn get_nomination(id: i64) -> Result<NominationDetail, AppError> {
    use crate::domain::ids::NominationId;
    use crate::server::{ctx, service::nominations};
    ctx::finish(
        async move { nominations::detail(&ctx::state()?, &ctx::require_viewer()?, NominationId(id)).await }.await,
    )
}

/// Saves the form. `then = "preview"` continues to the preview page.
#[server]
pub async fn save_nomination(
    id: i64,
    version: i32,
    input: NominationInput,
    then: Option<String>,
) -> Result<SaveResult, AppError> {
    use crate::domain::ids::NominationId;
    use crate::server::{ctx, service::nominations};
    ctx::finish(
        async move {
            let viewer = ctx::require_viewer()?;
            let saved = nominations::save(&ctx::state()?, &viewer, NominationId(id), version, input).await?;
            match then.as_deref() {
                Some("preview") => ctx::redirect_form_post(&format!("/nominations/{id}")),
                _ => ctx::redirect_form_post(&format!("/nominations/{id}/edit?saved=1")),
            }
            Ok(saved)
        }
        .await,
    )
}

#[server]
pub async fn submit_nomination(id: i64, dialogue_ack: Option<String>) -> Result<(), AppError> {
    use crate::domain::ids::NominationId;
    use crate::server::{ctx, service::nominations};
    ctx::finish(
        async move {
            let viewer = ctx::require_viewer()?;
            nominations::submit(
                &ctx::state()?,
                &viewer,
                NominationId(id),
                dialogue_ack.is_some(),
                ctx::request_locale(),
            )
            .await?;
            ctx::redirect_form_post(&format!("/nominations/{id}?submitted=1"));
            Ok(())
        }
        .await,
    )
}

#[server]
pub async fn withdraw_nomination(id: i64) -> Result<(), AppError> {
    use crate::domain::ids::NominationId;
    use crate::server::{ctx, service::nominations};
    ctx::finish(
        async move {
            let viewer = ctx::require_viewer()?;
            nominations::withdraw(&ctx::state()?, &viewer, NominationId(id), ctx::request_locale()).await?;
            ctx::redirect_form_post(&format!("/nominations/{id}"));
            Ok(())
        }
        .await,
    )
}

#[server]
pub async fn list_my_nominations() -> Result<Vec<NominationSummary>, AppError> {
    use crate::server::{ctx, service::nominations};
    ctx::finish(async move { nominations::list_mine(&ctx::state()?, &ctx::require_viewer()?).await }.await)
}

#[server]
pub async fn delete_attachment(id: i64, attachment_id: i64) -> Result<(), AppError> {
    use crate::domain::ids::{AttachmentId, NominationId};
    use crate::server::{ctx, service::attachments};
    ctx::finish(
        async move {
            attachments::remove(&ctx::state()?, &ctx::require_viewer()?, NominationId(id), AttachmentId(attachment_id))
                .await?;
            ctx::redirect_form_post(&format!("/nominations/{id}#attachments"));
            Ok(())
        }
        .await,
    )
}

#[server]
pub async fn request_consent(id: i64, email: Option<String>) -> Result<(), AppError> {
    use crate::domain::ids::NominationId;
    use crate::server::{ctx, service::consent};
    ctx::finish(
        async move {
            consent::request(&ctx::state()?, &ctx::require_viewer()?, NominationId(id), email.as_deref()).await?;
            ctx::redirect_form_post(&format!("/nominations/{id}?consent=requested#consent"));
            Ok(())
        }
        .await,
    )
}

#[server]
pub async fn withdraw_consent(id: i64) -> Result<(), AppError> {
    use crate::domain::ids::NominationId;
    use crate::server::{ctx, service::consent};
    ctx::finish(
        async move {
            consent::withdraw(&ctx::state()?, &ctx::require_viewer()?, NominationId(id)).await?;
            ctx::redirect_form_post(&format!("/nominations/{id}#consent"));
            Ok(())
        }
        .await,
    )
}

/// Organisers record a consent (or refusal) obtained another way, e.g. on paper.
#[server]
pub async fn record_consent(
    id: i64,
    decision: String,
    scope: Option<String>,
    photos: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::{consent::ConsentScope, ids::NominationId};
    use crate::server::{ctx, service::consent};
    ctx::finish(
        async move {
            let scope = scope.as_deref().and_then(ConsentScope::parse);
            consent::record_by_organiser(
                &ctx::state()?,
                &ctx::require_viewer()?,
                NominationId(id),
                decision == "give",
                scope,
                photos.is_some(),
            )
            .await?;
            ctx::redirect_form_post(&format!("/nominations/{id}#consent"));
            Ok(())
        }
        .await,
    )
}

/// Renders Markdown exactly as saving would, for the live preview.
#[server]
pub async fn preview_markdown(text: String) -> Result<String, AppError> {
    use crate::server::{ctx, sanitize};
    ctx::finish(
        async move {
            ctx::require_viewer()?;
            Ok(sanitize::render_markdown(&text))
        }
        .await,
    )
}
