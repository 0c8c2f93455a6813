use sea_orm::entity::prelude::*;

use crate::domain::forum::SessionKind;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "event_sessions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub event_id: i64,
    pub position: i32,
    pub kind: SessionKind,
    pub starts_at: Option<DateTimeUtc>,
    pub ends_at: Option<DateTimeUtc>,
    pub title_ja: String,
    pub title_en: String,
    pub subtitle_ja: String,
    pub subtitle_en: String,
    pub theme_ja: String,
    pub theme_en: String,
    pub practice_id: Option<i64>,
    pub nomination_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
