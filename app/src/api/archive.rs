//! The public archive (no account needed) and the organisers' tools for it.
use leptos::prelude::*;

use super::types::{ArchiveCandidate, ArchiveFilters, ArchiveResults, PracticeEditView, PracticeView};
use crate::domain::archive::PracticeStatus;
use crate::error::AppError;

#[server]
pub async fn search_archive(filters: ArchiveFilters) -> Result<ArchiveResults, AppError> {
    use crate::server::{ctx, service::archive};
    ctx::finish(async move { archive::search(&ctx::state()?, &filters).await }.await)
}

#[server]
pub async fn get_practice(slug: String) -> Result<PracticeView, AppError> {
    use crate::server::{ctx, service::archive};
    ctx::finish(async move { archive::record(&ctx::state()?, &slug).await }.await)
}

#[server]
pub async fn list_archive_candidates(
) -> Result<(Vec<ArchiveCandidate>, Vec<(i64, String, String, PracticeStatus, bool)>), AppError> {
    use crate::server::{ctx, service::archive};
    ctx::finish(
        async move {
            let state = ctx::state()?;
            let viewer = ctx::require_viewer()?;
            Ok((archive::candidates(&state, &viewer).await?, archive::list_practices(&state, &viewer).await?))
        }
        .await,
    )
}

#[server]
pub async fn prepare_practice(nomination_id: i64) -> Result<i64, AppError> {
    use crate::domain::ids::NominationId;
    use crate::server::{ctx, service::archive};
    ctx::finish(
        async move {
            let id = archive::prepare(&ctx::state()?, &ctx::require_viewer()?, NominationId(nomination_id)).await?;
            ctx::redirect_form_post(&format!("/organise/archive/{id}"));
            Ok(id)
        }
        .await,
    )
}

#[server]
pub async fn get_practice_edit(id: i64) -> Result<PracticeEditView, AppError> {
    use crate::server::{ctx, service::archive};
    ctx::finish(async move { archive::edit_view(&ctx::state()?, &ctx::require_viewer()?, id).await }.await)
}

/// Sections arrive as `sections[<key>]=…`.
#[server]
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
            archive::save_draft(&ctx::state()?, &ctx::require_viewer()?, id, draft).await?;
            ctx::redirect_form_post(&format!("/organise/archive/{id}?saved=1"));
            Ok(())
        }
        .await,
    )
}

#[server]
pub async fn sign_off_practice(id: i64) -> Result<(), AppError> {
    use crate::server::{ctx, service::archive};
    ctx::finish(
        async move {
            archive::sign_off(&ctx::state()?, &ctx::require_viewer()?, id).await?;
            ctx::redirect_form_post(&format!("/organise/archive/{id}?published=1"));
            Ok(())
        }
        .await,
    )
}

#[server]
pub async fn unpublish_practice(id: i64) -> Result<(), AppError> {
    use crate::server::{ctx, service::archive};
    ctx::finish(
        async move {
            archive::unpublish(&ctx::state()?, &ctx::require_viewer()?, id).await?;
            ctx::redirect_form_post(&format!("/organise/archive/{id}?unpublished=1"));
            Ok(())
        }
        .await,
    )
}

#[server]
pub async fn list_synonyms() -> Result<Vec<(i64, String)>, AppError> {
    use crate::server::{ctx, service::archive};
    ctx::finish(async move { archive::synonyms(&ctx::state()?, &ctx::require_viewer()?).await }.await)
}

#[server]
pub async fn add_synonyms(words: String) -> Result<(), AppError> {
    use crate::server::{ctx, service::archive};
    ctx::finish(
        async move {
            archive::add_synonyms(&ctx::state()?, &ctx::require_viewer()?, &words).await?;
            ctx::redirect_form_post("/organise/archive?synonyms=1#synonyms");
            Ok(())
        }
        .await,
    )
}

#[server]
pub async fn delete_synonyms(id: i64) -> Result<(), AppError> {
    use crate::server::{ctx, service::archive};
    ctx::finish(
        async move {
            archive::delete_synonyms(&ctx::state()?, &ctx::require_viewer()?, id).await?;
            ctx::redirect_form_post("/organise/archive#synonyms");
            Ok(())
        }
        .await,
    )
}
