//! Responsibility transfers (billing) between two organizations: the management account of
//! one organization invites another organization's management account to designate it with
//! a responsibility (`BILLING`) for the invited organization
//! (`InviteOrganizationToTransferResponsibility`; the invitation is a
//! `TRANSFER_RESPONSIBILITY` handshake that only the invited management account answers).
//! The inviting side is the transfer's **target** and sees it as *inbound*; the invited side
//! is its **source** and sees it as *outbound* (Organizations API reference:
//! ResponsibilityTransfer, ListInboundResponsibilityTransfers,
//! ListOutboundResponsibilityTransfers). A transfer starts at the beginning of a month and
//! ends, when terminated, at the end of one (`InvalidInputException` reasons
//! `START_DATE_NOT_BEGINNING_OF_MONTH`, `END_DATE_NOT_END_OF_MONTH`).
//!
//! Statuses: `REQUESTED` while the handshake is open (`EXPIRED` once it lapses), then the
//! handshake's answer `ACCEPTED`, `DECLINED` or `CANCELED`; an accepted transfer that is
//! terminated is `WITHDRAWN`.

use rampart_wire::Timestamp;
use rampart_wire::organizations::{self as wire, Output};

use super::{Execution, OrgCtx, page};
use crate::engine::WriteTxn;
use crate::error::{CoreError, HandshakeConstraintReason, InvalidInputReason};
use crate::model::{AccountId, HandshakeRecord, ResponsibilityTransferRecord};
use crate::state::State;

/// The handshake action of a transfer invitation.
pub const ACTION: &str = "TRANSFER_RESPONSIBILITY";
/// A transfer invitation lives 15 days, as an invitation to join does.
const LIFETIME: i64 = 15 * 86_400;

/// `InviteOrganizationToTransferResponsibility`, by a management account.
pub fn invite_organization_to_transfer_responsibility(
    cx: &Execution<'_>,
    input: &wire::InviteOrganizationToTransferResponsibilityInput,
) -> Result<Output, CoreError> {
    check_start(input.start_timestamp.0, cx.now)?;
    let tags = super::tags::from_wire(input.tags.as_deref())?;
    let record = cx.write_in_org(|txn, ctx| invite(txn, ctx, input, tags.clone(), cx.now))?;
    Ok(wire::InviteOrganizationToTransferResponsibilityOutput {
        handshake: super::handshakes::to_wire(&cx.written(), &record, cx.now),
    }
    .into())
}

/// `DescribeResponsibilityTransfer`, by either side's management account.
pub fn describe_responsibility_transfer(
    cx: &Execution<'_>,
    input: &wire::DescribeResponsibilityTransferInput,
) -> Result<Output, CoreError> {
    let ctx = management(cx)?;
    let record = visible(cx.state(), &ctx, &input.id)?;
    Ok(wire::DescribeResponsibilityTransferOutput {
        responsibility_transfer: to_wire(cx.state(), record, &ctx.member.account, cx.now),
    }
    .into())
}

/// `UpdateResponsibilityTransfer`: renames the transfer.
pub fn update_responsibility_transfer(
    cx: &Execution<'_>,
    input: &wire::UpdateResponsibilityTransferInput,
) -> Result<Output, CoreError> {
    let ctx = management(cx)?;
    let record = cx.write(|txn| {
        let mut record = visible(txn.state(), &ctx, &input.id)?.clone();
        record.name.clone_from(&input.name);
        txn.put(&record)?;
        Ok(record)
    })?;
    Ok(wire::UpdateResponsibilityTransferOutput {
        responsibility_transfer: to_wire(&cx.written(), &record, &ctx.member.account, cx.now),
    }
    .into())
}

/// `TerminateResponsibilityTransfer`: an accepted transfer ends (at the end of this month
/// unless `EndTimestamp` says which month).
pub fn terminate_responsibility_transfer(
    cx: &Execution<'_>,
    input: &wire::TerminateResponsibilityTransferInput,
) -> Result<Output, CoreError> {
    let ctx = management(cx)?;
    let record = cx.write(|txn| {
        let mut record = visible(txn.state(), &ctx, &input.id)?.clone();
        match status(txn.state(), &record, cx.now) {
            "ACCEPTED" => {}
            "WITHDRAWN" => return Err(CoreError::ResponsibilityTransferAlreadyInStatus),
            _ => return Err(CoreError::InvalidResponsibilityTransferTransition),
        }
        let end = match input.end_timestamp {
            Some(Timestamp(end)) => end,
            None => end_of_month(cx.now),
        };
        check_end(end, record.start, cx.now)?;
        record.end = Some(end);
        "WITHDRAWN".clone_into(&mut record.status);
        txn.put(&record)?;
        Ok(record)
    })?;
    Ok(wire::TerminateResponsibilityTransferOutput {
        responsibility_transfer: to_wire(&cx.written(), &record, &ctx.member.account, cx.now),
    }
    .into())
}

/// `ListInboundResponsibilityTransfers`: the transfers the caller's organization manages.
pub fn list_inbound_responsibility_transfers(
    cx: &Execution<'_>,
    input: &wire::ListInboundResponsibilityTransfersInput,
) -> Result<Output, CoreError> {
    let ctx = management(cx)?;
    let me = &ctx.member.account;
    if let Some(id) = &input.id
        && cx
            .state()
            .responsibility_transfer(id)
            .is_none_or(|t| &t.target != me)
    {
        return Err(CoreError::ResponsibilityTransferNotFound);
    }
    let (responsibility_transfers, next_token) = list(
        cx,
        me,
        |t| &t.target == me && input.id.as_ref().is_none_or(|id| id == &t.id),
        input.next_token.as_deref(),
        input.max_results,
    )?;
    Ok(wire::ListInboundResponsibilityTransfersOutput {
        responsibility_transfers,
        next_token,
    }
    .into())
}

/// `ListOutboundResponsibilityTransfers`: the transfers of the caller's organization's own
/// responsibilities to another organization.
pub fn list_outbound_responsibility_transfers(
    cx: &Execution<'_>,
    input: &wire::ListOutboundResponsibilityTransfersInput,
) -> Result<Output, CoreError> {
    let ctx = management(cx)?;
    let me = &ctx.member.account;
    let (responsibility_transfers, next_token) = list(
        cx,
        me,
        |t| &t.source == me,
        input.next_token.as_deref(),
        input.max_results,
    )?;
    Ok(wire::ListOutboundResponsibilityTransfersOutput {
        responsibility_transfers,
        next_token,
    }
    .into())
}

/// After the transfer's handshake was accepted, declined or canceled: the transfer takes
/// the answer as its status. Other handshakes are left alone.
pub fn on_answered(txn: &mut WriteTxn<'_>, handshake: &HandshakeRecord) -> Result<(), CoreError> {
    let Some(id) = &handshake.transfer else {
        return Ok(());
    };
    let Some(mut record) = txn
        .state()
        .responsibility_transfer(id)
        .map(|t| ResponsibilityTransferRecord::clone(t))
    else {
        return Ok(());
    };
    record.status.clone_from(&handshake.state);
    txn.put(&record)
}

/// Whether `account` takes part in a transfer that is requested or in force (its
/// organization cannot be deleted meanwhile).
pub fn in_progress(state: &State, account: &AccountId, now: i64) -> bool {
    state.responsibility_transfers().any(|t| {
        (&t.source == account || &t.target == account)
            && matches!(status(state, t, now), "REQUESTED" | "ACCEPTED")
    })
}

/// The caller's organization, the caller being its management account.
fn management(cx: &Execution<'_>) -> Result<OrgCtx, CoreError> {
    let ctx = cx.member()?;
    ctx.require_management()?;
    Ok(ctx)
}

/// A transfer the caller's organization is a side of, or `ResponsibilityTransferNotFoundException`.
fn visible<'s>(
    state: &'s State,
    ctx: &OrgCtx,
    id: &str,
) -> Result<&'s ResponsibilityTransferRecord, CoreError> {
    let me = &ctx.member.account;
    match state.responsibility_transfer(id) {
        Some(t) if &t.source == me || &t.target == me => Ok(t),
        _ => Err(CoreError::ResponsibilityTransferNotFound),
    }
}

/// The status as of `now` (a lapsed invitation reads `EXPIRED`).
fn status<'s>(state: &State, record: &'s ResponsibilityTransferRecord, now: i64) -> &'s str {
    let lapsed = state
        .handshake(&record.handshake)
        .is_some_and(|h| super::handshakes::state_at(h, now) == "EXPIRED");
    if record.status == "REQUESTED" && lapsed {
        "EXPIRED"
    } else {
        &record.status
    }
}

/// One page of the transfers passing `keep`, as `viewer` sees them.
fn list(
    cx: &Execution<'_>,
    viewer: &AccountId,
    keep: impl Fn(&ResponsibilityTransferRecord) -> bool,
    next_token: Option<&str>,
    max_results: Option<i32>,
) -> Result<(Vec<wire::ResponsibilityTransfer>, Option<String>), CoreError> {
    let state = cx.state();
    let all: Vec<_> = state
        .responsibility_transfers()
        .filter(|t| keep(t))
        .map(|t| to_wire(state, t, viewer, cx.now))
        .collect();
    page(all, next_token, max_results, |t| t.id.clone())
}

/// The wire transfer as `viewer` sees it (inbound for the target, outbound for the source).
fn to_wire(
    state: &State,
    record: &ResponsibilityTransferRecord,
    viewer: &AccountId,
    now: i64,
) -> wire::ResponsibilityTransfer {
    let participant = |account: &AccountId| wire::TransferParticipant {
        management_account_id: account.as_str().to_owned(),
        management_account_email: state
            .account(account)
            .map(|a| a.email.clone())
            .unwrap_or_default(),
    };
    let (org, direction) = if viewer == &record.target {
        (&record.target_org, "inbound")
    } else {
        (&record.source_org, "outbound")
    };
    let status = status(state, record, now);
    let active = state
        .handshake(&record.handshake)
        .filter(|h| super::handshakes::is_open(h, now))
        .map(|h| h.id.clone());
    wire::ResponsibilityTransfer {
        arn: format!(
            "arn:aws:organizations::{viewer}:transfer/{org}/billing/{direction}/{}",
            record.id
        ),
        name: record.name.clone(),
        id: record.id.clone(),
        transfer_type: wire::ResponsibilityTransferType::Billing,
        status: wire::ResponsibilityTransferStatus::from_wire(status).unwrap_or_default(),
        source: participant(&record.source),
        target: participant(&record.target),
        start_timestamp: Timestamp(record.start),
        end_timestamp: record.end.map(Timestamp),
        active_handshake_id: active,
    }
}

/// Records the transfer and its invitation.
fn invite(
    txn: &mut WriteTxn<'_>,
    ctx: &OrgCtx,
    input: &wire::InviteOrganizationToTransferResponsibilityInput,
    tags: Vec<crate::model::Tag>,
    now: i64,
) -> Result<HandshakeRecord, CoreError> {
    ctx.require_management()?;
    let state = txn.state();
    let target = &input.target;
    let invited = match target.party_type {
        wire::HandshakePartyType::Account => {
            AccountId::parse(&target.id).and_then(|a| state.account(&a))
        }
        wire::HandshakePartyType::Email => state
            .accounts()
            .find(|a| a.email.eq_ignore_ascii_case(&target.id)),
        wire::HandshakePartyType::Organization => None,
    }
    .map(|a| a.id.clone())
    .ok_or(CoreError::InvalidOrganizationsInput(
        InvalidInputReason::InvalidPartyTypeTarget,
    ))?;
    let me = &ctx.org.management;
    if &invited == me {
        return Err(CoreError::HandshakeConstraintViolation(
            HandshakeConstraintReason::SourceAndTargetCannotMatch,
        ));
    }
    // Only another organization's management account can hand a responsibility over.
    let source_org = match state.org_of(&invited) {
        Some((org, _)) if org.management == invited => org.id.clone(),
        _ => {
            return Err(CoreError::InvalidOrganizationsInput(
                InvalidInputReason::InvalidPartyTypeTarget,
            ));
        }
    };
    let between = |t: &ResponsibilityTransferRecord| {
        (t.source == invited && &t.target == me) || (&t.source == me && t.target == invited)
    };
    if state
        .responsibility_transfers()
        .any(|t| between(t) && matches!(status(state, t, now), "REQUESTED" | "ACCEPTED"))
    {
        return Err(CoreError::HandshakeConstraintViolation(
            HandshakeConstraintReason::ResponsibilityTransferAlreadyExists,
        ));
    }
    let id = super::fresh_id("rt-", 16, |id| state.responsibility_transfer(id).is_some());
    let handshake = HandshakeRecord {
        id: super::fresh_id("h-", 16, |id| state.handshake(id).is_some()),
        org: ctx.org.id.clone(),
        management: me.clone(),
        action: ACTION.to_owned(),
        target: (target.party_type.as_str().to_owned(), target.id.clone()),
        target_account: invited.clone(),
        state: "REQUESTED".to_owned(),
        requested: now,
        expires: now + LIFETIME,
        notes: input.notes.clone(),
        parent: None,
        transfer: Some(id.clone()),
    };
    let record = ResponsibilityTransferRecord {
        id,
        name: input.source_name.clone(),
        transfer_type: input.transfer_type.as_str().to_owned(),
        status: "REQUESTED".to_owned(),
        target_org: ctx.org.id.clone(),
        target: me.clone(),
        source: invited,
        source_org,
        start: input.start_timestamp.0,
        end: None,
        handshake: handshake.id.clone(),
        tags,
    };
    txn.put(&record)?;
    txn.put(&handshake)?;
    Ok(handshake)
}

/// A start is the first instant of a month, not in the past.
fn check_start(start: i64, now: i64) -> Result<(), CoreError> {
    let invalid = |reason| Err(CoreError::InvalidOrganizationsInput(reason));
    if !Timestamp(start).to_iso8601().ends_with("-01T00:00:00Z") {
        return invalid(InvalidInputReason::StartDateNotBeginningOfMonth);
    }
    if start < now {
        return invalid(InvalidInputReason::StartDateTooEarly);
    }
    Ok(())
}

/// An end is the last second of a month, after the start and not in the past.
fn check_end(end: i64, start: i64, now: i64) -> Result<(), CoreError> {
    let invalid = |reason| Err(CoreError::InvalidOrganizationsInput(reason));
    if !Timestamp(end.saturating_add(1))
        .to_iso8601()
        .ends_with("-01T00:00:00Z")
    {
        return invalid(InvalidInputReason::EndDateNotEndOfMonth);
    }
    if end < start || end < now {
        return invalid(InvalidInputReason::EndDateTooEarly);
    }
    Ok(())
}

/// The last second of the month `now` falls in.
fn end_of_month(now: i64) -> i64 {
    let iso = Timestamp(now).to_iso8601();
    let year: i64 = iso.get(0..4).and_then(|y| y.parse().ok()).unwrap_or(1970);
    let month: i64 = iso.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(1);
    let (y, m) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    Timestamp::parse_iso8601(&format!("{y:04}-{m:02}-01T00:00:00Z")).map_or(now, |t| t.0 - 1)
}

#[cfg(test)]
mod tests {
    use rampart_wire::ErrorCode;
    use serde_json::json;

    use super::super::testing::{NOW, account, failure, member, organization, run};
    use super::*;
    use crate::engine::Engine;

    /// 2023-12-01T00:00:00Z, the first month start after `NOW` (2023-11-14).
    const DECEMBER: i64 = 1_701_388_800;

    /// Two organizations on one engine: (engine, inviting management, invited management).
    fn two_orgs() -> (Engine, AccountId, AccountId) {
        let (engine, payer) = organization();
        let other = account(&engine, "other@example.com");
        run(&engine, &other, "CreateOrganization", json!({})).unwrap();
        (engine, payer, other)
    }

    fn invite(
        engine: &Engine,
        from: &AccountId,
        to: &AccountId,
        start: i64,
    ) -> Result<Output, CoreError> {
        let input = json!({"Type": "BILLING", "Target": {"Id": to.as_str(), "Type": "ACCOUNT"},
            "StartTimestamp": start, "SourceName": "Payer"});
        run(
            engine,
            from,
            "InviteOrganizationToTransferResponsibility",
            input,
        )
    }

    fn inbound(engine: &Engine, account: &AccountId) -> Vec<wire::ResponsibilityTransfer> {
        let Output::ListInboundResponsibilityTransfers(out) = run(
            engine,
            account,
            "ListInboundResponsibilityTransfers",
            json!({"Type": "BILLING"}),
        )
        .unwrap() else {
            panic!("wrong output")
        };
        out.responsibility_transfers
    }

    fn outbound(engine: &Engine, account: &AccountId) -> Vec<wire::ResponsibilityTransfer> {
        let Output::ListOutboundResponsibilityTransfers(out) = run(
            engine,
            account,
            "ListOutboundResponsibilityTransfers",
            json!({"Type": "BILLING"}),
        )
        .unwrap() else {
            panic!("wrong output")
        };
        out.responsibility_transfers
    }

    #[test]
    fn an_accepted_transfer_is_inbound_for_the_inviter_and_outbound_for_the_invited() {
        let (engine, payer, other) = two_orgs();
        let Output::InviteOrganizationToTransferResponsibility(out) =
            invite(&engine, &payer, &other, DECEMBER).unwrap()
        else {
            panic!("wrong output")
        };
        assert_eq!(
            out.handshake.action,
            wire::ActionType::TransferResponsibility
        );
        let mine = inbound(&engine, &payer);
        assert_eq!(mine.len(), 1);
        assert_eq!(
            mine[0].status,
            wire::ResponsibilityTransferStatus::Requested
        );
        assert_eq!(
            mine[0].active_handshake_id.as_deref(),
            Some(out.handshake.id.as_str())
        );
        assert!(mine[0].arn.contains("/billing/inbound/rt-"));
        assert_eq!(mine[0].target.management_account_id, payer.as_str());
        assert_eq!(mine[0].source.management_account_id, other.as_str());
        let got = failure(invite(&engine, &payer, &other, DECEMBER));
        assert_eq!(got.1, Some("RESPONSIBILITY_TRANSFER_ALREADY_EXISTS"));
        // The inviter cannot answer its own invitation; the invited one accepts.
        let answer = json!({"HandshakeId": out.handshake.id});
        let got = failure(run(&engine, &payer, "AcceptHandshake", answer.clone()));
        assert_eq!(got.0, ErrorCode::AccessDenied);
        run(&engine, &other, "AcceptHandshake", answer).unwrap();
        let theirs = outbound(&engine, &other);
        assert_eq!(theirs.len(), 1);
        assert_eq!(
            theirs[0].status,
            wire::ResponsibilityTransferStatus::Accepted
        );
        assert!(theirs[0].arn.contains("/billing/outbound/"));
        assert!(theirs[0].active_handshake_id.is_none());
        // Renamed, then terminated at the end of the month; neither organization may be
        // deleted while it is in force.
        let id = theirs[0].id.clone();
        let tag = json!({"ResourceId": id, "Tags": [{"Key": "cost", "Value": "shared"}]});
        run(&engine, &other, "TagResource", tag).unwrap();
        let Output::ListTagsForResource(tags) = run(
            &engine,
            &payer,
            "ListTagsForResource",
            json!({"ResourceId": id}),
        )
        .unwrap() else {
            panic!("wrong output")
        };
        assert_eq!(tags.tags.len(), 1);
        let rename = json!({"Id": id, "Name": "Renamed"});
        run(&engine, &payer, "UpdateResponsibilityTransfer", rename).unwrap();
        let got = failure(run(&engine, &other, "DeleteOrganization", json!({})));
        assert_eq!(got.1, Some("ACTIVE_RESPONSIBILITY_TRANSFER_PROCESS"));
        let bad_end = json!({"Id": id, "EndTimestamp": DECEMBER + 86_400});
        let got = failure(run(
            &engine,
            &payer,
            "TerminateResponsibilityTransfer",
            bad_end,
        ));
        assert_eq!(got.1, Some("END_DATE_NOT_END_OF_MONTH"));
        let end = json!({"Id": id, "EndTimestamp": DECEMBER + 31 * 86_400 - 1});
        let Output::TerminateResponsibilityTransfer(done) = run(
            &engine,
            &payer,
            "TerminateResponsibilityTransfer",
            end.clone(),
        )
        .unwrap() else {
            panic!("wrong output")
        };
        assert_eq!(done.responsibility_transfer.name, "Renamed");
        assert_eq!(
            done.responsibility_transfer.status,
            wire::ResponsibilityTransferStatus::Withdrawn
        );
        let got = failure(run(&engine, &other, "TerminateResponsibilityTransfer", end));
        assert_eq!(
            got.0,
            ErrorCode::ResponsibilityTransferAlreadyInStatusException
        );
        run(&engine, &other, "DeleteOrganization", json!({})).unwrap();
    }

    #[test]
    fn invitations_need_a_month_start_another_management_account_and_a_party() {
        let (engine, payer, other) = two_orgs();
        let got = failure(invite(&engine, &payer, &other, DECEMBER + 3600));
        assert_eq!(got.1, Some("START_DATE_NOT_BEGINNING_OF_MONTH"));
        let got = failure(invite(&engine, &payer, &other, DECEMBER - 30 * 86_400));
        assert_eq!(got.1, Some("START_DATE_TOO_EARLY"));
        let got = failure(invite(&engine, &payer, &payer, DECEMBER));
        assert_eq!(got.1, Some("SOURCE_AND_TARGET_CANNOT_MATCH"));
        let dev = member(&engine, &payer, "dev@example.com");
        let got = failure(invite(&engine, &payer, &dev, DECEMBER));
        assert_eq!(got.1, Some("INVALID_PARTY_TYPE_TARGET"));
        let got = failure(invite(&engine, &dev, &other, DECEMBER));
        assert_eq!(got.0, ErrorCode::AccessDenied);
        // A stranger to the transfer does not find it; a declined one cannot be terminated.
        let Output::InviteOrganizationToTransferResponsibility(out) =
            invite(&engine, &payer, &other, DECEMBER).unwrap()
        else {
            panic!("wrong output")
        };
        let answer = json!({"HandshakeId": out.handshake.id});
        run(&engine, &other, "DeclineHandshake", answer).unwrap();
        let id = inbound(&engine, &payer)[0].id.clone();
        let third = account(&engine, "third@example.com");
        run(&engine, &third, "CreateOrganization", json!({})).unwrap();
        let got = failure(run(
            &engine,
            &third,
            "DescribeResponsibilityTransfer",
            json!({"Id": id}),
        ));
        assert_eq!(got.0, ErrorCode::ResponsibilityTransferNotFoundException);
        let got = failure(run(
            &engine,
            &payer,
            "TerminateResponsibilityTransfer",
            json!({"Id": id}),
        ));
        assert_eq!(
            got.0,
            ErrorCode::InvalidResponsibilityTransferTransitionException
        );
        assert_eq!(end_of_month(NOW), DECEMBER - 1);
    }
}
