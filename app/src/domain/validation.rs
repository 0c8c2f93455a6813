//! Field-level validation results that cross the wire and are shown beside their field.
use serde::{Deserialize, Serialize};

/// What is wrong with a value, independent of language; the UI turns it into words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Problem {
    Required,
    TooLong {
        max: usize,
    },
    TooShort {
        min: usize,
    },
    InvalidEmail,
    InvalidUrl,
    InvalidChoice,
    InvalidNumber,
    InvalidDate,
    Mismatch,
    PasswordSameAsEmail,
    MustAcknowledge,
    TooMany {
        max: usize,
    },
    FileTooLarge {
        max_mb: usize,
    },
    FileTypeNotAllowed,
    OutOfRange {
        min: i64,
        max: i64,
    },
    EndBeforeStart,
    /// The platform's last administrator cannot delete their account.
    LastAdmin,
    /// The current password given to confirm a change is not the account's.
    WrongPassword,
    /// The new value is the one the account already has.
    Unchanged,
    /// The featured person's address is the nominator's own: consent must come from them.
    OwnAddress,
    /// An anonymised public text still contains the hidden name.
    NameInPublicText,
    /// A daily limit (e.g. consent requests per nomination) is reached.
    DailyLimit {
        max: usize,
    },
    /// Furigana must be written in kana.
    InvalidKana,
    /// Not a phone number.
    InvalidPhone,
    /// The venue's seats are taken (online, or the waiting list, may still be open).
    VenueFull,
    /// The venue is no longer offered (online only from a date, or no venue at all).
    VenueClosed,
    /// Online participation is not offered for this event.
    NoOnline,
    /// This address (or address-like key) is already registered.
    AlreadyRegistered,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub problem: Problem,
}

impl FieldError {
    pub fn new(field: impl Into<String>, problem: Problem) -> Self {
        Self { field: field.into(), problem }
    }
}

/// Counts characters as people do (Unicode scalar values), not bytes: 120 Japanese characters
/// are 120 characters.
pub fn char_len(value: &str) -> usize {
    value.chars().count()
}

/// Collects every problem of a form at once, so the user can fix them all in one pass.
#[derive(Default, Debug)]
pub struct Checker {
    errors: Vec<FieldError>,
}

impl Checker {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, field: &str, problem: Problem) {
        // One message per field is enough; the first is the most basic.
        if !self.errors.iter().any(|e| e.field == field) {
            self.errors.push(FieldError::new(field, problem));
        }
    }

    pub fn required(&mut self, field: &str, value: &str) -> &mut Self {
        if value.trim().is_empty() {
            self.push(field, Problem::Required);
        }
        self
    }

    pub fn max_chars(&mut self, field: &str, value: &str, max: usize) -> &mut Self {
        if char_len(value) > max {
            self.push(field, Problem::TooLong { max });
        }
        self
    }

    pub fn min_chars(&mut self, field: &str, value: &str, min: usize) -> &mut Self {
        if !value.is_empty() && char_len(value) < min {
            self.push(field, Problem::TooShort { min });
        }
        self
    }

    pub fn check(&mut self, field: &str, ok: bool, problem: Problem) -> &mut Self {
        if !ok {
            self.push(field, problem);
        }
        self
    }

    pub fn errors(&self) -> &[FieldError] {
        &self.errors
    }

    pub fn finish(self) -> Result<(), Vec<FieldError>> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(self.errors)
        }
    }
}

/// A pragmatic e-mail check: one `@`, something before it, a dotted domain after it, no spaces.
/// Delivery is the real test; this only catches typing mistakes early.
pub fn is_plausible_email(value: &str) -> bool {
    let value = value.trim();
    let Some((local, domain)) = value.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !value.chars().any(|c| c.is_whitespace() || c.is_control())
        && value.len() <= 254
}

/// Accepts only absolute http(s) links, the only kind a practice page may point to.
pub fn is_web_url(value: &str) -> bool {
    let v = value.trim();
    let rest = v.strip_prefix("https://").or_else(|| v.strip_prefix("http://"));
    match rest {
        Some(rest) => {
            let host = rest.split(['/', '?', '#']).next().unwrap_or("");
            !host.is_empty()
                && host.contains('.')
                && !v.chars().any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>')
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_not_bytes_are_counted() {
        assert_eq!(char_len("難病と就労"), 5);
        let mut c = Checker::new();
        c.max_chars("title", &"あ".repeat(120), 120);
        assert!(c.errors().is_empty());
        c.max_chars("title", &"あ".repeat(121), 120);
        assert_eq!(c.errors()[0].problem, Problem::TooLong { max: 120 });
    }

    #[test]
    fn only_the_first_problem_of_a_field_is_kept() {
        let mut c = Checker::new();
        c.required("email", " ").check("email", false, Problem::InvalidEmail);
        assert_eq!(c.errors(), &[FieldError::new("email", Problem::Required)]);
    }

    #[test]
    fn plausible_emails() {
        for ok in ["a@example.jp", "taro.yamada+award@mail.example.co.jp"] {
            assert!(is_plausible_email(ok), "{ok}");
        }
        for bad in ["", "a", "a@", "@b.jp", "a@b", "a b@c.jp", "a@b@c.jp", "a@.jp", "a@jp."] {
            assert!(!is_plausible_email(bad), "{bad}");
        }
    }

    #[test]
    fn only_http_links_are_web_urls() {
        assert!(is_web_url("https://example.jp/practice?id=1"));
        assert!(is_web_url("http://city.saitama.jp"));
        for bad in [
            "javascript:alert(1)",
            "data:text/html,x",
            "ftp://x.jp",
            "https://",
            "https://localhost",
            "https://a.jp/\"onload",
        ] {
            assert!(!is_web_url(bad), "{bad}");
        }
    }
}
