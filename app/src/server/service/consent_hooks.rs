//! What must happen, in the same transaction, when a consent stops allowing the archive:
//! the record leaves every public surface at once.
use sea_orm::ConnectionTrait;

use crate::error::AppError;

pub async fn archive_consent_lost<C: ConnectionTrait>(c: &C, nomination_id: i64) -> Result<(), AppError> {
    crate::server::service::archive::consent_lost(c, nomination_id).await
}
