//! Server functions: thin adapters that authorise, call one service, and return wire types.
pub mod admin;
pub mod archive;
pub mod auth;
pub mod consent;
pub mod nominations;
pub mod organise;
pub mod review;
pub mod types;

/// Only local paths are followed after a form, never another site (`//evil.example`, `https:`).
pub fn safe_next(next: Option<&str>, fallback: &str) -> String {
    match next.map(str::trim) {
        Some(p) if p.starts_with('/') && !p.starts_with("//") && !p.starts_with("/\\") && !p.contains(['\r', '\n']) => {
            p.to_string()
        }
        _ => fallback.to_string(),
    }
}

/// The URL a plain `<form method="post">` posts to for server function `F`.
pub fn fn_path<F: leptos::server_fn::ServerFn>() -> &'static str {
    F::PATH
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_next(Some("/nominate?x=1"), "/"), "/nominate?x=1");
        for bad in
            ["//evil.example", "https://evil.example", "/\\evil", "javascript:alert(1)", "", "/a\r\nSet-Cookie: x"]
        {
            assert_eq!(safe_next(Some(bad), "/"), "/", "{bad:?}");
        }
        assert_eq!(safe_next(None, "/account"), "/account");
    }
}
