//! In-process rate limits (token buckets by key). Each server process limits on its own;
//! behind a load balancer the effective limit is per process.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct RateLimiter {
    per_minute: f64,
    buckets: Mutex<HashMap<String, Bucket>>,
}

struct Bucket {
    tokens: f64,
    updated: Instant,
}

/// Buckets kept at most: idle ones are swept first, then the longest idle, so memory stays
/// bounded under key-spraying. Callers pass short keys (a hash, an id, an address).
const MAX_BUCKETS: usize = 100_000;

impl RateLimiter {
    pub fn new(per_minute: u32) -> Self {
        Self {
            per_minute: f64::from(per_minute.max(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// [`RateLimiter::check`] as the API answers it: RATE_LIMITED with the seconds to wait
    /// (at least 1) when the bucket is empty.
    pub fn take(&self, key: &str) -> crate::error::ApiResult<()> {
        self.check(key)
            .map_err(|wait| crate::error::ApiError::RateLimited {
                retry_after_secs: wait.as_secs().max(1),
            })
    }

    /// Takes one token for `key`. `Err(wait)` when the bucket is empty.
    pub fn check(&self, key: &str) -> Result<(), Duration> {
        let now = Instant::now();
        let rate = self.per_minute / 60.0;
        let mut buckets = match self.buckets.lock() {
            Ok(b) => b,
            Err(poisoned) => poisoned.into_inner(),
        };
        if buckets.len() >= MAX_BUCKETS && !buckets.contains_key(key) {
            let full = self.per_minute;
            buckets.retain(|_, b| {
                b.tokens + now.duration_since(b.updated).as_secs_f64() * rate < full
            });
            // Still full of live buckets (keys sprayed faster than they refill): the one
            // idle longest goes, so the map never grows past the bound.
            if buckets.len() >= MAX_BUCKETS
                && let Some(oldest) = buckets
                    .iter()
                    .min_by_key(|(_, b)| b.updated)
                    .map(|(k, _)| k.clone())
            {
                buckets.remove(&oldest);
            }
        }
        let bucket = buckets.entry(key.to_owned()).or_insert(Bucket {
            tokens: self.per_minute,
            updated: now,
        });
        let elapsed = now.duration_since(bucket.updated).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * rate).min(self.per_minute);
        bucket.updated = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - bucket.tokens) / rate))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empties_then_refuses() {
        let limiter = RateLimiter::new(3);
        assert!(limiter.check("a").is_ok());
        assert!(limiter.check("a").is_ok());
        assert!(limiter.check("a").is_ok());
        let wait = limiter.check("a").unwrap_err();
        assert!(wait > Duration::from_secs(10) && wait <= Duration::from_secs(20));
        assert!(limiter.check("b").is_ok(), "buckets are per key");
    }

    #[test]
    fn the_map_stays_bounded_under_key_spraying() {
        let limiter = RateLimiter::new(10);
        for i in 0..(MAX_BUCKETS + 500) {
            assert!(limiter.check(&i.to_string()).is_ok());
        }
        let len = limiter
            .buckets
            .lock()
            .map(|b| b.len())
            .unwrap_or(usize::MAX);
        assert!(len <= MAX_BUCKETS, "{len} buckets");
    }
}
