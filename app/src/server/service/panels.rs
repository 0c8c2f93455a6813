//! Reviewer panels: invitations by e-mail (a single-use link that creates or attaches an
//! account), membership per category, load caps, and conflicts of interest.
use std::collections::{BTreeMap, HashMap};

use chrono::{Duration, Utc};

use crate::domain::account::{normalize_email, Role};
use crate::domain::ids::NominationId;
use crate::domain::nomination::NominationStatus;
use crate::domain::policy::Op;
use crate::domain::validation::{is_plausible_email, FieldError, Problem};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::server::{
    auth, mail, policy, repo,
    repo::audit::Actor,
    service::{accounts, editions},
    AppState,
};
use crate::wire::Viewer;
use crate::wire::{ConflictView, InvitationView, PanelMemberView, PanelsView};
use sea_orm::ConnectionTrait;

const INVITE_DAYS: i64 = 14;

fn invitation_token(key: &[u8]) -> (String, String) {
    let random = auth::new_token();
    let sig = auth::sign(key, &format!("invite:{random}"));
    let token = format!("{random}.{sig}");
    let hash = auth::token_hash(&token);
    (token, hash)
}

fn signed(key: &[u8], token: &str) -> bool {
    token.split_once('.').is_some_and(|(r, s)| auth::verify_signature(key, &format!("invite:{r}"), s))
}

pub async fn invite(
    state: &AppState,
    who: Option<&Viewer>,
    edition_id: i64,
    email: &str,
    category_ids: &[i64],
) -> Result<(), AppError> {
    let email = normalize_email(email);
    if !is_plausible_email(&email) {
        return Err(AppError::Validation(vec![FieldError::new("email", Problem::InvalidEmail)]));
    }
    if category_ids.is_empty() {
        return Err(AppError::Validation(vec![FieldError::new("categories", Problem::Required)]));
    }
    let tx = state.db.begin().await?;
    let e = policy::edition(&*tx, who, Op::ManagePanels, edition_id).await?;
    let viewer = who.ok_or(AppError::SignInRequired)?;
    let cats = repo::editions::categories(&*tx, e.id).await?;
    if !category_ids.iter().all(|id| cats.iter().any(|c| c.id == *id)) {
        return Err(AppError::Validation(vec![FieldError::new("categories", Problem::InvalidChoice)]));
    }
    let now = Utc::now();
    let (token, hash) = invitation_token(&state.signing_key);
    repo::review::insert_invitation(
        &*tx,
        e.id,
        &email,
        category_ids,
        &hash,
        now + Duration::days(INVITE_DAYS),
        viewer.id.0,
        now,
    )
    .await?;
    let names_ja: Vec<&str> =
        cats.iter().filter(|c| category_ids.contains(&c.id)).map(|c| c.name_ja.as_str()).collect();
    let names_en: Vec<&str> =
        cats.iter().filter(|c| category_ids.contains(&c.id)).map(|c| c.name_en.as_str()).collect();
    let link = state.config.link(&format!("/invite/{token}"));
    let body = format!(
        "{edition} の審査員としてお迎えしたく、ご案内いたします。\n担当区分: {ja}\n\n下のリンクからお引き受けいただけます(1回限り・{INVITE_DAYS}日間有効)。アカウントをお持ちでない場合は、その場で作成できます。\n\n{link}\n\n----\n\
         You are invited to review for {edition_en}.\nCategories: {en}\n\nAccept with the link below (valid once, for {INVITE_DAYS} days). If you have no account yet, you can create one there.\n\n{link}",
        edition = e.name_ja,
        edition_en = e.name_en,
        ja = names_ja.join("、"),
        en = names_en.join(", "),
    );
    mail::queue(
        &*tx,
        &email,
        mail::Rendered {
            kind: "reviewer_invitation", subject: "審査員のお願い / Invitation to review".into(), body
        },
    )
    .await?;
    repo::audit::record(
        &*tx,
        Actor { user_id: Some(viewer.id.0), label: &viewer.display_name },
        "panel.invited",
        Some(e.id),
        None,
        serde_json::json!({"email": email, "categories": category_ids}),
    )
    .await?;
    tx.commit().await?;
    state.mail_wake.notify_one();
    Ok(())
}

async fn open_invitation(
    state: &AppState,
    token: &str,
) -> Result<crate::server::entities::reviewer_invitation::Model, AppError> {
    if !signed(&state.signing_key, token) {
        return Err(AppError::LinkInvalid);
    }
    let inv =
        repo::review::find_invitation(state.db.conn(), &auth::token_hash(token)).await?.ok_or(AppError::LinkInvalid)?;
    if inv.used_at.is_some() || inv.expires_at <= Utc::now() {
        return Err(AppError::LinkInvalid);
    }
    Ok(inv)
}

pub async fn invitation(state: &AppState, token: &str) -> Result<InvitationView, AppError> {
    let inv = open_invitation(state, token).await?;
    let c = state.db.conn();
    let e = repo::editions::find(c, inv.edition_id).await?.ok_or(AppError::LinkInvalid)?;
    let ids: Vec<i64> = inv.category_ids.split(',').filter_map(|s| s.parse().ok()).collect();
    let categories = repo::editions::categories(c, e.id)
        .await?
        .into_iter()
        .filter(|c| ids.contains(&c.id))
        .map(|c| (c.name_ja, c.name_en))
        .collect();
    Ok(InvitationView {
        edition_name_ja: e.name_ja,
        edition_name_en: e.name_en,
        has_account: repo::users::find_by_email(c, &inv.email).await?.is_some(),
        email: inv.email,
        categories,
    })
}

/// Accepts an invitation: attaches the signed-in account, or the account of the invited
/// address, or creates one (then `display_name` and `password` are needed). Returns the
/// session token when a new session was opened.
pub async fn accept(
    state: &AppState,
    viewer: Option<&Viewer>,
    token: &str,
    display_name: &str,
    password: &str,
) -> Result<Option<String>, AppError> {
    let inv = open_invitation(state, token).await?;
    let mut new_session = None;
    let user_id = match viewer {
        Some(v) => v.id.0,
        None => match repo::users::find_by_email(state.db.conn(), &inv.email).await? {
            // An existing account must sign in first, so nobody can take it over with the link.
            Some(_) => return Err(AppError::SignInRequired),
            None => {
                let u = accounts::create_account(&state.db, &inv.email, display_name, password, Role::Reviewer).await?;
                let signed = accounts::sign_in(state, &inv.email, password, "invitation", None).await?;
                new_session = Some(signed.token);
                u.id
            }
        },
    };
    let tx = state.db.begin().await?;
    let now = Utc::now();
    if !repo::review::consume_invitation(&*tx, inv.id, now).await? {
        return Err(AppError::LinkInvalid);
    }
    for cat in inv.category_ids.split(',').filter_map(|s| s.parse::<i64>().ok()) {
        repo::review::add_panel_member(&*tx, inv.edition_id, cat, user_id, now).await?;
    }
    if let Some(u) = repo::users::find(&*tx, user_id).await? {
        if u.role == Role::Nominator {
            repo::users::update_role(&*tx, u.id, Role::Reviewer, now).await?;
        }
        repo::audit::record(
            &*tx,
            Actor { user_id: Some(u.id), label: &u.display_name },
            "panel.joined",
            Some(inv.edition_id),
            None,
            serde_json::json!({"categories": inv.category_ids}),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(new_session)
}

pub async fn view(state: &AppState, who: Option<&Viewer>, edition_id: i64) -> Result<PanelsView, AppError> {
    let c = state.db.conn();
    let e = policy::edition(c, who, Op::ReadEdition, edition_id).await?;
    let now = Utc::now();
    let members = repo::review::panel_members(c, e.id).await?;
    let nominations = repo::nominations::list_by_edition(c, e.id).await?;
    let submitted: Vec<_> = nominations.iter().filter(|n| n.status == NominationStatus::Submitted).collect();
    let ids: Vec<i64> = submitted.iter().map(|n| n.id).collect();
    let round = e.current_round.max(1);
    let assignments = repo::review::assignments_for_nominations(c, &ids, round).await?;
    let mut load: HashMap<i64, usize> = HashMap::new();
    for a in &assignments {
        *load.entry(a.reviewer_id).or_default() += 1;
    }
    let mut users: BTreeMap<i64, (String, String)> = BTreeMap::new();
    for m in &members {
        if !users.contains_key(&m.user_id) {
            if let Some(u) = repo::users::find(c, m.user_id).await? {
                users.insert(u.id, (u.display_name, u.email));
            }
        }
    }
    let mut panels = vec![];
    for cat in repo::editions::categories(c, e.id).await? {
        let view = editions::category_view(c, &cat).await?;
        let list = members
            .iter()
            .filter(|m| m.category_id == cat.id)
            .map(|m| {
                let (name, email) = users.get(&m.user_id).cloned().unwrap_or_default();
                PanelMemberView {
                    user_id: m.user_id,
                    name,
                    email,
                    cap: m.load_cap,
                    load: load.get(&m.user_id).copied().unwrap_or(0),
                }
            })
            .collect();
        panels.push((view, list));
    }
    let titles: HashMap<i64, String> = nominations.iter().map(|n| (n.id, n.title.clone())).collect();
    let conflicts = repo::review::conflicts_for(c, &nominations.iter().map(|n| n.id).collect::<Vec<_>>())
        .await?
        .into_iter()
        .map(|x| ConflictView {
            nomination_id: NominationId(x.nomination_id),
            title: titles.get(&x.nomination_id).cloned().unwrap_or_default(),
            reviewer: users.get(&x.user_id).map(|u| u.0.clone()).unwrap_or_else(|| format!("#{}", x.user_id)),
            source: x.source,
            reason: x.reason,
        })
        .collect();
    Ok(PanelsView {
        edition: editions::summary(c, &e, now).await?,
        panels,
        pending_invitations: repo::review::pending_invitations(c, e.id, now)
            .await?
            .into_iter()
            .map(|i| (i.email, i.expires_at))
            .collect(),
        conflicts,
        nominations: submitted.iter().map(|n| (NominationId(n.id), n.title.clone())).collect(),
        reviewers: users.into_iter().map(|(id, (name, _))| (id, name)).collect(),
    })
}

pub async fn set_cap(
    state: &AppState,
    who: Option<&Viewer>,
    edition_id: i64,
    user_id: i64,
    cap: &str,
) -> Result<(), AppError> {
    let cap: Option<i32> = if cap.trim().is_empty() {
        None
    } else {
        Some(
            cap.trim()
                .parse()
                .ok()
                .filter(|c| (0..=10_000).contains(c))
                .ok_or_else(|| AppError::Validation(vec![FieldError::new("cap", Problem::InvalidNumber)]))?,
        )
    };
    let tx = state.db.begin().await?;
    policy::edition(&*tx, who, Op::ManagePanels, edition_id).await?;
    repo::review::set_cap(&*tx, edition_id, user_id, cap).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn remove_member(
    state: &AppState,
    who: Option<&Viewer>,
    edition_id: i64,
    category_id: i64,
    user_id: i64,
) -> Result<(), AppError> {
    let tx = state.db.begin().await?;
    policy::edition(&*tx, who, Op::ManagePanels, edition_id).await?;
    let viewer = who.ok_or(AppError::SignInRequired)?;
    repo::review::remove_panel_member(&*tx, edition_id, category_id, user_id).await?;
    repo::audit::record(
        &*tx,
        Actor { user_id: Some(viewer.id.0), label: &viewer.display_name },
        "panel.removed",
        Some(edition_id),
        None,
        serde_json::json!({"category": category_id, "user": user_id}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A conflict recorded by an organiser for a reviewer and an entry.
pub async fn record_conflict(
    state: &AppState,
    who: Option<&Viewer>,
    nomination_id: NominationId,
    reviewer_id: i64,
    reason: &str,
) -> Result<(), AppError> {
    let tx = state.db.begin().await?;
    let access = policy::nomination(&*tx, who, Op::RecordConflict, nomination_id.0).await?;
    let viewer = who.ok_or(AppError::SignInRequired)?;
    store_conflict(&*tx, viewer, &access.nomination, reviewer_id, "organiser", reason).await?;
    tx.commit().await?;
    Ok(())
}

/// The reviewer declares a conflict on an entry assigned to them; it leaves their queue at once.
pub async fn declare_conflict(
    state: &AppState,
    who: Option<&Viewer>,
    assignment_id: i64,
    reason: &str,
) -> Result<(), AppError> {
    let tx = state.db.begin().await?;
    let access = policy::assignment(&*tx, who, Op::DeclareConflict, assignment_id).await?;
    let viewer = who.ok_or(AppError::SignInRequired)?;
    store_conflict(&*tx, viewer, &access.nomination, viewer.id.0, "declared", reason).await?;
    tx.commit().await?;
    Ok(())
}

/// Any assignment without a submitted sheet is removed in the same transaction: from then on
/// the reviewer sees nothing of the entry.
async fn store_conflict<C: ConnectionTrait>(
    c: &C,
    viewer: &Viewer,
    n: &crate::server::entities::nomination::Model,
    reviewer_id: i64,
    source: &str,
    reason: &str,
) -> Result<(), AppError> {
    repo::review::insert_conflict(c, n.id, reviewer_id, source, reason.trim(), Some(viewer.id.0), Utc::now()).await?;
    let removed = repo::review::remove_unsubmitted_assignments(c, n.id, reviewer_id).await?;
    repo::audit::record(
        c,
        Actor { user_id: Some(viewer.id.0), label: &viewer.display_name },
        "conflict.recorded",
        Some(n.edition_id),
        Some(n.id),
        serde_json::json!({"reviewer": reviewer_id, "source": source, "assignments_removed": removed}),
    )
    .await?;
    Ok(())
}

pub fn locale_of(u: &crate::server::entities::user::Model) -> Locale {
    u.locale.as_deref().and_then(Locale::parse).unwrap_or_default()
}
