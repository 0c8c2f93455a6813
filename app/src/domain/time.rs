//! Programme time: deadlines are stated and enforced in Japan time.
//!
//! Asia/Tokyo has had a fixed offset of +09:00 without daylight saving since 1951, so a fixed
//! offset is exact for every date this programme can meet and needs no time-zone database.
use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone, Utc};

pub const TOKYO_OFFSET_SECONDS: i32 = 9 * 3600;

const TOKYO: FixedOffset = match FixedOffset::east_opt(TOKYO_OFFSET_SECONDS) {
    Some(offset) => offset,
    None => panic!("+09:00 is a valid offset"),
};

pub fn tokyo() -> FixedOffset {
    TOKYO
}

/// Renders an instant as Japan time, e.g. `2026-12-01 17:00`.
pub fn format_tokyo(at: DateTime<Utc>) -> String {
    at.with_timezone(&tokyo()).format("%Y-%m-%d %H:%M").to_string()
}

/// A deadline as people say it: an exclusive close at midnight reads as 24:00 of the day before
/// (`2027-02-01 00:00` → `2027-01-31 24:00`).
pub fn format_deadline(at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&tokyo());
    if local.format("%H:%M:%S").to_string() == "00:00:00" {
        let day_before = local - chrono::Duration::days(1);
        format!("{} 24:00", day_before.format("%Y-%m-%d"))
    } else {
        local.format("%Y-%m-%d %H:%M").to_string()
    }
}

/// Reads a Japan-time wall clock value (`YYYY-MM-DDTHH:MM` from a datetime-local input, or
/// `YYYY-MM-DD HH:MM`) as an instant.
pub fn parse_tokyo(input: &str) -> Option<DateTime<Utc>> {
    let s = input.trim().replace(' ', "T");
    let naive = NaiveDateTime::parse_from_str(&s, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(&s, "%Y-%m-%dT%H:%M:%S"))
        .ok()?;
    tokyo().from_local_datetime(&naive).single().map(|d| d.with_timezone(&Utc))
}

/// The value for a `datetime-local` input showing this instant in Japan time.
pub fn to_tokyo_input(at: DateTime<Utc>) -> String {
    at.with_timezone(&tokyo()).format("%Y-%m-%dT%H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokyo_midnight_is_fifteen_hundred_utc_the_day_before() {
        let at = parse_tokyo("2027-01-31T00:00").unwrap();
        assert_eq!(at, Utc.with_ymd_and_hms(2027, 1, 30, 15, 0, 0).unwrap());
    }

    #[test]
    fn formatting_and_parsing_round_trip_in_japan_time() {
        let at = Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 0).unwrap();
        assert_eq!(format_tokyo(at), "2026-12-01 17:00");
        assert_eq!(parse_tokyo(&to_tokyo_input(at)), Some(at));
    }

    #[test]
    fn midnight_deadlines_read_as_24_00_of_the_day_before() {
        assert_eq!(format_deadline(parse_tokyo("2027-02-01T00:00").unwrap()), "2027-01-31 24:00");
        assert_eq!(format_deadline(parse_tokyo("2027-01-31T17:00").unwrap()), "2027-01-31 17:00");
    }

    #[test]
    fn garbage_is_not_a_time() {
        assert_eq!(parse_tokyo("tomorrow"), None);
        assert_eq!(parse_tokyo("2026-13-01T00:00"), None);
    }
}
