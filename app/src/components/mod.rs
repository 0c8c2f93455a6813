//! Reusable parts of pages.
pub mod forms;
pub mod guard;
pub mod layout;
pub mod status;
