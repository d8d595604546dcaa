//! Member accounts: `CreateAccount` as AWS runs it and its status, describe and list,
//! move between parents, remove, leave and close (organizations.md §4). Owns those
//! operations, the account quota, and the wire `Account` and `CreateAccountStatus`.

use rampart_wire::Timestamp;
use rampart_wire::organizations::{self as wire, Output};

use super::{Execution, OrgCtx, page, parent, put_member};
use crate::engine::WriteTxn;
use crate::error::{ConstraintViolationReason, CoreError};
use crate::model::{
    AccountId, CreateAccountStatusRecord, OrgAccountRecord, OrganizationRecord, Tag,
};
use crate::ops::iam::{policies, roles};
use crate::ops::signup as standalone;
use crate::state::State;

/// Accounts per organization (default quota; open invitations count).
pub const MAX_ACCOUNTS: usize = 10;
/// The role `CreateAccount` makes when no `RoleName` is given.
pub const DEFAULT_ROLE_NAME: &str = "OrganizationAccountAccessRole";
const ADMINISTRATOR_ACCESS: &str = "arn:aws:iam::aws:policy/AdministratorAccess";

/// `CreateAccount`, by the management account: AWS's first answer (`IN_PROGRESS`).
pub fn create_account(
    cx: &Execution<'_>,
    input: &wire::CreateAccountInput,
) -> Result<Output, CoreError> {
    let tags = super::tags::from_wire(input.tags.as_deref())?;
    let status = cx.write_in_org(|txn, ctx| create(txn, ctx, input, tags.clone(), cx.now))?;
    Ok(wire::CreateAccountOutput {
        create_account_status: as_first_answer(&status),
    }
    .into())
}

/// `DescribeCreateAccountStatus`.
pub fn describe_create_account_status(
    cx: &Execution<'_>,
    input: &wire::DescribeCreateAccountStatusInput,
) -> Result<Output, CoreError> {
    let ctx = cx.reader()?;
    let status = cx
        .state()
        .create_account_status(&input.create_account_request_id)
        .filter(|s| s.org == ctx.org.id)
        .ok_or(CoreError::CreateAccountStatusNotFound)?;
    Ok(wire::DescribeCreateAccountStatusOutput {
        create_account_status: status_to_wire(status),
    }
    .into())
}

/// `ListCreateAccountStatus`, optionally only in the given states.
pub fn list_create_account_status(
    cx: &Execution<'_>,
    input: &wire::ListCreateAccountStatusInput,
) -> Result<Output, CoreError> {
    let ctx = cx.reader()?;
    let wanted = |s: &str| {
        input
            .states
            .as_ref()
            .is_none_or(|states| states.iter().any(|w| w.as_str() == s))
    };
    let all: Vec<_> = cx
        .state()
        .create_account_statuses()
        .filter(|s| s.org == ctx.org.id && wanted(&s.state))
        .map(|s| status_to_wire(s))
        .collect();
    let (create_account_statuses, next_token) =
        page(all, input.next_token.as_deref(), input.max_results, |s| {
            s.id.clone()
        })?;
    Ok(wire::ListCreateAccountStatusOutput {
        create_account_statuses,
        next_token,
    }
    .into())
}

/// `DescribeAccount`.
pub fn describe_account(
    cx: &Execution<'_>,
    input: &wire::DescribeAccountInput,
) -> Result<Output, CoreError> {
    let ctx = cx.reader()?;
    let member = member(cx.state(), &ctx.org, &input.account_id)?;
    Ok(wire::DescribeAccountOutput {
        account: to_wire(cx.state(), &ctx.org, member),
    }
    .into())
}

/// `ListAccounts`: every member, ordered by id.
pub fn list_accounts(
    cx: &Execution<'_>,
    input: &wire::ListAccountsInput,
) -> Result<Output, CoreError> {
    let ctx = cx.reader()?;
    let (accounts, next_token) = list_members(
        cx,
        &ctx,
        |_| true,
        input.next_token.as_deref(),
        input.max_results,
    )?;
    Ok(wire::ListAccountsOutput {
        accounts,
        next_token,
    }
    .into())
}

/// `ListAccountsForParent`: the members directly under a root or OU.
pub fn list_accounts_for_parent(
    cx: &Execution<'_>,
    input: &wire::ListAccountsForParentInput,
) -> Result<Output, CoreError> {
    let ctx = cx.reader()?;
    parent(cx.state(), &ctx.org, &input.parent_id).ok_or(CoreError::ParentNotFound)?;
    let (accounts, next_token) = list_members(
        cx,
        &ctx,
        |m| m.parent == input.parent_id,
        input.next_token.as_deref(),
        input.max_results,
    )?;
    Ok(wire::ListAccountsForParentOutput {
        accounts,
        next_token,
    }
    .into())
}

/// `MoveAccount` from its parent to another root or OU.
pub fn move_account(
    cx: &Execution<'_>,
    input: &wire::MoveAccountInput,
) -> Result<Output, CoreError> {
    cx.write_in_org(|txn, ctx| relocate(txn, ctx, input))?;
    Ok(Output::Empty)
}

/// `RemoveAccountFromOrganization`, by the management account.
pub fn remove_account_from_organization(
    cx: &Execution<'_>,
    input: &wire::RemoveAccountFromOrganizationInput,
) -> Result<Output, CoreError> {
    cx.write_in_org(|txn, ctx| remove(txn, ctx, &input.account_id))?;
    Ok(Output::Empty)
}

/// `CreateGovCloudAccount`, by the management account: refused as AWS refuses it for a
/// management account with no paired AWS GovCloud (US) account (ConstraintViolationException
/// `MASTER_ACCOUNT_NOT_GOVCLOUD_ENABLED`). Rampart serves the commercial partition only, so
/// no management account here is GovCloud-enabled.
pub fn create_gov_cloud_account(
    cx: &Execution<'_>,
    _input: &wire::CreateGovCloudAccountInput,
) -> Result<Output, CoreError> {
    let ctx = cx.member()?;
    ctx.require_management()?;
    Err(CoreError::ConstraintViolation(
        ConstraintViolationReason::MasterAccountNotGovcloudEnabled,
    ))
}

/// `LeaveOrganization`, by the member itself.
pub fn leave_organization(
    cx: &Execution<'_>,
    _input: &wire::LeaveOrganizationInput,
) -> Result<Output, CoreError> {
    cx.write_in_org(|txn, ctx| {
        check_can_leave(&ctx.org, &ctx.member.account)?;
        drop_member(txn, &ctx.member.account)
    })?;
    Ok(Output::Empty)
}

/// `CloseAccount`, by the management account.
pub fn close_account(
    cx: &Execution<'_>,
    input: &wire::CloseAccountInput,
) -> Result<Output, CoreError> {
    cx.write_in_org(|txn, ctx| close(txn, ctx, &input.account_id))?;
    Ok(Output::Empty)
}

/// One page of the members that pass `filter`, as wire accounts ordered by id.
fn list_members(
    cx: &Execution<'_>,
    ctx: &OrgCtx,
    filter: impl Fn(&OrgAccountRecord) -> bool,
    next_token: Option<&str>,
    max_results: Option<i32>,
) -> Result<(Vec<wire::Account>, Option<String>), CoreError> {
    let state = cx.state();
    let all: Vec<_> = state
        .org_members(&ctx.org.id)
        .filter(|m| filter(m))
        .map(|m| to_wire(state, &ctx.org, m))
        .collect();
    page(all, next_token, max_results, |a| a.id.clone())
}

/// The wire account of a member.
pub fn to_wire(
    state: &State,
    org: &OrganizationRecord,
    member: &OrgAccountRecord,
) -> wire::Account {
    let record = state.account(&member.account);
    let account_state =
        wire::AccountState::from_wire(&member.state).unwrap_or(wire::AccountState::Active);
    let status = match account_state {
        wire::AccountState::Suspended | wire::AccountState::Closed => {
            wire::AccountStatus::Suspended
        }
        wire::AccountState::PendingClosure => wire::AccountStatus::PendingClosure,
        wire::AccountState::Active | wire::AccountState::PendingActivation => {
            wire::AccountStatus::Active
        }
    };
    wire::Account {
        id: member.account.as_str().to_owned(),
        arn: org.account_arn(&member.account),
        email: record.map(|a| a.email.clone()).unwrap_or_default(),
        name: record.map(|a| a.name.clone()).unwrap_or_default(),
        status,
        state: account_state,
        paths: vec![super::entity_path(
            state,
            org,
            &member.parent,
            member.account.as_str(),
        )],
        joined_method: if member.joined_method == "CREATED" {
            wire::AccountJoinedMethod::Created
        } else {
            wire::AccountJoinedMethod::Invited
        },
        joined_timestamp: Timestamp(member.joined),
    }
}

/// The member `id` of `org`, or `AccountNotFoundException`.
pub fn member<'s>(
    state: &'s State,
    org: &OrganizationRecord,
    id: &str,
) -> Result<&'s OrgAccountRecord, CoreError> {
    AccountId::parse(id)
        .and_then(|a| state.org_member(&a))
        .filter(|m| m.org == org.id)
        .map(AsRef::as_ref)
        .ok_or(CoreError::AccountNotFound)
}

/// How many accounts count toward the quota: members and open invitations.
pub fn quota_used(state: &State, org: &OrganizationRecord, now: i64) -> usize {
    let open = state
        .handshakes()
        .filter(|h| h.org == org.id && super::handshakes::is_open(h, now))
        .count();
    state.org_members(&org.id).count() + open
}

/// The wire status of a create-account request.
fn status_to_wire(record: &CreateAccountStatusRecord) -> wire::CreateAccountStatus {
    wire::CreateAccountStatus {
        id: record.id.clone(),
        account_name: Some(record.account_name.clone()),
        state: wire::CreateAccountState::from_wire(&record.state).unwrap_or_default(),
        requested_timestamp: Some(Timestamp(record.requested)),
        completed_timestamp: record.completed.map(Timestamp),
        account_id: record.account.as_ref().map(|a| a.as_str().to_owned()),
        gov_cloud_account_id: None,
        failure_reason: record
            .failure_reason
            .as_deref()
            .and_then(wire::CreateAccountFailureReason::from_wire),
    }
}

/// Creates a member account. The work completes inside this transaction, but the answer is
/// AWS's first answer (`IN_PROGRESS`, no account id yet); `DescribeCreateAccountStatus` then
/// reports `SUCCEEDED` (or `FAILED` with a reason, such as a taken email address).
fn create(
    txn: &mut WriteTxn<'_>,
    ctx: &OrgCtx,
    input: &wire::CreateAccountInput,
    tags: Vec<Tag>,
    now: i64,
) -> Result<CreateAccountStatusRecord, CoreError> {
    ctx.require_management()?;
    let org = &ctx.org;
    if quota_used(txn.state(), org, now) >= MAX_ACCOUNTS {
        return Err(CoreError::ConstraintViolation(
            ConstraintViolationReason::AccountNumberLimitExceeded,
        ));
    }
    let state = txn.state();
    let id = super::fresh_id("car-", 12, |id| state.create_account_status(id).is_some());
    let mut status = CreateAccountStatusRecord {
        id,
        org: org.id.clone(),
        account_name: input.account_name.clone(),
        state: "SUCCEEDED".to_owned(),
        requested: now,
        completed: Some(now),
        account: None,
        failure_reason: None,
    };
    let email = input.email.trim();
    if state
        .accounts()
        .any(|a| a.email.eq_ignore_ascii_case(email))
    {
        status.state = "FAILED".to_owned();
        status.failure_reason = Some("EMAIL_ALREADY_EXISTS".to_owned());
        txn.put(&status)?;
        return Ok(status);
    }
    let mut account = standalone::create_account(txn, email, &input.account_name, None, now)?;
    // The root gets a random password of 64+ characters that nobody ever sees: the owner
    // reaches it only through password recovery (§4.1). With centralized root credentials
    // management, new members get no root password at all (§10).
    if !org
        .root_features
        .iter()
        .any(|f| f == "RootCredentialsManagement")
    {
        let secret = data_encoding::BASE64.encode(&crate::random::bytes::<60>());
        account.root_password_hash = Some(
            crate::password::hash(&secret).map_err(|err| CoreError::Internal(err.to_string()))?,
        );
        txn.put(&account)?;
    }
    let role_name = input.role_name.as_deref().unwrap_or(DEFAULT_ROLE_NAME);
    let trust = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"{}"}},"Action":"sts:AssumeRole"}}]}}"#,
        org.management.root_arn()
    );
    let role = roles::NewRole {
        name: role_name,
        path: None,
        trust_policy: &trust,
        description: None,
        max_session_duration: None,
        permissions_boundary: None,
        tags: vec![],
    };
    roles::create(txn, &account.id, &role, now)?;
    policies::attach_to_role(txn, &account.id, role_name, ADMINISTRATOR_ACCESS)?;
    let member = OrgAccountRecord {
        org: org.id.clone(),
        account: account.id.clone(),
        parent: org.root_id.clone(),
        joined_method: "CREATED".to_owned(),
        joined: now,
        state: "ACTIVE".to_owned(),
        policies: super::default_attachments(org),
        tags,
    };
    put_member(txn, &member)?;
    status.account = Some(account.id);
    txn.put(&status)?;
    Ok(status)
}

/// What `CreateAccount` answers: the request as it looks the moment it is accepted.
fn as_first_answer(record: &CreateAccountStatusRecord) -> wire::CreateAccountStatus {
    let mut out = status_to_wire(record);
    out.state = wire::CreateAccountState::InProgress;
    out.account_id = None;
    out.completed_timestamp = None;
    out.failure_reason = None;
    out
}

/// Moves a member from its source parent to the destination.
fn relocate(
    txn: &mut WriteTxn<'_>,
    ctx: &OrgCtx,
    input: &wire::MoveAccountInput,
) -> Result<(), CoreError> {
    ctx.require_management()?;
    let state = txn.state();
    let org = &ctx.org;
    let mut record = member(state, org, &input.account_id)?.clone();
    if parent(state, org, &input.source_parent_id).is_none() {
        return Err(CoreError::SourceParentNotFound);
    }
    if parent(state, org, &input.destination_parent_id).is_none() {
        return Err(CoreError::DestinationParentNotFound);
    }
    if record.parent != input.source_parent_id {
        return Err(CoreError::SourceParentNotFound);
    }
    if record.parent == input.destination_parent_id {
        return Err(CoreError::DuplicateAccount);
    }
    record.parent.clone_from(&input.destination_parent_id);
    put_member(txn, &record)
}

/// The checks shared by removing and leaving: never the management account, never a
/// delegated administrator (§4.5).
fn check_can_leave(org: &OrganizationRecord, account: &AccountId) -> Result<(), CoreError> {
    if &org.management == account {
        return Err(CoreError::MasterCannotLeaveOrganization);
    }
    if org.delegated_admins.iter().any(|(a, _, _)| a == account) {
        return Err(CoreError::ConstraintViolation(
            ConstraintViolationReason::CannotRemoveDelegatedAdministratorFromOrg,
        ));
    }
    Ok(())
}

/// Removes a membership: its tags and policy attachments go with it.
fn drop_member(txn: &mut WriteTxn<'_>, account: &AccountId) -> Result<(), CoreError> {
    txn.delete::<OrgAccountRecord>(account.as_str())
}

/// Removes a member, as the management account.
fn remove(txn: &mut WriteTxn<'_>, ctx: &OrgCtx, account_id: &str) -> Result<(), CoreError> {
    ctx.require_management()?;
    let record = member(txn.state(), &ctx.org, account_id)?.clone();
    check_can_leave(&ctx.org, &record.account)?;
    drop_member(txn, &record.account)
}

/// Closes a member: it moves to `SUSPENDED` (closure runs at once here) and stays visible;
/// never the management account.
fn close(txn: &mut WriteTxn<'_>, ctx: &OrgCtx, account_id: &str) -> Result<(), CoreError> {
    ctx.require_management()?;
    let mut record = member(txn.state(), &ctx.org, account_id)?.clone();
    if record.account == ctx.org.management {
        return Err(CoreError::ConstraintViolation(
            ConstraintViolationReason::CannotCloseManagementAccount,
        ));
    }
    if matches!(
        record.state.as_str(),
        "SUSPENDED" | "PENDING_CLOSURE" | "CLOSED"
    ) {
        return Err(CoreError::AccountAlreadyClosed);
    }
    "SUSPENDED".clone_into(&mut record.state);
    put_member(txn, &record)
}

#[cfg(test)]
mod gov_cloud_tests {
    use rampart_wire::ErrorCode;
    use serde_json::json;

    use super::super::testing::{account, failure, member, organization, run};

    #[test]
    fn gov_cloud_accounts_are_refused_outside_a_gov_cloud_enabled_management_account() {
        let (engine, management) = organization();
        let dev = member(&engine, &management, "dev@example.com");
        let input = json!({"Email": "gov@example.com", "AccountName": "Gov"});
        let got = failure(run(
            &engine,
            &management,
            "CreateGovCloudAccount",
            input.clone(),
        ));
        assert_eq!(
            got,
            (
                ErrorCode::ConstraintViolationException,
                Some("MASTER_ACCOUNT_NOT_GOVCLOUD_ENABLED")
            )
        );
        let got = failure(run(&engine, &dev, "CreateGovCloudAccount", input.clone()));
        assert_eq!(got.0, ErrorCode::AccessDenied);
        let alone = account(&engine, "alone@example.com");
        let got = failure(run(&engine, &alone, "CreateGovCloudAccount", input));
        assert_eq!(got.0, ErrorCode::AwsOrganizationsNotInUseException);
    }
}

#[cfg(test)]
mod tests {
    use rampart_wire::ErrorCode;
    use serde_json::json;

    use super::super::testing::{failure, member, organization, run};
    use super::*;

    #[test]
    fn create_account_answers_in_progress_and_records_success() {
        let (engine, management) = organization();
        let input = json!({"Email": "dev@example.com", "AccountName": "Dev"});
        let Output::CreateAccount(out) = run(&engine, &management, "CreateAccount", input).unwrap()
        else {
            panic!("wrong output");
        };
        let first = out.create_account_status;
        assert_eq!(first.state, wire::CreateAccountState::InProgress);
        assert!(first.account_id.is_none());
        let input = json!({"CreateAccountRequestId": first.id});
        let Output::DescribeCreateAccountStatus(out) =
            run(&engine, &management, "DescribeCreateAccountStatus", input).unwrap()
        else {
            panic!("wrong output");
        };
        assert_eq!(
            out.create_account_status.state,
            wire::CreateAccountState::Succeeded
        );
        let id = AccountId::parse(&out.create_account_status.account_id.unwrap()).unwrap();
        let state = engine.snapshot();
        assert!(state.role(&id, DEFAULT_ROLE_NAME).is_some());
    }

    #[test]
    fn a_taken_email_fails_in_the_status_not_the_call() {
        let (engine, management) = organization();
        let input = json!({"Email": "mgmt@example.com", "AccountName": "Again"});
        run(&engine, &management, "CreateAccount", input).unwrap();
        let state = engine.snapshot();
        let status = state.create_account_statuses().next().unwrap();
        assert_eq!(status.state, "FAILED");
        assert_eq!(
            status.failure_reason.as_deref(),
            Some("EMAIL_ALREADY_EXISTS")
        );
    }

    #[test]
    fn move_account_checks_source_then_destination() {
        let (engine, management) = organization();
        let dev = member(&engine, &management, "dev@example.com");
        let root = engine
            .snapshot()
            .org_of(&management)
            .unwrap()
            .0
            .root_id
            .clone();
        let mv = |source: &str, destination: &str| {
            let input = json!({"AccountId": dev.as_str(), "SourceParentId": source, "DestinationParentId": destination});
            failure(run(&engine, &management, "MoveAccount", input)).0
        };
        assert_eq!(
            mv("ou-abcd-12345678", &root),
            ErrorCode::SourceParentNotFoundException
        );
        assert_eq!(
            mv(&root, "ou-abcd-12345678"),
            ErrorCode::DestinationParentNotFoundException
        );
        assert_eq!(mv(&root, &root), ErrorCode::DuplicateAccountException);
    }

    #[test]
    fn the_management_account_never_leaves_and_a_member_may() {
        let (engine, management) = organization();
        let got = failure(run(&engine, &management, "LeaveOrganization", json!({})));
        assert_eq!(got.0, ErrorCode::MasterCannotLeaveOrganizationException);
        let input = json!({"AccountId": management.as_str()});
        let got = failure(run(
            &engine,
            &management,
            "RemoveAccountFromOrganization",
            input,
        ));
        assert_eq!(got.0, ErrorCode::MasterCannotLeaveOrganizationException);
        let dev = member(&engine, &management, "dev@example.com");
        run(&engine, &dev, "LeaveOrganization", json!({})).unwrap();
        assert!(engine.snapshot().org_member(&dev).is_none());
    }

    #[test]
    fn close_account_suspends_a_member_once_and_never_the_management_account() {
        let (engine, management) = organization();
        let dev = member(&engine, &management, "dev@example.com");
        let close = json!({"AccountId": dev.as_str()});
        run(&engine, &management, "CloseAccount", close.clone()).unwrap();
        assert_eq!(
            engine.snapshot().org_member(&dev).unwrap().state,
            "SUSPENDED"
        );
        let got = failure(run(&engine, &management, "CloseAccount", close));
        assert_eq!(got.0, ErrorCode::AccountAlreadyClosedException);
        let input = json!({"AccountId": management.as_str()});
        let got = failure(run(&engine, &management, "CloseAccount", input));
        assert_eq!(
            got,
            (
                ErrorCode::ConstraintViolationException,
                Some("CANNOT_CLOSE_MANAGEMENT_ACCOUNT")
            )
        );
    }

    #[test]
    fn members_may_not_list_accounts_but_may_describe_the_organization() {
        let (engine, management) = organization();
        let dev = member(&engine, &management, "dev@example.com");
        let got = failure(run(&engine, &dev, "ListAccounts", json!({})));
        assert_eq!(got.0, ErrorCode::AccessDenied);
        run(&engine, &dev, "DescribeOrganization", json!({})).unwrap();
        let Output::ListAccounts(out) =
            run(&engine, &management, "ListAccounts", json!({})).unwrap()
        else {
            panic!("wrong output");
        };
        assert_eq!(out.accounts.len(), 2);
    }
}
