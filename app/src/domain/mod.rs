//! Pure rules of the programme: no IO, no framework; compiled for the server and the browser.
pub mod account;
pub mod ids;
pub mod time;
pub mod validation;
