//! Authorization: what each operation is, in IAM's terms, and the one place a request is
//! decided.
//!
//! * One table module per service — [`iam`], [`sts`], [`organizations`], [`account`],
//!   [`cloudtrail`] —
//!   maps a decoded operation to its [`Access`]: action, resource ARN and the request's own
//!   condition keys (`iam:PolicyARN`, `aws:RequestTag/…`, …). The resource ARN of an entity
//!   uses its stored path when the entity exists, and the path given in the request (or
//!   `/`) otherwise, as AWS's denial messages show.
//! * `context` builds the request context; [`decide`] collects the caller's policies and
//!   the organization's guard rails and asks `rampart-policy`; [`authorize`] returns the
//!   [`Decision`] with the statements that decided it, for the audit trail.
//!
//! Nothing here writes or executes an operation, and nothing here reads `ops`: the helpers
//! both need live in `arns` and `org_tree`.

pub mod account;
pub mod cloudtrail;
mod context;
pub mod decide;
pub mod iam;
pub mod organizations;
pub mod sts;
#[cfg(test)]
mod tests;

use rampart_policy::{ContextValue, Policy};

use crate::model::AccountId;

pub use context::{principal_tags, request_context};
pub use decide::{
    CallerPolicies, DecidingStatement, Decision, Outcome, PolicyType, authorize, caller_policies,
    org_guardrails,
};

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

    /// Adds `aws:RequestTag/KEY` per tag and `aws:TagKeys` (when there are tags).
    fn with_tags<'t>(mut self, tags: impl IntoIterator<Item = (&'t str, &'t str)>) -> Access {
        let mut keys = Vec::new();
        for (key, value) in tags {
            self.keys.push((
                format!("aws:RequestTag/{key}"),
                ContextValue::String(value.to_owned()),
            ));
            keys.push(key.to_owned());
        }
        if !keys.is_empty() {
            self.keys
                .push(("aws:TagKeys".to_owned(), ContextValue::strings(keys)));
        }
        self
    }

    /// Adds `aws:TagKeys` for an untag request.
    fn with_tag_keys(self, keys: &[String]) -> Access {
        self.with_key("aws:TagKeys", ContextValue::strings(keys.iter().cloned()))
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

/// A resource-based policy that also applies, with the account that owns the resource.
#[derive(Debug, Clone, Copy)]
pub struct ResourcePolicy<'a> {
    /// The policy (a trust policy for `sts:AssumeRole`).
    pub policy: &'a Policy,
    /// The resource's account.
    pub account: &'a AccountId,
}
