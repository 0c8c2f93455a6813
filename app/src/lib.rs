//! The good-practice awards and archive platform: pure domain rules, server functions, pages,
//! and (with the `ssr` feature) the server side that stores and enforces them.
#![recursion_limit = "512"]

pub mod api;
mod app;
#[cfg(feature = "ssr")]
pub mod assets;
pub mod components;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
pub mod wire;

pub use app::{shell, App};

/// The wasm entry point: sets up the reactive system; the loader (`islands.js`) then hydrates
/// each `<leptos-island>` of the page. Pages without an island never load the wasm.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
