use sea_orm::entity::prelude::*;

use crate::domain::category::QuestionKind;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "category_questions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub category_id: i64,
    pub position: i32,
    pub kind: QuestionKind,
    pub label_ja: String,
    pub label_en: String,
    pub help_ja: String,
    pub help_en: String,
    pub options_json: String,
    pub required: bool,
    pub personal: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
