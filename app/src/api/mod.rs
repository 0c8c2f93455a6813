//! Server functions: thin adapters that authorise, call one service, and return wire types.
pub mod account;
pub mod admin;
pub mod archive;
pub mod auth;
pub mod consent;
pub mod feedback;
pub mod forum;
pub mod nominations;
pub mod organise;
pub mod review;

pub use crate::domain::links::safe_next;

/// The URL a plain `<form method="post">` posts to for server function `F`.
pub fn fn_path<F: leptos::server_fn::ServerFn>() -> &'static str {
    F::PATH
}
