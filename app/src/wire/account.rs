//! The person's own account: what it holds, and what deleting it would do.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::account::{AfterDeletion, Role};
use crate::domain::ids::NominationId;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccountView {
    pub display_name: String,
    pub email: String,
    pub role: Role,
    /// "ja" or "en": the language of every mail to this person.
    pub locale: String,
    /// A change of address waiting for the link sent to the new address.
    pub pending_email: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// One nomination and what deletion does to it, with the reason in words on the page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeletionItem {
    pub nomination_id: NominationId,
    pub title: String,
    pub after: AfterDeletion,
    /// A public record exists; it stays under this consent scope (its key), if any.
    pub record_scope: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeletionPreview {
    pub items: Vec<DeletionItem>,
    pub reviews_written: usize,
    pub registrations: usize,
    /// The last administrator cannot delete the account.
    pub last_admin: bool,
}

/// What the platform holds about a featured person (no account), seen through their link.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeaturedData {
    pub title: String,
    pub nominee_name: String,
    pub nominee_kana: String,
    pub email: String,
    pub consent: crate::domain::consent::ConsentState,
    pub history: Vec<(String, DateTime<Utc>)>,
    pub record_published: bool,
    pub erased: bool,
}
