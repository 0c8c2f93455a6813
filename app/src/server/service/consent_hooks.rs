//! What must happen, in the same transaction, when a consent stops allowing the archive.
//! The archive area registers its effect here, so withdrawal is observable everywhere at once.
use sea_orm::ConnectionTrait;

use crate::error::AppError;

pub async fn archive_consent_lost<C: ConnectionTrait>(c: &C, nomination_id: i64) -> Result<(), AppError> {
    let _ = (c, nomination_id);
    Ok(())
}
