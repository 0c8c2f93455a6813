use sea_orm::entity::prelude::*;

use crate::domain::category::CategoryKey;

use crate::domain::archive::PracticeStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "practices")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub slug: String,
    pub nomination_id: Option<i64>,
    pub edition_id: Option<i64>,
    pub status: PracticeStatus,
    pub category: CategoryKey,
    pub region: String,
    pub industry: String,
    pub org_size: String,
    pub consent_scope: String,
    pub photos: bool,
    pub nominee_name: String,
    pub title: String,
    pub summary: String,
    pub sections_json: String,
    pub draft_json: Option<String>,
    pub prepared_by: Option<i64>,
    pub prepared_at: Option<DateTimeUtc>,
    pub signed_off_by: Option<i64>,
    pub signed_off_at: Option<DateTimeUtc>,
    pub published_at: Option<DateTimeUtc>,
    pub gone_at: Option<DateTimeUtc>,
    pub gone_reason: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
