//! The public archive (no account needed) and the organisers' tools for it.
use leptos::prelude::*;

use crate::domain::archive::PracticeStatus;
use crate::error::AppError;
use crate::wire::{
    ArchiveCandidate, ArchiveFilters, ArchiveResults, PendingSignOff, PracticeEditView, PracticeView, SignOffView,
};

#[server(endpoint = "search_archive")]
pub async fn search_archive(filters: ArchiveFilters) -> Result<ArchiveResults, AppError> {
    use crate::server::{ctx, service::archive};
    ctx::finish(
        async move {
            ctx::allow(crate::domain::policy::Op::ReadPublic)?;
            archive::search(&ctx::state()?, &filters).await
        }
        .await,
    )
}

#[server(endpoint = "get_practice")]
pub async fn get_practice(slug: String) -> Result<PracticeView, AppError> {
    use crate::server::{ctx, service::archive};
    ctx::finish(async move { archive::record(&ctx::state()?, ctx::viewer().as_ref(), &slug).await }.await)
}

#[server(endpoint = "list_archive_candidates")]
pub async fn list_archive_candidates(
) -> Result<(Vec<ArchiveCandidate>, Vec<(i64, String, String, PracticeStatus, bool)>), AppError> {
    use crate::server::{ctx, service::archive};
    ctx::finish(
        async move {
            let state = ctx::state()?;
            let viewer = ctx::viewer();
            Ok((
                archive::candidates(&state, viewer.as_ref()).await?,
                archive::list_practices(&state, viewer.as_ref()).await?,
            ))
        }
        .await,
    )
}

#[server(endpoint = "prepare_practice")]
pub async fn prepare_practice(nomination_id: i64) -> Result<i64, AppError> {
    use crate::domain::ids::NominationId;
    use crate::server::{ctx, service::archive};
    ctx::finish(
        async move {
            let id = archive::prepare(&ctx::state()?, ctx::viewer().as_ref(), NominationId(nomination_id)).await?;
            ctx::redirect_form_post(&format!("/organise/archive/{id}"));
            Ok(id)
        }
        .await,
    )
}

#[server(endpoint = "get_practice_edit")]
pub async fn get_practice_edit(id: i64) -> Result<PracticeEditView, AppError> {
    use crate::server::{ctx, service::archive};
    ctx::finish(async move { archive::edit_view(&ctx::state()?, ctx::viewer().as_ref(), id).await }.await)
}

/// Sections arrive as `sections[<key>]=…`.
#[server(endpoint = "save_practice_draft")]
pub async fn save_practice_draft(
    id: i64,
    title: String,
    summary: String,
    tags: String,
    sections: Option<std::collections::BTreeMap<String, String>>,
) -> Result<(), AppError> {
    use crate::server::{ctx, service::archive};
    ctx::finish(
        async move {
            let draft = archive::PracticeDraft { title, summary, tags, sections: sections.unwrap_or_default() };
            archive::save_draft(&ctx::state()?, ctx::viewer().as_ref(), id, draft).await?;
            ctx::redirect_form_post(&format!("/organise/archive/{id}?saved=1"));
            Ok(())
        }
        .await,
    )
}

/// The pending text of a record, as whoever may sign it off reads it before approving.
#[server(endpoint = "get_sign_off")]
pub async fn get_sign_off(id: i64) -> Result<SignOffView, AppError> {
    use crate::server::{ctx, service::archive};
    ctx::finish(async move { archive::sign_off_view(&ctx::state()?, ctx::viewer().as_ref(), id).await }.await)
}

/// Pending texts this person may sign off.
#[server(endpoint = "list_pending_sign_offs")]
pub async fn list_pending_sign_offs() -> Result<Vec<PendingSignOff>, AppError> {
    use crate::server::{ctx, service::archive};
    ctx::finish(async move { archive::pending_sign_offs(&ctx::state()?, ctx::viewer().as_ref()).await }.await)
}

/// Approves exactly the text shown (`fingerprint`); `back` is where a form post returns to.
#[server(endpoint = "sign_off_practice")]
pub async fn sign_off_practice(id: i64, fingerprint: String, back: Option<String>) -> Result<(), AppError> {
    use crate::server::{ctx, service::archive};
    ctx::finish(
        async move {
            archive::sign_off(&ctx::state()?, ctx::viewer().as_ref(), id, &fingerprint).await?;
            let fallback = format!("/organise/archive/{id}?published=1");
            ctx::redirect_form_post(&crate::domain::links::safe_next(back.as_deref(), &fallback));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "unpublish_practice")]
pub async fn unpublish_practice(id: i64) -> Result<(), AppError> {
    use crate::server::{ctx, service::archive};
    ctx::finish(
        async move {
            archive::unpublish(&ctx::state()?, ctx::viewer().as_ref(), id).await?;
            ctx::redirect_form_post(&format!("/organise/archive/{id}?unpublished=1"));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "list_synonyms")]
pub async fn list_synonyms() -> Result<Vec<(i64, String)>, AppError> {
    use crate::server::{ctx, service::archive};
    ctx::finish(async move { archive::synonyms(&ctx::state()?, ctx::viewer().as_ref()).await }.await)
}

#[server(endpoint = "add_synonyms")]
pub async fn add_synonyms(words: String) -> Result<(), AppError> {
    use crate::server::{ctx, service::archive};
    ctx::finish(
        async move {
            archive::add_synonyms(&ctx::state()?, ctx::viewer().as_ref(), &words).await?;
            ctx::redirect_form_post("/organise/archive?synonyms=1#synonyms");
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "delete_synonyms")]
pub async fn delete_synonyms(id: i64) -> Result<(), AppError> {
    use crate::server::{ctx, service::archive};
    ctx::finish(
        async move {
            archive::delete_synonyms(&ctx::state()?, ctx::viewer().as_ref(), id).await?;
            ctx::redirect_form_post("/organise/archive#synonyms");
            Ok(())
        }
        .await,
    )
}
