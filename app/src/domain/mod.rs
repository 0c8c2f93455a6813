//! Pure rules of the programme: no IO, no framework; compiled for the server and the browser.
pub mod account;
pub mod category;
pub mod consent;
pub mod edition;
pub mod files;
pub mod ids;
pub mod nomination;
pub mod region;
pub mod time;
pub mod validation;
