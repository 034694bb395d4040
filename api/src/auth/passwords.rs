//! Password hashing with argon2id, always off the async runtime (it takes tens of ms of CPU
//! and ~19 MiB each), and at most [`CONCURRENT_HASHES`] at once in a process.

use std::time::Duration;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use tokio::sync::{Semaphore, SemaphorePermit};

use crate::error::{ApiError, ApiResult};

pub const MIN_LEN: usize = 8;
pub const MAX_LEN: usize = 256;

/// Password hashes and checks running at once; the rest wait up to [`WAIT`] for a turn, then
/// get UNAVAILABLE. A burst of sign-ins cannot take every core and a lot of memory.
pub const CONCURRENT_HASHES: usize = 2;
const WAIT: Duration = Duration::from_secs(10);

async fn turn(work: &Semaphore) -> ApiResult<SemaphorePermit<'_>> {
    match tokio::time::timeout(WAIT, work.acquire()).await {
        Ok(Ok(permit)) => Ok(permit),
        _ => Err(ApiError::Unavailable(anyhow::anyhow!(
            "too many password checks at once"
        ))),
    }
}

/// The argon2id hash of `password`, in PHC string form. `work` is the process's
/// [`CONCURRENT_HASHES`] semaphore (`App::password_work`).
pub async fn hash(work: &Semaphore, password: String) -> ApiResult<String> {
    let _turn = turn(work).await?;
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::encode_b64(&rand::random::<[u8; 16]>())
            .map_err(|e| ApiError::internal(anyhow::anyhow!("salt: {e}")))?;
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| ApiError::internal(anyhow::anyhow!("argon2: {e}")))
    })
    .await
    .map_err(ApiError::internal)?
}

/// Checks `password` against `stored`. With no stored hash (unknown user) it still spends
/// the time of one verification, so response times do not reveal which e-mails exist.
pub async fn verify(work: &Semaphore, password: String, stored: Option<String>) -> ApiResult<bool> {
    let _turn = turn(work).await?;
    tokio::task::spawn_blocking(move || {
        let stored = stored.unwrap_or_else(|| DUMMY_HASH.to_owned());
        let parsed = PasswordHash::new(&stored)
            .map_err(|e| ApiError::internal(anyhow::anyhow!("stored hash: {e}")))?;
        Ok(Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
            && stored != DUMMY_HASH)
    })
    .await
    .map_err(ApiError::internal)?
}

/// argon2id hash of a random password nobody knows, with the default parameters.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$3b3b6WAfsXbNGM5SG4h1lu8kQ8Go6qe0aLVUcWRiVfE";

pub fn validate(password: &str) -> ApiResult<()> {
    let n = password.chars().count();
    if n < MIN_LEN {
        return Err(ApiError::bad_input(
            "password",
            format!("the password needs at least {MIN_LEN} characters"),
        ));
    }
    if n > MAX_LEN {
        return Err(ApiError::bad_input(
            "password",
            format!("the password may have at most {MAX_LEN} characters"),
        ));
    }
    Ok(())
}
