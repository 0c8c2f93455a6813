//! The public archive. Records enter only through `publish::publish` — after a second person's
//! sign-off of a prepared text, or from an operator's import — and only while consent allows
//! it; every consent change reaches the record through `publish::follow_consent` in the same
//! transaction, and unpublishing takes it off every public surface at once.
//!
//! - `index`: the per-process read model (snapshot, version) and the search index rows
//! - `search`: search with facets, result cards, the public record page
//! - `curation`: candidates, preparing, pending texts, sign-off, unpublishing
//! - `publish`: the one publish path and the consent follower
//! - `import`: bulk import through the publish path
//! - `synonyms`: the search synonym list
//! - `feeds`: sitemap index and Atom feed
pub mod curation;
pub mod feeds;
pub mod import;
pub mod index;
pub mod publish;
pub mod search;
pub mod synonyms;

pub use curation::{
    candidates, edit_view, list_practices, pending_sign_offs, prepare, save_draft, sign_off, sign_off_view, unpublish,
};
pub use feeds::{feed, sitemap_file, sitemap_index};
pub use import::{import, import_records, publish_for_test, ImportReport};
pub use index::{current_forum_version, current_version, snapshot, Cache, Snapshot};
pub use publish::{follow_consent, PracticeDraft};
pub use search::{badge_names, record, search, PER_PAGE};
pub use synonyms::{add_synonyms, delete_synonyms, synonyms};
