//! `EnableAllFeatures` and its handshakes (organizations.md §2; Organizations API reference,
//! EnableAllFeatures and AcceptHandshake). An organization created with consolidated billing
//! only moves to all features in three steps:
//!
//! 1. the management account calls `EnableAllFeatures`: the answer is the request, an
//!    `ENABLE_ALL_FEATURES` handshake addressed to the organization, and every **invited**
//!    member receives an `ENABLE_ALL_FEATURES` handshake of its own (accounts created by the
//!    organization agreed when they were created);
//! 2. each of those members accepts (or declines) its handshake; when every one has accepted,
//!    the request turns `OPEN` and the management account receives `APPROVE_ALL_FEATURES`;
//! 3. the management account accepts `APPROVE_ALL_FEATURES` (or the open request itself) and
//!    the feature set becomes `ALL`. Policy types stay disabled until `EnablePolicyType`.
//!
//! Meanwhile no invitation may be sent (`INVITE_DISABLED_DURING_ENABLE_ALL_FEATURES`);
//! cancelling the request cancels the members' handshakes. Handshakes live 90 days.

use rampart_wire::organizations::{self as wire, Output};

use super::{Execution, OrgCtx, put_org};
use crate::engine::WriteTxn;
use crate::error::{CoreError, HandshakeConstraintReason};
use crate::model::{AccountId, HandshakeRecord, OrganizationRecord};
use crate::state::State;

/// `ENABLE_ALL_FEATURES` handshakes live 90 days (organizations.md §9).
const LIFETIME: i64 = 90 * 86_400;
/// The action of the request and of the members' handshakes.
pub const ENABLE: &str = "ENABLE_ALL_FEATURES";
/// The action of the management account's final confirmation.
pub const APPROVE: &str = "APPROVE_ALL_FEATURES";

/// `EnableAllFeatures`, by the management account.
pub fn enable_all_features(
    cx: &Execution<'_>,
    _input: &wire::EnableAllFeaturesInput,
) -> Result<Output, CoreError> {
    let record = cx.write_in_org(|txn, ctx| start(txn, ctx, cx.now))?;
    Ok(wire::EnableAllFeaturesOutput {
        handshake: super::handshakes::to_wire(&cx.written(), &record, cx.now),
    }
    .into())
}

/// The open request of organization `org` to enable all features, if any.
pub fn pending<'s>(state: &'s State, org: &str, now: i64) -> Option<&'s HandshakeRecord> {
    state
        .handshakes()
        .find(|h| {
            h.org == org
                && h.action == ENABLE
                && h.parent.is_none()
                && super::handshakes::is_open(h, now)
        })
        .map(AsRef::as_ref)
}

/// Sends the request and the members' handshakes.
fn start(txn: &mut WriteTxn<'_>, ctx: &OrgCtx, now: i64) -> Result<HandshakeRecord, CoreError> {
    ctx.require_management()?;
    let org = &ctx.org;
    if org.feature_set == "ALL" {
        return Err(CoreError::HandshakeConstraintViolation(
            HandshakeConstraintReason::OrganizationAlreadyHasAllFeatures,
        ));
    }
    if pending(txn.state(), &org.id, now).is_some() {
        return Err(CoreError::HandshakeConstraintViolation(
            HandshakeConstraintReason::OrganizationIsAlreadyPendingAllFeaturesMigration,
        ));
    }
    let request = handshake(
        txn.state(),
        org,
        ENABLE,
        ("ORGANIZATION", org.id.clone()),
        &org.management,
        None,
        now,
    );
    txn.put(&request)?;
    let invited: Vec<AccountId> = txn
        .state()
        .org_members(&org.id)
        .filter(|m| m.joined_method == "INVITED" && m.account != org.management)
        .map(|m| m.account.clone())
        .collect();
    for account in &invited {
        let target = ("ACCOUNT", account.as_str().to_owned());
        let to_member = handshake(
            txn.state(),
            org,
            ENABLE,
            target,
            account,
            Some(&request.id),
            now,
        );
        txn.put(&to_member)?;
    }
    if invited.is_empty() {
        return ready(txn, org, &request, now);
    }
    Ok(request)
}

/// A new `REQUESTED` handshake of `org`.
fn handshake(
    state: &State,
    org: &OrganizationRecord,
    action: &str,
    (target_type, target_id): (&str, String),
    recipient: &AccountId,
    parent: Option<&str>,
    now: i64,
) -> HandshakeRecord {
    HandshakeRecord {
        id: super::fresh_id("h-", 16, |id| state.handshake(id).is_some()),
        org: org.id.clone(),
        management: org.management.clone(),
        action: action.to_owned(),
        target: (target_type.to_owned(), target_id),
        target_account: recipient.clone(),
        state: "REQUESTED".to_owned(),
        requested: now,
        expires: now + LIFETIME,
        notes: None,
        parent: parent.map(str::to_owned),
        transfer: None,
    }
}

/// Every member agreed: the request opens and the management account gets the final
/// `APPROVE_ALL_FEATURES` handshake. Returns the request as stored.
fn ready(
    txn: &mut WriteTxn<'_>,
    org: &OrganizationRecord,
    request: &HandshakeRecord,
    now: i64,
) -> Result<HandshakeRecord, CoreError> {
    let mut request = request.clone();
    "OPEN".clone_into(&mut request.state);
    txn.put(&request)?;
    let approve = handshake(
        txn.state(),
        org,
        APPROVE,
        ("ACCOUNT", org.management.as_str().to_owned()),
        &org.management,
        Some(&request.id),
        now,
    );
    txn.put(&approve)?;
    Ok(request)
}

/// Whether `account` may accept `record` (checked before the transition): the members'
/// handshakes by their member, the final confirmation and the open request by the
/// management account only (AcceptHandshake: "Only the management account can accept …
/// APPROVE_ALL_FEATURES").
pub fn may_accept(
    record: &HandshakeRecord,
    account: &AccountId,
    now: i64,
) -> Result<(), CoreError> {
    let is_request = record.action == ENABLE && record.parent.is_none();
    if is_request && super::handshakes::state_at(record, now) == "REQUESTED" {
        // Members have not all agreed yet: nothing to finalize.
        return Err(CoreError::InvalidHandshakeTransition);
    }
    let by_management = &record.management == account;
    let needs_management = is_request || record.action == APPROVE;
    if needs_management != by_management {
        return Err(super::access_denied());
    }
    Ok(())
}

/// After `record` was accepted: a member's agreement may open the request; the final
/// confirmation switches the organization to all features.
pub fn on_accepted(
    txn: &mut WriteTxn<'_>,
    record: &HandshakeRecord,
    now: i64,
) -> Result<(), CoreError> {
    let Some(org) = txn
        .state()
        .organization(&record.org)
        .map(|o| OrganizationRecord::clone(o))
    else {
        return Err(CoreError::InvitingOrganizationGone);
    };
    let request_id = record.parent.clone().unwrap_or_else(|| record.id.clone());
    let Some(request) = txn
        .state()
        .handshake(&request_id)
        .map(|h| HandshakeRecord::clone(h))
    else {
        return Ok(());
    };
    if record.action == APPROVE || record.parent.is_none() {
        return finalize(txn, org, request);
    }
    let state = txn.state();
    let all_agreed = state
        .handshakes()
        .filter(|h| h.action == ENABLE && h.parent.as_deref() == Some(request_id.as_str()))
        .filter(|h| {
            state
                .org_member(&h.target_account)
                .is_some_and(|m| m.org == org.id)
        })
        .all(|h| h.state == "ACCEPTED");
    if all_agreed && request.state == "REQUESTED" {
        ready(txn, &org, &request, now)?;
    }
    Ok(())
}

/// The organization gets all features; the request and the confirmation are accepted.
fn finalize(
    txn: &mut WriteTxn<'_>,
    mut org: OrganizationRecord,
    mut request: HandshakeRecord,
) -> Result<(), CoreError> {
    "ALL".clone_into(&mut org.feature_set);
    put_org(txn, &org)?;
    let approvals: Vec<HandshakeRecord> = txn
        .state()
        .handshakes()
        .filter(|h| h.action == APPROVE && h.parent.as_deref() == Some(request.id.as_str()))
        .map(|h| HandshakeRecord::clone(h))
        .collect();
    for mut approval in approvals {
        "ACCEPTED".clone_into(&mut approval.state);
        txn.put(&approval)?;
    }
    "ACCEPTED".clone_into(&mut request.state);
    txn.put(&request)
}

/// After the request was canceled: the handshakes still open under it are canceled too.
pub fn on_canceled(
    txn: &mut WriteTxn<'_>,
    record: &HandshakeRecord,
    now: i64,
) -> Result<(), CoreError> {
    if record.action != ENABLE || record.parent.is_some() {
        return Ok(());
    }
    let open: Vec<HandshakeRecord> = txn
        .state()
        .handshakes()
        .filter(|h| h.parent.as_deref() == Some(record.id.as_str()))
        .filter(|h| super::handshakes::is_open(h, now))
        .map(|h| HandshakeRecord::clone(h))
        .collect();
    for mut h in open {
        "CANCELED".clone_into(&mut h.state);
        txn.put(&h)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use rampart_wire::ErrorCode;
    use serde_json::json;

    use super::super::testing::{account, failure, run};
    use super::*;
    use crate::engine::Engine;

    /// A consolidated-billing organization with two invited members and one created one.
    fn billing_org() -> (Engine, AccountId, Vec<AccountId>) {
        let engine = Engine::in_memory();
        let management = account(&engine, "mgmt@example.com");
        let input = json!({"FeatureSet": "CONSOLIDATED_BILLING"});
        run(&engine, &management, "CreateOrganization", input).unwrap();
        let mut invited = Vec::new();
        for email in ["a@example.com", "b@example.com"] {
            let guest = account(&engine, email);
            let input = json!({"Target": {"Id": email, "Type": "EMAIL"}});
            let Output::InviteAccountToOrganization(out) =
                run(&engine, &management, "InviteAccountToOrganization", input).unwrap()
            else {
                panic!("wrong output")
            };
            let accept = json!({"HandshakeId": out.handshake.id});
            run(&engine, &guest, "AcceptHandshake", accept).unwrap();
            invited.push(guest);
        }
        let input = json!({"Email": "made@example.com", "AccountName": "Made"});
        run(&engine, &management, "CreateAccount", input).unwrap();
        (engine, management, invited)
    }

    fn handshakes(engine: &Engine, account: &AccountId, action: &str) -> Vec<wire::Handshake> {
        let input = json!({"Filter": {"ActionType": action}});
        let Output::ListHandshakesForAccount(out) =
            run(engine, account, "ListHandshakesForAccount", input).unwrap()
        else {
            panic!("wrong output")
        };
        out.handshakes
    }

    fn feature_set(engine: &Engine, account: &AccountId) -> String {
        engine
            .snapshot()
            .org_of(account)
            .unwrap()
            .0
            .feature_set
            .clone()
    }

    #[test]
    fn all_features_arrive_only_after_every_invited_member_and_the_management_account_agree() {
        let (engine, management, invited) = billing_org();
        let Output::EnableAllFeatures(out) =
            run(&engine, &management, "EnableAllFeatures", json!({})).unwrap()
        else {
            panic!("wrong output")
        };
        assert_eq!(out.handshake.action, wire::ActionType::EnableAllFeatures);
        assert_eq!(out.handshake.state, wire::HandshakeState::Requested);
        let again = failure(run(&engine, &management, "EnableAllFeatures", json!({})));
        assert_eq!(
            again.1,
            Some("ORGANIZATION_IS_ALREADY_PENDING_ALL_FEATURES_MIGRATION")
        );
        // No invitations meanwhile.
        account(&engine, "late@example.com");
        let invite = json!({"Target": {"Id": "late@example.com", "Type": "EMAIL"}});
        let got = failure(run(
            &engine,
            &management,
            "InviteAccountToOrganization",
            invite,
        ));
        assert_eq!(got.1, Some("INVITE_DISABLED_DURING_ENABLE_ALL_FEATURES"));
        // The request cannot be finalized before the members agree.
        let request = json!({"HandshakeId": out.handshake.id});
        let got = failure(run(
            &engine,
            &management,
            "AcceptHandshake",
            request.clone(),
        ));
        assert_eq!(got.0, ErrorCode::InvalidHandshakeTransitionException);
        for (i, member) in invited.iter().enumerate() {
            let mine = handshakes(&engine, member, ENABLE);
            assert_eq!(mine.len(), 1);
            let id = json!({"HandshakeId": mine[0].id});
            let got = failure(run(&engine, &management, "AcceptHandshake", id.clone()));
            assert_eq!(got.0, ErrorCode::AccessDenied);
            run(&engine, member, "AcceptHandshake", id).unwrap();
            let approvals = handshakes(&engine, &management, APPROVE);
            assert_eq!(approvals.len(), i, "approval only once everyone agreed");
            assert_eq!(feature_set(&engine, &management), "CONSOLIDATED_BILLING");
        }
        let approval = &handshakes(&engine, &management, APPROVE)[0];
        let got = failure(run(
            &engine,
            &invited[0],
            "AcceptHandshake",
            json!({"HandshakeId": approval.id}),
        ));
        assert_eq!(got.0, ErrorCode::HandshakeNotFoundException);
        run(
            &engine,
            &management,
            "AcceptHandshake",
            json!({"HandshakeId": approval.id}),
        )
        .unwrap();
        assert_eq!(feature_set(&engine, &management), "ALL");
        let got = failure(run(&engine, &management, "EnableAllFeatures", json!({})));
        assert_eq!(got.1, Some("ORGANIZATION_ALREADY_HAS_ALL_FEATURES"));
    }

    #[test]
    fn a_decline_holds_the_change_until_the_request_is_canceled() {
        let (engine, management, invited) = billing_org();
        let Output::EnableAllFeatures(out) =
            run(&engine, &management, "EnableAllFeatures", json!({})).unwrap()
        else {
            panic!("wrong output")
        };
        let first = handshakes(&engine, &invited[0], ENABLE);
        run(
            &engine,
            &invited[0],
            "DeclineHandshake",
            json!({"HandshakeId": first[0].id}),
        )
        .unwrap();
        let second = handshakes(&engine, &invited[1], ENABLE);
        run(
            &engine,
            &invited[1],
            "AcceptHandshake",
            json!({"HandshakeId": second[0].id}),
        )
        .unwrap();
        assert!(handshakes(&engine, &management, APPROVE).is_empty());
        run(
            &engine,
            &management,
            "CancelHandshake",
            json!({"HandshakeId": out.handshake.id}),
        )
        .unwrap();
        assert_eq!(feature_set(&engine, &management), "CONSOLIDATED_BILLING");
        // A new request may start once the old one is canceled.
        run(&engine, &management, "EnableAllFeatures", json!({})).unwrap();
    }
}
