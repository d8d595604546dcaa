//! Password hashing (argon2id) and the root user's fixed password rules.
//!
//! The IAM account password policy never applies to root; root has its own rules
//! (`shared/reference/root-user.md` §4): 8–128 characters, three of four character classes,
//! not the account name or email address.

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Argon2, PasswordHash};

use crate::random;

/// Hashes a password with argon2id (OWASP default parameters) into a PHC string.
pub fn hash(password: &str) -> Result<String, PasswordError> {
    // argon2 0.6 draws its own 16-byte salt from the OS random source.
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|_| PasswordError::Hash)
}

/// Whether `password` matches the PHC string `phc` (constant time inside argon2).
pub fn verify(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Hashing failed (never carries the password).
#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    /// argon2 refused its input.
    #[error("password hashing failed")]
    Hash,
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
        assert!(verify("Correct-Horse-9", &phc));
        assert!(!verify("correct-horse-9", &phc));
        assert!(!verify("x", "not a phc string"));
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
