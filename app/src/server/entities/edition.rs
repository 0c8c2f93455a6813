use sea_orm::entity::prelude::*;

use crate::domain::edition::{EditionMode, StageKind};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "editions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub slug: String,
    pub name_ja: String,
    pub name_en: String,
    pub mode: EditionMode,
    pub year_label: String,
    pub start_year: i32,
    pub current_stage: StageKind,
    pub current_round: i32,
    pub blind_review: bool,
    pub show_peer_scores: bool,
    pub reviewers_per_nomination: i32,
    pub min_scored_for_normalisation: i32,
    pub disagreement_threshold: f64,
    pub results_published_at: Option<DateTimeUtc>,
    pub is_past: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
