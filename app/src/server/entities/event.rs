use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub edition_id: i64,
    #[sea_orm(unique)]
    pub slug: String,
    pub published: bool,
    pub title_ja: String,
    pub title_en: String,
    pub subtitle_ja: String,
    pub subtitle_en: String,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    pub reception_at: Option<DateTimeUtc>,
    pub venue_name: String,
    pub room: String,
    pub address: String,
    pub map_url: String,
    pub audience_ja: String,
    pub audience_en: String,
    pub fee_ja: String,
    pub fee_en: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub contact_email: String,
    pub organisers: String,
    pub co_organisers: String,
    pub description_md: String,
    pub capacity: i32,
    pub venue_taken: i32,
    pub venue_full_at: Option<DateTimeUtc>,
    pub waiting_list: bool,
    pub online: bool,
    pub online_only_from: Option<DateTimeUtc>,
    pub registration_opens_at: Option<DateTimeUtc>,
    pub registration_closes_at: Option<DateTimeUtc>,
    pub questions_public: bool,
    pub municipalities_json: String,
    pub affiliations_json: String,
    pub online_link: String,
    pub online_link_sent_at: Option<DateTimeUtc>,
    pub reminders_sent_at: Option<DateTimeUtc>,
    pub retention_days: i32,
    pub purged_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
