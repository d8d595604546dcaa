//! Authorization: what each operation is (action, resource, condition keys) and the one
//! place a request is decided, by `rampart-policy`, against the caller's policies.
//!
//! The resource ARN of an entity uses its stored path when the entity exists, and the
//! path given in the request (or `/`) otherwise, as AWS's denial messages show.

use rampart_policy::{
    ContextValue, Evaluation, Policy, PolicySets, RequestContext, Timestamp, evaluate,
};
use rampart_wire::{account, iam, organizations, sts};

use crate::auth::{Caller, Principal};
use crate::error::CoreError;
use crate::model::{AccountId, PARTITION};
use crate::state::State;

/// What a request asks to do, in IAM's terms.
#[derive(Debug, Clone, PartialEq)]
pub struct Access {
    /// `service:Action`.
    pub action: String,
    /// The resource ARN, or `*`.
    pub resource: String,
    /// Request-specific condition keys (`iam:PolicyARN`, `aws:RequestTag/…`, …).
    pub keys: Vec<(String, ContextValue)>,
}

impl Access {
    fn new(action: &str, resource: String) -> Access {
        Access {
            action: action.to_owned(),
            resource,
            keys: Vec::new(),
        }
    }

    fn with_key(mut self, name: &str, value: impl Into<ContextValue>) -> Access {
        self.keys.push((name.to_owned(), value.into()));
        self
    }
}

/// Facts about the request that do not come from its input.
#[derive(Debug, Clone)]
pub struct RequestEnv {
    /// The time of the request, unix seconds.
    pub now: i64,
    /// The client's address.
    pub source_ip: std::net::IpAddr,
    /// Whether the request came over TLS.
    pub secure_transport: bool,
    /// The region the request was signed for.
    pub region: String,
}

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

fn tag_keys(tags: &[iam::Tag]) -> Vec<(String, ContextValue)> {
    let mut keys: Vec<(String, ContextValue)> = tags
        .iter()
        .map(|t| {
            (
                format!("aws:RequestTag/{}", t.key),
                ContextValue::String(t.value.clone()),
            )
        })
        .collect();
    if !tags.is_empty() {
        keys.push((
            "aws:TagKeys".to_owned(),
            ContextValue::strings(tags.iter().map(|t| t.key.clone())),
        ));
    }
    keys
}

/// The action, resource and keys of an IAM operation.
pub fn iam_access(state: &State, caller: &Caller, op: &iam::Operation) -> Access {
    use iam::Operation as Op;
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
            let mut a = access(user_arn(state, account, &i.user_name, i.path.as_deref()));
            a.keys
                .extend(tag_keys(i.tags.as_deref().unwrap_or_default()));
            match &i.permissions_boundary {
                Some(arn) => a.with_key("iam:PermissionsBoundary", arn.as_str()),
                None => a,
            }
        }
        Op::GetUser(i) => access(target_user_arn(state, caller, i.user_name.as_deref())),
        Op::ListUsers(_) => access(format!("arn:{PARTITION}:iam::{account}:user/")),
        Op::DeleteUser(i) => access(user(&i.user_name)),
        Op::UpdateUser(i) => access(user(&i.user_name)),
        Op::TagUser(i) => {
            let mut a = access(user(&i.user_name));
            a.keys.extend(tag_keys(&i.tags));
            a
        }
        Op::UntagUser(i) => access(user(&i.user_name))
            .with_key("aws:TagKeys", ContextValue::strings(i.tag_keys.clone())),
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
            let mut a = access(format!(
                "arn:{PARTITION}:iam::{account}:policy{path}{}",
                i.policy_name
            ));
            a.keys
                .extend(tag_keys(i.tags.as_deref().unwrap_or_default()));
            a
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
            let mut a = access(role_arn(state, account, &i.role_name, i.path.as_deref()));
            a.keys
                .extend(tag_keys(i.tags.as_deref().unwrap_or_default()));
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
        Op::TagPolicy(i) => {
            let mut a = access(i.policy_arn.clone());
            a.keys.extend(tag_keys(&i.tags));
            a
        }
        Op::UntagPolicy(i) => access(i.policy_arn.clone())
            .with_key("aws:TagKeys", ContextValue::strings(i.tag_keys.clone())),
        Op::ListPolicyTags(i) => access(i.policy_arn.clone()),
        Op::TagRole(i) => {
            let mut a = access(role(&i.role_name));
            a.keys.extend(tag_keys(&i.tags));
            a
        }
        Op::UntagRole(i) => access(role(&i.role_name))
            .with_key("aws:TagKeys", ContextValue::strings(i.tag_keys.clone())),
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
            let name = crate::ops::iam::service_linked_roles::role_name(
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
            let mut a = access(i.serial_number.clone());
            a.keys.extend(tag_keys(&i.tags));
            a
        }
        Op::UntagMFADevice(i) => access(i.serial_number.clone())
            .with_key("aws:TagKeys", ContextValue::strings(i.tag_keys.clone())),
        Op::ListMFADeviceTags(i) => access(i.serial_number.clone()),
        Op::TagInstanceProfile(i) => {
            let mut a = access(profile(&i.instance_profile_name));
            a.keys.extend(tag_keys(&i.tags));
            a
        }
        Op::UntagInstanceProfile(i) => access(profile(&i.instance_profile_name))
            .with_key("aws:TagKeys", ContextValue::strings(i.tag_keys.clone())),
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
            let mut a = access(crate::ops::iam::oidc_providers::arn_for(account, &i.url));
            a.keys
                .extend(tag_keys(i.tags.as_deref().unwrap_or_default()));
            a
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
            let mut a = access(i.open_id_connect_provider_arn.clone());
            a.keys.extend(tag_keys(&i.tags));
            a
        }
        Op::UntagOpenIDConnectProvider(i) => access(i.open_id_connect_provider_arn.clone())
            .with_key("aws:TagKeys", ContextValue::strings(i.tag_keys.clone())),
        // Resource type `server-certificate`; listing has no resource type (`*`).
        Op::UploadServerCertificate(i) => {
            let path = i.path.as_deref().unwrap_or("/");
            let mut a = access(format!(
                "arn:aws:iam::{account}:server-certificate{path}{}",
                i.server_certificate_name
            ));
            a.keys
                .extend(tag_keys(i.tags.as_deref().unwrap_or_default()));
            a
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
        Op::TagServerCertificate(i) => {
            let mut a = access(server_certificate_arn(
                state,
                account,
                &i.server_certificate_name,
            ));
            a.keys.extend(tag_keys(&i.tags));
            a
        }
        Op::UntagServerCertificate(i) => access(server_certificate_arn(
            state,
            account,
            &i.server_certificate_name,
        ))
        .with_key("aws:TagKeys", ContextValue::strings(i.tag_keys.clone())),
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
        Op::CreateSAMLProvider(i) => {
            let mut a = access(crate::ops::iam::saml_providers::arn_for(account, &i.name));
            a.keys
                .extend(tag_keys(i.tags.as_deref().unwrap_or_default()));
            a
        }
        Op::ListSAMLProviders(_) => access("*".to_owned()),
        Op::GetSAMLProvider(i) => access(i.saml_provider_arn.clone()),
        Op::UpdateSAMLProvider(i) => access(i.saml_provider_arn.clone()),
        Op::DeleteSAMLProvider(i) => access(i.saml_provider_arn.clone()),
        Op::ListSAMLProviderTags(i) => access(i.saml_provider_arn.clone()),
        Op::TagSAMLProvider(i) => {
            let mut a = access(i.saml_provider_arn.clone());
            a.keys.extend(tag_keys(&i.tags));
            a
        }
        Op::UntagSAMLProvider(i) => access(i.saml_provider_arn.clone())
            .with_key("aws:TagKeys", ContextValue::strings(i.tag_keys.clone())),
    }
}

/// The action, resource and keys of an Organizations operation (Service Authorization
/// Reference: resource types account, handshake, organization, ou, policy, root). Outside
/// an organization every resource is `*`.
pub fn organizations_access(
    state: &State,
    caller: &Caller,
    op: &organizations::Operation,
) -> Access {
    use organizations::Operation as Op;
    let action = format!("organizations:{}", op.name());
    let Some((org, _)) = state.org_of(&caller.account) else {
        return Access::new(&action, "*".to_owned());
    };
    let account =
        |id: &str| AccountId::parse(id).map_or_else(|| "*".to_owned(), |a| org.account_arn(&a));
    // A root, OU, account or policy id, as its ARN.
    let entity = |id: &str| {
        if id == org.root_id {
            org.root_arn()
        } else if id.starts_with("ou-") {
            org.ou_arn(id)
        } else if id.starts_with("p-") {
            state
                .org_policy(id)
                .map_or_else(|| "*".to_owned(), |p| p.record.arn())
        } else {
            account(id)
        }
    };
    let handshake = |id: &str| {
        state.handshake(id).map_or_else(
            || "*".to_owned(),
            |h| {
                format!(
                    "arn:{PARTITION}:organizations::{}:handshake/{}/{}/{id}",
                    h.management,
                    h.org,
                    h.action.to_ascii_lowercase()
                )
            },
        )
    };
    let org_tags = |tags: &[organizations::Tag]| -> Vec<(String, ContextValue)> {
        let mut keys: Vec<(String, ContextValue)> = tags
            .iter()
            .map(|t| {
                (
                    format!("aws:RequestTag/{}", t.key),
                    ContextValue::String(t.value.clone()),
                )
            })
            .collect();
        if !tags.is_empty() {
            keys.push((
                "aws:TagKeys".to_owned(),
                ContextValue::strings(tags.iter().map(|t| t.key.clone())),
            ));
        }
        keys
    };
    let access = |resource: String| Access::new(&action, resource);
    let policy_type = |id: &str| state.org_policy(id).map(|p| p.record.policy_type.clone());
    match op {
        Op::DescribeOrganization(_) | Op::DeleteOrganization(_) => access(org.arn()),
        Op::CreateOrganizationalUnit(i) => {
            let mut a = access(entity(&i.parent_id));
            a.keys
                .extend(org_tags(i.tags.as_deref().unwrap_or_default()));
            a
        }
        Op::DescribeOrganizationalUnit(i) => access(entity(&i.organizational_unit_id)),
        Op::UpdateOrganizationalUnit(i) => access(entity(&i.organizational_unit_id)),
        Op::DeleteOrganizationalUnit(i) => access(entity(&i.organizational_unit_id)),
        Op::ListOrganizationalUnitsForParent(i) => access(entity(&i.parent_id)),
        Op::ListChildren(i) => access(entity(&i.parent_id)),
        Op::ListParents(i) => access(entity(&i.child_id)),
        Op::ListAccountsForParent(i) => access(entity(&i.parent_id)),
        Op::CreateAccount(i) => {
            let mut a = access("*".to_owned());
            a.keys
                .extend(org_tags(i.tags.as_deref().unwrap_or_default()));
            a
        }
        Op::DescribeAccount(i) => access(account(&i.account_id)),
        Op::MoveAccount(i) => access(account(&i.account_id)),
        Op::RemoveAccountFromOrganization(i) => access(account(&i.account_id)),
        Op::CloseAccount(i) => access(account(&i.account_id)),
        Op::InviteAccountToOrganization(i) => {
            let mut a = access("*".to_owned());
            a.keys
                .extend(org_tags(i.tags.as_deref().unwrap_or_default()));
            a
        }
        Op::AcceptHandshake(i) => access(handshake(&i.handshake_id)),
        Op::DeclineHandshake(i) => access(handshake(&i.handshake_id)),
        Op::CancelHandshake(i) => access(handshake(&i.handshake_id)),
        Op::DescribeHandshake(i) => access(handshake(&i.handshake_id)),
        Op::EnablePolicyType(i) => {
            access(entity(&i.root_id)).with_key("organizations:PolicyType", i.policy_type.as_str())
        }
        Op::DisablePolicyType(i) => {
            access(entity(&i.root_id)).with_key("organizations:PolicyType", i.policy_type.as_str())
        }
        Op::CreatePolicy(i) => {
            let mut a =
                access("*".to_owned()).with_key("organizations:PolicyType", i.policy_type.as_str());
            a.keys
                .extend(org_tags(i.tags.as_deref().unwrap_or_default()));
            a
        }
        Op::UpdatePolicy(i) => {
            with_policy_type(access(entity(&i.policy_id)), policy_type(&i.policy_id))
        }
        Op::DeletePolicy(i) => {
            with_policy_type(access(entity(&i.policy_id)), policy_type(&i.policy_id))
        }
        Op::DescribePolicy(i) => {
            with_policy_type(access(entity(&i.policy_id)), policy_type(&i.policy_id))
        }
        Op::ListTargetsForPolicy(i) => {
            with_policy_type(access(entity(&i.policy_id)), policy_type(&i.policy_id))
        }
        Op::AttachPolicy(i) => {
            with_policy_type(access(entity(&i.policy_id)), policy_type(&i.policy_id))
        }
        Op::DetachPolicy(i) => {
            with_policy_type(access(entity(&i.policy_id)), policy_type(&i.policy_id))
        }
        Op::ListPolicies(i) => {
            access("*".to_owned()).with_key("organizations:PolicyType", i.filter.as_str())
        }
        Op::ListPoliciesForTarget(i) => {
            access(entity(&i.target_id)).with_key("organizations:PolicyType", i.filter.as_str())
        }
        Op::DescribeEffectivePolicy(i) => {
            let target = i
                .target_id
                .clone()
                .unwrap_or_else(|| caller.account.as_str().to_owned());
            access(entity(&target)).with_key("organizations:PolicyType", i.policy_type.as_str())
        }
        Op::TagResource(i) => {
            let mut a = access(entity(&i.resource_id));
            a.keys.extend(org_tags(&i.tags));
            a
        }
        Op::UntagResource(i) => access(entity(&i.resource_id))
            .with_key("aws:TagKeys", ContextValue::strings(i.tag_keys.clone())),
        Op::ListTagsForResource(i) => access(entity(&i.resource_id)),
        Op::EnableAWSServiceAccess(i) => access("*".to_owned()).with_key(
            "organizations:ServicePrincipal",
            i.service_principal.as_str(),
        ),
        Op::DisableAWSServiceAccess(i) => access("*".to_owned()).with_key(
            "organizations:ServicePrincipal",
            i.service_principal.as_str(),
        ),
        Op::RegisterDelegatedAdministrator(i) => access(account(&i.account_id)).with_key(
            "organizations:ServicePrincipal",
            i.service_principal.as_str(),
        ),
        Op::DeregisterDelegatedAdministrator(i) => access(account(&i.account_id)).with_key(
            "organizations:ServicePrincipal",
            i.service_principal.as_str(),
        ),
        Op::ListDelegatedAdministrators(i) => match &i.service_principal {
            Some(p) => {
                access("*".to_owned()).with_key("organizations:ServicePrincipal", p.as_str())
            }
            None => access("*".to_owned()),
        },
        _ => access("*".to_owned()),
    }
}

fn with_policy_type(access: Access, policy_type: Option<String>) -> Access {
    match policy_type {
        Some(t) => access.with_key("organizations:PolicyType", t),
        None => access,
    }
}

/// The action and resource of an STS operation; `mfa` says a valid MFA code came with it.
pub fn sts_access(caller: &Caller, op: &sts::Operation, mfa: bool) -> Access {
    let access = sts_access_without_mfa(caller, op);
    if mfa {
        access
            .with_key("aws:MultiFactorAuthPresent", true)
            .with_key("aws:MultiFactorAuthAge", 0.0)
    } else {
        access
    }
}

fn sts_access_without_mfa(caller: &Caller, op: &sts::Operation) -> Access {
    match op {
        sts::Operation::GetCallerIdentity(_) => Access::new("sts:GetCallerIdentity", caller.arn()),
        sts::Operation::GetSessionToken(_) => Access::new("sts:GetSessionToken", caller.arn()),
        sts::Operation::GetFederationToken(i) => {
            let mut a = Access::new(
                "sts:GetFederationToken",
                format!(
                    "arn:{PARTITION}:sts::{}:federated-user/{}",
                    caller.account, i.name
                ),
            );
            a.keys
                .extend(tag_keys(i.tags.as_deref().unwrap_or_default()));
            a
        }
        sts::Operation::GetAccessKeyInfo(_) => Access::new("sts:GetAccessKeyInfo", "*".to_owned()),
        sts::Operation::DecodeAuthorizationMessage(_) => {
            Access::new("sts:DecodeAuthorizationMessage", "*".to_owned())
        }
        sts::Operation::AssumeRole(i) => {
            let mut a = Access::new("sts:AssumeRole", i.role_arn.clone())
                .with_key("sts:RoleSessionName", i.role_session_name.as_str());
            if let Some(external_id) = &i.external_id {
                a = a.with_key("sts:ExternalId", external_id.as_str());
            }
            if let Some(source) = &i.source_identity {
                a = a.with_key("sts:SourceIdentity", source.as_str());
            }
            a.keys
                .extend(tag_keys(i.tags.as_deref().unwrap_or_default()));
            if let Some(keys) = &i.transitive_tag_keys {
                a = a.with_key("sts:TransitiveTagKeys", ContextValue::strings(keys.clone()));
            }
            a
        }
        sts::Operation::AssumeRoot(i) => {
            let target = AccountId::parse(&i.target_principal)
                .map_or_else(|| i.target_principal.clone(), |a| a.root_arn());
            let a = Access::new("sts:AssumeRoot", target);
            match &i.task_policy_arn.arn {
                Some(arn) => a.with_key("sts:TaskPolicyArn", arn.as_str()),
                None => a,
            }
        }
    }
}

/// The action, resource and keys of an Account API operation.
pub fn account_access(caller: &Caller, op: &account::Operation) -> Access {
    use account::Operation as Op;
    let resource = |account_id: Option<&str>| match account_id {
        Some(id) => format!("arn:{PARTITION}:account::{}:account/{id}", caller.account),
        None => format!("arn:{PARTITION}:account::{}:account", caller.account),
    };
    let action = format!("account:{}", op.name());
    let with_type = |a: Access, t: account::AlternateContactType| {
        a.with_key("account:AlternateContactTypes", t.as_str())
    };
    match op {
        Op::PutAlternateContact(i) => with_type(
            Access::new(&action, resource(i.account_id.as_deref())),
            i.alternate_contact_type,
        ),
        Op::GetAlternateContact(i) => with_type(
            Access::new(&action, resource(i.account_id.as_deref())),
            i.alternate_contact_type,
        ),
        Op::DeleteAlternateContact(i) => with_type(
            Access::new(&action, resource(i.account_id.as_deref())),
            i.alternate_contact_type,
        ),
        Op::PutContactInformation(i) => Access::new(&action, resource(i.account_id.as_deref())),
        Op::GetContactInformation(i) => Access::new(&action, resource(i.account_id.as_deref())),
        Op::GetAccountInformation(i) => Access::new(&action, resource(i.account_id.as_deref())),
        Op::PutAccountName(i) => Access::new(&action, resource(i.account_id.as_deref())),
        Op::GetPrimaryEmail(i) => Access::new(&action, resource(Some(&i.account_id))),
    }
}

/// The resource-based policy an STS operation is also decided by: a role's trust policy.
pub fn sts_resource_policy<'s>(
    state: &'s State,
    op: &sts::Operation,
) -> Option<(&'s Policy, &'s AccountId)> {
    match op {
        sts::Operation::AssumeRole(i) => {
            let (account, name) = crate::ops::iam::roles::parse_role_arn(&i.role_arn)?;
            let role = state.role(&account, name)?;
            Some((role.trust.as_ref(), &role.record.account))
        }
        _ => None,
    }
}

/// The policies that apply to the caller as a principal: identity-based (its own and its
/// groups', or the role's), the permissions boundary, and session policies.
#[derive(Debug, Default)]
pub struct CallerPolicies<'s> {
    /// Identity-based policies.
    pub identity: Vec<&'s Policy>,
    /// The permissions boundary.
    pub boundary: Option<&'s Policy>,
    /// Session policies, when the session was created with some.
    pub session: Option<Vec<&'s Policy>>,
}

/// Collects the caller's policies. Root has none: it is allowed by being root.
pub fn caller_policies<'s>(state: &'s State, caller: &Caller) -> CallerPolicies<'s> {
    let attached = |arns: &'s [String]| {
        arns.iter()
            .filter_map(|arn| state.policy(arn))
            .map(|p| p.document.as_ref())
    };
    let boundary_of = |arn: Option<&'s String>| {
        arn.and_then(|arn| state.policy(arn))
            .map(|p| p.document.as_ref())
    };
    let mut out = CallerPolicies::default();
    let user_name = match &caller.principal {
        Principal::User { name, .. } => Some(name),
        Principal::FederatedUser { parent_user, .. } => parent_user.as_ref(),
        _ => None,
    };
    match &caller.principal {
        Principal::Root => {}
        Principal::User { .. } | Principal::FederatedUser { .. } => {
            if let Some(user) = user_name.and_then(|name| state.user(&caller.account, name)) {
                out.identity.extend(user.inline.iter().map(AsRef::as_ref));
                out.identity
                    .extend(attached(&user.record.attached_policies));
                for group_name in &user.record.groups {
                    if let Some(group) = state.group(&caller.account, group_name) {
                        out.identity.extend(group.inline.iter().map(AsRef::as_ref));
                        out.identity
                            .extend(attached(&group.record.attached_policies));
                    }
                }
                out.boundary = boundary_of(user.record.permissions_boundary.as_ref());
            }
        }
        Principal::AssumedRole { role_name, .. } => {
            if let Some(role) = state.role(&caller.account, role_name) {
                out.identity.extend(role.inline.iter().map(AsRef::as_ref));
                out.identity
                    .extend(attached(&role.record.attached_policies));
                out.boundary = boundary_of(role.record.permissions_boundary.as_ref());
            }
        }
    }
    if caller.session.is_some()
        && let Some(session) = state.session(&caller.access_key_id)
    {
        out.session = session
            .policies
            .as_ref()
            .map(|ps| ps.iter().map(AsRef::as_ref).collect());
    }
    out
}

/// The request context the policy engine sees: the access plus the global condition keys.
pub fn request_context(caller: &Caller, access: &Access, env: &RequestEnv) -> RequestContext {
    let mut ctx = RequestContext::new(
        access.action.clone(),
        access.resource.clone(),
        caller.principal_info(),
    )
    .with_time(Timestamp::from_epoch_seconds(env.now))
    .with_key("aws:PrincipalArn", principal_arn(caller))
    .with_key("aws:PrincipalAccount", caller.account.as_str())
    .with_key("aws:PrincipalType", caller.principal_type())
    .with_key("aws:userid", caller.user_id())
    .with_key("aws:SourceIp", ContextValue::Ip(env.source_ip))
    .with_key("aws:SecureTransport", env.secure_transport)
    .with_key("aws:RequestedRegion", env.region.as_str());
    if let Some(name) = caller.user_name() {
        ctx.set_key("aws:username", name);
    }
    // Long-term keys carry no MFA keys at all; temporary credentials say whether MFA was used.
    if let Some(session) = &caller.session {
        ctx.set_key(
            "aws:TokenIssueTime",
            ContextValue::Date(Timestamp::from_epoch_seconds(session.issued)),
        );
        match session.mfa_authenticated_at {
            Some(at) => {
                ctx.set_key("aws:MultiFactorAuthPresent", true);
                #[expect(
                    clippy::cast_precision_loss,
                    reason = "ages in seconds are far below 2^53"
                )]
                let age = (env.now - at).max(0) as f64;
                ctx.set_key("aws:MultiFactorAuthAge", age);
            }
            None => ctx.set_key("aws:MultiFactorAuthPresent", false),
        }
        if let Some(source) = &session.source_identity {
            ctx.set_key("aws:SourceIdentity", source.as_str());
        }
        if session.assumed_root {
            ctx.set_key("aws:AssumedRoot", true);
        }
    }
    for (name, value) in &access.keys {
        ctx.set_key(name, value.clone());
    }
    ctx
}

/// `aws:PrincipalArn`: for a role session it is the role's ARN, not the session's.
fn principal_arn(caller: &Caller) -> String {
    match &caller.principal {
        Principal::AssumedRole { role_arn, .. } => role_arn.clone(),
        _ => caller.arn(),
    }
}

/// A resource-based policy that also applies, with the account that owns the resource.
#[derive(Debug, Clone, Copy)]
pub struct ResourcePolicy<'a> {
    /// The policy (a trust policy for `sts:AssumeRole`).
    pub policy: &'a Policy,
    /// The resource's account.
    pub account: &'a AccountId,
}

/// Actions RCPs govern in Rampart: STS actions on roles (policy-evaluation.md §5.1
/// [choice]: IAM, Organizations and Account actions are not RCP-governed).
const RCP_ACTIONS: &[&str] = &[
    "sts:AssumeRole",
    "sts:AssumeRoleWithSAML",
    "sts:AssumeRoleWithWebIdentity",
    "sts:TagSession",
    "sts:SetSourceIdentity",
    "sts:SetContext",
];

/// The organization guard rails of a request, one inner list per level (root, each OU,
/// the account): the SCPs of the principal's account and, for RCP-governed actions, the
/// RCPs of the resource's account. Both are empty outside an organization, for the
/// management account, and when the policy type is not enabled (policy-evaluation.md §5).
pub fn org_guardrails<'s>(
    state: &'s State,
    principal_account: &AccountId,
    resource_account: &AccountId,
    action: &str,
) -> (Vec<Vec<&'s Policy>>, Vec<Vec<&'s Policy>>) {
    use crate::ops::organizations::{RCP, SCP, policies};
    let scps = policies::levels(state, principal_account, SCP);
    let rcps = if RCP_ACTIONS.iter().any(|a| a.eq_ignore_ascii_case(action)) {
        policies::levels(state, resource_account, RCP)
    } else {
        Vec::new()
    };
    (scps, rcps)
}

/// Evaluates `access` for `caller` against every applicable policy set.
pub fn decide(
    state: &State,
    caller: &Caller,
    access: &Access,
    env: &RequestEnv,
    resource: Option<ResourcePolicy<'_>>,
) -> Evaluation {
    let mut ctx = request_context(caller, access, env);
    if let Some((org, member)) = state.org_of(&caller.account) {
        ctx.set_key("aws:PrincipalOrgID", org.id.as_str());
        let path = crate::ops::organizations::entity_path(
            state,
            org,
            &member.parent,
            caller.account.as_str(),
        );
        ctx.set_key("aws:PrincipalOrgPaths", ContextValue::strings([path]));
    }
    for tag in principal_tags(state, caller) {
        ctx.set_key(&format!("aws:PrincipalTag/{}", tag.key), tag.value.as_str());
    }
    // Request-specific keys (set by the access table) win over the resource's own tags.
    for tag in resource_tags(state, &access.resource) {
        for prefix in ["aws:ResourceTag/", "iam:ResourceTag/"] {
            let name = format!("{prefix}{}", tag.key);
            if ctx.get(&name).is_none() {
                ctx.set_key(&name, tag.value.as_str());
            }
        }
    }
    let policies = caller_policies(state, caller);
    let resource_account = resource.map_or(&caller.account, |r| r.account);
    let (service_control, resource_control) =
        org_guardrails(state, &caller.account, resource_account, &access.action);
    let sets = PolicySets {
        service_control,
        resource_control,
        identity: policies.identity,
        permissions_boundary: policies.boundary,
        session: policies.session,
        resource_policy: resource.map(|r| r.policy),
        resource_account: resource.map(|r| r.account.as_str().to_owned()),
        ..PolicySets::default()
    };
    evaluate(&ctx, &sets)
}

/// `aws:PrincipalTag/*`: the user's or role's tags; a role session's tags override the
/// role's, and federated users carry their session tags.
fn principal_tags(state: &State, caller: &Caller) -> Vec<crate::model::Tag> {
    let session_tags = caller
        .session
        .as_ref()
        .and_then(|_| state.session(&caller.access_key_id))
        .map(|s| s.record.tags.clone())
        .unwrap_or_default();
    let mut tags = match &caller.principal {
        Principal::User { name, .. } => state
            .user(&caller.account, name)
            .map(|u| u.record.tags.clone())
            .unwrap_or_default(),
        Principal::AssumedRole { role_name, .. } => state
            .role(&caller.account, role_name)
            .map(|r| r.record.tags.clone())
            .unwrap_or_default(),
        Principal::FederatedUser { .. } | Principal::Root => Vec::new(),
    };
    for tag in session_tags {
        tags.retain(|t| !t.key.eq_ignore_ascii_case(&tag.key));
        tags.push(tag);
    }
    tags
}

/// `aws:ResourceTag/*` of an IAM user, role or managed policy named by `arn`.
fn resource_tags(state: &State, arn: &str) -> Vec<crate::model::Tag> {
    let Some(rest) = arn.strip_prefix("arn:aws:iam::") else {
        return Vec::new();
    };
    let Some((account, resource)) = rest.split_once(':') else {
        return Vec::new();
    };
    let Some(account) = AccountId::parse(account) else {
        return Vec::new();
    };
    let name = resource.rsplit('/').next().unwrap_or_default();
    if resource.starts_with("user/") {
        state
            .user(&account, name)
            .map(|u| u.record.tags.clone())
            .unwrap_or_default()
    } else if resource.starts_with("role/") {
        state
            .role(&account, name)
            .map(|r| r.record.tags.clone())
            .unwrap_or_default()
    } else if resource.starts_with("policy/") {
        state
            .policy(arn)
            .map(|p| p.record.tags.clone())
            .unwrap_or_default()
    } else {
        Vec::new()
    }
}

/// Decides `access` for `caller`; `AccessDenied` with AWS's sentence when not allowed.
pub fn authorize(
    state: &State,
    caller: &Caller,
    access: &Access,
    env: &RequestEnv,
) -> Result<(), CoreError> {
    authorize_with(state, caller, access, env, None)
}

/// IAM operations an account setting grants without any policy: `ChangePassword` on
/// oneself when the password policy has `AllowUsersToChangePassword`.
pub fn iam_implicitly_allowed(state: &State, caller: &Caller, op: &iam::Operation) -> bool {
    matches!(op, iam::Operation::ChangePassword(_))
        && matches!(caller.principal, Principal::User { .. })
        && crate::ops::iam::passwords::users_may_change_password(state, &caller.account)
}

/// [`authorize`] with a resource-based policy in play.
pub fn authorize_with(
    state: &State,
    caller: &Caller,
    access: &Access,
    env: &RequestEnv,
    resource: Option<ResourcePolicy<'_>>,
) -> Result<(), CoreError> {
    let evaluation = decide(state, caller, access, env, resource);
    if evaluation.is_allowed() {
        return Ok(());
    }
    let reason = evaluation
        .reason
        .unwrap_or(rampart_policy::DenialReason::NoIdentityAllow);
    // STS words its AssumeRole denial without a reason (wire-protocols.md §1.5).
    if access.action == "sts:AssumeRole"
        && reason != rampart_policy::DenialReason::RootCannotAssumeRole
    {
        return Err(CoreError::AccessDenied(format!(
            "User: {} is not authorized to perform: sts:AssumeRole on resource: {}",
            caller.arn(),
            access.resource
        )));
    }
    Err(CoreError::AccessDenied(reason.message(
        &caller.arn(),
        &access.action,
        Some(&access.resource),
    )))
}
