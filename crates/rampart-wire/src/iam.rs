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
use crate::xml::{Blob, PolicyDocument, Sensitive, XmlMembers, XmlValue, XmlWriter};

mod access_advisor;
pub use access_advisor::*;
mod delegation;
pub use delegation::{
    AcceptDelegationRequestInput, AssociateDelegationRequestInput, CreateDelegationRequestInput,
    CreateDelegationRequestOutput, DelegationPermission, DelegationRequest, DelegationState,
    DisableOutboundWebIdentityFederationInput, EnableOutboundWebIdentityFederationInput,
    EnableOutboundWebIdentityFederationOutput, GetDelegationRequestInput,
    GetDelegationRequestOutput, GetOutboundWebIdentityFederationInfoInput,
    GetOutboundWebIdentityFederationInfoOutput, ListDelegationRequestsInput,
    ListDelegationRequestsOutput, PermissionCheckResult, PermissionCheckStatus, PolicyParameter,
    PolicyParameterType, RejectDelegationRequestInput, SendDelegationTokenInput,
    UpdateDelegationRequestInput,
};

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
const PASSWORD: Constraint = Constraint::new("passwordType")
    .len(1, 128)
    .pattern(Pattern::PolicyDocument);
const MIN_PASSWORD_LENGTH: Constraint = Constraint::new("minimumPasswordLengthType").len(6, 128);
const MAX_PASSWORD_AGE: Constraint = Constraint::new("maxPasswordAgeType").len(1, 1095);
const PASSWORD_REUSE: Constraint = Constraint::new("passwordReusePreventionType").len(1, 24);
const ACCOUNT_ALIAS: Constraint = Constraint::new("accountAliasType")
    .len(3, 63)
    .pattern(Pattern::AccountAlias);
const VIRTUAL_MFA_NAME: Constraint = Constraint::new("virtualMFADeviceName")
    .min(1)
    .pattern(Pattern::Name);
const SERIAL_NUMBER: Constraint = Constraint::new("serialNumberType")
    .len(9, 256)
    .pattern(Pattern::IamSerialNumber);
const AUTHENTICATION_CODE: Constraint = Constraint::new("authenticationCodeType")
    .len(6, 6)
    .pattern(Pattern::AuthenticationCode);
const SIMULATION_POLICY_LIST: Constraint =
    Constraint::new("SimulationPolicyListType").item(&POLICY_DOCUMENT);
const ACTION_NAME: Constraint = Constraint::new("ActionNameType").len(3, 128);
const ACTION_NAME_LIST: Constraint = Constraint::new("ActionNameListType").item(&ACTION_NAME);
const RESOURCE_NAME: Constraint = Constraint::new("ResourceNameType").len(1, 2048);
const RESOURCE_NAME_LIST: Constraint = Constraint::new("ResourceNameListType").item(&RESOURCE_NAME);
const CONTEXT_KEY_NAME: Constraint = Constraint::new("ContextKeyNameType").len(5, 256);
const RESOURCE_HANDLING_OPTION: Constraint =
    Constraint::new("ResourceHandlingOptionType").len(1, 64);
const ENTITY_LIST: Constraint = Constraint::new("entityListType").item(&EntityType::CONSTRAINT);
const INSTANCE_PROFILE_NAME: Constraint = Constraint::new("instanceProfileNameType")
    .len(1, 128)
    .pattern(Pattern::Name);
const CUSTOM_SUFFIX: Constraint = Constraint::new("customSuffixType")
    .len(1, 64)
    .pattern(Pattern::Name);
const DELETION_TASK_ID: Constraint = Constraint::new("DeletionTaskIdType").len(1, 1000);
const CERTIFICATE_BODY: Constraint = Constraint::new("certificateBodyType")
    .len(1, 16_384)
    .pattern(Pattern::PolicyDocument);
const CERTIFICATE_ID: Constraint = Constraint::new("certificateIdType")
    .len(24, 128)
    .pattern(Pattern::Word);
const PUBLIC_KEY_MATERIAL: Constraint = Constraint::new("publicKeyMaterialType")
    .len(1, 16_384)
    .pattern(Pattern::PolicyDocument);
const PUBLIC_KEY_ID: Constraint = Constraint::new("publicKeyIdType")
    .len(20, 128)
    .pattern(Pattern::Word);
const OIDC_URL: Constraint = Constraint::new("OpenIDConnectProviderUrlType").len(1, 255);
const CLIENT_ID: Constraint = Constraint::new("clientIDType").len(1, 255);
const CLIENT_ID_LIST: Constraint = Constraint::new("clientIDListType").item(&CLIENT_ID);
const THUMBPRINT: Constraint = Constraint::new("thumbprintType").len(40, 40);
const SAML_METADATA: Constraint = Constraint::new("SAMLMetadataDocumentType").len(1000, 10_000_000);
const SAML_PROVIDER_NAME: Constraint = Constraint::new("SAMLProviderNameType")
    .len(1, 128)
    .pattern(Pattern::SamlProviderName);
const THUMBPRINT_LIST: Constraint = Constraint::new("thumbprintListType").item(&THUMBPRINT);
const SERVER_CERTIFICATE_NAME: Constraint = Constraint::new("serverCertificateNameType")
    .len(1, 128)
    .pattern(Pattern::Name);
const PRIVATE_KEY: Constraint = Constraint::new("privateKeyType")
    .len(1, 16_384)
    .pattern(Pattern::PolicyDocument);
const CERTIFICATE_CHAIN: Constraint = Constraint::new("certificateChainType")
    .len(1, 2_097_152)
    .pattern(Pattern::PolicyDocument);
const SERVICE_SPECIFIC_CREDENTIAL_ID: Constraint = Constraint::new("serviceSpecificCredentialId")
    .len(20, 128)
    .pattern(Pattern::Word);

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
/// What AWS sends as a boundary's `PermissionsBoundaryType`: `Policy`, although the model's
/// `PermissionsBoundaryAttachmentType` enum names `PermissionsBoundaryPolicy` (which is
/// why the member is a plain string here).
pub const PERMISSIONS_BOUNDARY_TYPE: &str = "Policy";

wire_enum! {
    /// Kind of entity (`EntityType`): `ListEntitiesForPolicy` filter, `GetAccountAuthorizationDetails` filter.
    EntityType "EntityType" {
        User = "User", Role = "Role", Group = "Group",
        LocalManagedPolicy = "LocalManagedPolicy", AwsManagedPolicy = "AWSManagedPolicy",
    }
}
wire_enum! {
    /// `ListVirtualMFADevices` filter (`assignmentStatusType`).
    AssignmentStatus "assignmentStatusType" { Assigned = "Assigned", Unassigned = "Unassigned", Any = "Any" }
}
wire_enum! {
    /// Type of a simulation context value (`ContextKeyTypeEnum`).
    ContextKeyType "ContextKeyTypeEnum" {
        String = "string", StringList = "stringList", Numeric = "numeric", NumericList = "numericList",
        Boolean = "boolean", BooleanList = "booleanList", Ip = "ip", IpList = "ipList",
        Binary = "binary", BinaryList = "binaryList", Date = "date", DateList = "dateList",
    }
}
wire_enum! {
    /// A simulated decision (`PolicyEvaluationDecisionType`).
    PolicyEvaluationDecision "PolicyEvaluationDecisionType" {
        Allowed = "allowed", ExplicitDeny = "explicitDeny", ImplicitDeny = "implicitDeny",
    }
}
wire_enum! {
    /// Where a matched statement comes from (`PolicySourceType`); `NoSource` is `none`.
    PolicySourceType "PolicySourceType" {
        User = "user", Group = "group", Role = "role", AwsManaged = "aws-managed",
        UserManaged = "user-managed", Resource = "resource", NoSource = "none",
    }
}
wire_enum! {
    /// Credential report generation state (`ReportStateType`).
    ReportState "ReportStateType" { Started = "STARTED", InProgress = "INPROGRESS", Complete = "COMPLETE" }
}
wire_enum! {
    /// Credential report format (`ReportFormatType`).
    ReportFormat "ReportFormatType" { TextCsv = "text/csv" }
}
wire_enum! {
    /// Service-linked role deletion status (`DeletionTaskStatusType`).
    DeletionTaskStatus "DeletionTaskStatusType" {
        Succeeded = "SUCCEEDED", InProgress = "IN_PROGRESS", Failed = "FAILED", NotStarted = "NOT_STARTED",
    }
}

wire_enum! {
    /// `GetSSHPublicKey` output encoding (`encodingType`).
    SshKeyEncoding "encodingType" { Ssh = "SSH", Pem = "PEM" }
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
        req permissions_boundary_type: String = "PermissionsBoundaryType";
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
        // `GetPolicy` always sends the list (`<Tags/>` when empty), `CreatePolicy` only
        // when tags were given, `ListPolicies` never.
        opt tags: Vec<Tag> = "Tags";
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

// ---- Data types of the extended operations ----
structure! {
    /// A group a managed policy is attached to (`PolicyGroup`).
    PolicyGroup "PolicyGroup" {
        req group_name: String = "GroupName";
        req group_id: String = "GroupId";
    }
}
structure! {
    /// A user a managed policy is attached to (`PolicyUser`).
    PolicyUser "PolicyUser" {
        req user_name: String = "UserName";
        req user_id: String = "UserId";
    }
}
structure! {
    /// A role a managed policy is attached to (`PolicyRole`).
    PolicyRole "PolicyRole" {
        req role_name: String = "RoleName";
        req role_id: String = "RoleId";
    }
}
structure! {
    /// A user's console password record (`LoginProfile`); never carries the password.
    LoginProfile "LoginProfile" {
        req user_name: String = "UserName";
        req create_date: Timestamp = "CreateDate";
        opt password_reset_required: bool = "PasswordResetRequired";
    }
}
structure! {
    /// The account password policy (`PasswordPolicy`). AWS always sends the seven
    /// flags and the minimum length; the age, reuse and hard-expiry settings only when set.
    PasswordPolicy "PasswordPolicy" {
        req minimum_password_length: i32 = "MinimumPasswordLength";
        req require_symbols: bool = "RequireSymbols";
        req require_numbers: bool = "RequireNumbers";
        req require_uppercase_characters: bool = "RequireUppercaseCharacters";
        req require_lowercase_characters: bool = "RequireLowercaseCharacters";
        req allow_users_to_change_password: bool = "AllowUsersToChangePassword";
        req expire_passwords: bool = "ExpirePasswords";
        opt max_password_age: i32 = "MaxPasswordAge";
        opt password_reuse_prevention: i32 = "PasswordReusePrevention";
        opt hard_expiry: bool = "HardExpiry";
    }
}
structure! {
    /// When and where an access key was last used (`AccessKeyLastUsed`); AWS sends
    /// `ServiceName` and `Region` as `N/A` for a key never used.
    AccessKeyLastUsed "AccessKeyLastUsed" {
        opt last_used_date: Timestamp = "LastUsedDate";
        req service_name: String = "ServiceName";
        req region: String = "Region";
    }
}
structure! {
    /// A virtual MFA device (`VirtualMFADevice`). The seed and QR code are sent
    /// only by `CreateVirtualMFADevice` (base64 blobs on the wire).
    VirtualMfaDevice "VirtualMFADevice" {
        req serial_number: String = "SerialNumber";
        opt base32_string_seed: Blob = "Base32StringSeed";
        opt qr_code_png: Blob = "QRCodePNG";
        opt user: User = "User";
        opt enable_date: Timestamp = "EnableDate";
        omit_empty tags: Vec<Tag> = "Tags";
    }
}
structure! {
    /// An MFA device enabled for a user (`MFADevice`).
    MfaDevice "MFADevice" {
        req user_name: String = "UserName";
        req serial_number: String = "SerialNumber";
        req enable_date: Timestamp = "EnableDate";
    }
}
input! {
    /// A simulation context value (`ContextEntry`): `ContextEntries.member.N.ContextKeyName`, …
    ContextEntry "ContextEntry" {
        opt context_key_name: String = "ContextKeyName", Some(&CONTEXT_KEY_NAME);
        opt context_key_values: Vec<String> = "ContextKeyValues", None;
        opt context_key_type: ContextKeyType = "ContextKeyType", Some(&ContextKeyType::CONSTRAINT);
    }
}
structure! {
    /// A position in a policy document (`Position`), 1-based.
    Position "Position" {
        req line: i32 = "Line";
        req column: i32 = "Column";
    }
}
structure! {
    /// A statement that decided a simulation (`Statement`).
    Statement "Statement" {
        opt source_policy_id: String = "SourcePolicyId";
        opt source_policy_type: PolicySourceType = "SourcePolicyType";
        opt start_position: Position = "StartPosition";
        opt end_position: Position = "EndPosition";
    }
}
structure! {
    /// Whether SCPs allowed the simulated request (`OrganizationsDecisionDetail`).
    OrganizationsDecisionDetail "OrganizationsDecisionDetail" {
        req allowed_by_organizations: bool = "AllowedByOrganizations";
    }
}
structure! {
    /// Whether the permissions boundary allowed the simulated request (`PermissionsBoundaryDecisionDetail`).
    PermissionsBoundaryDecisionDetail "PermissionsBoundaryDecisionDetail" {
        req allowed_by_permissions_boundary: bool = "AllowedByPermissionsBoundary";
    }
}
structure! {
    /// The decision for one resource of a simulated action (`ResourceSpecificResult`).
    ResourceSpecificResult "ResourceSpecificResult" {
        req eval_resource_name: String = "EvalResourceName";
        req eval_resource_decision: PolicyEvaluationDecision = "EvalResourceDecision";
        req matched_statements: Vec<Statement> = "MatchedStatements";
        req missing_context_values: Vec<String> = "MissingContextValues";
        omit_empty eval_decision_details: BTreeMap<String, PolicyEvaluationDecision> = "EvalDecisionDetails";
        opt permissions_boundary_decision_detail: PermissionsBoundaryDecisionDetail = "PermissionsBoundaryDecisionDetail";
    }
}
structure! {
    /// The decision for one simulated action (`EvaluationResult`).
    EvaluationResult "EvaluationResult" {
        req eval_action_name: String = "EvalActionName";
        opt eval_resource_name: String = "EvalResourceName";
        req eval_decision: PolicyEvaluationDecision = "EvalDecision";
        req matched_statements: Vec<Statement> = "MatchedStatements";
        req missing_context_values: Vec<String> = "MissingContextValues";
        opt organizations_decision_detail: OrganizationsDecisionDetail = "OrganizationsDecisionDetail";
        opt permissions_boundary_decision_detail: PermissionsBoundaryDecisionDetail = "PermissionsBoundaryDecisionDetail";
        omit_empty eval_decision_details: BTreeMap<String, PolicyEvaluationDecision> = "EvalDecisionDetails";
        omit_empty resource_specific_results: Vec<ResourceSpecificResult> = "ResourceSpecificResults";
    }
}
structure! {
    /// An inline policy in `GetAccountAuthorizationDetails` (`PolicyDetail`); document percent-encoded.
    PolicyDetail "PolicyDetail" {
        req policy_name: String = "PolicyName";
        req policy_document: PolicyDocument = "PolicyDocument";
    }
}
structure! {
    /// An instance profile (`InstanceProfile`); role trust policies percent-encoded.
    InstanceProfile "InstanceProfile" {
        req path: String = "Path";
        req instance_profile_name: String = "InstanceProfileName";
        req instance_profile_id: String = "InstanceProfileId";
        req arn: String = "Arn";
        req create_date: Timestamp = "CreateDate";
        req roles: Vec<Role> = "Roles";
        // `GetInstanceProfile` sends `<Tags/>` when there are none; the others omit it.
        opt tags: Vec<Tag> = "Tags";
    }
}
structure! {
    /// A user in `GetAccountAuthorizationDetails` (`UserDetail`).
    UserDetail "UserDetail" {
        req path: String = "Path";
        req user_name: String = "UserName";
        req user_id: String = "UserId";
        req arn: String = "Arn";
        req create_date: Timestamp = "CreateDate";
        req user_policy_list: Vec<PolicyDetail> = "UserPolicyList";
        req group_list: Vec<String> = "GroupList";
        req attached_managed_policies: Vec<AttachedPolicy> = "AttachedManagedPolicies";
        opt permissions_boundary: AttachedPermissionsBoundary = "PermissionsBoundary";
        omit_empty tags: Vec<Tag> = "Tags";
    }
}
structure! {
    /// A group in `GetAccountAuthorizationDetails` (`GroupDetail`).
    GroupDetail "GroupDetail" {
        req path: String = "Path";
        req group_name: String = "GroupName";
        req group_id: String = "GroupId";
        req arn: String = "Arn";
        req create_date: Timestamp = "CreateDate";
        req group_policy_list: Vec<PolicyDetail> = "GroupPolicyList";
        req attached_managed_policies: Vec<AttachedPolicy> = "AttachedManagedPolicies";
    }
}
structure! {
    /// A role in `GetAccountAuthorizationDetails` (`RoleDetail`).
    RoleDetail "RoleDetail" {
        req path: String = "Path";
        req role_name: String = "RoleName";
        req role_id: String = "RoleId";
        req arn: String = "Arn";
        req create_date: Timestamp = "CreateDate";
        opt assume_role_policy_document: PolicyDocument = "AssumeRolePolicyDocument";
        req instance_profile_list: Vec<InstanceProfile> = "InstanceProfileList";
        req role_policy_list: Vec<PolicyDetail> = "RolePolicyList";
        req attached_managed_policies: Vec<AttachedPolicy> = "AttachedManagedPolicies";
        opt permissions_boundary: AttachedPermissionsBoundary = "PermissionsBoundary";
        omit_empty tags: Vec<Tag> = "Tags";
        opt role_last_used: RoleLastUsed = "RoleLastUsed";
    }
}
structure! {
    /// A managed policy with all its versions (`ManagedPolicyDetail`).
    ManagedPolicyDetail "ManagedPolicyDetail" {
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
        req policy_version_list: Vec<PolicyVersion> = "PolicyVersionList";
    }
}
structure! {
    /// Where a service-linked role is still used (`RoleUsageType`).
    RoleUsage "RoleUsageType" {
        opt region: String = "Region";
        req resources: Vec<String> = "Resources";
    }
}
structure! {
    /// Why a service-linked role deletion failed (`DeletionTaskFailureReasonType`).
    DeletionTaskFailureReason "DeletionTaskFailureReasonType" {
        opt reason: String = "Reason";
        req role_usage_list: Vec<RoleUsage> = "RoleUsageList";
    }
}

structure! {
    /// An X.509 signing certificate of a user (`SigningCertificate`).
    SigningCertificate "SigningCertificate" {
        req user_name: String = "UserName";
        req certificate_id: String = "CertificateId";
        req certificate_body: String = "CertificateBody";
        req status: AccessKeyStatus = "Status";
        opt upload_date: Timestamp = "UploadDate";
    }
}
structure! {
    /// An SSH public key of a user, with its body (`SSHPublicKey`).
    SshPublicKey "SSHPublicKey" {
        req user_name: String = "UserName";
        req ssh_public_key_id: String = "SSHPublicKeyId";
        req fingerprint: String = "Fingerprint";
        req ssh_public_key_body: String = "SSHPublicKeyBody";
        req status: AccessKeyStatus = "Status";
        opt upload_date: Timestamp = "UploadDate";
    }
}
structure! {
    /// An SSH public key without its body (`SSHPublicKeyMetadata`).
    SshPublicKeyMetadata "SSHPublicKeyMetadata" {
        req user_name: String = "UserName";
        req ssh_public_key_id: String = "SSHPublicKeyId";
        req status: AccessKeyStatus = "Status";
        req upload_date: Timestamp = "UploadDate";
    }
}
structure! {
    /// One OIDC provider in `ListOpenIDConnectProviders` (`OpenIDConnectProviderListEntry`).
    OpenIdConnectProviderListEntry "OpenIDConnectProviderListEntry" {
        opt arn: String = "Arn";
    }
}

structure! {
    /// One SAML provider in `ListSAMLProviders` (`SAMLProviderListEntry`).
    SamlProviderListEntry "SAMLProviderListEntry" {
        opt arn: String = "Arn";
        opt valid_until: Timestamp = "ValidUntil";
        opt create_date: Timestamp = "CreateDate";
    }
}

structure! {
    /// A server certificate's metadata (`ServerCertificateMetadata`).
    ServerCertificateMetadata "ServerCertificateMetadata" {
        req path: String = "Path";
        req server_certificate_name: String = "ServerCertificateName";
        req server_certificate_id: String = "ServerCertificateId";
        req arn: String = "Arn";
        opt upload_date: Timestamp = "UploadDate";
        opt expiration: Timestamp = "Expiration";
    }
}
structure! {
    /// A server certificate with its body and chain (`ServerCertificate`).
    ServerCertificate "ServerCertificate" {
        req server_certificate_metadata: ServerCertificateMetadata = "ServerCertificateMetadata";
        req certificate_body: String = "CertificateBody";
        opt certificate_chain: String = "CertificateChain";
        omit_empty tags: Vec<Tag> = "Tags";
    }
}
structure! {
    /// A service-specific credential with its secret, shown once (`ServiceSpecificCredential`).
    ServiceSpecificCredential "ServiceSpecificCredential" {
        req create_date: Timestamp = "CreateDate";
        opt expiration_date: Timestamp = "ExpirationDate";
        req service_name: String = "ServiceName";
        opt service_user_name: String = "ServiceUserName";
        opt service_password: String = "ServicePassword";
        opt service_credential_alias: String = "ServiceCredentialAlias";
        opt service_credential_secret: String = "ServiceCredentialSecret";
        req service_specific_credential_id: String = "ServiceSpecificCredentialId";
        req user_name: String = "UserName";
        req status: AccessKeyStatus = "Status";
    }
}
structure! {
    /// A service-specific credential without its secret (`ServiceSpecificCredentialMetadata`).
    ServiceSpecificCredentialMetadata "ServiceSpecificCredentialMetadata" {
        req user_name: String = "UserName";
        req status: AccessKeyStatus = "Status";
        opt service_user_name: String = "ServiceUserName";
        opt service_credential_alias: String = "ServiceCredentialAlias";
        req create_date: Timestamp = "CreateDate";
        opt expiration_date: Timestamp = "ExpirationDate";
        req service_specific_credential_id: String = "ServiceSpecificCredentialId";
        req service_name: String = "ServiceName";
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

// ---- Inputs of the extended operations ----
input! {
    /// Input of `CreatePolicyVersion`.
    CreatePolicyVersionInput "CreatePolicyVersionRequest" {
        req policy_arn: String = "PolicyArn", Some(&ARN);
        req policy_document: String = "PolicyDocument", Some(&POLICY_DOCUMENT);
        opt set_as_default: bool = "SetAsDefault", None;
    }
}
input! {
    /// Input of `ListPolicyVersions`.
    ListPolicyVersionsInput "ListPolicyVersionsRequest" {
        req policy_arn: String = "PolicyArn", Some(&ARN);
        opt marker: String = "Marker", Some(&MARKER);
        opt max_items: i32 = "MaxItems", Some(&MAX_ITEMS);
    }
}
input! {
    /// Input of `DeletePolicyVersion`.
    DeletePolicyVersionInput "DeletePolicyVersionRequest" {
        req policy_arn: String = "PolicyArn", Some(&ARN);
        req version_id: String = "VersionId", Some(&POLICY_VERSION_ID);
    }
}
input! {
    /// Input of `SetDefaultPolicyVersion`.
    SetDefaultPolicyVersionInput "SetDefaultPolicyVersionRequest" {
        req policy_arn: String = "PolicyArn", Some(&ARN);
        req version_id: String = "VersionId", Some(&POLICY_VERSION_ID);
    }
}
input! {
    /// Input of `ListEntitiesForPolicy` (`PathPrefix` uses the model's `pathType`).
    ListEntitiesForPolicyInput "ListEntitiesForPolicyRequest" {
        req policy_arn: String = "PolicyArn", Some(&ARN);
        opt entity_filter: EntityType = "EntityFilter", Some(&EntityType::CONSTRAINT);
        opt path_prefix: String = "PathPrefix", Some(&PATH);
        opt policy_usage_filter: PolicyUsageType = "PolicyUsageFilter", Some(&PolicyUsageType::CONSTRAINT);
        opt marker: String = "Marker", Some(&MARKER);
        opt max_items: i32 = "MaxItems", Some(&MAX_ITEMS);
    }
}
input! {
    /// Input of `PutUserPermissionsBoundary`.
    PutUserPermissionsBoundaryInput "PutUserPermissionsBoundaryRequest" {
        req user_name: String = "UserName", Some(&USER_NAME);
        req permissions_boundary: String = "PermissionsBoundary", Some(&ARN);
    }
}
input! {
    /// Input of `DeleteUserPermissionsBoundary`.
    DeleteUserPermissionsBoundaryInput "DeleteUserPermissionsBoundaryRequest" {
        req user_name: String = "UserName", Some(&USER_NAME);
    }
}
input! {
    /// Input of `PutRolePermissionsBoundary`.
    PutRolePermissionsBoundaryInput "PutRolePermissionsBoundaryRequest" {
        req role_name: String = "RoleName", Some(&ROLE_NAME);
        req permissions_boundary: String = "PermissionsBoundary", Some(&ARN);
    }
}
input! {
    /// Input of `DeleteRolePermissionsBoundary`.
    DeleteRolePermissionsBoundaryInput "DeleteRolePermissionsBoundaryRequest" {
        req role_name: String = "RoleName", Some(&ROLE_NAME);
    }
}
input! {
    /// Input of `TagRole`.
    TagRoleInput "TagRoleRequest" {
        req role_name: String = "RoleName", Some(&ROLE_NAME);
        req tags: Vec<Tag> = "Tags", Some(&TAG_LIST);
    }
}
input! {
    /// Input of `UntagRole`.
    UntagRoleInput "UntagRoleRequest" {
        req role_name: String = "RoleName", Some(&ROLE_NAME);
        req tag_keys: Vec<String> = "TagKeys", Some(&TAG_KEY_LIST);
    }
}
input! {
    /// Input of `ListRoleTags`.
    ListRoleTagsInput "ListRoleTagsRequest" {
        req role_name: String = "RoleName", Some(&ROLE_NAME);
        opt marker: String = "Marker", Some(&MARKER);
        opt max_items: i32 = "MaxItems", Some(&MAX_ITEMS);
    }
}
input! {
    /// Input of `UpdateRole`.
    UpdateRoleInput "UpdateRoleRequest" {
        req role_name: String = "RoleName", Some(&ROLE_NAME);
        opt description: String = "Description", Some(&ROLE_DESCRIPTION);
        opt max_session_duration: i32 = "MaxSessionDuration", Some(&ROLE_MAX_SESSION);
    }
}
input! {
    /// Input of `UpdateRoleDescription`.
    UpdateRoleDescriptionInput "UpdateRoleDescriptionRequest" {
        req role_name: String = "RoleName", Some(&ROLE_NAME);
        req description: String = "Description", Some(&ROLE_DESCRIPTION);
    }
}
input! {
    /// Input of `TagPolicy`.
    TagPolicyInput "TagPolicyRequest" {
        req policy_arn: String = "PolicyArn", Some(&ARN);
        req tags: Vec<Tag> = "Tags", Some(&TAG_LIST);
    }
}
input! {
    /// Input of `UntagPolicy`.
    UntagPolicyInput "UntagPolicyRequest" {
        req policy_arn: String = "PolicyArn", Some(&ARN);
        req tag_keys: Vec<String> = "TagKeys", Some(&TAG_KEY_LIST);
    }
}
input! {
    /// Input of `ListPolicyTags`.
    ListPolicyTagsInput "ListPolicyTagsRequest" {
        req policy_arn: String = "PolicyArn", Some(&ARN);
        opt marker: String = "Marker", Some(&MARKER);
        opt max_items: i32 = "MaxItems", Some(&MAX_ITEMS);
    }
}
input! {
    /// Input of `CreateLoginProfile` (both members optional in the model; the password is redacted in `Debug`).
    CreateLoginProfileInput "CreateLoginProfileRequest" {
        opt user_name: String = "UserName", Some(&USER_NAME);
        opt password: Sensitive = "Password", Some(&PASSWORD);
        opt password_reset_required: bool = "PasswordResetRequired", None;
    }
}
input! {
    /// Input of `GetLoginProfile` (no user name: the caller).
    GetLoginProfileInput "GetLoginProfileRequest" {
        opt user_name: String = "UserName", Some(&USER_NAME);
    }
}
input! {
    /// Input of `UpdateLoginProfile`.
    UpdateLoginProfileInput "UpdateLoginProfileRequest" {
        req user_name: String = "UserName", Some(&USER_NAME);
        opt password: Sensitive = "Password", Some(&PASSWORD);
        opt password_reset_required: bool = "PasswordResetRequired", None;
    }
}
input! {
    /// Input of `DeleteLoginProfile` (no user name: the caller).
    DeleteLoginProfileInput "DeleteLoginProfileRequest" {
        opt user_name: String = "UserName", Some(&USER_NAME);
    }
}
input! {
    /// Input of `ChangePassword` (the caller's own password).
    ChangePasswordInput "ChangePasswordRequest" {
        req old_password: Sensitive = "OldPassword", Some(&PASSWORD);
        req new_password: Sensitive = "NewPassword", Some(&PASSWORD);
    }
}
input! {
    /// Input of `UpdateAccountPasswordPolicy`: absent members take AWS's defaults (core's job).
    UpdateAccountPasswordPolicyInput "UpdateAccountPasswordPolicyRequest" {
        opt minimum_password_length: i32 = "MinimumPasswordLength", Some(&MIN_PASSWORD_LENGTH);
        opt require_symbols: bool = "RequireSymbols", None;
        opt require_numbers: bool = "RequireNumbers", None;
        opt require_uppercase_characters: bool = "RequireUppercaseCharacters", None;
        opt require_lowercase_characters: bool = "RequireLowercaseCharacters", None;
        opt allow_users_to_change_password: bool = "AllowUsersToChangePassword", None;
        opt max_password_age: i32 = "MaxPasswordAge", Some(&MAX_PASSWORD_AGE);
        opt password_reuse_prevention: i32 = "PasswordReusePrevention", Some(&PASSWORD_REUSE);
        opt hard_expiry: bool = "HardExpiry", None;
    }
}
input! {
    /// Input of `GetAccountPasswordPolicy` (the model has no input shape).
    GetAccountPasswordPolicyInput "GetAccountPasswordPolicyRequest" {}
}
input! {
    /// Input of `DeleteAccountPasswordPolicy` (the model has no input shape).
    DeleteAccountPasswordPolicyInput "DeleteAccountPasswordPolicyRequest" {}
}
input! {
    /// Input of `GetAccessKeyLastUsed`.
    GetAccessKeyLastUsedInput "GetAccessKeyLastUsedRequest" {
        req access_key_id: String = "AccessKeyId", Some(&ACCESS_KEY_ID);
    }
}
input! {
    /// Input of `GenerateCredentialReport` (the model has no input shape).
    GenerateCredentialReportInput "GenerateCredentialReportRequest" {}
}
input! {
    /// Input of `GetCredentialReport` (the model has no input shape).
    GetCredentialReportInput "GetCredentialReportRequest" {}
}
input! {
    /// Input of `CreateAccountAlias`.
    CreateAccountAliasInput "CreateAccountAliasRequest" {
        req account_alias: String = "AccountAlias", Some(&ACCOUNT_ALIAS);
    }
}
input! {
    /// Input of `DeleteAccountAlias`.
    DeleteAccountAliasInput "DeleteAccountAliasRequest" {
        req account_alias: String = "AccountAlias", Some(&ACCOUNT_ALIAS);
    }
}
input! {
    /// Input of `ListAccountAliases`.
    ListAccountAliasesInput "ListAccountAliasesRequest" {
        opt marker: String = "Marker", Some(&MARKER);
        opt max_items: i32 = "MaxItems", Some(&MAX_ITEMS);
    }
}
input! {
    /// Input of `CreateVirtualMFADevice`.
    CreateVirtualMfaDeviceInput "CreateVirtualMFADeviceRequest" {
        opt path: String = "Path", Some(&PATH);
        req virtual_mfa_device_name: String = "VirtualMFADeviceName", Some(&VIRTUAL_MFA_NAME);
        opt tags: Vec<Tag> = "Tags", Some(&TAG_LIST);
    }
}
input! {
    /// Input of `EnableMFADevice`: two consecutive TOTP codes.
    EnableMfaDeviceInput "EnableMFADeviceRequest" {
        req user_name: String = "UserName", Some(&EXISTING_USER_NAME);
        req serial_number: String = "SerialNumber", Some(&SERIAL_NUMBER);
        req authentication_code1: String = "AuthenticationCode1", Some(&AUTHENTICATION_CODE);
        req authentication_code2: String = "AuthenticationCode2", Some(&AUTHENTICATION_CODE);
    }
}
input! {
    /// Input of `ResyncMFADevice`: two consecutive TOTP codes.
    ResyncMfaDeviceInput "ResyncMFADeviceRequest" {
        req user_name: String = "UserName", Some(&EXISTING_USER_NAME);
        req serial_number: String = "SerialNumber", Some(&SERIAL_NUMBER);
        req authentication_code1: String = "AuthenticationCode1", Some(&AUTHENTICATION_CODE);
        req authentication_code2: String = "AuthenticationCode2", Some(&AUTHENTICATION_CODE);
    }
}
input! {
    /// Input of `DeactivateMFADevice` (no user name: the caller).
    DeactivateMfaDeviceInput "DeactivateMFADeviceRequest" {
        opt user_name: String = "UserName", Some(&EXISTING_USER_NAME);
        req serial_number: String = "SerialNumber", Some(&SERIAL_NUMBER);
    }
}
input! {
    /// Input of `DeleteVirtualMFADevice`.
    DeleteVirtualMfaDeviceInput "DeleteVirtualMFADeviceRequest" {
        req serial_number: String = "SerialNumber", Some(&SERIAL_NUMBER);
    }
}
input! {
    /// Input of `ListMFADevices` (no user name: the caller).
    ListMfaDevicesInput "ListMFADevicesRequest" {
        opt user_name: String = "UserName", Some(&EXISTING_USER_NAME);
        opt marker: String = "Marker", Some(&MARKER);
        opt max_items: i32 = "MaxItems", Some(&MAX_ITEMS);
    }
}
input! {
    /// Input of `ListVirtualMFADevices` (default filter `Any`).
    ListVirtualMfaDevicesInput "ListVirtualMFADevicesRequest" {
        opt assignment_status: AssignmentStatus = "AssignmentStatus", Some(&AssignmentStatus::CONSTRAINT);
        opt marker: String = "Marker", Some(&MARKER);
        opt max_items: i32 = "MaxItems", Some(&MAX_ITEMS);
    }
}
input! {
    /// Input of `GetMFADevice`.
    GetMfaDeviceInput "GetMFADeviceRequest" {
        req serial_number: String = "SerialNumber", Some(&SERIAL_NUMBER);
        opt user_name: String = "UserName", Some(&USER_NAME);
    }
}
input! {
    /// Input of `SimulatePrincipalPolicy`.
    SimulatePrincipalPolicyInput "SimulatePrincipalPolicyRequest" {
        req policy_source_arn: String = "PolicySourceArn", Some(&ARN);
        opt policy_input_list: Vec<String> = "PolicyInputList", Some(&SIMULATION_POLICY_LIST);
        opt permissions_boundary_policy_input_list: Vec<String> = "PermissionsBoundaryPolicyInputList", Some(&SIMULATION_POLICY_LIST);
        req action_names: Vec<String> = "ActionNames", Some(&ACTION_NAME_LIST);
        opt resource_arns: Vec<String> = "ResourceArns", Some(&RESOURCE_NAME_LIST);
        opt resource_policy: String = "ResourcePolicy", Some(&POLICY_DOCUMENT);
        opt resource_owner: String = "ResourceOwner", Some(&RESOURCE_NAME);
        opt caller_arn: String = "CallerArn", Some(&RESOURCE_NAME);
        opt context_entries: Vec<ContextEntry> = "ContextEntries", None;
        opt resource_handling_option: String = "ResourceHandlingOption", Some(&RESOURCE_HANDLING_OPTION);
        opt max_items: i32 = "MaxItems", Some(&MAX_ITEMS);
        opt marker: String = "Marker", Some(&MARKER);
    }
}
input! {
    /// Input of `SimulateCustomPolicy`.
    SimulateCustomPolicyInput "SimulateCustomPolicyRequest" {
        req policy_input_list: Vec<String> = "PolicyInputList", Some(&SIMULATION_POLICY_LIST);
        opt permissions_boundary_policy_input_list: Vec<String> = "PermissionsBoundaryPolicyInputList", Some(&SIMULATION_POLICY_LIST);
        req action_names: Vec<String> = "ActionNames", Some(&ACTION_NAME_LIST);
        opt resource_arns: Vec<String> = "ResourceArns", Some(&RESOURCE_NAME_LIST);
        opt resource_policy: String = "ResourcePolicy", Some(&POLICY_DOCUMENT);
        opt resource_owner: String = "ResourceOwner", Some(&RESOURCE_NAME);
        opt caller_arn: String = "CallerArn", Some(&RESOURCE_NAME);
        opt context_entries: Vec<ContextEntry> = "ContextEntries", None;
        opt resource_handling_option: String = "ResourceHandlingOption", Some(&RESOURCE_HANDLING_OPTION);
        opt max_items: i32 = "MaxItems", Some(&MAX_ITEMS);
        opt marker: String = "Marker", Some(&MARKER);
    }
}
input! {
    /// Input of `GetAccountAuthorizationDetails` (`Filter` absent = every kind).
    GetAccountAuthorizationDetailsInput "GetAccountAuthorizationDetailsRequest" {
        opt filter: Vec<EntityType> = "Filter", Some(&ENTITY_LIST);
        opt max_items: i32 = "MaxItems", Some(&MAX_ITEMS);
        opt marker: String = "Marker", Some(&MARKER);
    }
}
input! {
    /// Input of `CreateInstanceProfile`.
    CreateInstanceProfileInput "CreateInstanceProfileRequest" {
        req instance_profile_name: String = "InstanceProfileName", Some(&INSTANCE_PROFILE_NAME);
        opt path: String = "Path", Some(&PATH);
        opt tags: Vec<Tag> = "Tags", Some(&TAG_LIST);
    }
}
input! {
    /// Input of `GetInstanceProfile`.
    GetInstanceProfileInput "GetInstanceProfileRequest" {
        req instance_profile_name: String = "InstanceProfileName", Some(&INSTANCE_PROFILE_NAME);
    }
}
input! {
    /// Input of `DeleteInstanceProfile`.
    DeleteInstanceProfileInput "DeleteInstanceProfileRequest" {
        req instance_profile_name: String = "InstanceProfileName", Some(&INSTANCE_PROFILE_NAME);
    }
}
input! {
    /// Input of `ListInstanceProfiles`.
    ListInstanceProfilesInput "ListInstanceProfilesRequest" {
        opt path_prefix: String = "PathPrefix", Some(&PATH_PREFIX);
        opt marker: String = "Marker", Some(&MARKER);
        opt max_items: i32 = "MaxItems", Some(&MAX_ITEMS);
    }
}
input! {
    /// Input of `AddRoleToInstanceProfile`.
    AddRoleToInstanceProfileInput "AddRoleToInstanceProfileRequest" {
        req instance_profile_name: String = "InstanceProfileName", Some(&INSTANCE_PROFILE_NAME);
        req role_name: String = "RoleName", Some(&ROLE_NAME);
    }
}
input! {
    /// Input of `RemoveRoleFromInstanceProfile`.
    RemoveRoleFromInstanceProfileInput "RemoveRoleFromInstanceProfileRequest" {
        req instance_profile_name: String = "InstanceProfileName", Some(&INSTANCE_PROFILE_NAME);
        req role_name: String = "RoleName", Some(&ROLE_NAME);
    }
}
input! {
    /// Input of `ListInstanceProfilesForRole`.
    ListInstanceProfilesForRoleInput "ListInstanceProfilesForRoleRequest" {
        req role_name: String = "RoleName", Some(&ROLE_NAME);
        opt marker: String = "Marker", Some(&MARKER);
        opt max_items: i32 = "MaxItems", Some(&MAX_ITEMS);
    }
}
input! {
    /// Input of `CreateServiceLinkedRole` (`AWSServiceName` uses the model's `groupNameType`).
    CreateServiceLinkedRoleInput "CreateServiceLinkedRoleRequest" {
        req aws_service_name: String = "AWSServiceName", Some(&GROUP_NAME);
        opt description: String = "Description", Some(&ROLE_DESCRIPTION);
        opt custom_suffix: String = "CustomSuffix", Some(&CUSTOM_SUFFIX);
    }
}
input! {
    /// Input of `DeleteServiceLinkedRole`.
    DeleteServiceLinkedRoleInput "DeleteServiceLinkedRoleRequest" {
        req role_name: String = "RoleName", Some(&ROLE_NAME);
    }
}
input! {
    /// Input of `GetServiceLinkedRoleDeletionStatus`.
    GetServiceLinkedRoleDeletionStatusInput "GetServiceLinkedRoleDeletionStatusRequest" {
        req deletion_task_id: String = "DeletionTaskId", Some(&DELETION_TASK_ID);
    }
}

// ---- Outputs of the extended operations ----
structure! {
    /// Output of `CreatePolicyVersion` (no `Document`: model docs, §1.4).
    CreatePolicyVersionOutput "CreatePolicyVersionResponse" { req policy_version: PolicyVersion = "PolicyVersion"; }
}
structure! {
    /// Output of `ListPolicyVersions` (no `Document` in the versions, §1.4).
    ListPolicyVersionsOutput "ListPolicyVersionsResponse" {
        req versions: Vec<PolicyVersion> = "Versions";
        req is_truncated: bool = "IsTruncated";
        opt marker: String = "Marker";
    }
}
structure! {
    /// Output of `ListEntitiesForPolicy`.
    ListEntitiesForPolicyOutput "ListEntitiesForPolicyResponse" {
        req policy_groups: Vec<PolicyGroup> = "PolicyGroups";
        req policy_users: Vec<PolicyUser> = "PolicyUsers";
        req policy_roles: Vec<PolicyRole> = "PolicyRoles";
        req is_truncated: bool = "IsTruncated";
        opt marker: String = "Marker";
    }
}
structure! {
    /// Output of `ListRoleTags`.
    ListRoleTagsOutput "ListRoleTagsResponse" {
        req tags: Vec<Tag> = "Tags";
        req is_truncated: bool = "IsTruncated";
        opt marker: String = "Marker";
    }
}
structure! {
    /// Output of `UpdateRole` (an empty `Result` element).
    UpdateRoleOutput "UpdateRoleResponse" {}
}
structure! {
    /// Output of `UpdateRoleDescription`.
    UpdateRoleDescriptionOutput "UpdateRoleDescriptionResponse" { req role: Role = "Role"; }
}
structure! {
    /// Output of `ListPolicyTags`.
    ListPolicyTagsOutput "ListPolicyTagsResponse" {
        req tags: Vec<Tag> = "Tags";
        req is_truncated: bool = "IsTruncated";
        opt marker: String = "Marker";
    }
}
structure! {
    /// Output of `CreateLoginProfile`.
    CreateLoginProfileOutput "CreateLoginProfileResponse" { req login_profile: LoginProfile = "LoginProfile"; }
}
structure! {
    /// Output of `GetLoginProfile`.
    GetLoginProfileOutput "GetLoginProfileResponse" { req login_profile: LoginProfile = "LoginProfile"; }
}
structure! {
    /// Output of `GetAccountPasswordPolicy`.
    GetAccountPasswordPolicyOutput "GetAccountPasswordPolicyResponse" { req password_policy: PasswordPolicy = "PasswordPolicy"; }
}
structure! {
    /// Output of `GetAccessKeyLastUsed`.
    GetAccessKeyLastUsedOutput "GetAccessKeyLastUsedResponse" {
        opt user_name: String = "UserName";
        opt access_key_last_used: AccessKeyLastUsed = "AccessKeyLastUsed";
    }
}
structure! {
    /// Output of `GenerateCredentialReport`.
    GenerateCredentialReportOutput "GenerateCredentialReportResponse" {
        opt state: ReportState = "State";
        opt description: String = "Description";
    }
}
structure! {
    /// Output of `GetCredentialReport`: `Content` is the CSV, base64 on the wire (§1.2).
    GetCredentialReportOutput "GetCredentialReportResponse" {
        opt content: Blob = "Content";
        opt report_format: ReportFormat = "ReportFormat";
        opt generated_time: Timestamp = "GeneratedTime";
    }
}
wire_enum! {
    /// A centralized root access feature (`FeatureType`).
    FeatureType "FeatureType" { RootCredentialsManagement = "RootCredentialsManagement", RootSessions = "RootSessions" }
}
input! {
    /// Input of `EnableOrganizationsRootCredentialsManagement` (no members).
    EnableOrganizationsRootCredentialsManagementInput "EnableOrganizationsRootCredentialsManagementRequest" {}
}
structure! {
    /// Output of `EnableOrganizationsRootCredentialsManagement`.
    EnableOrganizationsRootCredentialsManagementOutput "EnableOrganizationsRootCredentialsManagementResponse" {
        opt organization_id: String = "OrganizationId";
        req enabled_features: Vec<FeatureType> = "EnabledFeatures";
    }
}
input! {
    /// Input of `EnableOrganizationsRootSessions` (no members).
    EnableOrganizationsRootSessionsInput "EnableOrganizationsRootSessionsRequest" {}
}
structure! {
    /// Output of `EnableOrganizationsRootSessions`.
    EnableOrganizationsRootSessionsOutput "EnableOrganizationsRootSessionsResponse" {
        opt organization_id: String = "OrganizationId";
        req enabled_features: Vec<FeatureType> = "EnabledFeatures";
    }
}
input! {
    /// Input of `DisableOrganizationsRootCredentialsManagement` (no members).
    DisableOrganizationsRootCredentialsManagementInput "DisableOrganizationsRootCredentialsManagementRequest" {}
}
structure! {
    /// Output of `DisableOrganizationsRootCredentialsManagement`.
    DisableOrganizationsRootCredentialsManagementOutput "DisableOrganizationsRootCredentialsManagementResponse" {
        opt organization_id: String = "OrganizationId";
        req enabled_features: Vec<FeatureType> = "EnabledFeatures";
    }
}
input! {
    /// Input of `DisableOrganizationsRootSessions` (no members).
    DisableOrganizationsRootSessionsInput "DisableOrganizationsRootSessionsRequest" {}
}
structure! {
    /// Output of `DisableOrganizationsRootSessions`.
    DisableOrganizationsRootSessionsOutput "DisableOrganizationsRootSessionsResponse" {
        opt organization_id: String = "OrganizationId";
        req enabled_features: Vec<FeatureType> = "EnabledFeatures";
    }
}
input! {
    /// Input of `ListOrganizationsFeatures` (no members).
    ListOrganizationsFeaturesInput "ListOrganizationsFeaturesRequest" {}
}
structure! {
    /// Output of `ListOrganizationsFeatures`.
    ListOrganizationsFeaturesOutput "ListOrganizationsFeaturesResponse" {
        opt organization_id: String = "OrganizationId";
        req enabled_features: Vec<FeatureType> = "EnabledFeatures";
    }
}
input! {
    /// Input of `UpdateGroup`.
    UpdateGroupInput "UpdateGroupRequest" {
        req group_name: String = "GroupName", Some(&GROUP_NAME);
        opt new_path: String = "NewPath", Some(&PATH);
        opt new_group_name: String = "NewGroupName", Some(&GROUP_NAME);
    }
}
input! {
    /// Input of `TagMFADevice`.
    TagMfaDeviceInput "TagMFADeviceRequest" {
        req serial_number: String = "SerialNumber", Some(&SERIAL_NUMBER);
        req tags: Vec<Tag> = "Tags", Some(&TAG_LIST);
    }
}
input! {
    /// Input of `UntagMFADevice`.
    UntagMfaDeviceInput "UntagMFADeviceRequest" {
        req serial_number: String = "SerialNumber", Some(&SERIAL_NUMBER);
        req tag_keys: Vec<String> = "TagKeys", Some(&TAG_KEY_LIST);
    }
}
input! {
    /// Input of `ListMFADeviceTags`.
    ListMfaDeviceTagsInput "ListMFADeviceTagsRequest" {
        req serial_number: String = "SerialNumber", Some(&SERIAL_NUMBER);
        opt marker: String = "Marker", Some(&MARKER);
        opt max_items: i32 = "MaxItems", Some(&MAX_ITEMS);
    }
}
structure! {
    /// Output of `ListMFADeviceTags`.
    ListMfaDeviceTagsOutput "ListMFADeviceTagsResponse" {
        req tags: Vec<Tag> = "Tags";
        req is_truncated: bool = "IsTruncated";
        opt marker: String = "Marker";
    }
}
input! {
    /// Input of `TagInstanceProfile`.
    TagInstanceProfileInput "TagInstanceProfileRequest" {
        req instance_profile_name: String = "InstanceProfileName", Some(&INSTANCE_PROFILE_NAME);
        req tags: Vec<Tag> = "Tags", Some(&TAG_LIST);
    }
}
input! {
    /// Input of `UntagInstanceProfile`.
    UntagInstanceProfileInput "UntagInstanceProfileRequest" {
        req instance_profile_name: String = "InstanceProfileName", Some(&INSTANCE_PROFILE_NAME);
        req tag_keys: Vec<String> = "TagKeys", Some(&TAG_KEY_LIST);
    }
}
input! {
    /// Input of `ListInstanceProfileTags`.
    ListInstanceProfileTagsInput "ListInstanceProfileTagsRequest" {
        req instance_profile_name: String = "InstanceProfileName", Some(&INSTANCE_PROFILE_NAME);
        opt marker: String = "Marker", Some(&MARKER);
        opt max_items: i32 = "MaxItems", Some(&MAX_ITEMS);
    }
}
structure! {
    /// Output of `ListInstanceProfileTags`.
    ListInstanceProfileTagsOutput "ListInstanceProfileTagsResponse" {
        req tags: Vec<Tag> = "Tags";
        req is_truncated: bool = "IsTruncated";
        opt marker: String = "Marker";
    }
}
input! {
    /// Input of `GetContextKeysForPrincipalPolicy`.
    GetContextKeysForPrincipalPolicyInput "GetContextKeysForPrincipalPolicyRequest" {
        req policy_source_arn: String = "PolicySourceArn", Some(&ARN);
        opt policy_input_list: Vec<String> = "PolicyInputList", Some(&SIMULATION_POLICY_LIST);
    }
}
input! {
    /// Input of `GetContextKeysForCustomPolicy`.
    GetContextKeysForCustomPolicyInput "GetContextKeysForCustomPolicyRequest" {
        req policy_input_list: Vec<String> = "PolicyInputList", Some(&SIMULATION_POLICY_LIST);
    }
}
structure! {
    /// Output of `GetContextKeysForPrincipalPolicy`.
    GetContextKeysForPrincipalPolicyOutput "GetContextKeysForPolicyResponse" {
        req context_key_names: Vec<String> = "ContextKeyNames";
    }
}
structure! {
    /// Output of `GetContextKeysForCustomPolicy`.
    GetContextKeysForCustomPolicyOutput "GetContextKeysForPolicyResponse" {
        req context_key_names: Vec<String> = "ContextKeyNames";
    }
}
structure! {
    /// Output of `ListAccountAliases`.
    ListAccountAliasesOutput "ListAccountAliasesResponse" {
        req account_aliases: Vec<String> = "AccountAliases";
        req is_truncated: bool = "IsTruncated";
        opt marker: String = "Marker";
    }
}
structure! {
    /// Output of `CreateVirtualMFADevice` (carries the seed and QR code).
    CreateVirtualMfaDeviceOutput "CreateVirtualMFADeviceResponse" { req virtual_mfa_device: VirtualMfaDevice = "VirtualMFADevice"; }
}
structure! {
    /// Output of `ListMFADevices`.
    ListMfaDevicesOutput "ListMFADevicesResponse" {
        req mfa_devices: Vec<MfaDevice> = "MFADevices";
        req is_truncated: bool = "IsTruncated";
        opt marker: String = "Marker";
    }
}
structure! {
    /// Output of `ListVirtualMFADevices` (no seeds).
    ListVirtualMfaDevicesOutput "ListVirtualMFADevicesResponse" {
        req virtual_mfa_devices: Vec<VirtualMfaDevice> = "VirtualMFADevices";
        req is_truncated: bool = "IsTruncated";
        opt marker: String = "Marker";
    }
}
structure! {
    /// Output of `GetMFADevice`.
    GetMfaDeviceOutput "GetMFADeviceResponse" {
        opt user_name: String = "UserName";
        req serial_number: String = "SerialNumber";
        opt enable_date: Timestamp = "EnableDate";
        omit_empty certifications: BTreeMap<String, String> = "Certifications";
    }
}
structure! {
    /// Output of `SimulatePrincipalPolicy` (model shape `SimulatePolicyResponse`).
    SimulatePrincipalPolicyOutput "SimulatePolicyResponse" {
        req evaluation_results: Vec<EvaluationResult> = "EvaluationResults";
        req is_truncated: bool = "IsTruncated";
        opt marker: String = "Marker";
    }
}
structure! {
    /// Output of `SimulateCustomPolicy` (model shape `SimulatePolicyResponse`).
    SimulateCustomPolicyOutput "SimulatePolicyResponse" {
        req evaluation_results: Vec<EvaluationResult> = "EvaluationResults";
        req is_truncated: bool = "IsTruncated";
        opt marker: String = "Marker";
    }
}
structure! {
    /// Output of `GetAccountAuthorizationDetails` (every policy document percent-encoded, §1.4).
    GetAccountAuthorizationDetailsOutput "GetAccountAuthorizationDetailsResponse" {
        req user_detail_list: Vec<UserDetail> = "UserDetailList";
        req group_detail_list: Vec<GroupDetail> = "GroupDetailList";
        req role_detail_list: Vec<RoleDetail> = "RoleDetailList";
        req policies: Vec<ManagedPolicyDetail> = "Policies";
        req is_truncated: bool = "IsTruncated";
        opt marker: String = "Marker";
    }
}
structure! {
    /// Output of `CreateInstanceProfile`.
    CreateInstanceProfileOutput "CreateInstanceProfileResponse" { req instance_profile: InstanceProfile = "InstanceProfile"; }
}
structure! {
    /// Output of `GetInstanceProfile`.
    GetInstanceProfileOutput "GetInstanceProfileResponse" { req instance_profile: InstanceProfile = "InstanceProfile"; }
}
structure! {
    /// Output of `ListInstanceProfiles`.
    ListInstanceProfilesOutput "ListInstanceProfilesResponse" {
        req instance_profiles: Vec<InstanceProfile> = "InstanceProfiles";
        req is_truncated: bool = "IsTruncated";
        opt marker: String = "Marker";
    }
}
structure! {
    /// Output of `ListInstanceProfilesForRole`.
    ListInstanceProfilesForRoleOutput "ListInstanceProfilesForRoleResponse" {
        req instance_profiles: Vec<InstanceProfile> = "InstanceProfiles";
        req is_truncated: bool = "IsTruncated";
        opt marker: String = "Marker";
    }
}
structure! {
    /// Output of `CreateServiceLinkedRole`.
    CreateServiceLinkedRoleOutput "CreateServiceLinkedRoleResponse" { req role: Role = "Role"; }
}
structure! {
    /// Output of `DeleteServiceLinkedRole`.
    DeleteServiceLinkedRoleOutput "DeleteServiceLinkedRoleResponse" { req deletion_task_id: String = "DeletionTaskId"; }
}
structure! {
    /// Output of `GetServiceLinkedRoleDeletionStatus`.
    GetServiceLinkedRoleDeletionStatusOutput "GetServiceLinkedRoleDeletionStatusResponse" {
        req status: DeletionTaskStatus = "Status";
        opt reason: DeletionTaskFailureReason = "Reason";
    }
}

input! {
    /// Input of `UploadSigningCertificate` (no user name: the caller).
    UploadSigningCertificateInput "UploadSigningCertificateRequest" {
        opt user_name: String = "UserName", Some(&EXISTING_USER_NAME);
        req certificate_body: String = "CertificateBody", Some(&CERTIFICATE_BODY);
    }
}
structure! {
    /// Output of `UploadSigningCertificate`.
    UploadSigningCertificateOutput "UploadSigningCertificateResponse" { req certificate: SigningCertificate = "Certificate"; }
}
input! {
    /// Input of `ListSigningCertificates` (no user name: the caller).
    ListSigningCertificatesInput "ListSigningCertificatesRequest" {
        opt user_name: String = "UserName", Some(&EXISTING_USER_NAME);
        opt marker: String = "Marker", Some(&MARKER);
        opt max_items: i32 = "MaxItems", Some(&MAX_ITEMS);
    }
}
structure! {
    /// Output of `ListSigningCertificates`.
    ListSigningCertificatesOutput "ListSigningCertificatesResponse" {
        req certificates: Vec<SigningCertificate> = "Certificates";
        req is_truncated: bool = "IsTruncated";
        opt marker: String = "Marker";
    }
}
input! {
    /// Input of `UpdateSigningCertificate`.
    UpdateSigningCertificateInput "UpdateSigningCertificateRequest" {
        opt user_name: String = "UserName", Some(&EXISTING_USER_NAME);
        req certificate_id: String = "CertificateId", Some(&CERTIFICATE_ID);
        req status: AccessKeyStatus = "Status", Some(&AccessKeyStatus::CONSTRAINT);
    }
}
input! {
    /// Input of `DeleteSigningCertificate`.
    DeleteSigningCertificateInput "DeleteSigningCertificateRequest" {
        opt user_name: String = "UserName", Some(&EXISTING_USER_NAME);
        req certificate_id: String = "CertificateId", Some(&CERTIFICATE_ID);
    }
}
input! {
    /// Input of `UploadSSHPublicKey`.
    UploadSshPublicKeyInput "UploadSSHPublicKeyRequest" {
        req user_name: String = "UserName", Some(&USER_NAME);
        req ssh_public_key_body: String = "SSHPublicKeyBody", Some(&PUBLIC_KEY_MATERIAL);
    }
}
structure! {
    /// Output of `UploadSSHPublicKey`.
    UploadSshPublicKeyOutput "UploadSSHPublicKeyResponse" { req ssh_public_key: SshPublicKey = "SSHPublicKey"; }
}
input! {
    /// Input of `GetSSHPublicKey`.
    GetSshPublicKeyInput "GetSSHPublicKeyRequest" {
        req user_name: String = "UserName", Some(&USER_NAME);
        req ssh_public_key_id: String = "SSHPublicKeyId", Some(&PUBLIC_KEY_ID);
        req encoding: SshKeyEncoding = "Encoding", Some(&SshKeyEncoding::CONSTRAINT);
    }
}
structure! {
    /// Output of `GetSSHPublicKey`.
    GetSshPublicKeyOutput "GetSSHPublicKeyResponse" { req ssh_public_key: SshPublicKey = "SSHPublicKey"; }
}
input! {
    /// Input of `ListSSHPublicKeys` (no user name: the caller).
    ListSshPublicKeysInput "ListSSHPublicKeysRequest" {
        opt user_name: String = "UserName", Some(&USER_NAME);
        opt marker: String = "Marker", Some(&MARKER);
        opt max_items: i32 = "MaxItems", Some(&MAX_ITEMS);
    }
}
structure! {
    /// Output of `ListSSHPublicKeys`.
    ListSshPublicKeysOutput "ListSSHPublicKeysResponse" {
        req ssh_public_keys: Vec<SshPublicKeyMetadata> = "SSHPublicKeys";
        req is_truncated: bool = "IsTruncated";
        opt marker: String = "Marker";
    }
}
input! {
    /// Input of `UpdateSSHPublicKey`.
    UpdateSshPublicKeyInput "UpdateSSHPublicKeyRequest" {
        req user_name: String = "UserName", Some(&USER_NAME);
        req ssh_public_key_id: String = "SSHPublicKeyId", Some(&PUBLIC_KEY_ID);
        req status: AccessKeyStatus = "Status", Some(&AccessKeyStatus::CONSTRAINT);
    }
}
input! {
    /// Input of `DeleteSSHPublicKey`.
    DeleteSshPublicKeyInput "DeleteSSHPublicKeyRequest" {
        req user_name: String = "UserName", Some(&USER_NAME);
        req ssh_public_key_id: String = "SSHPublicKeyId", Some(&PUBLIC_KEY_ID);
    }
}
input! {
    /// Input of `CreateOpenIDConnectProvider`.
    CreateOpenIdConnectProviderInput "CreateOpenIDConnectProviderRequest" {
        req url: String = "Url", Some(&OIDC_URL);
        opt client_id_list: Vec<String> = "ClientIDList", Some(&CLIENT_ID_LIST);
        opt thumbprint_list: Vec<String> = "ThumbprintList", Some(&THUMBPRINT_LIST);
        opt tags: Vec<Tag> = "Tags", Some(&TAG_LIST);
    }
}
structure! {
    /// Output of `CreateOpenIDConnectProvider`.
    CreateOpenIdConnectProviderOutput "CreateOpenIDConnectProviderResponse" {
        opt open_id_connect_provider_arn: String = "OpenIDConnectProviderArn";
        omit_empty tags: Vec<Tag> = "Tags";
    }
}
input! {
    /// Input of `GetOpenIDConnectProvider`.
    GetOpenIdConnectProviderInput "GetOpenIDConnectProviderRequest" {
        req open_id_connect_provider_arn: String = "OpenIDConnectProviderArn", Some(&ARN);
    }
}
structure! {
    /// Output of `GetOpenIDConnectProvider` (`Url` without its `https://`).
    GetOpenIdConnectProviderOutput "GetOpenIDConnectProviderResponse" {
        opt url: String = "Url";
        req client_id_list: Vec<String> = "ClientIDList";
        req thumbprint_list: Vec<String> = "ThumbprintList";
        opt create_date: Timestamp = "CreateDate";
        req tags: Vec<Tag> = "Tags";
    }
}
input! {
    /// Input of `ListOpenIDConnectProviders` (the model's input has no members).
    ListOpenIdConnectProvidersInput "ListOpenIDConnectProvidersRequest" {}
}
structure! {
    /// Output of `ListOpenIDConnectProviders`.
    ListOpenIdConnectProvidersOutput "ListOpenIDConnectProvidersResponse" {
        req open_id_connect_provider_list: Vec<OpenIdConnectProviderListEntry> = "OpenIDConnectProviderList";
    }
}
input! {
    /// Input of `DeleteOpenIDConnectProvider`.
    DeleteOpenIdConnectProviderInput "DeleteOpenIDConnectProviderRequest" {
        req open_id_connect_provider_arn: String = "OpenIDConnectProviderArn", Some(&ARN);
    }
}
input! {
    /// Input of `AddClientIDToOpenIDConnectProvider`.
    AddClientIdToOpenIdConnectProviderInput "AddClientIDToOpenIDConnectProviderRequest" {
        req open_id_connect_provider_arn: String = "OpenIDConnectProviderArn", Some(&ARN);
        req client_id: String = "ClientID", Some(&CLIENT_ID);
    }
}
input! {
    /// Input of `RemoveClientIDFromOpenIDConnectProvider`.
    RemoveClientIdFromOpenIdConnectProviderInput "RemoveClientIDFromOpenIDConnectProviderRequest" {
        req open_id_connect_provider_arn: String = "OpenIDConnectProviderArn", Some(&ARN);
        req client_id: String = "ClientID", Some(&CLIENT_ID);
    }
}
input! {
    /// Input of `UpdateOpenIDConnectProviderThumbprint`.
    UpdateOpenIdConnectProviderThumbprintInput "UpdateOpenIDConnectProviderThumbprintRequest" {
        req open_id_connect_provider_arn: String = "OpenIDConnectProviderArn", Some(&ARN);
        req thumbprint_list: Vec<String> = "ThumbprintList", Some(&THUMBPRINT_LIST);
    }
}
input! {
    /// Input of `TagOpenIDConnectProvider`.
    TagOpenIdConnectProviderInput "TagOpenIDConnectProviderRequest" {
        req open_id_connect_provider_arn: String = "OpenIDConnectProviderArn", Some(&ARN);
        req tags: Vec<Tag> = "Tags", Some(&TAG_LIST);
    }
}
input! {
    /// Input of `UntagOpenIDConnectProvider`.
    UntagOpenIdConnectProviderInput "UntagOpenIDConnectProviderRequest" {
        req open_id_connect_provider_arn: String = "OpenIDConnectProviderArn", Some(&ARN);
        req tag_keys: Vec<String> = "TagKeys", Some(&TAG_KEY_LIST);
    }
}
input! {
    /// Input of `ListOpenIDConnectProviderTags`.
    ListOpenIdConnectProviderTagsInput "ListOpenIDConnectProviderTagsRequest" {
        req open_id_connect_provider_arn: String = "OpenIDConnectProviderArn", Some(&ARN);
        opt marker: String = "Marker", Some(&MARKER);
        opt max_items: i32 = "MaxItems", Some(&MAX_ITEMS);
    }
}
structure! {
    /// Output of `ListOpenIDConnectProviderTags`.
    ListOpenIdConnectProviderTagsOutput "ListOpenIDConnectProviderTagsResponse" {
        req tags: Vec<Tag> = "Tags";
        req is_truncated: bool = "IsTruncated";
        opt marker: String = "Marker";
    }
}

input! {
    /// Input of `CreateSAMLProvider` (assertion encryption is not supported: its members are not decoded).
    CreateSamlProviderInput "CreateSAMLProviderRequest" {
        req saml_metadata_document: String = "SAMLMetadataDocument", Some(&SAML_METADATA);
        req name: String = "Name", Some(&SAML_PROVIDER_NAME);
        opt tags: Vec<Tag> = "Tags", Some(&TAG_LIST);
    }
}
structure! {
    /// Output of `CreateSAMLProvider`.
    CreateSamlProviderOutput "CreateSAMLProviderResponse" {
        opt saml_provider_arn: String = "SAMLProviderArn";
        omit_empty tags: Vec<Tag> = "Tags";
    }
}
input! {
    /// Input of `GetSAMLProvider`.
    GetSamlProviderInput "GetSAMLProviderRequest" {
        req saml_provider_arn: String = "SAMLProviderArn", Some(&ARN);
    }
}
structure! {
    /// Output of `GetSAMLProvider`.
    GetSamlProviderOutput "GetSAMLProviderResponse" {
        opt saml_provider_uuid: String = "SAMLProviderUUID";
        opt saml_metadata_document: String = "SAMLMetadataDocument";
        opt create_date: Timestamp = "CreateDate";
        opt valid_until: Timestamp = "ValidUntil";
        req tags: Vec<Tag> = "Tags";
    }
}
input! {
    /// Input of `ListSAMLProviders` (the model's input has no members).
    ListSamlProvidersInput "ListSAMLProvidersRequest" {}
}
structure! {
    /// Output of `ListSAMLProviders`.
    ListSamlProvidersOutput "ListSAMLProvidersResponse" {
        req saml_provider_list: Vec<SamlProviderListEntry> = "SAMLProviderList";
    }
}
input! {
    /// Input of `UpdateSAMLProvider` (assertion encryption members not decoded).
    UpdateSamlProviderInput "UpdateSAMLProviderRequest" {
        opt saml_metadata_document: String = "SAMLMetadataDocument", Some(&SAML_METADATA);
        req saml_provider_arn: String = "SAMLProviderArn", Some(&ARN);
    }
}
structure! {
    /// Output of `UpdateSAMLProvider`.
    UpdateSamlProviderOutput "UpdateSAMLProviderResponse" {
        opt saml_provider_arn: String = "SAMLProviderArn";
    }
}
input! {
    /// Input of `DeleteSAMLProvider`.
    DeleteSamlProviderInput "DeleteSAMLProviderRequest" {
        req saml_provider_arn: String = "SAMLProviderArn", Some(&ARN);
    }
}
input! {
    /// Input of `TagSAMLProvider`.
    TagSamlProviderInput "TagSAMLProviderRequest" {
        req saml_provider_arn: String = "SAMLProviderArn", Some(&ARN);
        req tags: Vec<Tag> = "Tags", Some(&TAG_LIST);
    }
}
input! {
    /// Input of `UntagSAMLProvider`.
    UntagSamlProviderInput "UntagSAMLProviderRequest" {
        req saml_provider_arn: String = "SAMLProviderArn", Some(&ARN);
        req tag_keys: Vec<String> = "TagKeys", Some(&TAG_KEY_LIST);
    }
}
input! {
    /// Input of `ListSAMLProviderTags`.
    ListSamlProviderTagsInput "ListSAMLProviderTagsRequest" {
        req saml_provider_arn: String = "SAMLProviderArn", Some(&ARN);
        opt marker: String = "Marker", Some(&MARKER);
        opt max_items: i32 = "MaxItems", Some(&MAX_ITEMS);
    }
}
structure! {
    /// Output of `ListSAMLProviderTags`.
    ListSamlProviderTagsOutput "ListSAMLProviderTagsResponse" {
        req tags: Vec<Tag> = "Tags";
        req is_truncated: bool = "IsTruncated";
        opt marker: String = "Marker";
    }
}

input! {
    /// Input of `UploadServerCertificate`.
    UploadServerCertificateInput "UploadServerCertificateRequest" {
        opt path: String = "Path", Some(&PATH);
        req server_certificate_name: String = "ServerCertificateName", Some(&SERVER_CERTIFICATE_NAME);
        req certificate_body: String = "CertificateBody", Some(&CERTIFICATE_BODY);
        req private_key: String = "PrivateKey", Some(&PRIVATE_KEY);
        opt certificate_chain: String = "CertificateChain", Some(&CERTIFICATE_CHAIN);
        opt tags: Vec<Tag> = "Tags", Some(&TAG_LIST);
    }
}
structure! {
    /// Output of `UploadServerCertificate`.
    UploadServerCertificateOutput "UploadServerCertificateResponse" {
        opt server_certificate_metadata: ServerCertificateMetadata = "ServerCertificateMetadata";
        omit_empty tags: Vec<Tag> = "Tags";
    }
}
input! {
    /// Input of `GetServerCertificate`.
    GetServerCertificateInput "GetServerCertificateRequest" {
        req server_certificate_name: String = "ServerCertificateName", Some(&SERVER_CERTIFICATE_NAME);
    }
}
structure! {
    /// Output of `GetServerCertificate`.
    GetServerCertificateOutput "GetServerCertificateResponse" {
        req server_certificate: ServerCertificate = "ServerCertificate";
    }
}
input! {
    /// Input of `ListServerCertificates`.
    ListServerCertificatesInput "ListServerCertificatesRequest" {
        opt path_prefix: String = "PathPrefix", Some(&PATH_PREFIX);
        opt marker: String = "Marker", Some(&MARKER);
        opt max_items: i32 = "MaxItems", Some(&MAX_ITEMS);
    }
}
structure! {
    /// Output of `ListServerCertificates`.
    ListServerCertificatesOutput "ListServerCertificatesResponse" {
        req server_certificate_metadata_list: Vec<ServerCertificateMetadata> = "ServerCertificateMetadataList";
        req is_truncated: bool = "IsTruncated";
        opt marker: String = "Marker";
    }
}
input! {
    /// Input of `UpdateServerCertificate`.
    UpdateServerCertificateInput "UpdateServerCertificateRequest" {
        req server_certificate_name: String = "ServerCertificateName", Some(&SERVER_CERTIFICATE_NAME);
        opt new_path: String = "NewPath", Some(&PATH);
        opt new_server_certificate_name: String = "NewServerCertificateName", Some(&SERVER_CERTIFICATE_NAME);
    }
}
input! {
    /// Input of `DeleteServerCertificate`.
    DeleteServerCertificateInput "DeleteServerCertificateRequest" {
        req server_certificate_name: String = "ServerCertificateName", Some(&SERVER_CERTIFICATE_NAME);
    }
}
input! {
    /// Input of `TagServerCertificate`.
    TagServerCertificateInput "TagServerCertificateRequest" {
        req server_certificate_name: String = "ServerCertificateName", Some(&SERVER_CERTIFICATE_NAME);
        req tags: Vec<Tag> = "Tags", Some(&TAG_LIST);
    }
}
input! {
    /// Input of `UntagServerCertificate`.
    UntagServerCertificateInput "UntagServerCertificateRequest" {
        req server_certificate_name: String = "ServerCertificateName", Some(&SERVER_CERTIFICATE_NAME);
        req tag_keys: Vec<String> = "TagKeys", Some(&TAG_KEY_LIST);
    }
}
input! {
    /// Input of `ListServerCertificateTags`.
    ListServerCertificateTagsInput "ListServerCertificateTagsRequest" {
        req server_certificate_name: String = "ServerCertificateName", Some(&SERVER_CERTIFICATE_NAME);
        opt marker: String = "Marker", Some(&MARKER);
        opt max_items: i32 = "MaxItems", Some(&MAX_ITEMS);
    }
}
structure! {
    /// Output of `ListServerCertificateTags`.
    ListServerCertificateTagsOutput "ListServerCertificateTagsResponse" {
        req tags: Vec<Tag> = "Tags";
        req is_truncated: bool = "IsTruncated";
        opt marker: String = "Marker";
    }
}
input! {
    /// Input of `CreateServiceSpecificCredential` (`CredentialAgeDays` is not decoded).
    CreateServiceSpecificCredentialInput "CreateServiceSpecificCredentialRequest" {
        req user_name: String = "UserName", Some(&USER_NAME);
        req service_name: String = "ServiceName", None;
    }
}
structure! {
    /// Output of `CreateServiceSpecificCredential` and `ResetServiceSpecificCredential`.
    CreateServiceSpecificCredentialOutput "CreateServiceSpecificCredentialResponse" {
        opt service_specific_credential: ServiceSpecificCredential = "ServiceSpecificCredential";
    }
}
input! {
    /// Input of `ListServiceSpecificCredentials`.
    ListServiceSpecificCredentialsInput "ListServiceSpecificCredentialsRequest" {
        opt user_name: String = "UserName", Some(&USER_NAME);
        opt service_name: String = "ServiceName", None;
        opt all_users: bool = "AllUsers", None;
        opt marker: String = "Marker", Some(&MARKER);
        opt max_items: i32 = "MaxItems", Some(&MAX_ITEMS);
    }
}
structure! {
    /// Output of `ListServiceSpecificCredentials`.
    ListServiceSpecificCredentialsOutput "ListServiceSpecificCredentialsResponse" {
        req service_specific_credentials: Vec<ServiceSpecificCredentialMetadata> = "ServiceSpecificCredentials";
        opt marker: String = "Marker";
        req is_truncated: bool = "IsTruncated";
    }
}
input! {
    /// Input of `UpdateServiceSpecificCredential`.
    UpdateServiceSpecificCredentialInput "UpdateServiceSpecificCredentialRequest" {
        opt user_name: String = "UserName", Some(&USER_NAME);
        req service_specific_credential_id: String = "ServiceSpecificCredentialId", Some(&SERVICE_SPECIFIC_CREDENTIAL_ID);
        req status: AccessKeyStatus = "Status", Some(&AccessKeyStatus::CONSTRAINT);
    }
}
input! {
    /// Input of `ResetServiceSpecificCredential`.
    ResetServiceSpecificCredentialInput "ResetServiceSpecificCredentialRequest" {
        opt user_name: String = "UserName", Some(&USER_NAME);
        req service_specific_credential_id: String = "ServiceSpecificCredentialId", Some(&SERVICE_SPECIFIC_CREDENTIAL_ID);
    }
}
structure! {
    /// Output of `ResetServiceSpecificCredential`.
    ResetServiceSpecificCredentialOutput "ResetServiceSpecificCredentialResponse" {
        opt service_specific_credential: ServiceSpecificCredential = "ServiceSpecificCredential";
    }
}
input! {
    /// Input of `DeleteServiceSpecificCredential`.
    DeleteServiceSpecificCredentialInput "DeleteServiceSpecificCredentialRequest" {
        opt user_name: String = "UserName", Some(&USER_NAME);
        req service_specific_credential_id: String = "ServiceSpecificCredentialId", Some(&SERVICE_SPECIFIC_CREDENTIAL_ID);
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
        CreatePolicyVersion(CreatePolicyVersionInput => CreatePolicyVersionOutput),
        ListPolicyVersions(ListPolicyVersionsInput => ListPolicyVersionsOutput),
        ListEntitiesForPolicy(ListEntitiesForPolicyInput => ListEntitiesForPolicyOutput),
        ListRoleTags(ListRoleTagsInput => ListRoleTagsOutput),
        UpdateRole(UpdateRoleInput => UpdateRoleOutput),
        UpdateRoleDescription(UpdateRoleDescriptionInput => UpdateRoleDescriptionOutput),
        ListPolicyTags(ListPolicyTagsInput => ListPolicyTagsOutput),
        CreateLoginProfile(CreateLoginProfileInput => CreateLoginProfileOutput),
        GetLoginProfile(GetLoginProfileInput => GetLoginProfileOutput),
        GetAccountPasswordPolicy(GetAccountPasswordPolicyInput => GetAccountPasswordPolicyOutput),
        GetAccessKeyLastUsed(GetAccessKeyLastUsedInput => GetAccessKeyLastUsedOutput),
        GenerateCredentialReport(GenerateCredentialReportInput => GenerateCredentialReportOutput),
        GetCredentialReport(GetCredentialReportInput => GetCredentialReportOutput),
        ListAccountAliases(ListAccountAliasesInput => ListAccountAliasesOutput),
        CreateVirtualMFADevice(CreateVirtualMfaDeviceInput => CreateVirtualMfaDeviceOutput),
        ListMFADevices(ListMfaDevicesInput => ListMfaDevicesOutput),
        ListVirtualMFADevices(ListVirtualMfaDevicesInput => ListVirtualMfaDevicesOutput),
        GetMFADevice(GetMfaDeviceInput => GetMfaDeviceOutput),
        SimulatePrincipalPolicy(SimulatePrincipalPolicyInput => SimulatePrincipalPolicyOutput),
        SimulateCustomPolicy(SimulateCustomPolicyInput => SimulateCustomPolicyOutput),
        GetAccountAuthorizationDetails(GetAccountAuthorizationDetailsInput => GetAccountAuthorizationDetailsOutput),
        CreateInstanceProfile(CreateInstanceProfileInput => CreateInstanceProfileOutput),
        GetInstanceProfile(GetInstanceProfileInput => GetInstanceProfileOutput),
        ListInstanceProfiles(ListInstanceProfilesInput => ListInstanceProfilesOutput),
        ListInstanceProfilesForRole(ListInstanceProfilesForRoleInput => ListInstanceProfilesForRoleOutput),
        CreateServiceLinkedRole(CreateServiceLinkedRoleInput => CreateServiceLinkedRoleOutput),
        DeleteServiceLinkedRole(DeleteServiceLinkedRoleInput => DeleteServiceLinkedRoleOutput),
        GetServiceLinkedRoleDeletionStatus(GetServiceLinkedRoleDeletionStatusInput => GetServiceLinkedRoleDeletionStatusOutput),
        EnableOrganizationsRootCredentialsManagement(EnableOrganizationsRootCredentialsManagementInput => EnableOrganizationsRootCredentialsManagementOutput),
        EnableOrganizationsRootSessions(EnableOrganizationsRootSessionsInput => EnableOrganizationsRootSessionsOutput),
        DisableOrganizationsRootCredentialsManagement(DisableOrganizationsRootCredentialsManagementInput => DisableOrganizationsRootCredentialsManagementOutput),
        DisableOrganizationsRootSessions(DisableOrganizationsRootSessionsInput => DisableOrganizationsRootSessionsOutput),
        ListOrganizationsFeatures(ListOrganizationsFeaturesInput => ListOrganizationsFeaturesOutput),
        ListMFADeviceTags(ListMfaDeviceTagsInput => ListMfaDeviceTagsOutput),
        ListInstanceProfileTags(ListInstanceProfileTagsInput => ListInstanceProfileTagsOutput),
        GetContextKeysForPrincipalPolicy(GetContextKeysForPrincipalPolicyInput => GetContextKeysForPrincipalPolicyOutput),
        GetContextKeysForCustomPolicy(GetContextKeysForCustomPolicyInput => GetContextKeysForCustomPolicyOutput),
        UploadSigningCertificate(UploadSigningCertificateInput => UploadSigningCertificateOutput),
        ListSigningCertificates(ListSigningCertificatesInput => ListSigningCertificatesOutput),
        UploadSSHPublicKey(UploadSshPublicKeyInput => UploadSshPublicKeyOutput),
        GetSSHPublicKey(GetSshPublicKeyInput => GetSshPublicKeyOutput),
        ListSSHPublicKeys(ListSshPublicKeysInput => ListSshPublicKeysOutput),
        CreateOpenIDConnectProvider(CreateOpenIdConnectProviderInput => CreateOpenIdConnectProviderOutput),
        GetOpenIDConnectProvider(GetOpenIdConnectProviderInput => GetOpenIdConnectProviderOutput),
        ListOpenIDConnectProviders(ListOpenIdConnectProvidersInput => ListOpenIdConnectProvidersOutput),
        ListOpenIDConnectProviderTags(ListOpenIdConnectProviderTagsInput => ListOpenIdConnectProviderTagsOutput),
        CreateSAMLProvider(CreateSamlProviderInput => CreateSamlProviderOutput),
        GetSAMLProvider(GetSamlProviderInput => GetSamlProviderOutput),
        ListSAMLProviders(ListSamlProvidersInput => ListSamlProvidersOutput),
        UpdateSAMLProvider(UpdateSamlProviderInput => UpdateSamlProviderOutput),
        ListSAMLProviderTags(ListSamlProviderTagsInput => ListSamlProviderTagsOutput),
        UploadServerCertificate(UploadServerCertificateInput => UploadServerCertificateOutput),
        GetServerCertificate(GetServerCertificateInput => GetServerCertificateOutput),
        ListServerCertificates(ListServerCertificatesInput => ListServerCertificatesOutput),
        ListServerCertificateTags(ListServerCertificateTagsInput => ListServerCertificateTagsOutput),
        CreateServiceSpecificCredential(CreateServiceSpecificCredentialInput => CreateServiceSpecificCredentialOutput),
        ListServiceSpecificCredentials(ListServiceSpecificCredentialsInput => ListServiceSpecificCredentialsOutput),
        ResetServiceSpecificCredential(ResetServiceSpecificCredentialInput => ResetServiceSpecificCredentialOutput),
        // ---- access advisor, summaries (access_advisor.rs) ----
        GenerateServiceLastAccessedDetails(GenerateServiceLastAccessedDetailsInput => GenerateServiceLastAccessedDetailsOutput),
        GetServiceLastAccessedDetails(GetServiceLastAccessedDetailsInput => GetServiceLastAccessedDetailsOutput),
        GetServiceLastAccessedDetailsWithEntities(GetServiceLastAccessedDetailsWithEntitiesInput => GetServiceLastAccessedDetailsWithEntitiesOutput),
        ListPoliciesGrantingServiceAccess(ListPoliciesGrantingServiceAccessInput => ListPoliciesGrantingServiceAccessOutput),
        GenerateOrganizationsAccessReport(GenerateOrganizationsAccessReportInput => GenerateOrganizationsAccessReportOutput),
        GetOrganizationsAccessReport(GetOrganizationsAccessReportInput => GetOrganizationsAccessReportOutput),
        // ---- temporary delegation and outbound web identity federation ----
        CreateDelegationRequest(CreateDelegationRequestInput => CreateDelegationRequestOutput),
        GetDelegationRequest(GetDelegationRequestInput => GetDelegationRequestOutput),
        ListDelegationRequests(ListDelegationRequestsInput => ListDelegationRequestsOutput),
        EnableOutboundWebIdentityFederation(EnableOutboundWebIdentityFederationInput => EnableOutboundWebIdentityFederationOutput),
        GetOutboundWebIdentityFederationInfo(GetOutboundWebIdentityFederationInfoInput => GetOutboundWebIdentityFederationInfoOutput),
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
        DeletePolicyVersion(DeletePolicyVersionInput),
        SetDefaultPolicyVersion(SetDefaultPolicyVersionInput),
        PutUserPermissionsBoundary(PutUserPermissionsBoundaryInput),
        DeleteUserPermissionsBoundary(DeleteUserPermissionsBoundaryInput),
        PutRolePermissionsBoundary(PutRolePermissionsBoundaryInput),
        DeleteRolePermissionsBoundary(DeleteRolePermissionsBoundaryInput),
        TagRole(TagRoleInput),
        UntagRole(UntagRoleInput),
        TagPolicy(TagPolicyInput),
        UntagPolicy(UntagPolicyInput),
        UpdateLoginProfile(UpdateLoginProfileInput),
        DeleteLoginProfile(DeleteLoginProfileInput),
        ChangePassword(ChangePasswordInput),
        UpdateAccountPasswordPolicy(UpdateAccountPasswordPolicyInput),
        DeleteAccountPasswordPolicy(DeleteAccountPasswordPolicyInput),
        CreateAccountAlias(CreateAccountAliasInput),
        DeleteAccountAlias(DeleteAccountAliasInput),
        EnableMFADevice(EnableMfaDeviceInput),
        ResyncMFADevice(ResyncMfaDeviceInput),
        DeactivateMFADevice(DeactivateMfaDeviceInput),
        DeleteVirtualMFADevice(DeleteVirtualMfaDeviceInput),
        AddRoleToInstanceProfile(AddRoleToInstanceProfileInput),
        RemoveRoleFromInstanceProfile(RemoveRoleFromInstanceProfileInput),
        DeleteInstanceProfile(DeleteInstanceProfileInput),
        UpdateGroup(UpdateGroupInput),
        TagMFADevice(TagMfaDeviceInput),
        UntagMFADevice(UntagMfaDeviceInput),
        TagInstanceProfile(TagInstanceProfileInput),
        UntagInstanceProfile(UntagInstanceProfileInput),
        UpdateSigningCertificate(UpdateSigningCertificateInput),
        DeleteSigningCertificate(DeleteSigningCertificateInput),
        UpdateSSHPublicKey(UpdateSshPublicKeyInput),
        DeleteSSHPublicKey(DeleteSshPublicKeyInput),
        DeleteOpenIDConnectProvider(DeleteOpenIdConnectProviderInput),
        AddClientIDToOpenIDConnectProvider(AddClientIdToOpenIdConnectProviderInput),
        RemoveClientIDFromOpenIDConnectProvider(RemoveClientIdFromOpenIdConnectProviderInput),
        UpdateOpenIDConnectProviderThumbprint(UpdateOpenIdConnectProviderThumbprintInput),
        TagOpenIDConnectProvider(TagOpenIdConnectProviderInput),
        UntagOpenIDConnectProvider(UntagOpenIdConnectProviderInput),
        DeleteSAMLProvider(DeleteSamlProviderInput),
        TagSAMLProvider(TagSamlProviderInput),
        UntagSAMLProvider(UntagSamlProviderInput),
        UpdateServerCertificate(UpdateServerCertificateInput),
        DeleteServerCertificate(DeleteServerCertificateInput),
        TagServerCertificate(TagServerCertificateInput),
        UntagServerCertificate(UntagServerCertificateInput),
        UpdateServiceSpecificCredential(UpdateServiceSpecificCredentialInput),
        DeleteServiceSpecificCredential(DeleteServiceSpecificCredentialInput),
        // ---- temporary delegation and outbound web identity federation ----
        AcceptDelegationRequest(AcceptDelegationRequestInput),
        AssociateDelegationRequest(AssociateDelegationRequestInput),
        RejectDelegationRequest(RejectDelegationRequestInput),
        UpdateDelegationRequest(UpdateDelegationRequestInput),
        SendDelegationToken(SendDelegationTokenInput),
        DisableOutboundWebIdentityFederation(DisableOutboundWebIdentityFederationInput),
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
            permissions_boundary_type: PERMISSIONS_BOUNDARY_TYPE.into(),
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
                 <PermissionsBoundary><PermissionsBoundaryType>Policy</PermissionsBoundaryType>\
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
    fn simulate_principal_policy_decodes_captured_body() {
        let op = decode(
            "Action=SimulatePrincipalPolicy&Version=2010-05-08&PolicySourceArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Auser%2Falice\
             &ActionNames.member.1=s3%3AGetObject&ActionNames.member.2=iam%3AListUsers\
             &ContextEntries.member.1.ContextKeyName=aws%3AMultiFactorAuthPresent\
             &ContextEntries.member.1.ContextKeyValues.member.1=true&ContextEntries.member.1.ContextKeyType=boolean",
        )
        .unwrap();
        let Operation::SimulatePrincipalPolicy(i) = op else {
            panic!("wrong op")
        };
        assert_eq!(i.policy_source_arn, "arn:aws:iam::123456789012:user/alice");
        assert_eq!(i.action_names, vec!["s3:GetObject", "iam:ListUsers"]);
        assert_eq!(
            i.context_entries,
            Some(vec![ContextEntry {
                context_key_name: Some("aws:MultiFactorAuthPresent".into()),
                context_key_values: Some(vec!["true".into()]),
                context_key_type: Some(ContextKeyType::Boolean),
            }])
        );
        let e = decode("Action=SimulateCustomPolicy&Version=2010-05-08&ActionNames.member.1=s3")
            .unwrap_err();
        assert_eq!(
            e.message,
            "2 validation errors detected: Value null at 'policyInputList' failed to satisfy constraint: Member \
             must not be null; Value 's3' at 'actionNames.1.member' failed to satisfy constraint: Member must have \
             length greater than or equal to 3"
        );
        let e = decode(
            "Action=SimulateCustomPolicy&Version=2010-05-08&PolicyInputList.member.1=%7B%7D&ActionNames.member.1=s3%3A*\
             &ContextEntries.member.1.ContextKeyType=bool",
        )
        .unwrap_err();
        assert!(
            e.message.contains("at 'contextEntries.1.member.contextKeyType' failed to satisfy constraint: Member must satisfy enum value set: [string, stringList,"),
            "{}",
            e.message
        );
    }

    #[test]
    fn password_policy_and_mfa_decode_captured_bodies() {
        let op = decode(
            "Action=UpdateAccountPasswordPolicy&Version=2010-05-08&MinimumPasswordLength=14&RequireSymbols=true\
             &RequireNumbers=false&AllowUsersToChangePassword=true&MaxPasswordAge=90&PasswordReusePrevention=24",
        )
        .unwrap();
        assert_eq!(
            op,
            Operation::UpdateAccountPasswordPolicy(UpdateAccountPasswordPolicyInput {
                minimum_password_length: Some(14),
                require_symbols: Some(true),
                require_numbers: Some(false),
                allow_users_to_change_password: Some(true),
                max_password_age: Some(90),
                password_reuse_prevention: Some(24),
                ..UpdateAccountPasswordPolicyInput::default()
            })
        );
        let op = decode(
            "Action=EnableMFADevice&Version=2010-05-08&UserName=alice\
             &SerialNumber=arn%3Aaws%3Aiam%3A%3A123456789012%3Amfa%2Falice&AuthenticationCode1=123456&AuthenticationCode2=654321",
        )
        .unwrap();
        assert!(!op.has_output());
        assert_eq!(
            op,
            Operation::EnableMFADevice(EnableMfaDeviceInput {
                user_name: "alice".into(),
                serial_number: "arn:aws:iam::123456789012:mfa/alice".into(),
                authentication_code1: "123456".into(),
                authentication_code2: "654321".into(),
            })
        );
        let e = decode(
            "Action=ResyncMFADevice&Version=2010-05-08&UserName=a&SerialNumber=arn%3Aaws%3Aiam%3A%3A1%3Amfa%2Fa\
             &AuthenticationCode1=12345a&AuthenticationCode2=1234567",
        )
        .unwrap_err();
        assert_eq!(
            e.message,
            "2 validation errors detected: Value '12345a' at 'authenticationCode1' failed to satisfy constraint: \
             Member must satisfy regular expression pattern: [\\d]+; Value '1234567' at 'authenticationCode2' failed \
             to satisfy constraint: Member must have length less than or equal to 6"
        );
        let e =
            decode("Action=UpdateAccountPasswordPolicy&Version=2010-05-08&MinimumPasswordLength=5")
                .unwrap_err();
        assert_eq!(
            e.message,
            "1 validation error detected: Value '5' at 'minimumPasswordLength' failed to satisfy constraint: \
             Member must have value greater than or equal to 6"
        );
    }

    #[test]
    fn passwords_are_redacted_in_debug_and_errors() {
        let op = decode("Action=ChangePassword&Version=2010-05-08&OldPassword=hunter2&NewPassword=correct+horse")
            .unwrap();
        let Operation::ChangePassword(i) = &op else {
            panic!("wrong op")
        };
        assert_eq!(i.new_password.expose(), "correct horse");
        assert!(!format!("{op:?}").contains("hunter2"));
        let e =
            decode("Action=CreateLoginProfile&Version=2010-05-08&UserName=a&Password=%01secret")
                .unwrap_err();
        assert_eq!(
            e.message,
            "1 validation error detected: Value at 'password' failed to satisfy constraint: Member must satisfy \
             regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+"
        );
        let e = decode("Action=ChangePassword&Version=2010-05-08&OldPassword=x").unwrap_err();
        assert!(
            e.message.contains("Value null at 'newPassword'"),
            "{}",
            e.message
        );
    }

    #[test]
    fn account_alias_pattern() {
        for ok in ["abc", "my-corp-1", "a1b"] {
            assert!(Pattern::AccountAlias.matches(ok), "{ok}");
        }
        for bad in ["ab", "-abc", "abc-", "a--b", "ABC", "a_b"] {
            assert!(!Pattern::AccountAlias.matches(bad), "{bad}");
        }
        let e = decode("Action=CreateAccountAlias&Version=2010-05-08&AccountAlias=My--Corp")
            .unwrap_err();
        assert_eq!(
            e.message,
            "1 validation error detected: Value 'My--Corp' at 'accountAlias' failed to satisfy constraint: Member must \
             satisfy regular expression pattern: ^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$"
        );
    }

    #[test]
    fn credential_report_content_is_base64() {
        let out = GetCredentialReportOutput {
            content: Some(Blob(
                b"user,arn\n<root_account>,arn:aws:iam::123456789012:root\n".to_vec(),
            )),
            report_format: Some(ReportFormat::TextCsv),
            generated_time: Some(Timestamp(1_714_566_896)),
        };
        assert_eq!(
            body(&Output::from(out).encode("GetCredentialReport", "r")),
            format!(
                "<GetCredentialReportResponse xmlns=\"{NS}\"><GetCredentialReportResult>\
                 <Content>dXNlcixhcm4KPHJvb3RfYWNjb3VudD4sYXJuOmF3czppYW06OjEyMzQ1Njc4OTAxMjpyb290Cg==</Content>\
                 <ReportFormat>text/csv</ReportFormat><GeneratedTime>2024-05-01T12:34:56Z</GeneratedTime>\
                 </GetCredentialReportResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>\
                 </GetCredentialReportResponse>"
            )
        );
        let out = GenerateCredentialReportOutput {
            state: Some(ReportState::Started),
            description: Some("No report exists. Starting a new report generation task".into()),
        };
        assert!(body(&Output::from(out).encode("GenerateCredentialReport", "r")).contains(
            "<GenerateCredentialReportResult><State>STARTED</State><Description>No report exists. Starting a new \
             report generation task</Description></GenerateCredentialReportResult>"
        ));
    }

    #[test]
    fn virtual_mfa_device_xml_is_exact() {
        let device = VirtualMfaDevice {
            serial_number: "arn:aws:iam::123456789012:mfa/alice".into(),
            base32_string_seed: Some(Blob(b"JBSWY3DPEHPK3PXP".to_vec())),
            qr_code_png: Some(Blob(vec![0x89, b'P', b'N', b'G'])),
            ..VirtualMfaDevice::default()
        };
        assert!(!format!("{device:?}").contains("JBSW"));
        assert_eq!(
            body(
                &Output::from(CreateVirtualMfaDeviceOutput {
                    virtual_mfa_device: device
                })
                .encode("CreateVirtualMFADevice", "r")
            ),
            format!(
                "<CreateVirtualMFADeviceResponse xmlns=\"{NS}\"><CreateVirtualMFADeviceResult><VirtualMFADevice>\
                 <SerialNumber>arn:aws:iam::123456789012:mfa/alice</SerialNumber>\
                 <Base32StringSeed>SkJTV1kzRFBFSFBLM1BYUA==</Base32StringSeed><QRCodePNG>iVBORw==</QRCodePNG>\
                 </VirtualMFADevice></CreateVirtualMFADeviceResult><ResponseMetadata><RequestId>r</RequestId>\
                 </ResponseMetadata></CreateVirtualMFADeviceResponse>"
            )
        );
        let listed = VirtualMfaDevice {
            serial_number: "arn:aws:iam::123456789012:mfa/alice".into(),
            user: Some(alice()),
            enable_date: Some(Timestamp(0)),
            ..VirtualMfaDevice::default()
        };
        let xml = body(
            &Output::from(ListVirtualMfaDevicesOutput {
                virtual_mfa_devices: vec![listed],
                is_truncated: false,
                marker: None,
            })
            .encode("ListVirtualMFADevices", "r"),
        );
        assert!(xml.contains(
            "<VirtualMFADevices><member><SerialNumber>arn:aws:iam::123456789012:mfa/alice</SerialNumber><User><Path>/eng/</Path>"
        ));
        assert!(xml.contains("</User><EnableDate>1970-01-01T00:00:00Z</EnableDate></member></VirtualMFADevices><IsTruncated>false</IsTruncated>"));
    }

    #[test]
    fn simulation_results_xml_is_exact() {
        let statement = Statement {
            source_policy_id: Some("inline".into()),
            source_policy_type: Some(PolicySourceType::User),
            start_position: Some(Position {
                line: 1,
                column: 12,
            }),
            end_position: Some(Position {
                line: 1,
                column: 80,
            }),
        };
        let mut details = BTreeMap::new();
        details.insert("IAM Policy".to_owned(), PolicyEvaluationDecision::Allowed);
        let result = EvaluationResult {
            eval_action_name: "s3:GetObject".into(),
            eval_resource_name: Some("*".into()),
            eval_decision: PolicyEvaluationDecision::Allowed,
            matched_statements: vec![statement.clone()],
            missing_context_values: vec![],
            organizations_decision_detail: Some(OrganizationsDecisionDetail {
                allowed_by_organizations: true,
            }),
            permissions_boundary_decision_detail: None,
            eval_decision_details: details,
            resource_specific_results: vec![ResourceSpecificResult {
                eval_resource_name: "arn:aws:s3:::b/k".into(),
                eval_resource_decision: PolicyEvaluationDecision::ImplicitDeny,
                matched_statements: vec![],
                missing_context_values: vec!["aws:SourceIp".into()],
                eval_decision_details: BTreeMap::new(),
                permissions_boundary_decision_detail: Some(PermissionsBoundaryDecisionDetail {
                    allowed_by_permissions_boundary: false,
                }),
            }],
        };
        let out = SimulatePrincipalPolicyOutput {
            evaluation_results: vec![result],
            is_truncated: false,
            marker: None,
        };
        assert_eq!(
            body(&Output::from(out).encode("SimulatePrincipalPolicy", "r")),
            format!(
                "<SimulatePrincipalPolicyResponse xmlns=\"{NS}\"><SimulatePrincipalPolicyResult><EvaluationResults><member>\
                 <EvalActionName>s3:GetObject</EvalActionName><EvalResourceName>*</EvalResourceName>\
                 <EvalDecision>allowed</EvalDecision><MatchedStatements><member><SourcePolicyId>inline</SourcePolicyId>\
                 <SourcePolicyType>user</SourcePolicyType><StartPosition><Line>1</Line><Column>12</Column></StartPosition>\
                 <EndPosition><Line>1</Line><Column>80</Column></EndPosition></member></MatchedStatements>\
                 <MissingContextValues/><OrganizationsDecisionDetail><AllowedByOrganizations>true</AllowedByOrganizations>\
                 </OrganizationsDecisionDetail><EvalDecisionDetails><entry><key>IAM Policy</key><value>allowed</value>\
                 </entry></EvalDecisionDetails><ResourceSpecificResults><member><EvalResourceName>arn:aws:s3:::b/k\
                 </EvalResourceName><EvalResourceDecision>implicitDeny</EvalResourceDecision><MatchedStatements/>\
                 <MissingContextValues><member>aws:SourceIp</member></MissingContextValues>\
                 <PermissionsBoundaryDecisionDetail><AllowedByPermissionsBoundary>false</AllowedByPermissionsBoundary>\
                 </PermissionsBoundaryDecisionDetail></member></ResourceSpecificResults></member></EvaluationResults>\
                 <IsTruncated>false</IsTruncated></SimulatePrincipalPolicyResult><ResponseMetadata><RequestId>r\
                 </RequestId></ResponseMetadata></SimulatePrincipalPolicyResponse>"
            )
            .replace("b/k\n", "b/k")
        );
    }

    #[test]
    fn account_authorization_details_encode_every_document() {
        let op = decode("Action=GetAccountAuthorizationDetails&Version=2010-05-08&Filter.member.1=User&Filter.member.2=AWSManagedPolicy&MaxItems=10").unwrap();
        let Operation::GetAccountAuthorizationDetails(i) = op else {
            panic!("wrong op")
        };
        assert_eq!(
            i.filter,
            Some(vec![EntityType::User, EntityType::AwsManagedPolicy])
        );
        let e = decode(
            "Action=GetAccountAuthorizationDetails&Version=2010-05-08&Filter.member.1=Users",
        )
        .unwrap_err();
        assert_eq!(
            e.message,
            "1 validation error detected: Value 'Users' at 'filter.1.member' failed to satisfy constraint: Member must \
             satisfy enum value set: [User, Role, Group, LocalManagedPolicy, AWSManagedPolicy]"
        );
        let doc = |t: &str| PolicyDocument(t.to_owned());
        let out = GetAccountAuthorizationDetailsOutput {
            user_detail_list: vec![UserDetail {
                path: "/".into(),
                user_name: "alice".into(),
                user_id: "AIDAJQABLZS4A3QDU576Q".into(),
                arn: "arn:aws:iam::123456789012:user/alice".into(),
                create_date: Timestamp(0),
                user_policy_list: vec![PolicyDetail {
                    policy_name: "p".into(),
                    policy_document: doc("{\"a\": 1}"),
                }],
                group_list: vec!["Admins".into()],
                attached_managed_policies: vec![],
                permissions_boundary: None,
                tags: vec![],
            }],
            group_detail_list: vec![],
            role_detail_list: vec![RoleDetail {
                path: "/".into(),
                role_name: "r".into(),
                role_id: "AROAJQABLZS4A3QDU576Q".into(),
                arn: "arn:aws:iam::123456789012:role/r".into(),
                create_date: Timestamp(0),
                assume_role_policy_document: Some(doc("{}")),
                ..RoleDetail::default()
            }],
            policies: vec![ManagedPolicyDetail {
                policy_name: "mp".into(),
                policy_id: "ANPAJQABLZS4A3QDU576Q".into(),
                arn: "arn:aws:iam::123456789012:policy/mp".into(),
                path: "/".into(),
                default_version_id: "v1".into(),
                attachment_count: 0,
                permissions_boundary_usage_count: 0,
                is_attachable: true,
                description: None,
                create_date: Timestamp(0),
                update_date: Timestamp(0),
                policy_version_list: vec![PolicyVersion {
                    document: Some(doc("{\"b\": [1]}")),
                    version_id: "v1".into(),
                    is_default_version: true,
                    create_date: Timestamp(0),
                }],
            }],
            is_truncated: true,
            marker: Some("m".into()),
        };
        let t0 = "1970-01-01T00:00:00Z";
        assert_eq!(
            body(&Output::from(out).encode("GetAccountAuthorizationDetails", "r")),
            format!(
                "<GetAccountAuthorizationDetailsResponse xmlns=\"{NS}\"><GetAccountAuthorizationDetailsResult>\
                 <UserDetailList><member><Path>/</Path><UserName>alice</UserName><UserId>AIDAJQABLZS4A3QDU576Q</UserId>\
                 <Arn>arn:aws:iam::123456789012:user/alice</Arn><CreateDate>{t0}</CreateDate><UserPolicyList><member>\
                 <PolicyName>p</PolicyName><PolicyDocument>%7B%22a%22%3A%201%7D</PolicyDocument></member></UserPolicyList>\
                 <GroupList><member>Admins</member></GroupList><AttachedManagedPolicies/></member></UserDetailList>\
                 <GroupDetailList/><RoleDetailList><member><Path>/</Path><RoleName>r</RoleName>\
                 <RoleId>AROAJQABLZS4A3QDU576Q</RoleId><Arn>arn:aws:iam::123456789012:role/r</Arn><CreateDate>{t0}</CreateDate>\
                 <AssumeRolePolicyDocument>%7B%7D</AssumeRolePolicyDocument><InstanceProfileList/><RolePolicyList/>\
                 <AttachedManagedPolicies/></member></RoleDetailList><Policies><member><PolicyName>mp</PolicyName>\
                 <PolicyId>ANPAJQABLZS4A3QDU576Q</PolicyId><Arn>arn:aws:iam::123456789012:policy/mp</Arn><Path>/</Path>\
                 <DefaultVersionId>v1</DefaultVersionId><AttachmentCount>0</AttachmentCount>\
                 <PermissionsBoundaryUsageCount>0</PermissionsBoundaryUsageCount><IsAttachable>true</IsAttachable>\
                 <CreateDate>{t0}</CreateDate><UpdateDate>{t0}</UpdateDate><PolicyVersionList><member>\
                 <Document>%7B%22b%22%3A%20%5B1%5D%7D</Document><VersionId>v1</VersionId>\
                 <IsDefaultVersion>true</IsDefaultVersion><CreateDate>{t0}</CreateDate></member></PolicyVersionList>\
                 </member></Policies><IsTruncated>true</IsTruncated><Marker>m</Marker>\
                 </GetAccountAuthorizationDetailsResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>\
                 </GetAccountAuthorizationDetailsResponse>"
            )
        );
    }

    #[test]
    fn instance_profile_nests_roles_with_encoded_trust_policy() {
        let role = Role {
            path: "/".into(),
            role_name: "ec2".into(),
            role_id: "AROAJQABLZS4A3QDU576Q".into(),
            arn: "arn:aws:iam::123456789012:role/ec2".into(),
            create_date: Timestamp(0),
            assume_role_policy_document: Some(PolicyDocument("{\"x\":\"y z\"}".into())),
            ..Role::default()
        };
        let profile = InstanceProfile {
            path: "/".into(),
            instance_profile_name: "web".into(),
            instance_profile_id: "AIPAJQABLZS4A3QDU576Q".into(),
            arn: "arn:aws:iam::123456789012:instance-profile/web".into(),
            create_date: Timestamp(0),
            roles: vec![role],
            tags: None,
        };
        assert_eq!(
            body(
                &Output::from(GetInstanceProfileOutput {
                    instance_profile: profile
                })
                .encode("GetInstanceProfile", "r")
            ),
            format!(
                "<GetInstanceProfileResponse xmlns=\"{NS}\"><GetInstanceProfileResult><InstanceProfile><Path>/</Path>\
                 <InstanceProfileName>web</InstanceProfileName><InstanceProfileId>AIPAJQABLZS4A3QDU576Q</InstanceProfileId>\
                 <Arn>arn:aws:iam::123456789012:instance-profile/web</Arn><CreateDate>1970-01-01T00:00:00Z</CreateDate>\
                 <Roles><member><Path>/</Path><RoleName>ec2</RoleName><RoleId>AROAJQABLZS4A3QDU576Q</RoleId>\
                 <Arn>arn:aws:iam::123456789012:role/ec2</Arn><CreateDate>1970-01-01T00:00:00Z</CreateDate>\
                 <AssumeRolePolicyDocument>%7B%22x%22%3A%22y%20z%22%7D</AssumeRolePolicyDocument></member></Roles>\
                 </InstanceProfile></GetInstanceProfileResult><ResponseMetadata><RequestId>r</RequestId>\
                 </ResponseMetadata></GetInstanceProfileResponse>"
            )
        );
    }

    #[test]
    fn update_role_has_an_empty_result_element() {
        let op = decode("Action=UpdateRole&Version=2010-05-08&RoleName=r&MaxSessionDuration=7200")
            .unwrap();
        assert!(op.has_output());
        assert_eq!(
            body(&Output::from(UpdateRoleOutput {}).encode(op.name(), "r")),
            format!(
                "<UpdateRoleResponse xmlns=\"{NS}\"><UpdateRoleResult></UpdateRoleResult><ResponseMetadata>\
                 <RequestId>r</RequestId></ResponseMetadata></UpdateRoleResponse>"
            )
        );
    }

    #[test]
    fn login_profile_password_policy_and_key_last_used_xml() {
        let xml = body(
            &Output::from(GetLoginProfileOutput {
                login_profile: LoginProfile {
                    user_name: "alice".into(),
                    create_date: Timestamp(0),
                    password_reset_required: Some(false),
                },
            })
            .encode("GetLoginProfile", "r"),
        );
        assert!(xml.contains(
            "<GetLoginProfileResult><LoginProfile><UserName>alice</UserName><CreateDate>1970-01-01T00:00:00Z</CreateDate>\
             <PasswordResetRequired>false</PasswordResetRequired></LoginProfile></GetLoginProfileResult>"
        ));
        let xml = body(
            &Output::from(GetAccountPasswordPolicyOutput {
                password_policy: PasswordPolicy {
                    minimum_password_length: 14,
                    require_symbols: true,
                    allow_users_to_change_password: true,
                    max_password_age: Some(90),
                    ..PasswordPolicy::default()
                },
            })
            .encode("GetAccountPasswordPolicy", "r"),
        );
        assert!(xml.contains(
            "<PasswordPolicy><MinimumPasswordLength>14</MinimumPasswordLength><RequireSymbols>true</RequireSymbols>\
             <RequireNumbers>false</RequireNumbers><RequireUppercaseCharacters>false</RequireUppercaseCharacters>\
             <RequireLowercaseCharacters>false</RequireLowercaseCharacters><AllowUsersToChangePassword>true\
             </AllowUsersToChangePassword><ExpirePasswords>false</ExpirePasswords><MaxPasswordAge>90</MaxPasswordAge>\
             </PasswordPolicy>"
            .replace("true\n", "true")
            .as_str()
        ));
        let xml = body(
            &Output::from(GetAccessKeyLastUsedOutput {
                user_name: Some("alice".into()),
                access_key_last_used: Some(AccessKeyLastUsed {
                    last_used_date: None,
                    service_name: "N/A".into(),
                    region: "N/A".into(),
                }),
            })
            .encode("GetAccessKeyLastUsed", "r"),
        );
        assert!(xml.contains(
            "<GetAccessKeyLastUsedResult><UserName>alice</UserName><AccessKeyLastUsed><ServiceName>N/A</ServiceName>\
             <Region>N/A</Region></AccessKeyLastUsed></GetAccessKeyLastUsedResult>"
        ));
    }

    #[test]
    fn entities_for_policy_and_policy_versions() {
        let op = decode(
            "Action=ListEntitiesForPolicy&Version=2010-05-08&PolicyArn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FReadOnlyAccess\
             &EntityFilter=Role&PathPrefix=%2F",
        )
        .unwrap();
        let Operation::ListEntitiesForPolicy(i) = op else {
            panic!("wrong op")
        };
        assert_eq!(i.entity_filter, Some(EntityType::Role));
        let out = ListEntitiesForPolicyOutput {
            policy_groups: vec![],
            policy_users: vec![PolicyUser {
                user_name: "alice".into(),
                user_id: "AIDAJQABLZS4A3QDU576Q".into(),
            }],
            policy_roles: vec![PolicyRole {
                role_name: "r".into(),
                role_id: "AROAJQABLZS4A3QDU576Q".into(),
            }],
            is_truncated: false,
            marker: None,
        };
        assert!(body(&Output::from(out).encode("ListEntitiesForPolicy", "r")).contains(
            "<ListEntitiesForPolicyResult><PolicyGroups/><PolicyUsers><member><UserName>alice</UserName>\
             <UserId>AIDAJQABLZS4A3QDU576Q</UserId></member></PolicyUsers><PolicyRoles><member><RoleName>r</RoleName>\
             <RoleId>AROAJQABLZS4A3QDU576Q</RoleId></member></PolicyRoles><IsTruncated>false</IsTruncated>\
             </ListEntitiesForPolicyResult>"
        ));
        let op = decode(
            "Action=CreatePolicyVersion&Version=2010-05-08&PolicyArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Apolicy%2Fp\
             &PolicyDocument=%7B%7D&SetAsDefault=true",
        )
        .unwrap();
        assert!(matches!(
            op,
            Operation::CreatePolicyVersion(CreatePolicyVersionInput {
                set_as_default: Some(true),
                ..
            })
        ));
        let xml = body(
            &Output::from(CreatePolicyVersionOutput {
                policy_version: PolicyVersion {
                    document: None,
                    version_id: "v2".into(),
                    is_default_version: true,
                    create_date: Timestamp(0),
                },
            })
            .encode("CreatePolicyVersion", "r"),
        );
        assert!(xml.contains(
            "<CreatePolicyVersionResult><PolicyVersion><VersionId>v2</VersionId><IsDefaultVersion>true</IsDefaultVersion>\
             <CreateDate>1970-01-01T00:00:00Z</CreateDate></PolicyVersion></CreatePolicyVersionResult>"
        ));
        let e = decode("Action=SetDefaultPolicyVersion&Version=2010-05-08&PolicyArn=arn%3Aaws%3Aiam%3A%3A1%3Apolicy%2Fpp&VersionId=v0").unwrap_err();
        assert!(e.message.contains("Value 'v0' at 'versionId' failed to satisfy constraint: Member must satisfy regular expression pattern: v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?"), "{}", e.message);
    }

    #[test]
    fn service_linked_role_outputs() {
        let xml = body(
            &Output::from(DeleteServiceLinkedRoleOutput {
                deletion_task_id: "task/aws-service-role/x/AWSServiceRoleForX/1".into(),
            })
            .encode("DeleteServiceLinkedRole", "r"),
        );
        assert!(xml.contains("<DeleteServiceLinkedRoleResult><DeletionTaskId>task/aws-service-role/x/AWSServiceRoleForX/1</DeletionTaskId></DeleteServiceLinkedRoleResult>"));
        let xml = body(
            &Output::from(GetServiceLinkedRoleDeletionStatusOutput {
                status: DeletionTaskStatus::Failed,
                reason: Some(DeletionTaskFailureReason {
                    reason: Some("in use".into()),
                    role_usage_list: vec![RoleUsage {
                        region: Some("us-east-1".into()),
                        resources: vec!["arn:x".into()],
                    }],
                }),
            })
            .encode("GetServiceLinkedRoleDeletionStatus", "r"),
        );
        assert!(xml.contains(
            "<Status>FAILED</Status><Reason><Reason>in use</Reason><RoleUsageList><member><Region>us-east-1</Region>\
             <Resources><member>arn:x</member></Resources></member></RoleUsageList></Reason>"
        ));
        let op = decode("Action=CreateServiceLinkedRole&Version=2010-05-08&AWSServiceName=elasticbeanstalk.amazonaws.com").unwrap();
        assert!(
            matches!(op, Operation::CreateServiceLinkedRole(ref i) if i.aws_service_name == "elasticbeanstalk.amazonaws.com")
        );
    }

    #[test]
    fn ssh_key_certificate_and_oidc_outputs() {
        let op = decode("Action=GetSSHPublicKey&Version=2010-05-08&UserName=alice&SSHPublicKeyId=APKAEIBAERJR2EXAMPLE&Encoding=PEM").unwrap();
        assert!(
            matches!(op, Operation::GetSSHPublicKey(ref i) if i.encoding == SshKeyEncoding::Pem)
        );
        let e = decode("Action=GetSSHPublicKey&Version=2010-05-08&UserName=alice&SSHPublicKeyId=APKAEIBAERJR2EXAMPLE&Encoding=X").unwrap_err();
        assert!(
            e.message
                .contains("Member must satisfy enum value set: [SSH, PEM]"),
            "{}",
            e.message
        );
        let e = decode("Action=CreateOpenIDConnectProvider&Version=2010-05-08&Url=https%3A%2F%2Fa&ThumbprintList.member.1=abc").unwrap_err();
        assert!(e.message.contains("Value 'abc' at 'thumbprintList.1.member' failed to satisfy constraint: Member must have length greater than or equal to 40"), "{}", e.message);
        let xml = body(
            &Output::from(GetSshPublicKeyOutput {
                ssh_public_key: SshPublicKey {
                    user_name: "alice".into(),
                    ssh_public_key_id: "APKAEIBAERJR2EXAMPLE".into(),
                    fingerprint: "4e:ba".into(),
                    ssh_public_key_body: "ssh-ed25519 AAAA".into(),
                    status: AccessKeyStatus::Active,
                    upload_date: Some(Timestamp(0)),
                },
            })
            .encode("GetSSHPublicKey", "r"),
        );
        assert!(xml.contains(
            "<GetSSHPublicKeyResult><SSHPublicKey><UserName>alice</UserName><SSHPublicKeyId>APKAEIBAERJR2EXAMPLE</SSHPublicKeyId>\
             <Fingerprint>4e:ba</Fingerprint><SSHPublicKeyBody>ssh-ed25519 AAAA</SSHPublicKeyBody><Status>Active</Status>\
             <UploadDate>1970-01-01T00:00:00Z</UploadDate></SSHPublicKey></GetSSHPublicKeyResult>"
        ), "{xml}");
        let xml = body(
            &Output::from(ListSigningCertificatesOutput {
                certificates: vec![SigningCertificate {
                    user_name: "alice".into(),
                    certificate_id: "TA7SMP42TDN5Z26OBPJE7EXAMPLE".into(),
                    certificate_body: "-----BEGIN CERTIFICATE-----".into(),
                    status: AccessKeyStatus::Inactive,
                    upload_date: Some(Timestamp(0)),
                }],
                is_truncated: false,
                marker: None,
            })
            .encode("ListSigningCertificates", "r"),
        );
        assert!(xml.contains(
            "<ListSigningCertificatesResult><Certificates><member><UserName>alice</UserName>\
             <CertificateId>TA7SMP42TDN5Z26OBPJE7EXAMPLE</CertificateId><CertificateBody>-----BEGIN CERTIFICATE-----</CertificateBody>\
             <Status>Inactive</Status><UploadDate>1970-01-01T00:00:00Z</UploadDate></member></Certificates>\
             <IsTruncated>false</IsTruncated></ListSigningCertificatesResult>"
        ), "{xml}");
        let xml = body(
            &Output::from(ListOpenIdConnectProvidersOutput {
                open_id_connect_provider_list: vec![OpenIdConnectProviderListEntry {
                    arn: Some("arn:aws:iam::123456789012:oidc-provider/example.com".into()),
                }],
            })
            .encode("ListOpenIDConnectProviders", "r"),
        );
        assert!(xml.contains(
            "<ListOpenIDConnectProvidersResult><OpenIDConnectProviderList><member>\
             <Arn>arn:aws:iam::123456789012:oidc-provider/example.com</Arn></member></OpenIDConnectProviderList>\
             </ListOpenIDConnectProvidersResult>"
        ), "{xml}");
    }

    #[test]
    fn served_operations_are_unique() {
        let mut names: Vec<_> = SERVED_OPERATIONS.iter().map(|o| o.name).collect();
        let n = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(n, names.len());
        assert_eq!(n, 51 + 52 + 5 + 9 + 4 + 5 + 10 + 8 + 8 + 5 + 6 + 11);
    }
}
