//! Rubrics per edition, round and (optionally) category. A default rubric that fits the
//! programme is seeded for every round; once scores exist against a rubric it cannot change.
use chrono::Utc;
use sea_orm::ConnectionTrait;

use crate::domain::policy::Op;
use crate::domain::validation::{Checker, FieldError, Problem};
use crate::error::AppError;
use crate::server::entities::rubric;
use crate::server::{policy, repo, repo::audit::Actor, AppState};
use crate::wire::Viewer;
use crate::wire::{CriterionView, RubricView};

/// (name ja, name en, description ja, description en, weight)
pub const DEFAULT_CRITERIA: [(&str, &str, &str, &str, f64); 6] = [
    (
        "参考になる度",
        "Usefulness to others",
        "ほかの職場や地域が取り入れるときの参考になるか。",
        "Can other workplaces or regions learn from it and adopt it?",
        1.5,
    ),
    (
        "持続性",
        "Sustainability",
        "一時的でなく、続けられる仕組みになっているか。",
        "Is it built to last, not a one-off?",
        1.0,
    ),
    (
        "ゆらぎへの配慮",
        "Accommodation of fluctuating health",
        "体調の波や通院に合わせた柔軟さがあるか。",
        "Does it fit around the ups and downs of health and hospital visits?",
        1.5,
    ),
    (
        "対話と連携",
        "Dialogue and collaboration",
        "本人・職場・支援者・医療などの対話と連携があるか。",
        "Is there dialogue and collaboration between the person, workplace, support and health care?",
        1.0,
    ),
    (
        "課題の共有",
        "Candour about difficulties",
        "うまくいかなかったことや課題を率直に共有しているか。",
        "Does it share honestly what did not work and what is unsolved?",
        1.0,
    ),
    (
        "波及効果",
        "Ripple effect",
        "ほかの人や地域へ広がる力があるか。",
        "Does it spread to other people and places?",
        1.0,
    ),
];

pub const DEFAULT_ANCHORS: [(&str, &str); 5] = [
    ("あまり当てはまらない", "Hardly"),
    ("少し当てはまる", "A little"),
    ("当てはまる", "Fairly"),
    ("よく当てはまる", "Well"),
    ("とてもよく当てはまる", "Very well"),
];

/// Makes sure the edition has a common rubric for `round`, seeded with the default criteria.
pub async fn ensure_round<C: ConnectionTrait>(c: &C, edition_id: i64, round: i32) -> Result<rubric::Model, AppError> {
    if let Some(r) = repo::review::find_rubric(c, edition_id, 0, round).await? {
        return Ok(r);
    }
    let r = repo::review::insert_rubric(c, edition_id, 0, round, 1, 5, Utc::now()).await?;
    let anchors =
        serde_json::to_string(&DEFAULT_ANCHORS.iter().map(|(j, e)| (j.to_string(), e.to_string())).collect::<Vec<_>>())
            .unwrap_or_default();
    for (i, (nj, ne, dj, de, w)) in DEFAULT_CRITERIA.iter().enumerate() {
        repo::review::insert_criterion(c, r.id, i as i32, nj, ne, dj, de, *w, &anchors, false).await?;
    }
    Ok(r)
}

/// The rubric that applies to a category in a round: its own if it has one, else the common one.
pub async fn applicable<C: ConnectionTrait>(
    c: &C,
    edition_id: i64,
    category_id: i64,
    round: i32,
) -> Result<rubric::Model, AppError> {
    if let Some(r) = repo::review::find_rubric(c, edition_id, category_id, round).await? {
        return Ok(r);
    }
    ensure_round(c, edition_id, round).await
}

pub async fn view<C: ConnectionTrait>(c: &C, r: &rubric::Model) -> Result<RubricView, AppError> {
    let category = if r.category_id == 0 {
        None
    } else {
        repo::editions::find_category(c, r.category_id).await?.map(|cat| cat.key)
    };
    let criteria = repo::review::criteria(c, r.id)
        .await?
        .into_iter()
        .map(|k| CriterionView {
            id: k.id,
            name_ja: k.name_ja,
            name_en: k.name_en,
            description_ja: k.description_ja,
            description_en: k.description_en,
            weight: k.weight,
            anchors: serde_json::from_str(&k.anchors_json).unwrap_or_default(),
            comment_required: k.comment_required,
        })
        .collect();
    Ok(RubricView {
        id: r.id,
        round: r.round,
        category,
        scale_min: r.scale_min,
        scale_max: r.scale_max,
        criteria,
        locked: repo::review::rubric_has_scores(c, r.id).await?,
    })
}

pub async fn list(state: &AppState, who: Option<&Viewer>, edition_id: i64) -> Result<Vec<RubricView>, AppError> {
    let c = state.db.conn();
    policy::edition(c, who, Op::ReadEdition, edition_id).await?;
    ensure_round(c, edition_id, 1).await?;
    let mut out = vec![];
    for r in repo::review::rubrics_of(c, edition_id).await? {
        out.push(view(c, &r).await?);
    }
    Ok(out)
}

pub use crate::wire::NewCriterionInput as NewCriterion;

async fn editable_rubric(
    state: &AppState,
    who: Option<&Viewer>,
    edition_id: i64,
    rubric_id: i64,
) -> Result<rubric::Model, AppError> {
    let c = state.db.conn();
    policy::edition(c, who, Op::EditRubric, edition_id).await?;
    let r = repo::review::rubric_by_id(c, rubric_id)
        .await?
        .filter(|r| r.edition_id == edition_id)
        .ok_or(AppError::NotFound)?;
    if repo::review::rubric_has_scores(c, r.id).await? {
        return Err(AppError::RubricLocked);
    }
    Ok(r)
}

pub async fn add_criterion(
    state: &AppState,
    who: Option<&Viewer>,
    edition_id: i64,
    rubric_id: i64,
    input: NewCriterion,
) -> Result<(), AppError> {
    let r = editable_rubric(state, who, edition_id, rubric_id).await?;
    let viewer = who.ok_or(AppError::SignInRequired)?;
    let weight: Option<f64> =
        input.weight.trim().parse().ok().filter(|w: &f64| w.is_finite() && *w > 0.0 && *w <= 100.0);
    let anchors: Vec<(String, String)> = input
        .anchors
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| match l.split_once('|') {
            Some((j, e)) => (j.trim().to_string(), e.trim().to_string()),
            None => (l.to_string(), l.to_string()),
        })
        .collect();
    let points = (r.scale_max - r.scale_min + 1) as usize;
    let mut c = Checker::new();
    c.required("name_ja", &input.name_ja)
        .max_chars("name_ja", &input.name_ja, 120)
        .max_chars("name_en", &input.name_en, 120)
        .check("weight", weight.is_some(), Problem::InvalidNumber)
        .check(
            "anchors",
            anchors.is_empty() || anchors.len() == points,
            Problem::OutOfRange { min: points as i64, max: points as i64 },
        );
    c.finish().map_err(AppError::Validation)?;
    let anchors = if anchors.is_empty() {
        DEFAULT_ANCHORS.iter().map(|(j, e)| (j.to_string(), e.to_string())).collect()
    } else {
        anchors
    };
    let tx = state.db.begin().await?;
    let position = repo::review::criteria(&*tx, r.id).await?.len() as i32;
    repo::review::insert_criterion(
        &*tx,
        r.id,
        position,
        input.name_ja.trim(),
        input.name_en.trim(),
        input.description_ja.trim(),
        input.description_en.trim(),
        weight.unwrap_or(1.0),
        &serde_json::to_string(&anchors).unwrap_or_default(),
        input.comment_required.is_some(),
    )
    .await?;
    repo::audit::record(
        &*tx,
        Actor { user_id: Some(viewer.id.0), label: &viewer.display_name },
        "rubric.changed",
        Some(edition_id),
        None,
        serde_json::json!({"rubric": r.id, "added": input.name_ja}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn remove_criterion(
    state: &AppState,
    who: Option<&Viewer>,
    edition_id: i64,
    rubric_id: i64,
    criterion_id: i64,
) -> Result<(), AppError> {
    let r = editable_rubric(state, who, edition_id, rubric_id).await?;
    let viewer = who.ok_or(AppError::SignInRequired)?;
    let tx = state.db.begin().await?;
    if repo::review::delete_criterion(&*tx, r.id, criterion_id).await? == 0 {
        return Err(AppError::NotFound);
    }
    repo::audit::record(
        &*tx,
        Actor { user_id: Some(viewer.id.0), label: &viewer.display_name },
        "rubric.changed",
        Some(edition_id),
        None,
        serde_json::json!({"rubric": r.id, "removed": criterion_id}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Gives a category its own rubric for a round, starting as a copy of the common one.
pub async fn create_for_category(
    state: &AppState,
    who: Option<&Viewer>,
    edition_id: i64,
    category_id: i64,
    round: i32,
) -> Result<(), AppError> {
    let (_, viewer) = policy::edition_by(state.db.conn(), who, Op::EditRubric, edition_id).await?;
    let tx = state.db.begin().await?;
    let cat = repo::editions::find_category(&*tx, category_id)
        .await?
        .filter(|c| c.edition_id == edition_id)
        .ok_or(AppError::NotFound)?;
    if repo::review::find_rubric(&*tx, edition_id, cat.id, round).await?.is_some() {
        return Err(AppError::Duplicate);
    }
    let common = ensure_round(&*tx, edition_id, round).await?;
    let own =
        repo::review::insert_rubric(&*tx, edition_id, cat.id, round, common.scale_min, common.scale_max, Utc::now())
            .await?;
    for k in repo::review::criteria(&*tx, common.id).await? {
        repo::review::insert_criterion(
            &*tx,
            own.id,
            k.position,
            &k.name_ja,
            &k.name_en,
            &k.description_ja,
            &k.description_en,
            k.weight,
            &k.anchors_json,
            k.comment_required,
        )
        .await?;
    }
    repo::audit::record(
        &*tx,
        Actor { user_id: Some(viewer.id.0), label: &viewer.display_name },
        "rubric.changed",
        Some(edition_id),
        None,
        serde_json::json!({"category": cat.key, "round": round, "created": true}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub fn criterion_error(field: &str) -> AppError {
    AppError::Validation(vec![FieldError::new(field, Problem::Required)])
}
