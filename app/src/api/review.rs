//! Reviewers: their queue, the score sheet, conflicts of interest, and accepting an invitation.
use std::collections::BTreeMap;

use leptos::prelude::*;

use super::types::{InvitationView, ReviewSheet, ReviewerQueue, SheetStatus};
use crate::error::AppError;

#[server]
pub async fn get_review_queue() -> Result<ReviewerQueue, AppError> {
    use crate::server::{ctx, service::reviewing};
    ctx::finish(async move { reviewing::queue(&ctx::state()?, &ctx::require_viewer()?).await }.await)
}

#[server]
pub async fn get_review_sheet(assignment_id: i64) -> Result<ReviewSheet, AppError> {
    use crate::server::{ctx, service::reviewing};
    ctx::finish(async move { reviewing::sheet(&ctx::state()?, &ctx::require_viewer()?, assignment_id).await }.await)
}

/// Scores arrive as `scores[<criterion id>]=<value>`; `submit` present means submit.
#[server]
pub async fn save_review(
    assignment_id: i64,
    scores: Option<BTreeMap<String, String>>,
    internal_comment: String,
    comment_to_nominee: String,
    submit: Option<String>,
) -> Result<SheetStatus, AppError> {
    use crate::server::{ctx, service::reviewing};
    ctx::finish(
        async move {
            let status = reviewing::save(
                &ctx::state()?,
                &ctx::require_viewer()?,
                assignment_id,
                &scores.unwrap_or_default(),
                &internal_comment,
                &comment_to_nominee,
                submit.is_some(),
            )
            .await?;
            ctx::redirect_form_post(&format!("/review/{assignment_id}?saved=1"));
            Ok(status)
        }
        .await,
    )
}

/// The reviewer declares a conflict; the entry leaves their queue at once.
#[server]
pub async fn declare_conflict(assignment_id: i64, reason: String) -> Result<(), AppError> {
    use crate::server::{ctx, repo, service::panels};
    ctx::finish(
        async move {
            let state = ctx::state()?;
            let viewer = ctx::require_viewer()?;
            let a = repo::review::find_assignment(state.db.conn(), assignment_id)
                .await?
                .filter(|a| a.reviewer_id == viewer.id.0)
                .ok_or(AppError::NotFound)?;
            panels::record_conflict(
                &state,
                &viewer,
                crate::domain::ids::NominationId(a.nomination_id),
                viewer.id.0,
                &reason,
                true,
            )
            .await?;
            ctx::redirect_form_post("/review?conflict=1");
            Ok(())
        }
        .await,
    )
}

#[server]
pub async fn get_invitation(token: String) -> Result<InvitationView, AppError> {
    use crate::server::{ctx, service::panels};
    ctx::finish(async move { panels::invitation(&ctx::state()?, &token).await }.await)
}

#[server]
pub async fn accept_invitation(
    token: String,
    display_name: Option<String>,
    password: Option<String>,
) -> Result<String, AppError> {
    use crate::server::{auth, ctx, service::panels};
    ctx::finish(
        async move {
            let state = ctx::state()?;
            let viewer = ctx::viewer();
            let token_cookie = panels::accept(
                &state,
                viewer.as_ref(),
                &token,
                display_name.as_deref().unwrap_or(""),
                password.as_deref().unwrap_or(""),
            )
            .await?;
            if let Some(t) = token_cookie {
                ctx::set_cookie(&auth::session_cookie(&t, state.config.secure_cookies));
            }
            ctx::redirect_form_post("/review");
            Ok("/review".to_string())
        }
        .await,
    )
}
