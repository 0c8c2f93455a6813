use sea_orm::entity::prelude::*;

use crate::domain::forum::{Attendance, RegStatus};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "event_registrations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub event_id: i64,
    pub user_id: Option<i64>,
    pub status: RegStatus,
    pub attendance: Attendance,
    pub name: String,
    pub furigana: String,
    pub phone: String,
    pub email: String,
    pub municipality: String,
    pub municipality_other: String,
    pub affiliation: String,
    pub needs: String,
    pub locale: String,
    #[sea_orm(unique)]
    pub cancel_token_hash: String,
    pub rules_ack_at: DateTimeUtc,
    pub privacy_ack_at: DateTimeUtc,
    pub waiting_since: Option<DateTimeUtc>,
    pub promoted_at: Option<DateTimeUtc>,
    pub online_link_sent_at: Option<DateTimeUtc>,
    pub reminder_sent_at: Option<DateTimeUtc>,
    pub checked_in_at: Option<DateTimeUtc>,
    pub cancelled_at: Option<DateTimeUtc>,
    pub purged_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
