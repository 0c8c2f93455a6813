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
        status: Set(crate::domain::nomination::NominationStatus::Draft),
        screening: Set(crate::domain::nomination::Screening::Pending),
        screening_note: Set(String::new()),
        amend_until: Set(None),
        outcome: Set(crate::domain::nomination::Outcome::Undecided),
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

/// What ranking a round needs of an entry.
#[derive(Clone, Debug, PartialEq)]
pub struct Entrant {
    pub id: i64,
    pub category_id: i64,
    pub title: String,
    pub shortlisted: bool,
    pub outcome: crate::domain::nomination::Outcome,
}

/// The edition's submitted, eligible nominations (from round 2 on, the shortlisted ones), by id.
/// Assembled by the database into one JSON value rather than a row per nomination.
pub async fn entrants<C: ConnectionTrait>(c: &C, edition_id: i64, round: i32) -> Result<Vec<Entrant>, DbErr> {
    use crate::domain::nomination::{NominationStatus, Screening};
    let backend = c.get_database_backend();
    let sql = match backend {
        sea_orm::DatabaseBackend::Postgres => {
            "SELECT coalesce(json_agg(json_build_array(id, category_id, title, shortlisted, outcome))::text, '[]') \
             FROM nominations WHERE edition_id = $1 AND status = $2 AND screening = $3 AND ($4 <= 1 OR shortlisted)"
        }
        _ => {
            "SELECT coalesce(json_group_array(json_array(id, category_id, title, shortlisted, outcome)), '[]') \
             FROM nominations WHERE edition_id = ? AND status = ? AND screening = ? AND (? <= 1 OR shortlisted)"
        }
    };
    let text = super::aggregated_text(
        c,
        sea_orm::Statement::from_sql_and_values(
            backend,
            sql,
            [
                edition_id.into(),
                NominationStatus::Submitted.key().into(),
                Screening::Eligible.key().into(),
                round.into(),
            ],
        ),
    )
    .await?;
    let mut out = parse_entrants(if text.is_empty() { "[]" } else { &text })?;
    out.sort_by_key(|e| e.id);
    Ok(out)
}

fn parse_entrants(json: &str) -> Result<Vec<Entrant>, DbErr> {
    let tuples: Vec<(i64, i64, String, serde_json::Value, String)> =
        serde_json::from_str(json).map_err(|e| DbErr::Custom(format!("entrants: {e}")))?;
    tuples
        .into_iter()
        .map(|(id, category_id, title, shortlisted, outcome)| {
            Ok(Entrant {
                id,
                category_id,
                title,
                // SQLite stores booleans as 0/1, PostgreSQL as true/false.
                shortlisted: shortlisted.as_bool().unwrap_or_else(|| shortlisted.as_i64().is_some_and(|v| v != 0)),
                // The repository edge: a stored state the domain does not know is an error.
                outcome: crate::domain::nomination::Outcome::parse(&outcome)
                    .ok_or_else(|| DbErr::Type(format!("nomination {id}: unknown outcome {outcome:?}")))?,
            })
        })
        .collect()
}

pub async fn list_by_edition<C: ConnectionTrait>(c: &C, edition_id: i64) -> Result<Vec<nomination::Model>, DbErr> {
    nomination::Entity::find()
        .filter(nomination::Column::EditionId.eq(edition_id))
        .order_by_asc(nomination::Column::Id)
        .all(c)
        .await
}

/// The featured person's own details leave the nomination (at their request, by their link).
pub async fn erase_featured<C: ConnectionTrait>(c: &C, id: i64, now: DateTime<Utc>) -> Result<(), DbErr> {
    nomination::Entity::update_many()
        .col_expr(nomination::Column::NomineeName, Expr::value(""))
        .col_expr(nomination::Column::NomineeKana, Expr::value(""))
        .col_expr(nomination::Column::FeaturedEmail, Expr::value(""))
        .col_expr(nomination::Column::UpdatedAt, Expr::value(now))
        .col_expr(
            nomination::Column::Version,
            sea_orm::sea_query::ExprTrait::add(Expr::col(nomination::Column::Version), 1),
        )
        .filter(nomination::Column::Id.eq(id))
        .exec(c)
        .await
        .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entrants_parse_booleans_from_either_backend() {
        let e = parse_entrants(r#"[[2,1,"A",1,"undecided"],[3,1,"B",false,"certified"],[4,2,"C",true,"grand_prize"]]"#)
            .unwrap();
        assert_eq!(e.iter().map(|e| e.shortlisted).collect::<Vec<_>>(), vec![true, false, true]);
        assert_eq!(e[1].outcome, crate::domain::nomination::Outcome::Certified);
        assert!(parse_entrants("[[1]]").is_err());
    }

    #[test]
    fn an_unknown_stored_outcome_is_an_error_not_a_default() {
        let err = parse_entrants(r#"[[4,2,"C",true,"gold-medal"]]"#).unwrap_err();
        assert!(err.to_string().contains("gold-medal"), "{err}");
    }
}
