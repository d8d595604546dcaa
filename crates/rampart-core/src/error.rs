//! The core's error type: what went wrong, named for what happened, with AWS's message.
//!
//! [`CoreError::code`] is the one map from a core error to the wire's [`ErrorCode`]; how each
//! protocol spells that code (IAM's `AccessDenied` is Organizations' `AccessDeniedException`)
//! is the wire's business (`ErrorCode::for_protocol`), so the same rule reads the same from
//! every service. Organizations' `Reason` members are typed ([`ConstraintViolationReason`],
//! [`InvalidInputReason`], [`HandshakeConstraintReason`]) and spelled here. Client-visible
//! messages follow AWS's wording; internal failures carry their detail for the log only and
//! reach clients as `ServiceFailure`.

use rampart_wire::ErrorCode;

use crate::store::StoreError;

/// Everything an operation can fail with.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// `NoSuchEntity` (404).
    #[error("{0}")]
    NoSuchEntity(String),
    /// `EntityAlreadyExists` (409).
    #[error("{0}")]
    EntityAlreadyExists(String),
    /// `LimitExceeded` (409).
    #[error("{0}")]
    LimitExceeded(String),
    /// `DeleteConflict` (409).
    #[error("{0}")]
    DeleteConflict(String),
    /// The policy document does not parse or validate: `MalformedPolicyDocument` (400;
    /// Organizations spells it `MalformedPolicyDocumentException`).
    #[error("{0}")]
    MalformedPolicyDocument(String),
    /// `InvalidInput` (400).
    #[error("{0}")]
    InvalidInput(String),
    /// `ValidationError` (400).
    #[error("{0}")]
    Validation(String),
    /// `UnmodifiableEntity` (400).
    #[error("{0}")]
    UnmodifiableEntity(String),
    /// `PolicyNotAttachable` (400).
    #[error("{0}")]
    PolicyNotAttachable(String),
    /// `PackedPolicyTooLarge` (STS, 400).
    #[error("{0}")]
    PackedPolicyTooLarge(String),
    /// `InvalidAuthorizationMessageException` (STS, 400).
    #[error("{0}")]
    InvalidAuthorizationMessage(String),
    /// `ResourceNotFoundException` (Account API, 404).
    #[error("{0}")]
    ResourceNotFound(String),
    /// `ConflictException` (Account API, 409): the resource is in a state that refuses
    /// the change (a region being disabled, an email address in use).
    #[error("{0}")]
    Conflict(String),
    /// `InvalidAuthenticationCode` (403).
    #[error("{0}")]
    InvalidAuthenticationCode(String),
    /// `EntityTemporarilyUnmodifiable` (409).
    #[error("{0}")]
    EntityTemporarilyUnmodifiable(String),
    /// `InvalidUserType` (400).
    #[error("{0}")]
    InvalidUserType(String),
    /// `PasswordPolicyViolation` (400).
    #[error("{0}")]
    PasswordPolicyViolation(String),
    /// `ReportNotPresent` (410).
    #[error("{0}")]
    ReportNotPresent(String),
    /// `ReportExpired` (410).
    #[error("{0}")]
    ReportExpired(String),
    /// The caller may not do this: `AccessDenied` (403), with AWS's full sentence
    /// (Organizations spells it `AccessDeniedException`, 400).
    #[error("{0}")]
    AccessDenied(String),
    /// `MalformedCertificate` (400): not a PEM X.509 certificate.
    #[error("{0}")]
    MalformedCertificate(String),
    /// `KeyPairMismatch` (400): the private key does not belong to the certificate.
    #[error("{0}")]
    KeyPairMismatch(String),
    /// `NotSupportedService` (404): no service-specific credentials for this service.
    #[error("{0}")]
    NotSupportedService(String),
    /// `DuplicateCertificate` (409): the account already holds this certificate.
    #[error("{0}")]
    DuplicateCertificate(String),
    /// `InvalidPublicKey` (400): a recognised SSH key encoding with bad content.
    #[error("{0}")]
    InvalidPublicKey(String),
    /// `UnrecognizedPublicKeyEncoding` (400): neither OpenSSH nor PEM.
    #[error("{0}")]
    UnrecognizedPublicKeyEncoding(String),
    /// `DuplicateSSHPublicKey` (400): the user already holds this key.
    #[error("{0}")]
    DuplicateSshPublicKey(String),
    // ---- IAM's view of Organizations (centralized root access, iam service-2.json) ----
    /// The account is in no organization (IAM's `OrganizationNotFoundException`).
    #[error("The request failed because your account is not a member of an organization.")]
    OrganizationNotFound,
    /// The organization lacks all features (IAM's `OrganizationNotInAllFeaturesModeException`).
    #[error("The request failed because your organization does not have all features enabled.")]
    OrganizationNotInAllFeaturesMode,
    /// Only the management account may do this (`CallerIsNotManagementAccountException`).
    #[error("The request was denied because the caller is not the management account.")]
    CallerIsNotManagementAccount,
    /// Only the management account or IAM's delegated administrator may do this.
    #[error(
        "The request was denied because the caller is not the management account or a delegated administrator."
    )]
    AccountNotManagementOrDelegatedAdministrator,
    /// Trusted access for IAM is off (`ServiceAccessNotEnabledException`).
    #[error(
        "The request failed because trusted access for IAM is not enabled in your organization."
    )]
    ServiceAccessNotEnabled,

    // ---- Organizations (organizations/2016-11-28 service-2.json) ----
    /// The caller's account is in no organization.
    #[error("Your account is not a member of an organization.")]
    AwsOrganizationsNotInUse,
    /// The caller's account is already in an organization.
    #[error("The AWS account is already a member of an organization.")]
    AlreadyInOrganization,
    /// The organization still has member accounts.
    #[error(
        "To delete an organization you must first remove all member accounts (except the master)."
    )]
    OrganizationNotEmpty,
    /// No root with that id in the caller's organization.
    #[error("We can't find a root with the RootId that you specified.")]
    RootNotFound,
    /// No root or OU with that parent id.
    #[error("We can't find a root or OU with the ParentId that you specified.")]
    ParentNotFound,
    /// No OU or account with that child id.
    #[error(
        "We can't find an organizational unit (OU) or AWS account with the ChildId that you specified."
    )]
    ChildNotFound,
    /// No OU with that id.
    #[error("We can't find an OU with the OrganizationalUnitId that you specified.")]
    OrganizationalUnitNotFound,
    /// A sibling OU already has that name.
    #[error("An OU with the same name already exists.")]
    DuplicateOrganizationalUnit,
    /// The OU still holds accounts or OUs.
    #[error(
        "The specified OU is not empty. Move all accounts to another root or OU, delete all child OUs, and try the operation again."
    )]
    OrganizationalUnitNotEmpty,
    /// No account with that id in the organization.
    #[error("You specified an account that doesn't exist.")]
    AccountNotFound,
    /// The account is not where `MoveAccount` says it is.
    #[error("We can't find a source root or OU with the ParentId that you specified.")]
    SourceParentNotFound,
    /// No root or OU to move the account to.
    #[error(
        "We can't find the destination container (a root or OU) with the ParentId that you specified."
    )]
    DestinationParentNotFound,
    /// The account already sits in the destination.
    #[error("That account is already present in the specified destination.")]
    DuplicateAccount,
    /// The management account cannot leave or be removed.
    #[error(
        "You can't remove a management account from an organization. If you want the management account to become a member account in another organization, you must first delete the current organization of the management account."
    )]
    MasterCannotLeaveOrganization,
    /// The account is already closed.
    #[error("You attempted to close an account that is already closed.")]
    AccountAlreadyClosed,
    /// No create-account request with that id.
    #[error(
        "We can't find an create account request with the CreateAccountRequestId that you specified."
    )]
    CreateAccountStatusNotFound,
    /// No policy with that id visible to the organization.
    #[error("We can't find a policy with the PolicyId that you specified.")]
    PolicyNotFound,
    /// No root, OU, account or policy with that target id.
    #[error("We can't find a root, OU, account, or policy with the TargetId that you specified.")]
    TargetNotFound,
    /// A policy of that type already has that name.
    #[error("A policy with the same name already exists.")]
    DuplicatePolicy,
    /// The policy is still attached somewhere.
    #[error(
        "The policy is attached to one or more entities. You must detach it from all roots, OUs, and accounts before performing this operation."
    )]
    PolicyInUse,
    /// The policy is already attached to the target.
    #[error("The selected policy is already attached to the specified target.")]
    DuplicatePolicyAttachment,
    /// The policy is not attached to the target.
    #[error("The policy isn't attached to the specified target in the specified root.")]
    PolicyNotAttached,
    /// The policy type is not enabled on the root.
    #[error("This operation can be performed only for enabled policy types.")]
    PolicyTypeNotEnabled,
    /// The policy type is already enabled on the root.
    #[error("The specified policy type is already enabled.")]
    PolicyTypeAlreadyEnabled,
    /// The organization's feature set does not allow the policy type.
    #[error(
        "You can't use the specified policy type with the feature set currently enabled for this organization. For example, you can enable SCPs only after you enable all features in the organization."
    )]
    PolicyTypeNotAvailableForOrganization,
    /// No policy of the type applies to the target.
    #[error("We can't find an effective policy of the specified type for the target.")]
    EffectivePolicyNotFound,
    /// The account is already a delegated administrator for the service.
    #[error("The provided account is already a delegated administrator for your organization.")]
    AccountAlreadyRegistered,
    /// The account is not a delegated administrator for the service.
    #[error("The specified account is not a delegated administrator for this AWS service.")]
    AccountNotRegistered,
    /// No handshake with that id visible to the caller.
    #[error("We can't find a handshake with the HandshakeId that you specified.")]
    HandshakeNotFound,
    /// An open handshake with the same action and target exists.
    #[error("A handshake with the same action and target already exists.")]
    DuplicateHandshake,
    /// The handshake is already in the requested state.
    #[error(
        "The specified handshake is already in the requested state. For example, you can't accept a handshake that was already accepted."
    )]
    HandshakeAlreadyInState,
    /// The handshake's state does not allow the transition.
    #[error(
        "You can't perform the operation on the handshake in its current state. For example, you can't cancel a handshake that was already accepted or accept a handshake that was already declined."
    )]
    InvalidHandshakeTransition,
    /// The organization has no resource-based delegation policy.
    #[error("We can't find a resource policy request with the parameter that you specified.")]
    ResourcePolicyNotFound,
    /// No responsibility transfer with that id visible to the caller.
    #[error("We can't find a transfer that you specified.")]
    ResponsibilityTransferNotFound,
    /// The transfer is already in the status asked for.
    #[error("The responsibility transfer is already in the status that you specified.")]
    ResponsibilityTransferAlreadyInStatus,
    /// The transfer's status does not allow the change.
    #[error(
        "The responsibility transfer can't transition to the requested state because it's not in a valid state for this operation."
    )]
    InvalidResponsibilityTransferTransition,
    /// A handshake rule would be broken (`HandshakeConstraintViolationException` with `Reason`).
    #[error("{}", .0.message())]
    HandshakeConstraintViolation(HandshakeConstraintReason),
    /// The organization that sent the invitation was deleted meanwhile (no `Reason`).
    #[error("The organization no longer exists.")]
    InvitingOrganizationGone,
    /// An Organizations limit or rule would be broken (`ConstraintViolationException` with `Reason`).
    #[error("{}", .0.message())]
    ConstraintViolation(ConstraintViolationReason),
    /// An Organizations input is valid in form but not in meaning (`InvalidInputException` with `Reason`).
    #[error("{}", .0.message())]
    InvalidOrganizationsInput(InvalidInputReason),

    // ---- CloudTrail (cloudtrail/2013-11-01 service-2.json) ----
    /// `InvalidNextTokenException` (400): the token does not continue a lookup with these
    /// parameters.
    #[error("{0}")]
    InvalidNextToken(String),
    /// A trail operation broke one of CloudTrail's rules: which one, and AWS's message.
    #[error("{1}")]
    Trail(TrailRule, String),
    // ---- temporary delegation and outbound web identity federation ----
    /// `FeatureEnabled` (409): outbound web identity federation is already enabled.
    #[error("{0}")]
    FeatureEnabled(String),
    /// `FeatureDisabled` (404): outbound web identity federation is not enabled.
    #[error("{0}")]
    FeatureDisabled(String),
    /// STS `OutboundWebIdentityFederationDisabledException` (403).
    #[error("{0}")]
    OutboundWebIdentityFederationDisabled(String),
    /// STS `SessionDurationEscalationException` (403): a token would outlive its session.
    #[error("{0}")]
    SessionDurationEscalation(String),
    /// STS `JWTPayloadSizeExceededException` (400).
    #[error("{0}")]
    JwtPayloadSizeExceeded(String),
    /// STS `ExpiredTradeInTokenException` (400): the exchange token cannot be used (any
    /// more).
    #[error("{0}")]
    ExpiredTradeInToken(String),
    /// An operation the wire can decode but this server does not carry out; answered like
    /// any action the service does not know.
    #[error("Could not find operation {operation} for version {version}")]
    UnknownOperation {
        /// Operation name.
        operation: String,
        /// API version of the service.
        version: &'static str,
    },
    /// The caller's credentials are not good for this call (`InvalidClientTokenId`,
    /// `ExpiredToken`), decided after authentication (a session IAM refuses).
    #[error(transparent)]
    Unauthenticated(#[from] crate::auth::AuthError),
    /// Too many requests of a costly kind (password checks) are waiting: `Throttling`.
    #[error("Rate exceeded")]
    Throttled,
    /// The store failed; clients see `ServiceFailure`.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A bug or corrupt data; clients see `ServiceFailure`, the detail goes to the log.
    #[error("internal failure: {0}")]
    Internal(String),
}

impl CoreError {
    /// The AWS error code this error is answered with.
    pub fn code(&self) -> ErrorCode {
        match self {
            CoreError::NoSuchEntity(_) => ErrorCode::NoSuchEntity,
            CoreError::EntityAlreadyExists(_) => ErrorCode::EntityAlreadyExists,
            CoreError::LimitExceeded(_) => ErrorCode::LimitExceeded,
            CoreError::DeleteConflict(_) => ErrorCode::DeleteConflict,
            CoreError::MalformedPolicyDocument(_) => ErrorCode::MalformedPolicyDocument,
            CoreError::InvalidInput(_) => ErrorCode::InvalidInput,
            CoreError::Validation(_) => ErrorCode::ValidationError,
            CoreError::UnmodifiableEntity(_) => ErrorCode::UnmodifiableEntity,
            CoreError::PolicyNotAttachable(_) => ErrorCode::PolicyNotAttachable,
            CoreError::AccessDenied(_) => ErrorCode::AccessDenied,
            CoreError::MalformedCertificate(_) => ErrorCode::MalformedCertificate,
            CoreError::DuplicateCertificate(_) => ErrorCode::DuplicateCertificate,
            CoreError::KeyPairMismatch(_) => ErrorCode::KeyPairMismatch,
            CoreError::NotSupportedService(_) => ErrorCode::NotSupportedService,
            CoreError::InvalidPublicKey(_) => ErrorCode::InvalidPublicKey,
            CoreError::UnrecognizedPublicKeyEncoding(_) => ErrorCode::UnrecognizedPublicKeyEncoding,
            CoreError::DuplicateSshPublicKey(_) => ErrorCode::DuplicateSshPublicKey,
            CoreError::InvalidUserType(_) => ErrorCode::InvalidUserType,
            CoreError::EntityTemporarilyUnmodifiable(_) => ErrorCode::EntityTemporarilyUnmodifiable,
            CoreError::ResourceNotFound(_) => ErrorCode::ResourceNotFoundException,
            CoreError::Conflict(_) => ErrorCode::AccountApiConflictException,
            CoreError::InvalidAuthorizationMessage(_) => {
                ErrorCode::InvalidAuthorizationMessageException
            }
            CoreError::InvalidAuthenticationCode(_) => ErrorCode::InvalidAuthenticationCode,
            CoreError::PasswordPolicyViolation(_) => ErrorCode::PasswordPolicyViolation,
            CoreError::ReportNotPresent(_) => ErrorCode::ReportNotPresent,
            CoreError::ReportExpired(_) => ErrorCode::ReportExpired,
            CoreError::PackedPolicyTooLarge(_) => ErrorCode::PackedPolicyTooLarge,
            CoreError::OrganizationNotFound => ErrorCode::OrganizationNotFoundException,
            CoreError::OrganizationNotInAllFeaturesMode => {
                ErrorCode::OrganizationNotInAllFeaturesModeException
            }
            CoreError::CallerIsNotManagementAccount => {
                ErrorCode::CallerIsNotManagementAccountException
            }
            CoreError::AccountNotManagementOrDelegatedAdministrator => {
                ErrorCode::AccountNotManagementOrDelegatedAdministratorException
            }
            CoreError::ServiceAccessNotEnabled => ErrorCode::ServiceAccessNotEnabledException,
            CoreError::AwsOrganizationsNotInUse => ErrorCode::AwsOrganizationsNotInUseException,
            CoreError::AlreadyInOrganization => ErrorCode::AlreadyInOrganizationException,
            CoreError::OrganizationNotEmpty => ErrorCode::OrganizationNotEmptyException,
            CoreError::RootNotFound => ErrorCode::RootNotFoundException,
            CoreError::ParentNotFound => ErrorCode::ParentNotFoundException,
            CoreError::ChildNotFound => ErrorCode::ChildNotFoundException,
            CoreError::OrganizationalUnitNotFound => ErrorCode::OrganizationalUnitNotFoundException,
            CoreError::DuplicateOrganizationalUnit => {
                ErrorCode::DuplicateOrganizationalUnitException
            }
            CoreError::OrganizationalUnitNotEmpty => ErrorCode::OrganizationalUnitNotEmptyException,
            CoreError::AccountNotFound => ErrorCode::AccountNotFoundException,
            CoreError::SourceParentNotFound => ErrorCode::SourceParentNotFoundException,
            CoreError::DestinationParentNotFound => ErrorCode::DestinationParentNotFoundException,
            CoreError::DuplicateAccount => ErrorCode::DuplicateAccountException,
            CoreError::MasterCannotLeaveOrganization => {
                ErrorCode::MasterCannotLeaveOrganizationException
            }
            CoreError::AccountAlreadyClosed => ErrorCode::AccountAlreadyClosedException,
            CoreError::CreateAccountStatusNotFound => {
                ErrorCode::CreateAccountStatusNotFoundException
            }
            CoreError::PolicyNotFound => ErrorCode::PolicyNotFoundException,
            CoreError::TargetNotFound => ErrorCode::TargetNotFoundException,
            CoreError::DuplicatePolicy => ErrorCode::DuplicatePolicyException,
            CoreError::PolicyInUse => ErrorCode::PolicyInUseException,
            CoreError::DuplicatePolicyAttachment => ErrorCode::DuplicatePolicyAttachmentException,
            CoreError::PolicyNotAttached => ErrorCode::PolicyNotAttachedException,
            CoreError::PolicyTypeNotEnabled => ErrorCode::PolicyTypeNotEnabledException,
            CoreError::PolicyTypeAlreadyEnabled => ErrorCode::PolicyTypeAlreadyEnabledException,
            CoreError::PolicyTypeNotAvailableForOrganization => {
                ErrorCode::PolicyTypeNotAvailableForOrganizationException
            }
            CoreError::EffectivePolicyNotFound => ErrorCode::EffectivePolicyNotFoundException,
            CoreError::AccountAlreadyRegistered => ErrorCode::AccountAlreadyRegisteredException,
            CoreError::AccountNotRegistered => ErrorCode::AccountNotRegisteredException,
            CoreError::HandshakeNotFound => ErrorCode::HandshakeNotFoundException,
            CoreError::DuplicateHandshake => ErrorCode::DuplicateHandshakeException,
            CoreError::HandshakeAlreadyInState => ErrorCode::HandshakeAlreadyInStateException,
            CoreError::InvalidHandshakeTransition => ErrorCode::InvalidHandshakeTransitionException,
            CoreError::ResourcePolicyNotFound => ErrorCode::ResourcePolicyNotFoundException,
            CoreError::ResponsibilityTransferNotFound => {
                ErrorCode::ResponsibilityTransferNotFoundException
            }
            CoreError::ResponsibilityTransferAlreadyInStatus => {
                ErrorCode::ResponsibilityTransferAlreadyInStatusException
            }
            CoreError::InvalidResponsibilityTransferTransition => {
                ErrorCode::InvalidResponsibilityTransferTransitionException
            }
            CoreError::HandshakeConstraintViolation(_) | CoreError::InvitingOrganizationGone => {
                ErrorCode::HandshakeConstraintViolationException
            }
            CoreError::ConstraintViolation(_) => ErrorCode::ConstraintViolationException,
            CoreError::InvalidOrganizationsInput(_) => ErrorCode::InvalidInputException,
            CoreError::InvalidNextToken(_) => ErrorCode::InvalidNextTokenException,
            CoreError::Trail(rule, _) => rule.code(),
            CoreError::FeatureEnabled(_) => ErrorCode::FeatureEnabled,
            CoreError::FeatureDisabled(_) => ErrorCode::FeatureDisabled,
            CoreError::OutboundWebIdentityFederationDisabled(_) => {
                ErrorCode::OutboundWebIdentityFederationDisabledException
            }
            CoreError::SessionDurationEscalation(_) => {
                ErrorCode::SessionDurationEscalationException
            }
            CoreError::JwtPayloadSizeExceeded(_) => ErrorCode::JwtPayloadSizeExceededException,
            CoreError::ExpiredTradeInToken(_) => ErrorCode::ExpiredTradeInTokenException,
            CoreError::UnknownOperation { .. } => ErrorCode::InvalidAction,
            CoreError::Unauthenticated(crate::auth::AuthError::InvalidClientTokenId) => {
                ErrorCode::InvalidClientTokenId
            }
            CoreError::Unauthenticated(crate::auth::AuthError::ExpiredToken) => {
                ErrorCode::ExpiredToken
            }
            CoreError::Throttled => ErrorCode::Throttling,
            CoreError::Store(_) | CoreError::Internal(_) => ErrorCode::ServiceFailure,
        }
    }

    /// The `Reason` member an Organizations error carries, as AWS spells it.
    pub fn reason(&self) -> Option<&'static str> {
        match self {
            CoreError::ConstraintViolation(reason) => Some(reason.as_str()),
            CoreError::InvalidOrganizationsInput(reason) => Some(reason.as_str()),
            CoreError::HandshakeConstraintViolation(reason) => Some(reason.as_str()),
            _ => None,
        }
    }

    /// The message a client may see: AWS's wording, never internal detail.
    pub fn client_message(&self) -> String {
        match self {
            CoreError::Store(_) | CoreError::Internal(_) => {
                "The request processing has failed because of an unknown error, exception or failure.".to_owned()
            }
            other => other.to_string(),
        }
    }
}

/// The CloudTrail rule a trail operation broke; each has its own exception.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrailRule {
    /// No trail of that name or ARN.
    NotFound,
    /// A trail of that name exists.
    AlreadyExists,
    /// The trail name breaks the naming rules.
    InvalidName,
    /// Not a trail ARN.
    InvalidArn,
    /// No trail was named.
    NotProvided,
    /// The bucket name breaks S3's naming rules.
    InvalidBucketName,
    /// The key prefix is not valid.
    InvalidPrefix,
    /// Five trails per region already.
    TooManyTrails,
    /// Settings that cannot go together.
    InvalidCombination,
    /// A parameter is not valid.
    InvalidParameter,
    /// The event selectors are not valid.
    InvalidSelectors,
    /// Called outside the trail's home region.
    WrongHomeRegion,
    /// The tagged resource does not exist.
    ResourceNotFound,
    /// More tags than a trail may carry.
    TooManyTags,
    /// A tag key or value is not valid.
    InvalidTag,
    /// The account is in no organization.
    NoOrganization,
    /// The caller is not the organization's management account.
    NotManagementAccount,
    /// The organization does not have all features enabled.
    NotAllFeatures,
    /// Trusted access for CloudTrail is not enabled in the organization.
    TrustedAccessNotEnabled,
}

impl TrailRule {
    /// The CloudTrail exception for this rule.
    pub fn code(self) -> ErrorCode {
        match self {
            TrailRule::NotFound => ErrorCode::TrailNotFoundException,
            TrailRule::AlreadyExists => ErrorCode::TrailAlreadyExistsException,
            TrailRule::InvalidName => ErrorCode::InvalidTrailNameException,
            TrailRule::InvalidArn => ErrorCode::CloudTrailARNInvalidException,
            TrailRule::NotProvided => ErrorCode::TrailNotProvidedException,
            TrailRule::InvalidBucketName => ErrorCode::InvalidS3BucketNameException,
            TrailRule::InvalidPrefix => ErrorCode::InvalidS3PrefixException,
            TrailRule::TooManyTrails => ErrorCode::MaximumNumberOfTrailsExceededException,
            TrailRule::InvalidCombination => ErrorCode::InvalidParameterCombinationException,
            TrailRule::InvalidParameter => ErrorCode::InvalidParameterException,
            TrailRule::InvalidSelectors => ErrorCode::InvalidEventSelectorsException,
            TrailRule::WrongHomeRegion => ErrorCode::InvalidHomeRegionException,
            TrailRule::ResourceNotFound => ErrorCode::CloudTrailResourceNotFoundException,
            TrailRule::TooManyTags => ErrorCode::TagsLimitExceededException,
            TrailRule::InvalidTag => ErrorCode::InvalidTagParameterException,
            TrailRule::NoOrganization => ErrorCode::OrganizationsNotInUseException,
            TrailRule::NotManagementAccount => ErrorCode::NotOrganizationMasterAccountException,
            TrailRule::NotAllFeatures => ErrorCode::OrganizationNotInAllFeaturesModeException,
            TrailRule::TrustedAccessNotEnabled => ErrorCode::CloudTrailAccessNotEnabledException,
        }
    }

    /// This rule broken, with AWS's `message`.
    pub fn error(self, message: impl Into<String>) -> CoreError {
        CoreError::Trail(self, message.into())
    }
}

impl From<crate::password::PasswordError> for CoreError {
    fn from(err: crate::password::PasswordError) -> CoreError {
        match err {
            crate::password::PasswordError::Busy => CoreError::Throttled,
            crate::password::PasswordError::Hash => CoreError::Internal(err.to_string()),
        }
    }
}

macro_rules! reasons {
    ($(#[$doc:meta])* $name:ident { $( $(#[$vdoc:meta])* $variant:ident = ($reason:literal, $message:literal) ),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vdoc])* $variant, )*
        }

        impl $name {
            /// Every reason, for tests.
            pub const ALL: &'static [$name] = &[ $( $name::$variant, )* ];

            /// The `Reason` member exactly as AWS sends it.
            pub fn as_str(self) -> &'static str {
                match self { $( Self::$variant => $reason, )* }
            }

            /// AWS's message for this reason.
            pub fn message(self) -> &'static str {
                match self { $( Self::$variant => $message, )* }
            }
        }
    };
}

reasons! {
    /// Why a `ConstraintViolationException` was raised (organizations service-2.json,
    /// `ConstraintViolationExceptionReason`; messages from organizations.md).
    ConstraintViolationReason {
        /// The organization holds its maximum number of accounts.
        AccountNumberLimitExceeded = ("ACCOUNT_NUMBER_LIMIT_EXCEEDED", "You attempted to exceed the number of accounts that you can have in an organization."),
        /// OUs nest at most five deep.
        OuDepthLimitExceeded = ("OU_DEPTH_LIMIT_EXCEEDED", "You attempted to create an OU tree that is too many levels deep."),
        /// The organization holds its maximum number of OUs.
        OuNumberLimitExceeded = ("OU_NUMBER_LIMIT_EXCEEDED", "You attempted to exceed the number of OUs that you can have in an organization."),
        /// The policy document is over the size limit.
        PolicyContentLimitExceeded = ("POLICY_CONTENT_LIMIT_EXCEEDED", "You attempted to create a policy that is larger than the maximum size."),
        /// The organization holds its maximum number of policies.
        PolicyNumberLimitExceeded = ("POLICY_NUMBER_LIMIT_EXCEEDED", "You attempted to exceed the number of policies that you can have in an organization."),
        /// The target holds its maximum number of policies of the type.
        MaxPolicyTypeAttachmentLimitExceeded = ("MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED", "You attempted to exceed the number of policies of a certain type that can be attached to an entity at one time."),
        /// Detaching would leave the target without a policy of the type.
        MinPolicyTypeAttachmentLimitExceeded = ("MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED", "You attempted to detach a policy from an entity that would cause the entity to have fewer than the minimum number of policies of a certain type required."),
        /// The organization lacks all features.
        OrganizationNotInAllFeaturesMode = ("ORGANIZATION_NOT_IN_ALL_FEATURES_MODE", "You can't perform the operation on an organization that doesn't have all features enabled."),
        /// The management account cannot be a delegated administrator.
        CannotRegisterMasterAsDelegatedAdministrator = ("CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR", "You can't register the management account of your organization as a delegated administrator for an AWS service integrated with Organizations."),
        /// A suspended account cannot be a delegated administrator.
        CannotRegisterSuspendedAccountAsDelegatedAdministrator = ("CANNOT_REGISTER_SUSPENDED_ACCOUNT_AS_DELEGATED_ADMINISTRATOR", "You cannot register a suspended account as a delegated administrator."),
        /// Delegation needs trusted access for the service first.
        ServiceAccessNotEnabled = ("SERVICE_ACCESS_NOT_ENABLED", "You attempted to register a delegated administrator for a service that doesn't have trusted access enabled."),
        /// The service already has its maximum of delegated administrators.
        DelegatedAdministratorExistsForThisService = ("DELEGATED_ADMINISTRATOR_EXISTS_FOR_THIS_SERVICE", "You attempted to register more delegated administrators than allowed for the service principal."),
        /// The resource holds its maximum number of tags.
        MaxTagLimitExceeded = ("MAX_TAG_LIMIT_EXCEEDED", "You have exceeded the number of tags allowed on this resource."),
        /// A delegated administrator must be deregistered before it leaves.
        CannotRemoveDelegatedAdministratorFromOrg = ("CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG", "You can't remove an account that is a delegated administrator. Deregister the account as a delegated administrator first."),
        /// The management account cannot be closed through Organizations.
        CannotCloseManagementAccount = ("CANNOT_CLOSE_MANAGEMENT_ACCOUNT", "You attempted to close the management account."),
        /// `CreateGovCloudAccount` needs a management account paired with a GovCloud account.
        MasterAccountNotGovcloudEnabled = ("MASTER_ACCOUNT_NOT_GOVCLOUD_ENABLED", "To complete this operation, the management account must have an associated account in the AWS GovCloud (US-West) Region. For more information, see Organizations in the AWS GovCloud User Guide."),
        /// An organization with a transfer in progress cannot be deleted.
        ActiveResponsibilityTransferProcess = ("ACTIVE_RESPONSIBILITY_TRANSFER_PROCESS", "You cannot delete organization due to an ongoing responsibility transfer process. For example, a pending invitation or an in-progress transfer. To delete the organization, you must resolve the current transfer process."),
    }
}

reasons! {
    /// Why an Organizations `InvalidInputException` was raised by a rule of the core (the
    /// wire raises the form checks: `INPUT_REQUIRED`, `INVALID_PATTERN`, …).
    InvalidInputReason {
        /// The `NextToken` is not one this server issued for the listing.
        InvalidNextToken = ("INVALID_NEXT_TOKEN", "Get the value for the NextToken parameter from the response to a previous call of the operation."),
        /// AWS-managed policies cannot be changed.
        ImmutablePolicy = ("IMMUTABLE_POLICY", "You specified a policy that is managed by AWS and can't be modified."),
        /// The AWS-managed full-access policy cannot be detached.
        NonDetachablePolicy = ("NON_DETACHABLE_POLICY", "You can't detach this AWS Managed Policy."),
        /// The service principal is not one Organizations integrates with.
        UnrecognizedServicePrincipal = ("UNRECOGNIZED_SERVICE_PRINCIPAL", "You specified a service principal that isn't recognized."),
        /// A handshake party of the wrong type.
        InvalidPartyTypeTarget = ("INVALID_PARTY_TYPE_TARGET", "You specified the wrong type of entity (account, organization, or email) as a party."),
        /// The operation does not apply to that kind of target.
        TargetNotSupported = ("TARGET_NOT_SUPPORTED", "You can't perform the specified operation on that target entity."),
        /// The resource policy is not a JSON policy document.
        InvalidResourcePolicyJson = ("INVALID_RESOURCE_POLICY_JSON", "You provided a resource policy that is not valid JSON or not a valid policy document."),
        /// The resource policy names a principal that is not an account of the organization.
        InvalidPrincipal = ("INVALID_PRINCIPAL", "You specified an invalid principal element in the policy."),
        /// The resource policy allows an action that cannot be delegated.
        UnsupportedActionInResourcePolicy = ("UNSUPPORTED_ACTION_IN_RESOURCE_POLICY", "You specified an action that is not supported in a resource policy."),
        /// The resource policy names a resource that is not an Organizations resource.
        UnsupportedResourceInResourcePolicy = ("UNSUPPORTED_RESOURCE_IN_RESOURCE_POLICY", "You specified a resource that is not supported in a resource policy."),
        /// A transfer must start at the beginning of a month.
        StartDateNotBeginningOfMonth = ("START_DATE_NOT_BEGINNING_OF_MONTH", "You provided an invalid start date. The start date must be the first day of the month."),
        /// A transfer must start at the beginning of a day.
        StartDateNotBeginningOfDay = ("START_DATE_NOT_BEGINNING_OF_DAY", "You provided an invalid start date. The start date must be the beginning of the day (00:00:00.000)."),
        /// A transfer cannot start in the past.
        StartDateTooEarly = ("START_DATE_TOO_EARLY", "You provided an invalid start date. The start date is too early."),
        /// A transfer ends at the end of the last day of a month.
        EndDateNotEndOfMonth = ("END_DATE_NOT_END_OF_MONTH", "You provided an invalid end date. The end date must be the end of the last day of the month (23.59.59.999)."),
        /// A transfer cannot end before it starts or in the past.
        EndDateTooEarly = ("END_DATE_TOO_EARLY", "You provided an invalid end date. It is too early for the transfer to end."),
    }
}

reasons! {
    /// Why a `HandshakeConstraintViolationException` was raised (organizations service-2.json,
    /// `HandshakeConstraintViolationExceptionReason`).
    HandshakeConstraintReason {
        /// The invited account already belongs to an organization.
        AlreadyInAnOrganization = ("ALREADY_IN_AN_ORGANIZATION", "The handshake request is invalid because the invited account is already a member of an organization."),
        /// Accepting would exceed the organization's account limit.
        AccountNumberLimitExceeded = ("ACCOUNT_NUMBER_LIMIT_EXCEEDED", "You attempted to exceed the number of accounts that you can have in an organization."),
        /// `EnableAllFeatures` on an organization that has them.
        OrganizationAlreadyHasAllFeatures = ("ORGANIZATION_ALREADY_HAS_ALL_FEATURES", "The handshake request is invalid because the organization has already enabled all features."),
        /// `EnableAllFeatures` while a request to enable them is open.
        OrganizationIsAlreadyPendingAllFeaturesMigration = ("ORGANIZATION_IS_ALREADY_PENDING_ALL_FEATURES_MIGRATION", "The handshake request is invalid because the organization has already started the process to enable all features."),
        /// Invitations wait until enabling all features is finished.
        InviteDisabledDuringEnableAllFeatures = ("INVITE_DISABLED_DURING_ENABLE_ALL_FEATURES", "You can't issue new invitations to join an organization while it's in the process of enabling all features. You can resume inviting accounts after you finalize the process when all accounts have agreed to the change."),
        /// A transfer between the two organizations is already open or in force.
        ResponsibilityTransferAlreadyExists = ("RESPONSIBILITY_TRANSFER_ALREADY_EXISTS", "You cannot perform this operation with the current transfer."),
        /// A management account cannot transfer to itself.
        SourceAndTargetCannotMatch = ("SOURCE_AND_TARGET_CANNOT_MATCH", "An account can't accept a transfer invitation if it is both the sender and recipient of the invitation."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organizations_rules_answer_with_their_exception_and_reason() {
        let err = CoreError::ConstraintViolation(ConstraintViolationReason::OuDepthLimitExceeded);
        assert_eq!(err.code(), ErrorCode::ConstraintViolationException);
        assert_eq!(err.reason(), Some("OU_DEPTH_LIMIT_EXCEEDED"));
        assert_eq!(
            err.client_message(),
            "You attempted to create an OU tree that is too many levels deep."
        );
        let err = CoreError::InvalidOrganizationsInput(InvalidInputReason::InvalidNextToken);
        assert_eq!(err.code(), ErrorCode::InvalidInputException);
        assert_eq!(err.reason(), Some("INVALID_NEXT_TOKEN"));
        let err = CoreError::HandshakeConstraintViolation(
            HandshakeConstraintReason::AlreadyInAnOrganization,
        );
        assert_eq!(err.code(), ErrorCode::HandshakeConstraintViolationException);
        assert_eq!(err.reason(), Some("ALREADY_IN_AN_ORGANIZATION"));
        assert_eq!(
            CoreError::InvitingOrganizationGone.code(),
            ErrorCode::HandshakeConstraintViolationException
        );
        assert_eq!(CoreError::InvitingOrganizationGone.reason(), None);
    }

    #[test]
    fn a_denial_is_one_error_whatever_the_service() {
        let err =
            CoreError::AccessDenied("You don't have permissions to access this resource.".into());
        assert_eq!(err.code(), ErrorCode::AccessDenied);
        assert_eq!(err.reason(), None);
    }

    #[test]
    fn every_reason_is_spelled_in_aws_upper_snake_case_with_a_sentence() {
        let spelled = ConstraintViolationReason::ALL
            .iter()
            .map(|r| (r.as_str(), r.message()))
            .chain(
                InvalidInputReason::ALL
                    .iter()
                    .map(|r| (r.as_str(), r.message())),
            )
            .chain(
                HandshakeConstraintReason::ALL
                    .iter()
                    .map(|r| (r.as_str(), r.message())),
            );
        for (reason, message) in spelled {
            assert!(
                reason.chars().all(|c| c.is_ascii_uppercase() || c == '_'),
                "{reason}"
            );
            assert!(message.ends_with('.'), "{reason}: {message}");
        }
    }

    #[test]
    fn internal_detail_never_reaches_the_client() {
        let err = CoreError::Internal("row kind `x` is corrupt".into());
        assert_eq!(err.code(), ErrorCode::ServiceFailure);
        assert!(!err.client_message().contains("corrupt"));
    }
}
