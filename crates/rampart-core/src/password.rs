//! Password hashing (argon2id) and the root user's fixed password rules.
//!
//! Every hash and verification runs on a small fixed pool of worker threads behind a
//! bounded queue: argon2id costs ~19 MiB per computation, and the allocator keeps that
//! memory per thread, so hashing on whatever thread a request runs on let a flood of
//! sign-in attempts grow the process by gigabytes. With the pool, memory is bounded by
//! [`HASH_WORKERS`], and when [`HASH_QUEUE`] computations already wait the caller is told
//! to slow down ([`PasswordError::Busy`], AWS's `Throttling`).
//!
//! The IAM account password policy never applies to root; root has its own rules
//! (`shared/reference/root-user.md` §4): 8–128 characters, three of four character classes,
//! not the account name or email address.

use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex, OnceLock};

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Argon2, PasswordHash};
use zeroize::Zeroizing;

use crate::random;

/// Threads that compute argon2id: at most this many computations (~19 MiB each) at once.
pub const HASH_WORKERS: usize = 2;
/// Computations that may wait for a worker before callers are refused.
pub const HASH_QUEUE: usize = 32;

/// Hashes a password with argon2id (OWASP default parameters) into a PHC string.
pub fn hash(password: &str) -> Result<String, PasswordError> {
    let password = Zeroizing::new(password.to_owned());
    on_pool(
        move || {
            // argon2 0.6 draws its own 16-byte salt from the OS random source.
            Argon2::default()
                .hash_password(password.as_bytes())
                .map(|h| h.to_string())
                .map_err(|_| PasswordError::Hash)
        },
        QueueFull::Refuse,
    )?
}

/// Whether `password` matches the PHC string `phc` (constant time inside argon2).
pub fn verify(password: &str, phc: &str) -> Result<bool, PasswordError> {
    on_pool(checker(password, phc), QueueFull::Refuse)
}

/// argon2id checks started so far: tests count them where a path must cost exactly what a
/// real password check costs (timing would make such tests flaky on a busy machine).
#[cfg(test)]
pub(crate) static CHECKS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// The argon2id check of `password` against `phc`, to run on a worker.
fn checker(password: &str, phc: &str) -> impl FnOnce() -> bool + Send + 'static {
    let password = Zeroizing::new(password.to_owned());
    let phc = phc.to_owned();
    move || {
        #[cfg(test)]
        CHECKS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        PasswordHash::new(&phc)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    }
}

/// [`verify`] that waits for a worker instead of being refused when the queue is full: for
/// checks an authorized caller's change needs (password reuse), never for sign-in.
pub fn verify_waiting(password: &str, phc: &str) -> bool {
    // A lost worker answers "not reused"; hashing the new password then fails loudly.
    on_pool(checker(password, phc), QueueFull::Wait).unwrap_or(false)
}

/// Hashing failed (never carries the password).
#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    /// argon2 refused its input.
    #[error("password hashing failed")]
    Hash,
    /// Too many password checks are waiting; the caller should retry later.
    #[error("Rate exceeded")]
    Busy,
}

type Job = Box<dyn FnOnce() + Send>;

/// The hashing workers' queue; `None` if no worker thread could be started (then hashing
/// runs on the caller's thread).
fn pool() -> Option<&'static SyncSender<Job>> {
    static POOL: OnceLock<Option<SyncSender<Job>>> = OnceLock::new();
    POOL.get_or_init(|| {
        let (jobs, queue) = sync_channel::<Job>(HASH_QUEUE);
        let queue = Arc::new(Mutex::new(queue));
        let mut started = 0;
        for i in 0..HASH_WORKERS {
            let queue = Arc::clone(&queue);
            let spawned = std::thread::Builder::new()
                .name(format!("rampart-argon2-{i}"))
                .spawn(move || work(&queue));
            if spawned.is_ok() {
                started += 1;
            }
        }
        (started > 0).then_some(jobs)
    })
    .as_ref()
}

fn work(queue: &Mutex<Receiver<Job>>) {
    loop {
        let job = match queue.lock() {
            Ok(queue) => queue.recv(),
            Err(_) => return,
        };
        match job {
            Ok(job) => job(),
            Err(_) => return,
        }
    }
}

/// What a caller does when [`HASH_QUEUE`] computations already wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum QueueFull {
    /// Give up with [`PasswordError::Busy`] (anything a client can flood).
    Refuse,
    /// Wait for room (checks an authorized change needs).
    Wait,
}

/// Runs `compute` on a hashing worker and waits for its result.
fn on_pool<T: Send + 'static>(
    compute: impl FnOnce() -> T + Send + 'static,
    when_full: QueueFull,
) -> Result<T, PasswordError> {
    let Some(jobs) = pool() else {
        return Ok(compute());
    };
    let (reply, result) = sync_channel(1);
    let job: Job = Box::new(move || {
        let _ = reply.send(compute());
    });
    let queued = match when_full {
        QueueFull::Refuse => jobs.try_send(job).map_err(|err| match err {
            TrySendError::Full(_) => PasswordError::Busy,
            TrySendError::Disconnected(_) => PasswordError::Hash,
        }),
        QueueFull::Wait => jobs.send(job).map_err(|_| PasswordError::Hash),
    };
    queued?;
    result.recv().map_err(|_| PasswordError::Hash)
}

/// The symbols root passwords may use as their fourth character class.
const ROOT_SYMBOLS: &str = "!@#$%^&*()<>[]{}|_+-=";

/// Why a root password was refused; `Display` is the message shown to the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RootPasswordError {
    /// Outside 8–128 characters.
    #[error("the root password must be between 8 and 128 characters long")]
    Length,
    /// Fewer than three character classes.
    #[error(
        "the root password must contain at least three of: uppercase letters, lowercase letters, numbers, and the symbols {ROOT_SYMBOLS}"
    )]
    Classes,
    /// Equal to the account name or email.
    #[error("the root password must not be the account name or the email address")]
    SameAsIdentity,
}

/// Checks a candidate root password against the fixed root rules.
pub fn check_root_password(
    password: &str,
    account_name: &str,
    email: &str,
) -> Result<(), RootPasswordError> {
    let len = password.chars().count();
    if !(8..=128).contains(&len) {
        return Err(RootPasswordError::Length);
    }
    let classes = [
        password.chars().any(|c| c.is_ascii_uppercase()),
        password.chars().any(|c| c.is_ascii_lowercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| ROOT_SYMBOLS.contains(c)),
    ];
    if classes.iter().filter(|present| **present).count() < 3 {
        return Err(RootPasswordError::Classes);
    }
    if password.eq_ignore_ascii_case(account_name) || password.eq_ignore_ascii_case(email) {
        return Err(RootPasswordError::SameAsIdentity);
    }
    Ok(())
}

/// A random password that satisfies the root rules: 20 characters with all four classes.
pub fn generate_root_password() -> String {
    const LOWER: &[u8] = b"abcdefghijkmnopqrstuvwxyz";
    const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
    const DIGITS: &[u8] = b"23456789";
    const SYMBOLS: &[u8] = b"!@#$%^&*()_+-=";
    let raw = random::bytes::<20>();
    raw.iter()
        .enumerate()
        .map(|(i, b)| {
            let set = match i % 5 {
                0 => UPPER,
                1 => DIGITS,
                2 => SYMBOLS,
                _ => LOWER,
            };
            char::from(
                set.get(usize::from(*b) % set.len())
                    .copied()
                    .unwrap_or(b'a'),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_then_verify() {
        let phc = hash("Correct-Horse-9").unwrap();
        assert!(phc.starts_with("$argon2id$"));
        assert!(verify("Correct-Horse-9", &phc).unwrap());
        assert!(!verify("correct-horse-9", &phc).unwrap());
        assert!(!verify("x", "not a phc string").unwrap());
    }

    #[test]
    fn a_flood_of_checks_is_refused_beyond_the_queue_not_queued_without_bound() {
        let phc = hash("Correct-Horse-9").unwrap();
        let threads: Vec<_> = (0..HASH_WORKERS + HASH_QUEUE + 40)
            .map(|_| {
                let phc = phc.clone();
                std::thread::spawn(move || verify("wrong", &phc))
            })
            .collect();
        let results: Vec<_> = threads.into_iter().map(|t| t.join().unwrap()).collect();
        let busy = results
            .iter()
            .filter(|r| matches!(r, Err(PasswordError::Busy)))
            .count();
        assert!(busy > 0, "every check was queued");
        assert!(
            results
                .iter()
                .all(|r| matches!(r, Ok(false) | Err(PasswordError::Busy)))
        );
    }

    #[test]
    fn root_rules_refuse_each_kind_of_weak_password() {
        assert_eq!(
            check_root_password("Ab1!", "acct", "a@b.c"),
            Err(RootPasswordError::Length)
        );
        assert_eq!(
            check_root_password(&"Ab1!".repeat(33), "acct", "a@b.c"),
            Err(RootPasswordError::Length)
        );
        assert_eq!(
            check_root_password("alllowercase1", "acct", "a@b.c"),
            Err(RootPasswordError::Classes)
        );
        assert_eq!(
            check_root_password("Root@Example.com1", "acct", "root@example.com1"),
            Err(RootPasswordError::SameAsIdentity)
        );
        assert_eq!(
            check_root_password("Good-Pass-123", "acct", "a@b.c"),
            Ok(())
        );
    }

    #[test]
    fn generated_root_passwords_pass_the_rules() {
        for _ in 0..20 {
            assert_eq!(
                check_root_password(&generate_root_password(), "acct", "a@b.c"),
                Ok(())
            );
        }
    }
}
