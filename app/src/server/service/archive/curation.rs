//! Organisers' side of the archive: candidates, preparing a public text beside the reviewed one,
//! saving pending changes, the second person's sign-off (from a screen that shows the text being
//! approved), unpublishing. Every function asks the policy first.
use std::collections::BTreeMap;

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ActiveValue::Set};

use super::publish::{ordered_sections, publish, sections_of, take_down, PracticeDraft, Publisher};
use crate::domain::archive::{slug, BadgeKind, PracticeStatus};
use crate::domain::consent::ConsentScope;
use crate::domain::ids::NominationId;
use crate::domain::nomination::{NominationStatus, SECTIONS};
use crate::domain::policy::Op;
use crate::error::AppError;
use crate::server::entities::practice;
use crate::server::{policy, repo, repo::audit::Actor, sanitize, AppState};
use crate::wire::{ArchiveCandidate, PendingSignOff, PracticeEditView, PracticeSectionEdit, SignOffView, Viewer};

/// Recognised nominations of editions whose results are out, with their consent and record.
pub async fn candidates(state: &AppState, who: Option<&Viewer>) -> Result<Vec<ArchiveCandidate>, AppError> {
    policy::platform(who, Op::Organise)?;
    let c = state.db.conn();
    let mut out = vec![];
    for e in repo::editions::list(c).await? {
        if e.results_published_at.is_none() {
            continue;
        }
        for n in repo::nominations::list_by_edition(c, e.id).await? {
            let outcome = n.outcome;
            if n.status != NominationStatus::Submitted || !outcome.is_recognised() {
                continue;
            }
            let consent = policy::consent_of(c, n.id).await?;
            let practice = match repo::archive::find_by_nomination(c, n.id).await? {
                Some(p) => Some((p.id, p.status)),
                None => None,
            };
            out.push(ArchiveCandidate {
                nomination_id: NominationId(n.id),
                title: n.title.clone(),
                edition_name_ja: e.name_ja.clone(),
                edition_name_en: e.name_en.clone(),
                outcome,
                consent,
                practice,
            });
        }
    }
    Ok(out)
}

/// Starts the public version of a recognised nomination: a copy of its text to edit.
pub async fn prepare(state: &AppState, who: Option<&Viewer>, nomination_id: NominationId) -> Result<i64, AppError> {
    let tx = state.db.begin().await?;
    let access = policy::nomination(&*tx, who, Op::PrepareRecord, nomination_id.0).await?;
    let viewer = who.ok_or(AppError::SignInRequired)?;
    if let Some(p) = repo::archive::find_by_nomination(&*tx, nomination_id.0).await? {
        return Ok(p.id);
    }
    let (n, e, consent) = (access.nomination, access.edition, access.consent);
    let outcome = n.outcome;
    let badge = BadgeKind::from_outcome(outcome)
        .filter(|_| e.results_published_at.is_some() && n.status == NominationStatus::Submitted)
        .ok_or(AppError::InvalidTransition)?;
    let cat = repo::editions::find_category(&*tx, n.category_id).await?.ok_or(AppError::NotFound)?;
    let input = crate::server::service::nominations::input_of(&n);
    let draft = PracticeDraft {
        title: n.title.clone(),
        summary: n.summary.clone(),
        tags: String::new(),
        sections: SECTIONS
            .iter()
            .map(|(k, _)| (k.to_string(), input.section(k).to_string()))
            .filter(|(_, v)| !v.is_empty())
            .collect(),
    };
    let now = Utc::now();
    let p = practice::ActiveModel {
        slug: Set(format!("pending-{}", n.id)),
        nomination_id: Set(Some(n.id)),
        edition_id: Set(Some(e.id)),
        status: Set(PracticeStatus::Draft),
        category: Set(cat.key),
        region: Set(n.region.clone()),
        industry: Set(n.industry.clone()),
        org_size: Set(n.org_size.clone()),
        consent_scope: Set(consent.scope.map(|s| s.key().to_string()).unwrap_or_default()),
        photos: Set(consent.photos),
        nominee_name: Set(n.nominee_name.clone()),
        title: Set(n.title.clone()),
        summary: Set(String::new()),
        sections_json: Set("{}".into()),
        draft_json: Set(Some(serde_json::to_string(&draft).unwrap_or_default())),
        prepared_by: Set(Some(viewer.id.0)),
        prepared_at: Set(Some(now)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&*tx)
    .await?;
    let mut am: practice::ActiveModel = p.clone().into();
    am.slug = Set(slug(p.id, p.category.key(), &p.region));
    am.update(&*tx).await?;
    repo::archive::add_badge(&*tx, p.id, badge.key(), Some(e.id), &e.name_ja, e.start_year).await?;
    repo::audit::record(
        &*tx,
        Actor { user_id: Some(viewer.id.0), label: &viewer.display_name },
        "archive.prepared",
        Some(e.id),
        Some(n.id),
        serde_json::json!({"practice": p.id}),
    )
    .await?;
    tx.commit().await?;
    Ok(p.id)
}

fn word_diff(old: &str, new: &str) -> String {
    use similar::{ChangeTag, TextDiff};
    let diff = TextDiff::from_chars(old, new);
    let mut out = String::new();
    for change in diff.iter_all_changes() {
        let text = change.value().replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
        match change.tag() {
            ChangeTag::Equal => out.push_str(&text),
            ChangeTag::Delete => out.push_str(&format!("<del>{text}</del>")),
            ChangeTag::Insert => out.push_str(&format!("<ins>{text}</ins>")),
        }
    }
    out.replace("</del><del>", "").replace("</ins><ins>", "")
}

fn pending(p: &practice::Model) -> Option<PracticeDraft> {
    p.draft_json.as_deref().and_then(|d| serde_json::from_str(d).ok())
}

async fn display_name<C: sea_orm::ConnectionTrait>(c: &C, id: Option<i64>) -> Result<Option<String>, AppError> {
    Ok(match id {
        Some(i) => repo::users::find(c, i).await?.map(|u| u.display_name),
        None => None,
    })
}

pub async fn edit_view(state: &AppState, who: Option<&Viewer>, id: i64) -> Result<PracticeEditView, AppError> {
    let c = state.db.conn();
    let access = policy::practice(c, who, Op::EditRecord, id).await?;
    let (p, consent) = (access.practice, access.consent);
    let draft = pending(&p);
    let live = sections_of(&p);
    let nomination = match p.nomination_id {
        Some(n) => repo::nominations::find(c, n).await?,
        None => None,
    };
    let reviewed = nomination.as_ref().map(crate::server::service::nominations::sections_of).unwrap_or_default();
    let reviewed_sources: BTreeMap<String, String> = nomination
        .as_ref()
        .map(|n| {
            let i = crate::server::service::nominations::input_of(n);
            SECTIONS.iter().map(|(k, _)| (k.to_string(), i.section(k).to_string())).collect()
        })
        .unwrap_or_default();
    let tags = match &draft {
        Some(d) => d.tags.clone(),
        None => repo::archive::tags_of(c, p.id).await?.join(", "),
    };
    let sections = SECTIONS
        .iter()
        .map(|(k, _)| {
            let public = draft
                .as_ref()
                .map(|d| d.sections.get(*k).cloned().unwrap_or_default())
                .unwrap_or_else(|| live.get(*k).map(|s| s.source.clone()).unwrap_or_default());
            let reviewed_src = reviewed_sources.get(*k).cloned().unwrap_or_default();
            PracticeSectionEdit {
                key: k.to_string(),
                reviewed_html: reviewed.get(*k).map(|s| s.html.clone()).unwrap_or_default(),
                diff_html: word_diff(&reviewed_src, &public),
                public_source: public,
            }
        })
        .collect();
    let can_sign_off = policy::practice(c, who, Op::SignOffRecord, id).await.is_ok();
    Ok(PracticeEditView {
        id: p.id,
        slug: p.slug.clone(),
        status: access.facts.status,
        has_pending_changes: draft.is_some(),
        nomination_id: p.nomination_id,
        consent_scope: consent.scope.map(|s| s.key().to_string()).unwrap_or_default(),
        consent_allows: consent.allows_archive(),
        nominee_name: p.nominee_name.clone(),
        title: draft.as_ref().map(|d| d.title.clone()).unwrap_or_else(|| p.title.clone()),
        summary: draft.as_ref().map(|d| d.summary.clone()).unwrap_or_else(|| p.summary.clone()),
        tags,
        sections,
        prepared_by: display_name(c, p.prepared_by).await?,
        signed_off_by: display_name(c, p.signed_off_by).await?,
        can_sign_off,
        fingerprint: draft.as_ref().map(PracticeDraft::fingerprint).unwrap_or_default(),
    })
}

/// Saves the public text as pending changes; the live record (if any) stays as it is until
/// somebody else signs the changes off.
pub async fn save_draft(state: &AppState, who: Option<&Viewer>, id: i64, draft: PracticeDraft) -> Result<(), AppError> {
    let tx = state.db.begin().await?;
    let access = policy::practice(&*tx, who, Op::EditRecord, id).await?;
    let viewer = who.ok_or(AppError::SignInRequired)?;
    let mut c = crate::domain::validation::Checker::new();
    c.required("title", &draft.title)
        .max_chars("title", &draft.title, crate::domain::nomination::TITLE_MAX)
        .required("summary", &draft.summary)
        .max_chars("summary", &draft.summary, crate::domain::nomination::SUMMARY_MAX)
        .max_chars("tags", &draft.tags, 400);
    for (k, v) in &draft.sections {
        if SECTIONS.iter().any(|(s, _)| s == k) {
            c.max_chars(k, v, crate::domain::nomination::SECTION_MAX);
        }
    }
    c.finish().map_err(AppError::Validation)?;
    let p = access.practice;
    if access.facts.status == PracticeStatus::Withdrawn {
        return Err(AppError::ConsentMissing);
    }
    let mut am: practice::ActiveModel = p.clone().into();
    am.draft_json = Set(Some(serde_json::to_string(&draft).unwrap_or_default()));
    am.prepared_by = Set(Some(viewer.id.0));
    am.prepared_at = Set(Some(Utc::now()));
    am.updated_at = Set(Utc::now());
    am.update(&*tx).await?;
    repo::audit::record(
        &*tx,
        Actor { user_id: Some(viewer.id.0), label: &viewer.display_name },
        "archive.edited",
        p.edition_id,
        p.nomination_id,
        serde_json::json!({"practice": p.id}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The pending text exactly as it would be published, for whoever may sign it off.
pub async fn sign_off_view(state: &AppState, who: Option<&Viewer>, id: i64) -> Result<SignOffView, AppError> {
    let c = state.db.conn();
    let access = policy::practice(c, who, Op::SignOffRecord, id).await?;
    let (p, consent) = (access.practice, access.consent);
    let draft = pending(&p).ok_or(AppError::NotFound)?;
    let edition = match p.edition_id {
        Some(e) => repo::editions::find(c, e).await?,
        None => None,
    };
    let sections = SECTIONS
        .iter()
        .filter_map(|(k, _)| {
            draft
                .sections
                .get(*k)
                .filter(|v| !v.trim().is_empty())
                .map(|v| (k.to_string(), sanitize::render_markdown(v)))
        })
        .collect();
    Ok(SignOffView {
        id: p.id,
        title: draft.title.clone(),
        summary: draft.summary.clone(),
        tags: draft.tag_list(),
        sections,
        nominee_name: consent.allows_names().then(|| p.nominee_name.clone()).filter(|n| !n.is_empty()),
        consent_scope: consent.scope.map(|s| s.key().to_string()).unwrap_or_default(),
        consent_allows: consent.allows_archive(),
        edition_name_ja: edition.as_ref().map(|e| e.name_ja.clone()).unwrap_or_default(),
        edition_name_en: edition.as_ref().map(|e| e.name_en.clone()).unwrap_or_default(),
        category: p.category,
        prepared_by: display_name(c, p.prepared_by).await?,
        fingerprint: draft.fingerprint(),
    })
}

/// Pending texts this person may sign off (a reviewer sees those of their panels' categories
/// they are not conflicted on; organisers see those they did not prepare).
pub async fn pending_sign_offs(state: &AppState, who: Option<&Viewer>) -> Result<Vec<PendingSignOff>, AppError> {
    policy::platform(who, Op::ReviewQueue)?;
    let c = state.db.conn();
    let mut out = vec![];
    for p in repo::archive::with_pending_drafts(c).await? {
        let id = p.id;
        let Ok(access) = policy::practice_of(c, who, Op::SignOffRecord, p).await else { continue };
        let Some(draft) = pending(&access.practice) else { continue };
        let edition = match access.practice.edition_id {
            Some(e) => repo::editions::find(c, e).await?,
            None => None,
        };
        out.push(PendingSignOff {
            id,
            title: draft.title,
            edition_name_ja: edition.as_ref().map(|e| e.name_ja.clone()).unwrap_or_default(),
            edition_name_en: edition.as_ref().map(|e| e.name_en.clone()).unwrap_or_default(),
            category: access.practice.category,
        });
    }
    Ok(out)
}

/// A second person signs off the pending text, which goes live. `fingerprint` names the text
/// that was shown to them: if it changed in between, nothing is published.
pub async fn sign_off(state: &AppState, who: Option<&Viewer>, id: i64, fingerprint: &str) -> Result<(), AppError> {
    let tx = state.db.begin().await?;
    let access = policy::practice(&*tx, who, Op::SignOffRecord, id).await?;
    let viewer = who.ok_or(AppError::SignInRequired)?;
    let draft = pending(&access.practice).ok_or(AppError::InvalidTransition)?;
    if draft.fingerprint() != fingerprint {
        return Err(AppError::StaleEdit);
    }
    publish(&*tx, &access.practice, &draft, Publisher::SignOff(viewer)).await?;
    tx.commit().await?;
    Ok(())
}

/// Takes a published record down; any pending text goes with it, so nobody can put it back
/// by signing off an old draft.
pub async fn unpublish(state: &AppState, who: Option<&Viewer>, id: i64) -> Result<(), AppError> {
    let tx = state.db.begin().await?;
    let access = policy::practice(&*tx, who, Op::Unpublish, id).await?;
    let viewer = who.ok_or(AppError::SignInRequired)?;
    let p = access.practice;
    if access.facts.status != PracticeStatus::Published {
        return Err(AppError::InvalidTransition);
    }
    take_down(&*tx, &p, PracticeStatus::Unpublished, "organiser").await?;
    repo::audit::record(
        &*tx,
        Actor { user_id: Some(viewer.id.0), label: &viewer.display_name },
        "archive.unpublished",
        p.edition_id,
        p.nomination_id,
        serde_json::json!({"practice": p.id}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn list_practices(
    state: &AppState,
    who: Option<&Viewer>,
) -> Result<Vec<(i64, String, String, PracticeStatus, bool)>, AppError> {
    policy::platform(who, Op::Organise)?;
    repo::archive::list_all(state.db.conn())
        .await?
        .into_iter()
        .take(500)
        .map(|p| Ok((p.id, p.slug.clone(), p.title.clone(), p.status, p.draft_json.is_some())))
        .collect()
}

/// The scope a record shows now: what it was published under, never wider than the consent.
pub fn shown_scope(p: &practice::Model, consent_scope: Option<ConsentScope>) -> ConsentScope {
    let published = ConsentScope::parse(&p.consent_scope).unwrap_or(ConsentScope::ArchiveAnonymised);
    consent_scope.map_or(published, |s| s.min(published))
}

/// Sections of a published record in reading order (for the public view).
pub fn public_sections(p: &practice::Model) -> Vec<(String, String)> {
    ordered_sections(p)
}
