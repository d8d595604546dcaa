//! The IAM policy language and AWS's evaluation logic, as a pure library.
//!
//! * [`Policy::parse`] reads and validates a document for a [`PolicyKind`] with AWS's
//!   `MalformedPolicyDocument` messages and size limits, keeping the original text.
//! * [`evaluate`] decides a [`RequestContext`] against [`PolicySets`] and returns an
//!   [`Evaluation`]: [`Decision`], the deciding statements and AWS's [`DenialReason`].
//!
//! No I/O, no async, no clock: the current time comes in the request context
//! (`aws:CurrentTime`, `aws:EpochTime`). The specification is
//! `shared/reference/policy-language.md` and `shared/reference/policy-evaluation.md`.

mod arn;
mod condition;
mod context;
mod document;
mod error;
mod evaluate;
mod json;
mod pattern;
mod validate;
mod variables;

pub use context::{ContextValue, PrincipalInfo, PrincipalKind, RequestContext, Timestamp};
pub use document::{Document, Effect, Policy, PolicyKind, Statement};
pub use error::{PolicyError, messages};
pub use evaluate::{
    Decision, DenialReason, Evaluation, MatchedStatement, PolicySets, PolicySource, evaluate,
    evaluate_all,
};

/// The entity whose inline policies share one aggregate size quota (`policy-language.md` §9.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InlineEntity {
    /// 2,048 characters per user.
    User,
    /// 5,120 characters per group.
    Group,
    /// 10,240 characters per role.
    Role,
}

impl InlineEntity {
    /// The aggregate quota in non-whitespace characters.
    #[must_use]
    pub fn limit(self) -> usize {
        match self {
            InlineEntity::User => 2_048,
            InlineEntity::Group => 5_120,
            InlineEntity::Role => 10_240,
        }
    }
}

/// The `LimitExceeded` error when the inline policies of `name` total `total` characters
/// (sum of [`Policy::size`]) above the quota of `entity`, else `None`.
///
/// ```
/// use rampart_policy::{inline_policy_size_error, InlineEntity};
/// let err = inline_policy_size_error(InlineEntity::User, "alice", 2049).unwrap();
/// assert_eq!(err.message(), "Maximum policy size of 2048 bytes exceeded for user alice");
/// assert!(inline_policy_size_error(InlineEntity::User, "alice", 2048).is_none());
/// ```
#[must_use]
pub fn inline_policy_size_error(
    entity: InlineEntity,
    name: &str,
    total: usize,
) -> Option<PolicyError> {
    let word = match entity {
        InlineEntity::User => "user",
        InlineEntity::Group => "group",
        InlineEntity::Role => "role",
    };
    (total > entity.limit())
        .then(|| PolicyError::LimitExceeded(messages::inline_size(entity.limit(), word, name)))
}

/// The STS `ValidationError` message for an `AssumeRole` `DurationSeconds` that the session
/// cannot have (`policy-evaluation.md` §7.2), else `None`. `chained`: the caller is itself a
/// role session (role chaining caps the session at one hour).
///
/// ```
/// use rampart_policy::session_duration_error;
/// assert!(session_duration_error(7200, 43_200, true).is_some());
/// assert!(session_duration_error(3600, 43_200, true).is_none());
/// ```
#[must_use]
pub fn session_duration_error(requested: u32, role_max: u32, chained: bool) -> Option<String> {
    if requested < 900 {
        return Some(format!(
            "1 validation error detected: Value '{requested}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"
        ));
    }
    if chained && requested > 3_600 {
        return Some(
            "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining."
                .to_owned(),
        );
    }
    (requested > role_max).then(|| {
        "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.".to_owned()
    })
}
