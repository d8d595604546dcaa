//! Brute-force limits for every secret a client can guess, modelled on Keycloak's
//! brute-force detection: a few free failures, then a lock that doubles with each further
//! failure up to a maximum, forgotten some time after the last failure.
//!
//! MFA codes on the API ([`MFA_CODES`]: `GetSessionToken`, `AssumeRole`, `EnableMFADevice`,
//! `ResyncMFADevice`) count per device: 5 free, then 1 min doubling to 1 h, forgotten 15 min
//! after the last failure — with a 3-code window of 10^6 codes that takes years to guess,
//! where an unlimited client needed ~17 minutes.
//!
//! Console sign-in: failed passwords and MFA codes count against two keys: the name that was typed (root
//! email, or account + IAM user name — whether or not it exists, so a lock reveals
//! nothing) and the source address. Up to [`PER_IDENTITY`]`.free` (5) consecutive failures
//! of a name cost nothing; each further failure locks the name for 1 min, doubling up to
//! 15 min. A source address gets 20 failures before the same backoff applies to every
//! sign-in from it. Counters are forgotten 12 h after the last failure; a successful
//! sign-in clears the name's counter (not the address's, so an attacker cannot reset it
//! with an account of their own). While locked, attempts are refused without checking the
//! password. The numbers are in the README and the lockout answer is audited.
//!
//! Root password recovery: mails are limited per typed address ([`RECOVERY_MAILS`]: 3,
//! then 5 min doubling to 1 h) and per source address ([`RECOVERY_MAILS_PER_SOURCE`]: 10);
//! a wrong security-question answer consumes the link, and invalid links and wrong answers
//! count as failures of the source address under [`PER_SOURCE`], like wrong passwords.
//!
//! Password changes (`ChangePassword` over the API or the console, the root's change on the
//! console's Security credentials page) count wrong current passwords per user under
//! [`PER_IDENTITY`]; a locked user's change answers `LimitExceeded` without checking.
//!
//! The state is per process and bounded ([`MAX_KEYS`]).

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use crate::error::CoreError;

/// How a key is limited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Failures allowed before any wait.
    pub free: u32,
    /// The first lock, seconds; each further failure doubles it.
    pub first_wait: i64,
    /// The longest lock, seconds.
    pub max_wait: i64,
    /// Failures are forgotten this long after the last one.
    pub reset_after: i64,
}

/// The limit per typed name (root email, or account and user name).
pub const PER_IDENTITY: Policy = Policy {
    free: 5,
    first_wait: 60,
    max_wait: 15 * 60,
    reset_after: 12 * 3600,
};

/// The limit per MFA device for codes sent to the API.
pub const MFA_CODES: Policy = Policy {
    free: 5,
    first_wait: 60,
    max_wait: 3600,
    reset_after: 15 * 60,
};

/// The limit per source address.
pub const PER_SOURCE: Policy = Policy {
    free: 20,
    first_wait: 60,
    max_wait: 15 * 60,
    reset_after: 12 * 3600,
};

/// The limit per typed email address for root password recovery mails: 3 links, then
/// 5 min doubling to 1 h, forgotten an hour after the last request. Every request counts
/// (the answer is the same whether or not the address belongs to an account), so nobody
/// can flood an owner's mailbox or the outbox.
pub const RECOVERY_MAILS: Policy = Policy {
    free: 3,
    first_wait: 5 * 60,
    max_wait: 3600,
    reset_after: 3600,
};

/// The limit per source address for root password recovery mails: 10, then the same
/// backoff as [`RECOVERY_MAILS`].
pub const RECOVERY_MAILS_PER_SOURCE: Policy = Policy {
    free: 10,
    ..RECOVERY_MAILS
};

/// At most this many keys are tracked; beyond it the oldest unlocked ones are dropped.
const MAX_KEYS: usize = 100_000;

#[derive(Debug, Clone, Copy)]
struct Entry {
    failures: u32,
    last_failure: i64,
    locked_until: i64,
}

/// Failure counters and locks of this process.
#[derive(Debug, Default)]
pub struct Lockout {
    entries: Mutex<HashMap<String, Entry>>,
}

impl Policy {
    /// The lock after `failures` consecutive failures (0: none).
    pub fn wait_after(&self, failures: u32) -> i64 {
        if failures < self.free {
            return 0;
        }
        let doublings = (failures - self.free).min(20);
        self.first_wait
            .saturating_mul(1_i64 << doublings)
            .min(self.max_wait)
    }
}

impl Lockout {
    /// Seconds until `key` may try again (0: now).
    pub fn wait(&self, key: &str, now: i64) -> i64 {
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries
            .get(key)
            .map_or(0, |e| (e.locked_until - now).max(0))
    }

    /// Counts a failure of `key` at `now`.
    pub fn fail(&self, key: &str, policy: &Policy, now: i64) {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        if entries.len() >= MAX_KEYS {
            entries.retain(|_, e| e.locked_until > now);
        }
        let entry = entries.entry(key.to_owned()).or_insert(Entry {
            failures: 0,
            last_failure: now,
            locked_until: 0,
        });
        if now - entry.last_failure > policy.reset_after {
            entry.failures = 0;
        }
        entry.failures = entry.failures.saturating_add(1);
        entry.last_failure = now;
        let wait = policy.wait_after(entry.failures);
        if wait > 0 {
            entry.locked_until = now + wait;
        }
    }

    /// Clears `key` after a success.
    pub fn clear(&self, key: &str) {
        self.entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(key);
    }
}

impl Lockout {
    /// Runs `check` under `key`'s limit: while `key` is locked, answers `locked(seconds)`
    /// without running it; a result for which `failed` holds counts towards the lock, and
    /// a success clears it. The one guard for secrets checked on the request path.
    pub fn guard<T>(
        &self,
        key: &str,
        policy: &Policy,
        now: i64,
        locked: impl FnOnce(i64) -> CoreError,
        failed: impl FnOnce(&CoreError) -> bool,
        check: impl FnOnce() -> Result<T, CoreError>,
    ) -> Result<T, CoreError> {
        let wait = self.wait(key, now);
        if wait > 0 {
            return Err(locked(wait));
        }
        let result = check();
        match &result {
            Ok(_) => self.clear(key),
            Err(err) if failed(err) => {
                self.fail(key, policy, now);
                let wait = self.wait(key, now);
                if wait > 0 {
                    tracing::warn!(key, seconds = wait, "locked after repeated failures");
                }
            }
            Err(_) => {}
        }
        result
    }
}

/// The answer to a password change while its user is locked: AWS's `LimitExceeded`.
pub fn password_change_locked(wait: i64) -> CoreError {
    CoreError::LimitExceeded(format!(
        "Too many failed password change attempts. Try again in {} minute(s).",
        (wait + 59) / 60
    ))
}

/// The lockout key of a source address.
pub fn source_key(ip: std::net::IpAddr) -> String {
    format!("ip:{ip}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_are_free_then_the_wait_doubles_up_to_fifteen_minutes() {
        let p = PER_IDENTITY;
        assert_eq!(p.wait_after(4), 0);
        assert_eq!(p.wait_after(5), 60);
        assert_eq!(p.wait_after(6), 120);
        assert_eq!(p.wait_after(7), 240);
        assert_eq!(p.wait_after(9), 900);
        assert_eq!(p.wait_after(1000), 900);
    }

    #[test]
    fn a_name_locks_after_five_failures_and_unlocks_after_the_wait() {
        let lockout = Lockout::default();
        for i in 0..4 {
            lockout.fail("root:a@b.c", &PER_IDENTITY, 1000 + i);
            assert_eq!(lockout.wait("root:a@b.c", 1000 + i), 0);
        }
        lockout.fail("root:a@b.c", &PER_IDENTITY, 1004);
        assert_eq!(lockout.wait("root:a@b.c", 1004), 60);
        assert_eq!(lockout.wait("root:a@b.c", 1064), 0);
        lockout.fail("root:a@b.c", &PER_IDENTITY, 1064);
        assert_eq!(lockout.wait("root:a@b.c", 1064), 120);
        lockout.clear("root:a@b.c");
        assert_eq!(lockout.wait("root:a@b.c", 1064), 0);
    }

    #[test]
    fn mfa_devices_lock_on_the_fifth_wrong_code_up_to_an_hour() {
        assert_eq!(MFA_CODES.wait_after(4), 0);
        assert_eq!(MFA_CODES.wait_after(5), 60);
        assert_eq!(MFA_CODES.wait_after(12), 3600);
    }

    #[test]
    fn recovery_mails_stop_after_three_per_address_and_ten_per_source() {
        assert_eq!(RECOVERY_MAILS.wait_after(2), 0);
        assert_eq!(RECOVERY_MAILS.wait_after(3), 300);
        assert_eq!(RECOVERY_MAILS.wait_after(10), 3600);
        assert_eq!(RECOVERY_MAILS_PER_SOURCE.wait_after(9), 0);
        assert_eq!(RECOVERY_MAILS_PER_SOURCE.wait_after(10), 300);
    }

    #[test]
    fn failures_are_forgotten_twelve_hours_later() {
        let lockout = Lockout::default();
        for i in 0..4 {
            lockout.fail("k", &PER_IDENTITY, i);
        }
        lockout.fail("k", &PER_IDENTITY, 12 * 3600 + 10);
        assert_eq!(lockout.wait("k", 12 * 3600 + 10), 0);
    }
}
