//! The good-practice awards and archive platform: pure domain rules, server functions, pages,
//! and (with the `ssr` feature) the server side that stores and enforces them.
#![recursion_limit = "512"]

pub mod api;
mod app;
pub mod components;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
pub mod wire;

pub use app::{shell, App};

/// The wasm entry point: attaches the reactive system to the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}
