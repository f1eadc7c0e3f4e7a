//! Exponential backoff with jitter: retries of many clients do not arrive in step, and a
//! server's `Retry-After` wins over our own guess.

use rand::Rng;
use std::time::Duration;

#[derive(Debug, Clone, Copy)]
pub struct Backoff {
    pub base: Duration,
    pub cap: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff {
            base: Duration::from_millis(500),
            cap: Duration::from_secs(60),
        }
    }
}

impl Backoff {
    /// The wait before retry number `attempt` (0 = the first retry): base·2^attempt, capped,
    /// then a random half to all of it ("equal jitter").
    pub fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(r) = retry_after {
            return r;
        }
        let exp = self.base.saturating_mul(1u32 << attempt.min(20));
        let full = exp.min(self.cap);
        let half = full / 2;
        let jitter = rand::thread_rng().gen_range(0..=half.as_millis() as u64);
        half + Duration::from_millis(jitter)
    }
}

/// How often and how long to retry a request that may succeed later.
#[derive(Debug, Clone, Copy)]
pub struct Retry {
    pub attempts: u32,
    pub backoff: Backoff,
    /// A longer Retry-After is not waited for here: the caller gives up and tries later.
    pub max_wait: Duration,
}

impl Default for Retry {
    fn default() -> Self {
        Retry {
            attempts: 4,
            backoff: Backoff::default(),
            max_wait: Duration::from_secs(30),
        }
    }
}

impl Retry {
    /// Runs `call` until it succeeds, fails for good, or the attempts are used up.
    pub async fn run<T, F, Fut>(&self, mut call: F) -> Result<T, super::Failure>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<T, super::Failure>>,
    {
        let mut attempt = 0;
        loop {
            match call().await {
                Ok(v) => return Ok(v),
                Err(f) if f.retryable() && attempt + 1 < self.attempts => {
                    let wait = self.backoff.delay(attempt, f.retry_after);
                    if wait > self.max_wait {
                        return Err(f);
                    }
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                }
                Err(f) => return Err(f),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_stays_under_the_cap_and_obeys_retry_after() {
        let b = Backoff {
            base: Duration::from_millis(100),
            cap: Duration::from_secs(1),
        };
        for attempt in 0..10 {
            let d = b.delay(attempt, None);
            let full = (Duration::from_millis(100) * 2u32.pow(attempt)).min(b.cap);
            assert!(d >= full / 2 && d <= full, "{attempt}: {d:?}");
        }
        assert_eq!(
            b.delay(3, Some(Duration::from_secs(7))),
            Duration::from_secs(7)
        );
    }
}
