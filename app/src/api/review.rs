//! Reviewers: their queue, the score sheet, conflicts of interest, and accepting an invitation.
use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::error::AppError;
use crate::wire::{InvitationView, ReviewSheet, ReviewerQueue, SheetStatus};

#[server(endpoint = "get_review_queue")]
pub async fn get_review_queue() -> Result<ReviewerQueue, AppError> {
    use crate::server::{ctx, service::reviewing};
    ctx::finish(async move { reviewing::queue(&ctx::state()?, ctx::viewer().as_ref()).await }.await)
}

#[server(endpoint = "get_review_sheet")]
pub async fn get_review_sheet(assignment_id: i64) -> Result<ReviewSheet, AppError> {
    use crate::server::{ctx, service::reviewing};
    ctx::finish(async move { reviewing::sheet(&ctx::state()?, ctx::viewer().as_ref(), assignment_id).await }.await)
}

/// Scores arrive as `scores[<criterion id>]=<value>`; `submit` present means submit.
#[server(endpoint = "save_review")]
pub async fn save_review(
    assignment_id: i64,
    scores: Option<BTreeMap<String, String>>,
    internal_comment: String,
    comment_to_nominee: String,
    submit: Option<String>,
) -> Result<SheetStatus, AppError> {
    use crate::server::{ctx, db::retry_contended, service::reviewing};
    ctx::finish(
        async move {
            let (state, viewer, scores) = (ctx::state()?, ctx::viewer(), scores.unwrap_or_default());
            let status = retry_contended(|| {
                reviewing::save(
                    &state,
                    viewer.as_ref(),
                    assignment_id,
                    &scores,
                    &internal_comment,
                    &comment_to_nominee,
                    submit.is_some(),
                )
            })
            .await?;
            ctx::redirect_form_post(&format!("/review/{assignment_id}?saved=1"));
            Ok(status)
        }
        .await,
    )
}

/// The reviewer declares a conflict; the entry leaves their queue at once.
#[server(endpoint = "declare_conflict")]
pub async fn declare_conflict(assignment_id: i64, reason: String) -> Result<(), AppError> {
    use crate::server::{ctx, service::panels};
    ctx::finish(
        async move {
            panels::declare_conflict(&ctx::state()?, ctx::viewer().as_ref(), assignment_id, &reason).await?;
            ctx::redirect_form_post("/review?conflict=1");
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "get_invitation")]
pub async fn get_invitation(token: String) -> Result<InvitationView, AppError> {
    use crate::server::{ctx, service::panels};
    ctx::finish(
        async move {
            ctx::allow(crate::domain::policy::Op::UseLink)?;
            panels::invitation(&ctx::state()?, &token).await
        }
        .await,
    )
}

#[server(endpoint = "accept_invitation")]
pub async fn accept_invitation(
    token: String,
    display_name: Option<String>,
    password: Option<String>,
) -> Result<String, AppError> {
    use crate::server::{auth, ctx, service::panels};
    ctx::finish(
        async move {
            let state = ctx::state()?;
            let viewer = ctx::allow(crate::domain::policy::Op::UseLink)?;
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

/// The reviewer pauses (`paused` = on) or resumes their assignment; organisers see it.
#[server(endpoint = "pause_assignment")]
pub async fn pause_assignment(assignment_id: i64, paused: Option<String>) -> Result<(), AppError> {
    use crate::server::{ctx, service::pace};
    ctx::finish(
        async move {
            let on = paused.is_some_and(|p| p == "on" || p == "true");
            pace::pause(&ctx::state()?, ctx::viewer().as_ref(), assignment_id, on).await?;
            ctx::redirect_form_post(&format!("/review/{assignment_id}?paced=1"));
            Ok(())
        }
        .await,
    )
}

/// The reviewer hands the assignment back; it leaves their queue and shows as a gap.
#[server(endpoint = "hand_back_assignment")]
pub async fn hand_back_assignment(assignment_id: i64, note: Option<String>) -> Result<(), AppError> {
    use crate::server::{ctx, service::pace};
    ctx::finish(
        async move {
            pace::hand_back(&ctx::state()?, ctx::viewer().as_ref(), assignment_id, note.as_deref().unwrap_or(""))
                .await?;
            ctx::redirect_form_post("/review?returned=1");
            Ok(())
        }
        .await,
    )
}
