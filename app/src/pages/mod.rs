//! One file per route-level component.
pub mod account;
pub mod admin;
pub mod auth;
pub mod home;
pub mod info;
pub mod not_found;
