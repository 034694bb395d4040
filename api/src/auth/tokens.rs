//! Access tokens (short-lived JWT, HS256) and refresh tokens (stored hashed; the first one of a
//! session random, each later one derived from the one it replaces).

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    /// User id (a string, as the JWT standard wants).
    pub sub: String,
    /// Session id: the session must still be live for the token to count.
    pub sid: i64,
    pub iat: i64,
    pub exp: i64,
}

#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl JwtKeys {
    pub fn new(secret: &[u8]) -> Self {
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
        }
    }

    pub fn issue(&self, claims: &Claims) -> Result<String, jsonwebtoken::errors::Error> {
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &self.encoding)
    }

    /// The claims of a valid, unexpired token signed by us.
    pub fn verify(&self, token: &str) -> Option<Claims> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 5;
        validation.set_required_spec_claims(&["exp", "sub"]);
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation)
            .ok()
            .map(|d| d.claims)
    }
}

/// The key refresh tokens are rotated with. A session's first refresh token is random; each
/// later one is `HMAC-SHA256(key, previous token)` (RFC 2104), base64url. So a second request
/// that presents the token just replaced (the same browser's parallel call) can be handed the
/// same successor during the grace window, while nobody without the server's key can compute
/// the successor of a token they hold.
#[derive(Clone)]
pub struct RefreshKey([u8; 32]);

impl RefreshKey {
    /// The rotation key of a server secret (the JWT secret), kept apart from it by a label.
    pub fn derive(server_secret: &[u8]) -> Self {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        h.update(b"crm refresh-token rotation v1\0");
        h.update(server_secret);
        Self(h.finalize().into())
    }

    /// The token that replaces `token` when it is used.
    pub fn successor(&self, token: &str) -> String {
        use base64::Engine;
        use hmac::{Hmac, Mac};
        let mut mac = match Hmac::<sha2::Sha256>::new_from_slice(&self.0) {
            Ok(m) => m,
            // HMAC takes keys of any length; this arm cannot run.
            Err(_) => return String::new(),
        };
        mac.update(token.as_bytes());
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::RefreshKey;

    #[test]
    fn successors_are_stable_per_key_and_differ_between_keys() {
        let a = RefreshKey::derive(b"first server secret, 32 bytes long");
        let b = RefreshKey::derive(b"other server secret, 32 bytes long");
        let next = a.successor("token");
        assert_eq!(next, a.successor("token"));
        assert_ne!(next, a.successor("token2"));
        assert_ne!(next, b.successor("token"));
        assert_eq!(next.len(), 43, "32 bytes in base64url without padding");
    }
}
