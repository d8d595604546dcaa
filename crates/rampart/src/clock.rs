//! The one place that reads the clock. Everything below the server takes `now` as data.
//!
//! `RAMPART_CLOCK_OFFSET_SECONDS` shifts this process's clock, read once at first use. It
//! exists to rehearse expiry (sessions, recovery links, password age) without waiting;
//! leave it unset in production.

use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

fn offset() -> i64 {
    static OFFSET: OnceLock<i64> = OnceLock::new();
    *OFFSET.get_or_init(|| {
        std::env::var("RAMPART_CLOCK_OFFSET_SECONDS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    })
}

/// Seconds since the unix epoch (plus the configured offset, normally zero).
pub fn now() -> i64 {
    now_millis().div_euclid(1000)
}

/// Milliseconds since the unix epoch (plus the offset): for the alert outbox's retry
/// schedule and delivery times.
pub fn now_millis() -> i64 {
    #[expect(
        clippy::disallowed_methods,
        reason = "the single clock read of the process, passed down as `now`"
    )]
    let elapsed = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(elapsed.as_millis())
        .unwrap_or(i64::MAX)
        .saturating_add(offset().saturating_mul(1000))
}
