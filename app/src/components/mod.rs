//! Reusable parts of pages.
pub mod enhance;
pub mod forms;
pub mod guard;
pub mod layout;
pub mod status;
