//! Attachments: at most five PDF, PNG or JPEG files of up to 10 MB each, recognised by their
//! first bytes and stored through the storage abstraction.
use chrono::Utc;
use sha2::{Digest, Sha256};

use crate::api::auth::Viewer;
use crate::domain::files::{clean_file_name, sniff, MAX_ATTACHMENTS, MAX_FILE_BYTES, MAX_FILE_MB};
use crate::domain::ids::{AttachmentId, NominationId};
use crate::domain::validation::{FieldError, Problem};
use crate::error::AppError;
use crate::server::{auth, repo, AppState};

fn file_error(problem: Problem) -> AppError {
    AppError::Validation(vec![FieldError::new("file", problem)])
}

pub async fn add(
    state: &AppState,
    viewer: &Viewer,
    id: NominationId,
    file_name: &str,
    bytes: &[u8],
) -> Result<AttachmentId, AppError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(file_error(Problem::FileTooLarge { max_mb: MAX_FILE_MB }));
    }
    if bytes.is_empty() {
        return Err(file_error(Problem::Required));
    }
    let kind = sniff(bytes).ok_or_else(|| file_error(Problem::FileTypeNotAllowed))?;
    let tx = state.db.begin().await?;
    let detail = crate::server::service::nominations::detail(state, viewer, id).await?;
    if !detail.is_owner {
        return Err(AppError::NotFound);
    }
    if !detail.can_edit {
        return Err(AppError::DeadlinePassed);
    }
    if repo::attachments::count(&*tx, id.0).await? as usize >= MAX_ATTACHMENTS {
        return Err(file_error(Problem::TooMany { max: MAX_ATTACHMENTS }));
    }
    let key = format!("{}/{}", id.0, auth::new_token().replace('-', "_"));
    state.storage.put(&key, bytes).await.map_err(|e| AppError::internal("storage put", e))?;
    let sha = hex::encode(Sha256::digest(bytes));
    let name = clean_file_name(file_name, kind);
    match repo::attachments::insert(&*tx, id.0, &name, kind.mime(), bytes.len() as i64, &key, &sha, Utc::now()).await {
        Ok(row) => {
            tx.commit().await?;
            Ok(AttachmentId(row.id))
        }
        Err(e) => {
            // Nothing half-saved: the stored bytes go when the row could not be written.
            let _ = state.storage.delete(&key).await;
            Err(e.into())
        }
    }
}

pub async fn remove(
    state: &AppState,
    viewer: &Viewer,
    id: NominationId,
    attachment: AttachmentId,
) -> Result<(), AppError> {
    let detail = crate::server::service::nominations::detail(state, viewer, id).await?;
    if !detail.is_owner {
        return Err(AppError::NotFound);
    }
    if !detail.can_edit {
        return Err(AppError::DeadlinePassed);
    }
    let tx = state.db.begin().await?;
    let row = repo::attachments::find(&*tx, attachment.0)
        .await?
        .filter(|a| a.nomination_id == id.0)
        .ok_or(AppError::NotFound)?;
    repo::attachments::delete(&*tx, row.id).await?;
    tx.commit().await?;
    if let Err(e) = state.storage.delete(&row.storage_key).await {
        tracing::warn!(error = %e, key = %row.storage_key, "attachment bytes could not be removed");
    }
    Ok(())
}

pub struct Download {
    pub file_name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// The nominator and organisers may download; everyone else learns nothing.
pub async fn download(state: &AppState, viewer: &Viewer, attachment: AttachmentId) -> Result<Download, AppError> {
    let c = state.db.conn();
    let row = repo::attachments::find(c, attachment.0).await?.ok_or(AppError::NotFound)?;
    let n = repo::nominations::find(c, row.nomination_id).await?.ok_or(AppError::NotFound)?;
    let allowed = n.nominator_id == viewer.id.0
        || viewer.role.can_organise()
        || crate::server::service::access::reviewer_may_see(c, viewer, n.id).await?;
    if !allowed {
        return Err(AppError::NotFound);
    }
    let bytes = state.storage.get(&row.storage_key).await.map_err(|e| AppError::internal("storage get", e))?;
    Ok(Download { file_name: row.file_name, content_type: row.content_type, bytes })
}
