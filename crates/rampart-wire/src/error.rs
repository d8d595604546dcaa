//! AWS error codes and error documents.
//!
//! Owns [`ErrorCode`] (every code the served protocols can send, with the HTTP
//! status and fault taken from the botocore models or, for codes no model
//! declares, from `shared/reference/wire-protocols.md` §1.5 and `sigv4.md`),
//! [`WireError`] (a code plus a client-visible message, also used for decode
//! failures), the per-protocol spelling of shared errors
//! ([`ErrorCode::for_protocol`]) and the renderers for the three error
//! envelopes. It knows no domain rule: deciding *which* error applies is the
//! caller's job; how each protocol spells it is this module's.

use crate::query::QueryService;
use crate::route::JsonService;

/// Who is to blame for an error, as awsQuery's `<Type>` element says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The request was wrong (every 4xx).
    Sender,
    /// The server failed (every 5xx).
    Receiver,
}

impl Fault {
    /// The text of the awsQuery `<Type>` element.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sender => "Sender",
            Self::Receiver => "Receiver",
        }
    }
}

/// The wire protocol a response is rendered in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// awsQuery (IAM, STS): XML documents in the service's namespace.
    Query(QueryService),
    /// awsJson1.1 (Organizations, CloudTrail): `application/x-amz-json-1.1`. The
    /// service matters for the spelling of shared errors ([`ErrorCode::for_protocol`]).
    AwsJson(JsonService),
    /// restJson1 (Account): `application/json`.
    RestJson,
}

macro_rules! error_codes {
    ($( $(#[$doc:meta])* $variant:ident = ($code:literal, $status:literal) ),* $(,)?) => {
        /// Every error code Rampart can put on the wire.
        ///
        /// Variant names are the AWS codes verbatim, except the three restJson1
        /// Account errors whose code collides with an Organizations error of a
        /// different HTTP status (`AccountApi…`) and CloudTrail's
        /// `ResourceNotFoundException` (400, the Account API's is 404); their
        /// [`ErrorCode::code`] is the plain AWS spelling.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ErrorCode {
            $( $(#[$doc])* $variant, )*
        }

        impl ErrorCode {
            /// Every variant, for tests and tables.
            pub const ALL: &'static [ErrorCode] = &[ $( ErrorCode::$variant, )* ];

            /// The code exactly as sent on the wire (`<Code>`, `__type`, `x-amzn-ErrorType`).
            #[must_use]
            pub fn code(&self) -> &'static str {
                match self { $( Self::$variant => $code, )* }
            }

            /// The HTTP status AWS uses for this code.
            #[must_use]
            pub fn http_status(&self) -> u16 {
                match self { $( Self::$variant => $status, )* }
            }
        }
    };
}

error_codes! {
    // ---- IAM modeled errors (iam/2010-05-08 service-2.json) ----
    /// IAM: the named entity does not exist.
    NoSuchEntity = ("NoSuchEntity", 404),
    /// IAM: an entity with that name already exists.
    EntityAlreadyExists = ("EntityAlreadyExists", 409),
    /// IAM: a quota would be exceeded. Never spell it with `Exception`: botocore retries that.
    LimitExceeded = ("LimitExceeded", 409),
    /// IAM: the entity still has subordinate entities.
    DeleteConflict = ("DeleteConflict", 409),
    /// IAM: concurrent modification.
    ConcurrentModification = ("ConcurrentModification", 409),
    /// IAM: the entity is temporarily unmodifiable.
    EntityTemporarilyUnmodifiable = ("EntityTemporarilyUnmodifiable", 409),
    /// IAM: too many report generations.
    ReportGenerationLimitExceeded = ("ReportGenerationLimitExceeded", 409),
    /// IAM: duplicate signing certificate.
    DuplicateCertificate = ("DuplicateCertificate", 409),
    /// IAM: the feature is already enabled.
    FeatureEnabled = ("FeatureEnabled", 409),
    /// IAM: the feature is disabled.
    FeatureDisabled = ("FeatureDisabled", 404),
    /// IAM: the report is still being generated.
    ReportInProgress = ("ReportInProgress", 404),
    /// IAM: the report expired.
    ReportExpired = ("ReportExpired", 410),
    /// IAM: no report exists.
    ReportNotPresent = ("ReportNotPresent", 410),
    /// IAM: the service is not supported (service-specific credentials).
    NotSupportedService = ("NotSupportedService", 404),
    /// IAM/STS: the policy document is malformed.
    MalformedPolicyDocument = ("MalformedPolicyDocument", 400),
    /// IAM: an input value is invalid.
    InvalidInput = ("InvalidInput", 400),
    /// IAM: the password violates the account password policy.
    PasswordPolicyViolation = ("PasswordPolicyViolation", 400),
    /// IAM: the user type is invalid.
    InvalidUserType = ("InvalidUserType", 400),
    /// IAM: the policy cannot be attached.
    PolicyNotAttachable = ("PolicyNotAttachable", 400),
    /// IAM: the entity (for example a service-linked role) cannot be modified.
    UnmodifiableEntity = ("UnmodifiableEntity", 400),
    /// IAM: the certificate is invalid.
    InvalidCertificate = ("InvalidCertificate", 400),
    /// IAM: the certificate is malformed.
    MalformedCertificate = ("MalformedCertificate", 400),
    /// IAM: the key pair does not match.
    KeyPairMismatch = ("KeyPairMismatch", 400),
    /// IAM: the SSH public key is invalid.
    InvalidPublicKey = ("InvalidPublicKey", 400),
    /// IAM: the SSH public key is a duplicate.
    DuplicateSshPublicKey = ("DuplicateSSHPublicKey", 400),
    /// IAM: the public key encoding is not recognised.
    UnrecognizedPublicKeyEncoding = ("UnrecognizedPublicKeyEncoding", 400),
    /// IAM: the OpenID Connect provider could not be reached.
    OpenIdIdpCommunicationError = ("OpenIdIdpCommunicationError", 400),
    /// IAM: the MFA authentication code is invalid.
    InvalidAuthenticationCode = ("InvalidAuthenticationCode", 403),
    /// IAM: the server failed.
    ServiceFailure = ("ServiceFailure", 500),
    /// IAM: policy simulation failed.
    PolicyEvaluation = ("PolicyEvaluation", 500),
    /// IAM (Organizations features): caller is not management or delegated administrator.
    AccountNotManagementOrDelegatedAdministratorException = ("AccountNotManagementOrDelegatedAdministratorException", 400),
    /// IAM (Organizations features): caller is not the management account.
    CallerIsNotManagementAccountException = ("CallerIsNotManagementAccountException", 400),
    /// IAM (Organizations features): no organization.
    OrganizationNotFoundException = ("OrganizationNotFoundException", 400),
    /// IAM (Organizations features): organization lacks all features.
    OrganizationNotInAllFeaturesModeException = ("OrganizationNotInAllFeaturesModeException", 400),
    /// IAM (Organizations features): trusted access is not enabled.
    ServiceAccessNotEnabledException = ("ServiceAccessNotEnabledException", 400),

    // ---- STS modeled errors (sts/2011-06-15) ----
    /// STS: the input web identity or SAML token expired. (JSON services also use this spelling for expired session tokens.)
    ExpiredTokenException = ("ExpiredTokenException", 400),
    /// STS: the trade-in token expired.
    ExpiredTradeInTokenException = ("ExpiredTradeInTokenException", 400),
    /// STS: the identity provider could not be reached.
    IdpCommunicationError = ("IDPCommunicationError", 400),
    /// STS: the identity provider rejected the claim.
    IdpRejectedClaim = ("IDPRejectedClaim", 403),
    /// STS: the authorization message is invalid.
    InvalidAuthorizationMessageException = ("InvalidAuthorizationMessageException", 400),
    /// STS: the web identity token is invalid.
    InvalidIdentityToken = ("InvalidIdentityToken", 400),
    /// STS: the JWT payload is too large.
    JwtPayloadSizeExceededException = ("JWTPayloadSizeExceededException", 400),
    /// STS: outbound web identity federation is disabled.
    OutboundWebIdentityFederationDisabledException = ("OutboundWebIdentityFederationDisabledException", 403),
    /// STS: session policies and tags exceed the packed size limit.
    PackedPolicyTooLarge = ("PackedPolicyTooLarge", 400),
    /// STS: STS is not activated in the region.
    RegionDisabledException = ("RegionDisabledException", 403),
    /// STS: the requested session duration escalates privileges.
    SessionDurationEscalationException = ("SessionDurationEscalationException", 403),

    // ---- Organizations modeled errors (organizations/2016-11-28; all 400 but ServiceException) ----
    /// Organizations: the account is not in an organization.
    AwsOrganizationsNotInUseException = ("AWSOrganizationsNotInUseException", 400),
    /// Organizations: access denied (Organizations documents 400).
    AccessDeniedException = ("AccessDeniedException", 400),
    /// Organizations: a dependency denied access.
    AccessDeniedForDependencyException = ("AccessDeniedForDependencyException", 400),
    /// Organizations: the account is already closed.
    AccountAlreadyClosedException = ("AccountAlreadyClosedException", 400),
    /// Organizations: the account is already a delegated administrator.
    AccountAlreadyRegisteredException = ("AccountAlreadyRegisteredException", 400),
    /// Organizations: no such account.
    AccountNotFoundException = ("AccountNotFoundException", 400),
    /// Organizations: the account is not a delegated administrator.
    AccountNotRegisteredException = ("AccountNotRegisteredException", 400),
    /// Organizations: the account owner is not verified.
    AccountOwnerNotVerifiedException = ("AccountOwnerNotVerifiedException", 400),
    /// Organizations: the account already belongs to an organization.
    AlreadyInOrganizationException = ("AlreadyInOrganizationException", 400),
    /// Organizations: no such child.
    ChildNotFoundException = ("ChildNotFoundException", 400),
    /// Organizations: concurrent modification.
    ConcurrentModificationException = ("ConcurrentModificationException", 400),
    /// Organizations: conflict.
    ConflictException = ("ConflictException", 400),
    /// Organizations: a constraint would be violated (carries `Reason`).
    ConstraintViolationException = ("ConstraintViolationException", 400),
    /// Organizations: no such create-account request.
    CreateAccountStatusNotFoundException = ("CreateAccountStatusNotFoundException", 400),
    /// Organizations: no such destination parent.
    DestinationParentNotFoundException = ("DestinationParentNotFoundException", 400),
    /// Organizations: the account is already in the organization.
    DuplicateAccountException = ("DuplicateAccountException", 400),
    /// Organizations: duplicate handshake.
    DuplicateHandshakeException = ("DuplicateHandshakeException", 400),
    /// Organizations: duplicate OU name.
    DuplicateOrganizationalUnitException = ("DuplicateOrganizationalUnitException", 400),
    /// Organizations: the policy is already attached.
    DuplicatePolicyAttachmentException = ("DuplicatePolicyAttachmentException", 400),
    /// Organizations: duplicate policy name.
    DuplicatePolicyException = ("DuplicatePolicyException", 400),
    /// Organizations: no effective policy.
    EffectivePolicyNotFoundException = ("EffectivePolicyNotFoundException", 400),
    /// Organizations: the organization is still being finalized.
    FinalizingOrganizationException = ("FinalizingOrganizationException", 400),
    /// Organizations: the handshake is already in that state.
    HandshakeAlreadyInStateException = ("HandshakeAlreadyInStateException", 400),
    /// Organizations: a handshake constraint would be violated (carries `Reason`).
    HandshakeConstraintViolationException = ("HandshakeConstraintViolationException", 400),
    /// Organizations: no such handshake.
    HandshakeNotFoundException = ("HandshakeNotFoundException", 400),
    /// Organizations: invalid handshake transition.
    InvalidHandshakeTransitionException = ("InvalidHandshakeTransitionException", 400),
    /// Organizations: invalid input (carries `Reason`).
    InvalidInputException = ("InvalidInputException", 400),
    /// Organizations: invalid responsibility transfer transition.
    InvalidResponsibilityTransferTransitionException = ("InvalidResponsibilityTransferTransitionException", 400),
    /// Organizations: the policy document is malformed.
    MalformedPolicyDocumentException = ("MalformedPolicyDocumentException", 400),
    /// Organizations: the management account cannot leave.
    MasterCannotLeaveOrganizationException = ("MasterCannotLeaveOrganizationException", 400),
    /// Organizations: the organization still has members.
    OrganizationNotEmptyException = ("OrganizationNotEmptyException", 400),
    /// Organizations: the OU is not empty.
    OrganizationalUnitNotEmptyException = ("OrganizationalUnitNotEmptyException", 400),
    /// Organizations: no such OU.
    OrganizationalUnitNotFoundException = ("OrganizationalUnitNotFoundException", 400),
    /// Organizations: no such parent.
    ParentNotFoundException = ("ParentNotFoundException", 400),
    /// Organizations: policy changes are in progress.
    PolicyChangesInProgressException = ("PolicyChangesInProgressException", 400),
    /// Organizations: the policy is in use.
    PolicyInUseException = ("PolicyInUseException", 400),
    /// Organizations: the policy is not attached.
    PolicyNotAttachedException = ("PolicyNotAttachedException", 400),
    /// Organizations: no such policy.
    PolicyNotFoundException = ("PolicyNotFoundException", 400),
    /// Organizations: the policy type is already enabled.
    PolicyTypeAlreadyEnabledException = ("PolicyTypeAlreadyEnabledException", 400),
    /// Organizations: the policy type is unavailable.
    PolicyTypeNotAvailableForOrganizationException = ("PolicyTypeNotAvailableForOrganizationException", 400),
    /// Organizations: the policy type is not enabled.
    PolicyTypeNotEnabledException = ("PolicyTypeNotEnabledException", 400),
    /// Organizations: no resource policy.
    ResourcePolicyNotFoundException = ("ResourcePolicyNotFoundException", 400),
    /// Organizations: responsibility transfer already in that status.
    ResponsibilityTransferAlreadyInStatusException = ("ResponsibilityTransferAlreadyInStatusException", 400),
    /// Organizations: no such responsibility transfer.
    ResponsibilityTransferNotFoundException = ("ResponsibilityTransferNotFoundException", 400),
    /// Organizations: no such root.
    RootNotFoundException = ("RootNotFoundException", 400),
    /// Organizations: the server failed.
    ServiceException = ("ServiceException", 500),
    /// Organizations: no such source parent.
    SourceParentNotFoundException = ("SourceParentNotFoundException", 400),
    /// Organizations: no such target.
    TargetNotFoundException = ("TargetNotFoundException", 400),
    /// Organizations: throttled (documented 400; clients retry it by name).
    TooManyRequestsException = ("TooManyRequestsException", 400),
    /// Organizations: unsupported endpoint.
    UnsupportedApiEndpointException = ("UnsupportedAPIEndpointException", 400),

    // ---- Account modeled errors (account/2021-02-01, restJson1) ----
    /// Account API: access denied (403; code `AccessDeniedException`).
    AccountApiAccessDeniedException = ("AccessDeniedException", 403),
    /// Account API: conflict (409; code `ConflictException`).
    AccountApiConflictException = ("ConflictException", 409),
    /// Account API: throttled (429; code `TooManyRequestsException`).
    AccountApiTooManyRequestsException = ("TooManyRequestsException", 429),
    /// Account API: the server failed.
    InternalServerException = ("InternalServerException", 500),
    /// Account API: no such resource (for example no alternate contact set).
    ResourceNotFoundException = ("ResourceNotFoundException", 404),
    /// Account API: the resource is unavailable.
    ResourceUnavailableException = ("ResourceUnavailableException", 424),
    /// Account API: validation failed.
    ValidationException = ("ValidationException", 400),

    // ---- CloudTrail modeled errors (cloudtrail/2013-11-01 service-2.json) ----
    /// CloudTrail: a LookupEvents attribute is not valid (or more than one was given).
    InvalidLookupAttributesException = ("InvalidLookupAttributesException", 400),
    /// CloudTrail: the start time is after the end time.
    InvalidTimeRangeException = ("InvalidTimeRangeException", 400),
    /// CloudTrail: `MaxResults` is outside 1..=50.
    InvalidMaxResultsException = ("InvalidMaxResultsException", 400),
    /// CloudTrail: the `NextToken` does not continue a query with these parameters.
    InvalidNextTokenException = ("InvalidNextTokenException", 400),
    /// CloudTrail: `EventCategory` is not `insight`.
    InvalidEventCategoryException = ("InvalidEventCategoryException", 400),
    /// CloudTrail: the operation is not supported.
    UnsupportedOperationException = ("UnsupportedOperationException", 400),
    /// CloudTrail: the operation is not permitted.
    OperationNotPermittedException = ("OperationNotPermittedException", 400),
    /// CloudTrail: the account already has the most trails a region allows (5).
    MaximumNumberOfTrailsExceededException = ("MaximumNumberOfTrailsExceededException", 400),
    /// CloudTrail: a trail of that name exists in the region.
    TrailAlreadyExistsException = ("TrailAlreadyExistsException", 400),
    /// CloudTrail: the destination bucket does not exist.
    S3BucketDoesNotExistException = ("S3BucketDoesNotExistException", 400),
    /// CloudTrail: the bucket policy does not let CloudTrail write.
    InsufficientS3BucketPolicyException = ("InsufficientS3BucketPolicyException", 400),
    /// CloudTrail: the topic policy does not let CloudTrail publish.
    InsufficientSnsTopicPolicyException = ("InsufficientSnsTopicPolicyException", 400),
    /// CloudTrail: the KMS key policy does not let CloudTrail encrypt.
    InsufficientEncryptionPolicyException = ("InsufficientEncryptionPolicyException", 400),
    /// CloudTrail: the bucket name is not valid.
    InvalidS3BucketNameException = ("InvalidS3BucketNameException", 400),
    /// CloudTrail: the key prefix is not valid.
    InvalidS3PrefixException = ("InvalidS3PrefixException", 400),
    /// CloudTrail: the topic name is not valid.
    InvalidSnsTopicNameException = ("InvalidSnsTopicNameException", 400),
    /// CloudTrail: the KMS key id is not valid.
    InvalidKmsKeyIdException = ("InvalidKmsKeyIdException", 400),
    /// CloudTrail: the trail name (or ARN) is not valid.
    InvalidTrailNameException = ("InvalidTrailNameException", 400),
    /// CloudTrail: no trail was named.
    TrailNotProvidedException = ("TrailNotProvidedException", 400),
    /// CloudTrail: more than 50 tags.
    TagsLimitExceededException = ("TagsLimitExceededException", 400),
    /// CloudTrail: parameters that cannot be combined.
    InvalidParameterCombinationException = ("InvalidParameterCombinationException", 400),
    /// CloudTrail: a parameter is not valid.
    InvalidParameterException = ("InvalidParameterException", 400),
    /// CloudTrail: the KMS key does not exist.
    KmsKeyNotFoundException = ("KmsKeyNotFoundException", 400),
    /// CloudTrail: the KMS key is disabled.
    KmsKeyDisabledException = ("KmsKeyDisabledException", 400),
    /// CloudTrail: KMS failed.
    KmsException = ("KmsException", 400),
    /// CloudTrail: the log group ARN is not valid.
    InvalidCloudWatchLogsLogGroupArnException = ("InvalidCloudWatchLogsLogGroupArnException", 400),
    /// CloudTrail: the log delivery role ARN is not valid.
    InvalidCloudWatchLogsRoleArnException = ("InvalidCloudWatchLogsRoleArnException", 400),
    /// CloudTrail: CloudWatch Logs delivery is unavailable.
    CloudWatchLogsDeliveryUnavailableException = ("CloudWatchLogsDeliveryUnavailableException", 400),
    /// CloudTrail: a tag key or value is not valid.
    InvalidTagParameterException = ("InvalidTagParameterException", 400),
    /// CloudTrail: trusted access for CloudTrail is not enabled in the organization.
    CloudTrailAccessNotEnabledException = ("CloudTrailAccessNotEnabledException", 400),
    /// CloudTrail: the caller may not call Organizations for the organization trail.
    InsufficientDependencyServiceAccessPermissionException = ("InsufficientDependencyServiceAccessPermissionException", 400),
    /// CloudTrail: the caller is not the organization's management account.
    NotOrganizationMasterAccountException = ("NotOrganizationMasterAccountException", 400),
    /// CloudTrail: the account is in no organization.
    OrganizationsNotInUseException = ("OrganizationsNotInUseException", 400),
    /// CloudTrail: the management account has no CloudTrail service-linked role.
    NoManagementAccountSLRExistsException = ("NoManagementAccountSLRExistsException", 400),
    /// CloudTrail: the client token is not valid.
    CloudTrailInvalidClientTokenIdException = ("CloudTrailInvalidClientTokenIdException", 400),
    /// CloudTrail: too many requests.
    ThrottlingException = ("ThrottlingException", 400),
    /// CloudTrail: the ARN is not a trail ARN.
    CloudTrailARNInvalidException = ("CloudTrailARNInvalidException", 400),
    /// CloudTrail: no such trail.
    TrailNotFoundException = ("TrailNotFoundException", 400),
    /// CloudTrail: the event selectors are not valid.
    InvalidEventSelectorsException = ("InvalidEventSelectorsException", 400),
    /// CloudTrail: the operation must be called in the trail's home region.
    InvalidHomeRegionException = ("InvalidHomeRegionException", 400),
    /// CloudTrail: the ARN is not an event data store ARN.
    EventDataStoreARNInvalidException = ("EventDataStoreARNInvalidException", 400),
    /// CloudTrail: the ARN is not a channel ARN.
    ChannelARNInvalidException = ("ChannelARNInvalidException", 400),
    /// CloudTrail: tags are not supported on this resource type.
    ResourceTypeNotSupportedException = ("ResourceTypeNotSupportedException", 400),
    /// CloudTrail: the event data store is not active.
    InactiveEventDataStoreException = ("InactiveEventDataStoreException", 400),
    /// CloudTrail: no such event data store.
    EventDataStoreNotFoundException = ("EventDataStoreNotFoundException", 400),
    /// CloudTrail: no such channel.
    ChannelNotFoundException = ("ChannelNotFoundException", 400),
    /// CloudTrail: the `NextToken` is not valid.
    InvalidTokenException = ("InvalidTokenException", 400),
    /// CloudTrail: the resource does not exist (400; the Account API's is 404).
    CloudTrailResourceNotFoundException = ("ResourceNotFoundException", 400),

    // ---- Common (unmodeled) errors: wire-protocols.md §1.5, §2, sigv4.md ----
    /// Common: the caller is not authorized.
    AccessDenied = ("AccessDenied", 403),
    /// Common (awsQuery): a model constraint was violated.
    ValidationError = ("ValidationError", 400),
    /// Common (awsQuery): the `Action` is unknown for the `Version`.
    InvalidAction = ("InvalidAction", 400),
    /// Common (awsQuery): the request has no `Action`.
    MissingAction = ("MissingAction", 400),
    /// Common: a required parameter is missing.
    MissingParameter = ("MissingParameter", 400),
    /// Common: a parameter value is invalid.
    InvalidParameterValue = ("InvalidParameterValue", 400),
    /// Common: parameters that cannot be used together.
    InvalidParameterCombination = ("InvalidParameterCombination", 400),
    /// Common: the query string or form body does not decode.
    MalformedQueryString = ("MalformedQueryString", 400),
    /// Common: the request has no authentication.
    MissingAuthenticationToken = ("MissingAuthenticationToken", 403),
    /// Common: the signature is incomplete or malformed.
    IncompleteSignature = ("IncompleteSignature", 400),
    /// Common: the access key or session token is unknown.
    InvalidClientTokenId = ("InvalidClientTokenId", 403),
    /// Common: the signature does not match.
    SignatureDoesNotMatch = ("SignatureDoesNotMatch", 403),
    /// Common: the request (presigned URL) expired.
    RequestExpired = ("RequestExpired", 400),
    /// Common: the session token expired.
    ExpiredToken = ("ExpiredToken", 403),
    /// Common: the server failed.
    InternalFailure = ("InternalFailure", 500),
    /// Common: the service is unavailable.
    ServiceUnavailable = ("ServiceUnavailable", 503),
    /// Common: throttled (`Rate exceeded`).
    Throttling = ("Throttling", 400),
    /// Common (JSON protocols): unknown `X-Amz-Target` operation or REST path.
    UnknownOperationException = ("UnknownOperationException", 400),
    /// Common (JSON protocols): the body is not valid JSON.
    SerializationException = ("SerializationException", 400),
    // The four below are awsJson front ends' spellings of the authentication errors
    // (sigv4.md §3 "Error envelope"); those front ends answer every one with 400
    // (observed from DynamoDB, Cognito and Support for an unknown key).
    /// Common (awsJson): signature mismatch, JSON spelling.
    InvalidSignatureException = ("InvalidSignatureException", 400),
    /// Common (awsJson): unknown access key, JSON spelling.
    UnrecognizedClientException = ("UnrecognizedClientException", 400),
    /// Common (awsJson): incomplete signature, JSON spelling.
    IncompleteSignatureException = ("IncompleteSignatureException", 400),
    /// Common (awsJson): missing authentication, JSON spelling.
    MissingAuthenticationTokenException = ("MissingAuthenticationTokenException", 400),
}

/// Codes no service model declares, with where their spelling and status come from.
///
/// The model test accepts an [`ErrorCode`] only if it is a modeled error shape of
/// IAM, STS, Organizations or Account, or listed here.
pub const COMMON_ERRORS: &[(&str, &str)] = &[
    ("AccessDenied", "wire-protocols.md §1.5"),
    ("ValidationError", "wire-protocols.md §1.1, §1.5"),
    ("InvalidAction", "wire-protocols.md §1.5"),
    ("MissingAction", "AWS common errors"),
    ("MissingParameter", "wire-protocols.md §1.5"),
    ("InvalidParameterValue", "wire-protocols.md §1.5"),
    ("InvalidParameterCombination", "wire-protocols.md §1.5"),
    ("MalformedQueryString", "sigv4.md §3 row 1"),
    ("MissingAuthenticationToken", "sigv4.md §3 row 2"),
    ("IncompleteSignature", "sigv4.md §3"),
    ("InvalidClientTokenId", "sigv4.md §3 row 13"),
    ("SignatureDoesNotMatch", "sigv4.md §3"),
    ("RequestExpired", "sigv4.md (presigned URLs)"),
    ("ExpiredToken", "sigv4.md §3 row 14"),
    ("InternalFailure", "wire-protocols.md §1.5"),
    ("ServiceUnavailable", "wire-protocols.md §1.5"),
    ("Throttling", "wire-protocols.md §1.5"),
    (
        "UnknownOperationException",
        "awsJson1.1 / restJson1 unknown operation",
    ),
    ("SerializationException", "awsJson1.1 malformed body"),
    ("InvalidSignatureException", "sigv4.md §3 (JSON spelling)"),
    ("UnrecognizedClientException", "sigv4.md §3 (JSON spelling)"),
    (
        "IncompleteSignatureException",
        "sigv4.md §3 (JSON spelling)",
    ),
    (
        "MissingAuthenticationTokenException",
        "sigv4.md §3 (JSON spelling)",
    ),
];

impl ErrorCode {
    /// Sender for every 4xx, Receiver for every 5xx (matches `senderFault` /
    /// `fault` in the models: every modeled 5xx has no `senderFault`).
    #[must_use]
    pub fn fault(&self) -> Fault {
        if self.http_status() >= 500 {
            Fault::Receiver
        } else {
            Fault::Sender
        }
    }
}

impl ErrorCode {
    /// How `protocol` spells this error: awsQuery codes (IAM, STS) are the canonical
    /// spelling, and the JSON services answer some of them under their own name
    /// and status. Codes a protocol has no other name for are returned unchanged,
    /// so the map is idempotent.
    ///
    /// * awsJson1.1 (wire-protocols.md §2.3; sigv4.md §3): a denial is
    ///   `AccessDeniedException` (Organizations and CloudTrail model it, 400); the
    ///   authentication errors take their `…Exception` spellings; an unknown
    ///   operation is `UnknownOperationException`. Organizations also answers its
    ///   own `MalformedPolicyDocumentException`, `InvalidInputException`,
    ///   `TooManyRequestsException` and `ServiceException` (500); CloudTrail models
    ///   no server error, so it answers `InternalFailure`.
    /// * restJson1 (Account, §3): a denial is `AccessDeniedException` (403), a
    ///   validation failure `ValidationException`, a server failure
    ///   `InternalServerException`, throttling `TooManyRequestsException` (429), an
    ///   unknown path `UnknownOperationException`.
    ///   Authentication errors keep their awsQuery spelling: the Account API's
    ///   front end has not been observed, and those codes carry the right status.
    ///
    /// ```
    /// use rampart_wire::{ErrorCode, JsonService, Protocol, QueryService};
    /// let org = Protocol::AwsJson(JsonService::Organizations);
    /// assert_eq!(ErrorCode::AccessDenied.for_protocol(org), ErrorCode::AccessDeniedException);
    /// assert_eq!(ErrorCode::AccessDenied.for_protocol(Protocol::RestJson).http_status(), 403);
    /// let iam = Protocol::Query(QueryService::Iam);
    /// assert_eq!(ErrorCode::AccessDenied.for_protocol(iam), ErrorCode::AccessDenied);
    /// ```
    #[must_use]
    pub fn for_protocol(self, protocol: Protocol) -> ErrorCode {
        match protocol {
            Protocol::Query(_) => self,
            Protocol::AwsJson(service) => self.for_aws_json(service),
            Protocol::RestJson => self.for_rest_json(),
        }
    }

    fn for_aws_json(self, service: JsonService) -> ErrorCode {
        match (self, service) {
            (Self::AccessDenied, _) => Self::AccessDeniedException,
            (Self::SignatureDoesNotMatch, _) => Self::InvalidSignatureException,
            (Self::InvalidClientTokenId, _) => Self::UnrecognizedClientException,
            (Self::IncompleteSignature, _) => Self::IncompleteSignatureException,
            (Self::MissingAuthenticationToken, _) => Self::MissingAuthenticationTokenException,
            (Self::ExpiredToken, _) => Self::ExpiredTokenException,
            (Self::InvalidAction, _) => Self::UnknownOperationException,
            (Self::MalformedPolicyDocument, JsonService::Organizations) => {
                Self::MalformedPolicyDocumentException
            }
            (Self::InvalidInput, JsonService::Organizations) => Self::InvalidInputException,
            (Self::ServiceFailure | Self::InternalFailure, JsonService::Organizations) => {
                Self::ServiceException
            }
            (Self::ServiceFailure, JsonService::CloudTrail) => Self::InternalFailure,
            (Self::Throttling, JsonService::Organizations) => Self::TooManyRequestsException,
            (other, _) => other,
        }
    }

    fn for_rest_json(self) -> ErrorCode {
        match self {
            Self::AccessDenied => Self::AccountApiAccessDeniedException,
            Self::ValidationError | Self::InvalidInput => Self::ValidationException,
            Self::ServiceFailure | Self::InternalFailure => Self::InternalServerException,
            Self::InvalidAction => Self::UnknownOperationException,
            Self::Throttling => Self::AccountApiTooManyRequestsException,
            other => other,
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// An AWS error: a code, the client-visible message (AWS wording) and, for the
/// JSON protocols, the extra members of the error document (`Reason` on
/// Organizations' `InvalidInputException`, `reason`/`fieldList` on the Account
/// API's `ValidationException`; wire-protocols.md §2.3, §3).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct WireError {
    /// The AWS error code.
    pub code: ErrorCode,
    /// The message sent to the client.
    pub message: String,
    /// Extra members of a JSON error document, in order (ignored by awsQuery).
    pub fields: Vec<(&'static str, serde_json::Value)>,
}

impl WireError {
    /// An error with `code` and `message`.
    #[must_use]
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            fields: Vec::new(),
        }
    }

    /// Adds an extra member to the JSON error document.
    ///
    /// ```
    /// use rampart_wire::{ErrorCode, JsonService, Protocol, WireError};
    /// let e = WireError::new(ErrorCode::ConstraintViolationException, "Too many accounts.")
    ///     .with_field("Reason", "ACCOUNT_NUMBER_LIMIT_EXCEEDED");
    /// let r = e.render(Protocol::AwsJson(JsonService::Organizations), "rid");
    /// assert_eq!(r.body, br#"{"__type":"ConstraintViolationException","Message":"Too many accounts.","Reason":"ACCOUNT_NUMBER_LIMIT_EXCEEDED"}"#);
    /// ```
    #[must_use]
    pub fn with_field(mut self, name: &'static str, value: impl Into<serde_json::Value>) -> Self {
        self.fields.push((name, value.into()));
        self
    }

    /// The value of extra member `name`, if set.
    #[must_use]
    pub fn field(&self, name: &str) -> Option<&serde_json::Value> {
        self.fields.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// This error as `protocol` spells it ([`ErrorCode::for_protocol`]): what the
    /// client receives, and what the audit trail records.
    #[must_use]
    pub fn for_protocol(mut self, protocol: Protocol) -> Self {
        self.code = self.code.for_protocol(protocol);
        self
    }

    /// Renders this error as a complete response, extra fields included (see [`render_error_with_fields`]).
    #[must_use]
    pub fn render(&self, protocol: Protocol, request_id: &str) -> WireResponse {
        render_error_with_fields(protocol, self.code, &self.message, &self.fields, request_id)
    }
}

/// A response ready to be written: status, content type, extra headers, body.
///
/// `headers` always contains `x-amzn-RequestId`; the server adds `Date` and
/// `Content-Length`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireResponse {
    /// HTTP status code.
    pub status: u16,
    /// Value of the `Content-Type` header.
    pub content_type: &'static str,
    /// Further headers (`x-amzn-RequestId`, `x-amzn-ErrorType`).
    pub headers: Vec<(&'static str, String)>,
    /// The body bytes.
    pub body: Vec<u8>,
}

impl WireResponse {
    /// The value of header `name` (case-insensitive), if set.
    #[must_use]
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Content type of awsQuery responses.
pub const CONTENT_TYPE_XML: &str = "text/xml";
/// Content type of awsJson1.1 requests and responses.
pub const CONTENT_TYPE_AWS_JSON: &str = "application/x-amz-json-1.1";
/// Content type of restJson1 responses.
pub const CONTENT_TYPE_JSON: &str = "application/json";

/// Renders an error document in the envelope of `protocol`, with `code` as
/// that protocol spells it ([`ErrorCode::for_protocol`]).
///
/// * awsQuery: `<ErrorResponse xmlns=NS><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`
///   (wire-protocols.md §1.5; `RequestId` is a sibling of `Error`).
/// * awsJson1.1: `{"__type":code,"Message":msg}` plus `x-amzn-ErrorType` (§2.3).
/// * restJson1: `{"message":msg}` plus `x-amzn-ErrorType` (§3).
///
/// ```
/// use rampart_wire::{render_error, ErrorCode, Protocol, QueryService};
/// let r = render_error(Protocol::Query(QueryService::Iam), ErrorCode::NoSuchEntity,
///     "The user with name bob cannot be found.", "rid-1");
/// assert_eq!(r.status, 404);
/// assert_eq!(r.header("x-amzn-RequestId"), Some("rid-1"));
/// ```
#[must_use]
pub fn render_error(
    protocol: Protocol,
    code: ErrorCode,
    message: &str,
    request_id: &str,
) -> WireResponse {
    render_error_with_fields(protocol, code, message, &[], request_id)
}

/// [`render_error`] with extra members in the JSON error document, after
/// `__type`/`Message` (awsJson1.1) or `message` (restJson1), in the given order.
/// awsQuery documents have no extra members; `fields` is ignored there.
///
/// ```
/// use rampart_wire::{error::render_error_with_fields, ErrorCode, JsonService, Protocol};
/// let r = render_error_with_fields(Protocol::AwsJson(JsonService::Organizations), ErrorCode::InvalidInputException,
///     "You provided a value that doesn't match the required pattern.",
///     &[("Reason", serde_json::json!("INVALID_PATTERN"))], "rid");
/// assert_eq!(r.status, 400);
/// assert!(r.body.ends_with(br#","Reason":"INVALID_PATTERN"}"#));
/// ```
#[must_use]
pub fn render_error_with_fields(
    protocol: Protocol,
    code: ErrorCode,
    message: &str,
    fields: &[(&str, serde_json::Value)],
    request_id: &str,
) -> WireResponse {
    let code = code.for_protocol(protocol);
    // Written by hand so the members keep this order (serde_json's map sorts keys).
    let json_body = |message_key: &str, with_type: bool| {
        let mut members: Vec<String> = Vec::with_capacity(fields.len() + 2);
        let member = |k: &str, v: &serde_json::Value| format!("{}:{v}", serde_json::Value::from(k));
        if with_type {
            members.push(member("__type", &code.code().into()));
        }
        members.push(member(message_key, &message.into()));
        members.extend(fields.iter().map(|(k, v)| member(k, v)));
        format!("{{{}}}", members.join(",")).into_bytes()
    };
    let mut headers = vec![("x-amzn-RequestId", request_id.to_owned())];
    let status = code.http_status();
    match protocol {
        Protocol::Query(service) => {
            let mut w = crate::xml::XmlWriter::new();
            w.open_ns("ErrorResponse", service.namespace());
            w.open("Error");
            w.text_element("Type", code.fault().as_str());
            w.text_element("Code", code.code());
            w.text_element("Message", message);
            w.close("Error");
            w.text_element("RequestId", request_id);
            w.close("ErrorResponse");
            WireResponse {
                status,
                content_type: CONTENT_TYPE_XML,
                headers,
                body: w.finish().into_bytes(),
            }
        }
        Protocol::AwsJson(_) => {
            headers.push(("x-amzn-ErrorType", code.code().to_owned()));
            WireResponse {
                status,
                content_type: CONTENT_TYPE_AWS_JSON,
                headers,
                body: json_body("Message", true),
            }
        }
        Protocol::RestJson => {
            headers.push(("x-amzn-ErrorType", code.code().to_owned()));
            WireResponse {
                status,
                content_type: CONTENT_TYPE_JSON,
                headers,
                body: json_body("message", false),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_error_document_is_exact() {
        let r = render_error(
            Protocol::Query(QueryService::Iam),
            ErrorCode::NoSuchEntity,
            "The user with name bob cannot be found.",
            "9d1a3b2e-0000-4000-8000-000000000000",
        );
        assert_eq!(r.status, 404);
        assert_eq!(r.content_type, "text/xml");
        assert_eq!(
            String::from_utf8(r.body).unwrap(),
            "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error><Type>Sender</Type>\
             <Code>NoSuchEntity</Code><Message>The user with name bob cannot be found.</Message></Error>\
             <RequestId>9d1a3b2e-0000-4000-8000-000000000000</RequestId></ErrorResponse>"
        );
    }

    #[test]
    fn query_error_escapes_message_and_uses_sts_namespace() {
        let r = render_error(
            Protocol::Query(QueryService::Sts),
            ErrorCode::InternalFailure,
            "a<b&c",
            "r",
        );
        assert_eq!(r.status, 500);
        let body = String::from_utf8(r.body).unwrap();
        assert!(
            body.starts_with("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">")
        );
        assert!(body.contains("<Type>Receiver</Type>"));
        assert!(body.contains("<Message>a&lt;b&amp;c</Message>"));
    }

    #[test]
    fn json_error_has_type_and_header() {
        let r = render_error(
            Protocol::AwsJson(JsonService::Organizations),
            ErrorCode::AwsOrganizationsNotInUseException,
            "Your account is not a member of an organization.",
            "r1",
        );
        assert_eq!(r.status, 400);
        assert_eq!(r.content_type, "application/x-amz-json-1.1");
        assert_eq!(
            r.header("x-amzn-ErrorType"),
            Some("AWSOrganizationsNotInUseException")
        );
        let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(v["__type"], "AWSOrganizationsNotInUseException");
        assert_eq!(
            v["Message"],
            "Your account is not a member of an organization."
        );
    }

    #[test]
    fn rest_json_error_uses_lowercase_message() {
        let r = render_error(
            Protocol::RestJson,
            ErrorCode::ResourceNotFoundException,
            "none",
            "r1",
        );
        assert_eq!(r.status, 404);
        assert_eq!(
            r.header("x-amzn-errortype"),
            Some("ResourceNotFoundException")
        );
        assert_eq!(r.header("x-amzn-RequestId"), Some("r1"));
        assert_eq!(String::from_utf8(r.body).unwrap(), "{\"message\":\"none\"}");
    }

    #[test]
    fn extra_fields_follow_the_message_in_order() {
        let e = WireError::new(ErrorCode::ValidationException, "bad")
            .with_field("reason", "fieldValidationFailed")
            .with_field(
                "fieldList",
                serde_json::json!([{"name": "Name", "message": "m"}]),
            );
        assert_eq!(
            e.field("reason"),
            Some(&serde_json::json!("fieldValidationFailed"))
        );
        let r = e.render(Protocol::RestJson, "r");
        assert_eq!(r.header("x-amzn-ErrorType"), Some("ValidationException"));
        assert_eq!(
            String::from_utf8(r.body).unwrap(),
            r#"{"message":"bad","reason":"fieldValidationFailed","fieldList":[{"message":"m","name":"Name"}]}"#
        );
        let q = e.render(Protocol::Query(QueryService::Iam), "r");
        assert!(!String::from_utf8(q.body).unwrap().contains("reason"));
    }

    const ORG: Protocol = Protocol::AwsJson(JsonService::Organizations);
    const TRAIL: Protocol = Protocol::AwsJson(JsonService::CloudTrail);

    #[test]
    fn query_protocols_keep_every_code() {
        for protocol in [
            Protocol::Query(QueryService::Iam),
            Protocol::Query(QueryService::Sts),
        ] {
            for code in ErrorCode::ALL {
                assert_eq!(code.for_protocol(protocol), *code, "{code:?}");
            }
        }
    }

    #[test]
    fn denials_are_access_denied_exception_in_json_with_each_models_status() {
        let org = ErrorCode::AccessDenied.for_protocol(ORG);
        assert_eq!(
            (org.code(), org.http_status()),
            ("AccessDeniedException", 400)
        );
        let trail = ErrorCode::AccessDenied.for_protocol(TRAIL);
        assert_eq!(trail.code(), "AccessDeniedException");
        let account = ErrorCode::AccessDenied.for_protocol(Protocol::RestJson);
        assert_eq!(
            (account.code(), account.http_status()),
            ("AccessDeniedException", 403)
        );
    }

    #[test]
    fn server_failures_follow_each_model() {
        for failure in [ErrorCode::ServiceFailure, ErrorCode::InternalFailure] {
            assert_eq!(failure.for_protocol(ORG), ErrorCode::ServiceException);
            assert_eq!(
                failure.for_protocol(Protocol::RestJson),
                ErrorCode::InternalServerException
            );
            assert_eq!(failure.for_protocol(TRAIL), ErrorCode::InternalFailure);
            assert_eq!(failure.for_protocol(ORG).http_status(), 500);
        }
    }

    #[test]
    fn throttling_is_too_many_requests_where_the_model_says_so() {
        let org = ErrorCode::Throttling.for_protocol(ORG);
        assert_eq!(
            (org.code(), org.http_status()),
            ("TooManyRequestsException", 400)
        );
        let account = ErrorCode::Throttling.for_protocol(Protocol::RestJson);
        assert_eq!(
            (account.code(), account.http_status()),
            ("TooManyRequestsException", 429)
        );
    }

    #[test]
    fn validation_failures_are_validation_exception_in_rest_json() {
        for code in [ErrorCode::ValidationError, ErrorCode::InvalidInput] {
            assert_eq!(
                code.for_protocol(Protocol::RestJson),
                ErrorCode::ValidationException
            );
        }
        assert_eq!(
            ErrorCode::InvalidInput.for_protocol(ORG),
            ErrorCode::InvalidInputException
        );
        assert_eq!(
            ErrorCode::MalformedPolicyDocument.for_protocol(ORG),
            ErrorCode::MalformedPolicyDocumentException
        );
        // CloudTrail has no such errors: the awsQuery spelling stays.
        assert_eq!(
            ErrorCode::InvalidInput.for_protocol(TRAIL),
            ErrorCode::InvalidInput
        );
    }

    #[test]
    fn authentication_errors_take_the_aws_json_spelling() {
        let cases = [
            (
                ErrorCode::SignatureDoesNotMatch,
                "InvalidSignatureException",
            ),
            (
                ErrorCode::InvalidClientTokenId,
                "UnrecognizedClientException",
            ),
            (
                ErrorCode::IncompleteSignature,
                "IncompleteSignatureException",
            ),
            (
                ErrorCode::MissingAuthenticationToken,
                "MissingAuthenticationTokenException",
            ),
            (ErrorCode::ExpiredToken, "ExpiredTokenException"),
        ];
        for (code, json) in cases {
            for protocol in [ORG, TRAIL] {
                let spelled = code.for_protocol(protocol);
                assert_eq!(spelled.code(), json);
                assert_eq!(spelled.http_status(), 400);
            }
            // restJson keeps the awsQuery spelling and status.
            assert_eq!(code.for_protocol(Protocol::RestJson), code);
        }
        assert_eq!(
            ErrorCode::RequestExpired.for_protocol(ORG),
            ErrorCode::RequestExpired
        );
    }

    #[test]
    fn for_protocol_is_idempotent() {
        for protocol in [ORG, TRAIL, Protocol::RestJson] {
            for code in ErrorCode::ALL {
                let once = code.for_protocol(protocol);
                assert_eq!(once.for_protocol(protocol), once, "{code:?}");
            }
        }
    }

    #[test]
    fn render_spells_the_code_for_the_protocol() {
        let e = WireError::new(ErrorCode::InvalidClientTokenId, "bad");
        let r = e.render(ORG, "r");
        assert_eq!(r.status, 400);
        assert_eq!(
            r.header("x-amzn-ErrorType"),
            Some("UnrecognizedClientException")
        );
        assert_eq!(
            String::from_utf8(r.body).unwrap(),
            r#"{"__type":"UnrecognizedClientException","Message":"bad"}"#
        );
        assert_eq!(
            e.clone().for_protocol(ORG).code,
            ErrorCode::UnrecognizedClientException
        );
        let q = e.render(Protocol::Query(QueryService::Sts), "r");
        assert_eq!(q.status, 403);
    }

    #[test]
    fn account_variants_keep_aws_spelling() {
        assert_eq!(
            ErrorCode::AccountApiAccessDeniedException.code(),
            "AccessDeniedException"
        );
        assert_eq!(
            ErrorCode::AccountApiAccessDeniedException.http_status(),
            403
        );
        assert_eq!(ErrorCode::AccessDeniedException.http_status(), 400);
        assert_eq!(ErrorCode::LimitExceeded.code(), "LimitExceeded");
    }
}
