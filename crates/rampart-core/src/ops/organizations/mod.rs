//! AWS Organizations (organizations.md): the organization and its tree, member accounts,
//! invitations, policies, trusted access and delegated administrators, and the guard rails
//! (SCPs, RCPs) the authorizer applies to member accounts.
//!
//! Each sibling module owns one resource, its operations (one handler per operation, named
//! after it, taking the decoded wire input and answering the wire output), its wire
//! conversion and its rules: `organization` (the organization, its root and policy types),
//! `ous` (the OU tree), `accounts` (member accounts), `handshakes` (invitations),
//! `policies` (policy documents and effective policies), `attachments` (policies on roots,
//! OUs and accounts), `delegation` (trusted access, delegated administrators) and `tags`
//! (tags on every taggable resource), `features` (`EnableAllFeatures` and its handshakes),
//! `resource_policy` (the delegation policy and what it lets members do), `transfers`
//! (responsibility transfers between organizations) and `validation` (effective-policy
//! validation errors). `execute` dispatches one line per operation.
//!
//! This module holds what they share: the [`Execution`] a handler runs in, who the caller is in
//! its organization ([`Standing`]), id generation and `NextToken` paging. Operations never
//! authorize themselves against IAM policies (the pipeline did); they enforce only
//! Organizations' own rule of which account may call what.

pub mod accounts;
pub mod attachments;
pub mod delegation;
pub mod execute;
pub mod features;
pub mod handshakes;
pub mod organization;
pub mod ous;
pub mod policies;
pub mod resource_policy;
pub mod services;
pub mod tags;
pub mod transfers;
pub mod validation;

use std::sync::Arc;

use crate::engine::{Engine, WriteTxn};
use crate::error::{CoreError, InvalidInputReason};
use crate::model::{AccountId, OrgAccountRecord, OrgUnitRecord, OrganizationRecord};
use crate::ops::paging;
pub use crate::org_tree::{RCP, SCP, entity_path, ou_chain};
use crate::state::State;

/// The organization's default page size (`MaxResults` is 1..=20).
const DEFAULT_MAX_RESULTS: i32 = 20;

/// The execution of one Organizations operation as its handler sees it (the request path's
/// `Call` reduced to what Organizations needs): the engine, the calling account and the
/// request time. Reads answer from the snapshot taken when execution began; writes re-read
/// the caller's standing inside their own transaction.
pub struct Execution<'a> {
    engine: &'a Engine,
    /// The calling account.
    pub account: &'a AccountId,
    /// The request time.
    pub now: i64,
    /// The call was allowed by the organization's delegation policy (the request path
    /// evaluated it): the caller acts as a delegated administrator of Organizations.
    delegated: bool,
    state: Arc<State>,
}

impl<'a> Execution<'a> {
    /// An execution for `account` at `now`, reading the engine's current snapshot.
    pub fn new(engine: &'a Engine, account: &'a AccountId, now: i64) -> Execution<'a> {
        Execution {
            engine,
            account,
            now,
            delegated: false,
            state: engine.snapshot(),
        }
    }

    /// This execution, for a call the delegation policy allowed.
    #[must_use]
    pub fn delegated(mut self, delegated: bool) -> Execution<'a> {
        self.delegated = delegated;
        self
    }

    /// The snapshot this execution reads.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// The snapshot after this execution's write, for answers that show what was written.
    pub fn written(&self) -> Arc<State> {
        self.engine.snapshot()
    }

    /// The caller's organization; any member may ask.
    pub fn member(&self) -> Result<OrgCtx, CoreError> {
        self.context_in(&self.state)
    }

    /// The caller's standing in `state`, raised by the delegation policy when it allowed
    /// the call.
    fn context_in(&self, state: &State) -> Result<OrgCtx, CoreError> {
        let mut ctx = context(state, self.account)?;
        if self.delegated && ctx.standing != Standing::Management {
            ctx.standing = Standing::DelegatedByPolicy;
        }
        Ok(ctx)
    }

    /// The caller's organization, for the reads that only the management account and
    /// delegated administrators may make.
    pub fn reader(&self) -> Result<OrgCtx, CoreError> {
        let ctx = self.member()?;
        ctx.require_reader()?;
        Ok(ctx)
    }

    /// Runs a write that needs no organization (creating one, answering an invitation).
    pub fn write<T>(
        &self,
        f: impl FnMut(&mut WriteTxn<'_>) -> Result<T, CoreError>,
    ) -> Result<T, CoreError> {
        self.engine.write(f)
    }

    /// Runs a write in the caller's organization, its standing re-read in the transaction.
    pub fn write_in_org<T>(
        &self,
        mut f: impl FnMut(&mut WriteTxn<'_>, &OrgCtx) -> Result<T, CoreError>,
    ) -> Result<T, CoreError> {
        self.engine.write(|txn| {
            let ctx = self.context_in(txn.state())?;
            f(txn, &ctx)
        })
    }
}

/// How the calling account stands in its organization (organizations.md §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// The management account.
    Management,
    /// A member registered as delegated administrator for some service.
    DelegatedAdmin,
    /// A member the organization's delegation policy allowed to make this call.
    DelegatedByPolicy,
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
            Standing::Management | Standing::DelegatedAdmin | Standing::DelegatedByPolicy => Ok(()),
            Standing::Member => Err(access_denied()),
        }
    }

    /// The management account, or a member the delegation policy allowed (policy
    /// management: organizations.md §6).
    pub fn require_policy_manager(&self) -> Result<(), CoreError> {
        match self.standing {
            Standing::Management | Standing::DelegatedByPolicy => Ok(()),
            Standing::DelegatedAdmin | Standing::Member => Err(access_denied()),
        }
    }
}

/// The caller's organization, or `AWSOrganizationsNotInUseException`.
pub fn context(state: &State, account: &AccountId) -> Result<OrgCtx, CoreError> {
    let (org, member) = state
        .org_of(account)
        .ok_or(CoreError::AwsOrganizationsNotInUse)?;
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

/// A call from an account Organizations does not allow (the wire answers
/// `AccessDeniedException`, as for a denial by policy).
pub fn access_denied() -> CoreError {
    CoreError::AccessDenied("You don't have permissions to access this resource.".into())
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
    let (chunk, _, token) = paging::page(
        items,
        next_token,
        Some(max_results.unwrap_or(DEFAULT_MAX_RESULTS)),
        key,
    )
    .map_err(|_| CoreError::InvalidOrganizationsInput(InvalidInputReason::InvalidNextToken))?;
    Ok((chunk, token))
}

/// Stores an organization record.
pub fn put_org(txn: &mut WriteTxn<'_>, org: &OrganizationRecord) -> Result<(), CoreError> {
    txn.put(org)
}

/// Stores a membership record.
pub fn put_member(txn: &mut WriteTxn<'_>, member: &OrgAccountRecord) -> Result<(), CoreError> {
    txn.put(member)
}

/// Stores an OU record.
pub fn put_unit(txn: &mut WriteTxn<'_>, unit: &OrgUnitRecord) -> Result<(), CoreError> {
    txn.put(unit)
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

/// What the unit tests of the resource modules share: an in-memory engine, accounts, an
/// organization, and running an operation from its JSON input as an account's root user.
#[cfg(test)]
pub(crate) mod testing {
    use rampart_wire::organizations::{Operation, Output};

    use crate::auth::{Caller, Principal};
    use crate::engine::Engine;
    use crate::error::CoreError;
    use crate::model::AccountId;

    /// The request time of every test call.
    pub const NOW: i64 = 1_700_000_000;

    /// A standalone account with `email`.
    pub fn account(engine: &Engine, email: &str) -> AccountId {
        engine
            .write(|txn| crate::ops::signup::create_account(txn, email, "Test", None, NOW))
            .unwrap()
            .id
    }

    /// An engine holding an all-features organization; returns its management account.
    pub fn organization() -> (Engine, AccountId) {
        let engine = Engine::in_memory();
        let management = account(&engine, "mgmt@example.com");
        run(
            &engine,
            &management,
            "CreateOrganization",
            serde_json::json!({}),
        )
        .unwrap();
        (engine, management)
    }

    /// A member created by `CreateAccount` with `email`.
    pub fn member(engine: &Engine, management: &AccountId, email: &str) -> AccountId {
        let input = serde_json::json!({"Email": email, "AccountName": "Member"});
        run(engine, management, "CreateAccount", input).unwrap();
        let state = engine.snapshot();
        let record = state.accounts().find(|a| a.email == email).unwrap();
        record.id.clone()
    }

    /// Runs `operation` with `input` (its JSON body) as the root user of `account`.
    pub fn run(
        engine: &Engine,
        account: &AccountId,
        operation: &str,
        input: serde_json::Value,
    ) -> Result<Output, CoreError> {
        let op = Operation::decode(operation, &input).unwrap();
        let caller = Caller {
            account: account.clone(),
            principal: Principal::Root,
            access_key_id: "AKIAIOSFODNN7EXAMPLE".to_owned(),
            session: None,
        };
        super::execute::execute(engine, &caller, &op, false, NOW)
    }

    /// Runs `operation` as the root user of `account` for a call the delegation policy
    /// allowed (what the request path passes on after evaluating it).
    pub fn run_delegated(
        engine: &Engine,
        account: &AccountId,
        operation: &str,
        input: serde_json::Value,
    ) -> Result<Output, CoreError> {
        let op = Operation::decode(operation, &input).unwrap();
        let caller = Caller {
            account: account.clone(),
            principal: Principal::Root,
            access_key_id: "AKIAIOSFODNN7EXAMPLE".to_owned(),
            session: None,
        };
        super::execute::execute(engine, &caller, &op, true, NOW)
    }

    /// The AWS code and `Reason` of a failed call.
    pub fn failure(
        result: Result<Output, CoreError>,
    ) -> (rampart_wire::ErrorCode, Option<&'static str>) {
        let err = result.unwrap_err();
        (err.code(), err.reason())
    }
}

#[cfg(test)]
mod tests {
    use rampart_wire::ErrorCode;
    use serde_json::json;

    use super::testing::{failure, member, organization, run};

    #[test]
    fn a_next_token_from_elsewhere_is_invalid_next_token() {
        let (engine, management) = organization();
        let input = json!({"NextToken": "not-a-token"});
        let got = failure(run(&engine, &management, "ListAccounts", input));
        assert_eq!(
            got,
            (ErrorCode::InvalidInputException, Some("INVALID_NEXT_TOKEN"))
        );
    }

    #[test]
    fn pages_follow_next_token_to_the_end() {
        let (engine, management) = organization();
        member(&engine, &management, "a@example.com");
        member(&engine, &management, "b@example.com");
        let mut seen = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let mut input = json!({"MaxResults": 1});
            if let Some(t) = &token {
                input["NextToken"] = json!(t);
            }
            let rampart_wire::organizations::Output::ListAccounts(out) =
                run(&engine, &management, "ListAccounts", input).unwrap()
            else {
                panic!("wrong output");
            };
            seen.extend(out.accounts.into_iter().map(|a| a.id));
            token = out.next_token;
            if token.is_none() {
                break;
            }
        }
        let mut sorted = seen.clone();
        sorted.sort();
        assert_eq!(seen, sorted);
        assert_eq!(seen.len(), 3);
    }
}
