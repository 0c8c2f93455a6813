//! Organisers: editions' nomination windows and extra questions, and all nominations of an edition.
use leptos::prelude::*;

use super::types::{CategoryView, EditionSummary, NominationSummary};
use crate::error::AppError;

#[server]
pub async fn list_editions() -> Result<Vec<EditionSummary>, AppError> {
    use crate::domain::account::Role;
    use crate::server::{ctx, service::editions};
    ctx::finish(
        async move {
            ctx::require_role(Role::can_organise)?;
            editions::list_all(ctx::state()?.db.conn()).await
        }
        .await,
    )
}

#[server]
pub async fn get_edition_categories(
    edition_id: i64,
) -> Result<(EditionSummary, Vec<CategoryView>), AppError> {
    use crate::domain::account::Role;
    use crate::server::{ctx, service::editions};
    ctx::finish(
        async move {
            ctx::require_role(Role::can_organise)?;
            editions::with_categories(ctx::state()?.db.conn(), edition_id).await
        }
        .await,
    )
}

#[server]
pub async fn list_edition_nominations(
    edition_id: i64,
    category: String,
    status: String,
    consent: String,
) -> Result<Vec<NominationSummary>, AppError> {
    use crate::domain::{account::Role, ids::EditionId};
    use crate::server::{ctx, service::nominations};
    ctx::finish(
        async move {
            ctx::require_role(Role::can_organise)?;
            let filter = nominations::NominationFilter {
                category,
                status,
                consent,
            };
            nominations::list_for_edition(&ctx::state()?, EditionId(edition_id), &filter).await
        }
        .await,
    )
}

/// Sets the nomination window (Japan time, `YYYY-MM-DDTHH:MM`).
#[server]
pub async fn set_nomination_window(
    edition_id: i64,
    opens_at: String,
    closes_at: String,
) -> Result<(), AppError> {
    use crate::domain::account::Role;
    use crate::server::{ctx, service::editions};
    ctx::finish(
        async move {
            let viewer = ctx::require_role(Role::can_organise)?;
            editions::set_nomination_window(
                &ctx::state()?,
                &viewer,
                edition_id,
                &opens_at,
                &closes_at,
            )
            .await?;
            ctx::redirect_form_post(&format!("/organise/editions/{edition_id}?saved=window"));
            Ok(())
        }
        .await,
    )
}

#[server]
#[allow(clippy::too_many_arguments)]
pub async fn add_question(
    edition_id: i64,
    category_id: i64,
    kind: String,
    label_ja: String,
    label_en: String,
    help_ja: String,
    help_en: String,
    options: String,
    required: Option<String>,
    personal: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::account::Role;
    use crate::server::{ctx, service::editions};
    ctx::finish(
        async move {
            let viewer = ctx::require_role(Role::can_organise)?;
            let q = editions::NewQuestion {
                kind,
                label_ja,
                label_en,
                help_ja,
                help_en,
                options,
                required: required.is_some(),
                personal: personal.is_some(),
            };
            editions::add_question(&ctx::state()?, &viewer, edition_id, category_id, q).await?;
            ctx::redirect_form_post(&format!(
                "/organise/editions/{edition_id}?saved=question#questions"
            ));
            Ok(())
        }
        .await,
    )
}

#[server]
pub async fn delete_question(
    edition_id: i64,
    category_id: i64,
    question_id: i64,
) -> Result<(), AppError> {
    use crate::domain::account::Role;
    use crate::server::{ctx, service::editions};
    ctx::finish(
        async move {
            let viewer = ctx::require_role(Role::can_organise)?;
            editions::delete_question(
                &ctx::state()?,
                &viewer,
                edition_id,
                category_id,
                question_id,
            )
            .await?;
            ctx::redirect_form_post(&format!("/organise/editions/{edition_id}#questions"));
            Ok(())
        }
        .await,
    )
}
