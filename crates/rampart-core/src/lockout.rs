//! Failed-attempt limits for secrets a client can guess: MFA codes (and, through the
//! console, passwords). A key (a device serial, a user, a source address) that fails
//! [`MAX_FAILURES`] times within [`FAILURE_WINDOW`] seconds is locked for [`FIRST_LOCK`]
//! seconds, doubling with each further lock up to [`MAX_LOCK`]; a success clears it.
//!
//! With a 3-code window of 10^6 possible TOTP codes, 5 guesses per 15 minutes per device
//! take years, not the ~17 minutes an unlimited client needed. The counts live in memory
//! (each node counts its own attempts) and are bounded: at [`MAX_KEYS`] tracked keys, the
//! expired ones are dropped and, if that is not enough, new keys are locked by default
//! rather than growing the table without bound.

use std::collections::HashMap;
use std::sync::Mutex;

/// Failures allowed within the window before a key is locked.
pub const MAX_FAILURES: u32 = 5;
/// Seconds over which failures are counted.
pub const FAILURE_WINDOW: i64 = 900;
/// Seconds of the first lock.
pub const FIRST_LOCK: i64 = 60;
/// The longest lock, seconds.
pub const MAX_LOCK: i64 = 3600;
/// Keys tracked at most.
pub const MAX_KEYS: usize = 100_000;

/// A key is locked until `until` (unix seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Locked {
    /// When attempts are accepted again.
    pub until: i64,
}

#[derive(Debug, Clone, Copy, Default)]
struct Entry {
    failures: u32,
    window_start: i64,
    locked_until: i64,
    locks: u32,
}

impl Entry {
    fn expired(&self, now: i64) -> bool {
        self.locked_until <= now && now - self.window_start >= FAILURE_WINDOW
    }
}

/// Failed attempts per key.
#[derive(Debug, Default)]
pub struct Lockout {
    entries: Mutex<HashMap<String, Entry>>,
}

impl Lockout {
    /// Whether `key` may try now.
    pub fn check(&self, key: &str, now: i64) -> Result<(), Locked> {
        let Ok(entries) = self.entries.lock() else {
            return Err(Locked {
                until: now + FIRST_LOCK,
            });
        };
        match entries.get(key) {
            Some(entry) if entry.locked_until > now => Err(Locked {
                until: entry.locked_until,
            }),
            _ => Ok(()),
        }
    }

    /// Records a failed attempt of `key`; returns the lock it caused, if any.
    pub fn failed(&self, key: &str, now: i64) -> Option<Locked> {
        let Ok(mut entries) = self.entries.lock() else {
            return Some(Locked {
                until: now + FIRST_LOCK,
            });
        };
        if !entries.contains_key(key) && entries.len() >= MAX_KEYS {
            entries.retain(|_, entry| !entry.expired(now));
            if entries.len() >= MAX_KEYS {
                return Some(Locked {
                    until: now + FIRST_LOCK,
                });
            }
        }
        let entry = entries.entry(key.to_owned()).or_default();
        if now - entry.window_start >= FAILURE_WINDOW {
            entry.failures = 0;
            entry.window_start = now;
        }
        entry.failures += 1;
        if entry.failures < MAX_FAILURES {
            return None;
        }
        let lock = FIRST_LOCK
            .saturating_mul(1_i64 << entry.locks.min(16))
            .min(MAX_LOCK);
        entry.locks = entry.locks.saturating_add(1);
        entry.failures = 0;
        entry.window_start = now;
        entry.locked_until = now + lock;
        Some(Locked {
            until: entry.locked_until,
        })
    }

    /// Clears `key` after a success.
    pub fn succeeded(&self, key: &str) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.remove(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fifth_failure_locks_for_a_minute_then_locks_double() {
        let lockout = Lockout::default();
        for _ in 1..MAX_FAILURES {
            assert_eq!(lockout.failed("k", 100), None);
            assert!(lockout.check("k", 100).is_ok());
        }
        assert_eq!(lockout.failed("k", 100), Some(Locked { until: 160 }));
        assert_eq!(lockout.check("k", 159), Err(Locked { until: 160 }));
        assert!(lockout.check("k", 160).is_ok());
        for _ in 0..MAX_FAILURES {
            lockout.failed("k", 170);
        }
        assert_eq!(lockout.check("k", 171), Err(Locked { until: 290 }));
    }

    #[test]
    fn a_success_clears_and_old_failures_expire() {
        let lockout = Lockout::default();
        for _ in 1..MAX_FAILURES {
            lockout.failed("k", 0);
        }
        lockout.succeeded("k");
        assert_eq!(lockout.failed("k", 1), None);
        for _ in 1..MAX_FAILURES {
            lockout.failed("j", 0);
        }
        // The window passed: the next failure starts a new count.
        assert_eq!(lockout.failed("j", FAILURE_WINDOW), None);
    }
}
