//! One file per route-level component.
pub mod account;
pub mod admin;
pub mod archive;
pub mod auth;
pub mod consent;
pub mod home;
pub mod info;
pub mod my_nominations;
pub mod nominate;
pub mod nomination_edit;
pub mod nomination_view;
pub mod not_found;
pub mod organise;
pub mod organise_archive;
pub mod organise_review;
pub mod review;
