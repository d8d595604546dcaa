//! AWS Organizations (organizations.md): the organization and its tree, member accounts,
//! invitations, policies, trusted access and delegated administrators, and the guard rails
//! (SCPs, RCPs) the authorizer applies to member accounts.
//!
//! Each sibling module owns one resource; this one holds what they share: who the caller
//! is in its organization (management account, delegated administrator, member), AWS's
//! common errors, id generation and `NextToken` paging. `execute` translates wire operations
//! to those functions. Operations never authorize themselves against IAM policies (the
//! pipeline did); they enforce only Organizations' own rule of which account may call what.

pub mod accounts;
pub mod delegation;
pub mod execute;
pub mod handshakes;
pub mod organization;
pub mod ous;
pub mod policies;
pub mod tags;

use std::sync::Arc;

use rampart_wire::ErrorCode;

use crate::engine::WriteTxn;
use crate::error::CoreError;
use crate::model::{AccountId, OrgAccountRecord, OrgUnitRecord, OrganizationRecord, kind};
use crate::ops::paging;
pub use crate::org_tree::{RCP, SCP, entity_path, ou_chain};
use crate::state::State;

/// The organization's default page size (`MaxResults` is 1..=20).
const DEFAULT_MAX_RESULTS: i32 = 20;

/// How the calling account stands in its organization (organizations.md §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// The management account.
    Management,
    /// A member registered as delegated administrator for some service.
    DelegatedAdmin,
    /// Any other member.
    Member,
}

/// The caller's organization and membership.
#[derive(Debug, Clone)]
pub struct OrgCtx {
    /// The organization.
    pub org: Arc<OrganizationRecord>,
    /// The caller's membership.
    pub member: Arc<OrgAccountRecord>,
    /// Management, delegated administrator or member.
    pub standing: Standing,
}

impl OrgCtx {
    /// Only the management account may call this.
    pub fn require_management(&self) -> Result<(), CoreError> {
        match self.standing {
            Standing::Management => Ok(()),
            _ => Err(access_denied()),
        }
    }

    /// The management account or a delegated administrator may call this (read-only ops).
    pub fn require_reader(&self) -> Result<(), CoreError> {
        match self.standing {
            Standing::Management | Standing::DelegatedAdmin => Ok(()),
            Standing::Member => Err(access_denied()),
        }
    }
}

/// The caller's organization, or `AWSOrganizationsNotInUseException`.
pub fn context(state: &State, account: &AccountId) -> Result<OrgCtx, CoreError> {
    let (org, member) = state.org_of(account).ok_or_else(not_in_use)?;
    let standing = if &org.management == account {
        Standing::Management
    } else if org.delegated_admins.iter().any(|(a, _, _)| a == account) {
        Standing::DelegatedAdmin
    } else {
        Standing::Member
    };
    Ok(OrgCtx {
        org: Arc::clone(org),
        member: Arc::clone(member),
        standing,
    })
}

/// `AWSOrganizationsNotInUseException`.
pub fn not_in_use() -> CoreError {
    CoreError::org(
        ErrorCode::AwsOrganizationsNotInUseException,
        "Your account is not a member of an organization.",
    )
}

/// Organizations' `AccessDeniedException` for a call from the wrong account.
pub fn access_denied() -> CoreError {
    CoreError::org(
        ErrorCode::AccessDeniedException,
        "You don't have permissions to access this resource.",
    )
}

/// `AccountNotFoundException`.
pub fn account_not_found() -> CoreError {
    CoreError::org(
        ErrorCode::AccountNotFoundException,
        "You specified an account that doesn't exist.",
    )
}

/// `ConstraintViolationException` with `reason`.
pub fn constraint(reason: &'static str, message: &str) -> CoreError {
    CoreError::org_reason(ErrorCode::ConstraintViolationException, reason, message)
}

/// `InvalidInputException` with `reason`.
pub fn invalid_input(reason: &'static str, message: &str) -> CoreError {
    CoreError::org_reason(ErrorCode::InvalidInputException, reason, message)
}

/// What a parent id (`r-…` / `ou-…`) names within an organization.
#[derive(Debug, Clone)]
pub enum Parent {
    /// The root.
    Root,
    /// An OU.
    Ou(Arc<OrgUnitRecord>),
}

/// Resolves a parent id in `org`; `None` when it names nothing there.
pub fn parent(state: &State, org: &OrganizationRecord, id: &str) -> Option<Parent> {
    if id == org.root_id {
        return Some(Parent::Root);
    }
    state
        .org_unit(id)
        .filter(|u| u.org == org.id)
        .map(|u| Parent::Ou(Arc::clone(u)))
}

/// A fresh id `prefix` + `len` random `[0-9a-z]` characters, unused per `taken`.
pub fn fresh_id(prefix: &str, len: usize, taken: impl Fn(&str) -> bool) -> String {
    loop {
        let id = format!("{prefix}{}", crate::random::lower_alnum(len));
        if !taken(&id) {
            return id;
        }
    }
}

/// One page of `items` by `key` with Organizations' `NextToken`/`MaxResults`.
pub fn page<T>(
    items: Vec<T>,
    next_token: Option<&str>,
    max_results: Option<i32>,
    key: impl Fn(&T) -> String,
) -> Result<(Vec<T>, Option<String>), CoreError> {
    let (chunk, _, token) = paging::page(items, next_token, Some(max_results.unwrap_or(DEFAULT_MAX_RESULTS)), key).map_err(|_| {
        invalid_input(
            "INVALID_NEXT_TOKEN",
            "Get the value for the NextToken parameter from the response to a previous call of the operation.",
        )
    })?;
    Ok((chunk, token))
}

/// Stores an organization record.
pub fn put_org(txn: &mut WriteTxn<'_>, org: &OrganizationRecord) -> Result<(), CoreError> {
    txn.put(kind::ORGANIZATION, &org.id, org)
}

/// Stores a membership record.
pub fn put_member(txn: &mut WriteTxn<'_>, member: &OrgAccountRecord) -> Result<(), CoreError> {
    txn.put(kind::ORG_ACCOUNT, member.account.as_str(), member)
}

/// Stores an OU record.
pub fn put_unit(txn: &mut WriteTxn<'_>, unit: &OrgUnitRecord) -> Result<(), CoreError> {
    txn.put(kind::ORG_UNIT, &unit.id, unit)
}

/// The default policies a new root, OU or account gets: the AWS-managed full-access policy
/// of every enabled authorization policy type (organizations.md §5.2).
pub fn default_attachments(org: &OrganizationRecord) -> Vec<String> {
    let mut out = Vec::new();
    if org.type_enabled(SCP) {
        out.push(policies::FULL_AWS_ACCESS.to_owned());
    }
    if org.type_enabled(RCP) {
        out.push(policies::RCP_FULL_AWS_ACCESS.to_owned());
    }
    out
}
