//! API key format: `crm_<prefix>_<secret>`. The prefix (8 characters) is shown in lists so a
//! person can tell keys apart; the whole key is shown once, at creation, and stored hashed.

use rand::Rng;

pub const MARKER: &str = "crm_";

pub struct GeneratedKey {
    pub full: String,
    pub prefix: String,
    pub hash: String,
}

pub fn generate() -> GeneratedKey {
    const ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyz23456789";
    let mut rng = rand::rng();
    let prefix: String = (0..8)
        .filter_map(|_| ALPHABET.get(rng.random_range(0..ALPHABET.len())))
        .map(|&b| char::from(b))
        .collect();
    let full = format!("{MARKER}{prefix}_{}", super::random_token(32));
    let hash = super::secret_hash(&full);
    GeneratedKey { full, prefix, hash }
}

/// Whether a bearer token looks like an API key rather than an access token.
pub fn is_api_key(token: &str) -> bool {
    token.starts_with(MARKER)
}
