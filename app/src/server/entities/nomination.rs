use sea_orm::entity::prelude::*;

use crate::domain::nomination::{NominationStatus, Outcome, Screening};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "nominations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub edition_id: i64,
    pub category_id: i64,
    pub nominator_id: i64,
    pub status: NominationStatus,
    pub screening: Screening,
    pub screening_note: String,
    pub amend_until: Option<DateTimeUtc>,
    pub outcome: Outcome,
    pub shortlisted: bool,
    pub version: i32,
    pub title: String,
    pub nominee_type: String,
    pub nominee_name: String,
    pub nominee_kana: String,
    pub region: String,
    pub industry: String,
    pub org_size: String,
    pub summary: String,
    pub sections_json: String,
    pub links: String,
    pub relationship: String,
    pub answers_json: String,
    pub featured_email: String,
    pub dialogue_ack_at: Option<DateTimeUtc>,
    pub submitted_at: Option<DateTimeUtc>,
    pub withdrawn_at: Option<DateTimeUtc>,
    /// An organiser granted more time: editable and submittable until then.
    pub extended_until: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
