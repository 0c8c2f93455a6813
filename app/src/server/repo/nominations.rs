//! Nominations.
use chrono::{DateTime, Utc};
use sea_orm::{prelude::*, ActiveValue::Set, QueryOrder};

use crate::server::entities::nomination;

pub async fn find<C: ConnectionTrait>(c: &C, id: i64) -> Result<Option<nomination::Model>, DbErr> {
    nomination::Entity::find_by_id(id).one(c).await
}

/// The nominations with these ids, in one query per 500 ids (any order).
pub async fn find_many<C: ConnectionTrait>(c: &C, ids: &[i64]) -> Result<Vec<nomination::Model>, DbErr> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        out.extend(nomination::Entity::find().filter(nomination::Column::Id.is_in(chunk.to_vec())).all(c).await?);
    }
    Ok(out)
}

pub async fn insert_draft<C: ConnectionTrait>(
    c: &C,
    edition_id: i64,
    category_id: i64,
    nominator_id: i64,
    now: DateTime<Utc>,
) -> Result<nomination::Model, DbErr> {
    nomination::ActiveModel {
        edition_id: Set(edition_id),
        category_id: Set(category_id),
        nominator_id: Set(nominator_id),
        status: Set("draft".into()),
        screening: Set("pending".into()),
        screening_note: Set(String::new()),
        amend_until: Set(None),
        outcome: Set("undecided".into()),
        shortlisted: Set(false),
        version: Set(1),
        title: Set(String::new()),
        nominee_type: Set(String::new()),
        nominee_name: Set(String::new()),
        nominee_kana: Set(String::new()),
        region: Set(String::new()),
        industry: Set(String::new()),
        org_size: Set(String::new()),
        summary: Set(String::new()),
        sections_json: Set("{}".into()),
        links: Set(String::new()),
        relationship: Set(String::new()),
        answers_json: Set("{}".into()),
        featured_email: Set(String::new()),
        dialogue_ack_at: Set(None),
        submitted_at: Set(None),
        withdrawn_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(c)
    .await
}

/// Writes the new state only if nobody saved in between (`version` unchanged); returns
/// whether it was written. The version goes up by one.
pub async fn update_if_version<C: ConnectionTrait>(
    c: &C,
    mut am: nomination::ActiveModel,
    expected_version: i32,
) -> Result<bool, DbErr> {
    let id = match &am.id {
        sea_orm::ActiveValue::Set(v) | sea_orm::ActiveValue::Unchanged(v) => *v,
        sea_orm::ActiveValue::NotSet => return Ok(false),
    };
    am.version = Set(expected_version + 1);
    let res = nomination::Entity::update_many()
        .set(am)
        .filter(nomination::Column::Id.eq(id))
        .filter(nomination::Column::Version.eq(expected_version))
        .exec(c)
        .await?;
    Ok(res.rows_affected == 1)
}

pub async fn list_by_nominator<C: ConnectionTrait>(c: &C, nominator_id: i64) -> Result<Vec<nomination::Model>, DbErr> {
    nomination::Entity::find()
        .filter(nomination::Column::NominatorId.eq(nominator_id))
        .order_by_desc(nomination::Column::UpdatedAt)
        .all(c)
        .await
}

pub async fn list_by_edition<C: ConnectionTrait>(c: &C, edition_id: i64) -> Result<Vec<nomination::Model>, DbErr> {
    nomination::Entity::find()
        .filter(nomination::Column::EditionId.eq(edition_id))
        .order_by_asc(nomination::Column::Id)
        .all(c)
        .await
}
