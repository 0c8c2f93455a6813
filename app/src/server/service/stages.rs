//! The current stage of an edition. Changes are conditional updates, so several server
//! processes moving the same edition at the same moment produce exactly one transition.
use chrono::Utc;
use sea_orm::{prelude::*, ConnectionTrait};

use crate::domain::edition::StageKind;
use crate::error::AppError;
use crate::server::entities::edition;

/// Sets the stage unconditionally (set-up and demo data).
pub async fn set_current<C: ConnectionTrait>(
    c: &C,
    edition_id: i64,
    stage: StageKind,
    round: i32,
) -> Result<(), AppError> {
    edition::Entity::update_many()
        .col_expr(edition::Column::CurrentStage, Expr::value(stage.key()))
        .col_expr(edition::Column::CurrentRound, Expr::value(round))
        .col_expr(edition::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(edition::Column::Id.eq(edition_id))
        .exec(c)
        .await?;
    Ok(())
}
