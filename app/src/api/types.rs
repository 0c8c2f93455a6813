//! Wire types shared by server functions and pages (`*Summary`, `*Detail`, `*View`).
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::category::{CategoryKey, Question};
use crate::domain::consent::{ConsentScope, ConsentState, ConsentStatus};
use crate::domain::edition::{EditionMode, StageKind};
use crate::domain::ids::{AttachmentId, CategoryId, EditionId, NominationId};
use crate::domain::nomination::{NominationInput, NominationStatus, NominatorStatus, Screening};
use crate::i18n::Locale;

fn pick<'a>(locale: Locale, ja: &'a str, en: &'a str) -> &'a str {
    match locale {
        Locale::Ja => ja,
        Locale::En if en.trim().is_empty() => ja,
        Locale::En => en,
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EditionSummary {
    pub id: EditionId,
    pub slug: String,
    pub name_ja: String,
    pub name_en: String,
    pub mode: EditionMode,
    pub year_label: String,
    pub stage: StageKind,
    pub round: i32,
    pub nominations_open_at: Option<DateTime<Utc>>,
    pub nominations_close_at: Option<DateTime<Utc>>,
    pub open_now: bool,
    pub results_published: bool,
    pub is_past: bool,
}

impl EditionSummary {
    pub fn name(&self, locale: Locale) -> &str {
        pick(locale, &self.name_ja, &self.name_en)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryView {
    pub id: CategoryId,
    pub key: CategoryKey,
    pub name_ja: String,
    pub name_en: String,
    pub guidance_ja: String,
    pub guidance_en: String,
    pub questions: Vec<Question>,
}

impl CategoryView {
    pub fn name(&self, locale: Locale) -> &str {
        pick(locale, &self.name_ja, &self.name_en)
    }
    pub fn guidance(&self, locale: Locale) -> &str {
        pick(locale, &self.guidance_ja, &self.guidance_en)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentEventView {
    pub to: ConsentStatus,
    pub scope: Option<ConsentScope>,
    pub actor: String,
    pub at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentView {
    pub state: ConsentState,
    pub self_nomination: bool,
    pub recorded_at: Option<DateTime<Utc>>,
    pub recorded_by: Option<String>,
    pub history: Vec<ConsentEventView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentView {
    pub id: AttachmentId,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NominationDetail {
    pub id: NominationId,
    pub edition: EditionSummary,
    pub category: CategoryView,
    pub status: NominationStatus,
    pub shown_status: NominatorStatus,
    pub version: i32,
    pub input: NominationInput,
    /// (section key, stored sanitised HTML), in reading order.
    pub sections_html: Vec<(String, String)>,
    pub attachments: Vec<AttachmentView>,
    pub consent: ConsentView,
    pub nominator_name: String,
    /// Only organisers see the nominator's address.
    pub nominator_email: Option<String>,
    pub is_owner: bool,
    pub can_edit: bool,
    pub can_submit: bool,
    pub can_withdraw: bool,
    pub can_request_consent: bool,
    pub deadline: Option<DateTime<Utc>>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    pub dialogue_ack_at: Option<DateTime<Utc>>,
    pub screening: Screening,
    /// Shown to the nominator when organisers ask for more information.
    pub screening_note: String,
    pub amend_until: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NominationSummary {
    pub id: NominationId,
    pub title: String,
    pub edition_name_ja: String,
    pub edition_name_en: String,
    pub category: CategoryKey,
    pub category_name_ja: String,
    pub category_name_en: String,
    pub status: NominationStatus,
    pub shown_status: NominatorStatus,
    pub screening: Screening,
    pub consent: ConsentStatus,
    pub nominee_name: String,
    pub nominator_name: String,
    pub updated_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub deadline: Option<DateTime<Utc>>,
    pub can_edit: bool,
}

impl NominationSummary {
    pub fn category_name(&self, locale: Locale) -> &str {
        pick(locale, &self.category_name_ja, &self.category_name_en)
    }
    pub fn edition_name(&self, locale: Locale) -> &str {
        pick(locale, &self.edition_name_ja, &self.edition_name_en)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaveResult {
    pub version: i32,
    pub saved_at: DateTime<Utc>,
}

/// What the featured person sees through their consent link (no account needed).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConsentRequestView {
    pub purpose: String,
    pub title: String,
    pub nominee_name: String,
    pub summary: String,
    pub sections_html: Vec<(String, String)>,
    pub category_name_ja: String,
    pub category_name_en: String,
    pub edition_name_ja: String,
    pub edition_name_en: String,
    pub nominator_name: String,
    pub state: ConsentState,
    pub expires_at: DateTime<Utc>,
}
