//! IAM (awsQuery, `2010-05-08`): one `…Input` per served operation (decoded
//! from [`QueryParams`](crate::QueryParams) with the model's required members
//! and constraints), the data types IAM returns, one `…Output` per operation
//! with an output shape, and the [`Operation`] / [`Output`] enums.
//!
//! Constraints are the botocore model's (checked by `tests/botocore_models.rs`);
//! everything semantic (does the user exist, is the policy valid JSON, quotas)
//! belongs to the core.
//!
//! Paging (wire-protocols.md §1.3): inputs carry `marker` and `max_items`
//! (1..=1000, default [`DEFAULT_MAX_ITEMS`]); outputs always emit
//! `IsTruncated` and emit `Marker` only when it is `Some` — set it only when
//! truncated.

use std::collections::BTreeMap;

use crate::query::QueryService;
use crate::schema::{Constraint, Pattern};
use crate::timestamp::Timestamp;
use crate::xml::{PolicyDocument, Sensitive, XmlMembers, XmlValue, XmlWriter};

/// `MaxItems` when the request has none (§1.3).
pub const DEFAULT_MAX_ITEMS: i32 = 100;

// ---- Model shapes' constraints (names are the botocore shape names) ----
const USER_NAME: Constraint = Constraint::new("userNameType")
    .len(1, 64)
    .pattern(Pattern::Name);
const EXISTING_USER_NAME: Constraint = Constraint::new("existingUserNameType")
    .len(1, 128)
    .pattern(Pattern::Name);
const GROUP_NAME: Constraint = Constraint::new("groupNameType")
    .len(1, 128)
    .pattern(Pattern::Name);
const POLICY_NAME: Constraint = Constraint::new("policyNameType")
    .len(1, 128)
    .pattern(Pattern::Name);
const PATH: Constraint = Constraint::new("pathType")
    .len(1, 512)
    .pattern(Pattern::Path);
const PATH_PREFIX: Constraint = Constraint::new("pathPrefixType")
    .len(1, 512)
    .pattern(Pattern::PathPrefix);
const POLICY_PATH: Constraint = Constraint::new("policyPathType")
    .len(1, 512)
    .pattern(Pattern::PolicyPath);
const ARN: Constraint = Constraint::new("arnType").len(20, 2048);
const POLICY_DOCUMENT: Constraint = Constraint::new("policyDocumentType")
    .len(1, 131_072)
    .pattern(Pattern::PolicyDocument);
const POLICY_DESCRIPTION: Constraint = Constraint::new("policyDescriptionType").max(1000);
const MARKER: Constraint = Constraint::new("markerType")
    .len(1, 320)
    .pattern(Pattern::Marker);
const MAX_ITEMS: Constraint = Constraint::new("maxItemsType").len(1, 1000);
const ACCESS_KEY_ID: Constraint = Constraint::new("accessKeyIdType")
    .len(16, 128)
    .pattern(Pattern::Word);
const POLICY_VERSION_ID: Constraint =
    Constraint::new("policyVersionIdType").pattern(Pattern::VersionId);
const TAG_KEY: Constraint = Constraint::new("tagKeyType")
    .len(1, 128)
    .pattern(Pattern::TagKey);
const TAG_VALUE: Constraint = Constraint::new("tagValueType")
    .len(0, 256)
    .pattern(Pattern::TagValue);
const TAG_LIST: Constraint = Constraint::new("tagListType").max(50);
const ROLE_NAME: Constraint = Constraint::new("roleNameType")
    .len(1, 64)
    .pattern(Pattern::Name);
const ROLE_DESCRIPTION: Constraint = Constraint::new("roleDescriptionType")
    .max(1000)
    .pattern(Pattern::RoleDescription);
const ROLE_MAX_SESSION: Constraint =
    Constraint::new("roleMaxSessionDurationType").len(3600, 43_200);
const TAG_KEY_LIST: Constraint = Constraint::new("tagKeyListType").max(50).item(&TAG_KEY);

// ---- Enums ----
wire_enum! {
    /// Access key status (`statusType`).
    AccessKeyStatus "statusType" { Active = "Active", Inactive = "Inactive", Expired = "Expired" }
}
wire_enum! {
    /// `ListPolicies` scope (`policyScopeType`).
    PolicyScope "policyScopeType" { All = "All", Aws = "AWS", Local = "Local" }
}
wire_enum! {
    /// `ListPolicies` usage filter (`PolicyUsageType`).
    PolicyUsageType "PolicyUsageType" { PermissionsPolicy = "PermissionsPolicy", PermissionsBoundary = "PermissionsBoundary" }
}
wire_enum! {
    /// Kind of permissions boundary (`PermissionsBoundaryAttachmentType`).
    PermissionsBoundaryAttachmentType "PermissionsBoundaryAttachmentType" { PermissionsBoundaryPolicy = "PermissionsBoundaryPolicy" }
}

// ---- Data types ----
input! {
    /// A tag (`Tag`): both an input element (`Tags.member.N.Key`) and an output structure.
    Tag "Tag" {
        req key: String = "Key", Some(&TAG_KEY);
        req value: String = "Value", Some(&TAG_VALUE);
    }
}

impl XmlMembers for Tag {
    fn write_members(&self, w: &mut XmlWriter) {
        self.key.write_xml("Key", w);
        self.value.write_xml("Value", w);
    }
}

impl XmlValue for Tag {
    const TYPE: crate::schema::WireType = crate::schema::WireType::Structure(&Self::INFO);
    fn write_xml(&self, name: &str, w: &mut XmlWriter) {
        w.open(name);
        self.write_members(w);
        w.close(name);
    }
}

structure! {
    /// The permissions boundary of a user or role (`AttachedPermissionsBoundary`).
    AttachedPermissionsBoundary "AttachedPermissionsBoundary" {
        req permissions_boundary_type: PermissionsBoundaryAttachmentType = "PermissionsBoundaryType";
        req permissions_boundary_arn: String = "PermissionsBoundaryArn";
    }
}

structure! {
    /// An IAM user (`User`).
    User "User" {
        req path: String = "Path";
        req user_name: String = "UserName";
        req user_id: String = "UserId";
        req arn: String = "Arn";
        req create_date: Timestamp = "CreateDate";
        opt password_last_used: Timestamp = "PasswordLastUsed";
        opt permissions_boundary: AttachedPermissionsBoundary = "PermissionsBoundary";
        omit_empty tags: Vec<Tag> = "Tags";
    }
}

structure! {
    /// When a role was last used (`RoleLastUsed`).
    RoleLastUsed "RoleLastUsed" {
        opt last_used_date: Timestamp = "LastUsedDate";
        opt region: String = "Region";
    }
}

structure! {
    /// An IAM role (`Role`); the trust policy is percent-encoded on the wire (§1.4).
    Role "Role" {
        req path: String = "Path";
        req role_name: String = "RoleName";
        req role_id: String = "RoleId";
        req arn: String = "Arn";
        req create_date: Timestamp = "CreateDate";
        opt assume_role_policy_document: PolicyDocument = "AssumeRolePolicyDocument";
        opt description: String = "Description";
        opt max_session_duration: i32 = "MaxSessionDuration";
        opt permissions_boundary: AttachedPermissionsBoundary = "PermissionsBoundary";
        omit_empty tags: Vec<Tag> = "Tags";
        opt role_last_used: RoleLastUsed = "RoleLastUsed";
    }
}

structure! {
    /// An IAM group (`Group`).
    Group "Group" {
        req path: String = "Path";
        req group_name: String = "GroupName";
        req group_id: String = "GroupId";
        req arn: String = "Arn";
        req create_date: Timestamp = "CreateDate";
    }
}

structure! {
    /// A new access key with its secret (`AccessKey`, only from `CreateAccessKey`).
    AccessKey "AccessKey" {
        req user_name: String = "UserName";
        req access_key_id: String = "AccessKeyId";
        req status: AccessKeyStatus = "Status";
        req secret_access_key: Sensitive = "SecretAccessKey";
        req create_date: Timestamp = "CreateDate";
    }
}

structure! {
    /// An access key without its secret (`AccessKeyMetadata`).
    AccessKeyMetadata "AccessKeyMetadata" {
        req user_name: String = "UserName";
        req access_key_id: String = "AccessKeyId";
        req status: AccessKeyStatus = "Status";
        req create_date: Timestamp = "CreateDate";
    }
}

structure! {
    /// A managed policy (model shape `Policy`).
    ManagedPolicy "Policy" {
        req policy_name: String = "PolicyName";
        req policy_id: String = "PolicyId";
        req arn: String = "Arn";
        req path: String = "Path";
        req default_version_id: String = "DefaultVersionId";
        req attachment_count: i32 = "AttachmentCount";
        req permissions_boundary_usage_count: i32 = "PermissionsBoundaryUsageCount";
        req is_attachable: bool = "IsAttachable";
        opt description: String = "Description";
        req create_date: Timestamp = "CreateDate";
        req update_date: Timestamp = "UpdateDate";
        omit_empty tags: Vec<Tag> = "Tags";
    }
}

structure! {
    /// A policy attached to a user, group or role (`AttachedPolicy`).
    AttachedPolicy "AttachedPolicy" {
        req policy_name: String = "PolicyName";
        req policy_arn: String = "PolicyArn";
    }
}

structure! {
    /// A version of a managed policy (`PolicyVersion`); `Document` is percent-encoded on the wire (§1.4).
    PolicyVersion "PolicyVersion" {
        opt document: PolicyDocument = "Document";
        req version_id: String = "VersionId";
        req is_default_version: bool = "IsDefaultVersion";
        req create_date: Timestamp = "CreateDate";
    }
}

// ---- Inputs ----
input! {
    /// Input of `CreateUser`.
    CreateUserInput "CreateUserRequest" {
        opt path: String = "Path", Some(&PATH);
        req user_name: String = "UserName", Some(&USER_NAME);
        opt permissions_boundary: String = "PermissionsBoundary", Some(&ARN);
        opt tags: Vec<Tag> = "Tags", Some(&TAG_LIST);
    }
}
input! {
    /// Input of `GetUser` (no user name: the caller).
    GetUserInput "GetUserRequest" {
        opt user_name: String = "UserName", Some(&EXISTING_USER_NAME);
    }
}
input! {
    /// Input of `ListUsers`.
    ListUsersInput "ListUsersRequest" {
        opt path_prefix: String = "PathPrefix", Some(&PATH_PREFIX);
        opt marker: String = "Marker", Some(&MARKER);
        opt max_items: i32 = "MaxItems", Some(&MAX_ITEMS);
    }
}
input! {
    /// Input of `DeleteUser`.
    DeleteUserInput "DeleteUserRequest" {
        req user_name: String = "UserName", Some(&EXISTING_USER_NAME);
    }
}
input! {
    /// Input of `UpdateUser`.
    UpdateUserInput "UpdateUserRequest" {
        req user_name: String = "UserName", Some(&EXISTING_USER_NAME);
        opt new_path: String = "NewPath", Some(&PATH);
        opt new_user_name: String = "NewUserName", Some(&USER_NAME);
    }
}
input! {
    /// Input of `CreateGroup`.
    CreateGroupInput "CreateGroupRequest" {
        opt path: String = "Path", Some(&PATH);
        req group_name: String = "GroupName", Some(&GROUP_NAME);
    }
}
input! {
    /// Input of `GetGroup`.
    GetGroupInput "GetGroupRequest" {
        req group_name: String = "GroupName", Some(&GROUP_NAME);
        opt marker: String = "Marker", Some(&MARKER);
        opt max_items: i32 = "MaxItems", Some(&MAX_ITEMS);
    }
}
input! {
    /// Input of `ListGroups`.
    ListGroupsInput "ListGroupsRequest" {
        opt path_prefix: String = "PathPrefix", Some(&PATH_PREFIX);
        opt marker: String = "Marker", Some(&MARKER);
        opt max_items: i32 = "MaxItems", Some(&MAX_ITEMS);
    }
}
input! {
    /// Input of `DeleteGroup`.
    DeleteGroupInput "DeleteGroupRequest" {
        req group_name: String = "GroupName", Some(&GROUP_NAME);
    }
}
input! {
    /// Input of `AddUserToGroup`.
    AddUserToGroupInput "AddUserToGroupRequest" {
        req group_name: String = "GroupName", Some(&GROUP_NAME);
        req user_name: String = "UserName", Some(&EXISTING_USER_NAME);
    }
}
input! {
    /// Input of `RemoveUserFromGroup`.
    RemoveUserFromGroupInput "RemoveUserFromGroupRequest" {
        req group_name: String = "GroupName", Some(&GROUP_NAME);
        req user_name: String = "UserName", Some(&EXISTING_USER_NAME);
    }
}
input! {
    /// Input of `ListGroupsForUser`.
    ListGroupsForUserInput "ListGroupsForUserRequest" {
        req user_name: String = "UserName", Some(&EXISTING_USER_NAME);
        opt marker: String = "Marker", Some(&MARKER);
        opt max_items: i32 = "MaxItems", Some(&MAX_ITEMS);
    }
}
input! {
    /// Input of `CreateAccessKey` (no user name: the caller).
    CreateAccessKeyInput "CreateAccessKeyRequest" {
        opt user_name: String = "UserName", Some(&EXISTING_USER_NAME);
    }
}
input! {
    /// Input of `ListAccessKeys`.
    ListAccessKeysInput "ListAccessKeysRequest" {
        opt user_name: String = "UserName", Some(&EXISTING_USER_NAME);
        opt marker: String = "Marker", Some(&MARKER);
        opt max_items: i32 = "MaxItems", Some(&MAX_ITEMS);
    }
}
input! {
    /// Input of `UpdateAccessKey`.
    UpdateAccessKeyInput "UpdateAccessKeyRequest" {
        opt user_name: String = "UserName", Some(&EXISTING_USER_NAME);
        req access_key_id: String = "AccessKeyId", Some(&ACCESS_KEY_ID);
        req status: AccessKeyStatus = "Status", Some(&AccessKeyStatus::CONSTRAINT);
    }
}
input! {
    /// Input of `DeleteAccessKey`.
    DeleteAccessKeyInput "DeleteAccessKeyRequest" {
        opt user_name: String = "UserName", Some(&EXISTING_USER_NAME);
        req access_key_id: String = "AccessKeyId", Some(&ACCESS_KEY_ID);
    }
}
input! {
    /// Input of `CreatePolicy`.
    CreatePolicyInput "CreatePolicyRequest" {
        req policy_name: String = "PolicyName", Some(&POLICY_NAME);
        opt path: String = "Path", Some(&POLICY_PATH);
        req policy_document: String = "PolicyDocument", Some(&POLICY_DOCUMENT);
        opt description: String = "Description", Some(&POLICY_DESCRIPTION);
        opt tags: Vec<Tag> = "Tags", Some(&TAG_LIST);
    }
}
input! {
    /// Input of `GetPolicy`.
    GetPolicyInput "GetPolicyRequest" {
        req policy_arn: String = "PolicyArn", Some(&ARN);
    }
}
input! {
    /// Input of `DeletePolicy`.
    DeletePolicyInput "DeletePolicyRequest" {
        req policy_arn: String = "PolicyArn", Some(&ARN);
    }
}
input! {
    /// Input of `ListPolicies`.
    ListPoliciesInput "ListPoliciesRequest" {
        opt scope: PolicyScope = "Scope", Some(&PolicyScope::CONSTRAINT);
        opt only_attached: bool = "OnlyAttached", None;
        opt path_prefix: String = "PathPrefix", Some(&POLICY_PATH);
        opt policy_usage_filter: PolicyUsageType = "PolicyUsageFilter", Some(&PolicyUsageType::CONSTRAINT);
        opt marker: String = "Marker", Some(&MARKER);
        opt max_items: i32 = "MaxItems", Some(&MAX_ITEMS);
    }
}
input! {
    /// Input of `GetPolicyVersion`.
    GetPolicyVersionInput "GetPolicyVersionRequest" {
        req policy_arn: String = "PolicyArn", Some(&ARN);
        req version_id: String = "VersionId", Some(&POLICY_VERSION_ID);
    }
}
input! {
    /// Input of `AttachUserPolicy`.
    AttachUserPolicyInput "AttachUserPolicyRequest" {
        req user_name: String = "UserName", Some(&USER_NAME);
        req policy_arn: String = "PolicyArn", Some(&ARN);
    }
}
input! {
    /// Input of `DetachUserPolicy`.
    DetachUserPolicyInput "DetachUserPolicyRequest" {
        req user_name: String = "UserName", Some(&USER_NAME);
        req policy_arn: String = "PolicyArn", Some(&ARN);
    }
}
input! {
    /// Input of `AttachGroupPolicy`.
    AttachGroupPolicyInput "AttachGroupPolicyRequest" {
        req group_name: String = "GroupName", Some(&GROUP_NAME);
        req policy_arn: String = "PolicyArn", Some(&ARN);
    }
}
input! {
    /// Input of `DetachGroupPolicy`.
    DetachGroupPolicyInput "DetachGroupPolicyRequest" {
        req group_name: String = "GroupName", Some(&GROUP_NAME);
        req policy_arn: String = "PolicyArn", Some(&ARN);
    }
}
input! {
    /// Input of `ListAttachedUserPolicies`.
    ListAttachedUserPoliciesInput "ListAttachedUserPoliciesRequest" {
        req user_name: String = "UserName", Some(&USER_NAME);
        opt path_prefix: String = "PathPrefix", Some(&POLICY_PATH);
        opt marker: String = "Marker", Some(&MARKER);
        opt max_items: i32 = "MaxItems", Some(&MAX_ITEMS);
    }
}
input! {
    /// Input of `ListAttachedGroupPolicies`.
    ListAttachedGroupPoliciesInput "ListAttachedGroupPoliciesRequest" {
        req group_name: String = "GroupName", Some(&GROUP_NAME);
        opt path_prefix: String = "PathPrefix", Some(&POLICY_PATH);
        opt marker: String = "Marker", Some(&MARKER);
        opt max_items: i32 = "MaxItems", Some(&MAX_ITEMS);
    }
}
input! {
    /// Input of `PutUserPolicy`.
    PutUserPolicyInput "PutUserPolicyRequest" {
        req user_name: String = "UserName", Some(&EXISTING_USER_NAME);
        req policy_name: String = "PolicyName", Some(&POLICY_NAME);
        req policy_document: String = "PolicyDocument", Some(&POLICY_DOCUMENT);
    }
}
input! {
    /// Input of `GetUserPolicy`.
    GetUserPolicyInput "GetUserPolicyRequest" {
        req user_name: String = "UserName", Some(&EXISTING_USER_NAME);
        req policy_name: String = "PolicyName", Some(&POLICY_NAME);
    }
}
input! {
    /// Input of `DeleteUserPolicy`.
    DeleteUserPolicyInput "DeleteUserPolicyRequest" {
        req user_name: String = "UserName", Some(&EXISTING_USER_NAME);
        req policy_name: String = "PolicyName", Some(&POLICY_NAME);
    }
}
input! {
    /// Input of `ListUserPolicies`.
    ListUserPoliciesInput "ListUserPoliciesRequest" {
        req user_name: String = "UserName", Some(&EXISTING_USER_NAME);
        opt marker: String = "Marker", Some(&MARKER);
        opt max_items: i32 = "MaxItems", Some(&MAX_ITEMS);
    }
}
input! {
    /// Input of `PutGroupPolicy`.
    PutGroupPolicyInput "PutGroupPolicyRequest" {
        req group_name: String = "GroupName", Some(&GROUP_NAME);
        req policy_name: String = "PolicyName", Some(&POLICY_NAME);
        req policy_document: String = "PolicyDocument", Some(&POLICY_DOCUMENT);
    }
}
input! {
    /// Input of `GetGroupPolicy`.
    GetGroupPolicyInput "GetGroupPolicyRequest" {
        req group_name: String = "GroupName", Some(&GROUP_NAME);
        req policy_name: String = "PolicyName", Some(&POLICY_NAME);
    }
}
input! {
    /// Input of `DeleteGroupPolicy`.
    DeleteGroupPolicyInput "DeleteGroupPolicyRequest" {
        req group_name: String = "GroupName", Some(&GROUP_NAME);
        req policy_name: String = "PolicyName", Some(&POLICY_NAME);
    }
}
input! {
    /// Input of `ListGroupPolicies`.
    ListGroupPoliciesInput "ListGroupPoliciesRequest" {
        req group_name: String = "GroupName", Some(&GROUP_NAME);
        opt marker: String = "Marker", Some(&MARKER);
        opt max_items: i32 = "MaxItems", Some(&MAX_ITEMS);
    }
}
input! {
    /// Input of `TagUser`.
    TagUserInput "TagUserRequest" {
        req user_name: String = "UserName", Some(&EXISTING_USER_NAME);
        req tags: Vec<Tag> = "Tags", Some(&TAG_LIST);
    }
}
input! {
    /// Input of `UntagUser`.
    UntagUserInput "UntagUserRequest" {
        req user_name: String = "UserName", Some(&EXISTING_USER_NAME);
        req tag_keys: Vec<String> = "TagKeys", Some(&TAG_KEY_LIST);
    }
}
input! {
    /// Input of `ListUserTags`.
    ListUserTagsInput "ListUserTagsRequest" {
        req user_name: String = "UserName", Some(&EXISTING_USER_NAME);
        opt marker: String = "Marker", Some(&MARKER);
        opt max_items: i32 = "MaxItems", Some(&MAX_ITEMS);
    }
}
input! {
    /// Input of `CreateRole`.
    CreateRoleInput "CreateRoleRequest" {
        opt path: String = "Path", Some(&PATH);
        req role_name: String = "RoleName", Some(&ROLE_NAME);
        req assume_role_policy_document: String = "AssumeRolePolicyDocument", Some(&POLICY_DOCUMENT);
        opt description: String = "Description", Some(&ROLE_DESCRIPTION);
        opt max_session_duration: i32 = "MaxSessionDuration", Some(&ROLE_MAX_SESSION);
        opt permissions_boundary: String = "PermissionsBoundary", Some(&ARN);
        opt tags: Vec<Tag> = "Tags", Some(&TAG_LIST);
    }
}
input! {
    /// Input of `GetRole`.
    GetRoleInput "GetRoleRequest" {
        req role_name: String = "RoleName", Some(&ROLE_NAME);
    }
}
input! {
    /// Input of `DeleteRole`.
    DeleteRoleInput "DeleteRoleRequest" {
        req role_name: String = "RoleName", Some(&ROLE_NAME);
    }
}
input! {
    /// Input of `ListRoles`.
    ListRolesInput "ListRolesRequest" {
        opt path_prefix: String = "PathPrefix", Some(&PATH_PREFIX);
        opt marker: String = "Marker", Some(&MARKER);
        opt max_items: i32 = "MaxItems", Some(&MAX_ITEMS);
    }
}
input! {
    /// Input of `UpdateAssumeRolePolicy`.
    UpdateAssumeRolePolicyInput "UpdateAssumeRolePolicyRequest" {
        req role_name: String = "RoleName", Some(&ROLE_NAME);
        req policy_document: String = "PolicyDocument", Some(&POLICY_DOCUMENT);
    }
}
input! {
    /// Input of `AttachRolePolicy`.
    AttachRolePolicyInput "AttachRolePolicyRequest" {
        req role_name: String = "RoleName", Some(&ROLE_NAME);
        req policy_arn: String = "PolicyArn", Some(&ARN);
    }
}
input! {
    /// Input of `DetachRolePolicy`.
    DetachRolePolicyInput "DetachRolePolicyRequest" {
        req role_name: String = "RoleName", Some(&ROLE_NAME);
        req policy_arn: String = "PolicyArn", Some(&ARN);
    }
}
input! {
    /// Input of `ListAttachedRolePolicies`.
    ListAttachedRolePoliciesInput "ListAttachedRolePoliciesRequest" {
        req role_name: String = "RoleName", Some(&ROLE_NAME);
        opt path_prefix: String = "PathPrefix", Some(&POLICY_PATH);
        opt marker: String = "Marker", Some(&MARKER);
        opt max_items: i32 = "MaxItems", Some(&MAX_ITEMS);
    }
}
input! {
    /// Input of `PutRolePolicy`.
    PutRolePolicyInput "PutRolePolicyRequest" {
        req role_name: String = "RoleName", Some(&ROLE_NAME);
        req policy_name: String = "PolicyName", Some(&POLICY_NAME);
        req policy_document: String = "PolicyDocument", Some(&POLICY_DOCUMENT);
    }
}
input! {
    /// Input of `GetRolePolicy`.
    GetRolePolicyInput "GetRolePolicyRequest" {
        req role_name: String = "RoleName", Some(&ROLE_NAME);
        req policy_name: String = "PolicyName", Some(&POLICY_NAME);
    }
}
input! {
    /// Input of `DeleteRolePolicy`.
    DeleteRolePolicyInput "DeleteRolePolicyRequest" {
        req role_name: String = "RoleName", Some(&ROLE_NAME);
        req policy_name: String = "PolicyName", Some(&POLICY_NAME);
    }
}
input! {
    /// Input of `ListRolePolicies`.
    ListRolePoliciesInput "ListRolePoliciesRequest" {
        req role_name: String = "RoleName", Some(&ROLE_NAME);
        opt marker: String = "Marker", Some(&MARKER);
        opt max_items: i32 = "MaxItems", Some(&MAX_ITEMS);
    }
}
input! {
    /// Input of `GetAccountSummary` (no members).
    GetAccountSummaryInput "GetAccountSummaryRequest" {}
}

// ---- Outputs ----
structure! {
    /// Output of `CreateUser`.
    CreateUserOutput "CreateUserResponse" { req user: User = "User"; }
}
structure! {
    /// Output of `GetUser`.
    GetUserOutput "GetUserResponse" { req user: User = "User"; }
}
structure! {
    /// Output of `ListUsers`.
    ListUsersOutput "ListUsersResponse" {
        req users: Vec<User> = "Users";
        req is_truncated: bool = "IsTruncated";
        opt marker: String = "Marker";
    }
}
structure! {
    /// Output of `CreateGroup`.
    CreateGroupOutput "CreateGroupResponse" { req group: Group = "Group"; }
}
structure! {
    /// Output of `GetGroup`: the group and (a page of) its users.
    GetGroupOutput "GetGroupResponse" {
        req group: Group = "Group";
        req users: Vec<User> = "Users";
        req is_truncated: bool = "IsTruncated";
        opt marker: String = "Marker";
    }
}
structure! {
    /// Output of `ListGroups`.
    ListGroupsOutput "ListGroupsResponse" {
        req groups: Vec<Group> = "Groups";
        req is_truncated: bool = "IsTruncated";
        opt marker: String = "Marker";
    }
}
structure! {
    /// Output of `ListGroupsForUser`.
    ListGroupsForUserOutput "ListGroupsForUserResponse" {
        req groups: Vec<Group> = "Groups";
        req is_truncated: bool = "IsTruncated";
        opt marker: String = "Marker";
    }
}
structure! {
    /// Output of `CreateAccessKey` (carries the secret).
    CreateAccessKeyOutput "CreateAccessKeyResponse" { req access_key: AccessKey = "AccessKey"; }
}
structure! {
    /// Output of `ListAccessKeys`.
    ListAccessKeysOutput "ListAccessKeysResponse" {
        req access_key_metadata: Vec<AccessKeyMetadata> = "AccessKeyMetadata";
        req is_truncated: bool = "IsTruncated";
        opt marker: String = "Marker";
    }
}
structure! {
    /// Output of `CreatePolicy`.
    CreatePolicyOutput "CreatePolicyResponse" { req policy: ManagedPolicy = "Policy"; }
}
structure! {
    /// Output of `GetPolicy`.
    GetPolicyOutput "GetPolicyResponse" { req policy: ManagedPolicy = "Policy"; }
}
structure! {
    /// Output of `ListPolicies`.
    ListPoliciesOutput "ListPoliciesResponse" {
        req policies: Vec<ManagedPolicy> = "Policies";
        req is_truncated: bool = "IsTruncated";
        opt marker: String = "Marker";
    }
}
structure! {
    /// Output of `GetPolicyVersion` (document percent-encoded on the wire).
    GetPolicyVersionOutput "GetPolicyVersionResponse" { req policy_version: PolicyVersion = "PolicyVersion"; }
}
structure! {
    /// Output of `ListAttachedUserPolicies`.
    ListAttachedUserPoliciesOutput "ListAttachedUserPoliciesResponse" {
        req attached_policies: Vec<AttachedPolicy> = "AttachedPolicies";
        req is_truncated: bool = "IsTruncated";
        opt marker: String = "Marker";
    }
}
structure! {
    /// Output of `ListAttachedGroupPolicies`.
    ListAttachedGroupPoliciesOutput "ListAttachedGroupPoliciesResponse" {
        req attached_policies: Vec<AttachedPolicy> = "AttachedPolicies";
        req is_truncated: bool = "IsTruncated";
        opt marker: String = "Marker";
    }
}
structure! {
    /// Output of `GetUserPolicy` (document percent-encoded on the wire).
    GetUserPolicyOutput "GetUserPolicyResponse" {
        req user_name: String = "UserName";
        req policy_name: String = "PolicyName";
        req policy_document: PolicyDocument = "PolicyDocument";
    }
}
structure! {
    /// Output of `ListUserPolicies`.
    ListUserPoliciesOutput "ListUserPoliciesResponse" {
        req policy_names: Vec<String> = "PolicyNames";
        req is_truncated: bool = "IsTruncated";
        opt marker: String = "Marker";
    }
}
structure! {
    /// Output of `GetGroupPolicy` (document percent-encoded on the wire).
    GetGroupPolicyOutput "GetGroupPolicyResponse" {
        req group_name: String = "GroupName";
        req policy_name: String = "PolicyName";
        req policy_document: PolicyDocument = "PolicyDocument";
    }
}
structure! {
    /// Output of `ListGroupPolicies`.
    ListGroupPoliciesOutput "ListGroupPoliciesResponse" {
        req policy_names: Vec<String> = "PolicyNames";
        req is_truncated: bool = "IsTruncated";
        opt marker: String = "Marker";
    }
}
structure! {
    /// Output of `ListUserTags`.
    ListUserTagsOutput "ListUserTagsResponse" {
        req tags: Vec<Tag> = "Tags";
        req is_truncated: bool = "IsTruncated";
        opt marker: String = "Marker";
    }
}
structure! {
    /// Output of `GetAccountSummary`: `SummaryMap` keys are the model's `summaryKeyType` values (`Users`, `Groups`, …).
    GetAccountSummaryOutput "GetAccountSummaryResponse" {
        req summary_map: BTreeMap<String, i32> = "SummaryMap";
    }
}

structure! {
    /// Output of `CreateRole`.
    CreateRoleOutput "CreateRoleResponse" { req role: Role = "Role"; }
}
structure! {
    /// Output of `GetRole`.
    GetRoleOutput "GetRoleResponse" { req role: Role = "Role"; }
}
structure! {
    /// Output of `ListRoles`.
    ListRolesOutput "ListRolesResponse" {
        req roles: Vec<Role> = "Roles";
        req is_truncated: bool = "IsTruncated";
        opt marker: String = "Marker";
    }
}
structure! {
    /// Output of `ListAttachedRolePolicies`.
    ListAttachedRolePoliciesOutput "ListAttachedRolePoliciesResponse" {
        req attached_policies: Vec<AttachedPolicy> = "AttachedPolicies";
        req is_truncated: bool = "IsTruncated";
        opt marker: String = "Marker";
    }
}
structure! {
    /// Output of `GetRolePolicy` (document percent-encoded on the wire).
    GetRolePolicyOutput "GetRolePolicyResponse" {
        req role_name: String = "RoleName";
        req policy_name: String = "PolicyName";
        req policy_document: PolicyDocument = "PolicyDocument";
    }
}
structure! {
    /// Output of `ListRolePolicies`.
    ListRolePoliciesOutput "ListRolePoliciesResponse" {
        req policy_names: Vec<String> = "PolicyNames";
        req is_truncated: bool = "IsTruncated";
        opt marker: String = "Marker";
    }
}

operations! {
    service: QueryService::Iam;
    with_output {
        CreateUser(CreateUserInput => CreateUserOutput),
        GetUser(GetUserInput => GetUserOutput),
        ListUsers(ListUsersInput => ListUsersOutput),
        CreateGroup(CreateGroupInput => CreateGroupOutput),
        GetGroup(GetGroupInput => GetGroupOutput),
        ListGroups(ListGroupsInput => ListGroupsOutput),
        ListGroupsForUser(ListGroupsForUserInput => ListGroupsForUserOutput),
        CreateAccessKey(CreateAccessKeyInput => CreateAccessKeyOutput),
        ListAccessKeys(ListAccessKeysInput => ListAccessKeysOutput),
        CreatePolicy(CreatePolicyInput => CreatePolicyOutput),
        GetPolicy(GetPolicyInput => GetPolicyOutput),
        ListPolicies(ListPoliciesInput => ListPoliciesOutput),
        GetPolicyVersion(GetPolicyVersionInput => GetPolicyVersionOutput),
        ListAttachedUserPolicies(ListAttachedUserPoliciesInput => ListAttachedUserPoliciesOutput),
        ListAttachedGroupPolicies(ListAttachedGroupPoliciesInput => ListAttachedGroupPoliciesOutput),
        GetUserPolicy(GetUserPolicyInput => GetUserPolicyOutput),
        ListUserPolicies(ListUserPoliciesInput => ListUserPoliciesOutput),
        GetGroupPolicy(GetGroupPolicyInput => GetGroupPolicyOutput),
        ListGroupPolicies(ListGroupPoliciesInput => ListGroupPoliciesOutput),
        ListUserTags(ListUserTagsInput => ListUserTagsOutput),
        GetAccountSummary(GetAccountSummaryInput => GetAccountSummaryOutput),
        CreateRole(CreateRoleInput => CreateRoleOutput),
        GetRole(GetRoleInput => GetRoleOutput),
        ListRoles(ListRolesInput => ListRolesOutput),
        ListAttachedRolePolicies(ListAttachedRolePoliciesInput => ListAttachedRolePoliciesOutput),
        GetRolePolicy(GetRolePolicyInput => GetRolePolicyOutput),
        ListRolePolicies(ListRolePoliciesInput => ListRolePoliciesOutput),
    }
    without_output {
        DeleteUser(DeleteUserInput),
        UpdateUser(UpdateUserInput),
        DeleteGroup(DeleteGroupInput),
        AddUserToGroup(AddUserToGroupInput),
        RemoveUserFromGroup(RemoveUserFromGroupInput),
        UpdateAccessKey(UpdateAccessKeyInput),
        DeleteAccessKey(DeleteAccessKeyInput),
        DeletePolicy(DeletePolicyInput),
        AttachUserPolicy(AttachUserPolicyInput),
        DetachUserPolicy(DetachUserPolicyInput),
        AttachGroupPolicy(AttachGroupPolicyInput),
        DetachGroupPolicy(DetachGroupPolicyInput),
        PutUserPolicy(PutUserPolicyInput),
        DeleteUserPolicy(DeleteUserPolicyInput),
        PutGroupPolicy(PutGroupPolicyInput),
        DeleteGroupPolicy(DeleteGroupPolicyInput),
        TagUser(TagUserInput),
        UntagUser(UntagUserInput),
        DeleteRole(DeleteRoleInput),
        UpdateAssumeRolePolicy(UpdateAssumeRolePolicyInput),
        AttachRolePolicy(AttachRolePolicyInput),
        DetachRolePolicy(DetachRolePolicyInput),
        PutRolePolicy(PutRolePolicyInput),
        DeleteRolePolicy(DeleteRolePolicyInput),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;
    use crate::query::QueryParams;

    const NS: &str = "https://iam.amazonaws.com/doc/2010-05-08/";

    fn decode(body: &str) -> Result<Operation, crate::WireError> {
        let params = QueryParams::parse(body.as_bytes()).unwrap();
        Operation::decode(params.get("Action").unwrap(), &params)
    }

    fn alice() -> User {
        User {
            path: "/eng/".into(),
            user_name: "alice".into(),
            user_id: "AIDAJQABLZS4A3QDU576Q".into(),
            arn: "arn:aws:iam::123456789012:user/eng/alice".into(),
            create_date: Timestamp(1_714_566_896),
            tags: vec![Tag {
                key: "team".into(),
                value: "blue".into(),
            }],
            ..User::default()
        }
    }

    fn body(r: &crate::WireResponse) -> String {
        String::from_utf8(r.body.clone()).unwrap()
    }

    #[test]
    fn create_user_decodes_captured_body() {
        let op = decode(
            "Action=CreateUser&Version=2010-05-08&Path=%2Feng%2F&UserName=alice\
             &Tags.member.1.Key=team&Tags.member.1.Value=blue&Tags.member.2.Key=cost&Tags.member.2.Value=a+b%2Bc",
        )
        .unwrap();
        assert_eq!(
            op,
            Operation::CreateUser(CreateUserInput {
                path: Some("/eng/".into()),
                user_name: "alice".into(),
                permissions_boundary: None,
                tags: Some(vec![
                    Tag {
                        key: "team".into(),
                        value: "blue".into()
                    },
                    Tag {
                        key: "cost".into(),
                        value: "a b+c".into()
                    },
                ]),
            })
        );
    }

    #[test]
    fn tag_value_outside_model_pattern_is_rejected() {
        // The captured `a+b%26c` ("a b&c") is what the CLI sends; the model pattern forbids `&`.
        let e = decode("Action=TagUser&Version=2010-05-08&UserName=a&Tags.member.1.Key=k&Tags.member.1.Value=a+b%26c")
            .unwrap_err();
        assert!(e.message.contains("at 'tags.1.member.value' failed to satisfy constraint: Member must satisfy regular expression pattern"));
    }

    #[test]
    fn create_user_xml_is_exact() {
        let r = Output::from(CreateUserOutput { user: alice() })
            .encode("CreateUser", "7a62c49f-347e-4fc4-9331-6e8eEXAMPLE");
        assert_eq!(r.status, 200);
        assert_eq!(
            r.header("x-amzn-RequestId"),
            Some("7a62c49f-347e-4fc4-9331-6e8eEXAMPLE")
        );
        assert_eq!(
            body(&r),
            format!(
                "<CreateUserResponse xmlns=\"{NS}\"><CreateUserResult><User><Path>/eng/</Path><UserName>alice</UserName>\
                 <UserId>AIDAJQABLZS4A3QDU576Q</UserId><Arn>arn:aws:iam::123456789012:user/eng/alice</Arn>\
                 <CreateDate>2024-05-01T12:34:56Z</CreateDate><Tags><member><Key>team</Key><Value>blue</Value></member></Tags>\
                 </User></CreateUserResult><ResponseMetadata><RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId>\
                 </ResponseMetadata></CreateUserResponse>"
            )
        );
    }

    #[test]
    fn list_users_truncated_xml_is_exact() {
        let mut bob = alice();
        bob.user_name = "bob".into();
        bob.path = "/".into();
        bob.arn = "arn:aws:iam::123456789012:user/bob".into();
        bob.tags.clear();
        bob.password_last_used = Some(Timestamp(1_714_600_000));
        bob.permissions_boundary = Some(AttachedPermissionsBoundary {
            permissions_boundary_type: PermissionsBoundaryAttachmentType::PermissionsBoundaryPolicy,
            permissions_boundary_arn: "arn:aws:iam::aws:policy/PowerUserAccess".into(),
        });
        let out = ListUsersOutput {
            users: vec![bob],
            is_truncated: true,
            marker: Some("m&1".into()),
        };
        assert_eq!(
            body(&Output::ListUsers(out).encode("ListUsers", "r")),
            format!(
                "<ListUsersResponse xmlns=\"{NS}\"><ListUsersResult><Users><member><Path>/</Path><UserName>bob</UserName>\
                 <UserId>AIDAJQABLZS4A3QDU576Q</UserId><Arn>arn:aws:iam::123456789012:user/bob</Arn>\
                 <CreateDate>2024-05-01T12:34:56Z</CreateDate><PasswordLastUsed>2024-05-01T21:46:40Z</PasswordLastUsed>\
                 <PermissionsBoundary><PermissionsBoundaryType>PermissionsBoundaryPolicy</PermissionsBoundaryType>\
                 <PermissionsBoundaryArn>arn:aws:iam::aws:policy/PowerUserAccess</PermissionsBoundaryArn></PermissionsBoundary>\
                 </member></Users><IsTruncated>true</IsTruncated><Marker>m&amp;1</Marker></ListUsersResult>\
                 <ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></ListUsersResponse>"
            )
        );
    }

    #[test]
    fn empty_list_and_untruncated_page() {
        let out = ListUsersOutput {
            users: vec![],
            is_truncated: false,
            marker: None,
        };
        assert_eq!(
            body(&Output::ListUsers(out).encode("ListUsers", "r")),
            format!(
                "<ListUsersResponse xmlns=\"{NS}\"><ListUsersResult><Users/><IsTruncated>false</IsTruncated></ListUsersResult>\
                 <ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></ListUsersResponse>"
            )
        );
    }

    #[test]
    fn no_output_operation_has_no_result() {
        let op = decode("Action=DeleteUser&Version=2010-05-08&UserName=bob").unwrap();
        assert!(!op.has_output());
        assert_eq!(
            body(&Output::Empty.encode(op.name(), "r")),
            format!(
                "<DeleteUserResponse xmlns=\"{NS}\"><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DeleteUserResponse>"
            )
        );
    }

    #[test]
    fn access_key_secret_is_on_wire_but_not_in_debug() {
        let key = AccessKey {
            user_name: "alice".into(),
            access_key_id: "AKIAIOSFODNN7EXAMPLE".into(),
            status: AccessKeyStatus::Active,
            secret_access_key: Sensitive::new("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".into()),
            create_date: Timestamp(0),
        };
        assert!(!format!("{key:?}").contains("wJalr"));
        let xml = body(
            &Output::from(CreateAccessKeyOutput { access_key: key }).encode("CreateAccessKey", "r"),
        );
        assert!(xml.contains(
            "<AccessKey><UserName>alice</UserName><AccessKeyId>AKIAIOSFODNN7EXAMPLE</AccessKeyId><Status>Active</Status>\
             <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY</SecretAccessKey><CreateDate>1970-01-01T00:00:00Z</CreateDate></AccessKey>"
        ));
    }

    #[test]
    fn policy_documents_are_percent_encoded() {
        let out = GetUserPolicyOutput {
            user_name: "alice".into(),
            policy_name: "p1".into(),
            policy_document: PolicyDocument("{\"Version\": \"2012-10-17\"}".into()),
        };
        let xml = body(&Output::from(out).encode("GetUserPolicy", "r"));
        assert!(xml.contains(
            "<PolicyDocument>%7B%22Version%22%3A%20%222012-10-17%22%7D</PolicyDocument>"
        ));
    }

    #[test]
    fn role_trust_policy_is_percent_encoded() {
        let role = Role {
            path: "/".into(),
            role_name: "Admin".into(),
            role_id: "AROAJQABLZS4A3QDU576Q".into(),
            arn: "arn:aws:iam::123456789012:role/Admin".into(),
            create_date: Timestamp(0),
            assume_role_policy_document: Some(PolicyDocument("{\"a\": 1}".into())),
            max_session_duration: Some(3600),
            ..Role::default()
        };
        let xml = body(&Output::from(GetRoleOutput { role }).encode("GetRole", "r"));
        assert!(xml.contains(
            "<CreateDate>1970-01-01T00:00:00Z</CreateDate><AssumeRolePolicyDocument>%7B%22a%22%3A%201%7D</AssumeRolePolicyDocument>\
             <MaxSessionDuration>3600</MaxSessionDuration></Role>"
        ));
    }

    #[test]
    fn summary_map_is_entry_key_value() {
        let mut m = BTreeMap::new();
        m.insert("Users".to_owned(), 3);
        m.insert("Groups".to_owned(), 0);
        let xml = body(
            &Output::from(GetAccountSummaryOutput { summary_map: m })
                .encode("GetAccountSummary", "r"),
        );
        assert!(xml.contains(
            "<GetAccountSummaryResult><SummaryMap><entry><key>Groups</key><value>0</value></entry>\
             <entry><key>Users</key><value>3</value></entry></SummaryMap></GetAccountSummaryResult>"
        ));
    }

    #[test]
    fn missing_required_member_is_not_null_violation() {
        let e = decode("Action=CreateUser&Version=2010-05-08").unwrap_err();
        assert_eq!(e.code, ErrorCode::ValidationError);
        assert_eq!(
            e.message,
            "1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null"
        );
    }

    #[test]
    fn name_pattern_uses_iam_wording() {
        let e = decode("Action=CreateUser&Version=2010-05-08&UserName=a+b").unwrap_err();
        assert_eq!(
            e.message,
            "The specified value for userName is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_-"
        );
    }

    #[test]
    fn length_and_range_violations_are_aggregated() {
        let long = "a".repeat(65);
        let e = decode(&format!(
            "Action=CreateUser&Version=2010-05-08&UserName={long}&Path=eng"
        ))
        .unwrap_err();
        assert_eq!(
            e.message,
            format!(
                "2 validation errors detected: Value 'eng' at 'path' failed to satisfy constraint: Member must satisfy \
                 regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F); Value '{long}' at 'userName' \
                 failed to satisfy constraint: Member must have length less than or equal to 64"
            )
        );
        let e = decode("Action=ListUsers&Version=2010-05-08&MaxItems=0").unwrap_err();
        assert_eq!(
            e.message,
            "1 validation error detected: Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1"
        );
        let e = decode("Action=ListUsers&Version=2010-05-08&MaxItems=ten").unwrap_err();
        assert_eq!(e.code, ErrorCode::ValidationError);
    }

    #[test]
    fn enum_violation_lists_values() {
        let e = decode(
            "Action=UpdateAccessKey&Version=2010-05-08&AccessKeyId=AKIAIOSFODNN7EXAMPLE&Status=On",
        )
        .unwrap_err();
        assert_eq!(
            e.message,
            "1 validation error detected: Value 'On' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive, Expired]"
        );
        let op = decode("Action=UpdateAccessKey&Version=2010-05-08&AccessKeyId=AKIAIOSFODNN7EXAMPLE&Status=Inactive").unwrap();
        assert!(matches!(
            op,
            Operation::UpdateAccessKey(UpdateAccessKeyInput {
                status: AccessKeyStatus::Inactive,
                ..
            })
        ));
    }

    #[test]
    fn tag_element_violations_name_the_element() {
        let e =
            decode("Action=TagUser&Version=2010-05-08&UserName=a&Tags.member.1.Key=k").unwrap_err();
        assert_eq!(
            e.message,
            "1 validation error detected: Value null at 'tags.1.member.value' failed to satisfy constraint: Member must not be null"
        );
        let mut body = "Action=UntagUser&Version=2010-05-08&UserName=a".to_owned();
        for i in 1..=51 {
            body.push_str(&format!("&TagKeys.member.{i}=k{i}"));
        }
        let e = decode(&body).unwrap_err();
        assert!(e.message.ends_with("at 'tagKeys' failed to satisfy constraint: Member must have length less than or equal to 50"), "{}", e.message);
    }

    #[test]
    fn empty_list_and_required_list() {
        let op = decode("Action=TagUser&Version=2010-05-08&UserName=a&Tags=").unwrap();
        assert_eq!(
            op,
            Operation::TagUser(TagUserInput {
                user_name: "a".into(),
                tags: vec![]
            })
        );
        let e = decode("Action=TagUser&Version=2010-05-08&UserName=a").unwrap_err();
        assert!(e.message.contains("Value null at 'tags'"));
    }

    #[test]
    fn unknown_action_is_invalid_action() {
        let e = decode("Action=CreateUsers&Version=2010-05-08").unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidAction);
        assert_eq!(
            e.message,
            "Could not find operation CreateUsers for version 2010-05-08"
        );
    }

    #[test]
    fn list_policies_decodes_enums_and_bool() {
        let op =
            decode("Action=ListPolicies&Version=2010-05-08&Scope=AWS&OnlyAttached=true&MaxItems=5")
                .unwrap();
        let Operation::ListPolicies(i) = op else {
            panic!()
        };
        assert_eq!(i.scope, Some(PolicyScope::Aws));
        assert_eq!(i.only_attached, Some(true));
        assert_eq!(i.max_items, Some(5));
    }

    #[test]
    fn served_operations_are_unique() {
        let mut names: Vec<_> = SERVED_OPERATIONS.iter().map(|o| o.name).collect();
        let n = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(n, names.len());
        assert_eq!(n, 51);
    }
}
