//! Pure rules of the programme: no IO, no framework; compiled for the server and the browser.
pub mod account;
pub mod archive;
pub mod assignment;
pub mod category;
pub mod consent;
pub mod edition;
pub mod files;
pub mod ids;
pub mod links;
pub mod nomination;
pub mod permissions;
pub mod policy;
pub mod region;
pub mod scoring;
pub mod search;
pub mod time;
pub mod validation;
