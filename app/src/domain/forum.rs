//! The forum (the CONFERENCE phase as a real event): programme sessions, who may register how
//! (venue seats, online fallback, waiting list, the online-only date, closing time), the checks
//! on a registration and a question, and the calendar file. Pure: the service reads the facts
//! now and stores what these rules decide.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::validation::{is_plausible_email, Checker, FieldError, Problem};

macro_rules! keyed_enum {
    ($(#[$m:meta])* $name:ident { $($v:ident = $k:literal),* $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name { $($v),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$v),*];

            pub fn key(self) -> &'static str {
                match self { $($name::$v => $k),* }
            }

            pub fn parse(key: &str) -> Option<$name> {
                match key { $($k => Some($name::$v),)* _ => None }
            }
        }
    };
}

keyed_enum!(
    /// What a programme item is.
    SessionKind { Keynote = "keynote", Talk = "talk", Practice = "practice", Panel = "panel", Break = "break" }
);

keyed_enum!(
    /// How a person asks to take part.
    Attendance { Venue = "venue", Online = "online" }
);

keyed_enum!(
    /// Where a registration stands. A waiting registrant is moved to the venue, in order, when
    /// a seat frees up.
    RegStatus { Venue = "venue", Online = "online", Waiting = "waiting", Cancelled = "cancelled" }
);

keyed_enum!(
    /// A question sent in advance: shown (to the moderator, and on the page) only once accepted.
    QuestionStatus { Pending = "pending", Accepted = "accepted", Hidden = "hidden", Merged = "merged" }
);

impl RegStatus {
    /// Counts toward people expected (venue, online or waiting).
    pub fn active(self) -> bool {
        self != RegStatus::Cancelled
    }
}

/// The forum's own list of who registrants are; stored on each event, so another region or
/// event can change it. `patient` is health information: organisers only, purged with the rest.
pub const DEFAULT_AFFILIATIONS: [(&str, &str, &str); 8] = [
    ("patient", "当事者", "Person living with the illness"),
    ("family", "家族", "Family"),
    ("medical", "医療機関", "Medical institution"),
    ("government", "行政", "Government"),
    ("press", "報道機関", "Press"),
    ("support", "支援機関", "Support agency"),
    ("company", "企業", "Company"),
    ("other", "その他", "Other"),
];

/// The affiliation that says a person lives with the illness: health information.
pub const HEALTH_AFFILIATION: &str = "patient";

/// The municipality key for someone from outside the region's list (then a free text says where).
pub const OTHER_PLACE: &str = "other";

/// A choice offered on a form: stored key, Japanese and English label.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub key: String,
    pub ja: String,
    pub en: String,
}

impl Choice {
    pub fn label(&self, ja: bool) -> &str {
        if ja || self.en.is_empty() {
            &self.ja
        } else {
            &self.en
        }
    }
}

/// Municipality lists are data, one file per region (`app/data/municipalities/<region>.txt`:
/// Japanese name, a tab, the English name). The Japanese name is the stored key.
const MUNICIPALITY_FILES: &[(&str, &str)] = &[("saitama", include_str!("../../data/municipalities/saitama.txt"))];

pub fn municipalities(region: &str) -> Vec<Choice> {
    MUNICIPALITY_FILES.iter().find(|(r, _)| *r == region).map(|(_, text)| parse_choice_lines(text)).unwrap_or_default()
}

/// Lines of `日本語<TAB>English` (or `key<TAB>日本語<TAB>English`); `#` starts a comment.
pub fn parse_choice_lines(text: &str) -> Vec<Choice> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let parts: Vec<&str> = l.split('\t').map(str::trim).collect();
            match parts.as_slice() {
                [key, ja, en, ..] => Choice { key: (*key).into(), ja: (*ja).into(), en: (*en).into() },
                [ja, en] => Choice { key: (*ja).into(), ja: (*ja).into(), en: (*en).into() },
                _ => Choice { key: parts[0].into(), ja: parts[0].into(), en: String::new() },
            }
        })
        .collect()
}

pub fn default_affiliations() -> Vec<Choice> {
    DEFAULT_AFFILIATIONS
        .iter()
        .map(|(k, ja, en)| Choice { key: (*k).into(), ja: (*ja).into(), en: (*en).into() })
        .collect()
}

/// An event's registration rules and its seat count, read now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SeatRules {
    /// Seats at the venue; 0 for an online-only event.
    pub capacity: i32,
    /// Seats held by venue registrations now.
    pub taken: i32,
    pub waiting_list: bool,
    /// Online participation is offered.
    pub online: bool,
    /// From this moment only online registration is accepted (an organiser's choice).
    pub online_only_from: Option<DateTime<Utc>>,
    pub opens_at: Option<DateTime<Utc>>,
    pub closes_at: Option<DateTime<Utc>>,
    pub starts_at: DateTime<Utc>,
}

/// Why a form offers only part of what it could.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum VenueState {
    /// Seats are left (how many).
    Open { left: i32 },
    /// Full: the waiting list is open.
    FullWaiting,
    /// Full: online only.
    Full,
    /// The organisers' online-only date has come.
    OnlineOnlyNow,
    /// The event has no venue seats.
    NoVenue,
}

/// Whether registration is taken at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Window {
    NotYet,
    Open,
    Closed,
}

/// Why a wanted place cannot be given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlaceRefusal {
    Closed,
    VenueFull,
    VenueClosed,
    NoOnline,
}

impl SeatRules {
    pub fn window(&self, now: DateTime<Utc>) -> Window {
        let closes = self.closes_at.unwrap_or(self.starts_at);
        if self.opens_at.is_some_and(|o| now < o) {
            Window::NotYet
        } else if now >= closes {
            Window::Closed
        } else {
            Window::Open
        }
    }

    pub fn venue(&self, now: DateTime<Utc>) -> VenueState {
        if self.capacity <= 0 {
            VenueState::NoVenue
        } else if self.online_only_from.is_some_and(|d| now >= d) {
            VenueState::OnlineOnlyNow
        } else if self.taken < self.capacity {
            VenueState::Open { left: self.capacity - self.taken }
        } else if self.waiting_list {
            VenueState::FullWaiting
        } else {
            VenueState::Full
        }
    }

    /// The status a registration gets for what the person asked, given whether the seat the
    /// service tried to take was there (`seat` is the outcome of the atomic take, so two
    /// people can never be given the last seat).
    pub fn place(&self, want: Attendance, now: DateTime<Utc>, seat: bool) -> Result<RegStatus, PlaceRefusal> {
        if self.window(now) != Window::Open {
            return Err(PlaceRefusal::Closed);
        }
        match want {
            Attendance::Online if self.online => Ok(RegStatus::Online),
            Attendance::Online => Err(PlaceRefusal::NoOnline),
            Attendance::Venue => match self.venue(now) {
                VenueState::NoVenue | VenueState::OnlineOnlyNow => Err(PlaceRefusal::VenueClosed),
                _ if seat => Ok(RegStatus::Venue),
                _ if self.waiting_list => Ok(RegStatus::Waiting),
                _ => Err(PlaceRefusal::VenueFull),
            },
        }
    }

    /// May the service try to take a seat for this request at all.
    pub fn wants_seat(&self, want: Attendance, now: DateTime<Utc>) -> bool {
        want == Attendance::Venue
            && self.window(now) == Window::Open
            && matches!(self.venue(now), VenueState::Open { .. } | VenueState::Full | VenueState::FullWaiting)
    }
}

/// The waiting registrant who gets the next freed seat: the earliest, ties by registration id.
pub fn next_in_line<T>(waiting: &[T], key: impl Fn(&T) -> (DateTime<Utc>, i64)) -> Option<&T> {
    waiting.iter().min_by_key(|w| key(w))
}

/// Furigana: hiragana or katakana (either is how people write it), long-vowel mark, middle
/// dot and spaces; full-width or half-width katakana alike. No kanji, no Latin letters.
pub fn is_kana(value: &str) -> bool {
    let v = value.trim();
    !v.is_empty()
        && v.chars().any(|c| !c.is_whitespace())
        && v.chars().all(|c| {
            matches!(c,
                '\u{3041}'..='\u{3096}' // hiragana
                | '\u{309D}'..='\u{309F}'
                | '\u{30A1}'..='\u{30FA}' // katakana
                | '\u{30FB}'..='\u{30FF}' // ・ ー ヽ ヾ ヿ
                | '\u{FF65}'..='\u{FF9F}' // half-width katakana
                | ' ' | '\u{3000}')
        })
}

/// A phone number as people type it: digits (full-width too), hyphens, spaces, brackets, and
/// `+81`. Returns the digits, or None when it cannot be a Japanese or international number.
pub fn normalize_phone(value: &str) -> Option<String> {
    let mut digits = String::new();
    let mut plus = false;
    for (i, c) in value.trim().chars().enumerate() {
        match c {
            '0'..='9' => digits.push(c),
            '０'..='９' => digits.push(char::from(b'0' + (c as u32 - '０' as u32) as u8)),
            '+' | '＋' if i == 0 => plus = true,
            '-' | '－' | 'ー' | '‐' | '−' | ' ' | '\u{3000}' | '(' | ')' | '（' | '）' => {}
            _ => return None,
        }
    }
    let ok = if plus {
        (8..=15).contains(&digits.len())
    } else {
        digits.starts_with('0') && (10..=11).contains(&digits.len())
    };
    ok.then(|| if plus { format!("+{digits}") } else { digits })
}

/// A form checkbox: `on` (what a browser sends), `true` or `1` when ticked; absent otherwise.
pub fn checkbox<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum V {
        B(bool),
        S(String),
    }
    Ok(match Option::<V>::deserialize(d)? {
        Some(V::B(b)) => b,
        Some(V::S(s)) => matches!(s.as_str(), "on" | "true" | "1"),
        None => false,
    })
}

/// What a person types into the registration form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewRegistration {
    pub name: String,
    pub furigana: String,
    pub phone: String,
    pub email: String,
    pub municipality: String,
    pub municipality_other: String,
    pub affiliation: String,
    pub attendance: String,
    pub needs: String,
    #[serde(deserialize_with = "checkbox")]
    pub rules_ack: bool,
    #[serde(deserialize_with = "checkbox")]
    pub privacy_ack: bool,
}

pub const NAME_MAX: usize = 60;
pub const FURIGANA_MAX: usize = 80;
pub const PLACE_MAX: usize = 60;
pub const NEEDS_MAX: usize = 1000;
pub const QUESTION_MAX: usize = 400;

/// Every problem of a registration at once, each beside its field.
pub fn check_registration(
    r: &NewRegistration,
    places: &[Choice],
    affiliations: &[Choice],
) -> Result<(), Vec<FieldError>> {
    let mut c = Checker::new();
    c.required("name", &r.name).max_chars("name", &r.name, NAME_MAX);
    c.required("furigana", &r.furigana).max_chars("furigana", &r.furigana, FURIGANA_MAX);
    if !r.furigana.trim().is_empty() {
        c.check("furigana", is_kana(&r.furigana), Problem::InvalidKana);
    }
    c.required("phone", &r.phone);
    if !r.phone.trim().is_empty() {
        c.check("phone", normalize_phone(&r.phone).is_some(), Problem::InvalidPhone);
    }
    c.required("email", &r.email);
    if !r.email.trim().is_empty() {
        c.check("email", is_plausible_email(&r.email), Problem::InvalidEmail);
    }
    c.required("municipality", &r.municipality);
    if !r.municipality.is_empty() {
        let known = r.municipality == OTHER_PLACE || places.iter().any(|p| p.key == r.municipality);
        c.check("municipality", known, Problem::InvalidChoice);
    }
    if r.municipality == OTHER_PLACE {
        c.required("municipality_other", &r.municipality_other);
    }
    c.max_chars("municipality_other", &r.municipality_other, PLACE_MAX);
    c.required("affiliation", &r.affiliation);
    if !r.affiliation.is_empty() {
        c.check("affiliation", affiliations.iter().any(|a| a.key == r.affiliation), Problem::InvalidChoice);
    }
    c.required("attendance", &r.attendance);
    if !r.attendance.is_empty() {
        c.check("attendance", Attendance::parse(&r.attendance).is_some(), Problem::InvalidChoice);
    }
    c.max_chars("needs", &r.needs, NEEDS_MAX);
    c.check("rules_ack", r.rules_ack, Problem::MustAcknowledge);
    c.check("privacy_ack", r.privacy_ack, Problem::MustAcknowledge);
    c.finish()
}

/// A question sent in advance.
pub fn check_question(body: &str, name: &str, rules_ack: bool) -> Result<(), Vec<FieldError>> {
    let mut c = Checker::new();
    c.required("body", body).max_chars("body", body, QUESTION_MAX);
    c.max_chars("asker_name", name, NAME_MAX);
    c.check("rules_ack", rules_ack, Problem::MustAcknowledge);
    c.finish()
}

/// What a calendar entry needs.
pub struct CalendarEvent<'a> {
    pub uid: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub location: &'a str,
    pub url: &'a str,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub stamp: DateTime<Utc>,
}

/// RFC 5545 TEXT: backslash, semicolon, comma and line breaks escaped; control characters
/// dropped, so a stored text cannot add a property of its own.
fn ics_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Lines longer than 75 octets are folded (CRLF and a space), never inside a character.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out
}

/// The `.ics` file of an event (times in UTC, which every calendar converts).
pub fn calendar(e: &CalendarEvent) -> String {
    let t = |d: DateTime<Utc>| d.format("%Y%m%dT%H%M%SZ").to_string();
    let lines = [
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".into(),
        "PRODID:-//yuragi-good-practice//forum//JA".into(),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
        "BEGIN:VEVENT".into(),
        format!("UID:{}", ics_text(e.uid)),
        format!("DTSTAMP:{}", t(e.stamp)),
        format!("DTSTART:{}", t(e.starts_at)),
        format!("DTEND:{}", t(e.ends_at)),
        format!("SUMMARY:{}", ics_text(e.title)),
        format!("DESCRIPTION:{}", ics_text(e.description)),
        format!("LOCATION:{}", ics_text(e.location)),
        format!("URL:{}", ics_text(e.url)),
        "END:VEVENT".into(),
        "END:VCALENDAR".into(),
    ];
    lines.iter().map(|l| fold(l) + "\r\n").collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2027, 2, 20, h, 0, 0).unwrap()
    }

    fn rules(capacity: i32, taken: i32) -> SeatRules {
        SeatRules {
            capacity,
            taken,
            waiting_list: false,
            online: true,
            online_only_from: None,
            opens_at: None,
            closes_at: Some(at(12)),
            starts_at: at(13),
        }
    }

    #[test]
    fn a_seat_is_given_only_when_the_atomic_take_found_one() {
        let r = rules(50, 49);
        assert_eq!(r.venue(at(1)), VenueState::Open { left: 1 });
        assert_eq!(r.place(Attendance::Venue, at(1), true), Ok(RegStatus::Venue));
        // The last seat went to someone else between reading and taking.
        assert_eq!(r.place(Attendance::Venue, at(1), false), Err(PlaceRefusal::VenueFull));
        let full = rules(50, 50);
        assert_eq!(full.venue(at(1)), VenueState::Full);
        assert_eq!(full.place(Attendance::Venue, at(1), false), Err(PlaceRefusal::VenueFull));
        assert_eq!(full.place(Attendance::Online, at(1), false), Ok(RegStatus::Online));
    }

    #[test]
    fn a_full_venue_with_a_waiting_list_puts_people_in_line() {
        let r = SeatRules { waiting_list: true, ..rules(50, 50) };
        assert_eq!(r.venue(at(1)), VenueState::FullWaiting);
        assert_eq!(r.place(Attendance::Venue, at(1), false), Ok(RegStatus::Waiting));
        assert!(r.wants_seat(Attendance::Venue, at(1)), "a seat may have been freed meanwhile");
    }

    #[test]
    fn from_the_online_only_date_the_venue_is_not_offered() {
        let r = SeatRules { online_only_from: Some(at(5)), waiting_list: true, ..rules(50, 10) };
        assert_eq!(r.venue(at(4)), VenueState::Open { left: 40 });
        assert_eq!(r.venue(at(5)), VenueState::OnlineOnlyNow);
        assert_eq!(r.place(Attendance::Venue, at(6), true), Err(PlaceRefusal::VenueClosed));
        assert!(!r.wants_seat(Attendance::Venue, at(6)));
        assert_eq!(r.place(Attendance::Online, at(6), false), Ok(RegStatus::Online));
        let no_venue = rules(0, 0);
        assert_eq!(no_venue.venue(at(1)), VenueState::NoVenue);
        assert_eq!(no_venue.place(Attendance::Venue, at(1), true), Err(PlaceRefusal::VenueClosed));
    }

    #[test]
    fn registration_is_taken_only_inside_its_window() {
        let r = SeatRules { opens_at: Some(at(2)), ..rules(50, 0) };
        assert_eq!(r.window(at(1)), Window::NotYet);
        assert_eq!(r.window(at(2)), Window::Open);
        assert_eq!(r.window(at(12)), Window::Closed);
        for want in [Attendance::Venue, Attendance::Online] {
            assert_eq!(r.place(want, at(1), true), Err(PlaceRefusal::Closed));
            assert_eq!(r.place(want, at(12), true), Err(PlaceRefusal::Closed));
        }
        // Without a closing time, registration closes when the event starts.
        let open_end = SeatRules { closes_at: None, ..rules(50, 0) };
        assert_eq!(open_end.window(at(12)), Window::Open);
        assert_eq!(open_end.window(at(13)), Window::Closed);
        let venue_only = SeatRules { online: false, ..rules(50, 50) };
        assert_eq!(venue_only.place(Attendance::Online, at(1), false), Err(PlaceRefusal::NoOnline));
    }

    #[test]
    fn the_waiting_list_is_served_first_come_first_served() {
        let t = |m: u32| Utc.with_ymd_and_hms(2027, 1, 10, 9, m, 0).unwrap();
        let waiting = vec![(7_i64, t(5)), (3, t(9)), (9, t(5)), (1, t(30))];
        assert_eq!(next_in_line(&waiting, |w| (w.1, w.0)), Some(&(7, t(5))));
        let none: Vec<(i64, DateTime<Utc>)> = vec![];
        assert_eq!(next_in_line(&none, |w| (w.1, w.0)), None);
    }

    #[test]
    fn furigana_is_kana_only() {
        for ok in ["さいたま はなこ", "サイタマ　ハナコ", "ｻｲﾀﾏ ﾊﾅｺ", "やまだ・たろう", "ゆーき"]
        {
            assert!(is_kana(ok), "{ok}");
        }
        for bad in ["", "   ", "埼玉 花子", "Hanako", "さいたま1", "<script>"] {
            assert!(!is_kana(bad), "{bad}");
        }
    }

    #[test]
    fn phone_numbers_are_read_as_people_type_them() {
        assert_eq!(normalize_phone("048-123-4567").as_deref(), Some("0481234567"));
        assert_eq!(normalize_phone("090 1234 5678").as_deref(), Some("09012345678"));
        assert_eq!(normalize_phone("０９０－１２３４－５６７８").as_deref(), Some("09012345678"));
        assert_eq!(normalize_phone("(048) 123-4567").as_deref(), Some("0481234567"));
        assert_eq!(normalize_phone("+81 90 1234 5678").as_deref(), Some("+819012345678"));
        for bad in ["", "12345", "048-123-456a", "0901234567890", "=1+1", "9012345678"] {
            assert_eq!(normalize_phone(bad), None, "{bad}");
        }
    }

    fn form() -> NewRegistration {
        NewRegistration {
            name: "埼玉 花子".into(),
            furigana: "さいたま はなこ".into(),
            phone: "048-123-4567".into(),
            email: "hanako@example.jp".into(),
            municipality: "川越市".into(),
            municipality_other: String::new(),
            affiliation: "support".into(),
            attendance: "venue".into(),
            needs: String::new(),
            rules_ack: true,
            privacy_ack: true,
        }
    }

    #[test]
    fn a_registration_names_every_field_to_fix_at_once() {
        let places = municipalities("saitama");
        let affs = default_affiliations();
        assert_eq!(check_registration(&form(), &places, &affs), Ok(()));
        let bad = NewRegistration {
            furigana: "埼玉".into(),
            phone: "abc".into(),
            email: "hanako@".into(),
            municipality: "渋谷区".into(),
            affiliation: "boss".into(),
            attendance: "balcony".into(),
            rules_ack: false,
            privacy_ack: false,
            ..form()
        };
        let errors = check_registration(&bad, &places, &affs).unwrap_err();
        let problems: Vec<(&str, &Problem)> = errors.iter().map(|e| (e.field.as_str(), &e.problem)).collect();
        assert_eq!(
            problems,
            vec![
                ("furigana", &Problem::InvalidKana),
                ("phone", &Problem::InvalidPhone),
                ("email", &Problem::InvalidEmail),
                ("municipality", &Problem::InvalidChoice),
                ("affiliation", &Problem::InvalidChoice),
                ("attendance", &Problem::InvalidChoice),
                ("rules_ack", &Problem::MustAcknowledge),
                ("privacy_ack", &Problem::MustAcknowledge),
            ]
        );
        // Someone from another prefecture says where.
        let other = NewRegistration { municipality: OTHER_PLACE.into(), ..form() };
        let e = check_registration(&other, &places, &affs).unwrap_err();
        assert_eq!(e[0].field, "municipality_other");
        let other = NewRegistration { municipality_other: "東京都練馬区".into(), ..other };
        assert_eq!(check_registration(&other, &places, &affs), Ok(()));
    }

    #[test]
    fn saitama_has_sixty_three_municipalities_with_english_names() {
        let places = municipalities("saitama");
        assert_eq!(places.len(), 63);
        assert!(places.iter().all(|p| !p.en.is_empty() && p.key == p.ja));
        assert_eq!(places[0].label(true), "さいたま市");
        assert_eq!(places[0].label(false), "Saitama City");
        assert!(municipalities("atlantis").is_empty());
    }

    #[test]
    fn the_calendar_file_escapes_text_and_folds_long_lines() {
        let e = CalendarEvent {
            uid: "event-1@example.jp",
            title: "フォーラム; 第1回, 埼玉\r\nATTENDEE:evil@x",
            description: "説明\n二行目",
            location: "大宮ソニックシティ 905",
            url: "https://example.jp/events/forum",
            starts_at: at(3),
            ends_at: at(7),
            stamp: at(1),
        };
        let ics = calendar(&e);
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.ends_with("END:VCALENDAR\r\n"));
        assert!(ics.contains("SUMMARY:フォーラム\\; 第1回\\, 埼玉\\nATTENDEE:evil@x"), "{ics}");
        assert!(!ics.contains("\r\nATTENDEE"), "a stored text cannot start a property");
        assert!(ics.contains("DTSTART:20270220T030000Z"));
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "{line}");
        }
        let long = CalendarEvent { description: &"難病".repeat(60), ..e };
        assert!(calendar(&long).contains("\r\n "));
    }
}
