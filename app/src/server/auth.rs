//! Credentials and tokens: Argon2id password hashes, random tokens stored only as hashes,
//! session cookies, and HMAC signatures for links sent by e-mail.
use std::sync::OnceLock;

use argon2::{
    password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Argon2,
};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::error::AppError;

pub const SESSION_COOKIE: &str = "gp_session";
pub const SESSION_DAYS: i64 = 14;

/// Argon2id needs 19 MiB per hash: without a bound, a burst of sign-ups and password checks
/// (32 at once in `bench-people.sh`) held over 500 MB. Two hashes per core keep the cores busy
/// and the memory at a few dozen MB; the rest wait their turn.
fn hashing() -> &'static tokio::sync::Semaphore {
    static HASHING: OnceLock<tokio::sync::Semaphore> = OnceLock::new();
    HASHING.get_or_init(|| {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        tokio::sync::Semaphore::new((cores * 2).clamp(2, 16))
    })
}

/// Hashes on a blocking thread: Argon2id is deliberately slow and must not stall the runtime.
pub async fn hash_password(password: &str) -> Result<String, AppError> {
    let password = password.to_owned();
    let _turn = hashing().acquire().await.map_err(|e| AppError::internal("hash password turn", e))?;
    tokio::task::spawn_blocking(move || {
        let salt = new_salt()?;
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| AppError::internal("hash password", e))
    })
    .await
    .map_err(|e| AppError::internal("hash password task", e))?
}

/// Verifies against the stored hash; with no account, verifies against a fixed hash so that
/// the answer takes as long whether or not the address is registered.
pub async fn verify_password(stored_hash: Option<String>, password: &str) -> bool {
    let password = password.to_owned();
    let Ok(_turn) = hashing().acquire().await else { return false };
    tokio::task::spawn_blocking(move || {
        let hash = stored_hash.unwrap_or_else(|| dummy_hash().to_owned());
        match PasswordHash::new(&hash) {
            Ok(parsed) => Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(),
            Err(_) => false,
        }
    })
    .await
    .unwrap_or(false)
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        new_salt()
            .ok()
            .and_then(|salt| Argon2::default().hash_password(b"not-a-real-password", &salt).ok().map(|h| h.to_string()))
            .unwrap_or_default()
    })
}

fn new_salt() -> Result<SaltString, AppError> {
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    SaltString::encode_b64(&bytes).map_err(|e| AppError::internal("salt", e))
}

/// 256 random bits, URL-safe.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What the database keeps instead of a token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub fn session_cookie(token: &str, secure: bool) -> String {
    let max_age = SESSION_DAYS * 24 * 3600;
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{}",
        if secure { "; Secure" } else { "" }
    )
}

pub fn clear_session_cookie(secure: bool) -> String {
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}", if secure { "; Secure" } else { "" })
}

type HmacSha256 = Hmac<Sha256>;

/// Signs `payload` so a mailed link cannot be forged or altered.
pub fn sign(key: &[u8], payload: &str) -> String {
    let Ok(mut mac) = HmacSha256::new_from_slice(key) else {
        return String::new();
    };
    mac.update(payload.as_bytes());
    URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

pub fn verify_signature(key: &[u8], payload: &str, signature: &str) -> bool {
    let Ok(sig) = URL_SAFE_NO_PAD.decode(signature) else {
        return false;
    };
    let Ok(mut mac) = HmacSha256::new_from_slice(key) else {
        return false;
    };
    mac.update(payload.as_bytes());
    mac.verify_slice(&sig).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn passwords_verify_only_against_their_own_hash() {
        let hash = hash_password("yuragi-to-taiwa").await.unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password(Some(hash.clone()), "yuragi-to-taiwa").await);
        assert!(!verify_password(Some(hash), "yuragi-to-taiwa ").await);
        assert!(!verify_password(None, "anything").await);
    }

    #[test]
    fn tokens_are_unique_and_stored_hashed() {
        let a = new_token();
        let b = new_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a);
    }

    #[test]
    fn cookies_are_http_only_lax_and_secure_over_https() {
        let c = session_cookie("t", true);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.ends_with("; Secure"));
        assert!(!session_cookie("t", false).contains("Secure"));
        assert!(clear_session_cookie(false).contains("Max-Age=0"));
    }

    #[test]
    fn signatures_detect_any_change() {
        let key = b"0123456789abcdef0123456789abcdef";
        let sig = sign(key, "consent:42:1700000000");
        assert!(verify_signature(key, "consent:42:1700000000", &sig));
        assert!(!verify_signature(key, "consent:43:1700000000", &sig));
        assert!(!verify_signature(b"another-key-another-key-another!", "consent:42:1700000000", &sig));
        assert!(!verify_signature(key, "consent:42:1700000000", "garbage"));
    }
}
