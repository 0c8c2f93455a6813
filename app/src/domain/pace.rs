//! Pace: health fluctuates (ゆらぎ), so a nominator may ask for a little more time and a
//! reviewer may pause or hand back an assignment. Pure rules; the services store and audit.
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::validation::{FieldError, Problem};

/// The longest extension a nominator may ask for, in days after the deadline (or after now,
/// when the deadline has already passed). Organisers may grant a different date.
pub const MAX_EXTENSION_DAYS: i64 = 14;
/// The longest an organiser's grant may reach beyond the deadline (or now, once it passed).
pub const MAX_GRANT_DAYS: i64 = 60;
pub const REASON_MAX: usize = 1000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExtensionStatus {
    Pending,
    Granted,
    Declined,
}

impl ExtensionStatus {
    pub fn key(self) -> &'static str {
        match self {
            ExtensionStatus::Pending => "pending",
            ExtensionStatus::Granted => "granted",
            ExtensionStatus::Declined => "declined",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [ExtensionStatus::Pending, ExtensionStatus::Granted, ExtensionStatus::Declined]
            .into_iter()
            .find(|x| x.key() == s)
    }
}

/// The nominator's request: how many more days and why. Returns the date asked for.
pub fn check_request(
    days: &str,
    reason: &str,
    deadline: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>, Vec<FieldError>> {
    let mut errors = vec![];
    let days = match days.trim().parse::<i64>() {
        Ok(d) if (1..=MAX_EXTENSION_DAYS).contains(&d) => Some(d),
        Ok(_) => {
            errors.push(FieldError::new("days", Problem::OutOfRange { min: 1, max: MAX_EXTENSION_DAYS }));
            None
        }
        Err(_) => {
            errors.push(FieldError::new("days", Problem::InvalidChoice));
            None
        }
    };
    let reason = reason.trim();
    if reason.is_empty() {
        errors.push(FieldError::new("reason", Problem::Required));
    } else if reason.chars().count() > REASON_MAX {
        errors.push(FieldError::new("reason", Problem::TooLong { max: REASON_MAX }));
    }
    match days {
        Some(d) if errors.is_empty() => Ok(from(deadline, now) + Duration::days(d)),
        _ => Err(errors),
    }
}

/// An extension counts from the deadline, or from now once the deadline has passed.
fn from(deadline: Option<DateTime<Utc>>, now: DateTime<Utc>) -> DateTime<Utc> {
    deadline.filter(|d| *d > now).unwrap_or(now)
}

/// The organiser's grant: a date after the deadline (or after now, once it passed), at most
/// `MAX_GRANT_DAYS` beyond it.
pub fn check_grant(
    until: Option<DateTime<Utc>>,
    deadline: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>, FieldError> {
    let Some(until) = until else {
        return Err(FieldError::new("until", Problem::InvalidDate));
    };
    let base = from(deadline, now);
    if until <= base || until > base + Duration::days(MAX_GRANT_DAYS) {
        return Err(FieldError::new("until", Problem::OutOfRange { min: 0, max: MAX_GRANT_DAYS }));
    }
    Ok(until)
}

/// May a nomination be edited and submitted now thanks to an extension?
pub fn extended(until: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    until.is_some_and(|u| now < u)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn a_request_counts_from_the_deadline_or_from_now_once_it_passed() {
        let now = at("2027-01-10T00:00:00Z");
        let deadline = at("2027-01-31T15:00:00Z");
        assert_eq!(check_request("7", "体調の波があり", Some(deadline), now), Ok(deadline + Duration::days(7)));
        let passed = at("2027-01-05T00:00:00Z");
        assert_eq!(check_request("3", "入院のため", Some(passed), now), Ok(now + Duration::days(3)));
        assert_eq!(check_request("1", "x", None, now), Ok(now + Duration::days(1)));
    }

    #[test]
    fn a_request_names_every_problem_at_once() {
        let now = at("2027-01-10T00:00:00Z");
        let errs = check_request("30", "  ", None, now).unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["days", "reason"]);
        assert_eq!(errs[0].problem, Problem::OutOfRange { min: 1, max: MAX_EXTENSION_DAYS });
        assert!(check_request("0", "r", None, now).is_err());
        assert!(check_request("abc", "r", None, now).is_err());
        let long = "あ".repeat(REASON_MAX + 1);
        assert_eq!(check_request("2", &long, None, now).unwrap_err()[0].problem, Problem::TooLong { max: REASON_MAX });
    }

    #[test]
    fn a_grant_lies_after_the_deadline_and_not_too_far() {
        let now = at("2027-02-01T00:00:00Z");
        let deadline = at("2027-01-31T15:00:00Z");
        assert!(check_grant(Some(now + Duration::days(5)), Some(deadline), now).is_ok());
        assert!(check_grant(Some(now - Duration::hours(1)), Some(deadline), now).is_err());
        assert!(check_grant(Some(now + Duration::days(MAX_GRANT_DAYS + 1)), Some(deadline), now).is_err());
        assert!(check_grant(None, Some(deadline), now).is_err());
        // Before the deadline, a grant must reach beyond it, and counts from it.
        let early = at("2026-12-04T00:00:00Z");
        assert!(check_grant(Some(deadline - Duration::hours(1)), Some(deadline), early).is_err());
        assert!(check_grant(Some(deadline + Duration::days(7)), Some(deadline), early).is_ok());
        assert!(check_grant(Some(deadline + Duration::days(MAX_GRANT_DAYS + 1)), Some(deadline), early).is_err());
    }

    #[test]
    fn an_extension_ends_at_its_date() {
        let u = at("2027-02-05T00:00:00Z");
        assert!(extended(Some(u), u - Duration::seconds(1)));
        assert!(!extended(Some(u), u));
        assert!(!extended(None, u));
    }
}
