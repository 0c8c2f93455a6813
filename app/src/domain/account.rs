//! Accounts and roles: who may do what across the platform, and what a valid account looks like.
use serde::{Deserialize, Serialize};

use super::validation::{is_plausible_email, Checker, FieldError, Problem};

pub const PASSWORD_MIN: usize = 10;
pub const PASSWORD_MAX: usize = 128;
pub const DISPLAY_NAME_MAX: usize = 40;

/// Platform-wide roles. A reviewer's access to entries is further limited per edition and panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    Nominator,
    Reviewer,
    Organiser,
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Nominator, Role::Reviewer, Role::Organiser, Role::Admin];

    pub fn key(self) -> &'static str {
        match self {
            Role::Nominator => "nominator",
            Role::Reviewer => "reviewer",
            Role::Organiser => "organiser",
            Role::Admin => "admin",
        }
    }

    pub fn parse(key: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.key() == key)
    }

    /// Organisers run the programme; admins run the platform and may do all an organiser does.
    pub fn can_organise(self) -> bool {
        matches!(self, Role::Organiser | Role::Admin)
    }

    /// Reviewer pages are for invited reviewers; organisers see them to support reviewers.
    pub fn can_review(self) -> bool {
        matches!(self, Role::Reviewer | Role::Organiser | Role::Admin)
    }

    pub fn can_administer(self) -> bool {
        matches!(self, Role::Admin)
    }
}

/// Addresses are compared case-insensitively and without surrounding spaces.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

pub fn check_password(checker: &mut Checker, field: &str, password: &str, email: &str) {
    checker
        .required(field, password)
        .min_chars(field, password, PASSWORD_MIN)
        .max_chars(field, password, PASSWORD_MAX)
        .check(
            field,
            password.is_empty() || normalize_email(password) != normalize_email(email),
            Problem::PasswordSameAsEmail,
        );
}

pub fn validate_sign_up(email: &str, display_name: &str, password: &str) -> Result<(), Vec<FieldError>> {
    let mut c = Checker::new();
    c.required("email", email)
        .check("email", is_plausible_email(email), Problem::InvalidEmail)
        .required("display_name", display_name)
        .max_chars("display_name", display_name.trim(), DISPLAY_NAME_MAX);
    check_password(&mut c, "password", password, email);
    c.finish()
}

pub fn validate_new_password(password: &str, confirm: &str) -> Result<(), Vec<FieldError>> {
    let mut c = Checker::new();
    check_password(&mut c, "password", password, "");
    c.check("password_confirm", password == confirm, Problem::Mismatch);
    c.finish()
}

/// What deleting an account does to one of its nominations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AfterDeletion {
    /// Erased with its attachments, consents and links: nobody has relied on it yet.
    Erase,
    /// Already under review, decided or published: it stays in the programme under the consent
    /// the featured person gave (and no further), with the nominator's identity removed.
    KeepAnonymised,
}

/// A draft, a withdrawn entry, or one submitted while nominations are still being taken is
/// erased; once screening has begun, reviewers and the featured person have relied on it, and
/// a published record exists only under its consent.
pub fn after_deletion(
    status: super::nomination::NominationStatus,
    stage: super::edition::StageKind,
    has_record: bool,
) -> AfterDeletion {
    use super::edition::StageKind as S;
    use super::nomination::NominationStatus as N;
    if has_record {
        return AfterDeletion::KeepAnonymised;
    }
    match status {
        N::Draft | N::Withdrawn => AfterDeletion::Erase,
        N::Submitted if matches!(stage, S::Setup | S::Nominations) => AfterDeletion::Erase,
        N::Submitted => AfterDeletion::KeepAnonymised,
    }
}

/// How a deleted account is shown where its past actions remain (reviews, audit, decisions).
pub fn deleted_label(id: i64) -> String {
    format!("退会したアカウント / deleted account #{id}")
}

/// The address a deleted account keeps so the unique index holds; it can never receive mail,
/// and its random part means nobody can register it first to block a deletion.
pub fn deleted_address(id: i64, random: &str) -> String {
    let random: String = random.chars().filter(char::is_ascii_alphanumeric).take(16).collect();
    format!("deleted-{id}-{random}@deleted.invalid")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deletion_erases_what_nobody_relied_on_and_keeps_the_rest_anonymised() {
        use crate::domain::edition::StageKind as S;
        use crate::domain::nomination::NominationStatus as N;
        for stage in S::ALL {
            assert_eq!(after_deletion(N::Draft, stage, false), AfterDeletion::Erase, "{stage:?}");
            assert_eq!(after_deletion(N::Withdrawn, stage, false), AfterDeletion::Erase, "{stage:?}");
            // A published record stays only under its consent, whatever became of the entry.
            assert_eq!(after_deletion(N::Withdrawn, stage, true), AfterDeletion::KeepAnonymised);
        }
        assert_eq!(after_deletion(N::Submitted, S::Nominations, false), AfterDeletion::Erase);
        for stage in [S::Screening, S::Review, S::Decisions, S::Results, S::Archived] {
            assert_eq!(after_deletion(N::Submitted, stage, false), AfterDeletion::KeepAnonymised, "{stage:?}");
        }
    }

    #[test]
    fn a_deleted_account_keeps_no_personal_data_in_its_label_or_address() {
        assert_eq!(deleted_label(42), "退会したアカウント / deleted account #42");
        let a = deleted_address(42, "Ab3-x_9");
        assert_eq!(a, "deleted-42-Ab3x9@deleted.invalid");
        assert_ne!(deleted_address(42, "one"), deleted_address(42, "two"));
    }

    #[test]
    fn role_keys_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.key()), Some(role));
        }
        assert_eq!(Role::parse("superuser"), None);
    }

    #[test]
    fn permissions_by_role() {
        let table = [
            (Role::Nominator, false, false, false),
            (Role::Reviewer, true, false, false),
            (Role::Organiser, true, true, false),
            (Role::Admin, true, true, true),
        ];
        for (role, review, organise, admin) in table {
            assert_eq!(role.can_review(), review, "{role:?} review");
            assert_eq!(role.can_organise(), organise, "{role:?} organise");
            assert_eq!(role.can_administer(), admin, "{role:?} admin");
        }
    }

    #[test]
    fn sign_up_reports_every_field_at_once() {
        let errors = validate_sign_up("not-an-email", "", "short").unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["email", "display_name", "password"]);
        assert_eq!(errors[2].problem, Problem::TooShort { min: PASSWORD_MIN });
    }

    #[test]
    fn a_good_sign_up_passes() {
        assert!(validate_sign_up("hanako@example.jp", "山田 花子", "yuragi-to-taiwa").is_ok());
    }

    #[test]
    fn password_equal_to_email_is_refused() {
        let errors = validate_sign_up("longname@example.jp", "x", "LongName@example.jp").unwrap_err();
        assert_eq!(errors[0].problem, Problem::PasswordSameAsEmail);
    }

    #[test]
    fn new_password_must_match_confirmation() {
        let errors = validate_new_password("yuragi-to-taiwa", "yuragi-to-taiwa!").unwrap_err();
        assert_eq!(errors, vec![FieldError::new("password_confirm", Problem::Mismatch)]);
    }

    #[test]
    fn emails_are_normalised_for_comparison() {
        assert_eq!(normalize_email("  Hanako@Example.JP "), "hanako@example.jp");
    }
}
