//! Wire types: what crosses between server and browser (`*Summary`, `*Detail`, `*View`) and the
//! `Viewer`. Depends only on `domain`, so server functions, services and pages share them without
//! importing one another.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::account::Role;
use crate::domain::category::{CategoryKey, Question};
use crate::domain::consent::{ConsentScope, ConsentState, ConsentStatus};
use crate::domain::edition::{EditionMode, StageKind};
use crate::domain::ids::{AttachmentId, CategoryId, EditionId, NominationId, UserId};
use crate::domain::nomination::{NominationInput, NominationStatus, NominatorStatus, Screening};
use crate::i18n::Locale;

pub mod account;
pub mod feedback;
pub mod forum;

/// The signed-in person, as pages see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    pub role: Role,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountSummary {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub created_at: DateTime<Utc>,
}

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
    /// The edition's deadline, or this nomination's extension when later.
    pub deadline: Option<DateTime<Utc>>,
    /// Until when an organiser granted more time.
    pub extended_until: Option<DateTime<Utc>>,
    /// The latest request for more time (its reason only to its nominator and organisers).
    pub extension: Option<ExtensionView>,
    pub can_request_extension: bool,
    pub can_decide_extension: bool,
    pub submitted_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    pub dialogue_ack_at: Option<DateTime<Utc>>,
    pub screening: Screening,
    /// Submitted, but the featured person has not consented (at least to review): no reviewer
    /// sees it yet, and the nominator is told so kindly.
    pub waiting_for_consent: bool,
    /// Shown to the nominator when organisers ask for more information.
    pub screening_note: String,
    pub amend_until: Option<DateTime<Utc>>,
}

/// A request for more time, as its nominator and organisers see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExtensionView {
    pub id: i64,
    pub nomination_id: NominationId,
    pub title: String,
    pub reason: String,
    pub wanted_until: DateTime<Utc>,
    pub status: crate::domain::pace::ExtensionStatus,
    pub granted_until: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
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

// Review ---------------------------------------------------------------------------------------

use crate::domain::nomination::Outcome;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CriterionView {
    pub id: i64,
    pub name_ja: String,
    pub name_en: String,
    pub description_ja: String,
    pub description_en: String,
    pub weight: f64,
    /// Labels for each scale point, lowest first: (日本語, English).
    pub anchors: Vec<(String, String)>,
    pub comment_required: bool,
}

impl CriterionView {
    pub fn name(&self, locale: Locale) -> &str {
        pick(locale, &self.name_ja, &self.name_en)
    }
    pub fn description(&self, locale: Locale) -> &str {
        pick(locale, &self.description_ja, &self.description_en)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RubricView {
    pub id: i64,
    pub round: i32,
    /// `None` for the edition's common rubric.
    pub category: Option<CategoryKey>,
    pub scale_min: i32,
    pub scale_max: i32,
    pub criteria: Vec<CriterionView>,
    pub locked: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SheetStatus {
    NotStarted,
    Draft,
    Submitted,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueueItem {
    pub assignment_id: i64,
    pub nomination_id: NominationId,
    pub title: String,
    pub category_name_ja: String,
    pub category_name_en: String,
    pub edition_name_ja: String,
    pub edition_name_en: String,
    pub round: i32,
    pub status: SheetStatus,
    pub can_edit: bool,
    /// The reviewer paused it.
    pub paused: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewerQueue {
    pub items: Vec<QueueItem>,
    pub submitted: usize,
    pub total: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PeerSheet {
    pub label: String,
    pub total: Option<f64>,
    pub scores: Vec<Option<i32>>,
    pub comment_to_nominee: String,
}

/// What a reviewer sees of a nomination: blind mode removes the nominator's identity and every
/// field marked personal.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewSheet {
    pub assignment_id: i64,
    pub round: i32,
    pub edition_name_ja: String,
    pub edition_name_en: String,
    pub blind: bool,
    pub category: CategoryView,
    pub title: String,
    pub nominee_name: String,
    pub nominee_type: String,
    pub region: String,
    pub summary: String,
    pub sections_html: Vec<(String, String)>,
    pub links: Vec<String>,
    /// (question, answer) for questions not marked personal (or all, when not blind).
    pub answers: Vec<(Question, String)>,
    pub attachments: Vec<AttachmentView>,
    pub nominator_name: Option<String>,
    pub rubric: RubricView,
    pub scores: Vec<(i64, Option<i32>)>,
    pub internal_comment: String,
    pub comment_to_nominee: String,
    pub status: SheetStatus,
    pub can_edit: bool,
    /// The reviewer paused it; `can_pace`: they may pause, resume or hand it back now.
    pub paused: bool,
    pub can_pace: bool,
    pub peers: Option<Vec<PeerSheet>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RankingRow {
    pub nomination_id: NominationId,
    pub title: String,
    pub category: CategoryKey,
    pub raw_mean: Option<f64>,
    pub normalised_mean: Option<f64>,
    pub reviews: usize,
    pub assigned: usize,
    pub spread: Option<f64>,
    pub disagreement: bool,
    pub incomplete: bool,
    pub any_raw_used: bool,
    pub rank: Option<usize>,
    pub shortlisted: bool,
    pub outcome: Outcome,
    pub criterion_means: Vec<Option<f64>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewerStatView {
    pub name: String,
    pub count: usize,
    pub mean: Option<f64>,
    pub spread: Option<f64>,
    pub normalised: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CategoryTotal {
    pub category: CategoryKey,
    pub total: usize,
    pub shown: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RankingView {
    pub edition: EditionSummary,
    pub round: i32,
    pub rounds: Vec<i32>,
    pub categories: Vec<CategoryView>,
    pub criteria: Vec<CriterionView>,
    /// The rows shown (see `service::results::ranking`), category by category in rank order.
    pub rows: Vec<RankingRow>,
    /// Per category shown: how many entries it has and how many of them are in `rows`.
    pub totals: Vec<CategoryTotal>,
    /// The category opened in full, if any.
    pub focus: Option<CategoryKey>,
    pub reviewers: Vec<ReviewerStatView>,
    pub outcomes: Vec<Outcome>,
    pub can_decide: bool,
    pub can_publish: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PanelMemberView {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub cap: Option<i32>,
    pub load: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConflictView {
    pub nomination_id: NominationId,
    pub title: String,
    pub reviewer: String,
    pub source: String,
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PanelsView {
    pub edition: EditionSummary,
    pub panels: Vec<(CategoryView, Vec<PanelMemberView>)>,
    pub pending_invitations: Vec<(String, DateTime<Utc>)>,
    pub conflicts: Vec<ConflictView>,
    /// (id, title) of submitted nominations, for recording known conflicts.
    pub nominations: Vec<(NominationId, String)>,
    /// (id, name) of every reviewer on a panel.
    pub reviewers: Vec<(i64, String)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AssignmentRow {
    pub nomination_id: NominationId,
    pub title: String,
    pub category: CategoryKey,
    /// (assignment id, reviewer name, sheet status)
    pub reviewers: Vec<(i64, String, SheetStatus)>,
    /// Reviewers of the panel who could still be added: (user id, name).
    pub available: Vec<(i64, String)>,
    pub gap: usize,
    /// Assignment ids the reviewer paused.
    pub paused: Vec<i64>,
    /// Reviewers who handed it back this round, with their optional note.
    pub returned: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AssignmentBoard {
    pub edition: EditionSummary,
    pub round: i32,
    pub k: usize,
    pub rows: Vec<AssignmentRow>,
    pub loads: Vec<(String, usize, Option<i32>)>,
    /// Eligible entries no reviewer sees yet: the featured person has not consented to review.
    pub waiting_for_consent: Vec<(NominationId, String)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditEntryView {
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub nomination_id: Option<i64>,
    pub detail: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StageView {
    pub kind: StageKind,
    pub round: i32,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EditionSettings {
    pub edition: EditionSummary,
    pub blind_review: bool,
    pub show_peer_scores: bool,
    pub reviewers_per_nomination: i32,
    pub min_scored_for_normalisation: i32,
    pub disagreement_threshold: f64,
    pub stages: Vec<StageView>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvitationView {
    pub edition_name_ja: String,
    pub edition_name_en: String,
    pub email: String,
    pub categories: Vec<(String, String)>,
    pub has_account: bool,
}

// Form inputs (shared by the forms and the server) ---------------------------------------------

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewEditionInput {
    pub slug: String,
    pub name_ja: String,
    pub name_en: String,
    pub mode: String,
    pub year_label: String,
    pub start_year: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SettingsInput {
    pub blind_review: Option<String>,
    pub show_peer_scores: Option<String>,
    pub reviewers_per_nomination: String,
    pub min_scored_for_normalisation: String,
    pub disagreement_threshold: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewCriterionInput {
    pub name_ja: String,
    pub name_en: String,
    pub description_ja: String,
    pub description_en: String,
    pub weight: String,
    /// One label per scale point, lowest first: `日本語 | English` per line.
    pub anchors: String,
    pub comment_required: Option<String>,
}

// Archive --------------------------------------------------------------------------------------

use crate::domain::archive::{BadgeKind, PracticeStatus};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BadgeView {
    pub kind: BadgeKind,
    pub edition_label: String,
    pub year: i32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PracticeCard {
    pub id: i64,
    pub slug: String,
    pub title: String,
    /// Escaped HTML with `<mark>` around the query's words.
    pub snippet_html: String,
    pub category: CategoryKey,
    pub region: String,
    pub edition_label: String,
    pub year: i32,
    pub badges: Vec<BadgeView>,
    pub published_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetValue {
    pub key: String,
    pub label_ja: String,
    pub label_en: String,
    pub count: usize,
    pub selected: bool,
}

impl FacetValue {
    pub fn label(&self, locale: Locale) -> &str {
        pick(locale, &self.label_ja, &self.label_en)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facet {
    pub name: String,
    pub values: Vec<FacetValue>,
}

/// The archive's query string.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ArchiveFilters {
    pub q: String,
    pub category: String,
    pub edition: String,
    pub region: String,
    pub industry: String,
    pub size: String,
    pub tag: String,
    pub badge: String,
    pub page: usize,
    /// 0 means the default page size.
    pub per_page: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ArchiveResults {
    pub total: usize,
    pub page: usize,
    pub per_page: usize,
    pub pages: usize,
    pub items: Vec<PracticeCard>,
    pub facets: Vec<Facet>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PracticeView {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub summary: String,
    /// Only under "archive with names".
    pub nominee_name: Option<String>,
    pub category: CategoryKey,
    pub region: String,
    pub industry: String,
    pub org_size: String,
    pub sections: Vec<(String, String)>,
    pub tags: Vec<String>,
    pub badges: Vec<BadgeView>,
    pub related: Vec<PracticeCard>,
    pub published_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    /// Forum events (published) where it was presented: address, title, date.
    pub presented_at: Vec<(String, String, DateTime<Utc>)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ArchiveCandidate {
    pub nomination_id: NominationId,
    pub title: String,
    pub edition_name_ja: String,
    pub edition_name_en: String,
    pub outcome: crate::domain::nomination::Outcome,
    pub consent: ConsentState,
    pub practice: Option<(i64, PracticeStatus)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PracticeSectionEdit {
    pub key: String,
    /// The text reviewers saw (sanitised HTML), empty for imported records.
    pub reviewed_html: String,
    /// The editable public text (Markdown).
    pub public_source: String,
    /// Word-level differences between the reviewed and the public text, as HTML.
    pub diff_html: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PracticeEditView {
    pub id: i64,
    pub slug: String,
    pub status: PracticeStatus,
    pub has_pending_changes: bool,
    pub nomination_id: Option<i64>,
    pub consent_scope: String,
    pub consent_allows: bool,
    pub nominee_name: String,
    pub title: String,
    pub summary: String,
    pub tags: String,
    pub sections: Vec<PracticeSectionEdit>,
    pub prepared_by: Option<String>,
    pub signed_off_by: Option<String>,
    /// Somebody other than whoever prepared the pending text may sign it off.
    pub can_sign_off: bool,
    /// Fingerprint of the pending text: a sign-off approves exactly this text.
    pub fingerprint: String,
}

/// A pending public text as the person signing it off reads it (sanitised HTML, as published).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SignOffView {
    pub id: i64,
    pub title: String,
    pub summary: String,
    pub tags: Vec<String>,
    /// (section key, sanitised HTML), in reading order.
    pub sections: Vec<(String, String)>,
    /// Shown only when the consent allows names.
    pub nominee_name: Option<String>,
    pub consent_scope: String,
    pub consent_allows: bool,
    pub edition_name_ja: String,
    pub edition_name_en: String,
    pub category: CategoryKey,
    pub prepared_by: Option<String>,
    pub fingerprint: String,
}

/// A public text waiting for sign-off that this person may approve.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PendingSignOff {
    pub id: i64,
    pub title: String,
    pub edition_name_ja: String,
    pub edition_name_en: String,
    pub category: CategoryKey,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewQuestionInput {
    pub kind: String,
    pub label_ja: String,
    pub label_en: String,
    pub help_ja: String,
    pub help_en: String,
    pub options: String,
    pub required: Option<String>,
    pub personal: Option<String>,
}
