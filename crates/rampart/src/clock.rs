//! The one place that reads the clock. Everything below the server takes `now` as data.

use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since the unix epoch.
pub fn now() -> i64 {
    #[expect(clippy::disallowed_methods, reason = "the single clock read of the process, passed down as `now`")]
    let elapsed = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX)
}
