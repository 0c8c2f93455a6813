//! Stages of an edition. Every change is a conditional update (`… WHERE current_stage = from`),
//! so several server processes moving the same edition at the same moment produce exactly one
//! transition and one audit entry. The timetable moves editions forward on its own; organisers
//! may advance or reopen a stage by hand, with a reason.
use chrono::Utc;
use sea_orm::{prelude::*, ConnectionTrait};

use crate::domain::edition::{automatic_transition, StageKind, StageSlot};
use crate::domain::policy::Op;
use crate::domain::validation::{FieldError, Problem};
use crate::error::AppError;
use crate::server::entities::edition;
use crate::server::{db::Db, repo, repo::audit::Actor, AppState};
use crate::wire::Viewer;

/// Sets the stage unconditionally (set-up and demo data).
pub async fn set_current<C: ConnectionTrait>(
    c: &C,
    edition_id: i64,
    stage: StageKind,
    round: i32,
) -> Result<(), AppError> {
    edition::Entity::update_many()
        .col_expr(edition::Column::CurrentStage, Expr::value(stage.key()))
        .col_expr(edition::Column::CurrentRound, Expr::value(round))
        .col_expr(edition::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(edition::Column::Id.eq(edition_id))
        .exec(c)
        .await?;
    Ok(())
}

pub fn current(e: &edition::Model) -> (StageKind, i32) {
    (e.current_stage, e.current_round)
}

pub async fn timetable<C: ConnectionTrait>(c: &C, edition_id: i64) -> Result<Vec<StageSlot>, AppError> {
    Ok(repo::editions::stages(c, edition_id)
        .await?
        .into_iter()
        .map(|s| StageSlot { kind: s.kind, round: s.round, starts_at: s.starts_at, ends_at: s.ends_at })
        .collect())
}

/// Moves `from` → `to` if the edition is still at `from`. Returns whether this call made the move.
async fn transition<C: ConnectionTrait>(
    c: &C,
    e: &edition::Model,
    from: (StageKind, i32),
    to: (StageKind, i32),
    actor: Actor<'_>,
    reason: &str,
    base_url: &str,
) -> Result<bool, AppError> {
    let now = Utc::now();
    let mut update = edition::Entity::update_many()
        .col_expr(edition::Column::CurrentStage, Expr::value(to.0.key()))
        .col_expr(edition::Column::CurrentRound, Expr::value(to.1))
        .col_expr(edition::Column::UpdatedAt, Expr::value(now));
    if to.0 == StageKind::Results && e.results_published_at.is_none() {
        update = update.col_expr(edition::Column::ResultsPublishedAt, Expr::value(Some(now)));
    }
    let res = update
        .filter(edition::Column::Id.eq(e.id))
        .filter(edition::Column::CurrentStage.eq(from.0.key()))
        .filter(edition::Column::CurrentRound.eq(from.1))
        .exec(c)
        .await?;
    if res.rows_affected != 1 {
        return Ok(false);
    }
    repo::audit::record(
        c,
        actor,
        "stage.changed",
        Some(e.id),
        None,
        serde_json::json!({"from": from.0.key(), "from_round": from.1, "to": to.0.key(), "to_round": to.1, "reason": reason}),
    )
    .await?;
    if to.0 == StageKind::Results && e.results_published_at.is_none() {
        crate::server::service::results::queue_result_mails(c, e, base_url).await?;
    }
    Ok(true)
}

/// One pass of the scheduler over all editions; returns how many transitions this process made.
/// `base_url` is the public origin, for the links in the mails a transition sends.
pub async fn tick(db: &Db, base_url: &str) -> Result<usize, AppError> {
    let now = Utc::now();
    let mut moved = 0;
    for e in repo::editions::list(db.conn()).await? {
        if e.is_past {
            continue;
        }
        let from = current(&e);
        let slots = timetable(db.conn(), e.id).await?;
        let Some(to) = automatic_transition(from, &slots, now) else { continue };
        let tx = db.begin().await?;
        if transition(&*tx, &e, from, to, Actor { user_id: None, label: "scheduler" }, "timetable", base_url).await? {
            tx.commit().await?;
            moved += 1;
            tracing::info!(
                edition = e.id,
                from = from.0.key(),
                to = to.0.key(),
                round = to.1,
                "stage changed by the timetable"
            );
        }
    }
    Ok(moved)
}

/// An organiser moves the edition to another stage (forward or back) with a reason.
pub async fn move_to(
    state: &AppState,
    who: Option<&Viewer>,
    edition_id: i64,
    to: StageKind,
    round: i32,
    reason: &str,
) -> Result<(), AppError> {
    let tx = state.db.begin().await?;
    let e = crate::server::policy::edition(&*tx, who, Op::MoveStage, edition_id).await?;
    let viewer = who.ok_or(AppError::SignInRequired)?;
    if reason.trim().is_empty() {
        return Err(AppError::Validation(vec![FieldError::new("reason", Problem::Required)]));
    }
    let from = current(&e);
    let round = if to == StageKind::Review { round.max(1) } else { 0 };
    if from == (to, round) {
        return Ok(());
    }
    if to == StageKind::Review {
        // Entering a review round makes sure the round is on the timetable and has a rubric.
        if repo::editions::stage(&*tx, e.id, "review", round).await?.is_none() {
            repo::editions::upsert_stage(&*tx, e.id, "review", round, 3 + round, None, None).await?;
        }
        crate::server::service::rubrics::ensure_round(&*tx, e.id, round).await?;
    }
    if !transition(
        &*tx,
        &e,
        from,
        (to, round),
        Actor { user_id: Some(viewer.id.0), label: &viewer.display_name },
        reason.trim(),
        &state.config.public_url,
    )
    .await?
    {
        return Err(AppError::StaleEdit);
    }
    tx.commit().await?;
    state.mail_wake.notify_one();
    Ok(())
}

/// The scheduler runs in every process; the conditional update keeps it to one move per stage.
pub async fn run_scheduler(state: AppState, mut stop: tokio::sync::watch::Receiver<bool>) {
    loop {
        match tick(&state.db, &state.config.public_url).await {
            Ok(n) if n > 0 => state.mail_wake.notify_one(),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = ?e, "stage scheduler pass failed"),
        }
        tokio::select! {
            _ = tokio::time::sleep(std::time::Duration::from_secs(30)) => {}
            _ = stop.changed() => {}
        }
        if *stop.borrow() {
            break;
        }
    }
}
