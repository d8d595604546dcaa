//! The authorization table, tested the way Garage tests its router: one line per served
//! operation with a sample request (decoded by `rampart-wire`, as the server decodes it)
//! and the action, resource ARN and request condition keys it must map to; plus a test that
//! fails when the wire crate serves an operation that has no line here.
//!
//! The sample state is one organization (management account `111111111111`, member
//! `222222222222` in an OU) with an IAM user, group, role, instance profile, server
//! certificate, access key and handshake that have paths, so that the tables' "stored path
//! wins over the request's" rule is exercised. The caller is IAM user `carol` of the
//! management account.

use rampart_policy::ContextValue;
use rampart_wire::QueryParams;
use serde_json::json;

use super::{account, cloudtrail, iam, organizations, sts};
use crate::auth::{Caller, Principal};
use crate::model::{AccountId, kind};
use crate::org_tree::tests::{put_row, tree};
use crate::state::State;

/// One table line: operation, sample input (awsQuery form or JSON), action, resource and
/// request condition keys rendered `name=value` (lists as `[a,b]`), in the order set.
type Line = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
);

#[rustfmt::skip]
const IAM: &[Line] = &[
    // Users.
    ("CreateUser", "UserName=dave&Path=/new/&PermissionsBoundary=arn:aws:iam::111111111111:policy/Boundary&Tags.member.1.Key=team&Tags.member.1.Value=red", "iam:CreateUser", "arn:aws:iam::111111111111:user/new/dave", &["aws:RequestTag/team=red", "aws:TagKeys=[team]", "iam:PermissionsBoundary=arn:aws:iam::111111111111:policy/Boundary"]),
    ("GetUser", "UserName=alice", "iam:GetUser", "arn:aws:iam::111111111111:user/dev/alice", &[]),
    ("ListUsers", "", "iam:ListUsers", "arn:aws:iam::111111111111:user/", &[]),
    ("DeleteUser", "UserName=alice", "iam:DeleteUser", "arn:aws:iam::111111111111:user/dev/alice", &[]),
    ("UpdateUser", "UserName=alice&NewUserName=alicia", "iam:UpdateUser", "arn:aws:iam::111111111111:user/dev/alice", &[]),
    ("TagUser", "UserName=alice&Tags.member.1.Key=team&Tags.member.1.Value=red", "iam:TagUser", "arn:aws:iam::111111111111:user/dev/alice", &["aws:RequestTag/team=red", "aws:TagKeys=[team]"]),
    ("UntagUser", "UserName=alice&TagKeys.member.1=team", "iam:UntagUser", "arn:aws:iam::111111111111:user/dev/alice", &["aws:TagKeys=[team]"]),
    ("ListUserTags", "UserName=bob", "iam:ListUserTags", "arn:aws:iam::111111111111:user/bob", &[]),
    ("ListGroupsForUser", "UserName=alice", "iam:ListGroupsForUser", "arn:aws:iam::111111111111:user/dev/alice", &[]),
    // Groups.
    ("CreateGroup", "GroupName=devs&Path=/eng/", "iam:CreateGroup", "arn:aws:iam::111111111111:group/eng/devs", &[]),
    ("GetGroup", "GroupName=admins", "iam:GetGroup", "arn:aws:iam::111111111111:group/ops/admins", &[]),
    ("ListGroups", "", "iam:ListGroups", "arn:aws:iam::111111111111:group/", &[]),
    ("DeleteGroup", "GroupName=admins", "iam:DeleteGroup", "arn:aws:iam::111111111111:group/ops/admins", &[]),
    ("UpdateGroup", "GroupName=admins&NewGroupName=root-admins", "iam:UpdateGroup", "arn:aws:iam::111111111111:group/ops/admins", &[]),
    ("AddUserToGroup", "GroupName=admins&UserName=alice", "iam:AddUserToGroup", "arn:aws:iam::111111111111:group/ops/admins", &[]),
    ("RemoveUserFromGroup", "GroupName=admins&UserName=alice", "iam:RemoveUserFromGroup", "arn:aws:iam::111111111111:group/ops/admins", &[]),
    // Access keys.
    ("CreateAccessKey", "", "iam:CreateAccessKey", "arn:aws:iam::111111111111:user/carol", &[]),
    ("ListAccessKeys", "UserName=alice", "iam:ListAccessKeys", "arn:aws:iam::111111111111:user/dev/alice", &[]),
    ("UpdateAccessKey", "UserName=alice&AccessKeyId=AKIAALICEEXAMPLE0001&Status=Inactive", "iam:UpdateAccessKey", "arn:aws:iam::111111111111:user/dev/alice", &[]),
    ("DeleteAccessKey", "AccessKeyId=AKIAALICEEXAMPLE0001", "iam:DeleteAccessKey", "arn:aws:iam::111111111111:user/carol", &[]),
    ("GetAccessKeyLastUsed", "AccessKeyId=AKIAALICEEXAMPLE0001", "iam:GetAccessKeyLastUsed", "arn:aws:iam::111111111111:user/dev/alice", &[]),
    // Managed policies and versions.
    ("CreatePolicy", "PolicyName=Ops&Path=/team/&PolicyDocument={}&Tags.member.1.Key=team&Tags.member.1.Value=red", "iam:CreatePolicy", "arn:aws:iam::111111111111:policy/team/Ops", &["aws:RequestTag/team=red", "aws:TagKeys=[team]"]),
    ("GetPolicy", "PolicyArn=arn:aws:iam::aws:policy/ReadOnlyAccess", "iam:GetPolicy", "arn:aws:iam::aws:policy/ReadOnlyAccess", &[]),
    ("DeletePolicy", "PolicyArn=arn:aws:iam::111111111111:policy/Ops", "iam:DeletePolicy", "arn:aws:iam::111111111111:policy/Ops", &[]),
    ("ListPolicies", "", "iam:ListPolicies", "arn:aws:iam::111111111111:policy/", &[]),
    ("GetPolicyVersion", "PolicyArn=arn:aws:iam::111111111111:policy/Ops&VersionId=v1", "iam:GetPolicyVersion", "arn:aws:iam::111111111111:policy/Ops", &[]),
    ("CreatePolicyVersion", "PolicyArn=arn:aws:iam::111111111111:policy/Ops&PolicyDocument={}", "iam:CreatePolicyVersion", "arn:aws:iam::111111111111:policy/Ops", &[]),
    ("ListPolicyVersions", "PolicyArn=arn:aws:iam::111111111111:policy/Ops", "iam:ListPolicyVersions", "arn:aws:iam::111111111111:policy/Ops", &[]),
    ("DeletePolicyVersion", "PolicyArn=arn:aws:iam::111111111111:policy/Ops&VersionId=v1", "iam:DeletePolicyVersion", "arn:aws:iam::111111111111:policy/Ops", &[]),
    ("SetDefaultPolicyVersion", "PolicyArn=arn:aws:iam::111111111111:policy/Ops&VersionId=v2", "iam:SetDefaultPolicyVersion", "arn:aws:iam::111111111111:policy/Ops", &[]),
    ("ListEntitiesForPolicy", "PolicyArn=arn:aws:iam::111111111111:policy/Ops", "iam:ListEntitiesForPolicy", "arn:aws:iam::111111111111:policy/Ops", &[]),
    ("TagPolicy", "PolicyArn=arn:aws:iam::111111111111:policy/Ops&Tags.member.1.Key=team&Tags.member.1.Value=red", "iam:TagPolicy", "arn:aws:iam::111111111111:policy/Ops", &["aws:RequestTag/team=red", "aws:TagKeys=[team]"]),
    ("UntagPolicy", "PolicyArn=arn:aws:iam::111111111111:policy/Ops&TagKeys.member.1=team", "iam:UntagPolicy", "arn:aws:iam::111111111111:policy/Ops", &["aws:TagKeys=[team]"]),
    ("ListPolicyTags", "PolicyArn=arn:aws:iam::111111111111:policy/Ops", "iam:ListPolicyTags", "arn:aws:iam::111111111111:policy/Ops", &[]),
    // Attachments and inline policies.
    ("AttachUserPolicy", "UserName=alice&PolicyArn=arn:aws:iam::aws:policy/ReadOnlyAccess", "iam:AttachUserPolicy", "arn:aws:iam::111111111111:user/dev/alice", &["iam:PolicyARN=arn:aws:iam::aws:policy/ReadOnlyAccess"]),
    ("DetachUserPolicy", "UserName=alice&PolicyArn=arn:aws:iam::aws:policy/ReadOnlyAccess", "iam:DetachUserPolicy", "arn:aws:iam::111111111111:user/dev/alice", &["iam:PolicyARN=arn:aws:iam::aws:policy/ReadOnlyAccess"]),
    ("AttachGroupPolicy", "GroupName=admins&PolicyArn=arn:aws:iam::aws:policy/ReadOnlyAccess", "iam:AttachGroupPolicy", "arn:aws:iam::111111111111:group/ops/admins", &["iam:PolicyARN=arn:aws:iam::aws:policy/ReadOnlyAccess"]),
    ("DetachGroupPolicy", "GroupName=admins&PolicyArn=arn:aws:iam::aws:policy/ReadOnlyAccess", "iam:DetachGroupPolicy", "arn:aws:iam::111111111111:group/ops/admins", &["iam:PolicyARN=arn:aws:iam::aws:policy/ReadOnlyAccess"]),
    ("AttachRolePolicy", "RoleName=deployer&PolicyArn=arn:aws:iam::aws:policy/ReadOnlyAccess", "iam:AttachRolePolicy", "arn:aws:iam::111111111111:role/app/deployer", &["iam:PolicyARN=arn:aws:iam::aws:policy/ReadOnlyAccess"]),
    ("DetachRolePolicy", "RoleName=deployer&PolicyArn=arn:aws:iam::aws:policy/ReadOnlyAccess", "iam:DetachRolePolicy", "arn:aws:iam::111111111111:role/app/deployer", &["iam:PolicyARN=arn:aws:iam::aws:policy/ReadOnlyAccess"]),
    ("ListAttachedUserPolicies", "UserName=alice", "iam:ListAttachedUserPolicies", "arn:aws:iam::111111111111:user/dev/alice", &[]),
    ("ListAttachedGroupPolicies", "GroupName=admins", "iam:ListAttachedGroupPolicies", "arn:aws:iam::111111111111:group/ops/admins", &[]),
    ("ListAttachedRolePolicies", "RoleName=deployer", "iam:ListAttachedRolePolicies", "arn:aws:iam::111111111111:role/app/deployer", &[]),
    ("PutUserPolicy", "UserName=alice&PolicyName=p&PolicyDocument={}", "iam:PutUserPolicy", "arn:aws:iam::111111111111:user/dev/alice", &[]),
    ("GetUserPolicy", "UserName=alice&PolicyName=p", "iam:GetUserPolicy", "arn:aws:iam::111111111111:user/dev/alice", &[]),
    ("DeleteUserPolicy", "UserName=alice&PolicyName=p", "iam:DeleteUserPolicy", "arn:aws:iam::111111111111:user/dev/alice", &[]),
    ("ListUserPolicies", "UserName=alice", "iam:ListUserPolicies", "arn:aws:iam::111111111111:user/dev/alice", &[]),
    ("PutGroupPolicy", "GroupName=admins&PolicyName=p&PolicyDocument={}", "iam:PutGroupPolicy", "arn:aws:iam::111111111111:group/ops/admins", &[]),
    ("GetGroupPolicy", "GroupName=admins&PolicyName=p", "iam:GetGroupPolicy", "arn:aws:iam::111111111111:group/ops/admins", &[]),
    ("DeleteGroupPolicy", "GroupName=admins&PolicyName=p", "iam:DeleteGroupPolicy", "arn:aws:iam::111111111111:group/ops/admins", &[]),
    ("ListGroupPolicies", "GroupName=admins", "iam:ListGroupPolicies", "arn:aws:iam::111111111111:group/ops/admins", &[]),
    ("PutRolePolicy", "RoleName=deployer&PolicyName=p&PolicyDocument={}", "iam:PutRolePolicy", "arn:aws:iam::111111111111:role/app/deployer", &[]),
    ("GetRolePolicy", "RoleName=deployer&PolicyName=p", "iam:GetRolePolicy", "arn:aws:iam::111111111111:role/app/deployer", &[]),
    ("DeleteRolePolicy", "RoleName=deployer&PolicyName=p", "iam:DeleteRolePolicy", "arn:aws:iam::111111111111:role/app/deployer", &[]),
    ("ListRolePolicies", "RoleName=deployer", "iam:ListRolePolicies", "arn:aws:iam::111111111111:role/app/deployer", &[]),
    ("PutUserPermissionsBoundary", "UserName=alice&PermissionsBoundary=arn:aws:iam::111111111111:policy/Boundary", "iam:PutUserPermissionsBoundary", "arn:aws:iam::111111111111:user/dev/alice", &["iam:PermissionsBoundary=arn:aws:iam::111111111111:policy/Boundary"]),
    ("DeleteUserPermissionsBoundary", "UserName=alice", "iam:DeleteUserPermissionsBoundary", "arn:aws:iam::111111111111:user/dev/alice", &[]),
    ("PutRolePermissionsBoundary", "RoleName=deployer&PermissionsBoundary=arn:aws:iam::111111111111:policy/Boundary", "iam:PutRolePermissionsBoundary", "arn:aws:iam::111111111111:role/app/deployer", &["iam:PermissionsBoundary=arn:aws:iam::111111111111:policy/Boundary"]),
    ("DeleteRolePermissionsBoundary", "RoleName=deployer", "iam:DeleteRolePermissionsBoundary", "arn:aws:iam::111111111111:role/app/deployer", &[]),
    // Roles.
    ("CreateRole", "RoleName=builder&AssumeRolePolicyDocument={}&PermissionsBoundary=arn:aws:iam::111111111111:policy/Boundary&Tags.member.1.Key=team&Tags.member.1.Value=red", "iam:CreateRole", "arn:aws:iam::111111111111:role/builder", &["aws:RequestTag/team=red", "aws:TagKeys=[team]", "iam:PermissionsBoundary=arn:aws:iam::111111111111:policy/Boundary"]),
    ("GetRole", "RoleName=deployer", "iam:GetRole", "arn:aws:iam::111111111111:role/app/deployer", &[]),
    ("DeleteRole", "RoleName=deployer", "iam:DeleteRole", "arn:aws:iam::111111111111:role/app/deployer", &[]),
    ("ListRoles", "", "iam:ListRoles", "arn:aws:iam::111111111111:role/", &[]),
    ("UpdateRole", "RoleName=deployer&Description=d", "iam:UpdateRole", "arn:aws:iam::111111111111:role/app/deployer", &[]),
    ("UpdateRoleDescription", "RoleName=deployer&Description=d", "iam:UpdateRoleDescription", "arn:aws:iam::111111111111:role/app/deployer", &[]),
    ("UpdateAssumeRolePolicy", "RoleName=deployer&PolicyDocument={}", "iam:UpdateAssumeRolePolicy", "arn:aws:iam::111111111111:role/app/deployer", &[]),
    ("TagRole", "RoleName=deployer&Tags.member.1.Key=team&Tags.member.1.Value=red", "iam:TagRole", "arn:aws:iam::111111111111:role/app/deployer", &["aws:RequestTag/team=red", "aws:TagKeys=[team]"]),
    ("UntagRole", "RoleName=deployer&TagKeys.member.1=team", "iam:UntagRole", "arn:aws:iam::111111111111:role/app/deployer", &["aws:TagKeys=[team]"]),
    ("ListRoleTags", "RoleName=deployer", "iam:ListRoleTags", "arn:aws:iam::111111111111:role/app/deployer", &[]),
    ("CreateServiceLinkedRole", "AWSServiceName=elasticbeanstalk.amazonaws.com", "iam:CreateServiceLinkedRole", "arn:aws:iam::111111111111:role/aws-service-role/elasticbeanstalk.amazonaws.com/AWSServiceRoleForElasticBeanstalk", &["iam:AWSServiceName=elasticbeanstalk.amazonaws.com"]),
    ("DeleteServiceLinkedRole", "RoleName=deployer", "iam:DeleteServiceLinkedRole", "arn:aws:iam::111111111111:role/app/deployer", &[]),
    ("GetServiceLinkedRoleDeletionStatus", "DeletionTaskId=task/aws-service-role/x/y/1", "iam:GetServiceLinkedRoleDeletionStatus", "*", &[]),
    // Instance profiles.
    ("CreateInstanceProfile", "InstanceProfileName=batch&Path=/jobs/", "iam:CreateInstanceProfile", "arn:aws:iam::111111111111:instance-profile/jobs/batch", &[]),
    ("GetInstanceProfile", "InstanceProfileName=web", "iam:GetInstanceProfile", "arn:aws:iam::111111111111:instance-profile/ip/web", &[]),
    ("DeleteInstanceProfile", "InstanceProfileName=web", "iam:DeleteInstanceProfile", "arn:aws:iam::111111111111:instance-profile/ip/web", &[]),
    ("ListInstanceProfiles", "", "iam:ListInstanceProfiles", "arn:aws:iam::111111111111:instance-profile/", &[]),
    ("ListInstanceProfilesForRole", "RoleName=deployer", "iam:ListInstanceProfilesForRole", "arn:aws:iam::111111111111:role/app/deployer", &[]),
    ("AddRoleToInstanceProfile", "InstanceProfileName=web&RoleName=deployer", "iam:AddRoleToInstanceProfile", "arn:aws:iam::111111111111:instance-profile/ip/web", &[]),
    ("RemoveRoleFromInstanceProfile", "InstanceProfileName=web&RoleName=deployer", "iam:RemoveRoleFromInstanceProfile", "arn:aws:iam::111111111111:instance-profile/ip/web", &[]),
    ("TagInstanceProfile", "InstanceProfileName=web&Tags.member.1.Key=team&Tags.member.1.Value=red", "iam:TagInstanceProfile", "arn:aws:iam::111111111111:instance-profile/ip/web", &["aws:RequestTag/team=red", "aws:TagKeys=[team]"]),
    ("UntagInstanceProfile", "InstanceProfileName=web&TagKeys.member.1=team", "iam:UntagInstanceProfile", "arn:aws:iam::111111111111:instance-profile/ip/web", &["aws:TagKeys=[team]"]),
    ("ListInstanceProfileTags", "InstanceProfileName=nope", "iam:ListInstanceProfileTags", "arn:aws:iam::111111111111:instance-profile/nope", &[]),
    // Passwords and the account.
    ("CreateLoginProfile", "UserName=alice&Password=pw", "iam:CreateLoginProfile", "arn:aws:iam::111111111111:user/dev/alice", &[]),
    ("GetLoginProfile", "", "iam:GetLoginProfile", "arn:aws:iam::111111111111:user/carol", &[]),
    ("UpdateLoginProfile", "UserName=alice&Password=pw", "iam:UpdateLoginProfile", "arn:aws:iam::111111111111:user/dev/alice", &[]),
    ("DeleteLoginProfile", "UserName=alice", "iam:DeleteLoginProfile", "arn:aws:iam::111111111111:user/dev/alice", &[]),
    ("ChangePassword", "OldPassword=a&NewPassword=b", "iam:ChangePassword", "arn:aws:iam::111111111111:user/carol", &[]),
    ("UpdateAccountPasswordPolicy", "MinimumPasswordLength=12", "iam:UpdateAccountPasswordPolicy", "*", &[]),
    ("GetAccountPasswordPolicy", "", "iam:GetAccountPasswordPolicy", "*", &[]),
    ("DeleteAccountPasswordPolicy", "", "iam:DeleteAccountPasswordPolicy", "*", &[]),
    ("GetAccountSummary", "", "iam:GetAccountSummary", "*", &[]),
    ("GetAccountAuthorizationDetails", "", "iam:GetAccountAuthorizationDetails", "*", &[]),
    ("GenerateCredentialReport", "", "iam:GenerateCredentialReport", "*", &[]),
    ("GetCredentialReport", "", "iam:GetCredentialReport", "*", &[]),
    ("CreateAccountAlias", "AccountAlias=example-corp", "iam:CreateAccountAlias", "*", &[]),
    ("DeleteAccountAlias", "AccountAlias=example-corp", "iam:DeleteAccountAlias", "*", &[]),
    ("ListAccountAliases", "", "iam:ListAccountAliases", "*", &[]),
    ("EnableOrganizationsRootCredentialsManagement", "", "iam:EnableOrganizationsRootCredentialsManagement", "*", &[]),
    ("DisableOrganizationsRootCredentialsManagement", "", "iam:DisableOrganizationsRootCredentialsManagement", "*", &[]),
    ("EnableOrganizationsRootSessions", "", "iam:EnableOrganizationsRootSessions", "*", &[]),
    ("DisableOrganizationsRootSessions", "", "iam:DisableOrganizationsRootSessions", "*", &[]),
    ("ListOrganizationsFeatures", "", "iam:ListOrganizationsFeatures", "*", &[]),
    // MFA devices: the account id as `UserName` names root.
    ("CreateVirtualMFADevice", "VirtualMFADeviceName=phone&Path=/mfa-path/", "iam:CreateVirtualMFADevice", "arn:aws:iam::111111111111:mfa/mfa-path/phone", &[]),
    ("EnableMFADevice", "UserName=alice&SerialNumber=arn:aws:iam::111111111111:mfa/phone&AuthenticationCode1=123456&AuthenticationCode2=654321", "iam:EnableMFADevice", "arn:aws:iam::111111111111:user/dev/alice", &[]),
    ("ResyncMFADevice", "UserName=111111111111&SerialNumber=arn:aws:iam::111111111111:mfa/phone&AuthenticationCode1=123456&AuthenticationCode2=654321", "iam:ResyncMFADevice", "arn:aws:iam::111111111111:root", &[]),
    ("DeactivateMFADevice", "SerialNumber=arn:aws:iam::111111111111:mfa/phone", "iam:DeactivateMFADevice", "arn:aws:iam::111111111111:user/carol", &[]),
    ("DeleteVirtualMFADevice", "SerialNumber=arn:aws:iam::111111111111:mfa/phone", "iam:DeleteVirtualMFADevice", "arn:aws:iam::111111111111:mfa/phone", &[]),
    ("ListMFADevices", "UserName=alice", "iam:ListMFADevices", "arn:aws:iam::111111111111:user/dev/alice", &[]),
    ("ListVirtualMFADevices", "", "iam:ListVirtualMFADevices", "arn:aws:iam::111111111111:mfa/", &[]),
    ("GetMFADevice", "SerialNumber=arn:aws:iam::111111111111:mfa/phone", "iam:GetMFADevice", "arn:aws:iam::111111111111:mfa/phone", &[]),
    ("TagMFADevice", "SerialNumber=arn:aws:iam::111111111111:mfa/phone&Tags.member.1.Key=team&Tags.member.1.Value=red", "iam:TagMFADevice", "arn:aws:iam::111111111111:mfa/phone", &["aws:RequestTag/team=red", "aws:TagKeys=[team]"]),
    ("UntagMFADevice", "SerialNumber=arn:aws:iam::111111111111:mfa/phone&TagKeys.member.1=team", "iam:UntagMFADevice", "arn:aws:iam::111111111111:mfa/phone", &["aws:TagKeys=[team]"]),
    ("ListMFADeviceTags", "SerialNumber=arn:aws:iam::111111111111:mfa/phone", "iam:ListMFADeviceTags", "arn:aws:iam::111111111111:mfa/phone", &[]),
    // Simulation and context keys.
    ("SimulatePrincipalPolicy", "PolicySourceArn=arn:aws:iam::111111111111:user/dev/alice&ActionNames.member.1=iam:ListUsers", "iam:SimulatePrincipalPolicy", "arn:aws:iam::111111111111:user/dev/alice", &[]),
    ("SimulateCustomPolicy", "PolicyInputList.member.1={}&ActionNames.member.1=iam:ListUsers", "iam:SimulateCustomPolicy", "*", &[]),
    ("GetContextKeysForPrincipalPolicy", "PolicySourceArn=arn:aws:iam::111111111111:role/app/deployer", "iam:GetContextKeysForPrincipalPolicy", "arn:aws:iam::111111111111:role/app/deployer", &[]),
    ("GetContextKeysForCustomPolicy", "PolicyInputList.member.1={}", "iam:GetContextKeysForCustomPolicy", "*", &[]),
    // Signing certificates, SSH keys and service-specific credentials act on the user.
    ("UploadSigningCertificate", "UserName=alice&CertificateBody=x", "iam:UploadSigningCertificate", "arn:aws:iam::111111111111:user/dev/alice", &[]),
    ("ListSigningCertificates", "", "iam:ListSigningCertificates", "arn:aws:iam::111111111111:user/carol", &[]),
    ("UpdateSigningCertificate", "UserName=alice&CertificateId=ABCDEFGHIJKLMNOPQRSTUVWXYZ234567&Status=Inactive", "iam:UpdateSigningCertificate", "arn:aws:iam::111111111111:user/dev/alice", &[]),
    ("DeleteSigningCertificate", "CertificateId=ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", "iam:DeleteSigningCertificate", "arn:aws:iam::111111111111:user/carol", &[]),
    ("UploadSSHPublicKey", "UserName=alice&SSHPublicKeyBody=ssh-rsa", "iam:UploadSSHPublicKey", "arn:aws:iam::111111111111:user/dev/alice", &[]),
    ("GetSSHPublicKey", "UserName=alice&SSHPublicKeyId=APKAEXAMPLEEXAMPLE01&Encoding=SSH", "iam:GetSSHPublicKey", "arn:aws:iam::111111111111:user/dev/alice", &[]),
    ("ListSSHPublicKeys", "", "iam:ListSSHPublicKeys", "arn:aws:iam::111111111111:user/carol", &[]),
    ("UpdateSSHPublicKey", "UserName=alice&SSHPublicKeyId=APKAEXAMPLEEXAMPLE01&Status=Inactive", "iam:UpdateSSHPublicKey", "arn:aws:iam::111111111111:user/dev/alice", &[]),
    ("DeleteSSHPublicKey", "UserName=alice&SSHPublicKeyId=APKAEXAMPLEEXAMPLE01", "iam:DeleteSSHPublicKey", "arn:aws:iam::111111111111:user/dev/alice", &[]),
    ("CreateServiceSpecificCredential", "UserName=alice&ServiceName=codecommit.amazonaws.com", "iam:CreateServiceSpecificCredential", "arn:aws:iam::111111111111:user/dev/alice", &[]),
    ("ListServiceSpecificCredentials", "", "iam:ListServiceSpecificCredentials", "arn:aws:iam::111111111111:user/carol", &[]),
    ("UpdateServiceSpecificCredential", "UserName=alice&ServiceSpecificCredentialId=ACCAEXAMPLEEXAMPLE01&Status=Inactive", "iam:UpdateServiceSpecificCredential", "arn:aws:iam::111111111111:user/dev/alice", &[]),
    ("ResetServiceSpecificCredential", "ServiceSpecificCredentialId=ACCAEXAMPLEEXAMPLE01", "iam:ResetServiceSpecificCredential", "arn:aws:iam::111111111111:user/carol", &[]),
    ("DeleteServiceSpecificCredential", "UserName=alice&ServiceSpecificCredentialId=ACCAEXAMPLEEXAMPLE01", "iam:DeleteServiceSpecificCredential", "arn:aws:iam::111111111111:user/dev/alice", &[]),
    // OIDC providers (listing has no resource type).
    ("CreateOpenIDConnectProvider", "Url=https://token.example.com/&Tags.member.1.Key=team&Tags.member.1.Value=red", "iam:CreateOpenIDConnectProvider", "arn:aws:iam::111111111111:oidc-provider/token.example.com", &["aws:RequestTag/team=red", "aws:TagKeys=[team]"]),
    ("ListOpenIDConnectProviders", "", "iam:ListOpenIDConnectProviders", "*", &[]),
    ("GetOpenIDConnectProvider", "OpenIDConnectProviderArn=arn:aws:iam::111111111111:oidc-provider/token.example.com", "iam:GetOpenIDConnectProvider", "arn:aws:iam::111111111111:oidc-provider/token.example.com", &[]),
    ("DeleteOpenIDConnectProvider", "OpenIDConnectProviderArn=arn:aws:iam::111111111111:oidc-provider/token.example.com", "iam:DeleteOpenIDConnectProvider", "arn:aws:iam::111111111111:oidc-provider/token.example.com", &[]),
    ("AddClientIDToOpenIDConnectProvider", "OpenIDConnectProviderArn=arn:aws:iam::111111111111:oidc-provider/token.example.com&ClientID=app", "iam:AddClientIDToOpenIDConnectProvider", "arn:aws:iam::111111111111:oidc-provider/token.example.com", &[]),
    ("RemoveClientIDFromOpenIDConnectProvider", "OpenIDConnectProviderArn=arn:aws:iam::111111111111:oidc-provider/token.example.com&ClientID=app", "iam:RemoveClientIDFromOpenIDConnectProvider", "arn:aws:iam::111111111111:oidc-provider/token.example.com", &[]),
    ("UpdateOpenIDConnectProviderThumbprint", "OpenIDConnectProviderArn=arn:aws:iam::111111111111:oidc-provider/token.example.com&ThumbprintList.member.1=0123456789abcdef0123456789abcdef01234567", "iam:UpdateOpenIDConnectProviderThumbprint", "arn:aws:iam::111111111111:oidc-provider/token.example.com", &[]),
    ("TagOpenIDConnectProvider", "OpenIDConnectProviderArn=arn:aws:iam::111111111111:oidc-provider/token.example.com&Tags.member.1.Key=team&Tags.member.1.Value=red", "iam:TagOpenIDConnectProvider", "arn:aws:iam::111111111111:oidc-provider/token.example.com", &["aws:RequestTag/team=red", "aws:TagKeys=[team]"]),
    ("UntagOpenIDConnectProvider", "OpenIDConnectProviderArn=arn:aws:iam::111111111111:oidc-provider/token.example.com&TagKeys.member.1=team", "iam:UntagOpenIDConnectProvider", "arn:aws:iam::111111111111:oidc-provider/token.example.com", &["aws:TagKeys=[team]"]),
    ("ListOpenIDConnectProviderTags", "OpenIDConnectProviderArn=arn:aws:iam::111111111111:oidc-provider/token.example.com", "iam:ListOpenIDConnectProviderTags", "arn:aws:iam::111111111111:oidc-provider/token.example.com", &[]),
    // SAML providers (listing has no resource type).
    ("CreateSAMLProvider", "Name=corp&SAMLMetadataDocument=METADATA&Tags.member.1.Key=team&Tags.member.1.Value=red", "iam:CreateSAMLProvider", "arn:aws:iam::111111111111:saml-provider/corp", &["aws:RequestTag/team=red", "aws:TagKeys=[team]"]),
    ("ListSAMLProviders", "", "iam:ListSAMLProviders", "*", &[]),
    ("GetSAMLProvider", "SAMLProviderArn=arn:aws:iam::111111111111:saml-provider/corp", "iam:GetSAMLProvider", "arn:aws:iam::111111111111:saml-provider/corp", &[]),
    ("UpdateSAMLProvider", "SAMLProviderArn=arn:aws:iam::111111111111:saml-provider/corp", "iam:UpdateSAMLProvider", "arn:aws:iam::111111111111:saml-provider/corp", &[]),
    ("DeleteSAMLProvider", "SAMLProviderArn=arn:aws:iam::111111111111:saml-provider/corp", "iam:DeleteSAMLProvider", "arn:aws:iam::111111111111:saml-provider/corp", &[]),
    ("TagSAMLProvider", "SAMLProviderArn=arn:aws:iam::111111111111:saml-provider/corp&Tags.member.1.Key=team&Tags.member.1.Value=red", "iam:TagSAMLProvider", "arn:aws:iam::111111111111:saml-provider/corp", &["aws:RequestTag/team=red", "aws:TagKeys=[team]"]),
    ("UntagSAMLProvider", "SAMLProviderArn=arn:aws:iam::111111111111:saml-provider/corp&TagKeys.member.1=team", "iam:UntagSAMLProvider", "arn:aws:iam::111111111111:saml-provider/corp", &["aws:TagKeys=[team]"]),
    ("ListSAMLProviderTags", "SAMLProviderArn=arn:aws:iam::111111111111:saml-provider/corp", "iam:ListSAMLProviderTags", "arn:aws:iam::111111111111:saml-provider/corp", &[]),
    // Server certificates (listing has no resource type).
    ("UploadServerCertificate", "ServerCertificateName=new&Path=/certs/&CertificateBody=x&PrivateKey=y&Tags.member.1.Key=team&Tags.member.1.Value=red", "iam:UploadServerCertificate", "arn:aws:iam::111111111111:server-certificate/certs/new", &["aws:RequestTag/team=red", "aws:TagKeys=[team]"]),
    ("ListServerCertificates", "", "iam:ListServerCertificates", "*", &[]),
    ("GetServerCertificate", "ServerCertificateName=web", "iam:GetServerCertificate", "arn:aws:iam::111111111111:server-certificate/tls/web", &[]),
    ("UpdateServerCertificate", "ServerCertificateName=web&NewServerCertificateName=web2", "iam:UpdateServerCertificate", "arn:aws:iam::111111111111:server-certificate/tls/web", &[]),
    ("DeleteServerCertificate", "ServerCertificateName=gone", "iam:DeleteServerCertificate", "arn:aws:iam::111111111111:server-certificate/gone", &[]),
    ("TagServerCertificate", "ServerCertificateName=web&Tags.member.1.Key=team&Tags.member.1.Value=red", "iam:TagServerCertificate", "arn:aws:iam::111111111111:server-certificate/tls/web", &["aws:RequestTag/team=red", "aws:TagKeys=[team]"]),
    ("UntagServerCertificate", "ServerCertificateName=web&TagKeys.member.1=team", "iam:UntagServerCertificate", "arn:aws:iam::111111111111:server-certificate/tls/web", &["aws:TagKeys=[team]"]),
    ("ListServerCertificateTags", "ServerCertificateName=web", "iam:ListServerCertificateTags", "arn:aws:iam::111111111111:server-certificate/tls/web", &[]),
    // Access advisor: the entity reported on; jobs have no resource type.
    ("GenerateServiceLastAccessedDetails", "Arn=arn:aws:iam::111111111111:user/dev/alice&Granularity=ACTION_LEVEL", "iam:GenerateServiceLastAccessedDetails", "arn:aws:iam::111111111111:user/dev/alice", &[]),
    ("GetServiceLastAccessedDetails", "JobId=00000000-0000-4000-8000-000000000000", "iam:GetServiceLastAccessedDetails", "*", &[]),
    ("GetServiceLastAccessedDetailsWithEntities", "JobId=00000000-0000-4000-8000-000000000000&ServiceNamespace=iam", "iam:GetServiceLastAccessedDetailsWithEntities", "*", &[]),
    ("ListPoliciesGrantingServiceAccess", "Arn=arn:aws:iam::111111111111:role/app/deployer&ServiceNamespaces.member.1=iam", "iam:ListPoliciesGrantingServiceAccess", "arn:aws:iam::111111111111:role/app/deployer", &[]),
    ("GenerateOrganizationsAccessReport", "EntityPath=o-abcdefghij/r-ab12&OrganizationsPolicyId=p-FullAWSAccess", "iam:GenerateOrganizationsAccessReport", "arn:aws:iam::111111111111:access-report/o-abcdefghij/r-ab12", &["iam:OrganizationsPolicyId=p-FullAWSAccess"]),
    ("GetOrganizationsAccessReport", "JobId=00000000-0000-4000-8000-000000000000", "iam:GetOrganizationsAccessReport", "*", &[]),
    ("SetSecurityTokenServicePreferences", "GlobalEndpointTokenVersion=v2Token", "iam:SetSecurityTokenServicePreferences", "*", &[]),
    ("GetHumanReadableSummary", "EntityArn=arn:aws:iam::111111111111:delegation-request/dr-0123456789abcdef&Locale=en", "iam:GetHumanReadableSummary", "arn:aws:iam::111111111111:delegation-request/dr-0123456789abcdef", &[]),
    // Temporary delegation (resource type `delegation-request`, under the partner account
    // that created it) and outbound web identity federation (no resource type).
    ("CreateDelegationRequest", "Description=d&Permissions.PolicyTemplateArn=arn:aws:iam::aws:policy/ReadOnlyAccess&RequestorWorkflowId=wf-01&NotificationChannel=arn:aws:sns:us-east-1:111111111111:t&SessionDuration=3600", "iam:CreateDelegationRequest", "*", &[]),
    ("ListDelegationRequests", "", "iam:ListDelegationRequests", "*", &[]),
    ("GetDelegationRequest", "DelegationRequestId=dr-0123456789abcdef", "iam:GetDelegationRequest", "arn:aws:iam::111111111111:delegation-request/dr-0123456789abcdef", &[]),
    ("AssociateDelegationRequest", "DelegationRequestId=dr-0123456789abcdef", "iam:AssociateDelegationRequest", "arn:aws:iam::111111111111:delegation-request/dr-0123456789abcdef", &[]),
    ("UpdateDelegationRequest", "DelegationRequestId=dr-0123456789abcdef&Notes=n", "iam:UpdateDelegationRequest", "arn:aws:iam::111111111111:delegation-request/dr-0123456789abcdef", &[]),
    ("AcceptDelegationRequest", "DelegationRequestId=dr-0123456789abcdef", "iam:AcceptDelegationRequest", "arn:aws:iam::111111111111:delegation-request/dr-0123456789abcdef", &[]),
    ("RejectDelegationRequest", "DelegationRequestId=dr-0123456789abcdef", "iam:RejectDelegationRequest", "arn:aws:iam::111111111111:delegation-request/dr-0123456789abcdef", &[]),
    ("SendDelegationToken", "DelegationRequestId=dr-0123456789abcdef", "iam:SendDelegationToken", "arn:aws:iam::111111111111:delegation-request/dr-0123456789abcdef", &[]),
    ("EnableOutboundWebIdentityFederation", "", "iam:EnableOutboundWebIdentityFederation", "*", &[]),
    ("DisableOutboundWebIdentityFederation", "", "iam:DisableOutboundWebIdentityFederation", "*", &[]),
    ("GetOutboundWebIdentityFederationInfo", "", "iam:GetOutboundWebIdentityFederationInfo", "*", &[]),
];

#[rustfmt::skip]
const STS: &[Line] = &[
    ("GetCallerIdentity", "", "sts:GetCallerIdentity", "arn:aws:iam::111111111111:user/carol", &[]),
    ("GetSessionToken", "", "sts:GetSessionToken", "arn:aws:iam::111111111111:user/carol", &[]),
    ("AssumeRole", "RoleArn=arn:aws:iam::111111111111:role/app/deployer&RoleSessionName=s1&ExternalId=ext&SourceIdentity=carol&Tags.member.1.Key=team&Tags.member.1.Value=red&TransitiveTagKeys.member.1=team", "sts:AssumeRole", "arn:aws:iam::111111111111:role/app/deployer", &["sts:RoleSessionName=s1", "sts:ExternalId=ext", "sts:SourceIdentity=carol", "aws:RequestTag/team=red", "aws:TagKeys=[team]", "sts:TransitiveTagKeys=[team]"]),
    ("GetFederationToken", "Name=fed&Tags.member.1.Key=team&Tags.member.1.Value=red", "sts:GetFederationToken", "arn:aws:sts::111111111111:federated-user/fed", &["aws:RequestTag/team=red", "aws:TagKeys=[team]"]),
    ("GetAccessKeyInfo", "AccessKeyId=AKIAIOSFODNN7EXAMPLE", "sts:GetAccessKeyInfo", "*", &[]),
    ("DecodeAuthorizationMessage", "EncodedMessage=abc", "sts:DecodeAuthorizationMessage", "*", &[]),
    ("AssumeRoot", "TargetPrincipal=222222222222&TaskPolicyArn.arn=arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials", "sts:AssumeRoot", "arn:aws:iam::222222222222:root", &["sts:TaskPolicyArn=arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials"]),
    ("GetDelegatedAccessToken", "TradeInToken=Rd1x", "sts:GetDelegatedAccessToken", "*", &[]),
    ("GetWebIdentityToken", "Audience.member.1=https://api.example.com&SigningAlgorithm=RS256&DurationSeconds=600&Tags.member.1.Key=job&Tags.member.1.Value=j1", "sts:GetWebIdentityToken", "*", &["sts:IdentityTokenAudience=[https://api.example.com]", "sts:SigningAlgorithm=RS256", "sts:DurationSeconds=600", "aws:RequestTag/job=j1", "aws:TagKeys=[job]"]),
];

#[rustfmt::skip]
const ORGANIZATIONS: &[Line] = &[
    // The organization and its tree.
    ("CreateOrganization", r#"{"FeatureSet":"ALL"}"#, "organizations:CreateOrganization", "*", &[]),
    ("DescribeOrganization", "{}", "organizations:DescribeOrganization", "arn:aws:organizations::111111111111:organization/o-abcdefghij", &[]),
    ("DeleteOrganization", "{}", "organizations:DeleteOrganization", "arn:aws:organizations::111111111111:organization/o-abcdefghij", &[]),
    ("LeaveOrganization", "{}", "organizations:LeaveOrganization", "*", &[]),
    ("ListRoots", "{}", "organizations:ListRoots", "*", &[]),
    ("CreateOrganizationalUnit", r#"{"ParentId":"r-ab12","Name":"Dev","Tags":[{"Key":"team","Value":"red"}]}"#, "organizations:CreateOrganizationalUnit", "arn:aws:organizations::111111111111:root/o-abcdefghij/r-ab12", &["aws:RequestTag/team=red", "aws:TagKeys=[team]"]),
    ("DescribeOrganizationalUnit", r#"{"OrganizationalUnitId":"ou-ab12-abcdefgh"}"#, "organizations:DescribeOrganizationalUnit", "arn:aws:organizations::111111111111:ou/o-abcdefghij/ou-ab12-abcdefgh", &[]),
    ("UpdateOrganizationalUnit", r#"{"OrganizationalUnitId":"ou-ab12-abcdefgh","Name":"Prod2"}"#, "organizations:UpdateOrganizationalUnit", "arn:aws:organizations::111111111111:ou/o-abcdefghij/ou-ab12-abcdefgh", &[]),
    ("DeleteOrganizationalUnit", r#"{"OrganizationalUnitId":"ou-ab12-abcdefgh"}"#, "organizations:DeleteOrganizationalUnit", "arn:aws:organizations::111111111111:ou/o-abcdefghij/ou-ab12-abcdefgh", &[]),
    ("ListOrganizationalUnitsForParent", r#"{"ParentId":"r-ab12"}"#, "organizations:ListOrganizationalUnitsForParent", "arn:aws:organizations::111111111111:root/o-abcdefghij/r-ab12", &[]),
    ("ListChildren", r#"{"ParentId":"ou-ab12-abcdefgh","ChildType":"ACCOUNT"}"#, "organizations:ListChildren", "arn:aws:organizations::111111111111:ou/o-abcdefghij/ou-ab12-abcdefgh", &[]),
    ("ListParents", r#"{"ChildId":"222222222222"}"#, "organizations:ListParents", "arn:aws:organizations::111111111111:account/o-abcdefghij/222222222222", &[]),
    // Accounts.
    ("CreateAccount", r#"{"Email":"new@example.com","AccountName":"New","Tags":[{"Key":"team","Value":"red"}]}"#, "organizations:CreateAccount", "*", &["aws:RequestTag/team=red", "aws:TagKeys=[team]"]),
    ("DescribeCreateAccountStatus", r#"{"CreateAccountRequestId":"car-0123456789abcdef0123456789abcdef"}"#, "organizations:DescribeCreateAccountStatus", "*", &[]),
    ("ListCreateAccountStatus", "{}", "organizations:ListCreateAccountStatus", "*", &[]),
    ("DescribeAccount", r#"{"AccountId":"222222222222"}"#, "organizations:DescribeAccount", "arn:aws:organizations::111111111111:account/o-abcdefghij/222222222222", &[]),
    ("ListAccounts", "{}", "organizations:ListAccounts", "*", &[]),
    ("ListAccountsForParent", r#"{"ParentId":"ou-ab12-abcdefgh"}"#, "organizations:ListAccountsForParent", "arn:aws:organizations::111111111111:ou/o-abcdefghij/ou-ab12-abcdefgh", &[]),
    ("MoveAccount", r#"{"AccountId":"222222222222","SourceParentId":"ou-ab12-abcdefgh","DestinationParentId":"r-ab12"}"#, "organizations:MoveAccount", "arn:aws:organizations::111111111111:account/o-abcdefghij/222222222222", &[]),
    ("RemoveAccountFromOrganization", r#"{"AccountId":"222222222222"}"#, "organizations:RemoveAccountFromOrganization", "arn:aws:organizations::111111111111:account/o-abcdefghij/222222222222", &[]),
    ("CloseAccount", r#"{"AccountId":"222222222222"}"#, "organizations:CloseAccount", "arn:aws:organizations::111111111111:account/o-abcdefghij/222222222222", &[]),
    // Invitations.
    ("InviteAccountToOrganization", r#"{"Target":{"Id":"333333333333","Type":"ACCOUNT"},"Tags":[{"Key":"team","Value":"red"}]}"#, "organizations:InviteAccountToOrganization", "*", &["aws:RequestTag/team=red", "aws:TagKeys=[team]"]),
    ("AcceptHandshake", r#"{"HandshakeId":"h-abcdefghij"}"#, "organizations:AcceptHandshake", "arn:aws:organizations::111111111111:handshake/o-abcdefghij/invite/h-abcdefghij", &[]),
    ("DeclineHandshake", r#"{"HandshakeId":"h-abcdefghij"}"#, "organizations:DeclineHandshake", "arn:aws:organizations::111111111111:handshake/o-abcdefghij/invite/h-abcdefghij", &[]),
    ("CancelHandshake", r#"{"HandshakeId":"h-abcdefghij"}"#, "organizations:CancelHandshake", "arn:aws:organizations::111111111111:handshake/o-abcdefghij/invite/h-abcdefghij", &[]),
    ("DescribeHandshake", r#"{"HandshakeId":"h-0000000000"}"#, "organizations:DescribeHandshake", "*", &[]),
    ("ListHandshakesForAccount", "{}", "organizations:ListHandshakesForAccount", "*", &[]),
    ("ListHandshakesForOrganization", "{}", "organizations:ListHandshakesForOrganization", "*", &[]),
    // Policies.
    ("EnablePolicyType", r#"{"RootId":"r-ab12","PolicyType":"TAG_POLICY"}"#, "organizations:EnablePolicyType", "arn:aws:organizations::111111111111:root/o-abcdefghij/r-ab12", &["organizations:PolicyType=TAG_POLICY"]),
    ("DisablePolicyType", r#"{"RootId":"r-ab12","PolicyType":"RESOURCE_CONTROL_POLICY"}"#, "organizations:DisablePolicyType", "arn:aws:organizations::111111111111:root/o-abcdefghij/r-ab12", &["organizations:PolicyType=RESOURCE_CONTROL_POLICY"]),
    ("CreatePolicy", r#"{"Content":"{}","Description":"d","Name":"n","Type":"SERVICE_CONTROL_POLICY","Tags":[{"Key":"team","Value":"red"}]}"#, "organizations:CreatePolicy", "*", &["organizations:PolicyType=SERVICE_CONTROL_POLICY", "aws:RequestTag/team=red", "aws:TagKeys=[team]"]),
    ("UpdatePolicy", r#"{"PolicyId":"p-denyall1","Name":"n"}"#, "organizations:UpdatePolicy", "arn:aws:organizations::111111111111:policy/o-abcdefghij/service_control_policy/p-denyall1", &["organizations:PolicyType=SERVICE_CONTROL_POLICY"]),
    ("DeletePolicy", r#"{"PolicyId":"p-denyall1"}"#, "organizations:DeletePolicy", "arn:aws:organizations::111111111111:policy/o-abcdefghij/service_control_policy/p-denyall1", &["organizations:PolicyType=SERVICE_CONTROL_POLICY"]),
    ("DescribePolicy", r#"{"PolicyId":"p-FullAWSAccess"}"#, "organizations:DescribePolicy", "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess", &["organizations:PolicyType=SERVICE_CONTROL_POLICY"]),
    ("ListPolicies", r#"{"Filter":"SERVICE_CONTROL_POLICY"}"#, "organizations:ListPolicies", "*", &["organizations:PolicyType=SERVICE_CONTROL_POLICY"]),
    ("ListPoliciesForTarget", r#"{"TargetId":"222222222222","Filter":"SERVICE_CONTROL_POLICY"}"#, "organizations:ListPoliciesForTarget", "arn:aws:organizations::111111111111:account/o-abcdefghij/222222222222", &["organizations:PolicyType=SERVICE_CONTROL_POLICY"]),
    ("ListTargetsForPolicy", r#"{"PolicyId":"p-denyall1"}"#, "organizations:ListTargetsForPolicy", "arn:aws:organizations::111111111111:policy/o-abcdefghij/service_control_policy/p-denyall1", &["organizations:PolicyType=SERVICE_CONTROL_POLICY"]),
    ("AttachPolicy", r#"{"PolicyId":"p-denyall1","TargetId":"222222222222"}"#, "organizations:AttachPolicy", "arn:aws:organizations::111111111111:policy/o-abcdefghij/service_control_policy/p-denyall1", &["organizations:PolicyType=SERVICE_CONTROL_POLICY"]),
    ("DetachPolicy", r#"{"PolicyId":"p-denyall1","TargetId":"ou-ab12-abcdefgh"}"#, "organizations:DetachPolicy", "arn:aws:organizations::111111111111:policy/o-abcdefghij/service_control_policy/p-denyall1", &["organizations:PolicyType=SERVICE_CONTROL_POLICY"]),
    ("DescribeEffectivePolicy", r#"{"PolicyType":"TAG_POLICY"}"#, "organizations:DescribeEffectivePolicy", "arn:aws:organizations::111111111111:account/o-abcdefghij/111111111111", &["organizations:PolicyType=TAG_POLICY"]),
    // Tags.
    ("TagResource", r#"{"ResourceId":"ou-ab12-abcdefgh","Tags":[{"Key":"team","Value":"red"}]}"#, "organizations:TagResource", "arn:aws:organizations::111111111111:ou/o-abcdefghij/ou-ab12-abcdefgh", &["aws:RequestTag/team=red", "aws:TagKeys=[team]"]),
    ("UntagResource", r#"{"ResourceId":"r-ab12","TagKeys":["team"]}"#, "organizations:UntagResource", "arn:aws:organizations::111111111111:root/o-abcdefghij/r-ab12", &["aws:TagKeys=[team]"]),
    ("ListTagsForResource", r#"{"ResourceId":"222222222222"}"#, "organizations:ListTagsForResource", "arn:aws:organizations::111111111111:account/o-abcdefghij/222222222222", &[]),
    // Trusted access and delegated administrators.
    ("EnableAWSServiceAccess", r#"{"ServicePrincipal":"sso.amazonaws.com"}"#, "organizations:EnableAWSServiceAccess", "*", &["organizations:ServicePrincipal=sso.amazonaws.com"]),
    ("DisableAWSServiceAccess", r#"{"ServicePrincipal":"sso.amazonaws.com"}"#, "organizations:DisableAWSServiceAccess", "*", &["organizations:ServicePrincipal=sso.amazonaws.com"]),
    ("ListAWSServiceAccessForOrganization", "{}", "organizations:ListAWSServiceAccessForOrganization", "*", &[]),
    ("RegisterDelegatedAdministrator", r#"{"AccountId":"222222222222","ServicePrincipal":"sso.amazonaws.com"}"#, "organizations:RegisterDelegatedAdministrator", "arn:aws:organizations::111111111111:account/o-abcdefghij/222222222222", &["organizations:ServicePrincipal=sso.amazonaws.com"]),
    ("DeregisterDelegatedAdministrator", r#"{"AccountId":"222222222222","ServicePrincipal":"sso.amazonaws.com"}"#, "organizations:DeregisterDelegatedAdministrator", "arn:aws:organizations::111111111111:account/o-abcdefghij/222222222222", &["organizations:ServicePrincipal=sso.amazonaws.com"]),
    ("ListDelegatedAdministrators", r#"{"ServicePrincipal":"sso.amazonaws.com"}"#, "organizations:ListDelegatedAdministrators", "*", &["organizations:ServicePrincipal=sso.amazonaws.com"]),    ("ListDelegatedServicesForAccount", r#"{"AccountId":"222222222222"}"#, "organizations:ListDelegatedServicesForAccount", "arn:aws:organizations::111111111111:account/o-abcdefghij/222222222222", &[]),
    // All features, GovCloud accounts, effective-policy validation.
    ("EnableAllFeatures", "{}", "organizations:EnableAllFeatures", "*", &[]),
    ("CreateGovCloudAccount", r#"{"Email":"gov@example.com","AccountName":"Gov","Tags":[{"Key":"team","Value":"red"}]}"#, "organizations:CreateGovCloudAccount", "*", &["aws:RequestTag/team=red", "aws:TagKeys=[team]"]),
    ("ListAccountsWithInvalidEffectivePolicy", r#"{"PolicyType":"TAG_POLICY"}"#, "organizations:ListAccountsWithInvalidEffectivePolicy", "*", &["organizations:PolicyType=TAG_POLICY"]),
    ("ListEffectivePolicyValidationErrors", r#"{"AccountId":"222222222222","PolicyType":"BACKUP_POLICY"}"#, "organizations:ListEffectivePolicyValidationErrors", "arn:aws:organizations::111111111111:account/o-abcdefghij/222222222222", &["organizations:PolicyType=BACKUP_POLICY"]),
    // The delegation policy (none stored in the sample: `*`).
    ("PutResourcePolicy", r#"{"Content":"{}","Tags":[{"Key":"team","Value":"red"}]}"#, "organizations:PutResourcePolicy", "*", &["aws:RequestTag/team=red", "aws:TagKeys=[team]"]),
    ("DescribeResourcePolicy", "{}", "organizations:DescribeResourcePolicy", "*", &[]),
    ("DeleteResourcePolicy", "{}", "organizations:DeleteResourcePolicy", "*", &[]),
    // Responsibility transfers (none stored in the sample: `*`).
    ("InviteOrganizationToTransferResponsibility", r#"{"Type":"BILLING","Target":{"Id":"333333333333","Type":"ACCOUNT"},"StartTimestamp":1701388800,"SourceName":"n","Tags":[{"Key":"team","Value":"red"}]}"#, "organizations:InviteOrganizationToTransferResponsibility", "*", &["aws:RequestTag/team=red", "aws:TagKeys=[team]"]),
    ("DescribeResponsibilityTransfer", r#"{"Id":"rt-abcdefghij"}"#, "organizations:DescribeResponsibilityTransfer", "*", &[]),
    ("UpdateResponsibilityTransfer", r#"{"Id":"rt-abcdefghij","Name":"n"}"#, "organizations:UpdateResponsibilityTransfer", "*", &[]),
    ("TerminateResponsibilityTransfer", r#"{"Id":"rt-abcdefghij"}"#, "organizations:TerminateResponsibilityTransfer", "*", &[]),
    ("ListInboundResponsibilityTransfers", r#"{"Type":"BILLING"}"#, "organizations:ListInboundResponsibilityTransfers", "*", &[]),
    ("ListOutboundResponsibilityTransfers", r#"{"Type":"BILLING"}"#, "organizations:ListOutboundResponsibilityTransfers", "*", &[]),
];

#[rustfmt::skip]
const ACCOUNT: &[Line] = &[
    ("PutAlternateContact", r#"{"AlternateContactType":"BILLING","Name":"n","Title":"t","EmailAddress":"a@example.com","PhoneNumber":"+1"}"#, "account:PutAlternateContact", "arn:aws:account::111111111111:account", &["account:AlternateContactTypes=BILLING"]),
    ("GetAlternateContact", r#"{"AlternateContactType":"SECURITY","AccountId":"222222222222"}"#, "account:GetAlternateContact", "arn:aws:account::111111111111:account/222222222222", &["account:AlternateContactTypes=SECURITY"]),
    ("DeleteAlternateContact", r#"{"AlternateContactType":"OPERATIONS"}"#, "account:DeleteAlternateContact", "arn:aws:account::111111111111:account", &["account:AlternateContactTypes=OPERATIONS"]),
    ("PutContactInformation", r#"{"ContactInformation":{"FullName":"n","AddressLine1":"a","City":"c","PostalCode":"1","CountryCode":"US","PhoneNumber":"+1"}}"#, "account:PutContactInformation", "arn:aws:account::111111111111:account", &[]),
    ("GetContactInformation", "{}", "account:GetContactInformation", "arn:aws:account::111111111111:account", &[]),
    ("GetAccountInformation", r#"{"AccountId":"222222222222"}"#, "account:GetAccountInformation", "arn:aws:account::111111111111:account/222222222222", &[]),
    ("PutAccountName", r#"{"AccountName":"Prod"}"#, "account:PutAccountName", "arn:aws:account::111111111111:account", &[]),
    ("GetPrimaryEmail", r#"{"AccountId":"222222222222"}"#, "account:GetPrimaryEmail", "arn:aws:account::111111111111:account/222222222222", &[]),
    ("ListRegions", r#"{"RegionOptStatusContains":["ENABLED"]}"#, "account:ListRegions", "arn:aws:account::111111111111:account", &[]),
    ("GetRegionOptStatus", r#"{"RegionName":"af-south-1","AccountId":"222222222222"}"#, "account:GetRegionOptStatus", "arn:aws:account::111111111111:account/222222222222", &["account:TargetRegion=af-south-1"]),
    ("EnableRegion", r#"{"RegionName":"af-south-1"}"#, "account:EnableRegion", "arn:aws:account::111111111111:account", &["account:TargetRegion=af-south-1"]),
    ("DisableRegion", r#"{"RegionName":"me-south-1"}"#, "account:DisableRegion", "arn:aws:account::111111111111:account", &["account:TargetRegion=me-south-1"]),
    ("StartPrimaryEmailUpdate", r#"{"AccountId":"222222222222","PrimaryEmail":"new@example.com"}"#, "account:StartPrimaryEmailUpdate", "arn:aws:account::111111111111:account/222222222222", &["account:EmailTargetDomain=example.com"]),
    ("AcceptPrimaryEmailUpdate", r#"{"AccountId":"222222222222","PrimaryEmail":"new@example.com","Otp":"123456"}"#, "account:AcceptPrimaryEmailUpdate", "arn:aws:account::111111111111:account/222222222222", &[]),
    ("GetGovCloudAccountInformation", "{}", "account:GetGovCloudAccountInformation", "arn:aws:account::111111111111:account", &[]),
];

#[rustfmt::skip]
const CLOUDTRAIL: &[Line] = &[
    ("LookupEvents", r#"{"LookupAttributes":[{"AttributeKey":"Username","AttributeValue":"root"}]}"#, "cloudtrail:LookupEvents", "*", &[]),
    ("CreateTrail", r#"{"Name":"main","S3BucketName":"logs","TagsList":[{"Key":"team","Value":"sec"}]}"#, "cloudtrail:CreateTrail", "arn:aws:cloudtrail:us-east-1:111111111111:trail/main", &["aws:RequestTag/team=sec", "aws:TagKeys=[team]"]),
    ("GetTrail", r#"{"Name":"main"}"#, "cloudtrail:GetTrail", "arn:aws:cloudtrail:us-east-1:111111111111:trail/main", &[]),
    ("DescribeTrails", r#"{"trailNameList":["main"]}"#, "cloudtrail:DescribeTrails", "*", &[]),
    ("UpdateTrail", r#"{"Name":"main","S3BucketName":"other"}"#, "cloudtrail:UpdateTrail", "arn:aws:cloudtrail:us-east-1:111111111111:trail/main", &[]),
    ("DeleteTrail", r#"{"Name":"arn:aws:cloudtrail:us-east-1:111111111111:trail/main"}"#, "cloudtrail:DeleteTrail", "arn:aws:cloudtrail:us-east-1:111111111111:trail/main", &[]),
    ("StartLogging", r#"{"Name":"main"}"#, "cloudtrail:StartLogging", "arn:aws:cloudtrail:us-east-1:111111111111:trail/main", &[]),
    ("StopLogging", r#"{"Name":"main"}"#, "cloudtrail:StopLogging", "arn:aws:cloudtrail:us-east-1:111111111111:trail/main", &[]),
    ("GetTrailStatus", r#"{"Name":"main"}"#, "cloudtrail:GetTrailStatus", "arn:aws:cloudtrail:us-east-1:111111111111:trail/main", &[]),
    ("PutEventSelectors", r#"{"TrailName":"main","EventSelectors":[{"ReadWriteType":"WriteOnly"}]}"#, "cloudtrail:PutEventSelectors", "arn:aws:cloudtrail:us-east-1:111111111111:trail/main", &[]),
    ("GetEventSelectors", r#"{"TrailName":"main"}"#, "cloudtrail:GetEventSelectors", "arn:aws:cloudtrail:us-east-1:111111111111:trail/main", &[]),
    ("AddTags", r#"{"ResourceId":"arn:aws:cloudtrail:us-east-1:111111111111:trail/main","TagsList":[{"Key":"env","Value":"prod"}]}"#, "cloudtrail:AddTags", "arn:aws:cloudtrail:us-east-1:111111111111:trail/main", &["aws:RequestTag/env=prod", "aws:TagKeys=[env]"]),
    ("RemoveTags", r#"{"ResourceId":"arn:aws:cloudtrail:us-east-1:111111111111:trail/main","TagsList":[{"Key":"env"}]}"#, "cloudtrail:RemoveTags", "arn:aws:cloudtrail:us-east-1:111111111111:trail/main", &[]),
    ("ListTags", r#"{"ResourceIdList":["arn:aws:cloudtrail:us-east-1:111111111111:trail/main"]}"#, "cloudtrail:ListTags", "arn:aws:cloudtrail:us-east-1:111111111111:trail/main", &[]),
    ("ListTrails", r#"{}"#, "cloudtrail:ListTrails", "*", &[]),
];

/// The management account of the sample organization (the caller's account).
fn account_id() -> AccountId {
    AccountId::parse("111111111111").unwrap()
}

/// IAM user `carol` of the management account, with long-term keys.
pub(crate) fn carol() -> Caller {
    Caller {
        account: account_id(),
        principal: Principal::User {
            name: "carol".into(),
            id: "AIDACAROLEXAMPLE00001".into(),
            arn: "arn:aws:iam::111111111111:user/carol".into(),
        },
        access_key_id: "AKIACAROLEXAMPLE0001".into(),
        session: None,
    }
}

/// The sample organization plus IAM entities with non-default paths.
pub(crate) fn sample_state() -> State {
    let (mut state, _, _) = tree();
    let account = "111111111111";
    let key = |name: &str| format!("{account}/{name}");
    put_row(
        &mut state,
        kind::USER,
        &key("alice"),
        &json!({"account": account, "name": "alice", "id": "AIDAALICEEXAMPLE00001", "path": "/dev/",
            "created": 0, "tags": [], "groups": [], "attached_policies": [], "inline_policies": []}),
    );
    put_row(
        &mut state,
        kind::GROUP,
        &key("admins"),
        &json!({"account": account, "name": "admins", "id": "AGPAADMINSEXAMPLE0001", "path": "/ops/",
            "created": 0, "attached_policies": [], "inline_policies": []}),
    );
    put_row(
        &mut state,
        kind::ROLE,
        &key("deployer"),
        &json!({"account": account, "name": "deployer", "id": "AROADEPLOYEREXAMPLE01", "path": "/app/",
            "created": 0, "max_session_duration": 3600, "tags": [], "attached_policies": [], "inline_policies": [],
            "trust_policy": r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"sts:AssumeRole"}]}"#}),
    );
    put_row(
        &mut state,
        kind::INSTANCE_PROFILE,
        &key("web"),
        &json!({"account": account, "name": "web", "id": "AIPAWEBEXAMPLE000001", "path": "/ip/",
            "created": 0, "roles": [], "tags": []}),
    );
    put_row(
        &mut state,
        kind::SERVER_CERTIFICATE,
        &key("web"),
        &json!({"id": "ASCAWEBEXAMPLE000001", "account": account, "name": "web", "path": "/tls/",
            "body": "", "sealed_private_key": "", "uploaded": 0, "tags": []}),
    );
    let master = crate::secrets::MasterKey::from_bytes([7; 32]);
    let id = "AKIAALICEEXAMPLE0001";
    let sealed = master
        .seal(b"secret", &crate::state::access_key_context(id))
        .unwrap();
    put_row(
        &mut state,
        kind::ACCESS_KEY,
        id,
        &json!({"id": id, "account": account, "user": "alice", "status": "Active", "created": 0,
            "sealed_secret": sealed}),
    );
    put_row(
        &mut state,
        kind::HANDSHAKE,
        "h-abcdefghij",
        &json!({"id": "h-abcdefghij", "org": "o-abcdefghij", "management": account, "action": "INVITE",
            "target": ["ACCOUNT", "333333333333"], "target_account": "333333333333", "state": "REQUESTED",
            "requested": 0, "expires": 1}),
    );
    state
}

/// A condition key as the table writes it: `name=value`, lists as `[a,b]`.
fn render((name, value): &(String, ContextValue)) -> String {
    fn text(value: &ContextValue) -> String {
        match value {
            ContextValue::String(s) => s.clone(),
            ContextValue::Bool(b) => b.to_string(),
            ContextValue::Number(n) => n.to_string(),
            ContextValue::List(items) => {
                format!("[{}]", items.iter().map(text).collect::<Vec<_>>().join(","))
            }
            other => format!("{other:?}"),
        }
    }
    format!("{name}={}", text(value))
}

/// Checks every line of `table` with `access`, which decodes the sample and maps it;
/// returns one message per mismatch, written as the line that would pass.
fn check(
    table: &[Line],
    access: impl Fn(&str, &str) -> Result<(&'static str, super::Access), String>,
) -> Vec<String> {
    let mut failures = Vec::new();
    for (op, input, action, resource, keys) in table {
        match access(op, input) {
            Ok((name, got)) => {
                let got_keys: Vec<String> = got.keys.iter().map(render).collect();
                if name != *op
                    || got.action != *action
                    || got.resource != *resource
                    || got_keys != *keys
                {
                    failures.push(format!(
                        "{op}: got ({:?}, {:?}, {:?}, &{:?})",
                        name, got.action, got.resource, got_keys
                    ));
                }
            }
            Err(err) => failures.push(format!("{op}: sample does not decode: {err}")),
        }
    }
    failures
}

#[test]
fn every_iam_operation_maps_to_its_action_resource_and_keys() {
    let state = sample_state();
    let caller = carol();
    // IAM wants at least 1,000 characters of SAML metadata; the line says `METADATA`.
    let metadata = "x".repeat(1000);
    let failures = check(IAM, |op, input| {
        let input = input.replace("METADATA", &metadata);
        let params = QueryParams::parse(input.as_bytes()).map_err(|e| format!("{e:?}"))?;
        let op = rampart_wire::iam::Operation::decode(op, &params).map_err(|e| format!("{e:?}"))?;
        Ok((op.name(), iam::access(&state, &caller, &op)))
    });
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_sts_operation_maps_to_its_action_resource_and_keys() {
    let caller = carol();
    let failures = check(STS, |op, input| {
        let params = QueryParams::parse(input.as_bytes()).map_err(|e| format!("{e:?}"))?;
        let op = rampart_wire::sts::Operation::decode(op, &params).map_err(|e| format!("{e:?}"))?;
        Ok((op.name(), sts::access(&caller, &op, false)))
    });
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_organizations_operation_maps_to_its_action_resource_and_keys() {
    let state = sample_state();
    let caller = carol();
    let failures = check(ORGANIZATIONS, |op, input| {
        let body: serde_json::Value = serde_json::from_str(input).map_err(|e| e.to_string())?;
        let op = rampart_wire::organizations::Operation::decode(op, &body)
            .map_err(|e| format!("{e:?}"))?;
        Ok((op.name(), organizations::access(&state, &caller, &op)))
    });
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_account_operation_maps_to_its_action_resource_and_keys() {
    let caller = carol();
    let failures = check(ACCOUNT, |op, input| {
        let body: serde_json::Value = serde_json::from_str(input).map_err(|e| e.to_string())?;
        let op =
            rampart_wire::account::Operation::decode(op, &body).map_err(|e| format!("{e:?}"))?;
        Ok((op.name(), account::access(&caller, &op)))
    });
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_cloudtrail_operation_maps_to_its_action_resource_and_keys() {
    let state = sample_state();
    let caller = carol();
    let failures = check(CLOUDTRAIL, |op, input| {
        let body: serde_json::Value = serde_json::from_str(input).map_err(|e| e.to_string())?;
        let op =
            rampart_wire::cloudtrail::Operation::decode(op, &body).map_err(|e| format!("{e:?}"))?;
        Ok((
            op.name(),
            cloudtrail::access(&state, &caller, "us-east-1", &op),
        ))
    });
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_served_operation_has_exactly_one_table_line() {
    let services: [(&str, &[rampart_wire::schema::OperationInfo], &[Line]); 5] = [
        ("iam", rampart_wire::iam::SERVED_OPERATIONS, IAM),
        ("sts", rampart_wire::sts::SERVED_OPERATIONS, STS),
        (
            "organizations",
            rampart_wire::organizations::SERVED_OPERATIONS,
            ORGANIZATIONS,
        ),
        ("account", rampart_wire::account::SERVED_OPERATIONS, ACCOUNT),
        (
            "cloudtrail",
            rampart_wire::cloudtrail::SERVED_OPERATIONS,
            CLOUDTRAIL,
        ),
    ];
    let mut problems = Vec::new();
    for (service, served, table) in services {
        for op in served {
            let lines = table.iter().filter(|line| line.0 == op.name).count();
            if lines != 1 {
                problems.push(format!("{service}:{} has {lines} table lines", op.name));
            }
        }
        for line in table {
            if !served.iter().any(|op| op.name == line.0) {
                problems.push(format!("{service}:{} is not served", line.0));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn outside_an_organization_every_organizations_resource_is_a_wildcard() {
    let state = State::with_builtins().unwrap();
    let body = json!({"AccountId": "222222222222"});
    let op = rampart_wire::organizations::Operation::decode("DescribeAccount", &body).unwrap();
    let access = organizations::access(&state, &carol(), &op);
    assert_eq!(access.resource, "*");
}

#[test]
fn an_mfa_code_adds_the_mfa_keys_to_sts_requests() {
    let params = QueryParams::parse(b"").unwrap();
    let op = rampart_wire::sts::Operation::decode("GetSessionToken", &params).unwrap();
    let keys: Vec<String> = sts::access(&carol(), &op, true)
        .keys
        .iter()
        .map(render)
        .collect();
    assert_eq!(
        keys,
        [
            "aws:MultiFactorAuthPresent=true",
            "aws:MultiFactorAuthAge=0"
        ]
    );
}

#[test]
fn assume_role_is_also_decided_by_the_target_role_trust_policy() {
    let state = sample_state();
    let decode = |arn: &str| {
        let form = format!("RoleArn={arn}&RoleSessionName=s1");
        let params = QueryParams::parse(form.as_bytes()).unwrap();
        rampart_wire::sts::Operation::decode("AssumeRole", &params).unwrap()
    };
    let trust = sts::resource_policy(
        &state,
        &decode("arn:aws:iam::111111111111:role/app/deployer"),
    )
    .unwrap();
    assert_eq!(trust.account.as_str(), "111111111111");
    assert!(sts::resource_policy(&state, &decode("arn:aws:iam::111111111111:role/none")).is_none());
    let params = QueryParams::parse(b"").unwrap();
    let other = rampart_wire::sts::Operation::decode("GetCallerIdentity", &params).unwrap();
    assert!(sts::resource_policy(&state, &other).is_none());
}

#[test]
fn change_password_is_implicitly_allowed_only_when_the_policy_says_so() {
    let mut state = sample_state();
    let params = QueryParams::parse(b"OldPassword=a&NewPassword=b").unwrap();
    let op = rampart_wire::iam::Operation::decode("ChangePassword", &params).unwrap();
    assert!(!iam::implicitly_allowed(&state, &carol(), &op));
    put_row(
        &mut state,
        kind::ACCOUNT,
        "111111111111",
        &json!({"id": "111111111111", "email": "a@example.com", "name": "a", "created": 0,
            "root_password_hash": null,
            "password_policy": {"AllowUsersToChangePassword": true}}),
    );
    assert!(iam::implicitly_allowed(&state, &carol(), &op));
    let read = rampart_wire::iam::Operation::decode(
        "GetAccountPasswordPolicy",
        &QueryParams::parse(b"").unwrap(),
    )
    .unwrap();
    assert!(iam::implicitly_allowed(&state, &carol(), &read));
}
