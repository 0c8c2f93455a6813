//! The one path by which a record goes public (sign-off and import alike), and the one path by
//! which it follows its consent afterwards: narrowed, it is re-rendered and re-indexed without
//! the name; lost, it leaves every public surface — in the same transaction as the change.
use std::collections::BTreeMap;

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait};

use super::index::index_record;
use crate::domain::archive::{public_text_names, PracticeStatus};
use crate::domain::consent::{ConsentScope, ConsentState};
use crate::domain::nomination::SECTIONS;
use crate::domain::validation::{FieldError, Problem};
use crate::error::AppError;
use crate::server::entities::practice;
use crate::server::{policy, repo, repo::audit::Actor, sanitize};
use crate::wire::Viewer;

/// A public text as organisers edit it before it goes live.
#[derive(serde::Serialize, serde::Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct PracticeDraft {
    pub title: String,
    pub summary: String,
    pub tags: String,
    pub sections: BTreeMap<String, String>,
}

impl PracticeDraft {
    /// Tags as the public sees them: split on commas (ASCII or Japanese), trimmed, at most 20.
    pub fn tag_list(&self) -> Vec<String> {
        self.tags.split([',', '、']).map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).take(20).collect()
    }

    /// A fingerprint of the text, so a sign-off approves exactly the text that was shown.
    pub fn fingerprint(&self) -> String {
        use sha2::{Digest, Sha256};
        hex::encode(&Sha256::digest(serde_json::to_vec(self).unwrap_or_default())[..12])
    }
}

#[derive(serde::Deserialize, serde::Serialize, Default, Clone)]
pub(super) struct PublicSection {
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub html: String,
}

pub(super) fn sections_of(p: &practice::Model) -> BTreeMap<String, PublicSection> {
    serde_json::from_str(&p.sections_json).unwrap_or_default()
}

pub(super) fn ordered_sections(p: &practice::Model) -> Vec<(String, String)> {
    let s = sections_of(p);
    SECTIONS
        .iter()
        .filter_map(|(k, _)| s.get(*k).filter(|x| !x.html.is_empty()).map(|x| (k.to_string(), x.html.clone())))
        .collect()
}

/// Who publishes: the person who signed off, or the operator's import.
#[derive(Clone, Copy)]
pub enum Publisher<'a> {
    SignOff(&'a Viewer),
    Import,
}

/// Makes `draft` the live text of `p` and publishes it — the only place a record goes public.
/// Refused without consent that reaches the archive, and for an anonymised record whose text
/// or tags contain the hidden name.
pub async fn publish<C: ConnectionTrait>(
    c: &C,
    p: &practice::Model,
    draft: &PracticeDraft,
    by: Publisher<'_>,
) -> Result<practice::Model, AppError> {
    let consent = policy::record_consent(c, p).await?;
    if !consent.allows_archive() {
        return Err(AppError::ConsentMissing);
    }
    let scope = consent.scope.unwrap_or(ConsentScope::ArchiveAnonymised);
    let tags = draft.tag_list();
    let sections: BTreeMap<String, PublicSection> = draft
        .sections
        .iter()
        .filter(|(k, v)| SECTIONS.iter().any(|(s, _)| s == k) && !v.trim().is_empty())
        .map(|(k, v)| (k.clone(), PublicSection { source: v.clone(), html: sanitize::render_markdown(v) }))
        .collect();
    if scope == ConsentScope::ArchiveAnonymised
        && public_text_names(
            &p.nominee_name,
            &draft.title,
            &draft.summary,
            draft.sections.values().map(String::as_str),
            &tags,
        )
    {
        return Err(AppError::Validation(vec![FieldError::new("summary", Problem::NameInPublicText)]));
    }
    let now = Utc::now();
    let mut am: practice::ActiveModel = p.clone().into();
    am.title = Set(draft.title.trim().to_string());
    am.summary = Set(draft.summary.trim().to_string());
    am.sections_json = Set(serde_json::to_string(&sections).unwrap_or_default());
    am.draft_json = Set(None);
    am.consent_scope = Set(scope.key().to_string());
    am.photos = Set(consent.photos);
    am.status = Set(PracticeStatus::Published);
    am.signed_off_by = Set(match by {
        Publisher::SignOff(v) => Some(v.id.0),
        Publisher::Import => None,
    });
    am.signed_off_at = Set(Some(now));
    if p.published_at.is_none() {
        am.published_at = Set(Some(now));
    }
    am.gone_at = Set(None);
    am.gone_reason = Set(None);
    am.updated_at = Set(now);
    let updated = am.update(c).await?;
    repo::archive::set_tags(c, p.id, &tags).await?;
    index_record(c, &updated, &tags).await?;
    repo::archive::bump_version(c).await?;
    let (user_id, label) = match by {
        Publisher::SignOff(v) => (Some(v.id.0), v.display_name.as_str()),
        Publisher::Import => (None, "import"),
    };
    repo::audit::record(
        c,
        Actor { user_id, label },
        "archive.published",
        p.edition_id,
        p.nomination_id,
        serde_json::json!({"practice": p.id, "scope": scope.key(), "photos": consent.photos}),
    )
    .await?;
    Ok(updated)
}

/// Takes a record off every public surface: status, search index, version (so every cache in
/// every process drops it).
pub(super) async fn take_down<C: ConnectionTrait>(
    c: &C,
    p: &practice::Model,
    status: PracticeStatus,
    reason: &str,
) -> Result<(), AppError> {
    let mut am: practice::ActiveModel = p.clone().into();
    am.status = Set(status);
    am.draft_json = Set(None);
    am.gone_at = Set(Some(Utc::now()));
    am.gone_reason = Set(Some(reason.into()));
    am.updated_at = Set(Utc::now());
    am.update(c).await?;
    repo::archive::unindex(c, p.id).await?;
    repo::archive::bump_version(c).await?;
    Ok(())
}

/// Called in every consent change's own transaction: the public record (if any) follows the
/// consent as it is now.
/// - Consent no longer reaches the archive: the record is withdrawn (410 everywhere); a text
///   still in preparation is withdrawn when the consent it had is lost.
/// - Narrowed (named → anonymised, photos withdrawn): the public version is re-rendered and
///   re-indexed without the name; if its own text names the person, it is taken down until
///   organisers prepare an anonymised text (it cannot stay up with the name in it).
/// - Widened: nothing changes until organisers prepare and a second person signs off again.
pub async fn follow_consent<C: ConnectionTrait>(
    c: &C,
    nomination_id: i64,
    before: ConsentState,
    now: ConsentState,
) -> Result<(), AppError> {
    let Some(p) = repo::archive::find_by_nomination(c, nomination_id).await? else {
        return Ok(());
    };
    let status = p.status;
    if status.is_gone() {
        return Ok(());
    }
    let audit = |action: &'static str, detail: serde_json::Value| {
        repo::audit::record(
            c,
            Actor { user_id: None, label: "consent" },
            action,
            p.edition_id,
            Some(nomination_id),
            detail,
        )
    };
    // A text still being prepared is checked against the consent when it is published; only a
    // consent that is lost (withdrawn) takes it away now.
    let lost = if status == PracticeStatus::Published {
        !now.allows_archive()
    } else {
        before.allows_archive() && !now.allows_archive()
    };
    if lost {
        take_down(c, &p, PracticeStatus::Withdrawn, "consent").await?;
        audit("archive.withdrawn", serde_json::json!({"practice": p.id})).await?;
        return Ok(());
    }
    if status != PracticeStatus::Published {
        return Ok(());
    }
    let published = ConsentScope::parse(&p.consent_scope).unwrap_or(ConsentScope::ArchiveAnonymised);
    let scope = now.scope.map_or(published, |s| s.min(published));
    let photos = p.photos && now.photos;
    if scope == published && photos == p.photos {
        return Ok(());
    }
    let tags = repo::archive::tags_of(c, p.id).await?;
    let sections = sections_of(&p);
    if scope == ConsentScope::ArchiveAnonymised
        && public_text_names(&p.nominee_name, &p.title, &p.summary, sections.values().map(|s| s.source.as_str()), &tags)
    {
        take_down(c, &p, PracticeStatus::Unpublished, "consent_narrowed").await?;
        audit("archive.unpublished", serde_json::json!({"practice": p.id, "reason": "consent_narrowed"})).await?;
        return Ok(());
    }
    let mut am: practice::ActiveModel = p.clone().into();
    am.consent_scope = Set(scope.key().to_string());
    am.photos = Set(photos);
    am.updated_at = Set(Utc::now());
    let updated = am.update(c).await?;
    index_record(c, &updated, &tags).await?;
    repo::archive::bump_version(c).await?;
    audit("archive.narrowed", serde_json::json!({"practice": p.id, "scope": scope.key(), "photos": photos})).await?;
    Ok(())
}
