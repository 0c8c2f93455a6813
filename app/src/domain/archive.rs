//! Archive rules: badges, the life of a public record, readable stable slugs, and what an
//! imported record must contain.
use serde::{Deserialize, Serialize};

use super::category::CategoryKey;
use super::consent::ConsentScope;
use super::nomination::{Outcome, SECTION_MAX, SUMMARY_MAX, TITLE_MAX};
use super::region::region_key;
use super::validation::{char_len, FieldError, Problem};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum BadgeKind {
    GrandPrize,
    Excellence,
    Special,
    Certified,
}

impl BadgeKind {
    pub const ALL: [BadgeKind; 4] =
        [BadgeKind::GrandPrize, BadgeKind::Excellence, BadgeKind::Special, BadgeKind::Certified];

    pub fn key(self) -> &'static str {
        match self {
            BadgeKind::GrandPrize => "grand_prize",
            BadgeKind::Excellence => "excellence",
            BadgeKind::Special => "special",
            BadgeKind::Certified => "certified",
        }
    }

    pub fn parse(key: &str) -> Option<BadgeKind> {
        BadgeKind::ALL.into_iter().find(|b| b.key() == key)
    }

    pub fn from_outcome(o: Outcome) -> Option<BadgeKind> {
        match o {
            Outcome::Certified => Some(BadgeKind::Certified),
            Outcome::GrandPrize => Some(BadgeKind::GrandPrize),
            Outcome::Excellence => Some(BadgeKind::Excellence),
            Outcome::Special => Some(BadgeKind::Special),
            _ => None,
        }
    }

    pub fn is_award(self) -> bool {
        self != BadgeKind::Certified
    }

    pub fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PracticeStatus {
    /// Prepared, waiting for a second person's sign-off.
    Draft,
    Published,
    /// Taken down by an organiser: the URL answers 410.
    Unpublished,
    /// Consent withdrawn: the URL answers 410.
    Withdrawn,
}

impl PracticeStatus {
    pub fn key(self) -> &'static str {
        match self {
            PracticeStatus::Draft => "draft",
            PracticeStatus::Published => "published",
            PracticeStatus::Unpublished => "unpublished",
            PracticeStatus::Withdrawn => "withdrawn",
        }
    }
    pub fn parse(key: &str) -> Option<PracticeStatus> {
        [PracticeStatus::Draft, PracticeStatus::Published, PracticeStatus::Unpublished, PracticeStatus::Withdrawn]
            .into_iter()
            .find(|s| s.key() == key)
    }
    pub fn is_gone(self) -> bool {
        matches!(self, PracticeStatus::Unpublished | PracticeStatus::Withdrawn)
    }
}

/// `42-corporate-saitama`: the id keeps it stable and unique, the words keep it readable.
pub fn slug(id: i64, category: &str, region: &str) -> String {
    let clean = |s: &str| s.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect::<String>();
    format!("{id}-{}-{}", clean(category), clean(region))
}

/// The id at the front of a slug, so an old or shortened link still finds its record.
pub fn id_from_slug(slug: &str) -> Option<i64> {
    slug.split('-').next()?.parse().ok()
}

/// One line of an import file (`server import-practices FILE.jsonl`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportRecord {
    pub title: String,
    pub category: String,
    pub region: String,
    pub edition: String,
    pub year: i32,
    pub summary: String,
    #[serde(default)]
    pub background: String,
    #[serde(default)]
    pub practice: String,
    #[serde(default)]
    pub challenges: String,
    #[serde(default)]
    pub outcomes: String,
    #[serde(default)]
    pub lessons: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub badges: Vec<String>,
    pub consent_scope: String,
    #[serde(default)]
    pub nominee_name: String,
}

pub const TAG_MAX: usize = 40;

/// Every problem of one line, naming its fields. Only archive scopes are accepted: an import is
/// published, so the organiser's record of consent must reach the archive.
pub fn validate_import(r: &ImportRecord) -> Vec<FieldError> {
    let mut errors = vec![];
    let mut push = |f: &str, p: Problem| errors.push(FieldError::new(f, p));
    if r.title.trim().is_empty() {
        push("title", Problem::Required);
    } else if char_len(&r.title) > TITLE_MAX {
        push("title", Problem::TooLong { max: TITLE_MAX });
    }
    if CategoryKey::parse(r.category.trim()).is_none() {
        push("category", Problem::InvalidChoice);
    }
    if region_key(&r.region).is_none() {
        push("region", Problem::InvalidChoice);
    }
    if r.edition.trim().is_empty() {
        push("edition", Problem::Required);
    }
    if !(2000..=2100).contains(&r.year) {
        push("year", Problem::OutOfRange { min: 2000, max: 2100 });
    }
    if r.summary.trim().is_empty() {
        push("summary", Problem::Required);
    } else if char_len(&r.summary) > SUMMARY_MAX {
        push("summary", Problem::TooLong { max: SUMMARY_MAX });
    }
    for (k, v) in [
        ("background", &r.background),
        ("practice", &r.practice),
        ("challenges", &r.challenges),
        ("outcomes", &r.outcomes),
        ("lessons", &r.lessons),
    ] {
        if char_len(v) > SECTION_MAX {
            push(k, Problem::TooLong { max: SECTION_MAX });
        }
    }
    if r.practice.trim().is_empty() && r.background.trim().is_empty() {
        push("practice", Problem::Required);
    }
    if r.tags.len() > 20 || r.tags.iter().any(|t| t.trim().is_empty() || char_len(t) > TAG_MAX) {
        push("tags", Problem::InvalidChoice);
    }
    if r.badges.iter().any(|b| BadgeKind::parse(b).is_none()) {
        push("badges", Problem::InvalidChoice);
    }
    match ConsentScope::parse(&r.consent_scope) {
        Some(ConsentScope::ArchiveNamed | ConsentScope::ArchiveAnonymised) => {}
        _ => push("consent_scope", Problem::InvalidChoice),
    }
    if char_len(&r.nominee_name) > 100 {
        push("nominee_name", Problem::TooLong { max: 100 });
    }
    if ConsentScope::parse(&r.consent_scope) == Some(ConsentScope::ArchiveAnonymised) {
        let sections = [&r.background, &r.practice, &r.challenges, &r.outcomes, &r.lessons];
        if public_text_names(&r.nominee_name, &r.title, &r.summary, sections.iter().map(|s| s.as_str()), &r.tags) {
            push("nominee_name", Problem::NameInPublicText);
        }
    }
    errors
}

/// Does any public part of a record (title, summary, sections, tags) contain `name`? The one
/// guard for anonymised records, whichever way they are published.
pub fn public_text_names<'a>(
    name: &str,
    title: &'a str,
    summary: &'a str,
    sections: impl IntoIterator<Item = &'a str>,
    tags: &'a [String],
) -> bool {
    let mut texts: Vec<&str> = vec![title, summary];
    texts.extend(sections);
    texts.extend(tags.iter().map(String::as_str));
    name_leaks(name, &texts)
}

/// An anonymised record must not carry the name it hides.
pub fn name_leaks(name: &str, texts: &[&str]) -> bool {
    let name = name.trim();
    if char_len(name) < 2 {
        return false;
    }
    let compact: String = name.split_whitespace().collect();
    texts.iter().any(|t| {
        t.contains(name) || (!compact.is_empty() && t.split_whitespace().collect::<String>().contains(&compact))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> ImportRecord {
        ImportRecord {
            title: "在宅勤務の導入".into(),
            category: "corporate".into(),
            region: "埼玉県".into(),
            edition: "CONFERENCE 2025–2026".into(),
            year: 2025,
            summary: "概要".into(),
            practice: "実践".into(),
            tags: vec!["在宅勤務".into()],
            badges: vec!["certified".into()],
            consent_scope: "archive_named".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_good_record_passes() {
        assert!(validate_import(&record()).is_empty());
    }

    #[test]
    fn bad_lines_name_their_fields() {
        let mut r = record();
        r.category = "sports".into();
        r.region = "Atlantis".into();
        r.year = 1900;
        r.badges = vec!["gold".into()];
        r.consent_scope = "review_only".into();
        r.summary = "x".repeat(401);
        let fields: Vec<_> = validate_import(&r).into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["category", "region", "year", "summary", "badges", "consent_scope"]);
    }

    #[test]
    fn unknown_fields_are_refused_by_the_parser() {
        let line = r#"{"title":"t","category":"people","region":"tokyo","edition":"e","year":2025,"summary":"s","practice":"p","consent_scope":"archive_named","colour":"red"}"#;
        assert!(serde_json::from_str::<ImportRecord>(line).is_err());
    }

    #[test]
    fn slugs_are_readable_stable_and_lead_back_to_the_id() {
        let s = slug(42, "corporate", "saitama");
        assert_eq!(s, "42-corporate-saitama");
        assert_eq!(id_from_slug(&s), Some(42));
        assert_eq!(id_from_slug("nonsense"), None);
    }

    #[test]
    fn badges_follow_outcomes() {
        assert_eq!(BadgeKind::from_outcome(Outcome::Certified), Some(BadgeKind::Certified));
        assert_eq!(BadgeKind::from_outcome(Outcome::NotSelected), None);
        assert!(BadgeKind::GrandPrize.is_award() && !BadgeKind::Certified.is_award());
    }

    #[test]
    fn an_anonymised_import_naming_its_person_is_refused() {
        let mut r = record();
        r.consent_scope = "archive_anonymised".into();
        r.nominee_name = "山本 さくら".into();
        assert!(validate_import(&r).is_empty());
        for (field, leak) in
            [("summary", "山本さくらさんの工夫"), ("practice", "本人(山本 さくら)は"), ("tags", "山本さくら")]
        {
            let mut bad = r.clone();
            match field {
                "summary" => bad.summary = leak.into(),
                "practice" => bad.practice = leak.into(),
                _ => bad.tags = vec![leak.into()],
            }
            let errors = validate_import(&bad);
            assert!(
                errors.iter().any(|e| e.field == "nominee_name" && e.problem == Problem::NameInPublicText),
                "{field}"
            );
        }
        // Named records may name, of course.
        let mut named = r.clone();
        named.consent_scope = "archive_named".into();
        named.summary = "山本さくらさんの工夫".into();
        assert!(validate_import(&named).is_empty());
    }

    #[test]
    fn hidden_names_are_caught_in_the_text() {
        assert!(name_leaks("山本 さくら", &["山本さくらさんは…"]));
        assert!(name_leaks("山本 さくら", &["本人(山本 さくら)"]));
        assert!(!name_leaks("山本 さくら", &["本人は…"]));
        assert!(!name_leaks("", &["anything"]));
    }
}
