//! What crosses the wire for feedback reports and their moderation. A report holds bands and
//! words only: no score, rank, other entry or reviewer appears in it.
use serde::{Deserialize, Serialize};

use crate::domain::category::CategoryKey;
use crate::domain::feedback::{Band, CommentState};
use crate::domain::ids::NominationId;
use crate::domain::nomination::Outcome;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeedbackCriterion {
    pub name_ja: String,
    pub name_en: String,
    /// None: the category had too few entries for bands, or this entry was not scored on it.
    pub band: Option<Band>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeedbackReport {
    pub nomination_id: NominationId,
    pub title: String,
    pub category: CategoryKey,
    pub edition_name_ja: String,
    pub edition_name_en: String,
    /// The outcome as published (an organiser's preview shows the decision being prepared).
    pub outcome: Outcome,
    /// The category had enough reviewed entries for bands.
    pub bands_shown: bool,
    pub criteria: Vec<FeedbackCriterion>,
    /// Comments an organiser has read and let through, as the nominee reads them.
    pub comments: Vec<String>,
    /// An organiser's preview before (or after) release, not the nominee's own view.
    pub preview: bool,
    /// Results are published: the nominee can read this.
    pub released: bool,
}

/// One reviewer comment to a nominee, as the organisers read it before release. The reviewer
/// is not named here either: the text is judged on its own.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModerationItem {
    pub assignment_id: i64,
    pub nomination_id: NominationId,
    pub title: String,
    pub category: CategoryKey,
    pub original: String,
    pub state: CommentState,
    pub edited: String,
    pub reason: String,
    /// Words from the dialogue rules' list found in the original (a hint, not a verdict).
    pub flagged: Vec<String>,
}

/// One reviewer's calibration, named (organisers only).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewerCalibrationView {
    pub name: String,
    pub c: crate::domain::calibration::ReviewerCalibration,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DisagreementView {
    pub nomination_id: NominationId,
    pub title: String,
    pub category: CategoryKey,
    pub d: crate::domain::calibration::Disagreement,
}

/// The calibration page of one round (organisers): see `domain::calibration`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CalibrationView {
    pub round: i32,
    pub rounds: Vec<i32>,
    pub panel_mean: Option<f64>,
    pub panel_spread: Option<f64>,
    pub reviewers: Vec<ReviewerCalibrationView>,
    /// The entries reviewers disagreed on most (at most `CALIBRATION_DISAGREEMENTS`).
    pub disagreements: Vec<DisagreementView>,
}

pub const CALIBRATION_DISAGREEMENTS: usize = 20;
