//! Handshakes: invitations (invite, accept, decline, cancel, describe and list;
//! organizations.md §4.3), and the wire `Handshake` of every kind. Accepting, declining and
//! cancelling the other kinds go through here too and hand over to their owners:
//! `ENABLE_ALL_FEATURES`/`APPROVE_ALL_FEATURES` to `features`, `TRANSFER_RESPONSIBILITY` to
//! `transfers`. Expiry is not a stored transition: a `REQUESTED` handshake past its expiry
//! reads as `EXPIRED`. Answering an invitation needs no organization: the invited account is
//! in none yet.

use rampart_wire::Timestamp;
use rampart_wire::organizations::{self as wire, Output};

use super::{Execution, OrgCtx, page, put_member};
use crate::engine::WriteTxn;
use crate::error::{CoreError, HandshakeConstraintReason, InvalidInputReason};
use crate::model::{AccountId, HandshakeRecord, OrgAccountRecord};
use crate::state::State;

/// An invitation lives 15 days.
const INVITE_LIFETIME: i64 = 15 * 86_400;
/// Completed handshakes stay listable 30 days.
const LISTED_AFTER_COMPLETION: i64 = 30 * 86_400;

/// `InviteAccountToOrganization`, by the management account.
pub fn invite_account_to_organization(
    cx: &Execution<'_>,
    input: &wire::InviteAccountToOrganizationInput,
) -> Result<Output, CoreError> {
    let record = cx.write_in_org(|txn, ctx| invite(txn, ctx, input, cx.now))?;
    Ok(wire::InviteAccountToOrganizationOutput {
        handshake: to_wire(&cx.written(), &record, cx.now),
    }
    .into())
}

/// `AcceptHandshake`, by the invited account: it joins under the root.
pub fn accept_handshake(
    cx: &Execution<'_>,
    input: &wire::AcceptHandshakeInput,
) -> Result<Output, CoreError> {
    let record = cx.write(|txn| accept(txn, cx.account, &input.handshake_id, cx.now))?;
    Ok(wire::AcceptHandshakeOutput {
        handshake: to_wire(&cx.written(), &record, cx.now),
    }
    .into())
}

/// `DeclineHandshake`, by the invited account.
pub fn decline_handshake(
    cx: &Execution<'_>,
    input: &wire::DeclineHandshakeInput,
) -> Result<Output, CoreError> {
    let record = cx.write(|txn| {
        let record = transition(txn, cx.account, &input.handshake_id, "DECLINED", cx.now)?;
        super::transfers::on_answered(txn, &record)?;
        Ok(record)
    })?;
    Ok(wire::DeclineHandshakeOutput {
        handshake: to_wire(&cx.written(), &record, cx.now),
    }
    .into())
}

/// `CancelHandshake`, by the inviting organization's management account.
pub fn cancel_handshake(
    cx: &Execution<'_>,
    input: &wire::CancelHandshakeInput,
) -> Result<Output, CoreError> {
    let record = cx.write(|txn| {
        let record = transition(txn, cx.account, &input.handshake_id, "CANCELED", cx.now)?;
        super::features::on_canceled(txn, &record, cx.now)?;
        super::transfers::on_answered(txn, &record)?;
        Ok(record)
    })?;
    Ok(wire::CancelHandshakeOutput {
        handshake: to_wire(&cx.written(), &record, cx.now),
    }
    .into())
}

/// `DescribeHandshake`, by either party.
pub fn describe_handshake(
    cx: &Execution<'_>,
    input: &wire::DescribeHandshakeInput,
) -> Result<Output, CoreError> {
    let record = visible(cx.state(), cx.account, &input.handshake_id)?;
    Ok(wire::DescribeHandshakeOutput {
        handshake: to_wire(cx.state(), record, cx.now),
    }
    .into())
}

/// `ListHandshakesForAccount`: the invitations the caller received.
pub fn list_handshakes_for_account(
    cx: &Execution<'_>,
    input: &wire::ListHandshakesForAccountInput,
) -> Result<Output, CoreError> {
    let (handshakes, next_token) = list(
        cx,
        |h| &h.target_account == cx.account,
        input.filter.as_ref(),
        input.next_token.as_deref(),
        input.max_results,
    )?;
    Ok(wire::ListHandshakesForAccountOutput {
        handshakes,
        next_token,
    }
    .into())
}

/// `ListHandshakesForOrganization`: the invitations the organization sent.
pub fn list_handshakes_for_organization(
    cx: &Execution<'_>,
    input: &wire::ListHandshakesForOrganizationInput,
) -> Result<Output, CoreError> {
    let ctx = cx.reader()?;
    let (handshakes, next_token) = list(
        cx,
        |h| h.org == ctx.org.id,
        input.filter.as_ref(),
        input.next_token.as_deref(),
        input.max_results,
    )?;
    Ok(wire::ListHandshakesForOrganizationOutput {
        handshakes,
        next_token,
    }
    .into())
}

/// One page of the listed handshakes that pass `party` and `filter`.
fn list(
    cx: &Execution<'_>,
    party: impl Fn(&HandshakeRecord) -> bool,
    filter: Option<&wire::HandshakeFilter>,
    next_token: Option<&str>,
    max_results: Option<i32>,
) -> Result<(Vec<wire::Handshake>, Option<String>), CoreError> {
    let state = cx.state();
    let all: Vec<_> = state
        .handshakes()
        .filter(|h| party(h) && listed(h, cx.now) && matches(h, filter))
        .map(|h| to_wire(state, h, cx.now))
        .collect();
    page(all, next_token, max_results, |h| h.id.clone())
}

/// The state as of `now`.
pub fn state_at(record: &HandshakeRecord, now: i64) -> &str {
    if record.state == "REQUESTED" && now >= record.expires {
        "EXPIRED"
    } else {
        &record.state
    }
}

/// Whether the invitation still awaits an answer.
pub fn is_open(record: &HandshakeRecord, now: i64) -> bool {
    matches!(state_at(record, now), "REQUESTED" | "OPEN")
}

/// The wire handshake.
pub fn to_wire(state: &State, record: &HandshakeRecord, now: i64) -> wire::Handshake {
    let (target_type, target_id) = &record.target;
    let party_type = match target_type.as_str() {
        "EMAIL" => wire::HandshakePartyType::Email,
        "ORGANIZATION" => wire::HandshakePartyType::Organization,
        _ => wire::HandshakePartyType::Account,
    };
    let mut parties = vec![wire::HandshakeParty {
        id: record.org.clone(),
        party_type: wire::HandshakePartyType::Organization,
    }];
    if party_type != wire::HandshakePartyType::Organization {
        parties.push(wire::HandshakeParty {
            id: target_id.clone(),
            party_type,
        });
    }
    wire::Handshake {
        id: record.id.clone(),
        arn: format!(
            "arn:aws:organizations::{}:handshake/{}/{}/{}",
            record.management,
            record.org,
            record.action.to_ascii_lowercase(),
            record.id
        ),
        parties,
        state: wire::HandshakeState::from_wire(state_at(record, now)).unwrap_or_default(),
        requested_timestamp: Timestamp(record.requested),
        expiration_timestamp: Timestamp(record.expires),
        action: wire::ActionType::from_wire(&record.action).unwrap_or_default(),
        resources: resources(state, record),
    }
}

/// A resource of a handshake, without nested ones.
fn resource(resource_type: wire::HandshakeResourceType, value: String) -> wire::HandshakeResource {
    wire::HandshakeResource {
        value: Some(value),
        resource_type: Some(resource_type),
        resources: vec![],
    }
}

/// The resources a handshake carries, by its action (Handshake, HandshakeResource in the
/// Organizations API reference).
fn resources(state: &State, record: &HandshakeRecord) -> Vec<wire::HandshakeResource> {
    use wire::HandshakeResourceType as T;
    let mgmt = state.account(&record.management);
    let sub = |resource_type, value: String| wire::HandshakeSubResource {
        value: Some(value),
        resource_type: Some(resource_type),
    };
    if let Some(transfer) = record
        .transfer
        .as_deref()
        .and_then(|id| state.responsibility_transfer(id))
    {
        let mut out = vec![wire::HandshakeResource {
            value: Some(transfer.id.clone()),
            resource_type: Some(T::ResponsibilityTransfer),
            resources: vec![
                sub(T::TransferType, transfer.transfer_type.clone()),
                sub(T::TransferStartTimestamp, transfer.start.to_string()),
                sub(T::ManagementAccount, record.management.as_str().to_owned()),
                sub(
                    T::ManagementEmail,
                    mgmt.map(|a| a.email.clone()).unwrap_or_default(),
                ),
                sub(
                    T::ManagementName,
                    mgmt.map(|a| a.name.clone()).unwrap_or_default(),
                ),
            ],
        }];
        if let Some(notes) = &record.notes {
            out.push(resource(T::Notes, notes.clone()));
        }
        return out;
    }
    let org = state.organization(&record.org);
    let mut out = vec![wire::HandshakeResource {
        value: Some(record.org.clone()),
        resource_type: Some(T::Organization),
        resources: vec![
            sub(
                T::MasterEmail,
                mgmt.map(|a| a.email.clone()).unwrap_or_default(),
            ),
            sub(
                T::MasterName,
                mgmt.map(|a| a.name.clone()).unwrap_or_default(),
            ),
            sub(
                T::OrganizationFeatureSet,
                org.map(|o| o.feature_set.clone()).unwrap_or_default(),
            ),
        ],
    }];
    let (target_type, target_id) = &record.target;
    match target_type.as_str() {
        "EMAIL" => out.push(resource(T::Email, target_id.clone())),
        "ACCOUNT" => out.push(resource(T::Account, target_id.clone())),
        _ => {}
    }
    if let Some(parent) = &record.parent {
        out.push(resource(T::ParentHandshake, parent.clone()));
    }
    if let Some(notes) = &record.notes {
        out.push(resource(T::Notes, notes.clone()));
    }
    out
}

/// Records an invitation of an account (by id or email) that is in no organization.
fn invite(
    txn: &mut WriteTxn<'_>,
    ctx: &OrgCtx,
    input: &wire::InviteAccountToOrganizationInput,
    now: i64,
) -> Result<HandshakeRecord, CoreError> {
    ctx.require_management()?;
    let state = txn.state();
    let org = &ctx.org;
    if super::features::pending(state, &org.id, now).is_some() {
        return Err(CoreError::HandshakeConstraintViolation(
            HandshakeConstraintReason::InviteDisabledDuringEnableAllFeatures,
        ));
    }
    let target = &input.target;
    let account = match target.party_type {
        wire::HandshakePartyType::Account => {
            AccountId::parse(&target.id).and_then(|a| state.account(&a))
        }
        wire::HandshakePartyType::Email => state
            .accounts()
            .find(|a| a.email.eq_ignore_ascii_case(&target.id)),
        wire::HandshakePartyType::Organization => None,
    }
    .ok_or(CoreError::InvalidOrganizationsInput(
        InvalidInputReason::InvalidPartyTypeTarget,
    ))?;
    if state.org_member(&account.id).is_some() {
        return Err(CoreError::HandshakeConstraintViolation(
            HandshakeConstraintReason::AlreadyInAnOrganization,
        ));
    }
    if state
        .handshakes()
        .any(|h| h.org == org.id && h.target_account == account.id && is_open(h, now))
    {
        return Err(CoreError::DuplicateHandshake);
    }
    if super::accounts::quota_used(state, org, now) >= super::accounts::MAX_ACCOUNTS {
        return Err(CoreError::HandshakeConstraintViolation(
            HandshakeConstraintReason::AccountNumberLimitExceeded,
        ));
    }
    let id = super::fresh_id("h-", 16, |id| state.handshake(id).is_some());
    let record = HandshakeRecord {
        id,
        org: org.id.clone(),
        management: org.management.clone(),
        action: "INVITE".to_owned(),
        target: (target.party_type.as_str().to_owned(), target.id.clone()),
        target_account: account.id.clone(),
        state: "REQUESTED".to_owned(),
        requested: now,
        expires: now + INVITE_LIFETIME,
        notes: input.notes.clone(),
        parent: None,
        transfer: None,
    };
    txn.put(&record)?;
    Ok(record)
}

/// A handshake the caller is a party to (the recipient or the sending organization's
/// management account), or `HandshakeNotFoundException`.
pub fn visible<'s>(
    state: &'s State,
    account: &AccountId,
    id: &str,
) -> Result<&'s HandshakeRecord, CoreError> {
    match state.handshake(id) {
        Some(h) if &h.target_account == account || &h.management == account => Ok(h),
        _ => Err(CoreError::HandshakeNotFound),
    }
}

/// Moves a handshake to `to`, checking who may and from which state (§4.3).
fn transition(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    id: &str,
    to: &str,
    now: i64,
) -> Result<HandshakeRecord, CoreError> {
    let mut record = visible(txn.state(), account, id)?.clone();
    let by_recipient = &record.target_account == account;
    // Only the sender cancels (it may also be the recipient of its own request to enable
    // all features); only the recipient answers.
    let allowed = if to == "CANCELED" {
        &record.management == account
    } else {
        by_recipient
    };
    if !allowed {
        return Err(super::access_denied());
    }
    let current = state_at(&record, now).to_owned();
    if current == to {
        return Err(CoreError::HandshakeAlreadyInState);
    }
    if current != "REQUESTED" && current != "OPEN" {
        return Err(CoreError::InvalidHandshakeTransition);
    }
    to.clone_into(&mut record.state);
    txn.put(&record)?;
    Ok(record)
}

/// Accepts a handshake; the other kinds than invitations are carried out by their owners.
fn accept(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    id: &str,
    now: i64,
) -> Result<HandshakeRecord, CoreError> {
    let found = visible(txn.state(), account, id)?.clone();
    match found.action.as_str() {
        super::features::ENABLE | super::features::APPROVE => {
            super::features::may_accept(&found, account, now)?;
            let record = transition(txn, account, id, "ACCEPTED", now)?;
            super::features::on_accepted(txn, &record, now)?;
            Ok(record)
        }
        super::transfers::ACTION => {
            let record = transition(txn, account, id, "ACCEPTED", now)?;
            super::transfers::on_answered(txn, &record)?;
            Ok(record)
        }
        _ => join(txn, account, &found, now),
    }
}

/// Accepts an invitation: the invited account joins, under the root (no role is created).
fn join(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    found: &HandshakeRecord,
    now: i64,
) -> Result<HandshakeRecord, CoreError> {
    let id = found.id.as_str();
    if &found.target_account != account {
        return Err(super::access_denied());
    }
    if txn.state().org_member(account).is_some() {
        return Err(CoreError::HandshakeConstraintViolation(
            HandshakeConstraintReason::AlreadyInAnOrganization,
        ));
    }
    let record = transition(txn, account, id, "ACCEPTED", now)?;
    let org = txn
        .state()
        .organization(&record.org)
        .map(|o| crate::model::OrganizationRecord::clone(o))
        .ok_or(CoreError::InvitingOrganizationGone)?;
    let member = OrgAccountRecord {
        org: org.id.clone(),
        account: account.clone(),
        parent: org.root_id.clone(),
        joined_method: "INVITED".to_owned(),
        joined: now,
        state: "ACTIVE".to_owned(),
        policies: super::default_attachments(&org),
        tags: vec![],
    };
    put_member(txn, &member)?;
    Ok(record)
}

/// Deletes the handshakes that are no longer listed (completed or expired more than 30
/// days before `now`): AWS deletes them then, and they are no longer accessible. A
/// responsibility transfer's handshake stays with its transfer. Returns how many.
pub fn drop_unlisted(txn: &mut WriteTxn<'_>, now: i64) -> Result<usize, CoreError> {
    let spent: Vec<String> = txn
        .state()
        .handshakes()
        .filter(|h| h.transfer.is_none() && !listed(h, now))
        .map(|h| h.id.clone())
        .collect();
    for id in &spent {
        txn.delete::<HandshakeRecord>(id)?;
    }
    Ok(spent.len())
}

/// Whether a handshake is still listed: open, or completed less than 30 days ago.
fn listed(record: &HandshakeRecord, now: i64) -> bool {
    is_open(record, now) || now < record.expires.max(record.requested) + LISTED_AFTER_COMPLETION
}

/// Whether a handshake passes a `ListHandshakesFor…` filter.
fn matches(record: &HandshakeRecord, filter: Option<&wire::HandshakeFilter>) -> bool {
    filter
        .and_then(|f| f.action_type)
        .is_none_or(|action| action.as_str() == record.action)
}

#[cfg(test)]
mod tests {
    use rampart_wire::ErrorCode;
    use serde_json::json;

    use super::super::testing::{NOW, account, failure, organization, run};
    use super::*;
    use crate::engine::Engine;

    fn invite_by_email(engine: &Engine, management: &AccountId, email: &str) -> String {
        let input = json!({"Target": {"Id": email, "Type": "EMAIL"}});
        match run(engine, management, "InviteAccountToOrganization", input).unwrap() {
            Output::InviteAccountToOrganization(out) => out.handshake.id,
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn handshakes_are_deleted_thirty_days_after_they_complete() {
        let (engine, management) = organization();
        let guest = account(&engine, "guest@example.com");
        account(&engine, "later@example.com");
        let declined = invite_by_email(&engine, &management, "guest@example.com");
        run(
            &engine,
            &guest,
            "DeclineHandshake",
            json!({"HandshakeId": declined}),
        )
        .unwrap();
        let open = invite_by_email(&engine, &management, "later@example.com");
        let sweep = |now| engine.write(|txn| drop_unlisted(txn, now)).unwrap();
        assert_eq!(sweep(NOW), 0, "still listed");
        // Past the invitations' 15 days and then 30 more: both are spent (the open one
        // expired), and both go.
        let later = NOW + INVITE_LIFETIME + LISTED_AFTER_COMPLETION + 1;
        assert_eq!(sweep(later), 2);
        for id in [declined, open] {
            let got = failure(run(
                &engine,
                &management,
                "DescribeHandshake",
                json!({"HandshakeId": id}),
            ));
            assert_eq!(got.0, ErrorCode::HandshakeNotFoundException);
        }
    }

    #[test]
    fn an_accepted_invitation_joins_under_the_root_and_cannot_be_accepted_again() {
        let (engine, management) = organization();
        let guest = account(&engine, "guest@example.com");
        let id = invite_by_email(&engine, &management, "guest@example.com");
        let accept = json!({"HandshakeId": id});
        run(&engine, &guest, "AcceptHandshake", accept.clone()).unwrap();
        let state = engine.snapshot();
        let (org, membership) = state.org_of(&guest).unwrap();
        assert_eq!(membership.parent, org.root_id);
        assert_eq!(membership.joined_method, "INVITED");
        let got = failure(run(&engine, &guest, "AcceptHandshake", accept));
        assert_eq!(
            got,
            (
                ErrorCode::HandshakeConstraintViolationException,
                Some("ALREADY_IN_AN_ORGANIZATION")
            )
        );
    }

    #[test]
    fn only_the_recipient_answers_and_only_the_sender_cancels() {
        let (engine, management) = organization();
        let guest = account(&engine, "guest@example.com");
        let id = invite_by_email(&engine, &management, "guest@example.com");
        let input = json!({"HandshakeId": id});
        let got = failure(run(&engine, &management, "AcceptHandshake", input.clone()));
        assert_eq!(got.0, ErrorCode::AccessDenied);
        let got = failure(run(&engine, &guest, "CancelHandshake", input.clone()));
        assert_eq!(got.0, ErrorCode::AccessDenied);
        run(&engine, &guest, "DeclineHandshake", input.clone()).unwrap();
        let got = failure(run(&engine, &guest, "DeclineHandshake", input.clone()));
        assert_eq!(got.0, ErrorCode::HandshakeAlreadyInStateException);
        let got = failure(run(&engine, &management, "CancelHandshake", input));
        assert_eq!(got.0, ErrorCode::InvalidHandshakeTransitionException);
    }

    #[test]
    fn a_second_open_invitation_is_a_duplicate_and_strangers_do_not_see_it() {
        let (engine, management) = organization();
        account(&engine, "guest@example.com");
        let stranger = account(&engine, "stranger@example.com");
        let id = invite_by_email(&engine, &management, "guest@example.com");
        let input = json!({"Target": {"Id": "guest@example.com", "Type": "EMAIL"}});
        let got = failure(run(
            &engine,
            &management,
            "InviteAccountToOrganization",
            input,
        ));
        assert_eq!(got.0, ErrorCode::DuplicateHandshakeException);
        let got = failure(run(
            &engine,
            &stranger,
            "DescribeHandshake",
            json!({"HandshakeId": id}),
        ));
        assert_eq!(got.0, ErrorCode::HandshakeNotFoundException);
    }

    #[test]
    fn inviting_a_member_or_nobody_is_refused() {
        let (engine, management) = organization();
        let input = json!({"Target": {"Id": management.as_str(), "Type": "ACCOUNT"}});
        let got = failure(run(
            &engine,
            &management,
            "InviteAccountToOrganization",
            input,
        ));
        assert_eq!(got.1, Some("ALREADY_IN_AN_ORGANIZATION"));
        let input = json!({"Target": {"Id": "nobody@example.com", "Type": "EMAIL"}});
        let got = failure(run(
            &engine,
            &management,
            "InviteAccountToOrganization",
            input,
        ));
        assert_eq!(
            got,
            (
                ErrorCode::InvalidInputException,
                Some("INVALID_PARTY_TYPE_TARGET")
            )
        );
    }

    #[test]
    fn an_invitation_past_its_lifetime_reads_as_expired() {
        let (engine, management) = organization();
        account(&engine, "guest@example.com");
        let id = invite_by_email(&engine, &management, "guest@example.com");
        let state = engine.snapshot();
        let record = state.handshake(&id).unwrap();
        assert_eq!(state_at(record, NOW), "REQUESTED");
        assert_eq!(state_at(record, NOW + INVITE_LIFETIME), "EXPIRED");
        assert!(!is_open(record, NOW + INVITE_LIFETIME));
    }
}
