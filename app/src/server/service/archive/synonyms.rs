//! The search synonym list (がん/癌/ガン …), kept by organisers.
use chrono::Utc;

use crate::domain::policy::Op;
use crate::domain::validation::{FieldError, Problem};
use crate::error::AppError;
use crate::server::{policy, repo, AppState};
use crate::wire::Viewer;

pub async fn synonyms(state: &AppState, who: Option<&Viewer>) -> Result<Vec<(i64, String)>, AppError> {
    policy::platform(who, Op::Organise)?;
    Ok(repo::archive::synonyms(state.db.conn()).await?.into_iter().map(|s| (s.id, s.words)).collect())
}

pub async fn add_synonyms(state: &AppState, who: Option<&Viewer>, words: &str) -> Result<(), AppError> {
    policy::platform(who, Op::Organise)?;
    let list: Vec<String> =
        words.split([',', '、', '/', '／', '\n']).map(|w| w.trim().to_string()).filter(|w| !w.is_empty()).collect();
    if list.len() < 2 || list.iter().any(|w| w.chars().count() > 40) {
        return Err(AppError::Validation(vec![FieldError::new("words", Problem::TooShort { min: 2 })]));
    }
    let tx = state.db.begin().await?;
    repo::archive::add_synonyms(&*tx, &list.join(", "), Utc::now()).await?;
    repo::archive::bump_version(&*tx).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn delete_synonyms(state: &AppState, who: Option<&Viewer>, id: i64) -> Result<(), AppError> {
    policy::platform(who, Op::Organise)?;
    let tx = state.db.begin().await?;
    repo::archive::delete_synonyms(&*tx, id).await?;
    repo::archive::bump_version(&*tx).await?;
    tx.commit().await?;
    Ok(())
}
