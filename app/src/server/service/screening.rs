//! Screening of submitted nominations by organisers: eligible, ineligible (with a reason) or
//! needs information (the nominator is told by e-mail and may amend until a date).
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ActiveValue::Set};

use crate::domain::ids::NominationId;
use crate::domain::nomination::{NominationStatus, Screening};
use crate::domain::policy::Op;
use crate::domain::time::{format_tokyo, parse_tokyo};
use crate::domain::validation::{FieldError, Problem};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::server::entities::nomination;
use crate::server::{mail, policy, repo, repo::audit::Actor, AppState};
use crate::wire::Viewer;

pub async fn screen(
    state: &AppState,
    who: Option<&Viewer>,
    id: NominationId,
    decision: &str,
    note: &str,
    amend_until: &str,
) -> Result<(), AppError> {
    let tx = state.db.begin().await?;
    let access = policy::nomination(&*tx, who, Op::Screen, id.0).await?;
    let viewer = who.ok_or(AppError::SignInRequired)?;
    let n = access.nomination;
    let decision = Screening::parse(decision)
        .filter(|d| *d != Screening::Pending)
        .ok_or_else(|| AppError::Validation(vec![FieldError::new("decision", Problem::InvalidChoice)]))?;
    let note = note.trim();
    let until = if decision == Screening::NeedsInfo {
        Some(
            parse_tokyo(amend_until)
                .filter(|u| *u > Utc::now())
                .ok_or_else(|| AppError::Validation(vec![FieldError::new("amend_until", Problem::InvalidDate)]))?,
        )
    } else {
        None
    };
    if matches!(decision, Screening::Ineligible | Screening::NeedsInfo) && note.is_empty() {
        return Err(AppError::Validation(vec![FieldError::new("note", Problem::Required)]));
    }
    if n.status != NominationStatus::Submitted {
        return Err(AppError::InvalidTransition);
    }
    let mut am: nomination::ActiveModel = n.clone().into();
    am.screening = Set(decision);
    am.screening_note = Set(note.chars().take(2000).collect());
    am.amend_until = Set(until);
    am.version = Set(n.version + 1);
    am.updated_at = Set(Utc::now());
    am.update(&*tx).await?;
    repo::audit::record(
        &*tx,
        Actor { user_id: Some(viewer.id.0), label: &viewer.display_name },
        "screening.decided",
        Some(n.edition_id),
        Some(n.id),
        serde_json::json!({"decision": decision.key(), "note": note}),
    )
    .await?;
    if decision == Screening::NeedsInfo {
        if let Some(u) = repo::users::find(&*tx, n.nominator_id).await? {
            let locale = u.locale.as_deref().and_then(Locale::parse).unwrap_or_default();
            let until = until.map(format_tokyo).unwrap_or_default();
            let (subject, message) = match locale {
                Locale::Ja => (
                    format!("追加のご説明のお願い: {}", n.title),
                    format!("「{}」について、事務局から追加のご説明をお願いしています。\n\n{note}\n\n{until} まで、推薦内容を修正していただけます。", n.title),
                ),
                Locale::En => (
                    format!("A little more information, please: {}", n.title),
                    format!("The organisers would like a little more information about \"{}\".\n\n{note}\n\nYou can amend your nomination until {until} (Japan time).", n.title),
                ),
            };
            let link = state.config.link(&format!("/nominations/{}", n.id));
            mail::queue(
                &*tx,
                &u.email,
                mail::notice("nomination_needs_info", locale, &u.display_name, subject, &message, Some(&link)),
            )
            .await?;
        }
    }
    tx.commit().await?;
    state.mail_wake.notify_one();
    Ok(())
}
