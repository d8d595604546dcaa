//! The IAM table: each operation's action (`iam:` + its name), resource ARN (Service
//! Authorization Reference resource types `user`, `group`, `role`, `policy`, `mfa`,
//! `instance-profile`, `oidc-provider`, `saml-provider`, `server-certificate`, or `*`) and
//! request condition keys (`iam:PolicyARN`, `iam:PermissionsBoundary`, `iam:AWSServiceName`,
//! `aws:RequestTag/…`, `aws:TagKeys`).
//!
//! Reads the snapshot only to find an existing entity's path; decides nothing.

use rampart_wire::iam as wire;

use super::Access;
use crate::auth::{Caller, Principal};
use crate::model::{AccountId, PARTITION};
use crate::state::State;

fn user_arn(state: &State, account: &AccountId, name: &str, path: Option<&str>) -> String {
    let path = state
        .user(account, name)
        .map(|u| u.record.path.clone())
        .or_else(|| path.map(str::to_owned));
    format!(
        "arn:{PARTITION}:iam::{account}:user{}{name}",
        path.as_deref().unwrap_or("/")
    )
}

fn group_arn(state: &State, account: &AccountId, name: &str, path: Option<&str>) -> String {
    let path = state
        .group(account, name)
        .map(|g| g.record.path.clone())
        .or_else(|| path.map(str::to_owned));
    format!(
        "arn:{PARTITION}:iam::{account}:group{}{name}",
        path.as_deref().unwrap_or("/")
    )
}

fn role_arn(state: &State, account: &AccountId, name: &str, path: Option<&str>) -> String {
    let path = state
        .role(account, name)
        .map(|r| r.record.path.clone())
        .or_else(|| path.map(str::to_owned));
    format!(
        "arn:{PARTITION}:iam::{account}:role{}{name}",
        path.as_deref().unwrap_or("/")
    )
}

/// The user an MFA operation targets; the account id names root.
fn mfa_target(state: &State, caller: &Caller, name: Option<&str>) -> String {
    match name {
        Some(name) if name == caller.account.as_str() => caller.account.root_arn(),
        other => target_user_arn(state, caller, other),
    }
}

/// The user an operation with an optional `UserName` targets: the named one, or the caller.
fn target_user_arn(state: &State, caller: &Caller, name: Option<&str>) -> String {
    match name {
        Some(name) => user_arn(state, &caller.account, name, None),
        None => caller.arn(),
    }
}

/// The ARN of server certificate `name` (path `/` if it does not exist).
fn server_certificate_arn(state: &State, account: &AccountId, name: &str) -> String {
    match state.server_certificate(account, name) {
        Some(c) => c.arn(),
        None => format!("arn:aws:iam::{account}:server-certificate/{name}"),
    }
}

/// The action, resource and keys of an IAM operation.
pub fn access(state: &State, caller: &Caller, op: &wire::Operation) -> Access {
    use wire::Operation as Op;
    let account = &caller.account;
    let user = |name: &str| user_arn(state, account, name, None);
    let group = |name: &str| group_arn(state, account, name, None);
    let role = |name: &str| role_arn(state, account, name, None);
    let profile = |name: &str| {
        let path = state
            .instance_profile(account, name)
            .map_or_else(|| "/".to_owned(), |p| p.path.clone());
        format!("arn:{PARTITION}:iam::{account}:instance-profile{path}{name}")
    };
    let action = format!("iam:{}", op.name());
    let access = |resource: String| Access::new(&action, resource);
    match op {
        Op::CreateUser(i) => {
            let a = access(user_arn(state, account, &i.user_name, i.path.as_deref()))
                .with_tags(tags(i.tags.as_deref()));
            match &i.permissions_boundary {
                Some(arn) => a.with_key("iam:PermissionsBoundary", arn.as_str()),
                None => a,
            }
        }
        Op::GetUser(i) => access(target_user_arn(state, caller, i.user_name.as_deref())),
        Op::ListUsers(_) => access(format!("arn:{PARTITION}:iam::{account}:user/")),
        Op::DeleteUser(i) => access(user(&i.user_name)),
        Op::UpdateUser(i) => access(user(&i.user_name)),
        Op::TagUser(i) => access(user(&i.user_name)).with_tags(tags(Some(i.tags.as_slice()))),
        Op::UntagUser(i) => access(user(&i.user_name)).with_tag_keys(&i.tag_keys),
        Op::ListUserTags(i) => access(user(&i.user_name)),
        Op::CreateGroup(i) => access(group_arn(state, account, &i.group_name, i.path.as_deref())),
        Op::GetGroup(i) => access(group(&i.group_name)),
        Op::DeleteGroup(i) => access(group(&i.group_name)),
        Op::ListGroups(_) => access(format!("arn:{PARTITION}:iam::{account}:group/")),
        Op::AddUserToGroup(i) => access(group(&i.group_name)),
        Op::RemoveUserFromGroup(i) => access(group(&i.group_name)),
        Op::ListGroupsForUser(i) => access(user(&i.user_name)),
        Op::CreateAccessKey(i) => access(target_user_arn(state, caller, i.user_name.as_deref())),
        Op::ListAccessKeys(i) => access(target_user_arn(state, caller, i.user_name.as_deref())),
        Op::UpdateAccessKey(i) => access(target_user_arn(state, caller, i.user_name.as_deref())),
        Op::DeleteAccessKey(i) => access(target_user_arn(state, caller, i.user_name.as_deref())),
        Op::CreatePolicy(i) => {
            let path = i.path.as_deref().unwrap_or("/");
            access(format!(
                "arn:{PARTITION}:iam::{account}:policy{path}{}",
                i.policy_name
            ))
            .with_tags(tags(i.tags.as_deref()))
        }
        Op::GetPolicy(i) => access(i.policy_arn.clone()),
        Op::DeletePolicy(i) => access(i.policy_arn.clone()),
        Op::GetPolicyVersion(i) => access(i.policy_arn.clone()),
        Op::ListPolicies(_) => access(format!("arn:{PARTITION}:iam::{account}:policy/")),
        Op::AttachUserPolicy(i) => {
            access(user(&i.user_name)).with_key("iam:PolicyARN", i.policy_arn.as_str())
        }
        Op::DetachUserPolicy(i) => {
            access(user(&i.user_name)).with_key("iam:PolicyARN", i.policy_arn.as_str())
        }
        Op::AttachGroupPolicy(i) => {
            access(group(&i.group_name)).with_key("iam:PolicyARN", i.policy_arn.as_str())
        }
        Op::DetachGroupPolicy(i) => {
            access(group(&i.group_name)).with_key("iam:PolicyARN", i.policy_arn.as_str())
        }
        Op::ListAttachedUserPolicies(i) => access(user(&i.user_name)),
        Op::ListAttachedGroupPolicies(i) => access(group(&i.group_name)),
        Op::PutUserPolicy(i) => access(user(&i.user_name)),
        Op::GetUserPolicy(i) => access(user(&i.user_name)),
        Op::DeleteUserPolicy(i) => access(user(&i.user_name)),
        Op::ListUserPolicies(i) => access(user(&i.user_name)),
        Op::PutGroupPolicy(i) => access(group(&i.group_name)),
        Op::GetGroupPolicy(i) => access(group(&i.group_name)),
        Op::DeleteGroupPolicy(i) => access(group(&i.group_name)),
        Op::ListGroupPolicies(i) => access(group(&i.group_name)),
        Op::GetAccountSummary(_) => access("*".to_owned()),
        Op::CreateRole(i) => {
            let a = access(role_arn(state, account, &i.role_name, i.path.as_deref()))
                .with_tags(tags(i.tags.as_deref()));
            match &i.permissions_boundary {
                Some(arn) => a.with_key("iam:PermissionsBoundary", arn.as_str()),
                None => a,
            }
        }
        Op::GetRole(i) => access(role(&i.role_name)),
        Op::DeleteRole(i) => access(role(&i.role_name)),
        Op::ListRoles(_) => access(format!("arn:{PARTITION}:iam::{account}:role/")),
        Op::UpdateAssumeRolePolicy(i) => access(role(&i.role_name)),
        Op::AttachRolePolicy(i) => {
            access(role(&i.role_name)).with_key("iam:PolicyARN", i.policy_arn.as_str())
        }
        Op::DetachRolePolicy(i) => {
            access(role(&i.role_name)).with_key("iam:PolicyARN", i.policy_arn.as_str())
        }
        Op::ListAttachedRolePolicies(i) => access(role(&i.role_name)),
        Op::PutRolePolicy(i) => access(role(&i.role_name)),
        Op::GetRolePolicy(i) => access(role(&i.role_name)),
        Op::DeleteRolePolicy(i) => access(role(&i.role_name)),
        Op::ListRolePolicies(i) => access(role(&i.role_name)),
        Op::CreatePolicyVersion(i) => access(i.policy_arn.clone()),
        Op::ListPolicyVersions(i) => access(i.policy_arn.clone()),
        Op::DeletePolicyVersion(i) => access(i.policy_arn.clone()),
        Op::SetDefaultPolicyVersion(i) => access(i.policy_arn.clone()),
        Op::ListEntitiesForPolicy(i) => access(i.policy_arn.clone()),
        Op::TagPolicy(i) => access(i.policy_arn.clone()).with_tags(tags(Some(i.tags.as_slice()))),
        Op::UntagPolicy(i) => access(i.policy_arn.clone()).with_tag_keys(&i.tag_keys),
        Op::ListPolicyTags(i) => access(i.policy_arn.clone()),
        Op::TagRole(i) => access(role(&i.role_name)).with_tags(tags(Some(i.tags.as_slice()))),
        Op::UntagRole(i) => access(role(&i.role_name)).with_tag_keys(&i.tag_keys),
        Op::ListRoleTags(i) => access(role(&i.role_name)),
        Op::UpdateRole(i) => access(role(&i.role_name)),
        Op::UpdateRoleDescription(i) => access(role(&i.role_name)),
        Op::GetAccessKeyLastUsed(i) => {
            let owner = state
                .access_key(&i.access_key_id)
                .and_then(|k| k.record.user.clone());
            access(owner.map_or_else(|| caller.arn(), |name| user(&name)))
        }
        Op::CreateInstanceProfile(i) => {
            let path = i.path.as_deref().unwrap_or("/");
            access(format!(
                "arn:{PARTITION}:iam::{account}:instance-profile{path}{}",
                i.instance_profile_name
            ))
        }
        Op::GetInstanceProfile(i) => access(profile(&i.instance_profile_name)),
        Op::DeleteInstanceProfile(i) => access(profile(&i.instance_profile_name)),
        Op::AddRoleToInstanceProfile(i) => access(profile(&i.instance_profile_name)),
        Op::RemoveRoleFromInstanceProfile(i) => access(profile(&i.instance_profile_name)),
        Op::ListInstanceProfiles(_) => {
            access(format!("arn:{PARTITION}:iam::{account}:instance-profile/"))
        }
        Op::ListInstanceProfilesForRole(i) => access(role(&i.role_name)),
        Op::GetAccountAuthorizationDetails(_) => access("*".to_owned()),
        Op::CreateLoginProfile(i) => access(target_user_arn(state, caller, i.user_name.as_deref())),
        Op::GetLoginProfile(i) => access(target_user_arn(state, caller, i.user_name.as_deref())),
        Op::UpdateLoginProfile(i) => access(user(&i.user_name)),
        Op::DeleteLoginProfile(i) => access(target_user_arn(state, caller, i.user_name.as_deref())),
        Op::ChangePassword(_) => access(caller.arn()),
        Op::UpdateAccountPasswordPolicy(_)
        | Op::GetAccountPasswordPolicy(_)
        | Op::DeleteAccountPasswordPolicy(_) => access("*".to_owned()),
        Op::GenerateCredentialReport(_) | Op::GetCredentialReport(_) => access("*".to_owned()),
        Op::CreateVirtualMFADevice(i) => {
            let path = i.path.as_deref().unwrap_or("/");
            access(format!(
                "arn:{PARTITION}:iam::{account}:mfa{path}{}",
                i.virtual_mfa_device_name
            ))
        }
        Op::EnableMFADevice(i) => access(mfa_target(state, caller, Some(&i.user_name))),
        Op::ResyncMFADevice(i) => access(mfa_target(state, caller, Some(&i.user_name))),
        Op::DeactivateMFADevice(i) => access(mfa_target(state, caller, i.user_name.as_deref())),
        Op::DeleteVirtualMFADevice(i) => access(i.serial_number.clone()),
        Op::ListMFADevices(i) => access(mfa_target(state, caller, i.user_name.as_deref())),
        Op::ListVirtualMFADevices(_) => access(format!("arn:{PARTITION}:iam::{account}:mfa/")),
        Op::GetMFADevice(i) => access(i.serial_number.clone()),
        Op::CreateServiceLinkedRole(i) => {
            let name = crate::arns::service_linked_role_name(
                &i.aws_service_name,
                i.custom_suffix.as_deref(),
            )
            .unwrap_or_default();
            access(format!(
                "arn:{PARTITION}:iam::{account}:role/aws-service-role/{}/{name}",
                i.aws_service_name
            ))
            .with_key("iam:AWSServiceName", i.aws_service_name.as_str())
        }
        Op::DeleteServiceLinkedRole(i) => access(role(&i.role_name)),
        Op::GetServiceLinkedRoleDeletionStatus(_) => access("*".to_owned()),
        Op::GetContextKeysForPrincipalPolicy(i) => access(i.policy_source_arn.clone()),
        Op::GetContextKeysForCustomPolicy(_) => access("*".to_owned()),
        Op::UpdateGroup(i) => access(group(&i.group_name)),
        Op::TagMFADevice(i) => {
            access(i.serial_number.clone()).with_tags(tags(Some(i.tags.as_slice())))
        }
        Op::UntagMFADevice(i) => access(i.serial_number.clone()).with_tag_keys(&i.tag_keys),
        Op::ListMFADeviceTags(i) => access(i.serial_number.clone()),
        Op::TagInstanceProfile(i) => {
            access(profile(&i.instance_profile_name)).with_tags(tags(Some(i.tags.as_slice())))
        }
        Op::UntagInstanceProfile(i) => {
            access(profile(&i.instance_profile_name)).with_tag_keys(&i.tag_keys)
        }
        Op::ListInstanceProfileTags(i) => access(profile(&i.instance_profile_name)),
        Op::EnableOrganizationsRootCredentialsManagement(_)
        | Op::DisableOrganizationsRootCredentialsManagement(_)
        | Op::EnableOrganizationsRootSessions(_)
        | Op::DisableOrganizationsRootSessions(_)
        | Op::ListOrganizationsFeatures(_) => access("*".to_owned()),
        Op::CreateAccountAlias(_) | Op::DeleteAccountAlias(_) | Op::ListAccountAliases(_) => {
            access("*".to_owned())
        }
        Op::SimulatePrincipalPolicy(i) => access(i.policy_source_arn.clone()),
        Op::SimulateCustomPolicy(_) => access("*".to_owned()),
        Op::PutUserPermissionsBoundary(i) => access(user(&i.user_name))
            .with_key("iam:PermissionsBoundary", i.permissions_boundary.as_str()),
        Op::DeleteUserPermissionsBoundary(i) => access(user(&i.user_name)),
        Op::PutRolePermissionsBoundary(i) => access(role(&i.role_name))
            .with_key("iam:PermissionsBoundary", i.permissions_boundary.as_str()),
        Op::DeleteRolePermissionsBoundary(i) => access(role(&i.role_name)),
        // Service Authorization Reference: certificates and SSH keys are actions on the user.
        Op::UploadSigningCertificate(i) => {
            access(target_user_arn(state, caller, i.user_name.as_deref()))
        }
        Op::ListSigningCertificates(i) => {
            access(target_user_arn(state, caller, i.user_name.as_deref()))
        }
        Op::UpdateSigningCertificate(i) => {
            access(target_user_arn(state, caller, i.user_name.as_deref()))
        }
        Op::DeleteSigningCertificate(i) => {
            access(target_user_arn(state, caller, i.user_name.as_deref()))
        }
        Op::UploadSSHPublicKey(i) => access(user(&i.user_name)),
        Op::GetSSHPublicKey(i) => access(user(&i.user_name)),
        Op::ListSSHPublicKeys(i) => access(target_user_arn(state, caller, i.user_name.as_deref())),
        Op::UpdateSSHPublicKey(i) => access(user(&i.user_name)),
        Op::DeleteSSHPublicKey(i) => access(user(&i.user_name)),
        // Resource type `oidc-provider`; listing has no resource type (`*`).
        Op::CreateOpenIDConnectProvider(i) => {
            access(crate::arns::oidc_provider_arn(account, &i.url))
                .with_tags(tags(i.tags.as_deref()))
        }
        Op::ListOpenIDConnectProviders(_) => access("*".to_owned()),
        Op::GetOpenIDConnectProvider(i) => access(i.open_id_connect_provider_arn.clone()),
        Op::DeleteOpenIDConnectProvider(i) => access(i.open_id_connect_provider_arn.clone()),
        Op::AddClientIDToOpenIDConnectProvider(i) => access(i.open_id_connect_provider_arn.clone()),
        Op::RemoveClientIDFromOpenIDConnectProvider(i) => {
            access(i.open_id_connect_provider_arn.clone())
        }
        Op::UpdateOpenIDConnectProviderThumbprint(i) => {
            access(i.open_id_connect_provider_arn.clone())
        }
        Op::ListOpenIDConnectProviderTags(i) => access(i.open_id_connect_provider_arn.clone()),
        Op::TagOpenIDConnectProvider(i) => {
            access(i.open_id_connect_provider_arn.clone()).with_tags(tags(Some(i.tags.as_slice())))
        }
        Op::UntagOpenIDConnectProvider(i) => {
            access(i.open_id_connect_provider_arn.clone()).with_tag_keys(&i.tag_keys)
        }
        // Resource type `server-certificate`; listing has no resource type (`*`).
        Op::UploadServerCertificate(i) => {
            let path = i.path.as_deref().unwrap_or("/");
            access(format!(
                "arn:aws:iam::{account}:server-certificate{path}{}",
                i.server_certificate_name
            ))
            .with_tags(tags(i.tags.as_deref()))
        }
        Op::ListServerCertificates(_) => access("*".to_owned()),
        Op::GetServerCertificate(i) => access(server_certificate_arn(
            state,
            account,
            &i.server_certificate_name,
        )),
        Op::UpdateServerCertificate(i) => access(server_certificate_arn(
            state,
            account,
            &i.server_certificate_name,
        )),
        Op::DeleteServerCertificate(i) => access(server_certificate_arn(
            state,
            account,
            &i.server_certificate_name,
        )),
        Op::ListServerCertificateTags(i) => access(server_certificate_arn(
            state,
            account,
            &i.server_certificate_name,
        )),
        Op::TagServerCertificate(i) => access(server_certificate_arn(
            state,
            account,
            &i.server_certificate_name,
        ))
        .with_tags(tags(Some(i.tags.as_slice()))),
        Op::UntagServerCertificate(i) => access(server_certificate_arn(
            state,
            account,
            &i.server_certificate_name,
        ))
        .with_tag_keys(&i.tag_keys),
        // Service-specific credentials act on resource type `user`.
        Op::CreateServiceSpecificCredential(i) => {
            access(user_arn(state, account, &i.user_name, None))
        }
        Op::ListServiceSpecificCredentials(i) => {
            access(target_user_arn(state, caller, i.user_name.as_deref()))
        }
        Op::UpdateServiceSpecificCredential(i) => {
            access(target_user_arn(state, caller, i.user_name.as_deref()))
        }
        Op::ResetServiceSpecificCredential(i) => {
            access(target_user_arn(state, caller, i.user_name.as_deref()))
        }
        Op::DeleteServiceSpecificCredential(i) => {
            access(target_user_arn(state, caller, i.user_name.as_deref()))
        }
        // Resource type `saml-provider`; listing has no resource type (`*`).
        Op::CreateSAMLProvider(i) => access(crate::arns::saml_provider_arn(account, &i.name))
            .with_tags(tags(i.tags.as_deref())),
        Op::ListSAMLProviders(_) => access("*".to_owned()),
        Op::GetSAMLProvider(i) => access(i.saml_provider_arn.clone()),
        Op::UpdateSAMLProvider(i) => access(i.saml_provider_arn.clone()),
        Op::DeleteSAMLProvider(i) => access(i.saml_provider_arn.clone()),
        Op::ListSAMLProviderTags(i) => access(i.saml_provider_arn.clone()),
        Op::TagSAMLProvider(i) => {
            access(i.saml_provider_arn.clone()).with_tags(tags(Some(i.tags.as_slice())))
        }
        Op::UntagSAMLProvider(i) => access(i.saml_provider_arn.clone()).with_tag_keys(&i.tag_keys),
        // ---- access advisor (ops/iam/access_advisor): the user, group, role or policy
        // reported on; reading a job has no resource type; an Organizations report is
        // resource type `access-report` with its entity path ----
        Op::GenerateServiceLastAccessedDetails(i) => access(i.arn.clone()),
        Op::GetServiceLastAccessedDetails(_) | Op::GetServiceLastAccessedDetailsWithEntities(_) => {
            access("*".to_owned())
        }
        Op::ListPoliciesGrantingServiceAccess(i) => access(i.arn.clone()),
        Op::GenerateOrganizationsAccessReport(i) => {
            let report = access(format!(
                "arn:{PARTITION}:iam::{account}:access-report/{}",
                i.entity_path
            ));
            match &i.organizations_policy_id {
                Some(id) => report.with_key("iam:OrganizationsPolicyId", id.as_str()),
                None => report,
            }
        }
        Op::GetOrganizationsAccessReport(_) => access("*".to_owned()),
        // ---- temporary delegation: resource type `delegation-request` ----
        Op::CreateDelegationRequest(_) | Op::ListDelegationRequests(_) => access("*".to_owned()),
        Op::GetDelegationRequest(i) => {
            access(delegation_arn(state, caller, &i.delegation_request_id))
        }
        Op::AssociateDelegationRequest(i) => {
            access(delegation_arn(state, caller, &i.delegation_request_id))
        }
        Op::UpdateDelegationRequest(i) => {
            access(delegation_arn(state, caller, &i.delegation_request_id))
        }
        Op::AcceptDelegationRequest(i) => {
            access(delegation_arn(state, caller, &i.delegation_request_id))
        }
        Op::RejectDelegationRequest(i) => {
            access(delegation_arn(state, caller, &i.delegation_request_id))
        }
        Op::SendDelegationToken(i) => {
            access(delegation_arn(state, caller, &i.delegation_request_id))
        }
        // ---- outbound web identity federation: no resource type ----
        Op::EnableOutboundWebIdentityFederation(_)
        | Op::DisableOutboundWebIdentityFederation(_)
        | Op::GetOutboundWebIdentityFederationInfo(_) => access("*".to_owned()),
    }
}

/// The ARN of delegation request `id`: under the partner account that created it (the
/// caller's account when there is no such request).
fn delegation_arn(state: &State, caller: &Caller, id: &str) -> String {
    let account = state
        .delegation_request(id)
        .map_or(&caller.account, |r| &r.requestor);
    format!("arn:{PARTITION}:iam::{account}:delegation-request/{id}")
}

/// The owner of a delegation request may get, update and send it without a policy
/// ("Managing permissions for delegation requests", IAM User Guide).
fn delegation_owner_allowed(state: &State, caller: &Caller, op: &wire::Operation) -> bool {
    let id = match op {
        wire::Operation::GetDelegationRequest(i) => &i.delegation_request_id,
        wire::Operation::UpdateDelegationRequest(i) => &i.delegation_request_id,
        wire::Operation::SendDelegationToken(i) => &i.delegation_request_id,
        _ => return false,
    };
    state
        .delegation_request(id)
        .is_some_and(|r| r.owned_by(&caller.account, &caller.arn()))
}

/// IAM operations granted without any policy: `ChangePassword` on oneself, and reading
/// the password policy it must satisfy (`GetAccountPasswordPolicy`), when the password
/// policy has `AllowUsersToChangePassword`; and a delegation request's owner's default
/// permissions.
pub fn implicitly_allowed(state: &State, caller: &Caller, op: &wire::Operation) -> bool {
    if delegation_owner_allowed(state, caller, op) {
        return true;
    }
    matches!(
        op,
        wire::Operation::ChangePassword(_) | wire::Operation::GetAccountPasswordPolicy(_)
    ) && matches!(caller.principal, Principal::User { .. })
        && state
            .account(&caller.account)
            .and_then(|a| a.password_policy.as_ref())
            .is_some_and(|p| p.allow_users_to_change_password)
}

/// The `(key, value)` pairs of optional IAM tags.
fn tags(tags: Option<&[wire::Tag]>) -> impl Iterator<Item = (&str, &str)> {
    tags.unwrap_or_default()
        .iter()
        .map(|t| (t.key.as_str(), t.value.as_str()))
}
