use sea_orm::entity::prelude::*;

use crate::domain::archive::BadgeKind;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "practice_badges")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub practice_id: i64,
    pub kind: BadgeKind,
    pub edition_id: Option<i64>,
    pub edition_label: String,
    pub year: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
