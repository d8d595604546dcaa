//! The core's error type, mapped once to the wire's AWS error codes.
//!
//! Client-visible messages follow AWS's wording; internal failures carry their detail for
//! the log only and reach clients as `ServiceFailure`.

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
    /// `MalformedPolicyDocument` (400).
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
    /// `AccessDenied` (403), with AWS's full sentence.
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
    /// An AWS Organizations error (`__type` = `code`), with the `Reason` member some carry.
    #[error("{message}")]
    Organizations {
        /// The Organizations exception.
        code: ErrorCode,
        /// AWS's message.
        message: String,
        /// The `Reason` member (`ConstraintViolationException`, `InvalidInputException`, …).
        reason: Option<&'static str>,
    },
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
            CoreError::InvalidAuthorizationMessage(_) => {
                ErrorCode::InvalidAuthorizationMessageException
            }
            CoreError::InvalidAuthenticationCode(_) => ErrorCode::InvalidAuthenticationCode,
            CoreError::PasswordPolicyViolation(_) => ErrorCode::PasswordPolicyViolation,
            CoreError::ReportNotPresent(_) => ErrorCode::ReportNotPresent,
            CoreError::ReportExpired(_) => ErrorCode::ReportExpired,
            CoreError::PackedPolicyTooLarge(_) => ErrorCode::PackedPolicyTooLarge,
            CoreError::Organizations { code, .. } => *code,
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

    /// The `Reason` member an Organizations error carries, if any.
    pub fn reason(&self) -> Option<&'static str> {
        match self {
            CoreError::Organizations { reason, .. } => *reason,
            _ => None,
        }
    }

    /// An Organizations error without a `Reason`.
    pub fn org(code: ErrorCode, message: impl Into<String>) -> CoreError {
        CoreError::Organizations {
            code,
            message: message.into(),
            reason: None,
        }
    }

    /// An Organizations error with a `Reason`.
    pub fn org_reason(
        code: ErrorCode,
        reason: &'static str,
        message: impl Into<String>,
    ) -> CoreError {
        CoreError::Organizations {
            code,
            message: message.into(),
            reason: Some(reason),
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

impl From<crate::password::PasswordError> for CoreError {
    fn from(err: crate::password::PasswordError) -> CoreError {
        match err {
            crate::password::PasswordError::Busy => CoreError::Throttled,
            crate::password::PasswordError::Hash => CoreError::Internal(err.to_string()),
        }
    }
}
