//! Editions as the other areas see them: summaries, categories with their questions, and the
//! nomination window. (The review issue extends this module with stages and scheduling.)
use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;

use crate::domain::category::{CategoryKey, QuestionKind};
use crate::domain::edition::{nominations_open, StageKind};
use crate::domain::ids::{CategoryId, EditionId};
use crate::domain::policy::Op;
use crate::domain::time::parse_tokyo;
use crate::domain::validation::{Checker, FieldError, Problem};
use crate::error::AppError;
use crate::server::entities::{category, edition};
use crate::server::{policy, repo, repo::audit::Actor, AppState};
use crate::wire::Viewer;
use crate::wire::{CategoryView, EditionSummary};

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
        mode: e.mode,
        year_label: e.year_label.clone(),
        stage: e.current_stage,
        round: e.current_round,
        nominations_open_at: opens,
        nominations_close_at: closes,
        open_now: !e.is_past && nominations_open(now, opens, closes),
        results_published: e.results_published_at.is_some(),
        is_past: e.is_past,
    })
}

pub async fn category_view<C: ConnectionTrait>(c: &C, cat: &category::Model) -> Result<CategoryView, AppError> {
    Ok(CategoryView {
        id: CategoryId(cat.id),
        key: cat.key,
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
pub async fn add_default_categories<C: ConnectionTrait>(c: &C, edition_id: i64) -> Result<(), AppError> {
    for (i, key) in CategoryKey::ALL.into_iter().enumerate() {
        let (name_ja, name_en) = key.default_names();
        let (g_ja, g_en) = key.default_guidance();
        repo::editions::insert_category(c, edition_id, key.key(), name_ja, name_en, g_ja, g_en, i as i32).await?;
    }
    Ok(())
}

pub async fn list_all<C: ConnectionTrait>(c: &C, who: Option<&Viewer>) -> Result<Vec<EditionSummary>, AppError> {
    policy::platform(who, Op::Organise)?;
    let now = Utc::now();
    let mut out = vec![];
    for e in repo::editions::list(c).await? {
        out.push(summary(c, &e, now).await?);
    }
    Ok(out)
}

pub async fn with_categories<C: ConnectionTrait>(
    c: &C,
    who: Option<&Viewer>,
    edition_id: i64,
) -> Result<(EditionSummary, Vec<CategoryView>), AppError> {
    let e = policy::edition(c, who, Op::ReadEdition, edition_id).await?;
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
    who: Option<&Viewer>,
    edition_id: i64,
    opens_at: &str,
    closes_at: &str,
) -> Result<(), AppError> {
    let (_, viewer) = policy::edition_by(state.db.conn(), who, Op::ManageEdition, edition_id).await?;
    let opens = parse_tokyo(opens_at).ok_or_else(|| field("opens_at", Problem::InvalidDate))?;
    let closes = parse_tokyo(closes_at).ok_or_else(|| field("closes_at", Problem::InvalidDate))?;
    if closes <= opens {
        return Err(field("closes_at", Problem::EndBeforeStart));
    }
    let tx = state.db.begin().await?;
    let e = repo::editions::find(&*tx, edition_id).await?.ok_or(AppError::NotFound)?;
    repo::editions::upsert_stage(&*tx, e.id, StageKind::Nominations.key(), 0, 1, Some(opens), Some(closes)).await?;
    repo::audit::record(
        &*tx,
        Actor { user_id: Some(viewer.id.0), label: &viewer.display_name },
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
    who: Option<&Viewer>,
    edition_id: i64,
    category_id: i64,
    q: NewQuestion,
) -> Result<(), AppError> {
    let (_, viewer) = policy::edition_by(state.db.conn(), who, Op::ManageEdition, edition_id).await?;
    let mut c = Checker::new();
    c.required("label_ja", &q.label_ja).max_chars("label_ja", &q.label_ja, 200).max_chars("label_en", &q.label_en, 200);
    c.check("kind", QuestionKind::parse(&q.kind).is_some(), Problem::InvalidChoice);
    let kind = QuestionKind::parse(&q.kind).unwrap_or(QuestionKind::ShortText);
    if kind == QuestionKind::SingleChoice {
        c.check("options", crate::domain::category::parse_options(&q.options).len() >= 2, Problem::TooShort { min: 2 });
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
        Actor { user_id: Some(viewer.id.0), label: &viewer.display_name },
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
    who: Option<&Viewer>,
    edition_id: i64,
    category_id: i64,
    question_id: i64,
) -> Result<(), AppError> {
    let (_, viewer) = policy::edition_by(state.db.conn(), who, Op::ManageEdition, edition_id).await?;
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
        Actor { user_id: Some(viewer.id.0), label: &viewer.display_name },
        "category.question_removed",
        Some(edition_id),
        None,
        serde_json::json!({"category": cat.key, "question": question_id}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub use crate::wire::NewEditionInput as NewEdition;

/// Creates an edition with the categories (and their questions) of the previous one, or the
/// four default categories for the first edition, and the default rubric.
pub async fn create(state: &AppState, who: Option<&Viewer>, input: NewEdition) -> Result<i64, AppError> {
    let viewer = policy::signed_in(who, Op::Organise)?;
    use crate::domain::edition::EditionMode;
    let mut c = Checker::new();
    c.required("name_ja", &input.name_ja)
        .max_chars("name_ja", &input.name_ja, 120)
        .max_chars("name_en", &input.name_en, 120)
        .required("slug", &input.slug)
        .max_chars("slug", &input.slug, 64)
        .check("slug", input.slug.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-'), Problem::InvalidChoice)
        .check("mode", EditionMode::parse(&input.mode).is_some(), Problem::InvalidChoice)
        .check(
            "start_year",
            input.start_year.trim().parse::<i32>().is_ok_and(|y| (2000..=2100).contains(&y)),
            Problem::InvalidNumber,
        );
    c.finish().map_err(AppError::Validation)?;
    let now = Utc::now();
    let tx = state.db.begin().await?;
    if repo::editions::find_by_slug(&*tx, &input.slug).await?.is_some() {
        return Err(AppError::Validation(vec![FieldError::new("slug", Problem::InvalidChoice)]));
    }
    let previous = repo::editions::list(&*tx).await?.into_iter().find(|e| !e.is_past);
    let year: i32 = input.start_year.trim().parse().unwrap_or(2026);
    let label = if input.year_label.trim().is_empty() { year.to_string() } else { input.year_label.trim().to_string() };
    let e = repo::editions::insert(
        &*tx,
        input.slug.trim(),
        input.name_ja.trim(),
        input.name_en.trim(),
        &input.mode,
        &label,
        year,
        false,
        now,
    )
    .await?;
    match previous {
        Some(prev) => {
            for cat in repo::editions::categories(&*tx, prev.id).await? {
                let new_cat = repo::editions::insert_category(
                    &*tx,
                    e.id,
                    cat.key.key(),
                    &cat.name_ja,
                    &cat.name_en,
                    &cat.guidance_ja,
                    &cat.guidance_en,
                    cat.position,
                )
                .await?;
                for q in repo::editions::questions(&*tx, cat.id).await? {
                    let options = q
                        .options
                        .iter()
                        .map(|o| format!("{} | {} | {}", o.value, o.ja, o.en))
                        .collect::<Vec<_>>()
                        .join("\n");
                    repo::editions::insert_question(
                        &*tx,
                        new_cat.id,
                        q.kind,
                        &q.label_ja,
                        &q.label_en,
                        &q.help_ja,
                        &q.help_en,
                        &options,
                        q.required,
                        q.personal,
                    )
                    .await?;
                }
            }
        }
        None => add_default_categories(&*tx, e.id).await?,
    }
    crate::server::service::rubrics::ensure_round(&*tx, e.id, 1).await?;
    repo::audit::record(
        &*tx,
        Actor { user_id: Some(viewer.id.0), label: &viewer.display_name },
        "edition.created",
        Some(e.id),
        None,
        serde_json::json!({"name": e.name_ja, "mode": e.mode}),
    )
    .await?;
    tx.commit().await?;
    Ok(e.id)
}

pub async fn settings<C: ConnectionTrait>(
    c: &C,
    who: Option<&Viewer>,
    edition_id: i64,
) -> Result<crate::wire::EditionSettings, AppError> {
    let e = policy::edition(c, who, Op::ReadEdition, edition_id).await?;
    let stages = repo::editions::stages(c, e.id)
        .await?
        .into_iter()
        .map(|s| crate::wire::StageView { kind: s.kind, round: s.round, starts_at: s.starts_at, ends_at: s.ends_at })
        .collect();
    Ok(crate::wire::EditionSettings {
        edition: summary(c, &e, Utc::now()).await?,
        blind_review: e.blind_review,
        show_peer_scores: e.show_peer_scores,
        reviewers_per_nomination: e.reviewers_per_nomination,
        min_scored_for_normalisation: e.min_scored_for_normalisation,
        disagreement_threshold: e.disagreement_threshold,
        stages,
    })
}

pub use crate::wire::SettingsInput;

pub async fn update_settings(
    state: &AppState,
    who: Option<&Viewer>,
    edition_id: i64,
    input: SettingsInput,
) -> Result<(), AppError> {
    let (_, viewer) = policy::edition_by(state.db.conn(), who, Op::ManageEdition, edition_id).await?;
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let k: Option<i32> = input.reviewers_per_nomination.trim().parse().ok().filter(|k| (1..=10).contains(k));
    let min: Option<i32> = input.min_scored_for_normalisation.trim().parse().ok().filter(|m| (1..=1000).contains(m));
    let threshold: Option<f64> =
        input.disagreement_threshold.trim().parse().ok().filter(|t: &f64| t.is_finite() && *t >= 0.0);
    let mut c = Checker::new();
    c.check("reviewers_per_nomination", k.is_some(), Problem::OutOfRange { min: 1, max: 10 })
        .check("min_scored_for_normalisation", min.is_some(), Problem::OutOfRange { min: 1, max: 1000 })
        .check("disagreement_threshold", threshold.is_some(), Problem::InvalidNumber);
    c.finish().map_err(AppError::Validation)?;
    let tx = state.db.begin().await?;
    let e = repo::editions::find(&*tx, edition_id).await?.ok_or(AppError::NotFound)?;
    let mut am: edition::ActiveModel = e.clone().into();
    am.blind_review = Set(input.blind_review.is_some());
    am.show_peer_scores = Set(input.show_peer_scores.is_some());
    am.reviewers_per_nomination = Set(k.unwrap_or(3));
    am.min_scored_for_normalisation = Set(min.unwrap_or(5));
    am.disagreement_threshold = Set(threshold.unwrap_or(1.0));
    am.updated_at = Set(Utc::now());
    am.update(&*tx).await?;
    repo::audit::record(
        &*tx,
        Actor { user_id: Some(viewer.id.0), label: &viewer.display_name },
        "edition.settings_changed",
        Some(e.id),
        None,
        serde_json::json!({"blind": input.blind_review.is_some(), "peer_scores": input.show_peer_scores.is_some(), "k": k, "min_scored": min, "threshold": threshold}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Sets one stage's times on the timetable (entered in Japan time; empty means "when the
/// previous stage ends" for a start, "until moved on" for an end).
pub async fn set_stage_times(
    state: &AppState,
    who: Option<&Viewer>,
    edition_id: i64,
    kind: StageKind,
    round: i32,
    starts_at: &str,
    ends_at: &str,
) -> Result<(), AppError> {
    let (_, viewer) = policy::edition_by(state.db.conn(), who, Op::ManageEdition, edition_id).await?;
    let parse = |field: &str, v: &str| -> Result<Option<DateTime<Utc>>, AppError> {
        if v.trim().is_empty() {
            Ok(None)
        } else {
            parse_tokyo(v).map(Some).ok_or_else(|| field_error(field, Problem::InvalidDate))
        }
    };
    let starts = parse("starts_at", starts_at)?;
    let ends = parse("ends_at", ends_at)?;
    if let (Some(s), Some(e)) = (starts, ends) {
        if e <= s {
            return Err(field_error("ends_at", Problem::EndBeforeStart));
        }
    }
    let round = if kind == StageKind::Review { round.max(1) } else { 0 };
    let position = crate::domain::edition::stage_order(kind, round);
    let tx = state.db.begin().await?;
    let e = repo::editions::find(&*tx, edition_id).await?.ok_or(AppError::NotFound)?;
    repo::editions::upsert_stage(&*tx, e.id, kind.key(), round, (position.0 as i32) * 10 + position.1, starts, ends)
        .await?;
    if kind == StageKind::Review {
        crate::server::service::rubrics::ensure_round(&*tx, e.id, round).await?;
    }
    repo::audit::record(
        &*tx,
        Actor { user_id: Some(viewer.id.0), label: &viewer.display_name },
        "edition.timetable_changed",
        Some(e.id),
        None,
        serde_json::json!({"stage": kind.key(), "round": round, "starts_at": starts.map(|d| d.to_rfc3339()), "ends_at": ends.map(|d| d.to_rfc3339())}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

fn field_error(name: &str, problem: Problem) -> AppError {
    AppError::Validation(vec![FieldError::new(name, problem)])
}
