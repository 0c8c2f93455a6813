//! Editions as the other areas see them: summaries, categories with their questions, and the
//! nomination window. (The review issue extends this module with stages and scheduling.)
use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;

use crate::api::auth::Viewer;
use crate::api::types::{CategoryView, EditionSummary};
use crate::domain::category::{CategoryKey, QuestionKind};
use crate::domain::edition::{nominations_open, EditionMode, StageKind};
use crate::domain::ids::{CategoryId, EditionId};
use crate::domain::time::parse_tokyo;
use crate::domain::validation::{Checker, FieldError, Problem};
use crate::error::AppError;
use crate::server::entities::{category, edition};
use crate::server::{repo, repo::audit::Actor, AppState};

pub async fn summary<C: ConnectionTrait>(
    c: &C,
    e: &edition::Model,
    now: DateTime<Utc>,
) -> Result<EditionSummary, AppError> {
    let (opens, closes) = repo::editions::nomination_window(c, e.id).await?;
    Ok(EditionSummary {
        id: EditionId(e.id),
        slug: e.slug.clone(),
        name_ja: e.name_ja.clone(),
        name_en: e.name_en.clone(),
        mode: EditionMode::parse(&e.mode).unwrap_or(EditionMode::Conference),
        year_label: e.year_label.clone(),
        stage: StageKind::parse(&e.current_stage).unwrap_or(StageKind::Setup),
        round: e.current_round,
        nominations_open_at: opens,
        nominations_close_at: closes,
        open_now: !e.is_past && nominations_open(now, opens, closes),
        results_published: e.results_published_at.is_some(),
        is_past: e.is_past,
    })
}

pub async fn category_view<C: ConnectionTrait>(
    c: &C,
    cat: &category::Model,
) -> Result<CategoryView, AppError> {
    Ok(CategoryView {
        id: CategoryId(cat.id),
        key: CategoryKey::parse(&cat.key).unwrap_or(CategoryKey::People),
        name_ja: cat.name_ja.clone(),
        name_en: cat.name_en.clone(),
        guidance_ja: cat.guidance_ja.clone(),
        guidance_en: cat.guidance_en.clone(),
        questions: repo::editions::questions(c, cat.id).await?,
    })
}

/// Editions taking nominations now, each with its categories.
pub async fn open_for_nominations<C: ConnectionTrait>(
    c: &C,
    now: DateTime<Utc>,
) -> Result<Vec<(EditionSummary, Vec<CategoryView>)>, AppError> {
    let mut out = vec![];
    for e in repo::editions::list(c).await? {
        let s = summary(c, &e, now).await?;
        if s.open_now {
            let mut cats = vec![];
            for cat in repo::editions::categories(c, e.id).await? {
                cats.push(category_view(c, &cat).await?);
            }
            out.push((s, cats));
        }
    }
    Ok(out)
}

/// Adds the four categories with their default names and guidance.
pub async fn add_default_categories<C: ConnectionTrait>(
    c: &C,
    edition_id: i64,
) -> Result<(), AppError> {
    for (i, key) in CategoryKey::ALL.into_iter().enumerate() {
        let (name_ja, name_en) = key.default_names();
        let (g_ja, g_en) = key.default_guidance();
        repo::editions::insert_category(
            c,
            edition_id,
            key.key(),
            name_ja,
            name_en,
            g_ja,
            g_en,
            i as i32,
        )
        .await?;
    }
    Ok(())
}

pub async fn list_all<C: ConnectionTrait>(c: &C) -> Result<Vec<EditionSummary>, AppError> {
    let now = Utc::now();
    let mut out = vec![];
    for e in repo::editions::list(c).await? {
        out.push(summary(c, &e, now).await?);
    }
    Ok(out)
}

pub async fn with_categories<C: ConnectionTrait>(
    c: &C,
    edition_id: i64,
) -> Result<(EditionSummary, Vec<CategoryView>), AppError> {
    let e = repo::editions::find(c, edition_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let s = summary(c, &e, Utc::now()).await?;
    let mut cats = vec![];
    for cat in repo::editions::categories(c, e.id).await? {
        cats.push(category_view(c, &cat).await?);
    }
    Ok((s, cats))
}

fn field(name: &str, problem: Problem) -> AppError {
    AppError::Validation(vec![FieldError::new(name, problem)])
}

/// Sets when nominations open and close (entered in Japan time).
pub async fn set_nomination_window(
    state: &AppState,
    viewer: &Viewer,
    edition_id: i64,
    opens_at: &str,
    closes_at: &str,
) -> Result<(), AppError> {
    let opens = parse_tokyo(opens_at).ok_or_else(|| field("opens_at", Problem::InvalidDate))?;
    let closes = parse_tokyo(closes_at).ok_or_else(|| field("closes_at", Problem::InvalidDate))?;
    if closes <= opens {
        return Err(field("closes_at", Problem::EndBeforeStart));
    }
    let tx = state.db.begin().await?;
    let e = repo::editions::find(&*tx, edition_id)
        .await?
        .ok_or(AppError::NotFound)?;
    repo::editions::upsert_stage(
        &*tx,
        e.id,
        StageKind::Nominations.key(),
        0,
        1,
        Some(opens),
        Some(closes),
    )
    .await?;
    repo::audit::record(
        &*tx,
        Actor {
            user_id: Some(viewer.id.0),
            label: &viewer.display_name,
        },
        "edition.window_changed",
        Some(e.id),
        None,
        serde_json::json!({"opens_at": opens.to_rfc3339(), "closes_at": closes.to_rfc3339()}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub struct NewQuestion {
    pub kind: String,
    pub label_ja: String,
    pub label_en: String,
    pub help_ja: String,
    pub help_en: String,
    pub options: String,
    pub required: bool,
    pub personal: bool,
}

pub async fn add_question(
    state: &AppState,
    viewer: &Viewer,
    edition_id: i64,
    category_id: i64,
    q: NewQuestion,
) -> Result<(), AppError> {
    let mut c = Checker::new();
    c.required("label_ja", &q.label_ja)
        .max_chars("label_ja", &q.label_ja, 200)
        .max_chars("label_en", &q.label_en, 200);
    c.check(
        "kind",
        QuestionKind::parse(&q.kind).is_some(),
        Problem::InvalidChoice,
    );
    let kind = QuestionKind::parse(&q.kind).unwrap_or(QuestionKind::ShortText);
    if kind == QuestionKind::SingleChoice {
        c.check(
            "options",
            crate::domain::category::parse_options(&q.options).len() >= 2,
            Problem::TooShort { min: 2 },
        );
    }
    c.finish().map_err(AppError::Validation)?;
    let tx = state.db.begin().await?;
    let cat = repo::editions::find_category(&*tx, category_id)
        .await?
        .filter(|c| c.edition_id == edition_id)
        .ok_or(AppError::NotFound)?;
    repo::editions::insert_question(
        &*tx,
        cat.id,
        kind,
        q.label_ja.trim(),
        q.label_en.trim(),
        q.help_ja.trim(),
        q.help_en.trim(),
        &q.options,
        q.required,
        q.personal,
    )
    .await?;
    repo::audit::record(
        &*tx,
        Actor {
            user_id: Some(viewer.id.0),
            label: &viewer.display_name,
        },
        "category.question_added",
        Some(edition_id),
        None,
        serde_json::json!({"category": cat.key, "label": q.label_ja}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn delete_question(
    state: &AppState,
    viewer: &Viewer,
    edition_id: i64,
    category_id: i64,
    question_id: i64,
) -> Result<(), AppError> {
    let tx = state.db.begin().await?;
    let cat = repo::editions::find_category(&*tx, category_id)
        .await?
        .filter(|c| c.edition_id == edition_id)
        .ok_or(AppError::NotFound)?;
    if repo::editions::delete_question(&*tx, cat.id, question_id).await? == 0 {
        return Err(AppError::NotFound);
    }
    repo::audit::record(
        &*tx,
        Actor {
            user_id: Some(viewer.id.0),
            label: &viewer.display_name,
        },
        "category.question_removed",
        Some(edition_id),
        None,
        serde_json::json!({"category": cat.key, "question": question_id}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
