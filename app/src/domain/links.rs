//! Where the site may send a browser after a form: only to its own pages, never another site.
//! Pure, so the page that builds a link and the server that follows it agree.

/// `next` if it is a path on this site, else `fallback`. Browsers drop tabs and newlines from
/// URLs and read `\` as `/`, so `/\t/evil.example` or `/\evil.example` would leave the site:
/// anything with a control character, whitespace or a backslash is refused, and what remains
/// must be an absolute path that does not start a network path (`//`).
pub fn safe_next(next: Option<&str>, fallback: &str) -> String {
    match next {
        Some(p) if is_local_path(p) => p.to_string(),
        _ => fallback.to_string(),
    }
}

pub fn is_local_path(p: &str) -> bool {
    p.starts_with('/')
        && !p.starts_with("//")
        && p.len() <= 2000
        && !p.chars().any(|c| c.is_control() || c.is_whitespace() || c == '\\')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_next(Some("/nominate?x=1"), "/"), "/nominate?x=1");
        assert_eq!(safe_next(Some("/archive?q=%E9%9B%A3%E7%97%85#top"), "/"), "/archive?q=%E9%9B%A3%E7%97%85#top");
        for bad in [
            "//evil.example",
            "https://evil.example",
            "/\\evil",
            "\\\\evil.example",
            "javascript:alert(1)",
            "",
            " /x",
            "/a\r\nSet-Cookie: x",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\u{0}/evil.example",
            "/ /evil.example",
            "/\u{3000}/evil.example",
            "evil.example",
        ] {
            assert_eq!(safe_next(Some(bad), "/"), "/", "{bad:?}");
        }
        assert_eq!(safe_next(None, "/account"), "/account");
    }
}
