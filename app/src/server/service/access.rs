//! Who may see a nomination besides its nominator and organisers: reviewers see what they are
//! assigned and not conflicted on.
use sea_orm::ConnectionTrait;

use crate::api::auth::Viewer;
use crate::error::AppError;

pub async fn reviewer_may_see<C: ConnectionTrait>(
    c: &C,
    viewer: &Viewer,
    nomination_id: i64,
) -> Result<bool, AppError> {
    crate::server::service::reviewing::may_see(c, viewer, nomination_id).await
}
