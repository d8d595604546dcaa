//! Errors of the policy crate and the table of AWS messages they carry.
//!
//! Every client-visible string lives in [`messages`] so that a wording observed from AWS can be
//! corrected in one place (`shared/reference/policy-language.md` §9.2). This module owns no
//! logic beyond choosing the AWS error code for a variant.

use thiserror::Error;

/// Why a policy document was refused.
///
/// The message is the exact text AWS puts in the error document; the server renders it with
/// the code from [`PolicyError::code`].
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PolicyError {
    /// The document is not a valid policy (`MalformedPolicyDocument`, HTTP 400).
    #[error("{0}")]
    Malformed(String),
    /// The document exceeds the size quota of its kind (`LimitExceeded`, HTTP 409).
    #[error("{0}")]
    LimitExceeded(String),
    /// A session policy is too large (`PackedPolicyTooLarge`, STS, HTTP 400).
    #[error("{0}")]
    PackedPolicyTooLarge(String),
    /// An Organizations policy exceeds its size (`ConstraintViolationException`, reason
    /// `POLICY_CONTENT_LIMIT_EXCEEDED`).
    #[error("{0}")]
    ConstraintViolation(String),
    /// The document violates the API's parameter constraints (characters outside
    /// `[\u0009\u000A\u000D\u0020-\u00FF]`, longer than 131,072 characters): `ValidationError`.
    #[error("{0}")]
    Validation(String),
}

impl PolicyError {
    /// The AWS error code of this error as IAM/STS spell it.
    ///
    /// Organizations spells the malformed-document code `MalformedPolicyDocumentException`; the
    /// Organizations layer appends the suffix itself.
    ///
    /// ```
    /// use rampart_policy::{Policy, PolicyKind};
    /// let err = Policy::parse("{}", PolicyKind::Identity).unwrap_err();
    /// assert_eq!(err.code(), "MalformedPolicyDocument");
    /// ```
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            PolicyError::Malformed(_) => "MalformedPolicyDocument",
            PolicyError::LimitExceeded(_) => "LimitExceeded",
            PolicyError::PackedPolicyTooLarge(_) => "PackedPolicyTooLarge",
            PolicyError::ConstraintViolation(_) => "ConstraintViolationException",
            PolicyError::Validation(_) => "ValidationError",
        }
    }

    /// The client-visible message.
    #[must_use]
    pub fn message(&self) -> &str {
        match self {
            PolicyError::Malformed(m)
            | PolicyError::LimitExceeded(m)
            | PolicyError::PackedPolicyTooLarge(m)
            | PolicyError::ConstraintViolation(m)
            | PolicyError::Validation(m) => m,
        }
    }

    pub(crate) fn malformed(message: impl Into<String>) -> Self {
        PolicyError::Malformed(message.into())
    }
}

/// The AWS message strings, in one table (`policy-language.md` §9.2). Strings marked
/// **[obs]** in the reference are observed behaviour; those marked *choice* below are ours where
/// AWS's wording is not pinned.
pub mod messages {
    /// Not JSON, wrong types, unknown keys, both `Action` and `NotAction`, bad `Version`.
    pub const SYNTAX: &str = "Syntax errors in policy.";
    /// Managed policies (and SCPs/RCPs) without `"Version": "2012-10-17"`.
    pub const VERSION_REQUIRED: &str = "Policy document must be version 2012-10-17 or greater.";
    /// `Effect` not exactly `Allow`/`Deny`, malformed condition literals.
    pub const LEGACY_PARSING: &str = "The policy failed legacy parsing";
    /// Two statements share a non-empty Sid.
    pub const SID_UNIQUE: &str = "Statement IDs (SID) in a single policy must be unique.";
    /// A Sid outside `[0-9A-Za-z]*` in an IAM-stored document.
    pub const SID_CHARSET: &str = "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*";
    /// Statement without `Action`/`NotAction`.
    pub const MISSING_ACTIONS: &str = "Policy statement must contain actions.";
    /// Identity-type statement without `Resource`/`NotResource`.
    pub const MISSING_RESOURCES: &str = "Policy statement must contain resources.";
    /// Action without a colon.
    pub const ACTION_VENDOR: &str =
        "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.";
    /// Action with two colons.
    pub const ACTION_ONE_COLON: &str = "Actions/Condition can contain only one colon.";
    /// Resource with an empty or wildcarded service segment.
    pub const RESOURCE_VENDOR: &str =
        "Resource vendor must be fully qualified and cannot contain regexes.";
    /// IAM resource whose resource part does not start with a known type.
    pub const IAM_RESOURCE_PATH: &str = "IAM resource path must either be \"*\" or start with user/, federated-user/, role/, group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, report/, access-report/.";
    /// Trust-policy statement without `Principal`.
    pub const MISSING_PRINCIPAL: &str = "Missing required field Principal";
    /// Trust-policy statement with `Resource`.
    pub const TRUST_RESOURCE: &str = "Has prohibited field Resource.";
    /// Trust-policy statement with `NotResource` (*choice*, by analogy).
    pub const TRUST_NOT_RESOURCE: &str = "Has prohibited field NotResource.";
    /// Trust-policy statement with `NotPrincipal` (*choice*, by analogy).
    pub const TRUST_NOT_PRINCIPAL: &str = "Has prohibited field NotPrincipal.";
    /// Trust-policy statement with the bare string `"*"` as principal.
    pub const TRUST_STAR_PRINCIPAL: &str =
        "AssumeRolepolicy contained an invalid principal: \"STAR\":\"*\".";
    /// Trust-policy statement whose actions are not role actions.
    pub const TRUST_ACTIONS: &str = "AssumeRole policy may only specify STS AssumeRole actions.";
    /// Identity-type document naming a principal.
    pub const IDENTITY_PRINCIPAL: &str = "Policy document should not specify a principal.";

    /// `Resource <x> must be in ARN format or "*".`
    #[must_use]
    pub fn resource_format(resource: &str) -> String {
        format!("Resource {resource} must be in ARN format or \"*\".")
    }

    /// `Partition "<p>" is not valid for resource "<arn>".`
    #[must_use]
    pub fn partition(partition: &str, resource: &str) -> String {
        format!("Partition \"{partition}\" is not valid for resource \"{resource}\".")
    }

    /// `Resource <arn> can not contain region information.` (an S3 ARN with a region).
    #[must_use]
    pub fn s3_region(resource: &str) -> String {
        format!("Resource {resource} can not contain region information.")
    }

    /// `IAM resource <arn> cannot contain region information.`
    #[must_use]
    pub fn iam_region(resource: &str) -> String {
        format!("IAM resource {resource} cannot contain region information.")
    }

    /// `Vendor <x> is not valid`
    #[must_use]
    pub fn vendor(vendor: &str) -> String {
        format!("Vendor {vendor} is not valid")
    }

    /// `Invalid principal in policy: "<type>":"<value>"`
    #[must_use]
    pub fn invalid_principal(kind: &str, value: &str) -> String {
        format!("Invalid principal in policy: \"{kind}\":\"{value}\"")
    }

    /// Managed policy over 6,144 characters.
    #[must_use]
    pub fn policy_size(limit: usize) -> String {
        format!("Cannot exceed quota for PolicySize: {limit}")
    }

    /// Trust policy over its quota.
    #[must_use]
    pub fn trust_size(limit: usize) -> String {
        format!("Cannot exceed quota for ACLSizePerRole: {limit}")
    }

    /// Aggregate inline policies of a user, group or role over quota.
    #[must_use]
    pub fn inline_size(limit: usize, entity: &str, name: &str) -> String {
        format!("Maximum policy size of {limit} bytes exceeded for {entity} {name}")
    }

    /// Session policy over the packed quota (percentage approximated from the plaintext size).
    #[must_use]
    pub fn packed_policy(percent: usize) -> String {
        format!(
            "Packed policy consumes {percent}% of allotted space, please use smaller policy for session."
        )
    }

    /// SCP/RCP over 5,120 characters (*choice*: AWS's exact sentence is not pinned).
    pub const ORGANIZATIONS_SIZE: &str = "The provided policy document exceeds the maximum allowed size (POLICY_CONTENT_LIMIT_EXCEEDED).";

    /// Document with characters outside the API pattern.
    pub const CHARSET: &str = "1 validation error detected: Value at 'policyDocument' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+";
    /// Document longer than the API maximum.
    pub const API_LENGTH: &str = "1 validation error detected: Value at 'policyDocument' failed to satisfy constraint: Member must have length less than or equal to 131072";
    /// Empty document.
    pub const API_EMPTY: &str = "1 validation error detected: Value at 'policyDocument' failed to satisfy constraint: Member must have length greater than or equal to 1";
}
