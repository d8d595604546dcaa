//! The account's security status, computed in one place the way the IAM dashboard did:
//! root MFA, root access keys, a password policy, users without MFA, unused credentials.

use crate::model::{AccountId, MfaOwner};
use crate::state::State;

/// Credentials unused for this long are reported (the CIS benchmark's 45 days).
pub const UNUSED_AFTER_SECONDS: i64 = 45 * 86_400;

/// One line of the status report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Short identifier, e.g. `root-mfa`.
    pub check: &'static str,
    /// Whether the account passes it.
    pub ok: bool,
    /// What was found.
    pub detail: String,
}

/// The status of `account` at `now`; `last_used` tells when a key last signed a request.
pub fn status(
    state: &State,
    account: &AccountId,
    now: i64,
    last_used: impl Fn(&str) -> Option<i64>,
) -> Vec<Finding> {
    let root_mfa = state
        .mfa_devices_of(account, &MfaOwner::Root)
        .next()
        .is_some();
    let root_keys = state.access_keys_of(account, None);
    let policy = state
        .account(account)
        .and_then(|a| a.password_policy.as_ref());
    let users: Vec<_> = state.users(account).collect();
    let without_mfa: Vec<String> = users
        .iter()
        .filter(|u| u.record.login_profile.is_some())
        .filter(|u| {
            state
                .mfa_devices_of(account, &MfaOwner::User(u.record.name.clone()))
                .next()
                .is_none()
        })
        .map(|u| u.record.name.clone())
        .collect();
    let mut unused = Vec::new();
    for user in &users {
        for key in state.access_keys_of(account, Some(&user.record.name)) {
            let since = last_used(&key.record.id).unwrap_or(key.record.created);
            if key.record.status == crate::model::KeyStatus::Active
                && now - since > UNUSED_AFTER_SECONDS
            {
                unused.push(format!("{}:{}", user.record.name, key.record.id));
            }
        }
    }
    vec![
        Finding {
            check: "root-access-keys",
            ok: root_keys.is_empty(),
            detail: if root_keys.is_empty() {
                "no root access keys".to_owned()
            } else {
                format!("{} root access key(s) present", root_keys.len())
            },
        },
        Finding {
            check: "root-mfa",
            ok: root_mfa,
            detail: if root_mfa {
                "MFA is active for root".to_owned()
            } else {
                "root has no MFA".to_owned()
            },
        },
        Finding {
            check: "iam-users",
            ok: !users.is_empty(),
            detail: format!("{} IAM user(s)", users.len()),
        },
        Finding {
            check: "groups",
            ok: state.groups(account).next().is_some(),
            detail: format!("{} group(s)", state.groups(account).count()),
        },
        Finding {
            check: "password-policy",
            ok: policy.is_some(),
            detail: if policy.is_some() {
                "an account password policy is set".to_owned()
            } else {
                "no account password policy".to_owned()
            },
        },
        Finding {
            check: "console-users-without-mfa",
            ok: without_mfa.is_empty(),
            detail: if without_mfa.is_empty() {
                "every console user has MFA".to_owned()
            } else {
                without_mfa.join(", ")
            },
        },
        Finding {
            check: "unused-credentials",
            ok: unused.is_empty(),
            detail: if unused.is_empty() {
                "no access key unused for 45 days".to_owned()
            } else {
                unused.join(", ")
            },
        },
    ]
}
