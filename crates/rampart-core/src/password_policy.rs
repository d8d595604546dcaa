//! The IAM account password policy: its settings and their ranges, the rules a new IAM user
//! password must meet (the account's policy, or AWS's default policy when none is set),
//! password expiry, and reuse prevention (`shared/reference/credentials-and-mfa.md` §(d)).
//!
//! Pure: no storage and no clock (`now` is a parameter). Previous passwords are only ever
//! seen as salted argon2id hashes ([`crate::password`]); this module never keeps, logs or
//! prints a password. The policy never applies to the root user, whose fixed rules live in
//! [`crate::password::check_root_password`] (`root-user.md` §3, §4).

use rampart_wire::ErrorCode;
use serde::{Deserialize, Serialize};

use crate::password;

/// The symbols `RequireSymbols` (and the default policy's fourth class) counts (§(d)).
pub const SYMBOLS: &str = "!@#$%^&*()_+-=[]{}|'";

/// Smallest `MinimumPasswordLength` (§(d)); also the value when the parameter is omitted.
pub const MIN_MINIMUM_LENGTH: u8 = 6;
/// Largest `MinimumPasswordLength` (§(d)), and the longest password IAM accepts.
pub const MAX_PASSWORD_LENGTH: u8 = 128;
/// Largest `MaxPasswordAge`, in days (§(d)).
pub const MAX_PASSWORD_AGE_DAYS: u16 = 1095;
/// Largest `PasswordReusePrevention` (§(d)).
pub const MAX_REUSE_PREVENTION: u8 = 24;
/// Minimum length under AWS's default policy, when the account has none (§(d)).
pub const DEFAULT_POLICY_MINIMUM_LENGTH: u8 = 8;

const SECONDS_PER_DAY: i64 = 86_400;

/// The account password policy as `GetAccountPasswordPolicy` returns it (botocore member
/// names in serde), holding only what `UpdateAccountPasswordPolicy` sets.
///
/// `Default` is what an `UpdateAccountPasswordPolicy` with no parameters stores: every
/// omitted parameter reverts to its default, there are no partial updates (§(d)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct PasswordPolicy {
    /// Minimum length, 6..=128 characters; 6 when omitted.
    pub minimum_password_length: u8,
    /// At least one of [`SYMBOLS`].
    pub require_symbols: bool,
    /// At least one of `0-9`.
    pub require_numbers: bool,
    /// At least one of `A-Z`.
    pub require_uppercase_characters: bool,
    /// At least one of `a-z`.
    pub require_lowercase_characters: bool,
    /// IAM users may change their own password (implicitly grants `iam:ChangePassword` on
    /// themselves).
    pub allow_users_to_change_password: bool,
    /// Days a password stays valid, 1..=1095; `None` (sent as omitted, shown as absent)
    /// means passwords never expire.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_password_age: Option<u16>,
    /// How many previous passwords may not be reused, 1..=24; `None` means no check.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password_reuse_prevention: Option<u8>,
    /// Whether an expired password can only be reset by an administrator; `None` when the
    /// parameter was omitted (behaves as `false`; `GetAccountPasswordPolicy` leaves it out).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hard_expiry: Option<bool>,
}

impl Default for PasswordPolicy {
    fn default() -> PasswordPolicy {
        PasswordPolicy {
            minimum_password_length: MIN_MINIMUM_LENGTH,
            require_symbols: false,
            require_numbers: false,
            require_uppercase_characters: false,
            require_lowercase_characters: false,
            allow_users_to_change_password: false,
            max_password_age: None,
            password_reuse_prevention: None,
            hard_expiry: None,
        }
    }
}

impl PasswordPolicy {
    /// `ExpirePasswords` of `GetAccountPasswordPolicy`: derived, `MaxPasswordAge > 0`.
    pub fn expire_passwords(&self) -> bool {
        self.max_password_age.is_some_and(|days| days > 0)
    }
}

/// The parameters of `UpdateAccountPasswordPolicy` as they arrive, before range checks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PasswordPolicyUpdate {
    /// `MinimumPasswordLength`.
    pub minimum_password_length: Option<i64>,
    /// `RequireSymbols`.
    pub require_symbols: Option<bool>,
    /// `RequireNumbers`.
    pub require_numbers: Option<bool>,
    /// `RequireUppercaseCharacters`.
    pub require_uppercase_characters: Option<bool>,
    /// `RequireLowercaseCharacters`.
    pub require_lowercase_characters: Option<bool>,
    /// `AllowUsersToChangePassword`.
    pub allow_users_to_change_password: Option<bool>,
    /// `MaxPasswordAge`.
    pub max_password_age: Option<i64>,
    /// `PasswordReusePrevention`.
    pub password_reuse_prevention: Option<i64>,
    /// `HardExpiry`.
    pub hard_expiry: Option<bool>,
}

/// `UpdateAccountPasswordPolicy` parameters out of range: answered as `ValidationError`
/// (400) with the message AWS builds from the model's range constraints,
/// `N validation error(s) detected: Value 'x' at 'member' failed to satisfy constraint: …; …`
/// (the same form as `rampart_wire::schema`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message())]
pub struct PasswordPolicySettingsError {
    /// One clause per violated constraint, in parameter order.
    pub violations: Vec<String>,
}

impl PasswordPolicySettingsError {
    /// The AWS error code: `ValidationError` (400).
    pub fn code(&self) -> ErrorCode {
        ErrorCode::ValidationError
    }

    /// The `ValidationError` message.
    pub fn message(&self) -> String {
        let n = self.violations.len();
        let noun = if n == 1 { "error" } else { "errors" };
        format!(
            "{n} validation {noun} detected: {}",
            self.violations.join("; ")
        )
    }
}

/// Checks one integer parameter against `min..=max`, recording AWS's clause if it is out.
fn check_range(value: Option<i64>, member: &str, min: i64, max: i64, violations: &mut Vec<String>) {
    let Some(value) = value else { return };
    if value < min {
        violations.push(format!(
            "Value '{value}' at '{member}' failed to satisfy constraint: Member must have value greater than or equal to {min}"
        ));
    } else if value > max {
        violations.push(format!(
            "Value '{value}' at '{member}' failed to satisfy constraint: Member must have value less than or equal to {max}"
        ));
    }
}

/// Validates `UpdateAccountPasswordPolicy` parameters and builds the policy to store, with
/// every omitted parameter at its default (§(d): `MinimumPasswordLength` 6..=128 default 6,
/// `MaxPasswordAge` 1..=1095 and `PasswordReusePrevention` 1..=24 absent by default, booleans
/// `false`). `0` cannot be sent for the last two: leaving them out is how one turns them off.
///
/// ```
/// use rampart_core::password_policy::{validate_settings, PasswordPolicyUpdate};
/// let update = PasswordPolicyUpdate { minimum_password_length: Some(5), ..Default::default() };
/// assert_eq!(
///     validate_settings(&update).unwrap_err().to_string(),
///     "1 validation error detected: Value '5' at 'minimumPasswordLength' failed to satisfy constraint: Member must have value greater than or equal to 6",
/// );
/// ```
pub fn validate_settings(
    update: &PasswordPolicyUpdate,
) -> Result<PasswordPolicy, PasswordPolicySettingsError> {
    let mut violations = Vec::new();
    check_range(
        update.minimum_password_length,
        "minimumPasswordLength",
        i64::from(MIN_MINIMUM_LENGTH),
        i64::from(MAX_PASSWORD_LENGTH),
        &mut violations,
    );
    check_range(
        update.max_password_age,
        "maxPasswordAge",
        1,
        i64::from(MAX_PASSWORD_AGE_DAYS),
        &mut violations,
    );
    check_range(
        update.password_reuse_prevention,
        "passwordReusePrevention",
        1,
        i64::from(MAX_REUSE_PREVENTION),
        &mut violations,
    );
    if !violations.is_empty() {
        return Err(PasswordPolicySettingsError { violations });
    }
    // The range checks above make these conversions exact; an impossible failure falls back
    // to the default rather than panicking.
    Ok(PasswordPolicy {
        minimum_password_length: update
            .minimum_password_length
            .and_then(|v| u8::try_from(v).ok())
            .unwrap_or(MIN_MINIMUM_LENGTH),
        require_symbols: update.require_symbols.unwrap_or(false),
        require_numbers: update.require_numbers.unwrap_or(false),
        require_uppercase_characters: update.require_uppercase_characters.unwrap_or(false),
        require_lowercase_characters: update.require_lowercase_characters.unwrap_or(false),
        allow_users_to_change_password: update.allow_users_to_change_password.unwrap_or(false),
        max_password_age: update.max_password_age.and_then(|v| u16::try_from(v).ok()),
        password_reuse_prevention: update
            .password_reuse_prevention
            .and_then(|v| u8::try_from(v).ok()),
        hard_expiry: update.hard_expiry,
    })
}

/// One requirement a password can fail; [`Requirement::clause`] is AWS's sentence for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Requirement {
    /// At least this many characters.
    MinimumLength(u8),
    /// At most [`MAX_PASSWORD_LENGTH`] characters.
    MaximumLength,
    /// At least one `A-Z`.
    Uppercase,
    /// At least one `a-z`.
    Lowercase,
    /// At least one `0-9`.
    Number,
    /// At least one of [`SYMBOLS`].
    Symbol,
    /// Not the user name, account name or email address (default policy only).
    NotIdentity,
}

impl Requirement {
    /// AWS's wording of the requirement (§(d): the uppercase, lowercase and symbol clauses
    /// are observed; the number and length clauses are marked unverified there; the maximum
    /// length and identity clauses are ours in the same style).
    pub fn clause(self) -> String {
        match self {
            Requirement::MinimumLength(n) => {
                format!("Password should be at least {n} characters long")
            }
            Requirement::MaximumLength => {
                format!("Password should be at most {MAX_PASSWORD_LENGTH} characters long")
            }
            Requirement::Uppercase => {
                "Password should have at least one uppercase letter".to_owned()
            }
            Requirement::Lowercase => {
                "Password should have at least one lowercase letter".to_owned()
            }
            Requirement::Number => "Password should have at least one number".to_owned(),
            Requirement::Symbol => "Password should have at least one symbol".to_owned(),
            Requirement::NotIdentity => {
                "Password should not be the same as the account name or email address".to_owned()
            }
        }
    }
}

/// Why a new password was refused: `PasswordPolicyViolation` (400); `Display` is the message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordPolicyViolation {
    /// The account's own policy is not met. AWS answers every such case with one fixed
    /// sentence (the text AWS tools such as Ansible's IAM module and CloudFormation events
    /// show for `CreateLoginProfile`); `failed` lists the unmet requirements, for the console
    /// and the audit log, in the order length, uppercase, lowercase, number, symbol.
    #[error("Password does not conform to the account password policy.")]
    AccountPolicy {
        /// The unmet requirements.
        failed: Vec<Requirement>,
    },
    /// AWS's default policy (no account policy set) is not met; the message lists the
    /// failures (§(d)).
    #[error("{}", default_policy_message(.length, .classes_needed, .missing_classes, .identity))]
    DefaultPolicy {
        /// The length rule failed (8..=128 characters).
        length: Option<Requirement>,
        /// How many more character classes are needed to reach three of four.
        classes_needed: u8,
        /// The classes the password lacks, in the order uppercase, lowercase, number, symbol.
        missing_classes: Vec<Requirement>,
        /// The password equals the user name, account name or email address.
        identity: bool,
    },
    /// One of the last `PasswordReusePrevention` passwords (§(d), wording unverified there).
    #[error("Password was used previously")]
    Reused,
}

impl PasswordPolicyViolation {
    /// The AWS error code: `PasswordPolicyViolation` (400).
    pub fn code(&self) -> ErrorCode {
        ErrorCode::PasswordPolicyViolation
    }
}

/// The default-policy message: each failed rule as a clause, joined with `; `.
///
/// The three-of-four clause is the observed one, e.g. `Password should meet 1 more of the
/// following requirements: Password should have at least one uppercase letter, Password
/// should have at least one symbol` (§(d)); the others are [`Requirement::clause`]s.
fn default_policy_message(
    length: &Option<Requirement>,
    needed: &u8,
    missing: &[Requirement],
    identity: &bool,
) -> String {
    let mut clauses = Vec::new();
    if let Some(rule) = length {
        clauses.push(rule.clause());
    }
    if *needed > 0 {
        let listed: Vec<String> = missing.iter().map(|r| r.clause()).collect();
        clauses.push(format!(
            "Password should meet {needed} more of the following requirements: {}",
            listed.join(", ")
        ));
    }
    if *identity {
        clauses.push(Requirement::NotIdentity.clause());
    }
    clauses.join("; ")
}

/// The character classes present in `password`, in the order uppercase, lowercase, number,
/// symbol (ISO basic Latin letters and digits only, §(d)).
fn classes(password: &str) -> [(Requirement, bool); 4] {
    [
        (
            Requirement::Uppercase,
            password.chars().any(|c| c.is_ascii_uppercase()),
        ),
        (
            Requirement::Lowercase,
            password.chars().any(|c| c.is_ascii_lowercase()),
        ),
        (
            Requirement::Number,
            password.chars().any(|c| c.is_ascii_digit()),
        ),
        (
            Requirement::Symbol,
            password.chars().any(|c| SYMBOLS.contains(c)),
        ),
    ]
}

/// Checks a new IAM user password (CreateLoginProfile, UpdateLoginProfile, ChangePassword).
///
/// With an account policy: its length and `Require*` rules, all failures collected into
/// [`PasswordPolicyViolation::AccountPolicy`]. Without one (`policy` is `None`), AWS's default
/// policy (§(d)): 8..=128 characters, at least three of uppercase, lowercase, number and
/// symbol, and not equal (ignoring ASCII case) to any of `identities` — pass the user name,
/// the account name and the root email address. Reuse is checked separately by
/// [`check_reuse`], since it needs the stored hashes.
///
/// ```
/// use rampart_core::password_policy::{check, PasswordPolicy};
/// let policy = PasswordPolicy { require_numbers: true, ..PasswordPolicy::default() };
/// assert!(check(Some(&policy), "no-digits-here", &["alice"]).is_err());
/// assert!(check(Some(&policy), "digits-4-here", &["alice"]).is_ok());
/// assert_eq!(
///     check(None, "abcdef12", &["alice"]).unwrap_err().to_string(),
///     "Password should meet 1 more of the following requirements: Password should have at least one uppercase letter, Password should have at least one symbol",
/// );
/// ```
pub fn check(
    policy: Option<&PasswordPolicy>,
    password: &str,
    identities: &[&str],
) -> Result<(), PasswordPolicyViolation> {
    let len = password.chars().count();
    let present = classes(password);
    match policy {
        Some(policy) => {
            let mut failed = Vec::new();
            if len < usize::from(policy.minimum_password_length) {
                failed.push(Requirement::MinimumLength(policy.minimum_password_length));
            }
            if len > usize::from(MAX_PASSWORD_LENGTH) {
                failed.push(Requirement::MaximumLength);
            }
            let required = [
                policy.require_uppercase_characters,
                policy.require_lowercase_characters,
                policy.require_numbers,
                policy.require_symbols,
            ];
            for ((rule, has), required) in present.into_iter().zip(required) {
                if required && !has {
                    failed.push(rule);
                }
            }
            if failed.is_empty() {
                Ok(())
            } else {
                Err(PasswordPolicyViolation::AccountPolicy { failed })
            }
        }
        None => {
            let length = if len < usize::from(DEFAULT_POLICY_MINIMUM_LENGTH) {
                Some(Requirement::MinimumLength(DEFAULT_POLICY_MINIMUM_LENGTH))
            } else if len > usize::from(MAX_PASSWORD_LENGTH) {
                Some(Requirement::MaximumLength)
            } else {
                None
            };
            let have = present.iter().filter(|(_, has)| *has).count();
            let classes_needed = u8::try_from(3usize.saturating_sub(have)).unwrap_or(3);
            let missing_classes = if classes_needed > 0 {
                present
                    .iter()
                    .filter(|(_, has)| !*has)
                    .map(|(rule, _)| *rule)
                    .collect()
            } else {
                Vec::new()
            };
            let identity = identities
                .iter()
                .any(|name| !name.is_empty() && password.eq_ignore_ascii_case(name));
            if length.is_none() && classes_needed == 0 && !identity {
                Ok(())
            } else {
                Err(PasswordPolicyViolation::DefaultPolicy {
                    length,
                    classes_needed,
                    missing_classes,
                    identity,
                })
            }
        }
    }
}

/// Refuses `password` if it matches one of the last `keep` entries of `previous_hashes`
/// (argon2id PHC strings, oldest first, the current password's hash last), verified with
/// [`crate::password::verify_waiting`]. `keep` is the policy's `PasswordReusePrevention`; 0 (or no
/// policy) checks nothing.
///
/// Cost: one argon2id verification per remembered password (at most 24).
pub fn check_reuse(
    previous_hashes: &[String],
    password: &str,
    keep: u8,
) -> Result<(), PasswordPolicyViolation> {
    let skip = previous_hashes.len().saturating_sub(usize::from(keep));
    // Every remembered hash is verified, so the time taken does not say which one matched.
    let mut reused = false;
    for phc in previous_hashes.iter().skip(skip) {
        reused |= password::verify_waiting(password, phc);
    }
    if reused {
        Err(PasswordPolicyViolation::Reused)
    } else {
        Ok(())
    }
}

/// Appends the hash of a newly set password to the history and drops all but the newest
/// `keep` entries, so the store keeps no more old hashes than the policy asks for.
pub fn remember(history: &mut Vec<String>, new_hash: String, keep: u8) {
    history.push(new_hash);
    let excess = history.len().saturating_sub(usize::from(keep));
    history.drain(..excess);
}

/// `PasswordReusePrevention` of a policy, 0 when unset or without a policy.
pub fn reuse_prevention(policy: Option<&PasswordPolicy>) -> u8 {
    policy
        .and_then(|p| p.password_reuse_prevention)
        .unwrap_or(0)
}

/// When a password set at `password_last_changed` expires: `MaxPasswordAge` days later;
/// `None` when passwords never expire (no policy, or no `MaxPasswordAge`). This is the
/// credential report's `password_next_rotation`.
pub fn next_rotation(policy: Option<&PasswordPolicy>, password_last_changed: i64) -> Option<i64> {
    let days = policy?.max_password_age.filter(|d| *d > 0)?;
    password_last_changed.checked_add(i64::from(days).checked_mul(SECONDS_PER_DAY)?)
}

/// Whether a password set at `password_last_changed` has expired at `now`. A new
/// `MaxPasswordAge` applies at once to existing passwords (§(d)).
pub fn is_expired(policy: Option<&PasswordPolicy>, password_last_changed: i64, now: i64) -> bool {
    next_rotation(policy, password_last_changed).is_some_and(|at| now >= at)
}

/// What an expired password still allows at console sign-in (§(d)). Access keys keep working
/// either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordExpiry {
    /// Not expired.
    Current,
    /// Expired; the user must choose a new password at the next sign-in (`HardExpiry` off).
    MustChange,
    /// Expired with `HardExpiry`: only an administrator can reset it.
    AdminResetRequired,
}

/// The expiry state of a password set at `password_last_changed`, at `now`.
pub fn expiry(
    policy: Option<&PasswordPolicy>,
    password_last_changed: i64,
    now: i64,
) -> PasswordExpiry {
    if !is_expired(policy, password_last_changed, now) {
        PasswordExpiry::Current
    } else if policy.and_then(|p| p.hard_expiry).unwrap_or(false) {
        PasswordExpiry::AdminResetRequired
    } else {
        PasswordExpiry::MustChange
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strict() -> PasswordPolicy {
        PasswordPolicy {
            minimum_password_length: 14,
            require_symbols: true,
            require_numbers: true,
            require_uppercase_characters: true,
            require_lowercase_characters: true,
            allow_users_to_change_password: true,
            max_password_age: Some(90),
            password_reuse_prevention: Some(24),
            hard_expiry: Some(false),
        }
    }

    fn failed(result: Result<(), PasswordPolicyViolation>) -> Vec<Requirement> {
        match result {
            Err(PasswordPolicyViolation::AccountPolicy { failed }) => failed,
            other => panic!("expected an account-policy violation, got {other:?}"),
        }
    }

    #[test]
    fn an_update_without_parameters_stores_aws_defaults() {
        let policy = validate_settings(&PasswordPolicyUpdate::default()).unwrap();
        assert_eq!(policy, PasswordPolicy::default());
        assert_eq!(policy.minimum_password_length, 6);
        assert!(!policy.expire_passwords());
        // GetAccountPasswordPolicy shape after a bare update: no MaxPasswordAge,
        // PasswordReusePrevention or HardExpiry members (§(d), observed).
        assert_eq!(
            serde_json::to_value(&policy).unwrap(),
            serde_json::json!({
                "MinimumPasswordLength": 6,
                "RequireSymbols": false,
                "RequireNumbers": false,
                "RequireUppercaseCharacters": false,
                "RequireLowercaseCharacters": false,
                "AllowUsersToChangePassword": false,
            })
        );
    }

    #[test]
    fn an_update_sets_every_parameter() {
        let update = PasswordPolicyUpdate {
            minimum_password_length: Some(14),
            require_symbols: Some(true),
            require_numbers: Some(true),
            require_uppercase_characters: Some(true),
            require_lowercase_characters: Some(true),
            allow_users_to_change_password: Some(true),
            max_password_age: Some(90),
            password_reuse_prevention: Some(24),
            hard_expiry: Some(false),
        };
        let policy = validate_settings(&update).unwrap();
        assert_eq!(policy, strict());
        assert!(policy.expire_passwords());
    }

    #[test]
    fn policies_round_trip_through_serde_with_botocore_names() {
        let text = serde_json::to_string(&strict()).unwrap();
        assert!(text.contains("\"MaxPasswordAge\":90"));
        assert!(text.contains("\"PasswordReusePrevention\":24"));
        assert!(text.contains("\"HardExpiry\":false"));
        assert_eq!(
            serde_json::from_str::<PasswordPolicy>(&text).unwrap(),
            strict()
        );
        // Missing members take their defaults.
        let sparse: PasswordPolicy = serde_json::from_str(r#"{"RequireNumbers":true}"#).unwrap();
        assert_eq!(
            sparse,
            PasswordPolicy {
                require_numbers: true,
                ..PasswordPolicy::default()
            }
        );
    }

    #[test]
    fn range_edges_are_accepted() {
        for (min, age, reuse) in [(6, 1, 1), (128, 1095, 24)] {
            let update = PasswordPolicyUpdate {
                minimum_password_length: Some(min),
                max_password_age: Some(age),
                password_reuse_prevention: Some(reuse),
                ..Default::default()
            };
            let policy = validate_settings(&update).unwrap();
            assert_eq!(i64::from(policy.minimum_password_length), min);
            assert_eq!(policy.max_password_age.map(i64::from), Some(age));
            assert_eq!(policy.password_reuse_prevention.map(i64::from), Some(reuse));
        }
    }

    #[test]
    fn out_of_range_settings_get_aws_validation_messages() {
        let cases = [
            (
                PasswordPolicyUpdate {
                    minimum_password_length: Some(5),
                    ..Default::default()
                },
                "1 validation error detected: Value '5' at 'minimumPasswordLength' failed to satisfy constraint: Member must have value greater than or equal to 6",
            ),
            (
                PasswordPolicyUpdate {
                    minimum_password_length: Some(129),
                    ..Default::default()
                },
                "1 validation error detected: Value '129' at 'minimumPasswordLength' failed to satisfy constraint: Member must have value less than or equal to 128",
            ),
            (
                PasswordPolicyUpdate {
                    max_password_age: Some(0),
                    ..Default::default()
                },
                "1 validation error detected: Value '0' at 'maxPasswordAge' failed to satisfy constraint: Member must have value greater than or equal to 1",
            ),
            (
                PasswordPolicyUpdate {
                    max_password_age: Some(1096),
                    ..Default::default()
                },
                "1 validation error detected: Value '1096' at 'maxPasswordAge' failed to satisfy constraint: Member must have value less than or equal to 1095",
            ),
            (
                PasswordPolicyUpdate {
                    password_reuse_prevention: Some(0),
                    ..Default::default()
                },
                "1 validation error detected: Value '0' at 'passwordReusePrevention' failed to satisfy constraint: Member must have value greater than or equal to 1",
            ),
            (
                PasswordPolicyUpdate {
                    password_reuse_prevention: Some(25),
                    ..Default::default()
                },
                "1 validation error detected: Value '25' at 'passwordReusePrevention' failed to satisfy constraint: Member must have value less than or equal to 24",
            ),
        ];
        for (update, message) in cases {
            assert_eq!(validate_settings(&update).unwrap_err().to_string(), message);
        }
    }

    #[test]
    fn several_bad_settings_are_reported_together() {
        let update = PasswordPolicyUpdate {
            minimum_password_length: Some(-1),
            max_password_age: Some(5000),
            password_reuse_prevention: Some(0),
            ..Default::default()
        };
        let err = validate_settings(&update).unwrap_err();
        assert_eq!(err.code(), ErrorCode::ValidationError);
        assert_eq!(err.violations.len(), 3);
        assert_eq!(
            err.to_string(),
            "3 validation errors detected: \
             Value '-1' at 'minimumPasswordLength' failed to satisfy constraint: Member must have value greater than or equal to 6; \
             Value '5000' at 'maxPasswordAge' failed to satisfy constraint: Member must have value less than or equal to 1095; \
             Value '0' at 'passwordReusePrevention' failed to satisfy constraint: Member must have value greater than or equal to 1"
        );
    }

    #[test]
    fn account_policy_minimum_length() {
        let policy = PasswordPolicy {
            minimum_password_length: 10,
            ..PasswordPolicy::default()
        };
        assert_eq!(
            failed(check(Some(&policy), "123456789", &[])),
            [Requirement::MinimumLength(10)]
        );
        assert_eq!(check(Some(&policy), "1234567890", &[]), Ok(()));
        // Characters, not bytes: ten Latin-1 letters are twenty UTF-8 bytes.
        assert_eq!(
            failed(check(Some(&policy), "ééééééééé", &[])),
            [Requirement::MinimumLength(10)]
        );
        assert_eq!(check(Some(&policy), "éééééééééé", &[]), Ok(()));
        // The bare default policy: six characters, nothing else.
        assert_eq!(
            check(Some(&PasswordPolicy::default()), "aaaaaa", &[]),
            Ok(())
        );
        assert_eq!(
            failed(check(Some(&PasswordPolicy::default()), "aaaaa", &[])),
            [Requirement::MinimumLength(6)]
        );
    }

    #[test]
    fn account_policy_maximum_length() {
        let policy = PasswordPolicy::default();
        assert_eq!(check(Some(&policy), &"a".repeat(128), &[]), Ok(()));
        assert_eq!(
            failed(check(Some(&policy), &"a".repeat(129), &[])),
            [Requirement::MaximumLength]
        );
    }

    #[test]
    fn account_policy_each_character_class() {
        let only = |f: fn(&mut PasswordPolicy)| {
            let mut p = PasswordPolicy::default();
            f(&mut p);
            p
        };
        let upper = only(|p| p.require_uppercase_characters = true);
        assert_eq!(
            failed(check(Some(&upper), "lower-1!", &[])),
            [Requirement::Uppercase]
        );
        assert_eq!(check(Some(&upper), "Lower-1!", &[]), Ok(()));
        let lower = only(|p| p.require_lowercase_characters = true);
        assert_eq!(
            failed(check(Some(&lower), "UPPER-1!", &[])),
            [Requirement::Lowercase]
        );
        assert_eq!(check(Some(&lower), "UPPEr-1!", &[]), Ok(()));
        let number = only(|p| p.require_numbers = true);
        assert_eq!(
            failed(check(Some(&number), "Letters!", &[])),
            [Requirement::Number]
        );
        assert_eq!(check(Some(&number), "Letters!0", &[]), Ok(()));
        let symbol = only(|p| p.require_symbols = true);
        assert_eq!(
            failed(check(Some(&symbol), "Letters1", &[])),
            [Requirement::Symbol]
        );
        for s in SYMBOLS.chars() {
            assert_eq!(
                check(Some(&symbol), &format!("Letters1{s}"), &[]),
                Ok(()),
                "{s}"
            );
        }
    }

    #[test]
    fn only_the_listed_symbols_and_basic_latin_count() {
        let policy = strict();
        // `.`, `~`, space, `<` and `"` are not in AWS's symbol list.
        for s in ['.', '~', ' ', '<', '"', '/', '\\', '?'] {
            assert_eq!(
                failed(check(Some(&policy), &format!("Abcdefghijk12{s}"), &[])),
                [Requirement::Symbol],
                "{s:?}"
            );
        }
        // Latin-1 letters are neither upper- nor lower-case letters for the policy.
        assert_eq!(
            failed(check(Some(&policy), "ÉÉÉÉÉÉÉéééééé1!", &[])),
            [Requirement::Uppercase, Requirement::Lowercase]
        );
    }

    #[test]
    fn account_policy_collects_every_failure_in_order_with_aws_message() {
        let err = check(Some(&strict()), "short", &[]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Password does not conform to the account password policy."
        );
        assert_eq!(
            failed(Err(err)),
            [
                Requirement::MinimumLength(14),
                Requirement::Uppercase,
                Requirement::Number,
                Requirement::Symbol
            ]
        );
        assert_eq!(
            check(Some(&strict()), "Correct-Horse-9-Battery", &[]),
            Ok(())
        );
    }

    #[test]
    fn account_policy_does_not_apply_the_identity_rule() {
        assert_eq!(
            check(
                Some(&PasswordPolicy::default()),
                "alice-the-user",
                &["alice-the-user"]
            ),
            Ok(())
        );
    }

    #[test]
    fn default_policy_needs_three_classes_with_the_observed_message() {
        let err = check(None, "abcdef12", &["alice"]).unwrap_err();
        assert_eq!(
            err,
            PasswordPolicyViolation::DefaultPolicy {
                length: None,
                classes_needed: 1,
                missing_classes: vec![Requirement::Uppercase, Requirement::Symbol],
                identity: false,
            }
        );
        assert_eq!(
            err.to_string(),
            "Password should meet 1 more of the following requirements: Password should have at least one uppercase letter, Password should have at least one symbol"
        );
        assert_eq!(
            check(None, "abcdefgh", &[]).unwrap_err().to_string(),
            "Password should meet 2 more of the following requirements: Password should have at least one uppercase letter, Password should have at least one number, Password should have at least one symbol"
        );
        for good in ["abcdEF12", "abcdef1!", "ABCDEF1!", "abcdEF!!", "aB3$aB3$"] {
            assert_eq!(check(None, good, &["alice"]), Ok(()), "{good}");
        }
    }

    #[test]
    fn default_policy_length_is_eight_to_one_hundred_twenty_eight() {
        assert_eq!(
            check(None, "aB3$aB3", &[]).unwrap_err().to_string(),
            "Password should be at least 8 characters long"
        );
        assert_eq!(check(None, &"aB3$".repeat(32), &[]), Ok(()));
        assert_eq!(
            check(None, &"aB3$".repeat(33), &[])
                .unwrap_err()
                .to_string(),
            "Password should be at most 128 characters long"
        );
    }

    #[test]
    fn default_policy_refuses_the_user_account_name_or_email() {
        let identities = ["Alice-Admin1", "Acme-Corp-2024", "Ops@Example.com"];
        for password in ["alice-admin1", "ACME-CORP-2024", "ops@example.com"] {
            let err = check(None, password, &identities).unwrap_err();
            assert!(
                matches!(
                    err,
                    PasswordPolicyViolation::DefaultPolicy { identity: true, .. }
                ),
                "{password}"
            );
        }
        assert_eq!(
            check(None, "Acme-Corp-2024", &identities)
                .unwrap_err()
                .to_string(),
            "Password should not be the same as the account name or email address"
        );
        assert_eq!(check(None, "Acme-Corp-2025", &identities), Ok(()));
        assert_eq!(check(None, "Acme-Corp-2025", &[""]), Ok(()));
    }

    #[test]
    fn default_policy_lists_several_failures() {
        assert_eq!(
            check(None, "abc", &["abc"]).unwrap_err().to_string(),
            "Password should be at least 8 characters long; \
             Password should meet 2 more of the following requirements: Password should have at least one uppercase letter, Password should have at least one number, Password should have at least one symbol; \
             Password should not be the same as the account name or email address"
        );
    }

    #[test]
    fn reuse_is_refused_within_the_remembered_passwords_only() {
        let history: Vec<String> = ["Old-Pass-1", "Old-Pass-2", "Old-Pass-3"]
            .iter()
            .map(|p| password::hash(p).unwrap())
            .collect();
        assert!(
            history
                .iter()
                .all(|h| h.starts_with("$argon2id$") && !h.contains("Old-Pass"))
        );
        assert_eq!(
            check_reuse(&history, "Old-Pass-3", 1),
            Err(PasswordPolicyViolation::Reused)
        );
        assert_eq!(check_reuse(&history, "Old-Pass-2", 1), Ok(()));
        assert_eq!(
            check_reuse(&history, "Old-Pass-2", 2),
            Err(PasswordPolicyViolation::Reused)
        );
        assert_eq!(
            check_reuse(&history, "Old-Pass-1", 24),
            Err(PasswordPolicyViolation::Reused)
        );
        assert_eq!(check_reuse(&history, "Old-Pass-1", 0), Ok(()));
        assert_eq!(check_reuse(&history, "New-Pass-4", 24), Ok(()));
        assert_eq!(check_reuse(&[], "anything", 24), Ok(()));
        assert_eq!(
            check_reuse(&history, "Old-Pass-3", 1)
                .unwrap_err()
                .to_string(),
            "Password was used previously"
        );
    }

    #[test]
    fn remember_keeps_only_the_newest_entries() {
        let mut history = Vec::new();
        for n in 1..=5 {
            remember(&mut history, format!("h{n}"), 3);
        }
        assert_eq!(history, ["h3", "h4", "h5"]);
        remember(&mut history, "h6".into(), 0);
        assert!(history.is_empty());
        assert_eq!(reuse_prevention(Some(&strict())), 24);
        assert_eq!(reuse_prevention(Some(&PasswordPolicy::default())), 0);
        assert_eq!(reuse_prevention(None), 0);
    }

    #[test]
    fn next_rotation_is_max_age_days_after_the_last_change() {
        // credentials-and-mfa.md §(e) sample: changed 2024-03-01T12:00:00, MaxPasswordAge 90,
        // next rotation 2024-05-30T12:00:00.
        let changed = 1_709_294_400;
        assert_eq!(next_rotation(Some(&strict()), changed), Some(1_717_070_400));
        assert_eq!(
            next_rotation(Some(&PasswordPolicy::default()), changed),
            None
        );
        assert_eq!(next_rotation(None, changed), None);
        assert_eq!(next_rotation(Some(&strict()), i64::MAX), None);
    }

    #[test]
    fn expiry_follows_max_age_and_hard_expiry() {
        let changed = 1_700_000_000;
        let due = changed + 90 * 86_400;
        let soft = strict();
        assert!(!is_expired(Some(&soft), changed, due - 1));
        assert!(is_expired(Some(&soft), changed, due));
        assert_eq!(
            expiry(Some(&soft), changed, due - 1),
            PasswordExpiry::Current
        );
        assert_eq!(
            expiry(Some(&soft), changed, due),
            PasswordExpiry::MustChange
        );
        let hard = PasswordPolicy {
            hard_expiry: Some(true),
            ..strict()
        };
        assert_eq!(
            expiry(Some(&hard), changed, due),
            PasswordExpiry::AdminResetRequired
        );
        let unset = PasswordPolicy {
            hard_expiry: None,
            ..strict()
        };
        assert_eq!(
            expiry(Some(&unset), changed, due),
            PasswordExpiry::MustChange
        );
        // No policy, or no MaxPasswordAge: never expires.
        assert!(!is_expired(None, 0, i64::MAX));
        assert!(!is_expired(Some(&PasswordPolicy::default()), 0, i64::MAX));
        // A newly set MaxPasswordAge applies to existing passwords at once.
        let tightened = PasswordPolicy {
            max_password_age: Some(1),
            ..PasswordPolicy::default()
        };
        assert!(is_expired(Some(&tightened), changed, changed + 86_400));
    }
}
