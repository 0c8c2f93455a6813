//! The built front-end files and their addresses. `cargo leptos build` (with `hash-files`)
//! names them `gp.<hash>.css|js|wasm` and lists the hashes in `hash.txt` beside the server
//! binary; without that file (a plain `cargo build`, the tests) the names carry no hash.
use std::sync::OnceLock;

pub struct Assets {
    pub css: String,
    pub js: String,
    pub wasm: String,
    /// True when the names carry a content hash, so they may be cached for a year.
    pub hashed: bool,
}

pub fn assets() -> &'static Assets {
    static ASSETS: OnceLock<Assets> = OnceLock::new();
    ASSETS.get_or_init(|| {
        let name = std::env::var("LEPTOS_OUTPUT_NAME").unwrap_or_else(|_| "gp".into());
        let file = std::env::var("LEPTOS_HASH_FILE_NAME").unwrap_or_else(|_| "hash.txt".into());
        let listed = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|dir| dir.join(&file)))
            .and_then(|path| std::fs::read_to_string(path).ok());
        from_hash_file(&name, listed.as_deref())
    })
}

fn from_hash_file(name: &str, listed: Option<&str>) -> Assets {
    let hash = |ext: &str| {
        listed.and_then(|text| {
            text.lines().find_map(|l| {
                let (k, v) = l.split_once(':')?;
                let v = v.trim();
                (k.trim() == ext
                    && !v.is_empty()
                    && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
                .then(|| v.to_string())
            })
        })
    };
    let file = |ext: &str| match hash(ext) {
        Some(h) => format!("{name}.{h}.{ext}"),
        None => format!("{name}.{ext}"),
    };
    Assets {
        css: file("css"),
        js: file("js"),
        wasm: file("wasm"),
        hashed: hash("wasm").is_some() && hash("css").is_some(),
    }
}

/// The stylesheet's address, for pages rendered outside the app (busy, too large).
pub fn css_href() -> String {
    format!("/pkg/{}", assets().css)
}

/// Does this `/pkg/` file name carry a content hash (`name.<22 base64url chars>.ext`)?
pub fn is_hashed_asset(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or("");
    let mut parts = file.split('.');
    let (Some(_), Some(hash), Some(_ext), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    hash.len() == 22 && hash.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_hash_file() {
        let a = from_hash_file(
            "gp",
            Some("js: AAAAAAAAAAAAAAAAAAAAAA\nwasm: BBBBBBBBBBBBBBBBBBBBBB\ncss: CCCCCCCCCCCCCCCCCCCCCC\n"),
        );
        assert_eq!(
            (a.js.as_str(), a.wasm.as_str(), a.css.as_str()),
            ("gp.AAAAAAAAAAAAAAAAAAAAAA.js", "gp.BBBBBBBBBBBBBBBBBBBBBB.wasm", "gp.CCCCCCCCCCCCCCCCCCCCCC.css")
        );
        assert!(a.hashed);
        let plain = from_hash_file("gp", None);
        assert_eq!((plain.js.as_str(), plain.wasm.as_str(), plain.css.as_str()), ("gp.js", "gp.wasm", "gp.css"));
        assert!(!plain.hashed);
        // A hash file that tries to inject markup or a path is ignored.
        let odd = from_hash_file("gp", Some("css: \"><script>\nwasm: ../x\n"));
        assert_eq!((odd.css.as_str(), odd.wasm.as_str()), ("gp.css", "gp.wasm"));
    }

    #[test]
    fn only_hashed_names_are_immutable() {
        assert!(is_hashed_asset("/pkg/gp.AAAAAAAAAAAAAAAAAAAAAA.wasm"));
        assert!(is_hashed_asset("/pkg/gp.Ab-_09AAAAAAAAAAAAAAAA.css"));
        assert!(!is_hashed_asset("/pkg/gp.css"));
        assert!(!is_hashed_asset("/pkg/gp_bg.wasm"));
        assert!(!is_hashed_asset("/pkg/gp.short.js"));
    }
}
