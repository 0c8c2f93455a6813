//! Nominations: the fields of a practice case, their limits, what must be filled to submit,
//! and the status a nominator sees. The same rules run in the browser and on the server.
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::category::{CategoryKey, Question, QuestionKind};
use super::consent::ConsentScope;
use super::edition::StageKind;
use super::region::is_region;
use super::validation::{char_len, is_plausible_email, is_web_url, Checker, FieldError, Problem};

pub const TITLE_MAX: usize = 120;
pub const NAME_MAX: usize = 100;
pub const SUMMARY_MAX: usize = 400;
pub const SECTION_MAX: usize = 8000;
pub const LINKS_MAX: usize = 10;
pub const DETAIL_MAX: usize = 200;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NomineeType {
    Person,
    Company,
    SupportOrganisation,
    Municipality,
    Group,
}

impl NomineeType {
    pub const ALL: [NomineeType; 5] = [
        NomineeType::Person,
        NomineeType::Company,
        NomineeType::SupportOrganisation,
        NomineeType::Municipality,
        NomineeType::Group,
    ];
    pub fn key(self) -> &'static str {
        match self {
            NomineeType::Person => "person",
            NomineeType::Company => "company",
            NomineeType::SupportOrganisation => "support_organisation",
            NomineeType::Municipality => "municipality",
            NomineeType::Group => "group",
        }
    }
    pub fn parse(key: &str) -> Option<NomineeType> {
        NomineeType::ALL.into_iter().find(|t| t.key() == key)
    }
}

/// Choice lists as (key, 日本語, English).
pub const RELATIONSHIPS: [(&str, &str, &str); 7] = [
    ("self", "本人(自薦)", "Myself (self-nomination)"),
    ("colleague", "同僚", "Colleague"),
    ("employer", "上司・経営者・人事", "Manager, employer or HR"),
    ("support_worker", "支援者・支援機関", "Support worker or organisation"),
    ("family", "家族・友人", "Family or friend"),
    ("municipality", "自治体職員", "Municipal staff"),
    ("other", "その他", "Other"),
];

pub const INDUSTRIES: [(&str, &str, &str); 12] = [
    ("manufacturing", "製造業", "Manufacturing"),
    ("construction", "建設業", "Construction"),
    ("it", "情報通信業", "Information and communications"),
    ("retail", "卸売業・小売業", "Wholesale and retail"),
    ("finance", "金融業・保険業", "Finance and insurance"),
    ("medical", "医療・福祉", "Medical care and welfare"),
    ("education", "教育・学習支援", "Education"),
    ("hospitality", "宿泊・飲食サービス", "Accommodation and food services"),
    ("transport", "運輸業・郵便業", "Transport and postal"),
    ("services", "サービス業(その他)", "Other services"),
    ("public", "公務", "Public service"),
    ("other", "その他", "Other"),
];

pub const ORG_SIZES: [(&str, &str, &str); 5] = [
    ("1-9", "1〜9人", "1–9 people"),
    ("10-49", "10〜49人", "10–49 people"),
    ("50-299", "50〜299人", "50–299 people"),
    ("300-999", "300〜999人", "300–999 people"),
    ("1000+", "1,000人以上", "1,000 or more"),
];

pub fn in_choices(list: &[(&str, &str, &str)], key: &str) -> bool {
    list.iter().any(|(k, _, _)| *k == key)
}

pub fn choice_label(list: &'static [(&'static str, &'static str, &'static str)], key: &str, ja: bool) -> &'static str {
    list.iter().find(|(k, _, _)| *k == key).map(|(_, j, e)| if ja { *j } else { *e }).unwrap_or("")
}

/// The long, structured sections of a practice, in reading order. (key, required to submit)
pub const SECTIONS: [(&str, bool); 7] = [
    ("background", true),
    ("practice", true),
    ("involved", false),
    ("accommodation", true),
    ("challenges", true),
    ("outcomes", true),
    ("lessons", true),
];

/// What the form sends: the nominator's own text (Markdown in the long sections). A field the
/// form does not send (an unchecked radio, a question of another category) is empty.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NominationInput {
    pub title: String,
    pub nominee_type: String,
    pub nominee_name: String,
    pub nominee_kana: String,
    pub region: String,
    pub industry: String,
    pub org_size: String,
    pub summary: String,
    pub background: String,
    pub practice: String,
    pub involved: String,
    pub accommodation: String,
    pub challenges: String,
    pub outcomes: String,
    pub lessons: String,
    /// One link per line.
    pub links: String,
    pub relationship: String,
    /// Contact of the featured person or organisation, for the consent request.
    pub featured_email: String,
    /// On a self-nomination, the nominator's own consent scope (`review_only`, …).
    pub self_consent_scope: String,
    pub self_consent_photos: Option<String>,
    /// Answers to the category's extra questions, by question id.
    #[serde(default)]
    pub answers: BTreeMap<String, String>,
}

impl NominationInput {
    pub fn section(&self, key: &str) -> &str {
        match key {
            "background" => &self.background,
            "practice" => &self.practice,
            "involved" => &self.involved,
            "accommodation" => &self.accommodation,
            "challenges" => &self.challenges,
            "outcomes" => &self.outcomes,
            "lessons" => &self.lessons,
            _ => "",
        }
    }

    pub fn is_self_nomination(&self) -> bool {
        self.relationship == "self"
    }

    pub fn link_list(&self) -> Vec<String> {
        self.links.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect()
    }
}

/// Kana readings: hiragana, katakana (full and half width), the long-vowel mark, the middle
/// dot and spaces.
pub fn is_kana(value: &str) -> bool {
    value.chars().all(
        |c| matches!(c, '\u{3041}'..='\u{309F}' | '\u{30A0}'..='\u{30FF}' | '\u{FF66}'..='\u{FF9F}' | ' ' | '\u{3000}'),
    )
}

/// Length limits: checked on every save, drafts included, so nothing unsubmittable is stored.
fn check_limits(c: &mut Checker, input: &NominationInput, questions: &[Question]) {
    c.max_chars("title", &input.title, TITLE_MAX)
        .max_chars("nominee_name", &input.nominee_name, NAME_MAX)
        .max_chars("nominee_kana", &input.nominee_kana, NAME_MAX)
        .max_chars("summary", &input.summary, SUMMARY_MAX)
        .max_chars("featured_email", &input.featured_email, 254);
    for (key, _) in SECTIONS {
        c.max_chars(key, input.section(key), SECTION_MAX);
    }
    c.max_chars("links", &input.links, LINKS_MAX * 500);
    for q in questions {
        if let Some(answer) = input.answers.get(&q.id.to_string()) {
            c.max_chars(&format!("q_{}", q.id), answer, q.kind.max_chars());
        }
    }
}

/// A draft may be incomplete; it only has to fit.
pub fn validate_draft(input: &NominationInput, questions: &[Question]) -> Result<(), Vec<FieldError>> {
    let mut c = Checker::new();
    check_limits(&mut c, input, questions);
    c.finish()
}

/// Everything a submitted nomination needs. `acknowledged` is the dialogue-rules tick box.
pub fn validate_submission(
    input: &NominationInput,
    category: CategoryKey,
    questions: &[Question],
    acknowledged: bool,
) -> Result<(), Vec<FieldError>> {
    let mut c = Checker::new();
    c.required("title", &input.title);
    c.required("nominee_type", &input.nominee_type).check(
        "nominee_type",
        NomineeType::parse(&input.nominee_type).is_some(),
        Problem::InvalidChoice,
    );
    c.required("nominee_name", &input.nominee_name);
    let person = NomineeType::parse(&input.nominee_type) == Some(NomineeType::Person);
    if person {
        c.required("nominee_kana", &input.nominee_kana);
    }
    c.check("nominee_kana", input.nominee_kana.is_empty() || is_kana(&input.nominee_kana), Problem::InvalidChoice);
    c.required("region", &input.region).check("region", is_region(&input.region), Problem::InvalidChoice);
    if category.asks_company_details() {
        c.required("industry", &input.industry)
            .check("industry", in_choices(&INDUSTRIES, &input.industry), Problem::InvalidChoice)
            .required("org_size", &input.org_size)
            .check("org_size", in_choices(&ORG_SIZES, &input.org_size), Problem::InvalidChoice);
    }
    c.required("summary", &input.summary);
    for (key, required) in SECTIONS {
        if required {
            c.required(key, input.section(key));
        }
    }
    let links = input.link_list();
    c.check("links", links.len() <= LINKS_MAX, Problem::TooMany { max: LINKS_MAX }).check(
        "links",
        links.iter().all(|l| is_web_url(l)),
        Problem::InvalidUrl,
    );
    c.required("relationship", &input.relationship).check(
        "relationship",
        in_choices(&RELATIONSHIPS, &input.relationship),
        Problem::InvalidChoice,
    );
    if input.is_self_nomination() {
        c.required("self_consent_scope", &input.self_consent_scope).check(
            "self_consent_scope",
            ConsentScope::parse(&input.self_consent_scope).is_some(),
            Problem::InvalidChoice,
        );
    } else if !input.featured_email.trim().is_empty() {
        c.check("featured_email", is_plausible_email(&input.featured_email), Problem::InvalidEmail);
    }
    for q in questions {
        let field = format!("q_{}", q.id);
        let answer = input.answers.get(&q.id.to_string()).map(|s| s.trim()).unwrap_or("");
        if q.required {
            c.required(&field, answer);
        }
        if !answer.is_empty() {
            match q.kind {
                QuestionKind::SingleChoice => {
                    c.check(&field, q.options.iter().any(|o| o.value == answer), Problem::InvalidChoice);
                }
                QuestionKind::Number => {
                    c.check(
                        &field,
                        answer.replace(',', "").parse::<f64>().is_ok_and(f64::is_finite),
                        Problem::InvalidNumber,
                    );
                }
                QuestionKind::ShortText | QuestionKind::LongText => {}
            }
        }
    }
    check_limits(&mut c, input, questions);
    c.check("dialogue_ack", acknowledged, Problem::MustAcknowledge);
    c.finish()
}

/// Stored lifecycle of a nomination.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NominationStatus {
    Draft,
    Submitted,
    Withdrawn,
}

impl NominationStatus {
    pub const ALL: [NominationStatus; 3] =
        [NominationStatus::Draft, NominationStatus::Submitted, NominationStatus::Withdrawn];
    pub fn key(self) -> &'static str {
        match self {
            NominationStatus::Draft => "draft",
            NominationStatus::Submitted => "submitted",
            NominationStatus::Withdrawn => "withdrawn",
        }
    }
    pub fn parse(key: &str) -> Option<NominationStatus> {
        NominationStatus::ALL.into_iter().find(|s| s.key() == key)
    }
}

/// Screening decision by organisers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Screening {
    Pending,
    Eligible,
    Ineligible,
    NeedsInfo,
}

impl Screening {
    pub const ALL: [Screening; 4] =
        [Screening::Pending, Screening::Eligible, Screening::Ineligible, Screening::NeedsInfo];
    pub fn key(self) -> &'static str {
        match self {
            Screening::Pending => "pending",
            Screening::Eligible => "eligible",
            Screening::Ineligible => "ineligible",
            Screening::NeedsInfo => "needs_info",
        }
    }
    pub fn parse(key: &str) -> Option<Screening> {
        Screening::ALL.into_iter().find(|s| s.key() == key)
    }
}

/// The decision for a nomination.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Outcome {
    Undecided,
    Certified,
    GrandPrize,
    Excellence,
    Special,
    NotSelected,
}

impl Outcome {
    pub const ALL: [Outcome; 6] = [
        Outcome::Undecided,
        Outcome::Certified,
        Outcome::GrandPrize,
        Outcome::Excellence,
        Outcome::Special,
        Outcome::NotSelected,
    ];
    pub fn key(self) -> &'static str {
        match self {
            Outcome::Undecided => "undecided",
            Outcome::Certified => "certified",
            Outcome::GrandPrize => "grand_prize",
            Outcome::Excellence => "excellence",
            Outcome::Special => "special",
            Outcome::NotSelected => "not_selected",
        }
    }
    pub fn parse(key: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|s| s.key() == key)
    }
    pub fn is_award(self) -> bool {
        matches!(self, Outcome::GrandPrize | Outcome::Excellence | Outcome::Special)
    }
    /// Certified or awarded: what may enter the archive (with consent).
    pub fn is_recognised(self) -> bool {
        self == Outcome::Certified || self.is_award()
    }
}

/// What the nominator is told, in kind words (see i18n): never internal scores or notes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NominatorStatus {
    Draft,
    Received,
    InScreening,
    NeedsInformation,
    InReview,
    Certified,
    Awarded(Outcome),
    NotSelected,
    Withdrawn,
}

pub fn nominator_status(
    status: NominationStatus,
    screening: Screening,
    outcome: Outcome,
    stage: StageKind,
    results_published: bool,
) -> NominatorStatus {
    match status {
        NominationStatus::Draft => return NominatorStatus::Draft,
        NominationStatus::Withdrawn => return NominatorStatus::Withdrawn,
        NominationStatus::Submitted => {}
    }
    if results_published {
        return match outcome {
            Outcome::Certified => NominatorStatus::Certified,
            o if o.is_award() => NominatorStatus::Awarded(o),
            _ => NominatorStatus::NotSelected,
        };
    }
    match (stage, screening) {
        (_, Screening::NeedsInfo) => NominatorStatus::NeedsInformation,
        (StageKind::Setup | StageKind::Nominations, _) => NominatorStatus::Received,
        (StageKind::Screening, _) => NominatorStatus::InScreening,
        // An entry found ineligible is told so only with the results, kindly, like the others.
        _ => NominatorStatus::InReview,
    }
}

/// Characters left for a field, for live counters.
pub fn remaining(value: &str, max: usize) -> i64 {
    max as i64 - char_len(value) as i64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::category::ChoiceOption;

    fn complete() -> NominationInput {
        NominationInput {
            title: "体調のゆらぎに合わせた在宅勤務の導入".into(),
            nominee_type: "company".into(),
            nominee_name: "株式会社さいたま製作所".into(),
            region: "saitama".into(),
            industry: "manufacturing".into(),
            org_size: "50-299".into(),
            summary: "通院と両立できる働き方".into(),
            background: "背景".into(),
            practice: "実践".into(),
            accommodation: "配慮".into(),
            challenges: "課題".into(),
            outcomes: "成果".into(),
            lessons: "学び".into(),
            links: "https://example.jp/a\n\nhttps://example.jp/b".into(),
            relationship: "employer".into(),
            featured_email: "hr@example.jp".into(),
            ..Default::default()
        }
    }

    fn fields(r: Result<(), Vec<FieldError>>) -> Vec<(String, Problem)> {
        r.err().unwrap_or_default().into_iter().map(|e| (e.field, e.problem)).collect()
    }

    #[test]
    fn a_complete_corporate_nomination_passes() {
        assert_eq!(fields(validate_submission(&complete(), CategoryKey::Corporate, &[], true)), vec![]);
    }

    #[test]
    fn validation_table() {
        type Case = (&'static str, fn(&mut NominationInput), CategoryKey, &'static str, Problem);
        let cases: Vec<Case> = vec![
            ("empty title", |i| i.title.clear(), CategoryKey::Corporate, "title", Problem::Required),
            (
                "long title",
                |i| i.title = "あ".repeat(121),
                CategoryKey::Corporate,
                "title",
                Problem::TooLong { max: 120 },
            ),
            (
                "bad nominee type",
                |i| i.nominee_type = "alien".into(),
                CategoryKey::Corporate,
                "nominee_type",
                Problem::InvalidChoice,
            ),
            (
                "person without kana",
                |i| i.nominee_type = "person".into(),
                CategoryKey::People,
                "nominee_kana",
                Problem::Required,
            ),
            (
                "kana in kanji",
                |i| i.nominee_kana = "山田".into(),
                CategoryKey::Corporate,
                "nominee_kana",
                Problem::InvalidChoice,
            ),
            (
                "unknown region",
                |i| i.region = "narnia".into(),
                CategoryKey::Corporate,
                "region",
                Problem::InvalidChoice,
            ),
            (
                "corporate without industry",
                |i| i.industry.clear(),
                CategoryKey::Corporate,
                "industry",
                Problem::Required,
            ),
            (
                "corporate without size",
                |i| i.org_size = "huge".into(),
                CategoryKey::Corporate,
                "org_size",
                Problem::InvalidChoice,
            ),
            (
                "long summary",
                |i| i.summary = "x".repeat(401),
                CategoryKey::Corporate,
                "summary",
                Problem::TooLong { max: 400 },
            ),
            ("no challenges", |i| i.challenges = "  ".into(), CategoryKey::Corporate, "challenges", Problem::Required),
            (
                "long section",
                |i| i.practice = "実".repeat(8001),
                CategoryKey::Corporate,
                "practice",
                Problem::TooLong { max: 8000 },
            ),
            (
                "javascript link",
                |i| i.links = "javascript:alert(1)".into(),
                CategoryKey::Corporate,
                "links",
                Problem::InvalidUrl,
            ),
            (
                "too many links",
                |i| i.links = "https://a.jp\n".repeat(11),
                CategoryKey::Corporate,
                "links",
                Problem::TooMany { max: 10 },
            ),
            ("no relationship", |i| i.relationship.clear(), CategoryKey::Corporate, "relationship", Problem::Required),
            (
                "bad featured email",
                |i| i.featured_email = "hr at example".into(),
                CategoryKey::Corporate,
                "featured_email",
                Problem::InvalidEmail,
            ),
            (
                "self without consent",
                |i| i.relationship = "self".into(),
                CategoryKey::People,
                "self_consent_scope",
                Problem::Required,
            ),
        ];
        for (name, mutate, category, field, problem) in cases {
            let mut input = complete();
            mutate(&mut input);
            let found = fields(validate_submission(&input, category, &[], true));
            assert!(
                found.contains(&(field.to_string(), problem.clone())),
                "{name}: expected {field} {problem:?}, got {found:?}"
            );
        }
    }

    #[test]
    fn company_details_are_asked_only_in_the_corporate_category() {
        let mut input = complete();
        input.industry.clear();
        input.org_size.clear();
        assert!(validate_submission(&input, CategoryKey::Support, &[], true).is_ok());
    }

    #[test]
    fn submitting_needs_the_dialogue_rules_acknowledged() {
        assert_eq!(
            fields(validate_submission(&complete(), CategoryKey::Corporate, &[], false)),
            vec![("dialogue_ack".to_string(), Problem::MustAcknowledge)]
        );
    }

    #[test]
    fn a_draft_may_be_empty_but_must_fit() {
        assert!(validate_draft(&NominationInput::default(), &[]).is_ok());
        let input = NominationInput { summary: "x".repeat(401), ..Default::default() };
        assert_eq!(fields(validate_draft(&input, &[])), vec![("summary".to_string(), Problem::TooLong { max: 400 })]);
    }

    #[test]
    fn hostile_html_is_just_text_to_the_validator() {
        // Sanitising happens on write; validation only counts characters.
        let mut input = complete();
        input.title = "<script>alert(1)</script>".into();
        assert!(validate_submission(&input, CategoryKey::Corporate, &[], true).is_ok());
    }

    #[test]
    fn extra_questions_are_checked_by_kind() {
        let q = |id, kind, required| Question {
            id,
            kind,
            label_ja: "q".into(),
            label_en: "q".into(),
            help_ja: String::new(),
            help_en: String::new(),
            options: vec![ChoiceOption { value: "yes".into(), ja: "はい".into(), en: "Yes".into() }],
            required,
            personal: false,
        };
        let questions = [
            q(1, QuestionKind::ShortText, true),
            q(2, QuestionKind::SingleChoice, false),
            q(3, QuestionKind::Number, false),
        ];
        let mut input = complete();
        input.answers.insert("2".into(), "maybe".into());
        input.answers.insert("3".into(), "十".into());
        let found = fields(validate_submission(&input, CategoryKey::Corporate, &questions, true));
        assert_eq!(
            found,
            vec![
                ("q_1".to_string(), Problem::Required),
                ("q_2".to_string(), Problem::InvalidChoice),
                ("q_3".to_string(), Problem::InvalidNumber)
            ]
        );
        input.answers.insert("1".into(), "答え".into());
        input.answers.insert("2".into(), "yes".into());
        input.answers.insert("3".into(), "1,200".into());
        assert!(validate_submission(&input, CategoryKey::Corporate, &questions, true).is_ok());
    }

    #[test]
    fn kana_readings() {
        assert!(is_kana("やまだ はなこ"));
        assert!(is_kana("ヤマダ・ハナコー"));
        assert!(is_kana("ﾔﾏﾀﾞ"));
        assert!(!is_kana("山田"));
        assert!(!is_kana("yamada"));
    }

    #[test]
    fn what_the_nominator_is_told() {
        use NominationStatus::*;
        use NominatorStatus as N;
        let table = [
            (Draft, Screening::Pending, Outcome::Undecided, StageKind::Nominations, false, N::Draft),
            (Withdrawn, Screening::Eligible, Outcome::Certified, StageKind::Results, true, N::Withdrawn),
            (Submitted, Screening::Pending, Outcome::Undecided, StageKind::Nominations, false, N::Received),
            (Submitted, Screening::Pending, Outcome::Undecided, StageKind::Screening, false, N::InScreening),
            (Submitted, Screening::NeedsInfo, Outcome::Undecided, StageKind::Screening, false, N::NeedsInformation),
            (Submitted, Screening::Eligible, Outcome::Undecided, StageKind::Review, false, N::InReview),
            (Submitted, Screening::Ineligible, Outcome::Undecided, StageKind::Review, false, N::InReview),
            // Decisions stay private until results are published.
            (Submitted, Screening::Eligible, Outcome::Certified, StageKind::Decisions, false, N::InReview),
            (Submitted, Screening::Eligible, Outcome::Certified, StageKind::Results, true, N::Certified),
            (
                Submitted,
                Screening::Eligible,
                Outcome::GrandPrize,
                StageKind::Results,
                true,
                N::Awarded(Outcome::GrandPrize),
            ),
            (Submitted, Screening::Eligible, Outcome::NotSelected, StageKind::Results, true, N::NotSelected),
            (Submitted, Screening::Ineligible, Outcome::Undecided, StageKind::Results, true, N::NotSelected),
        ];
        for (status, screening, outcome, stage, published, expected) in table {
            assert_eq!(
                nominator_status(status, screening, outcome, stage, published),
                expected,
                "{status:?} {screening:?} {outcome:?} {stage:?}"
            );
        }
    }
}
