//! Pace: a nominator asks for a short extension (the reason is for organisers only, never in
//! the audit log); an organiser grants or declines it per nomination; a reviewer pauses or
//! hands back an assignment, which then shows on the assignment board as a gap.
use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;

use crate::domain::ids::NominationId;
use crate::domain::pace::{check_grant, check_request, ExtensionStatus};
use crate::domain::policy::Op;
use crate::domain::time::{format_deadline, parse_tokyo};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::server::entities::{extension_request, nomination};
use crate::server::{mail, policy, repo, repo::audit::Actor, service::panels::locale_of, AppState};
use crate::wire::{ExtensionView, Viewer};

fn view(r: extension_request::Model, n: &nomination::Model, with_reason: bool) -> ExtensionView {
    ExtensionView {
        id: r.id,
        nomination_id: NominationId(n.id),
        title: n.title.clone(),
        reason: if with_reason { r.reason } else { String::new() },
        wanted_until: r.wanted_until,
        status: ExtensionStatus::parse(&r.status).unwrap_or(ExtensionStatus::Pending),
        granted_until: r.granted_until,
        created_at: r.created_at,
    }
}

/// The latest request of a nomination (for its page).
pub async fn latest_for<C: ConnectionTrait>(
    c: &C,
    n: &nomination::Model,
    with_reason: bool,
) -> Result<Option<ExtensionView>, AppError> {
    Ok(repo::pace::requests_of(c, n.id).await?.into_iter().next().map(|r| view(r, n, with_reason)))
}

/// The nominator asks for `days` more days. A later request replaces one still waiting.
pub async fn request(
    state: &AppState,
    who: Option<&Viewer>,
    id: NominationId,
    days: &str,
    reason: &str,
) -> Result<ExtensionView, AppError> {
    let now = Utc::now();
    let tx = state.db.begin().await?;
    let access = policy::nomination(&*tx, who, Op::RequestExtension, id.0).await?;
    let viewer = who.ok_or(AppError::SignInRequired)?;
    let n = access.nomination;
    let (_, closes) = repo::editions::nomination_window(&*tx, n.edition_id).await?;
    let wanted = check_request(days, reason, closes, now).map_err(AppError::Validation)?;
    repo::pace::delete_pending(&*tx, n.id).await?;
    let r = repo::pace::insert_request(&*tx, n.id, viewer.id.0, reason.trim(), wanted, now).await?;
    // The reason may be health information: it stays in the request, not in the log.
    repo::audit::record(
        &*tx,
        Actor { user_id: Some(viewer.id.0), label: &viewer.display_name },
        "nomination.extension_requested",
        Some(n.edition_id),
        Some(n.id),
        serde_json::json!({"days": days.trim(), "wanted_until": wanted}),
    )
    .await?;
    tx.commit().await?;
    Ok(view(r, &n, true))
}

/// An organiser grants (until the date given, or the date asked for) or declines.
pub async fn decide(
    state: &AppState,
    who: Option<&Viewer>,
    id: NominationId,
    decision: &str,
    until: &str,
) -> Result<i64, AppError> {
    let now = Utc::now();
    let tx = state.db.begin().await?;
    let access = policy::nomination(&*tx, who, Op::DecideExtension, id.0).await?;
    let viewer = who.ok_or(AppError::SignInRequired)?;
    let n = access.nomination;
    let pending =
        repo::pace::requests_of(&*tx, n.id).await?.into_iter().find(|r| r.status == ExtensionStatus::Pending.key());
    let actor = Actor { user_id: Some(viewer.id.0), label: &viewer.display_name };
    let granted = match decision {
        "grant" => {
            let (_, closes) = repo::editions::nomination_window(&*tx, n.edition_id).await?;
            let asked =
                if until.trim().is_empty() { pending.as_ref().map(|r| r.wanted_until) } else { parse_tokyo(until) };
            let until = check_grant(asked, closes, now).map_err(|e| AppError::Validation(vec![e]))?;
            repo::pace::set_extended_until(&*tx, n.id, until, now).await?;
            repo::pace::decide_pending(&*tx, n.id, ExtensionStatus::Granted, Some(until), viewer.id.0, now).await?;
            repo::audit::record(
                &*tx,
                actor,
                "nomination.extension_granted",
                Some(n.edition_id),
                Some(n.id),
                serde_json::json!({"until": until, "asked": pending.is_some()}),
            )
            .await?;
            Some(until)
        }
        "decline" => {
            if pending.is_none() {
                return Err(AppError::InvalidTransition);
            }
            repo::pace::decide_pending(&*tx, n.id, ExtensionStatus::Declined, None, viewer.id.0, now).await?;
            repo::audit::record(
                &*tx,
                actor,
                "nomination.extension_declined",
                Some(n.edition_id),
                Some(n.id),
                serde_json::json!({}),
            )
            .await?;
            None
        }
        _ => {
            return Err(AppError::Validation(vec![crate::domain::validation::FieldError::new(
                "decision",
                crate::domain::validation::Problem::InvalidChoice,
            )]))
        }
    };
    tell_nominator(&*tx, state, &n, granted).await?;
    tx.commit().await?;
    state.mail_wake.notify_one();
    Ok(n.edition_id)
}

async fn tell_nominator<C: ConnectionTrait>(
    c: &C,
    state: &AppState,
    n: &nomination::Model,
    granted: Option<DateTime<Utc>>,
) -> Result<(), AppError> {
    let Some(u) = repo::users::find(c, n.nominator_id).await?.filter(|u| !u.disabled) else { return Ok(()) };
    let locale = locale_of(&u);
    let title = if n.title.trim().is_empty() { "—" } else { n.title.as_str() };
    let (subject, message) = match (locale, granted) {
        (Locale::Ja, Some(until)) => (
            format!("締切を延長しました: {title}"),
            format!("「{title}」の締切を {} まで延長しました。ご自分のペースで、無理のない範囲でお進めください。", format_deadline(until)),
        ),
        (Locale::Ja, None) => (
            format!("締切の延長について: {title}"),
            format!("「{title}」の締切の延長は、今回はお受けできませんでした。ご事情はうかがっています。ご不明な点は事務局にお知らせください。"),
        ),
        (Locale::En, Some(until)) => (
            format!("Deadline extended: {title}"),
            format!("The deadline for \"{title}\" is extended to {} (Japan time). Please go at your own pace.", format_deadline(until)),
        ),
        (Locale::En, None) => (
            format!("About your deadline: {title}"),
            format!("We could not extend the deadline for \"{title}\" this time. We have read what you wrote; please contact the organisers with any question."),
        ),
    };
    mail::queue(
        c,
        &u.email,
        mail::notice(
            "extension_decided",
            locale,
            &u.display_name,
            subject,
            &message,
            Some(&state.config.link(&format!("/nominations/{}", n.id))),
        ),
    )
    .await?;
    Ok(())
}

/// Organisers: the requests waiting in an edition, with their reasons.
pub async fn pending(state: &AppState, who: Option<&Viewer>, edition_id: i64) -> Result<Vec<ExtensionView>, AppError> {
    let c = state.db.conn();
    policy::edition(c, who, Op::ReadEdition, edition_id).await?;
    Ok(repo::pace::pending_in_edition(c, edition_id).await?.into_iter().map(|(r, n)| view(r, &n, true)).collect())
}

/// The reviewer pauses (or resumes) an assignment; organisers see it on the board.
pub async fn pause(state: &AppState, who: Option<&Viewer>, assignment_id: i64, paused: bool) -> Result<(), AppError> {
    let tx = state.db.begin().await?;
    let access = policy::assignment(&*tx, who, Op::PaceAssignment, assignment_id).await?;
    let viewer = who.ok_or(AppError::SignInRequired)?;
    let a = access.assignment;
    if a.paused_at.is_some() != paused {
        repo::pace::set_paused(&*tx, a.id, paused.then(Utc::now)).await?;
        repo::audit::record(
            &*tx,
            Actor { user_id: Some(viewer.id.0), label: &viewer.display_name },
            if paused { "assignment.paused" } else { "assignment.resumed" },
            Some(access.nomination.edition_id),
            Some(a.nomination_id),
            serde_json::json!({"reviewer": a.reviewer_id, "round": a.round}),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The reviewer hands an assignment back: it leaves their queue (with any unsubmitted sheet)
/// and the entry shows a gap on the board; the automatic plan does not give it to them again
/// this round. A submitted sheet is kept and cannot be handed back.
pub async fn hand_back(state: &AppState, who: Option<&Viewer>, assignment_id: i64, note: &str) -> Result<(), AppError> {
    let tx = state.db.begin().await?;
    let access = policy::assignment(&*tx, who, Op::PaceAssignment, assignment_id).await?;
    let viewer = who.ok_or(AppError::SignInRequired)?;
    let a = access.assignment;
    // Only this round's work can be handed back; earlier rounds are decided.
    if a.round != crate::server::service::stages::current(&access.edition).1.max(1) {
        return Err(AppError::StageClosed);
    }
    if !repo::pace::delete_unless_submitted(&*tx, a.id).await? {
        return Err(AppError::InvalidTransition);
    }
    let now = Utc::now();
    repo::pace::insert_return(&*tx, &a, note.trim(), now).await?;
    repo::audit::record(
        &*tx,
        Actor { user_id: Some(viewer.id.0), label: &viewer.display_name },
        "assignment.handed_back",
        Some(access.nomination.edition_id),
        Some(a.nomination_id),
        serde_json::json!({"reviewer": a.reviewer_id, "round": a.round}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
