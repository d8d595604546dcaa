//! `GetAccountSummary`: the account's IAM usage counts beside IAM's quotas, every key AWS
//! returns.

use std::collections::BTreeMap;

use rampart_wire::iam::{self as wire, Output};

use super::Cx;
use crate::error::CoreError;
use crate::model::{AccountId, MfaOwner};
use crate::state::State;

/// `GetAccountSummary`.
pub fn get_account_summary(
    cx: &Cx<'_>,
    _: &wire::GetAccountSummaryInput,
) -> Result<Output, CoreError> {
    let summary_map = summary(&cx.state(), cx.account());
    Ok(wire::GetAccountSummaryOutput { summary_map }.into())
}

/// The summary map: usage counts and IAM's quotas.
fn summary(state: &State, account: &AccountId) -> BTreeMap<String, i32> {
    let count = |n: usize| i32::try_from(n).unwrap_or(i32::MAX);
    let users = state.users(account).count();
    let groups = state.groups(account).count();
    let local_policies = state
        .customer_policies()
        .filter(|p| p.record.account.as_ref() == Some(account))
        .count();
    // "The number of managed policies that are attached to IAM users, groups, or roles"
    // (GetAccountSummary's PolicyVersionsInUse): one per attachment.
    let attachments = state
        .users(account)
        .map(|u| u.record.attached_policies.len())
        .chain(
            state
                .groups(account)
                .map(|g| g.record.attached_policies.len()),
        )
        .chain(
            state
                .roles(account)
                .map(|r| r.record.attached_policies.len()),
        )
        .sum::<usize>();
    let root_keys = !state.access_keys_of(account, None).is_empty();
    let mut map = BTreeMap::new();
    let mut put = |key: &str, value: i32| {
        map.insert(key.to_owned(), value);
    };
    put("AccessKeysPerUserQuota", 2);
    put("AccountAccessKeysPresent", i32::from(root_keys));
    put(
        "AccountMFAEnabled",
        i32::from(
            state
                .mfa_devices_of(account, &MfaOwner::Root)
                .next()
                .is_some(),
        ),
    );
    // Only an account whose root user has a password reports the key (as 1): AWS's answers
    // for accounts whose root never set one (moto's recorded summary) leave it out.
    if state
        .account(account)
        .is_some_and(|a| a.root_password_hash.is_some())
    {
        put("AccountPasswordPresent", 1);
    }
    put(
        "AccountSigningCertificatesPresent",
        i32::from(!state.signing_certificates_of(account, None).is_empty()),
    );
    put("AssumeRolePolicySizeQuota", 2048);
    put("AttachedPoliciesPerGroupQuota", 10);
    put("AttachedPoliciesPerRoleQuota", 10);
    put("AttachedPoliciesPerUserQuota", 10);
    put("GlobalEndpointTokenVersion", 1);
    put("GroupPolicySizeQuota", 5120);
    put("Groups", count(groups));
    put("GroupsPerUserQuota", 10);
    put("GroupsQuota", 300);
    put(
        "InstanceProfiles",
        count(state.instance_profiles(account).count()),
    );
    put("InstanceProfilesQuota", 1000);
    put("MFADevices", count(state.mfa_devices(account).count()));
    put(
        "MFADevicesInUse",
        count(
            state
                .mfa_devices(account)
                .filter(|d| d.owner.is_some())
                .count(),
        ),
    );
    put("Policies", count(local_policies));
    put("PoliciesQuota", 1500);
    put("PolicySizeQuota", 6144);
    put("PolicyVersionsInUse", count(attachments));
    put("PolicyVersionsInUseQuota", 10000);
    put(
        "Providers",
        count(state.oidc_providers(account).count() + state.saml_providers(account).count()),
    );
    put("RolePolicySizeQuota", 10240);
    put("Roles", count(state.roles(account).count()));
    put("RolesQuota", 1000);
    put(
        "ServerCertificates",
        count(state.server_certificates(account).count()),
    );
    put("ServerCertificatesQuota", 20);
    put("SigningCertificatesPerUserQuota", 2);
    put("UserPolicySizeQuota", 2048);
    put("Users", count(users));
    put("UsersQuota", 5000);
    put("VersionsPerPolicyQuota", 5);
    map
}

#[cfg(test)]
mod tests {
    use rampart_wire::iam::{self as wire, Operation as Op};

    use super::super::fixture::Fixture;
    use super::summary;

    #[test]
    fn roles_instance_profiles_and_attachments_are_counted() {
        let f = Fixture::new();
        f.user("alice");
        f.group("devs");
        f.role("deployer");
        f.run(Op::CreateInstanceProfile(
            wire::CreateInstanceProfileInput {
                instance_profile_name: "web".into(),
                ..Default::default()
            },
        ))
        .unwrap();
        let admin = "arn:aws:iam::aws:policy/AdministratorAccess";
        f.run(Op::AttachUserPolicy(wire::AttachUserPolicyInput {
            user_name: "alice".into(),
            policy_arn: admin.into(),
        }))
        .unwrap();
        f.run(Op::AttachGroupPolicy(wire::AttachGroupPolicyInput {
            group_name: "devs".into(),
            policy_arn: admin.into(),
        }))
        .unwrap();
        f.run(Op::AttachRolePolicy(wire::AttachRolePolicyInput {
            role_name: "deployer".into(),
            policy_arn: admin.into(),
        }))
        .unwrap();
        let map = summary(&f.state(), f.account());
        assert_eq!(map["Roles"], 1);
        assert_eq!(map["InstanceProfiles"], 1);
        assert_eq!(map["Users"], 1);
        assert_eq!(map["Groups"], 1);
        assert_eq!(map["PolicyVersionsInUse"], 3);
    }
}
