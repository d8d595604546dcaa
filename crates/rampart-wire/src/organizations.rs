//! Organizations (awsJson1.1, target prefix `AWSOrganizationsV20161128`): one
//! `…Input` per served operation, decoded from the JSON body with the model's
//! required members and constraints; the data types Organizations returns; one
//! `…Output` per operation with an output shape; the [`Operation`] /
//! [`Output`] enums (wire-protocols.md §2).
//!
//! Decode failures are Organizations' own errors (§2.3): `InvalidInputException`
//! with a `Reason` (`INPUT_REQUIRED`, `INVALID_PATTERN`, `INVALID_ENUM`,
//! `MIN_LENGTH_EXCEEDED`, …), or `SerializationException` for a value of the
//! wrong JSON type. Render any [`WireError`] with
//! [`WireError::render`]`(Protocol::AwsJson(JsonService::Organizations), request_id)`
//! so extra members such as `Reason` reach the client. Timestamps are epoch seconds. Paging: inputs
//! carry `next_token` / `max_results` (1..=20; the default is the core's
//! choice), outputs emit `NextToken` only when `Some`. Nothing semantic lives
//! here (does the OU exist, is the policy valid, who may call).
//!
//! ```
//! use rampart_wire::organizations::{Operation, Output, ListRootsOutput};
//! use rampart_wire::{JsonService, Protocol};
//! let op = Operation::decode("ListRoots", &serde_json::json!({"MaxResults": 5})).unwrap();
//! assert_eq!(op.name(), "ListRoots");
//! let r = Output::from(ListRootsOutput::default()).encode("rid");
//! assert_eq!(r.body, br#"{"Roots":[]}"#);
//! let e = Operation::decode("DescribeAccount", &serde_json::json!({})).unwrap_err();
//! let r = e.render(Protocol::AwsJson(JsonService::Organizations), "rid");
//! assert_eq!(r.header("x-amzn-ErrorType"), Some("InvalidInputException"));
//! ```

use crate::error::{ErrorCode, WireError, WireResponse};
use crate::json::JsonViolations;
use crate::schema::{Constraint, Pattern};
use crate::timestamp::Timestamp;

// ---- Model shapes' constraints (names are the botocore shape names) ----
const NEXT_TOKEN: Constraint = Constraint::new("NextToken")
    .max(100_000)
    .pattern(Pattern::AnyText);
const MAX_RESULTS: Constraint = Constraint::new("MaxResults").len(1, 20);
const PARENT_ID: Constraint = Constraint::new("ParentId")
    .max(100)
    .pattern(Pattern::OrgParentId);
const OU_NAME: Constraint = Constraint::new("OrganizationalUnitName")
    .len(1, 128)
    .pattern(Pattern::AnyText);
const OU_ID: Constraint = Constraint::new("OrganizationalUnitId")
    .max(68)
    .pattern(Pattern::OrgOuId);
const CHILD_ID: Constraint = Constraint::new("ChildId")
    .max(100)
    .pattern(Pattern::OrgChildId);
const EMAIL: Constraint = Constraint::new("Email")
    .len(6, 64)
    .pattern(Pattern::OrgEmail);
const CREATE_ACCOUNT_NAME: Constraint = Constraint::new("CreateAccountName")
    .len(1, 50)
    .pattern(Pattern::PrintableAscii);
const ROLE_NAME: Constraint = Constraint::new("RoleName")
    .max(64)
    .pattern(Pattern::OrgRoleName);
const CREATE_ACCOUNT_REQUEST_ID: Constraint = Constraint::new("CreateAccountRequestId")
    .max(36)
    .pattern(Pattern::OrgCreateAccountRequestId);
const CREATE_ACCOUNT_STATES: Constraint =
    Constraint::new("CreateAccountStates").item(&CreateAccountState::CONSTRAINT);
const ACCOUNT_ID: Constraint = Constraint::new("AccountId")
    .max(12)
    .pattern(Pattern::OrgAccountId);
const HANDSHAKE_PARTY_ID: Constraint = Constraint::new("HandshakePartyId")
    .len(1, 64)
    .pattern(Pattern::AnyText);
const HANDSHAKE_NOTES: Constraint = Constraint::new("HandshakeNotes")
    .max(1024)
    .pattern(Pattern::AnyText);
const HANDSHAKE_ID: Constraint = Constraint::new("HandshakeId")
    .max(34)
    .pattern(Pattern::OrgHandshakeId);
const ROOT_ID: Constraint = Constraint::new("RootId")
    .max(34)
    .pattern(Pattern::OrgRootId);
const POLICY_CONTENT: Constraint = Constraint::new("PolicyContent")
    .min(1)
    .pattern(Pattern::AnyText);
const POLICY_DESCRIPTION: Constraint = Constraint::new("PolicyDescription")
    .max(512)
    .pattern(Pattern::AnyText);
const POLICY_NAME: Constraint = Constraint::new("PolicyName")
    .len(1, 128)
    .pattern(Pattern::AnyText);
const POLICY_ID: Constraint = Constraint::new("PolicyId")
    .max(130)
    .pattern(Pattern::OrgPolicyId);
const POLICY_TARGET_ID: Constraint = Constraint::new("PolicyTargetId")
    .max(100)
    .pattern(Pattern::OrgPolicyTargetId);
const TAGGABLE_RESOURCE_ID: Constraint = Constraint::new("TaggableResourceId")
    .max(130)
    .pattern(Pattern::OrgTaggableResourceId);
const TAG_KEY: Constraint = Constraint::new("TagKey")
    .len(1, 128)
    .pattern(Pattern::OrgTag);
const TAG_VALUE: Constraint = Constraint::new("TagValue")
    .len(0, 256)
    .pattern(Pattern::OrgTag);
const TAG_KEYS: Constraint = Constraint::new("TagKeys").item(&TAG_KEY);
const SERVICE_PRINCIPAL: Constraint = Constraint::new("ServicePrincipal")
    .len(1, 128)
    .pattern(Pattern::SessionName);
const RESOURCE_POLICY_CONTENT: Constraint = Constraint::new("ResourcePolicyContent")
    .len(1, 40_000)
    .pattern(Pattern::AnyText);
const TRANSFER_ID: Constraint =
    Constraint::new("ResponsibilityTransferId").pattern(Pattern::OrgResponsibilityTransferId);
const TRANSFER_NAME: Constraint = Constraint::new("ResponsibilityTransferName")
    .len(1, 128)
    .pattern(Pattern::OrgTransferName);

/// The `{}` body of an operation without output shape.
#[must_use]
pub fn empty_response(request_id: &str) -> WireResponse {
    crate::json::aws_json_response(&serde_json::json!({}), request_id)
}

/// An Organizations error carrying a `Reason` (`ConstraintViolationException`,
/// `InvalidInputException`, `HandshakeConstraintViolationException`,
/// `AccessDeniedForDependencyException`; §2.3).
///
/// ```
/// use rampart_wire::{organizations, ErrorCode, JsonService, Protocol};
/// let e = organizations::error_with_reason(ErrorCode::ConstraintViolationException,
///     "OU_DEPTH_LIMIT_EXCEEDED", "You attempted to create an OU tree that is too many levels deep.");
/// assert!(e.render(Protocol::AwsJson(JsonService::Organizations), "r").body.ends_with(br#""Reason":"OU_DEPTH_LIMIT_EXCEEDED"}"#));
/// ```
#[must_use]
pub fn error_with_reason(
    code: ErrorCode,
    reason: &'static str,
    message: impl Into<String>,
) -> WireError {
    WireError::new(code, message).with_field("Reason", reason)
}

/// `InvalidInputException` / `INVALID_NEXT_TOKEN` for a `NextToken` the core cannot resume from.
#[must_use]
pub fn invalid_next_token() -> WireError {
    error_with_reason(
        ErrorCode::InvalidInputException,
        "INVALID_NEXT_TOKEN",
        "Get the value for the NextToken parameter from the response to a previous call of the operation.",
    )
}

/// `TooManyRequestsException` with its `Type` member (§2.3).
#[must_use]
pub fn too_many_requests(kind: &'static str) -> WireError {
    WireError::new(
        ErrorCode::TooManyRequestsException,
        "You have sent too many requests in too short a period of time. The quota helps protect against denial-of-service attacks. Try again later.",
    )
    .with_field("Type", kind)
}

// ---- Enums ----
wire_enum! {
    /// Organization feature set (`OrganizationFeatureSet`).
    OrganizationFeatureSet "OrganizationFeatureSet" {
        All = "ALL",
        ConsolidatedBilling = "CONSOLIDATED_BILLING",
    }
}
wire_enum! {
    /// Policy type (`PolicyType`).
    PolicyType "PolicyType" {
        ServiceControlPolicy = "SERVICE_CONTROL_POLICY",
        ResourceControlPolicy = "RESOURCE_CONTROL_POLICY",
        TagPolicy = "TAG_POLICY",
        BackupPolicy = "BACKUP_POLICY",
        AiservicesOptOutPolicy = "AISERVICES_OPT_OUT_POLICY",
        ChatbotPolicy = "CHATBOT_POLICY",
        DeclarativePolicyEc2 = "DECLARATIVE_POLICY_EC2",
        SecurityhubPolicy = "SECURITYHUB_POLICY",
        InspectorPolicy = "INSPECTOR_POLICY",
        UpgradeRolloutPolicy = "UPGRADE_ROLLOUT_POLICY",
        BedrockPolicy = "BEDROCK_POLICY",
        S3Policy = "S3_POLICY",
        NetworkSecurityDirectorPolicy = "NETWORK_SECURITY_DIRECTOR_POLICY",
    }
}
wire_enum! {
    /// Status of a policy type in a root (`PolicyTypeStatus`).
    PolicyTypeStatus "PolicyTypeStatus" {
        Enabled = "ENABLED",
        PendingEnable = "PENDING_ENABLE",
        PendingDisable = "PENDING_DISABLE",
    }
}
wire_enum! {
    /// Kind of child (`ChildType`).
    ChildType "ChildType" {
        Account = "ACCOUNT",
        OrganizationalUnit = "ORGANIZATIONAL_UNIT",
    }
}
wire_enum! {
    /// Kind of parent (`ParentType`).
    ParentType "ParentType" {
        Root = "ROOT",
        OrganizationalUnit = "ORGANIZATIONAL_UNIT",
    }
}
wire_enum! {
    /// IAM user access to billing of a new account (`IAMUserAccessToBilling`).
    IamUserAccessToBilling "IAMUserAccessToBilling" {
        Allow = "ALLOW",
        Deny = "DENY",
    }
}
wire_enum! {
    /// State of a create-account request (`CreateAccountState`).
    CreateAccountState "CreateAccountState" {
        InProgress = "IN_PROGRESS",
        Succeeded = "SUCCEEDED",
        Failed = "FAILED",
    }
}
wire_enum! {
    /// Why account creation failed (`CreateAccountFailureReason`).
    CreateAccountFailureReason "CreateAccountFailureReason" {
        AccountLimitExceeded = "ACCOUNT_LIMIT_EXCEEDED",
        EmailAlreadyExists = "EMAIL_ALREADY_EXISTS",
        InvalidAddress = "INVALID_ADDRESS",
        InvalidEmail = "INVALID_EMAIL",
        ConcurrentAccountModification = "CONCURRENT_ACCOUNT_MODIFICATION",
        InternalFailure = "INTERNAL_FAILURE",
        GovcloudAccountAlreadyExists = "GOVCLOUD_ACCOUNT_ALREADY_EXISTS",
        MissingBusinessValidation = "MISSING_BUSINESS_VALIDATION",
        FailedBusinessValidation = "FAILED_BUSINESS_VALIDATION",
        PendingBusinessValidation = "PENDING_BUSINESS_VALIDATION",
        InvalidIdentityForBusinessValidation = "INVALID_IDENTITY_FOR_BUSINESS_VALIDATION",
        UnknownBusinessValidation = "UNKNOWN_BUSINESS_VALIDATION",
        MissingPaymentInstrument = "MISSING_PAYMENT_INSTRUMENT",
        InvalidPaymentInstrument = "INVALID_PAYMENT_INSTRUMENT",
        UpdateExistingResourcePolicyWithTagsNotSupported = "UPDATE_EXISTING_RESOURCE_POLICY_WITH_TAGS_NOT_SUPPORTED",
    }
}
wire_enum! {
    /// Account status (older field) (`AccountStatus`).
    AccountStatus "AccountStatus" {
        Active = "ACTIVE",
        Suspended = "SUSPENDED",
        PendingClosure = "PENDING_CLOSURE",
    }
}
wire_enum! {
    /// Account state (`AccountState`).
    AccountState "AccountState" {
        PendingActivation = "PENDING_ACTIVATION",
        Active = "ACTIVE",
        Suspended = "SUSPENDED",
        PendingClosure = "PENDING_CLOSURE",
        Closed = "CLOSED",
    }
}
wire_enum! {
    /// How an account joined (`AccountJoinedMethod`).
    AccountJoinedMethod "AccountJoinedMethod" {
        Invited = "INVITED",
        Created = "CREATED",
    }
}
wire_enum! {
    /// Kind of handshake party (`HandshakePartyType`).
    HandshakePartyType "HandshakePartyType" {
        Account = "ACCOUNT",
        Organization = "ORGANIZATION",
        Email = "EMAIL",
    }
}
wire_enum! {
    /// Handshake state (`HandshakeState`).
    HandshakeState "HandshakeState" {
        Requested = "REQUESTED",
        Open = "OPEN",
        Canceled = "CANCELED",
        Accepted = "ACCEPTED",
        Declined = "DECLINED",
        Expired = "EXPIRED",
    }
}
wire_enum! {
    /// Handshake action (`ActionType`).
    ActionType "ActionType" {
        Invite = "INVITE",
        EnableAllFeatures = "ENABLE_ALL_FEATURES",
        ApproveAllFeatures = "APPROVE_ALL_FEATURES",
        AddOrganizationsServiceLinkedRole = "ADD_ORGANIZATIONS_SERVICE_LINKED_ROLE",
        TransferResponsibility = "TRANSFER_RESPONSIBILITY",
    }
}
wire_enum! {
    /// Kind of handshake resource (`HandshakeResourceType`).
    HandshakeResourceType "HandshakeResourceType" {
        Account = "ACCOUNT",
        Organization = "ORGANIZATION",
        OrganizationFeatureSet = "ORGANIZATION_FEATURE_SET",
        Email = "EMAIL",
        MasterEmail = "MASTER_EMAIL",
        MasterName = "MASTER_NAME",
        Notes = "NOTES",
        ParentHandshake = "PARENT_HANDSHAKE",
        ResponsibilityTransfer = "RESPONSIBILITY_TRANSFER",
        TransferStartTimestamp = "TRANSFER_START_TIMESTAMP",
        TransferType = "TRANSFER_TYPE",
        ManagementAccount = "MANAGEMENT_ACCOUNT",
        ManagementEmail = "MANAGEMENT_EMAIL",
        ManagementName = "MANAGEMENT_NAME",
    }
}
wire_enum! {
    /// Kind of policy target (`TargetType`).
    TargetType "TargetType" {
        Account = "ACCOUNT",
        OrganizationalUnit = "ORGANIZATIONAL_UNIT",
        Root = "ROOT",
    }
}
wire_enum! {
    /// Policy type with an effective policy (`EffectivePolicyType`).
    EffectivePolicyType "EffectivePolicyType" {
        TagPolicy = "TAG_POLICY",
        BackupPolicy = "BACKUP_POLICY",
        AiservicesOptOutPolicy = "AISERVICES_OPT_OUT_POLICY",
        ChatbotPolicy = "CHATBOT_POLICY",
        DeclarativePolicyEc2 = "DECLARATIVE_POLICY_EC2",
        SecurityhubPolicy = "SECURITYHUB_POLICY",
        InspectorPolicy = "INSPECTOR_POLICY",
        UpgradeRolloutPolicy = "UPGRADE_ROLLOUT_POLICY",
        BedrockPolicy = "BEDROCK_POLICY",
        S3Policy = "S3_POLICY",
        NetworkSecurityDirectorPolicy = "NETWORK_SECURITY_DIRECTOR_POLICY",
    }
}
wire_enum! {
    /// Kind of responsibility transfer (`ResponsibilityTransferType`).
    ResponsibilityTransferType "ResponsibilityTransferType" {
        Billing = "BILLING",
    }
}
wire_enum! {
    /// Status of a responsibility transfer (`ResponsibilityTransferStatus`).
    ResponsibilityTransferStatus "ResponsibilityTransferStatus" {
        Requested = "REQUESTED",
        Declined = "DECLINED",
        Canceled = "CANCELED",
        Expired = "EXPIRED",
        Accepted = "ACCEPTED",
        Withdrawn = "WITHDRAWN",
    }
}

// ---- Structures used in both directions ----
json_input! {
    /// A tag (`Tag`; Organizations' patterns differ from IAM's).
    Tag "Tag" {
        req key: String = "Key", Some(&TAG_KEY);
        req value: String = "Value", Some(&TAG_VALUE);
    }
}
json_input! {
    /// A party of a handshake (`HandshakeParty`): the invitation target, or one of `Parties`.
    HandshakeParty "HandshakeParty" {
        req id: String = "Id", Some(&HANDSHAKE_PARTY_ID);
        req party_type: HandshakePartyType = "Type", Some(&HandshakePartyType::CONSTRAINT);
    }
}
json_input! {
    /// `ListHandshakesFor…` filter (`HandshakeFilter`).
    HandshakeFilter "HandshakeFilter" {
        opt action_type: ActionType = "ActionType", Some(&ActionType::CONSTRAINT);
        opt parent_handshake_id: String = "ParentHandshakeId", Some(&HANDSHAKE_ID);
    }
}

// ---- Data types ----
json_structure! {
    /// A policy type and its status in a root (`PolicyTypeSummary`).
    PolicyTypeSummary "PolicyTypeSummary" {
        req policy_type: PolicyType = "Type";
        req status: PolicyTypeStatus = "Status";
    }
}
json_structure! {
    /// The organization (`Organization`).
    Organization "Organization" {
        req id: String = "Id";
        req arn: String = "Arn";
        req feature_set: OrganizationFeatureSet = "FeatureSet";
        req master_account_arn: String = "MasterAccountArn";
        req master_account_id: String = "MasterAccountId";
        req master_account_email: String = "MasterAccountEmail";
        req available_policy_types: Vec<PolicyTypeSummary> = "AvailablePolicyTypes";
    }
}
json_structure! {
    /// The root of the organization tree (`Root`).
    Root "Root" {
        req id: String = "Id";
        req arn: String = "Arn";
        req name: String = "Name";
        req policy_types: Vec<PolicyTypeSummary> = "PolicyTypes";
    }
}
json_structure! {
    /// An organizational unit (`OrganizationalUnit`).
    OrganizationalUnit "OrganizationalUnit" {
        req id: String = "Id";
        req arn: String = "Arn";
        req name: String = "Name";
        opt path: String = "Path";
    }
}
json_structure! {
    /// A child of a root or OU (`Child`).
    Child "Child" {
        req id: String = "Id";
        req child_type: ChildType = "Type";
    }
}
json_structure! {
    /// A parent of an account or OU (`Parent`).
    Parent "Parent" {
        req id: String = "Id";
        req parent_type: ParentType = "Type";
    }
}
json_structure! {
    /// The status of a create-account request (`CreateAccountStatus`).
    CreateAccountStatus "CreateAccountStatus" {
        req id: String = "Id";
        opt account_name: String = "AccountName";
        req state: CreateAccountState = "State";
        opt requested_timestamp: Timestamp = "RequestedTimestamp";
        opt completed_timestamp: Timestamp = "CompletedTimestamp";
        opt account_id: String = "AccountId";
        opt gov_cloud_account_id: String = "GovCloudAccountId";
        opt failure_reason: CreateAccountFailureReason = "FailureReason";
    }
}
json_structure! {
    /// A member account (`Account`).
    Account "Account" {
        req id: String = "Id";
        req arn: String = "Arn";
        req email: String = "Email";
        req name: String = "Name";
        req status: AccountStatus = "Status";
        req state: AccountState = "State";
        omit_empty paths: Vec<String> = "Paths";
        req joined_method: AccountJoinedMethod = "JoinedMethod";
        req joined_timestamp: Timestamp = "JoinedTimestamp";
    }
}
json_structure! {
    /// A resource nested in a [`HandshakeResource`] (`HandshakeResource`, one level: AWS nests no deeper).
    HandshakeSubResource "HandshakeResource" {
        opt value: String = "Value";
        opt resource_type: HandshakeResourceType = "Type";
    }
}
json_structure! {
    /// A resource of a handshake (`HandshakeResource`).
    HandshakeResource "HandshakeResource" {
        opt value: String = "Value";
        opt resource_type: HandshakeResourceType = "Type";
        omit_empty resources: Vec<HandshakeSubResource> = "Resources";
    }
}
json_structure! {
    /// A handshake (`Handshake`).
    Handshake "Handshake" {
        req id: String = "Id";
        req arn: String = "Arn";
        req parties: Vec<HandshakeParty> = "Parties";
        req state: HandshakeState = "State";
        req requested_timestamp: Timestamp = "RequestedTimestamp";
        req expiration_timestamp: Timestamp = "ExpirationTimestamp";
        req action: ActionType = "Action";
        req resources: Vec<HandshakeResource> = "Resources";
    }
}
json_structure! {
    /// A policy without its content (`PolicySummary`).
    PolicySummary "PolicySummary" {
        req id: String = "Id";
        req arn: String = "Arn";
        req name: String = "Name";
        req description: String = "Description";
        req policy_type: PolicyType = "Type";
        req aws_managed: bool = "AwsManaged";
    }
}
json_structure! {
    /// A policy with its content (`Policy`); the content is plain JSON text, not percent-encoded.
    Policy "Policy" {
        req policy_summary: PolicySummary = "PolicySummary";
        req content: String = "Content";
    }
}
json_structure! {
    /// A root, OU or account a policy is attached to (`PolicyTargetSummary`).
    PolicyTargetSummary "PolicyTargetSummary" {
        req target_id: String = "TargetId";
        req arn: String = "Arn";
        req name: String = "Name";
        req target_type: TargetType = "Type";
    }
}
json_structure! {
    /// The effective policy of a target (`EffectivePolicy`).
    EffectivePolicy "EffectivePolicy" {
        req policy_content: String = "PolicyContent";
        req last_updated_timestamp: Timestamp = "LastUpdatedTimestamp";
        req target_id: String = "TargetId";
        req policy_type: EffectivePolicyType = "PolicyType";
    }
}
json_structure! {
    /// A service with trusted access (`EnabledServicePrincipal`).
    EnabledServicePrincipal "EnabledServicePrincipal" {
        req service_principal: String = "ServicePrincipal";
        req date_enabled: Timestamp = "DateEnabled";
    }
}
json_structure! {
    /// A delegated administrator account (`DelegatedAdministrator`).
    DelegatedAdministrator "DelegatedAdministrator" {
        req id: String = "Id";
        req arn: String = "Arn";
        req email: String = "Email";
        req name: String = "Name";
        req status: AccountStatus = "Status";
        req state: AccountState = "State";
        req joined_method: AccountJoinedMethod = "JoinedMethod";
        req joined_timestamp: Timestamp = "JoinedTimestamp";
        req delegation_enabled_date: Timestamp = "DelegationEnabledDate";
    }
}
json_structure! {
    /// The id and ARN of the organization's resource policy (`ResourcePolicySummary`).
    ResourcePolicySummary "ResourcePolicySummary" {
        req id: String = "Id";
        req arn: String = "Arn";
    }
}
json_structure! {
    /// The organization's resource-based delegation policy (`ResourcePolicy`).
    ResourcePolicy "ResourcePolicy" {
        req resource_policy_summary: ResourcePolicySummary = "ResourcePolicySummary";
        req content: String = "Content";
    }
}
json_structure! {
    /// A service an account is delegated administrator for (`DelegatedService`).
    DelegatedService "DelegatedService" {
        req service_principal: String = "ServicePrincipal";
        req delegation_enabled_date: Timestamp = "DelegationEnabledDate";
    }
}
json_structure! {
    /// A validation error of an effective policy (`EffectivePolicyValidationError`).
    EffectivePolicyValidationError "EffectivePolicyValidationError" {
        req error_code: String = "ErrorCode";
        req error_message: String = "ErrorMessage";
        req path_to_error: String = "PathToError";
        req contributing_policies: Vec<String> = "ContributingPolicies";
    }
}
json_structure! {
    /// One side of a responsibility transfer (`TransferParticipant`).
    TransferParticipant "TransferParticipant" {
        req management_account_id: String = "ManagementAccountId";
        req management_account_email: String = "ManagementAccountEmail";
    }
}
json_structure! {
    /// A responsibility transfer between two organizations (`ResponsibilityTransfer`).
    ResponsibilityTransfer "ResponsibilityTransfer" {
        req arn: String = "Arn";
        req name: String = "Name";
        req id: String = "Id";
        req transfer_type: ResponsibilityTransferType = "Type";
        req status: ResponsibilityTransferStatus = "Status";
        req source: TransferParticipant = "Source";
        req target: TransferParticipant = "Target";
        req start_timestamp: Timestamp = "StartTimestamp";
        opt end_timestamp: Timestamp = "EndTimestamp";
        opt active_handshake_id: String = "ActiveHandshakeId";
    }
}

// ---- Inputs ----
json_input! {
    /// Input of `CreateOrganization`.
    CreateOrganizationInput "CreateOrganizationRequest" {
        opt feature_set: OrganizationFeatureSet = "FeatureSet", Some(&OrganizationFeatureSet::CONSTRAINT);
    }
}
json_input! {
    /// Input of `DescribeOrganization` (the model has no input shape).
    DescribeOrganizationInput "DescribeOrganizationRequest" {

    }
}
json_input! {
    /// Input of `DeleteOrganization` (the model has no input shape).
    DeleteOrganizationInput "DeleteOrganizationRequest" {

    }
}
json_input! {
    /// Input of `ListRoots`.
    ListRootsInput "ListRootsRequest" {
        opt next_token: String = "NextToken", Some(&NEXT_TOKEN);
        opt max_results: i32 = "MaxResults", Some(&MAX_RESULTS);
    }
}
json_input! {
    /// Input of `CreateOrganizationalUnit`.
    CreateOrganizationalUnitInput "CreateOrganizationalUnitRequest" {
        req parent_id: String = "ParentId", Some(&PARENT_ID);
        req name: String = "Name", Some(&OU_NAME);
        opt tags: Vec<Tag> = "Tags", None;
    }
}
json_input! {
    /// Input of `DescribeOrganizationalUnit`.
    DescribeOrganizationalUnitInput "DescribeOrganizationalUnitRequest" {
        req organizational_unit_id: String = "OrganizationalUnitId", Some(&OU_ID);
    }
}
json_input! {
    /// Input of `UpdateOrganizationalUnit`.
    UpdateOrganizationalUnitInput "UpdateOrganizationalUnitRequest" {
        req organizational_unit_id: String = "OrganizationalUnitId", Some(&OU_ID);
        opt name: String = "Name", Some(&OU_NAME);
    }
}
json_input! {
    /// Input of `DeleteOrganizationalUnit`.
    DeleteOrganizationalUnitInput "DeleteOrganizationalUnitRequest" {
        req organizational_unit_id: String = "OrganizationalUnitId", Some(&OU_ID);
    }
}
json_input! {
    /// Input of `ListOrganizationalUnitsForParent`.
    ListOrganizationalUnitsForParentInput "ListOrganizationalUnitsForParentRequest" {
        req parent_id: String = "ParentId", Some(&PARENT_ID);
        opt next_token: String = "NextToken", Some(&NEXT_TOKEN);
        opt max_results: i32 = "MaxResults", Some(&MAX_RESULTS);
    }
}
json_input! {
    /// Input of `ListChildren`.
    ListChildrenInput "ListChildrenRequest" {
        req parent_id: String = "ParentId", Some(&PARENT_ID);
        req child_type: ChildType = "ChildType", Some(&ChildType::CONSTRAINT);
        opt next_token: String = "NextToken", Some(&NEXT_TOKEN);
        opt max_results: i32 = "MaxResults", Some(&MAX_RESULTS);
    }
}
json_input! {
    /// Input of `ListParents`.
    ListParentsInput "ListParentsRequest" {
        req child_id: String = "ChildId", Some(&CHILD_ID);
        opt next_token: String = "NextToken", Some(&NEXT_TOKEN);
        opt max_results: i32 = "MaxResults", Some(&MAX_RESULTS);
    }
}
json_input! {
    /// Input of `CreateAccount`.
    CreateAccountInput "CreateAccountRequest" {
        req email: String = "Email", Some(&EMAIL);
        req account_name: String = "AccountName", Some(&CREATE_ACCOUNT_NAME);
        opt role_name: String = "RoleName", Some(&ROLE_NAME);
        opt iam_user_access_to_billing: IamUserAccessToBilling = "IamUserAccessToBilling", Some(&IamUserAccessToBilling::CONSTRAINT);
        opt tags: Vec<Tag> = "Tags", None;
    }
}
json_input! {
    /// Input of `DescribeCreateAccountStatus`.
    DescribeCreateAccountStatusInput "DescribeCreateAccountStatusRequest" {
        req create_account_request_id: String = "CreateAccountRequestId", Some(&CREATE_ACCOUNT_REQUEST_ID);
    }
}
json_input! {
    /// Input of `ListCreateAccountStatus`.
    ListCreateAccountStatusInput "ListCreateAccountStatusRequest" {
        opt states: Vec<CreateAccountState> = "States", Some(&CREATE_ACCOUNT_STATES);
        opt next_token: String = "NextToken", Some(&NEXT_TOKEN);
        opt max_results: i32 = "MaxResults", Some(&MAX_RESULTS);
    }
}
json_input! {
    /// Input of `DescribeAccount`.
    DescribeAccountInput "DescribeAccountRequest" {
        req account_id: String = "AccountId", Some(&ACCOUNT_ID);
    }
}
json_input! {
    /// Input of `ListAccounts`.
    ListAccountsInput "ListAccountsRequest" {
        opt next_token: String = "NextToken", Some(&NEXT_TOKEN);
        opt max_results: i32 = "MaxResults", Some(&MAX_RESULTS);
    }
}
json_input! {
    /// Input of `ListAccountsForParent`.
    ListAccountsForParentInput "ListAccountsForParentRequest" {
        req parent_id: String = "ParentId", Some(&PARENT_ID);
        opt next_token: String = "NextToken", Some(&NEXT_TOKEN);
        opt max_results: i32 = "MaxResults", Some(&MAX_RESULTS);
    }
}
json_input! {
    /// Input of `MoveAccount`.
    MoveAccountInput "MoveAccountRequest" {
        req account_id: String = "AccountId", Some(&ACCOUNT_ID);
        req source_parent_id: String = "SourceParentId", Some(&PARENT_ID);
        req destination_parent_id: String = "DestinationParentId", Some(&PARENT_ID);
    }
}
json_input! {
    /// Input of `RemoveAccountFromOrganization`.
    RemoveAccountFromOrganizationInput "RemoveAccountFromOrganizationRequest" {
        req account_id: String = "AccountId", Some(&ACCOUNT_ID);
    }
}
json_input! {
    /// Input of `LeaveOrganization` (the model has no input shape).
    LeaveOrganizationInput "LeaveOrganizationRequest" {

    }
}
json_input! {
    /// Input of `CloseAccount`.
    CloseAccountInput "CloseAccountRequest" {
        req account_id: String = "AccountId", Some(&ACCOUNT_ID);
    }
}
json_input! {
    /// Input of `InviteAccountToOrganization`.
    InviteAccountToOrganizationInput "InviteAccountToOrganizationRequest" {
        req target: HandshakeParty = "Target", None;
        opt notes: String = "Notes", Some(&HANDSHAKE_NOTES);
        opt tags: Vec<Tag> = "Tags", None;
    }
}
json_input! {
    /// Input of `AcceptHandshake`.
    AcceptHandshakeInput "AcceptHandshakeRequest" {
        req handshake_id: String = "HandshakeId", Some(&HANDSHAKE_ID);
    }
}
json_input! {
    /// Input of `DeclineHandshake`.
    DeclineHandshakeInput "DeclineHandshakeRequest" {
        req handshake_id: String = "HandshakeId", Some(&HANDSHAKE_ID);
    }
}
json_input! {
    /// Input of `CancelHandshake`.
    CancelHandshakeInput "CancelHandshakeRequest" {
        req handshake_id: String = "HandshakeId", Some(&HANDSHAKE_ID);
    }
}
json_input! {
    /// Input of `DescribeHandshake`.
    DescribeHandshakeInput "DescribeHandshakeRequest" {
        req handshake_id: String = "HandshakeId", Some(&HANDSHAKE_ID);
    }
}
json_input! {
    /// Input of `ListHandshakesForAccount`.
    ListHandshakesForAccountInput "ListHandshakesForAccountRequest" {
        opt filter: HandshakeFilter = "Filter", None;
        opt next_token: String = "NextToken", Some(&NEXT_TOKEN);
        opt max_results: i32 = "MaxResults", Some(&MAX_RESULTS);
    }
}
json_input! {
    /// Input of `ListHandshakesForOrganization`.
    ListHandshakesForOrganizationInput "ListHandshakesForOrganizationRequest" {
        opt filter: HandshakeFilter = "Filter", None;
        opt next_token: String = "NextToken", Some(&NEXT_TOKEN);
        opt max_results: i32 = "MaxResults", Some(&MAX_RESULTS);
    }
}
json_input! {
    /// Input of `EnablePolicyType`.
    EnablePolicyTypeInput "EnablePolicyTypeRequest" {
        req root_id: String = "RootId", Some(&ROOT_ID);
        req policy_type: PolicyType = "PolicyType", Some(&PolicyType::CONSTRAINT);
    }
}
json_input! {
    /// Input of `DisablePolicyType`.
    DisablePolicyTypeInput "DisablePolicyTypeRequest" {
        req root_id: String = "RootId", Some(&ROOT_ID);
        req policy_type: PolicyType = "PolicyType", Some(&PolicyType::CONSTRAINT);
    }
}
json_input! {
    /// Input of `CreatePolicy`.
    CreatePolicyInput "CreatePolicyRequest" {
        req content: String = "Content", Some(&POLICY_CONTENT);
        req description: String = "Description", Some(&POLICY_DESCRIPTION);
        req name: String = "Name", Some(&POLICY_NAME);
        req policy_type: PolicyType = "Type", Some(&PolicyType::CONSTRAINT);
        opt tags: Vec<Tag> = "Tags", None;
    }
}
json_input! {
    /// Input of `UpdatePolicy`.
    UpdatePolicyInput "UpdatePolicyRequest" {
        req policy_id: String = "PolicyId", Some(&POLICY_ID);
        opt name: String = "Name", Some(&POLICY_NAME);
        opt description: String = "Description", Some(&POLICY_DESCRIPTION);
        opt content: String = "Content", Some(&POLICY_CONTENT);
    }
}
json_input! {
    /// Input of `DeletePolicy`.
    DeletePolicyInput "DeletePolicyRequest" {
        req policy_id: String = "PolicyId", Some(&POLICY_ID);
    }
}
json_input! {
    /// Input of `DescribePolicy`.
    DescribePolicyInput "DescribePolicyRequest" {
        req policy_id: String = "PolicyId", Some(&POLICY_ID);
    }
}
json_input! {
    /// Input of `ListPolicies`.
    ListPoliciesInput "ListPoliciesRequest" {
        req filter: PolicyType = "Filter", Some(&PolicyType::CONSTRAINT);
        opt next_token: String = "NextToken", Some(&NEXT_TOKEN);
        opt max_results: i32 = "MaxResults", Some(&MAX_RESULTS);
    }
}
json_input! {
    /// Input of `AttachPolicy`.
    AttachPolicyInput "AttachPolicyRequest" {
        req policy_id: String = "PolicyId", Some(&POLICY_ID);
        req target_id: String = "TargetId", Some(&POLICY_TARGET_ID);
    }
}
json_input! {
    /// Input of `DetachPolicy`.
    DetachPolicyInput "DetachPolicyRequest" {
        req policy_id: String = "PolicyId", Some(&POLICY_ID);
        req target_id: String = "TargetId", Some(&POLICY_TARGET_ID);
    }
}
json_input! {
    /// Input of `ListPoliciesForTarget`.
    ListPoliciesForTargetInput "ListPoliciesForTargetRequest" {
        req target_id: String = "TargetId", Some(&POLICY_TARGET_ID);
        req filter: PolicyType = "Filter", Some(&PolicyType::CONSTRAINT);
        opt next_token: String = "NextToken", Some(&NEXT_TOKEN);
        opt max_results: i32 = "MaxResults", Some(&MAX_RESULTS);
    }
}
json_input! {
    /// Input of `ListTargetsForPolicy`.
    ListTargetsForPolicyInput "ListTargetsForPolicyRequest" {
        req policy_id: String = "PolicyId", Some(&POLICY_ID);
        opt next_token: String = "NextToken", Some(&NEXT_TOKEN);
        opt max_results: i32 = "MaxResults", Some(&MAX_RESULTS);
    }
}
json_input! {
    /// Input of `DescribeEffectivePolicy`.
    DescribeEffectivePolicyInput "DescribeEffectivePolicyRequest" {
        req policy_type: EffectivePolicyType = "PolicyType", Some(&EffectivePolicyType::CONSTRAINT);
        opt target_id: String = "TargetId", Some(&POLICY_TARGET_ID);
    }
}
json_input! {
    /// Input of `TagResource`.
    TagResourceInput "TagResourceRequest" {
        req resource_id: String = "ResourceId", Some(&TAGGABLE_RESOURCE_ID);
        req tags: Vec<Tag> = "Tags", None;
    }
}
json_input! {
    /// Input of `UntagResource`.
    UntagResourceInput "UntagResourceRequest" {
        req resource_id: String = "ResourceId", Some(&TAGGABLE_RESOURCE_ID);
        req tag_keys: Vec<String> = "TagKeys", Some(&TAG_KEYS);
    }
}
json_input! {
    /// Input of `ListTagsForResource`.
    ListTagsForResourceInput "ListTagsForResourceRequest" {
        req resource_id: String = "ResourceId", Some(&TAGGABLE_RESOURCE_ID);
        opt next_token: String = "NextToken", Some(&NEXT_TOKEN);
    }
}
json_input! {
    /// Input of `EnableAWSServiceAccess`.
    EnableAWSServiceAccessInput "EnableAWSServiceAccessRequest" {
        req service_principal: String = "ServicePrincipal", Some(&SERVICE_PRINCIPAL);
    }
}
json_input! {
    /// Input of `DisableAWSServiceAccess`.
    DisableAWSServiceAccessInput "DisableAWSServiceAccessRequest" {
        req service_principal: String = "ServicePrincipal", Some(&SERVICE_PRINCIPAL);
    }
}
json_input! {
    /// Input of `ListAWSServiceAccessForOrganization`.
    ListAWSServiceAccessForOrganizationInput "ListAWSServiceAccessForOrganizationRequest" {
        opt next_token: String = "NextToken", Some(&NEXT_TOKEN);
        opt max_results: i32 = "MaxResults", Some(&MAX_RESULTS);
    }
}
json_input! {
    /// Input of `RegisterDelegatedAdministrator`.
    RegisterDelegatedAdministratorInput "RegisterDelegatedAdministratorRequest" {
        req account_id: String = "AccountId", Some(&ACCOUNT_ID);
        req service_principal: String = "ServicePrincipal", Some(&SERVICE_PRINCIPAL);
    }
}
json_input! {
    /// Input of `DeregisterDelegatedAdministrator`.
    DeregisterDelegatedAdministratorInput "DeregisterDelegatedAdministratorRequest" {
        req account_id: String = "AccountId", Some(&ACCOUNT_ID);
        req service_principal: String = "ServicePrincipal", Some(&SERVICE_PRINCIPAL);
    }
}
json_input! {
    /// Input of `ListDelegatedAdministrators`.
    ListDelegatedAdministratorsInput "ListDelegatedAdministratorsRequest" {
        opt service_principal: String = "ServicePrincipal", Some(&SERVICE_PRINCIPAL);
        opt next_token: String = "NextToken", Some(&NEXT_TOKEN);
        opt max_results: i32 = "MaxResults", Some(&MAX_RESULTS);
    }
}
json_input! {
    /// Input of `EnableAllFeatures`.
    EnableAllFeaturesInput "EnableAllFeaturesRequest" {

    }
}
json_input! {
    /// Input of `CreateGovCloudAccount`.
    CreateGovCloudAccountInput "CreateGovCloudAccountRequest" {
        req email: String = "Email", Some(&EMAIL);
        req account_name: String = "AccountName", Some(&CREATE_ACCOUNT_NAME);
        opt role_name: String = "RoleName", Some(&ROLE_NAME);
        opt iam_user_access_to_billing: IamUserAccessToBilling = "IamUserAccessToBilling", Some(&IamUserAccessToBilling::CONSTRAINT);
        opt tags: Vec<Tag> = "Tags", None;
    }
}
json_input! {
    /// Input of `PutResourcePolicy`.
    PutResourcePolicyInput "PutResourcePolicyRequest" {
        req content: String = "Content", Some(&RESOURCE_POLICY_CONTENT);
        opt tags: Vec<Tag> = "Tags", None;
    }
}
json_input! {
    /// Input of `DescribeResourcePolicy` (the model has no input shape).
    DescribeResourcePolicyInput "DescribeResourcePolicyRequest" {

    }
}
json_input! {
    /// Input of `DeleteResourcePolicy` (the model has no input shape).
    DeleteResourcePolicyInput "DeleteResourcePolicyRequest" {

    }
}
json_input! {
    /// Input of `ListDelegatedServicesForAccount`.
    ListDelegatedServicesForAccountInput "ListDelegatedServicesForAccountRequest" {
        req account_id: String = "AccountId", Some(&ACCOUNT_ID);
        opt next_token: String = "NextToken", Some(&NEXT_TOKEN);
        opt max_results: i32 = "MaxResults", Some(&MAX_RESULTS);
    }
}
json_input! {
    /// Input of `ListAccountsWithInvalidEffectivePolicy`.
    ListAccountsWithInvalidEffectivePolicyInput "ListAccountsWithInvalidEffectivePolicyRequest" {
        req policy_type: EffectivePolicyType = "PolicyType", Some(&EffectivePolicyType::CONSTRAINT);
        opt next_token: String = "NextToken", Some(&NEXT_TOKEN);
        opt max_results: i32 = "MaxResults", Some(&MAX_RESULTS);
    }
}
json_input! {
    /// Input of `ListEffectivePolicyValidationErrors`.
    ListEffectivePolicyValidationErrorsInput "ListEffectivePolicyValidationErrorsRequest" {
        req account_id: String = "AccountId", Some(&ACCOUNT_ID);
        req policy_type: EffectivePolicyType = "PolicyType", Some(&EffectivePolicyType::CONSTRAINT);
        opt next_token: String = "NextToken", Some(&NEXT_TOKEN);
        opt max_results: i32 = "MaxResults", Some(&MAX_RESULTS);
    }
}
json_input! {
    /// Input of `InviteOrganizationToTransferResponsibility`.
    InviteOrganizationToTransferResponsibilityInput "InviteOrganizationToTransferResponsibilityRequest" {
        req transfer_type: ResponsibilityTransferType = "Type", Some(&ResponsibilityTransferType::CONSTRAINT);
        req target: HandshakeParty = "Target", None;
        opt notes: String = "Notes", Some(&HANDSHAKE_NOTES);
        req start_timestamp: Timestamp = "StartTimestamp", None;
        req source_name: String = "SourceName", Some(&TRANSFER_NAME);
        opt tags: Vec<Tag> = "Tags", None;
    }
}
json_input! {
    /// Input of `DescribeResponsibilityTransfer`.
    DescribeResponsibilityTransferInput "DescribeResponsibilityTransferRequest" {
        req id: String = "Id", Some(&TRANSFER_ID);
    }
}
json_input! {
    /// Input of `ListInboundResponsibilityTransfers`.
    ListInboundResponsibilityTransfersInput "ListInboundResponsibilityTransfersRequest" {
        req transfer_type: ResponsibilityTransferType = "Type", Some(&ResponsibilityTransferType::CONSTRAINT);
        opt id: String = "Id", Some(&TRANSFER_ID);
        opt next_token: String = "NextToken", Some(&NEXT_TOKEN);
        opt max_results: i32 = "MaxResults", Some(&MAX_RESULTS);
    }
}
json_input! {
    /// Input of `ListOutboundResponsibilityTransfers`.
    ListOutboundResponsibilityTransfersInput "ListOutboundResponsibilityTransfersRequest" {
        req transfer_type: ResponsibilityTransferType = "Type", Some(&ResponsibilityTransferType::CONSTRAINT);
        opt next_token: String = "NextToken", Some(&NEXT_TOKEN);
        opt max_results: i32 = "MaxResults", Some(&MAX_RESULTS);
    }
}
json_input! {
    /// Input of `UpdateResponsibilityTransfer`.
    UpdateResponsibilityTransferInput "UpdateResponsibilityTransferRequest" {
        req id: String = "Id", Some(&TRANSFER_ID);
        req name: String = "Name", Some(&TRANSFER_NAME);
    }
}
json_input! {
    /// Input of `TerminateResponsibilityTransfer`.
    TerminateResponsibilityTransferInput "TerminateResponsibilityTransferRequest" {
        req id: String = "Id", Some(&TRANSFER_ID);
        opt end_timestamp: Timestamp = "EndTimestamp", None;
    }
}

// ---- Outputs ----
json_structure! {
    /// Output of `CreateOrganization`.
    CreateOrganizationOutput "CreateOrganizationResponse" {
        req organization: Organization = "Organization";
    }
}
json_structure! {
    /// Output of `DescribeOrganization`.
    DescribeOrganizationOutput "DescribeOrganizationResponse" {
        req organization: Organization = "Organization";
    }
}
json_structure! {
    /// Output of `ListRoots`.
    ListRootsOutput "ListRootsResponse" {
        req roots: Vec<Root> = "Roots";
        opt next_token: String = "NextToken";
    }
}
json_structure! {
    /// Output of `CreateOrganizationalUnit`.
    CreateOrganizationalUnitOutput "CreateOrganizationalUnitResponse" {
        req organizational_unit: OrganizationalUnit = "OrganizationalUnit";
    }
}
json_structure! {
    /// Output of `DescribeOrganizationalUnit`.
    DescribeOrganizationalUnitOutput "DescribeOrganizationalUnitResponse" {
        req organizational_unit: OrganizationalUnit = "OrganizationalUnit";
    }
}
json_structure! {
    /// Output of `UpdateOrganizationalUnit`.
    UpdateOrganizationalUnitOutput "UpdateOrganizationalUnitResponse" {
        req organizational_unit: OrganizationalUnit = "OrganizationalUnit";
    }
}
json_structure! {
    /// Output of `ListOrganizationalUnitsForParent`.
    ListOrganizationalUnitsForParentOutput "ListOrganizationalUnitsForParentResponse" {
        req organizational_units: Vec<OrganizationalUnit> = "OrganizationalUnits";
        opt next_token: String = "NextToken";
    }
}
json_structure! {
    /// Output of `ListChildren`.
    ListChildrenOutput "ListChildrenResponse" {
        req children: Vec<Child> = "Children";
        opt next_token: String = "NextToken";
    }
}
json_structure! {
    /// Output of `ListParents`.
    ListParentsOutput "ListParentsResponse" {
        req parents: Vec<Parent> = "Parents";
        opt next_token: String = "NextToken";
    }
}
json_structure! {
    /// Output of `CreateAccount`.
    CreateAccountOutput "CreateAccountResponse" {
        req create_account_status: CreateAccountStatus = "CreateAccountStatus";
    }
}
json_structure! {
    /// Output of `DescribeCreateAccountStatus`.
    DescribeCreateAccountStatusOutput "DescribeCreateAccountStatusResponse" {
        req create_account_status: CreateAccountStatus = "CreateAccountStatus";
    }
}
json_structure! {
    /// Output of `ListCreateAccountStatus`.
    ListCreateAccountStatusOutput "ListCreateAccountStatusResponse" {
        req create_account_statuses: Vec<CreateAccountStatus> = "CreateAccountStatuses";
        opt next_token: String = "NextToken";
    }
}
json_structure! {
    /// Output of `DescribeAccount`.
    DescribeAccountOutput "DescribeAccountResponse" {
        req account: Account = "Account";
    }
}
json_structure! {
    /// Output of `ListAccounts`.
    ListAccountsOutput "ListAccountsResponse" {
        req accounts: Vec<Account> = "Accounts";
        opt next_token: String = "NextToken";
    }
}
json_structure! {
    /// Output of `ListAccountsForParent`.
    ListAccountsForParentOutput "ListAccountsForParentResponse" {
        req accounts: Vec<Account> = "Accounts";
        opt next_token: String = "NextToken";
    }
}
json_structure! {
    /// Output of `InviteAccountToOrganization`.
    InviteAccountToOrganizationOutput "InviteAccountToOrganizationResponse" {
        req handshake: Handshake = "Handshake";
    }
}
json_structure! {
    /// Output of `AcceptHandshake`.
    AcceptHandshakeOutput "AcceptHandshakeResponse" {
        req handshake: Handshake = "Handshake";
    }
}
json_structure! {
    /// Output of `DeclineHandshake`.
    DeclineHandshakeOutput "DeclineHandshakeResponse" {
        req handshake: Handshake = "Handshake";
    }
}
json_structure! {
    /// Output of `CancelHandshake`.
    CancelHandshakeOutput "CancelHandshakeResponse" {
        req handshake: Handshake = "Handshake";
    }
}
json_structure! {
    /// Output of `DescribeHandshake`.
    DescribeHandshakeOutput "DescribeHandshakeResponse" {
        req handshake: Handshake = "Handshake";
    }
}
json_structure! {
    /// Output of `ListHandshakesForAccount`.
    ListHandshakesForAccountOutput "ListHandshakesForAccountResponse" {
        req handshakes: Vec<Handshake> = "Handshakes";
        opt next_token: String = "NextToken";
    }
}
json_structure! {
    /// Output of `ListHandshakesForOrganization`.
    ListHandshakesForOrganizationOutput "ListHandshakesForOrganizationResponse" {
        req handshakes: Vec<Handshake> = "Handshakes";
        opt next_token: String = "NextToken";
    }
}
json_structure! {
    /// Output of `EnablePolicyType`.
    EnablePolicyTypeOutput "EnablePolicyTypeResponse" {
        req root: Root = "Root";
    }
}
json_structure! {
    /// Output of `DisablePolicyType`.
    DisablePolicyTypeOutput "DisablePolicyTypeResponse" {
        req root: Root = "Root";
    }
}
json_structure! {
    /// Output of `CreatePolicy`.
    CreatePolicyOutput "CreatePolicyResponse" {
        req policy: Policy = "Policy";
    }
}
json_structure! {
    /// Output of `UpdatePolicy`.
    UpdatePolicyOutput "UpdatePolicyResponse" {
        req policy: Policy = "Policy";
    }
}
json_structure! {
    /// Output of `DescribePolicy`.
    DescribePolicyOutput "DescribePolicyResponse" {
        req policy: Policy = "Policy";
    }
}
json_structure! {
    /// Output of `ListPolicies`.
    ListPoliciesOutput "ListPoliciesResponse" {
        req policies: Vec<PolicySummary> = "Policies";
        opt next_token: String = "NextToken";
    }
}
json_structure! {
    /// Output of `ListPoliciesForTarget`.
    ListPoliciesForTargetOutput "ListPoliciesForTargetResponse" {
        req policies: Vec<PolicySummary> = "Policies";
        opt next_token: String = "NextToken";
    }
}
json_structure! {
    /// Output of `ListTargetsForPolicy`.
    ListTargetsForPolicyOutput "ListTargetsForPolicyResponse" {
        req targets: Vec<PolicyTargetSummary> = "Targets";
        opt next_token: String = "NextToken";
    }
}
json_structure! {
    /// Output of `DescribeEffectivePolicy`.
    DescribeEffectivePolicyOutput "DescribeEffectivePolicyResponse" {
        req effective_policy: EffectivePolicy = "EffectivePolicy";
    }
}
json_structure! {
    /// Output of `ListTagsForResource`.
    ListTagsForResourceOutput "ListTagsForResourceResponse" {
        req tags: Vec<Tag> = "Tags";
        opt next_token: String = "NextToken";
    }
}
json_structure! {
    /// Output of `ListAWSServiceAccessForOrganization`.
    ListAWSServiceAccessForOrganizationOutput "ListAWSServiceAccessForOrganizationResponse" {
        req enabled_service_principals: Vec<EnabledServicePrincipal> = "EnabledServicePrincipals";
        opt next_token: String = "NextToken";
    }
}
json_structure! {
    /// Output of `ListDelegatedAdministrators`.
    ListDelegatedAdministratorsOutput "ListDelegatedAdministratorsResponse" {
        req delegated_administrators: Vec<DelegatedAdministrator> = "DelegatedAdministrators";
        opt next_token: String = "NextToken";
    }
}
json_structure! {
    /// Output of `EnableAllFeatures`.
    EnableAllFeaturesOutput "EnableAllFeaturesResponse" {
        req handshake: Handshake = "Handshake";
    }
}
json_structure! {
    /// Output of `CreateGovCloudAccount`.
    CreateGovCloudAccountOutput "CreateGovCloudAccountResponse" {
        req create_account_status: CreateAccountStatus = "CreateAccountStatus";
    }
}
json_structure! {
    /// Output of `PutResourcePolicy`.
    PutResourcePolicyOutput "PutResourcePolicyResponse" {
        req resource_policy: ResourcePolicy = "ResourcePolicy";
    }
}
json_structure! {
    /// Output of `DescribeResourcePolicy`.
    DescribeResourcePolicyOutput "DescribeResourcePolicyResponse" {
        req resource_policy: ResourcePolicy = "ResourcePolicy";
    }
}
json_structure! {
    /// Output of `ListDelegatedServicesForAccount`.
    ListDelegatedServicesForAccountOutput "ListDelegatedServicesForAccountResponse" {
        req delegated_services: Vec<DelegatedService> = "DelegatedServices";
        opt next_token: String = "NextToken";
    }
}
json_structure! {
    /// Output of `ListAccountsWithInvalidEffectivePolicy`.
    ListAccountsWithInvalidEffectivePolicyOutput "ListAccountsWithInvalidEffectivePolicyResponse" {
        req accounts: Vec<Account> = "Accounts";
        req policy_type: EffectivePolicyType = "PolicyType";
        opt next_token: String = "NextToken";
    }
}
json_structure! {
    /// Output of `ListEffectivePolicyValidationErrors`.
    ListEffectivePolicyValidationErrorsOutput "ListEffectivePolicyValidationErrorsResponse" {
        req account_id: String = "AccountId";
        req policy_type: EffectivePolicyType = "PolicyType";
        req path: String = "Path";
        req evaluation_timestamp: Timestamp = "EvaluationTimestamp";
        opt next_token: String = "NextToken";
        req effective_policy_validation_errors: Vec<EffectivePolicyValidationError> = "EffectivePolicyValidationErrors";
    }
}
json_structure! {
    /// Output of `InviteOrganizationToTransferResponsibility`.
    InviteOrganizationToTransferResponsibilityOutput "InviteOrganizationToTransferResponsibilityResponse" {
        req handshake: Handshake = "Handshake";
    }
}
json_structure! {
    /// Output of `DescribeResponsibilityTransfer`.
    DescribeResponsibilityTransferOutput "DescribeResponsibilityTransferResponse" {
        req responsibility_transfer: ResponsibilityTransfer = "ResponsibilityTransfer";
    }
}
json_structure! {
    /// Output of `UpdateResponsibilityTransfer`.
    UpdateResponsibilityTransferOutput "UpdateResponsibilityTransferResponse" {
        req responsibility_transfer: ResponsibilityTransfer = "ResponsibilityTransfer";
    }
}
json_structure! {
    /// Output of `TerminateResponsibilityTransfer`.
    TerminateResponsibilityTransferOutput "TerminateResponsibilityTransferResponse" {
        req responsibility_transfer: ResponsibilityTransfer = "ResponsibilityTransfer";
    }
}
json_structure! {
    /// Output of `ListInboundResponsibilityTransfers`.
    ListInboundResponsibilityTransfersOutput "ListInboundResponsibilityTransfersResponse" {
        req responsibility_transfers: Vec<ResponsibilityTransfer> = "ResponsibilityTransfers";
        opt next_token: String = "NextToken";
    }
}
json_structure! {
    /// Output of `ListOutboundResponsibilityTransfers`.
    ListOutboundResponsibilityTransfersOutput "ListOutboundResponsibilityTransfersResponse" {
        req responsibility_transfers: Vec<ResponsibilityTransfer> = "ResponsibilityTransfers";
        opt next_token: String = "NextToken";
    }
}

json_operations! {
    decode_error: JsonViolations::into_organizations_error;
    respond: crate::json::aws_json_response;
    empty: empty_response;
    with_output {
        CreateOrganization(CreateOrganizationInput => CreateOrganizationOutput),
        DescribeOrganization(DescribeOrganizationInput => DescribeOrganizationOutput),
        ListRoots(ListRootsInput => ListRootsOutput),
        CreateOrganizationalUnit(CreateOrganizationalUnitInput => CreateOrganizationalUnitOutput),
        DescribeOrganizationalUnit(DescribeOrganizationalUnitInput => DescribeOrganizationalUnitOutput),
        UpdateOrganizationalUnit(UpdateOrganizationalUnitInput => UpdateOrganizationalUnitOutput),
        ListOrganizationalUnitsForParent(ListOrganizationalUnitsForParentInput => ListOrganizationalUnitsForParentOutput),
        ListChildren(ListChildrenInput => ListChildrenOutput),
        ListParents(ListParentsInput => ListParentsOutput),
        CreateAccount(CreateAccountInput => CreateAccountOutput),
        DescribeCreateAccountStatus(DescribeCreateAccountStatusInput => DescribeCreateAccountStatusOutput),
        ListCreateAccountStatus(ListCreateAccountStatusInput => ListCreateAccountStatusOutput),
        DescribeAccount(DescribeAccountInput => DescribeAccountOutput),
        ListAccounts(ListAccountsInput => ListAccountsOutput),
        ListAccountsForParent(ListAccountsForParentInput => ListAccountsForParentOutput),
        InviteAccountToOrganization(InviteAccountToOrganizationInput => InviteAccountToOrganizationOutput),
        AcceptHandshake(AcceptHandshakeInput => AcceptHandshakeOutput),
        DeclineHandshake(DeclineHandshakeInput => DeclineHandshakeOutput),
        CancelHandshake(CancelHandshakeInput => CancelHandshakeOutput),
        DescribeHandshake(DescribeHandshakeInput => DescribeHandshakeOutput),
        ListHandshakesForAccount(ListHandshakesForAccountInput => ListHandshakesForAccountOutput),
        ListHandshakesForOrganization(ListHandshakesForOrganizationInput => ListHandshakesForOrganizationOutput),
        EnablePolicyType(EnablePolicyTypeInput => EnablePolicyTypeOutput),
        DisablePolicyType(DisablePolicyTypeInput => DisablePolicyTypeOutput),
        CreatePolicy(CreatePolicyInput => CreatePolicyOutput),
        UpdatePolicy(UpdatePolicyInput => UpdatePolicyOutput),
        DescribePolicy(DescribePolicyInput => DescribePolicyOutput),
        ListPolicies(ListPoliciesInput => ListPoliciesOutput),
        ListPoliciesForTarget(ListPoliciesForTargetInput => ListPoliciesForTargetOutput),
        ListTargetsForPolicy(ListTargetsForPolicyInput => ListTargetsForPolicyOutput),
        DescribeEffectivePolicy(DescribeEffectivePolicyInput => DescribeEffectivePolicyOutput),
        ListTagsForResource(ListTagsForResourceInput => ListTagsForResourceOutput),
        ListAWSServiceAccessForOrganization(ListAWSServiceAccessForOrganizationInput => ListAWSServiceAccessForOrganizationOutput),
        ListDelegatedAdministrators(ListDelegatedAdministratorsInput => ListDelegatedAdministratorsOutput),
        EnableAllFeatures(EnableAllFeaturesInput => EnableAllFeaturesOutput),
        CreateGovCloudAccount(CreateGovCloudAccountInput => CreateGovCloudAccountOutput),
        PutResourcePolicy(PutResourcePolicyInput => PutResourcePolicyOutput),
        DescribeResourcePolicy(DescribeResourcePolicyInput => DescribeResourcePolicyOutput),
        ListDelegatedServicesForAccount(ListDelegatedServicesForAccountInput => ListDelegatedServicesForAccountOutput),
        ListAccountsWithInvalidEffectivePolicy(ListAccountsWithInvalidEffectivePolicyInput => ListAccountsWithInvalidEffectivePolicyOutput),
        ListEffectivePolicyValidationErrors(ListEffectivePolicyValidationErrorsInput => ListEffectivePolicyValidationErrorsOutput),
        InviteOrganizationToTransferResponsibility(InviteOrganizationToTransferResponsibilityInput => InviteOrganizationToTransferResponsibilityOutput),
        DescribeResponsibilityTransfer(DescribeResponsibilityTransferInput => DescribeResponsibilityTransferOutput),
        UpdateResponsibilityTransfer(UpdateResponsibilityTransferInput => UpdateResponsibilityTransferOutput),
        TerminateResponsibilityTransfer(TerminateResponsibilityTransferInput => TerminateResponsibilityTransferOutput),
        ListInboundResponsibilityTransfers(ListInboundResponsibilityTransfersInput => ListInboundResponsibilityTransfersOutput),
        ListOutboundResponsibilityTransfers(ListOutboundResponsibilityTransfersInput => ListOutboundResponsibilityTransfersOutput),
    }
    without_output {
        DeleteOrganization(DeleteOrganizationInput),
        DeleteOrganizationalUnit(DeleteOrganizationalUnitInput),
        MoveAccount(MoveAccountInput),
        RemoveAccountFromOrganization(RemoveAccountFromOrganizationInput),
        LeaveOrganization(LeaveOrganizationInput),
        CloseAccount(CloseAccountInput),
        DeletePolicy(DeletePolicyInput),
        AttachPolicy(AttachPolicyInput),
        DetachPolicy(DetachPolicyInput),
        TagResource(TagResourceInput),
        UntagResource(UntagResourceInput),
        EnableAWSServiceAccess(EnableAWSServiceAccessInput),
        DisableAWSServiceAccess(DisableAWSServiceAccessInput),
        RegisterDelegatedAdministrator(RegisterDelegatedAdministratorInput),
        DeregisterDelegatedAdministrator(DeregisterDelegatedAdministratorInput),
        DeleteResourcePolicy(DeleteResourcePolicyInput),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{JsonService, Protocol};
    use serde_json::json;

    fn body(r: &WireResponse) -> String {
        String::from_utf8(r.body.clone()).unwrap()
    }

    fn reason(op: &str, input: serde_json::Value) -> (ErrorCode, Option<serde_json::Value>) {
        let e = Operation::decode(op, &input).unwrap_err();
        (e.code, e.field("Reason").cloned())
    }

    #[test]
    fn create_account_decodes_captured_body() {
        let op = Operation::decode(
            "CreateAccount",
            &json!({"Email": "a@example.com", "AccountName": "Dev", "Tags": [{"Key": "env", "Value": "dev"}]}),
        )
        .unwrap();
        assert_eq!(
            op,
            Operation::CreateAccount(CreateAccountInput {
                email: "a@example.com".into(),
                account_name: "Dev".into(),
                role_name: None,
                iam_user_access_to_billing: None,
                tags: Some(vec![Tag {
                    key: "env".into(),
                    value: "dev".into()
                }]),
            })
        );
        assert!(op.has_output());
    }

    #[test]
    fn empty_body_operations_and_unknown_operation() {
        let op = Operation::decode("DescribeOrganization", &json!({})).unwrap();
        assert_eq!(
            op,
            Operation::DescribeOrganization(DescribeOrganizationInput {})
        );
        let op = Operation::decode("LeaveOrganization", &json!({})).unwrap();
        assert!(!op.has_output());
        let r = Output::Empty.encode("rid");
        assert_eq!(r.content_type, "application/x-amz-json-1.1");
        assert_eq!(body(&r), "{}");
        let e = Operation::decode("CreateGovCloud", &json!({})).unwrap_err();
        assert_eq!(e.code, ErrorCode::UnknownOperationException);
        assert_eq!(
            Operation::decode("ListRoots", &json!([1]))
                .unwrap_err()
                .code,
            ErrorCode::SerializationException
        );
    }

    #[test]
    fn missing_required_member_is_input_required() {
        let e = Operation::decode("DescribeAccount", &json!({"AccountId": null})).unwrap_err();
        let r = e.render(
            Protocol::AwsJson(JsonService::Organizations),
            "c0ffee00-0000-4000-8000-000000000001",
        );
        assert_eq!(r.status, 400);
        assert_eq!(r.header("x-amzn-ErrorType"), Some("InvalidInputException"));
        assert_eq!(
            r.header("x-amzn-RequestId"),
            Some("c0ffee00-0000-4000-8000-000000000001")
        );
        assert_eq!(
            body(&r),
            r#"{"__type":"InvalidInputException","Message":"You must include a value for all required parameters.","Reason":"INPUT_REQUIRED"}"#
        );
    }

    #[test]
    fn constraint_violations_carry_the_model_reason() {
        let s = |r: &str| Some(json!(r));
        assert_eq!(
            reason("DescribeAccount", json!({"AccountId": "12345"})),
            (ErrorCode::InvalidInputException, s("INVALID_PATTERN"))
        );
        assert_eq!(
            reason(
                "AttachPolicy",
                json!({"PolicyId": "p-FullAWSAccess", "TargetId": "x-1"})
            ),
            (
                ErrorCode::InvalidInputException,
                s("INVALID_PATTERN_TARGET_ID")
            )
        );
        assert_eq!(
            reason("ListAccounts", json!({"MaxResults": 21})),
            (ErrorCode::InvalidInputException, s("MAX_VALUE_EXCEEDED"))
        );
        assert_eq!(
            reason("ListAccounts", json!({"MaxResults": 0})),
            (ErrorCode::InvalidInputException, s("MIN_VALUE_EXCEEDED"))
        );
        assert_eq!(
            reason("ListAccounts", json!({"MaxResults": "5"})),
            (ErrorCode::SerializationException, None)
        );
        assert_eq!(
            reason("ListPolicies", json!({"Filter": "SCP"})),
            (ErrorCode::InvalidInputException, s("INVALID_ENUM"))
        );
        assert_eq!(
            reason(
                "CreateOrganizationalUnit",
                json!({"ParentId": "r-ab12", "Name": ""})
            ),
            (ErrorCode::InvalidInputException, s("MIN_LENGTH_EXCEEDED"))
        );
        assert_eq!(
            reason(
                "CreateAccount",
                json!({"Email": "a@example.com", "AccountName": "x".repeat(51)})
            ),
            (ErrorCode::InvalidInputException, s("MAX_LENGTH_EXCEEDED"))
        );
        assert_eq!(
            reason(
                "InviteAccountToOrganization",
                json!({"Target": {"Id": "111111111111", "Type": "USER"}})
            ),
            (ErrorCode::InvalidInputException, s("INVALID_ENUM"))
        );
        assert_eq!(
            reason(
                "TagResource",
                json!({"ResourceId": "111111111111", "Tags": [{"Key": "a*b", "Value": "v"}]})
            ),
            (ErrorCode::InvalidInputException, s("INVALID_PATTERN"))
        );
        let op = Operation::decode(
            "ListHandshakesForAccount",
            &json!({"Filter": {"ActionType": "INVITE"}, "NextToken": "t", "MaxResults": 20}),
        )
        .unwrap();
        assert!(matches!(
            op,
            Operation::ListHandshakesForAccount(ListHandshakesForAccountInput {
                filter: Some(HandshakeFilter {
                    action_type: Some(ActionType::Invite),
                    parent_handshake_id: None
                }),
                max_results: Some(20),
                ..
            })
        ));
    }

    #[test]
    fn id_patterns_follow_the_documented_formats() {
        assert!(Pattern::OrgParentId.matches("r-ab12"));
        assert!(Pattern::OrgParentId.matches("ou-ab12-abcdefgh"));
        assert!(!Pattern::OrgParentId.matches("ou-ab12-abc"));
        assert!(!Pattern::OrgParentId.matches("r-AB12"));
        assert!(Pattern::OrgChildId.matches("111111111111"));
        assert!(!Pattern::OrgChildId.matches("11111111111"));
        assert!(Pattern::OrgPolicyId.matches("p-FullAWSAccess"));
        assert!(!Pattern::OrgPolicyId.matches("p-short"));
        assert!(Pattern::OrgHandshakeId.matches("h-0123456789abcdef"));
        assert!(Pattern::OrgCreateAccountRequestId.matches("car-abcdefgh"));
        assert!(Pattern::OrgTaggableResourceId.matches("p-abcdefgh12"));
        assert!(Pattern::OrgTaggableResourceId.matches("rp-abcd"));
        assert!(!Pattern::OrgTaggableResourceId.matches("h-0123456789abcdef"));
        assert!(Pattern::OrgEmail.matches("a.b+c@example.co.uk"));
        assert!(!Pattern::OrgEmail.matches("a@example"));
        assert!(!Pattern::OrgEmail.matches("a b@example.com"));
        assert!(!Pattern::OrgEmail.matches("a@b@example.com"));
        assert!(!Pattern::OrgEmail.matches("a@.com"));
        assert!(Pattern::OrgRoleName.matches("OrganizationAccountAccessRole"));
        assert!(!Pattern::OrgRoleName.matches("a b"));
    }

    #[test]
    fn list_accounts_json_is_exact() {
        let out = ListAccountsOutput {
            accounts: vec![Account {
                id: "111111111111".into(),
                arn: "arn:aws:organizations::111111111111:account/o-exampleorgid/111111111111"
                    .into(),
                email: "a@example.com".into(),
                name: "Mgmt".into(),
                status: AccountStatus::Active,
                state: AccountState::Active,
                paths: vec![],
                joined_method: AccountJoinedMethod::Created,
                joined_timestamp: Timestamp(1_714_566_896),
            }],
            next_token: Some("tok".into()),
        };
        let r = Output::from(out).encode("c0ffee00-0000-4000-8000-000000000001");
        assert_eq!(r.status, 200);
        assert_eq!(r.content_type, "application/x-amz-json-1.1");
        assert_eq!(
            r.header("x-amzn-RequestId"),
            Some("c0ffee00-0000-4000-8000-000000000001")
        );
        assert_eq!(
            body(&r),
            r#"{"Accounts":[{"Arn":"arn:aws:organizations::111111111111:account/o-exampleorgid/111111111111","Email":"a@example.com","Id":"111111111111","JoinedMethod":"CREATED","JoinedTimestamp":1714566896,"Name":"Mgmt","State":"ACTIVE","Status":"ACTIVE"}],"NextToken":"tok"}"#
        );
    }

    #[test]
    fn organization_and_policy_json_are_exact() {
        let org = Organization {
            id: "o-exampleorgid".into(),
            arn: "arn:aws:organizations::111111111111:organization/o-exampleorgid".into(),
            feature_set: OrganizationFeatureSet::All,
            master_account_arn:
                "arn:aws:organizations::111111111111:account/o-exampleorgid/111111111111".into(),
            master_account_id: "111111111111".into(),
            master_account_email: "a@example.com".into(),
            available_policy_types: vec![PolicyTypeSummary {
                policy_type: PolicyType::ServiceControlPolicy,
                status: PolicyTypeStatus::Enabled,
            }],
        };
        assert_eq!(
            body(&Output::from(DescribeOrganizationOutput { organization: org }).encode("r")),
            r#"{"Organization":{"Arn":"arn:aws:organizations::111111111111:organization/o-exampleorgid","AvailablePolicyTypes":[{"Status":"ENABLED","Type":"SERVICE_CONTROL_POLICY"}],"FeatureSet":"ALL","Id":"o-exampleorgid","MasterAccountArn":"arn:aws:organizations::111111111111:account/o-exampleorgid/111111111111","MasterAccountEmail":"a@example.com","MasterAccountId":"111111111111"}}"#
        );
        let policy = Policy {
            policy_summary: PolicySummary {
                id: "p-FullAWSAccess".into(),
                arn: "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess"
                    .into(),
                name: "FullAWSAccess".into(),
                description: "Allows access to every operation".into(),
                policy_type: PolicyType::ServiceControlPolicy,
                aws_managed: true,
            },
            content: "{\"Version\":\"2012-10-17\"}".into(),
        };
        assert_eq!(
            body(&Output::from(DescribePolicyOutput { policy }).encode("r")),
            r#"{"Policy":{"Content":"{\"Version\":\"2012-10-17\"}","PolicySummary":{"Arn":"arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess","AwsManaged":true,"Description":"Allows access to every operation","Id":"p-FullAWSAccess","Name":"FullAWSAccess","Type":"SERVICE_CONTROL_POLICY"}}}"#
        );
    }

    #[test]
    fn handshake_json_nests_resources_one_level() {
        let hs = Handshake {
            id: "h-0123456789abcdef".into(),
            arn: "arn:aws:organizations::111111111111:handshake/o-exampleorgid/invite/h-0123456789abcdef".into(),
            parties: vec![HandshakeParty { id: "222222222222".into(), party_type: HandshakePartyType::Account }],
            state: HandshakeState::Open,
            requested_timestamp: Timestamp(0),
            expiration_timestamp: Timestamp(1_296_000),
            action: ActionType::Invite,
            resources: vec![HandshakeResource {
                value: Some("o-exampleorgid".into()),
                resource_type: Some(HandshakeResourceType::Organization),
                resources: vec![HandshakeSubResource {
                    value: Some("a@example.com".into()),
                    resource_type: Some(HandshakeResourceType::MasterEmail),
                }],
            }],
        };
        assert_eq!(
            body(&Output::from(AcceptHandshakeOutput { handshake: hs }).encode("r")),
            r#"{"Handshake":{"Action":"INVITE","Arn":"arn:aws:organizations::111111111111:handshake/o-exampleorgid/invite/h-0123456789abcdef","ExpirationTimestamp":1296000,"Id":"h-0123456789abcdef","Parties":[{"Id":"222222222222","Type":"ACCOUNT"}],"RequestedTimestamp":0,"Resources":[{"Resources":[{"Type":"MASTER_EMAIL","Value":"a@example.com"}],"Type":"ORGANIZATION","Value":"o-exampleorgid"}],"State":"OPEN"}}"#
        );
    }

    #[test]
    fn reason_helpers_render_extra_fields() {
        let r = invalid_next_token().render(Protocol::AwsJson(JsonService::Organizations), "r");
        assert!(body(&r).ends_with(r#","Reason":"INVALID_NEXT_TOKEN"}"#));
        let r = too_many_requests("RequestLimitExceeded")
            .render(Protocol::AwsJson(JsonService::Organizations), "r");
        assert!(body(&r).ends_with(r#","Type":"RequestLimitExceeded"}"#));
        assert_eq!(r.status, 400);
    }

    #[test]
    fn served_operations_are_unique() {
        let mut names: Vec<_> = SERVED_OPERATIONS.iter().map(|o| o.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 63);
    }
}
