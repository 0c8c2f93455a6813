//! Nominations: start, save (also autosave), submit, withdraw, attachments and consent requests.
use leptos::prelude::*;

use crate::domain::nomination::NominationInput;
use crate::error::AppError;
use crate::wire::{CategoryView, EditionSummary, NominationDetail, NominationSummary, SaveResult};

#[server(endpoint = "list_open_editions")]
pub async fn list_open_editions() -> Result<Vec<(EditionSummary, Vec<CategoryView>)>, AppError> {
    use crate::server::{ctx, service::editions};
    ctx::finish(
        async move {
            ctx::allow(crate::domain::policy::Op::ReadPublic)?;
            editions::open_for_nominations(ctx::state()?.db.conn(), chrono::Utc::now()).await
        }
        .await,
    )
}

#[server(endpoint = "start_nomination")]
pub async fn start_nomination(edition_id: i64, category: String) -> Result<i64, AppError> {
    use crate::domain::ids::EditionId;
    use crate::server::{ctx, db::retry_contended, service::nominations};
    ctx::finish(
        async move {
            let viewer = ctx::viewer();
            let state = ctx::state()?;
            let id = retry_contended(|| nominations::start(&state, viewer.as_ref(), EditionId(edition_id), &category))
                .await?;
            ctx::redirect_form_post(&format!("/nominations/{}/edit", id.0));
            Ok(id.0)
        }
        .await,
    )
}

#[server(endpoint = "get_nomination")]
pub async fn get_nomination(id: i64) -> Result<NominationDetail, AppError> {
    use crate::domain::ids::NominationId;
    use crate::server::{ctx, service::nominations};
    ctx::finish(
        async move { nominations::detail(&ctx::state()?, ctx::viewer().as_ref(), NominationId(id)).await }.await,
    )
}

/// Saves the form. `then = "preview"` continues to the preview page.
#[server(endpoint = "save_nomination")]
pub async fn save_nomination(
    id: i64,
    version: i32,
    input: NominationInput,
    then: Option<String>,
) -> Result<SaveResult, AppError> {
    use crate::domain::ids::NominationId;
    use crate::server::{ctx, db::retry_contended, service::nominations};
    ctx::finish(
        async move {
            let viewer = ctx::viewer();
            let state = ctx::state()?;
            let saved = retry_contended(|| {
                nominations::save(&state, viewer.as_ref(), NominationId(id), version, input.clone())
            })
            .await?;
            // No button pressed: the form's island saved by itself.
            match then.as_deref() {
                Some("preview") => ctx::redirect_form_post(&format!("/nominations/{id}")),
                None => ctx::redirect_form_post(&format!("/nominations/{id}/edit?autosaved=1")),
                _ => ctx::redirect_form_post(&format!("/nominations/{id}/edit?saved=1")),
            }
            Ok(saved)
        }
        .await,
    )
}

#[server(endpoint = "submit_nomination")]
pub async fn submit_nomination(id: i64, dialogue_ack: Option<String>) -> Result<(), AppError> {
    use crate::domain::ids::NominationId;
    use crate::server::{ctx, db::retry_contended, service::nominations};
    ctx::finish(
        async move {
            let viewer = ctx::viewer();
            let (state, locale) = (ctx::state()?, ctx::request_locale());
            retry_contended(|| {
                nominations::submit(&state, viewer.as_ref(), NominationId(id), dialogue_ack.is_some(), locale)
            })
            .await?;
            ctx::redirect_form_post(&format!("/nominations/{id}?submitted=1"));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "withdraw_nomination")]
pub async fn withdraw_nomination(id: i64) -> Result<(), AppError> {
    use crate::domain::ids::NominationId;
    use crate::server::{ctx, db::retry_contended, service::nominations};
    ctx::finish(
        async move {
            let viewer = ctx::viewer();
            let (state, locale) = (ctx::state()?, ctx::request_locale());
            retry_contended(|| nominations::withdraw(&state, viewer.as_ref(), NominationId(id), locale)).await?;
            ctx::redirect_form_post(&format!("/nominations/{id}"));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "list_my_nominations")]
pub async fn list_my_nominations() -> Result<Vec<NominationSummary>, AppError> {
    use crate::server::{ctx, service::nominations};
    ctx::finish(async move { nominations::list_mine(&ctx::state()?, ctx::viewer().as_ref()).await }.await)
}

#[server(endpoint = "delete_attachment")]
pub async fn delete_attachment(id: i64, attachment_id: i64) -> Result<(), AppError> {
    use crate::domain::ids::{AttachmentId, NominationId};
    use crate::server::{ctx, service::attachments};
    ctx::finish(
        async move {
            attachments::remove(&ctx::state()?, ctx::viewer().as_ref(), NominationId(id), AttachmentId(attachment_id))
                .await?;
            ctx::redirect_form_post(&format!("/nominations/{id}#attachments"));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "request_consent")]
pub async fn request_consent(id: i64, email: Option<String>) -> Result<(), AppError> {
    use crate::domain::ids::NominationId;
    use crate::server::{ctx, service::consent};
    ctx::finish(
        async move {
            consent::request(&ctx::state()?, ctx::viewer().as_ref(), NominationId(id), email.as_deref()).await?;
            ctx::redirect_form_post(&format!("/nominations/{id}?consent=requested#consent"));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "withdraw_consent")]
pub async fn withdraw_consent(id: i64) -> Result<(), AppError> {
    use crate::domain::ids::NominationId;
    use crate::server::{ctx, service::consent};
    ctx::finish(
        async move {
            consent::withdraw(&ctx::state()?, ctx::viewer().as_ref(), NominationId(id)).await?;
            ctx::redirect_form_post(&format!("/nominations/{id}#consent"));
            Ok(())
        }
        .await,
    )
}

/// Organisers record a consent (or refusal) obtained another way, e.g. on paper.
#[server(endpoint = "record_consent")]
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
                ctx::viewer().as_ref(),
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
#[server(endpoint = "preview_markdown")]
pub async fn preview_markdown(text: String) -> Result<String, AppError> {
    use crate::server::{ctx, sanitize};
    ctx::finish(
        async move {
            ctx::allow(crate::domain::policy::Op::PreviewText)?;
            Ok(sanitize::render_markdown(&text))
        }
        .await,
    )
}

/// The nominator asks for `days` more days; the reason is read by organisers only.
#[server(endpoint = "request_extension")]
pub async fn request_extension(id: i64, days: String, reason: String) -> Result<crate::wire::ExtensionView, AppError> {
    use crate::domain::ids::NominationId;
    use crate::server::{ctx, db::retry_contended, service::pace};
    ctx::finish(
        async move {
            let viewer = ctx::viewer();
            let state = ctx::state()?;
            let r =
                retry_contended(|| pace::request(&state, viewer.as_ref(), NominationId(id), &days, &reason)).await?;
            ctx::redirect_form_post(&format!("/nominations/{id}?extension=asked#extension"));
            Ok(r)
        }
        .await,
    )
}

/// Organisers: `decision` grant (until `until`, Japan time, or the date asked for) or decline.
#[server(endpoint = "decide_extension")]
pub async fn decide_extension(id: i64, decision: String, until: Option<String>) -> Result<(), AppError> {
    use crate::domain::ids::NominationId;
    use crate::server::{ctx, db::retry_contended, service::pace};
    ctx::finish(
        async move {
            let viewer = ctx::viewer();
            let state = ctx::state()?;
            let until = until.unwrap_or_default();
            retry_contended(|| pace::decide(&state, viewer.as_ref(), NominationId(id), &decision, &until)).await?;
            ctx::redirect_form_post(&format!("/nominations/{id}?extension=decided#extension"));
            Ok(())
        }
        .await,
    )
}

/// Organisers: the requests for more time waiting in an edition.
#[server(endpoint = "list_extension_requests")]
pub async fn list_extension_requests(edition_id: i64) -> Result<Vec<crate::wire::ExtensionView>, AppError> {
    use crate::server::{ctx, service::pace};
    ctx::finish(async move { pace::pending(&ctx::state()?, ctx::viewer().as_ref(), edition_id).await }.await)
}
