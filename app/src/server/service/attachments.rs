//! Attachments: at most five PDF, PNG or JPEG files of up to 10 MB each, recognised by their
//! first bytes and stored through the storage abstraction.
use chrono::Utc;
use sha2::{Digest, Sha256};

use crate::domain::files::{clean_file_name, sniff, MAX_ATTACHMENTS, MAX_FILE_BYTES, MAX_FILE_MB};
use crate::domain::ids::{AttachmentId, NominationId};
use crate::domain::policy::Op;
use crate::domain::validation::{FieldError, Problem};
use crate::error::AppError;
use crate::server::{auth, policy, repo, service::nominations::editable_now, AppState};
use crate::wire::Viewer;

fn file_error(problem: Problem) -> AppError {
    AppError::Validation(vec![FieldError::new("file", problem)])
}

pub async fn add(
    state: &AppState,
    who: Option<&Viewer>,
    id: NominationId,
    file_name: &str,
    bytes: &[u8],
) -> Result<AttachmentId, AppError> {
    // Who may attach is settled before anything about the file is looked at.
    let access = policy::nomination(state.db.conn(), who, Op::ManageAttachments, id.0).await?;
    if bytes.len() > MAX_FILE_BYTES {
        return Err(file_error(Problem::FileTooLarge { max_mb: MAX_FILE_MB }));
    }
    if bytes.is_empty() {
        return Err(file_error(Problem::Required));
    }
    let kind = sniff(bytes).ok_or_else(|| file_error(Problem::FileTypeNotAllowed))?;
    if !editable_now(state.db.conn(), &access.nomination, &access.edition).await? {
        return Err(AppError::DeadlinePassed);
    }
    let tx = state.db.begin().await?;
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
    who: Option<&Viewer>,
    id: NominationId,
    attachment: AttachmentId,
) -> Result<(), AppError> {
    let access = policy::nomination(state.db.conn(), who, Op::ManageAttachments, id.0).await?;
    if !editable_now(state.db.conn(), &access.nomination, &access.edition).await? {
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

/// The nominator, organisers, and reviewers who may review the entry now may download;
/// everyone else learns nothing.
pub async fn download(state: &AppState, who: Option<&Viewer>, attachment: AttachmentId) -> Result<Download, AppError> {
    let c = state.db.conn();
    let Some(row) = repo::attachments::find(c, attachment.0).await? else {
        return Err(AppError::NotFound);
    };
    policy::nomination(c, who, Op::DownloadAttachment, row.nomination_id).await.map_err(|e| match e {
        AppError::SignInRequired => AppError::NotFound,
        other => other,
    })?;
    let bytes = state.storage.get(&row.storage_key).await.map_err(|e| AppError::internal("storage get", e))?;
    Ok(Download { file_name: row.file_name, content_type: row.content_type, bytes })
}
