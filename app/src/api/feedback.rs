//! Feedback reports: the nominee's (and the organisers' preview), and the organisers' reading
//! of reviewers' comments to nominees before they are released.
use leptos::prelude::*;

use crate::domain::feedback::CommentState;
use crate::error::AppError;
use crate::wire::feedback::{FeedbackReport, ModerationItem};

#[server(endpoint = "get_feedback")]
pub async fn get_feedback(id: i64) -> Result<FeedbackReport, AppError> {
    use crate::domain::ids::NominationId;
    use crate::server::{ctx, service::feedback};
    ctx::finish(async move { feedback::report(&ctx::state()?, ctx::viewer().as_ref(), NominationId(id)).await }.await)
}

#[server(endpoint = "list_feedback_comments")]
pub async fn list_feedback_comments(edition_id: i64) -> Result<Vec<ModerationItem>, AppError> {
    use crate::server::{ctx, service::feedback};
    ctx::finish(
        async move { feedback::comments_to_read(&ctx::state()?, ctx::viewer().as_ref(), edition_id).await }.await,
    )
}

/// `decision`: accept, edit (with `text` and `reason`), hold (with `reason`) or pending.
#[server(endpoint = "moderate_comment")]
pub async fn moderate_comment(
    assignment_id: i64,
    decision: String,
    text: Option<String>,
    reason: Option<String>,
) -> Result<CommentState, AppError> {
    use crate::server::{ctx, service::feedback};
    ctx::finish(
        async move {
            let state = ctx::state()?;
            let (done, edition) = feedback::moderate(
                &state,
                ctx::viewer().as_ref(),
                assignment_id,
                &decision,
                text.as_deref().unwrap_or(""),
                reason.as_deref().unwrap_or(""),
            )
            .await?;
            ctx::redirect_form_post(&format!("/organise/editions/{edition}/feedback#c-{assignment_id}"));
            Ok(done)
        }
        .await,
    )
}

#[server(endpoint = "get_calibration")]
pub async fn get_calibration(
    edition_id: i64,
    round: Option<i32>,
) -> Result<crate::wire::feedback::CalibrationView, AppError> {
    use crate::server::{ctx, service::results};
    ctx::finish(
        async move { results::calibration(&ctx::state()?, ctx::viewer().as_ref(), edition_id, round).await }.await,
    )
}
