//! Editions, their stages, categories and extra questions.
use chrono::{DateTime, Utc};
use sea_orm::{prelude::*, ActiveValue::Set, QueryOrder};

use crate::domain::category::{parse_options, ChoiceOption, Question, QuestionKind};
use crate::server::entities::{category, category_question, edition, edition_stage};

pub async fn find<C: ConnectionTrait>(c: &C, id: i64) -> Result<Option<edition::Model>, DbErr> {
    edition::Entity::find_by_id(id).one(c).await
}

pub async fn find_by_slug<C: ConnectionTrait>(c: &C, slug: &str) -> Result<Option<edition::Model>, DbErr> {
    edition::Entity::find().filter(edition::Column::Slug.eq(slug)).one(c).await
}

pub async fn list<C: ConnectionTrait>(c: &C) -> Result<Vec<edition::Model>, DbErr> {
    edition::Entity::find().order_by_desc(edition::Column::StartYear).order_by_desc(edition::Column::Id).all(c).await
}

#[expect(clippy::too_many_arguments, reason = "one argument per column keeps each insert explicit")]
pub async fn insert<C: ConnectionTrait>(
    c: &C,
    slug: &str,
    name_ja: &str,
    name_en: &str,
    mode: &str,
    year_label: &str,
    start_year: i32,
    is_past: bool,
    now: DateTime<Utc>,
) -> Result<edition::Model, DbErr> {
    edition::ActiveModel {
        slug: Set(slug.to_owned()),
        name_ja: Set(name_ja.to_owned()),
        name_en: Set(name_en.to_owned()),
        mode: Set(crate::domain::edition::EditionMode::parse(mode)
            .ok_or_else(|| DbErr::Custom(format!("unknown edition mode {mode:?}")))?),
        year_label: Set(year_label.to_owned()),
        start_year: Set(start_year),
        current_stage: Set(if is_past {
            crate::domain::edition::StageKind::Archived
        } else {
            crate::domain::edition::StageKind::Setup
        }),
        current_round: Set(0),
        blind_review: Set(true),
        show_peer_scores: Set(false),
        reviewers_per_nomination: Set(3),
        min_scored_for_normalisation: Set(5),
        disagreement_threshold: Set(1.0),
        results_published_at: Set(None),
        is_past: Set(is_past),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(c)
    .await
}

pub async fn stages<C: ConnectionTrait>(c: &C, edition_id: i64) -> Result<Vec<edition_stage::Model>, DbErr> {
    edition_stage::Entity::find()
        .filter(edition_stage::Column::EditionId.eq(edition_id))
        .order_by_asc(edition_stage::Column::Position)
        .all(c)
        .await
}

pub async fn stage<C: ConnectionTrait>(
    c: &C,
    edition_id: i64,
    kind: &str,
    round: i32,
) -> Result<Option<edition_stage::Model>, DbErr> {
    edition_stage::Entity::find()
        .filter(edition_stage::Column::EditionId.eq(edition_id))
        .filter(edition_stage::Column::Kind.eq(kind))
        .filter(edition_stage::Column::Round.eq(round))
        .one(c)
        .await
}

/// Inserts or updates the times of one stage.
pub async fn upsert_stage<C: ConnectionTrait>(
    c: &C,
    edition_id: i64,
    kind: &str,
    round: i32,
    position: i32,
    starts_at: Option<DateTime<Utc>>,
    ends_at: Option<DateTime<Utc>>,
) -> Result<edition_stage::Model, DbErr> {
    match stage(c, edition_id, kind, round).await? {
        Some(existing) => {
            let mut am: edition_stage::ActiveModel = existing.into();
            am.starts_at = Set(starts_at);
            am.ends_at = Set(ends_at);
            am.position = Set(position);
            am.update(c).await
        }
        None => {
            edition_stage::ActiveModel {
                edition_id: Set(edition_id),
                kind: Set(crate::domain::edition::StageKind::parse(kind)
                    .ok_or_else(|| DbErr::Custom(format!("unknown stage {kind:?}")))?),
                round: Set(round),
                position: Set(position),
                starts_at: Set(starts_at),
                ends_at: Set(ends_at),
                ..Default::default()
            }
            .insert(c)
            .await
        }
    }
}

/// The nomination window of an edition: (opens, closes).
pub async fn nomination_window<C: ConnectionTrait>(
    c: &C,
    edition_id: i64,
) -> Result<(Option<DateTime<Utc>>, Option<DateTime<Utc>>), DbErr> {
    Ok(match stage(c, edition_id, "nominations", 0).await? {
        Some(s) => (s.starts_at, s.ends_at),
        None => (None, None),
    })
}

pub async fn categories<C: ConnectionTrait>(c: &C, edition_id: i64) -> Result<Vec<category::Model>, DbErr> {
    category::Entity::find()
        .filter(category::Column::EditionId.eq(edition_id))
        .order_by_asc(category::Column::Position)
        .all(c)
        .await
}

pub async fn find_category<C: ConnectionTrait>(c: &C, id: i64) -> Result<Option<category::Model>, DbErr> {
    category::Entity::find_by_id(id).one(c).await
}

pub async fn category_by_key<C: ConnectionTrait>(
    c: &C,
    edition_id: i64,
    key: &str,
) -> Result<Option<category::Model>, DbErr> {
    category::Entity::find()
        .filter(category::Column::EditionId.eq(edition_id))
        .filter(category::Column::Key.eq(key))
        .one(c)
        .await
}

#[expect(clippy::too_many_arguments, reason = "one argument per column keeps each insert explicit")]
pub async fn insert_category<C: ConnectionTrait>(
    c: &C,
    edition_id: i64,
    key: &str,
    name_ja: &str,
    name_en: &str,
    guidance_ja: &str,
    guidance_en: &str,
    position: i32,
) -> Result<category::Model, DbErr> {
    category::ActiveModel {
        edition_id: Set(edition_id),
        key: Set(crate::domain::category::CategoryKey::parse(key)
            .ok_or_else(|| DbErr::Custom(format!("unknown category {key:?}")))?),
        name_ja: Set(name_ja.to_owned()),
        name_en: Set(name_en.to_owned()),
        guidance_ja: Set(guidance_ja.to_owned()),
        guidance_en: Set(guidance_en.to_owned()),
        position: Set(position),
        ..Default::default()
    }
    .insert(c)
    .await
}

pub fn to_question(q: &category_question::Model) -> Question {
    Question {
        id: q.id,
        kind: q.kind,
        label_ja: q.label_ja.clone(),
        label_en: q.label_en.clone(),
        help_ja: q.help_ja.clone(),
        help_en: q.help_en.clone(),
        options: serde_json::from_str::<Vec<ChoiceOption>>(&q.options_json).unwrap_or_default(),
        required: q.required,
        personal: q.personal,
    }
}

pub async fn questions<C: ConnectionTrait>(c: &C, category_id: i64) -> Result<Vec<Question>, DbErr> {
    Ok(category_question::Entity::find()
        .filter(category_question::Column::CategoryId.eq(category_id))
        .order_by_asc(category_question::Column::Position)
        .order_by_asc(category_question::Column::Id)
        .all(c)
        .await?
        .iter()
        .map(to_question)
        .collect())
}

#[expect(clippy::too_many_arguments, reason = "one argument per column keeps each insert explicit")]
pub async fn insert_question<C: ConnectionTrait>(
    c: &C,
    category_id: i64,
    kind: QuestionKind,
    label_ja: &str,
    label_en: &str,
    help_ja: &str,
    help_en: &str,
    options_text: &str,
    required: bool,
    personal: bool,
) -> Result<i64, DbErr> {
    let position =
        category_question::Entity::find().filter(category_question::Column::CategoryId.eq(category_id)).count(c).await?
            as i32;
    let options = if kind == QuestionKind::SingleChoice { parse_options(options_text) } else { vec![] };
    category_question::ActiveModel {
        category_id: Set(category_id),
        position: Set(position),
        kind: Set(kind),
        label_ja: Set(label_ja.to_owned()),
        label_en: Set(label_en.to_owned()),
        help_ja: Set(help_ja.to_owned()),
        help_en: Set(help_en.to_owned()),
        options_json: Set(serde_json::to_string(&options).unwrap_or_else(|_| "[]".into())),
        required: Set(required),
        personal: Set(personal),
        ..Default::default()
    }
    .insert(c)
    .await
    .map(|m| m.id)
}

pub async fn delete_question<C: ConnectionTrait>(c: &C, category_id: i64, question_id: i64) -> Result<u64, DbErr> {
    category_question::Entity::delete_many()
        .filter(category_question::Column::Id.eq(question_id))
        .filter(category_question::Column::CategoryId.eq(category_id))
        .exec(c)
        .await
        .map(|r| r.rows_affected)
}
