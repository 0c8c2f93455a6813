use sea_orm::entity::prelude::*;

use crate::domain::consent::{ConsentScope, ConsentStatus};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "consents")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub nomination_id: i64,
    pub status: ConsentStatus,
    pub scope: Option<ConsentScope>,
    pub photos: bool,
    pub self_nomination: bool,
    pub recorded_at: Option<DateTimeUtc>,
    pub recorded_by_kind: Option<String>,
    pub recorded_by_user: Option<i64>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
