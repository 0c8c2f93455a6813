//! Editions of the programme: their mode and the stages they pass through.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// CONFERENCE (2025–26), CONFERENCE + AWARD (2026–27), AWARD (2027).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EditionMode {
    Conference,
    ConferenceAward,
    Award,
}

impl EditionMode {
    pub const ALL: [EditionMode; 3] = [EditionMode::Conference, EditionMode::ConferenceAward, EditionMode::Award];

    pub fn key(self) -> &'static str {
        match self {
            EditionMode::Conference => "conference",
            EditionMode::ConferenceAward => "conference_award",
            EditionMode::Award => "award",
        }
    }

    pub fn parse(key: &str) -> Option<EditionMode> {
        EditionMode::ALL.into_iter().find(|m| m.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            EditionMode::Conference => "CONFERENCE",
            EditionMode::ConferenceAward => "CONFERENCE + AWARD",
            EditionMode::Award => "AWARD",
        }
    }

    /// Practice-sharing certification (実践共有認定) is given in the conference modes.
    pub fn certifies(self) -> bool {
        matches!(self, EditionMode::Conference | EditionMode::ConferenceAward)
    }

    pub fn awards(self) -> bool {
        matches!(self, EditionMode::ConferenceAward | EditionMode::Award)
    }
}

/// The stages of an edition, in order. Review may run in several rounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum StageKind {
    Setup,
    Nominations,
    Screening,
    Review,
    Decisions,
    Results,
    Archived,
}

impl StageKind {
    pub const ALL: [StageKind; 7] = [
        StageKind::Setup,
        StageKind::Nominations,
        StageKind::Screening,
        StageKind::Review,
        StageKind::Decisions,
        StageKind::Results,
        StageKind::Archived,
    ];

    pub fn key(self) -> &'static str {
        match self {
            StageKind::Setup => "setup",
            StageKind::Nominations => "nominations",
            StageKind::Screening => "screening",
            StageKind::Review => "review",
            StageKind::Decisions => "decisions",
            StageKind::Results => "results",
            StageKind::Archived => "archived",
        }
    }

    pub fn parse(key: &str) -> Option<StageKind> {
        StageKind::ALL.into_iter().find(|s| s.key() == key)
    }
}

/// Is the nomination window open at `now`? The close time is exclusive: a deadline of
/// 2027-01-31 24:00 JST means 2027-01-31 23:59:59 is in time and 2027-02-01 00:00:00 is not.
pub fn nominations_open(now: DateTime<Utc>, opens_at: Option<DateTime<Utc>>, closes_at: Option<DateTime<Utc>>) -> bool {
    let started = opens_at.is_none_or(|o| now >= o);
    let not_closed = closes_at.is_none_or(|c| now < c);
    started && not_closed && closes_at.is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::parse_tokyo;
    use chrono::Duration;

    #[test]
    fn modes_decide_certification_and_awards() {
        let table = [
            (EditionMode::Conference, true, false),
            (EditionMode::ConferenceAward, true, true),
            (EditionMode::Award, false, true),
        ];
        for (mode, certifies, awards) in table {
            assert_eq!(mode.certifies(), certifies, "{mode:?}");
            assert_eq!(mode.awards(), awards, "{mode:?}");
            assert_eq!(EditionMode::parse(mode.key()), Some(mode));
        }
    }

    #[test]
    fn the_deadline_is_exclusive_in_japan_time() {
        let opens = parse_tokyo("2026-12-01T00:00");
        let closes = parse_tokyo("2027-02-01T00:00");
        let last_second = parse_tokyo("2027-01-31T23:59").unwrap() + Duration::seconds(59);
        assert!(nominations_open(last_second, opens, closes));
        assert!(!nominations_open(closes.unwrap(), opens, closes));
        assert!(!nominations_open(closes.unwrap() + Duration::seconds(1), opens, closes));
        // 2027-01-31 23:59:59 JST is 14:59:59 UTC: a server in UTC must not close early.
        assert_eq!(last_second.format("%H:%M:%S").to_string(), "14:59:59");
    }

    #[test]
    fn the_window_has_a_start_and_needs_an_end() {
        let opens = parse_tokyo("2026-12-01T00:00");
        let closes = parse_tokyo("2027-02-01T00:00");
        assert!(!nominations_open(opens.unwrap() - Duration::seconds(1), opens, closes));
        assert!(nominations_open(opens.unwrap(), opens, closes));
        assert!(!nominations_open(opens.unwrap(), opens, None));
        assert!(nominations_open(opens.unwrap(), None, closes));
    }

    #[test]
    fn stages_are_ordered() {
        assert!(StageKind::Nominations < StageKind::Screening);
        assert!(StageKind::Review < StageKind::Decisions);
        for s in StageKind::ALL {
            assert_eq!(StageKind::parse(s.key()), Some(s));
        }
    }
}

/// One row of an edition's timetable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageSlot {
    pub kind: StageKind,
    pub round: i32,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
}

/// The position of a stage in the programme: stages in order, review rounds in order.
pub fn stage_order(kind: StageKind, round: i32) -> (usize, i32) {
    let i = StageKind::ALL.iter().position(|k| *k == kind).unwrap_or(0);
    (i, if kind == StageKind::Review { round.max(1) } else { 0 })
}

/// Where the timetable says the edition should be at `now`: the last slot that has begun. A
/// slot without a start begins when the slot before it ends.
pub fn scheduled_stage(slots: &[StageSlot], now: DateTime<Utc>) -> Option<(StageKind, i32)> {
    let mut ordered: Vec<StageSlot> = slots.to_vec();
    ordered.sort_by_key(|s| stage_order(s.kind, s.round));
    let mut current = None;
    let mut previous_end: Option<DateTime<Utc>> = None;
    for slot in ordered {
        let begins = slot.starts_at.or(previous_end);
        match begins {
            Some(b) if b <= now => current = Some((slot.kind, slot.round)),
            _ => break,
        }
        previous_end = slot.ends_at;
    }
    current
}

/// Stages move forward on their own; going back is an organiser's decision with a reason.
pub fn automatic_transition(
    current: (StageKind, i32),
    slots: &[StageSlot],
    now: DateTime<Utc>,
) -> Option<(StageKind, i32)> {
    let target = scheduled_stage(slots, now)?;
    (stage_order(target.0, target.1) > stage_order(current.0, current.1)).then_some(target)
}

#[cfg(test)]
mod schedule_tests {
    use super::*;
    use crate::domain::time::parse_tokyo;

    fn slot(kind: StageKind, round: i32, start: Option<&str>, end: Option<&str>) -> StageSlot {
        StageSlot { kind, round, starts_at: start.and_then(parse_tokyo), ends_at: end.and_then(parse_tokyo) }
    }

    fn timetable() -> Vec<StageSlot> {
        vec![
            slot(StageKind::Nominations, 0, Some("2026-10-01T00:00"), Some("2027-02-01T00:00")),
            slot(StageKind::Screening, 0, None, Some("2027-02-15T00:00")),
            slot(StageKind::Review, 1, None, Some("2027-03-15T00:00")),
            slot(StageKind::Decisions, 0, Some("2027-03-20T00:00"), None),
        ]
    }

    #[test]
    fn the_timetable_decides_the_stage() {
        let t = timetable();
        let at = |s: &str| parse_tokyo(s).unwrap();
        assert_eq!(scheduled_stage(&t, at("2026-09-30T23:59")), None);
        assert_eq!(scheduled_stage(&t, at("2026-10-01T00:00")), Some((StageKind::Nominations, 0)));
        assert_eq!(scheduled_stage(&t, at("2027-01-31T23:59")), Some((StageKind::Nominations, 0)));
        assert_eq!(scheduled_stage(&t, at("2027-02-01T00:00")), Some((StageKind::Screening, 0)));
        assert_eq!(scheduled_stage(&t, at("2027-02-20T00:00")), Some((StageKind::Review, 1)));
        // Between the end of review and the start of decisions, review stays.
        assert_eq!(scheduled_stage(&t, at("2027-03-17T00:00")), Some((StageKind::Review, 1)));
        assert_eq!(scheduled_stage(&t, at("2027-03-20T00:00")), Some((StageKind::Decisions, 0)));
    }

    #[test]
    fn only_forward_moves_are_automatic() {
        let t = timetable();
        let now = parse_tokyo("2027-02-05T00:00").unwrap();
        assert_eq!(automatic_transition((StageKind::Nominations, 0), &t, now), Some((StageKind::Screening, 0)));
        assert_eq!(automatic_transition((StageKind::Screening, 0), &t, now), None);
        // An organiser moved it ahead by hand: the timetable does not pull it back.
        assert_eq!(automatic_transition((StageKind::Review, 1), &t, now), None);
    }

    #[test]
    fn review_rounds_are_ordered() {
        assert!(stage_order(StageKind::Review, 2) > stage_order(StageKind::Review, 1));
        assert!(stage_order(StageKind::Decisions, 0) > stage_order(StageKind::Review, 9));
        let mut t = timetable();
        t.push(slot(StageKind::Review, 2, Some("2027-03-16T00:00"), None));
        let now = parse_tokyo("2027-03-17T00:00").unwrap();
        assert_eq!(scheduled_stage(&t, now), Some((StageKind::Review, 2)));
    }
}
