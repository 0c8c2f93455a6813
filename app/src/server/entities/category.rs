use sea_orm::entity::prelude::*;

use crate::domain::category::CategoryKey;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "categories")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub edition_id: i64,
    pub key: CategoryKey,
    pub name_ja: String,
    pub name_en: String,
    pub guidance_ja: String,
    pub guidance_en: String,
    pub position: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
