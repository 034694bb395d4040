//! Authentication: passwords, access and refresh tokens, API keys, rate limits, and the
//! [`Principal`] every request is turned into.

pub mod api_keys;
pub mod passwords;
pub mod principal;
pub mod rate_limit;
pub mod tokens;

pub use principal::{Principal, Role, Scope};

use sha2::{Digest, Sha256};

/// Hex SHA-256 of a high-entropy secret (API keys, refresh tokens). Such secrets need no slow
/// hash: guessing them is hopeless, and they are checked on every request.
pub fn secret_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// `n` random bytes as URL-safe base64 without padding.
pub fn random_token(n: usize) -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut bytes = vec![0u8; n];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}
