use sea_orm::entity::prelude::*;

use crate::domain::forum::QuestionStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "event_questions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub event_id: i64,
    pub session_id: Option<i64>,
    pub registration_id: Option<i64>,
    pub user_id: Option<i64>,
    pub asker_name: String,
    pub show_name: bool,
    pub body: String,
    pub status: QuestionStatus,
    pub merged_into: Option<i64>,
    pub created_at: DateTimeUtc,
    pub decided_at: Option<DateTimeUtc>,
    pub decided_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
