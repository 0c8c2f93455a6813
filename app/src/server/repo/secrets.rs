//! Instance secrets kept in the database so every process signs links with the same key.
use sea_orm::{prelude::*, ActiveValue::Set};

use crate::server::entities::instance_secret;

const SIGNING_KEY: &str = "signing_key";

/// `SECRET_KEY` when set; otherwise a random key created once and shared through the database.
pub async fn signing_key<C: ConnectionTrait>(c: &C, configured: Option<&str>) -> Result<Vec<u8>, DbErr> {
    if let Some(k) = configured {
        return Ok(k.as_bytes().to_vec());
    }
    if let Some(row) = instance_secret::Entity::find_by_id(SIGNING_KEY.to_owned()).one(c).await? {
        return Ok(row.value.into_bytes());
    }
    let candidate = crate::server::auth::new_token() + &crate::server::auth::new_token();
    // Two processes may race here: the loser's insert fails and both read the winner's key.
    let _ = instance_secret::ActiveModel { name: Set(SIGNING_KEY.to_owned()), value: Set(candidate) }.insert(c).await;
    let row = instance_secret::Entity::find_by_id(SIGNING_KEY.to_owned())
        .one(c)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("signing key".into()))?;
    Ok(row.value.into_bytes())
}
