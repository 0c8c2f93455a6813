//! What the forum's pages receive: events and their programme, the registration form, a
//! registrant's own link page, and the organisers' views.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::forum::{
    Attendance, Choice, NewRegistration, QuestionStatus, RegStatus, SessionKind, VenueState, Window,
};
use crate::domain::validation::FieldError;

/// Japanese, and English where it was written (Japanese otherwise).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Both {
    pub ja: String,
    pub en: String,
}

impl Both {
    pub fn new(ja: &str, en: &str) -> Both {
        Both { ja: ja.into(), en: en.into() }
    }

    pub fn get(&self, ja: bool) -> &str {
        if ja || self.en.trim().is_empty() {
            &self.ja
        } else {
            &self.en
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventSummary {
    pub slug: String,
    pub title: Both,
    pub subtitle: Both,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub venue_name: String,
    pub upcoming: bool,
    pub window: Window,
    pub venue: VenueState,
    pub venue_full_at: Option<DateTime<Utc>>,
    pub online: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventList {
    pub upcoming: Vec<EventSummary>,
    pub past: Vec<EventSummary>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpeakerView {
    pub name: String,
    pub affiliation: String,
    pub role_title: String,
}

/// A practice a session presents, shown only while the record's consent allows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresentedPractice {
    pub slug: String,
    pub title: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    pub id: i64,
    pub kind: SessionKind,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub title: Both,
    pub subtitle: Both,
    pub theme: Both,
    pub speakers: Vec<SpeakerView>,
    pub practice: Option<PresentedPractice>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventView {
    pub summary: EventSummary,
    pub edition_name: String,
    pub reception_at: Option<DateTime<Utc>>,
    pub room: String,
    pub address: String,
    pub map_url: String,
    pub audience: Both,
    pub fee: Both,
    pub contact_name: String,
    pub contact_phone: String,
    pub contact_email: String,
    pub organisers: String,
    pub co_organisers: String,
    pub description_html: String,
    pub capacity: i32,
    pub seats_left: i32,
    pub waiting_list: bool,
    pub online_only_from: Option<DateTime<Utc>>,
    pub closes_at: Option<DateTime<Utc>>,
    pub questions_public: bool,
    pub sessions: Vec<SessionView>,
}

/// The registration form: what it offers now, and what the person typed if a form post
/// without JavaScript came back with problems.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationForm {
    pub event: EventSummary,
    pub capacity: i32,
    pub seats_left: i32,
    pub waiting_list: bool,
    pub municipalities: Vec<Choice>,
    pub affiliations: Vec<Choice>,
    pub prefill: NewRegistration,
    pub errors: Vec<FieldError>,
}

/// What `register_for_event` answers: where the confirmation is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registered {
    pub status: RegStatus,
    pub next: String,
}

/// A registrant's own page, reached from the mailed link.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationLinkView {
    pub event: EventSummary,
    pub name: String,
    pub status: RegStatus,
    pub attendance: Attendance,
    pub sessions: Vec<(i64, Both)>,
    pub questions_open: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationCounts {
    pub venue: u32,
    pub online: u32,
    pub waiting: u32,
    pub cancelled: u32,
    pub checked_in: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationRow {
    pub id: i64,
    pub status: RegStatus,
    pub name: String,
    pub furigana: String,
    pub phone: String,
    pub email: String,
    pub municipality: String,
    pub affiliation: String,
    pub needs: String,
    pub checked_in: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationList {
    pub event_id: i64,
    pub title: Both,
    pub starts_at: DateTime<Utc>,
    pub counts: RegistrationCounts,
    pub rows: Vec<RegistrationRow>,
    pub purged: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionRow {
    pub id: i64,
    pub session_id: Option<i64>,
    pub session_title: Option<Both>,
    pub body: String,
    /// The asker's name, only where they chose to show it.
    pub shown_name: Option<String>,
    pub status: QuestionStatus,
    pub merged_into: Option<i64>,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionBoard {
    pub event_id: i64,
    pub title: Both,
    pub sessions: Vec<(i64, Both)>,
    pub questions: Vec<QuestionRow>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventAdminView {
    pub id: i64,
    pub edition_id: i64,
    pub slug: String,
    pub published: bool,
    pub input: EventInput,
    pub counts: RegistrationCounts,
    pub online_link_sent_at: Option<DateTime<Utc>>,
    pub online_link_pending: u32,
    pub sessions: Vec<SessionView>,
    pub purged_at: Option<DateTime<Utc>>,
}

/// An event as organisers write it (times as Japan-time `YYYY-MM-DDTHH:MM`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EventInput {
    pub title_ja: String,
    pub title_en: String,
    pub subtitle_ja: String,
    pub subtitle_en: String,
    pub starts_at: String,
    pub ends_at: String,
    pub reception_at: String,
    pub venue_name: String,
    pub room: String,
    pub address: String,
    pub map_url: String,
    pub audience_ja: String,
    pub audience_en: String,
    pub fee_ja: String,
    pub fee_en: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub contact_email: String,
    pub organisers: String,
    pub co_organisers: String,
    pub description_md: String,
    pub capacity: String,
    #[serde(deserialize_with = "crate::domain::forum::checkbox")]
    pub waiting_list: bool,
    #[serde(deserialize_with = "crate::domain::forum::checkbox")]
    pub online: bool,
    pub online_only_from: String,
    pub registration_opens_at: String,
    pub registration_closes_at: String,
    #[serde(deserialize_with = "crate::domain::forum::checkbox")]
    pub questions_public: bool,
    pub online_link: String,
    pub retention_days: String,
    #[serde(deserialize_with = "crate::domain::forum::checkbox")]
    pub published: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SessionInput {
    pub kind: String,
    pub starts_at: String,
    pub ends_at: String,
    pub title_ja: String,
    pub title_en: String,
    pub subtitle_ja: String,
    pub theme_ja: String,
    /// One speaker per line: `name / affiliation / title`.
    pub speakers: String,
    /// The public record presented (its address `…/practices/<slug>` or the slug).
    pub practice: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganiserEventRow {
    pub id: i64,
    pub slug: String,
    pub title: Both,
    pub starts_at: DateTime<Utc>,
    pub published: bool,
    pub counts: RegistrationCounts,
}
