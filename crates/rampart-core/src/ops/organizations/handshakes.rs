//! Invitations as handshakes: invite, accept, decline, cancel, describe and list
//! (organizations.md §4.3). Expiry is not a stored transition: a `REQUESTED` handshake
//! past its expiry reads as `EXPIRED`.

use rampart_wire::organizations as wire;
use rampart_wire::{ErrorCode, Timestamp};

use super::{OrgCtx, put_member};
use crate::engine::WriteTxn;
use crate::error::CoreError;
use crate::model::{AccountId, HandshakeRecord, OrgAccountRecord, kind};
use crate::state::State;

/// An invitation lives 15 days.
const INVITE_LIFETIME: i64 = 15 * 86_400;
/// Completed handshakes stay listable 30 days.
const LISTED_AFTER_COMPLETION: i64 = 30 * 86_400;

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

fn not_found() -> CoreError {
    CoreError::org(
        ErrorCode::HandshakeNotFoundException,
        "We can't find a handshake with the HandshakeId that you specified.",
    )
}

/// The wire handshake.
pub fn to_wire(state: &State, record: &HandshakeRecord, now: i64) -> wire::Handshake {
    let org = state.organization(&record.org);
    let mgmt = state.account(&record.management);
    let (target_type, target_id) = &record.target;
    let party_type = if target_type == "EMAIL" {
        wire::HandshakePartyType::Email
    } else {
        wire::HandshakePartyType::Account
    };
    let sub = |resource_type, value: String| wire::HandshakeSubResource {
        value: Some(value),
        resource_type: Some(resource_type),
    };
    let mut resources = vec![wire::HandshakeResource {
        value: Some(record.org.clone()),
        resource_type: Some(wire::HandshakeResourceType::Organization),
        resources: vec![
            sub(
                wire::HandshakeResourceType::MasterEmail,
                mgmt.map(|a| a.email.clone()).unwrap_or_default(),
            ),
            sub(
                wire::HandshakeResourceType::MasterName,
                mgmt.map(|a| a.name.clone()).unwrap_or_default(),
            ),
            sub(
                wire::HandshakeResourceType::OrganizationFeatureSet,
                org.map(|o| o.feature_set.clone()).unwrap_or_default(),
            ),
        ],
    }];
    resources.push(wire::HandshakeResource {
        value: Some(target_id.clone()),
        resource_type: Some(if target_type == "EMAIL" {
            wire::HandshakeResourceType::Email
        } else {
            wire::HandshakeResourceType::Account
        }),
        resources: vec![],
    });
    if let Some(notes) = &record.notes {
        resources.push(wire::HandshakeResource {
            value: Some(notes.clone()),
            resource_type: Some(wire::HandshakeResourceType::Notes),
            resources: vec![],
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
        parties: vec![
            wire::HandshakeParty {
                id: record.org.clone(),
                party_type: wire::HandshakePartyType::Organization,
            },
            wire::HandshakeParty {
                id: target_id.clone(),
                party_type,
            },
        ],
        state: wire::HandshakeState::from_wire(state_at(record, now)).unwrap_or_default(),
        requested_timestamp: Timestamp(record.requested),
        expiration_timestamp: Timestamp(record.expires),
        action: wire::ActionType::from_wire(&record.action).unwrap_or_default(),
        resources,
    }
}

/// `InviteAccountToOrganization`.
pub fn invite(
    txn: &mut WriteTxn<'_>,
    ctx: &OrgCtx,
    input: &wire::InviteAccountToOrganizationInput,
    now: i64,
) -> Result<HandshakeRecord, CoreError> {
    ctx.require_management()?;
    let state = txn.state();
    let org = &ctx.org;
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
    .ok_or_else(|| {
        super::invalid_input(
            "INVALID_PARTY_TYPE_TARGET",
            "You specified the wrong type of entity (account, organization, or email) as a party.",
        )
    })?;
    if state.org_member(&account.id).is_some() {
        return Err(CoreError::org_reason(
            ErrorCode::HandshakeConstraintViolationException,
            "ALREADY_IN_AN_ORGANIZATION",
            "The handshake request is invalid because the invited account is already a member of an organization.",
        ));
    }
    if state
        .handshakes()
        .any(|h| h.org == org.id && h.target_account == account.id && is_open(h, now))
    {
        return Err(CoreError::org(
            ErrorCode::DuplicateHandshakeException,
            "A handshake with the same action and target already exists.",
        ));
    }
    if super::accounts::quota_used(state, org, now) >= super::accounts::MAX_ACCOUNTS {
        return Err(CoreError::org_reason(
            ErrorCode::HandshakeConstraintViolationException,
            "ACCOUNT_NUMBER_LIMIT_EXCEEDED",
            "You attempted to exceed the number of accounts that you can have in an organization.",
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
    };
    txn.put(kind::HANDSHAKE, &record.id, &record)?;
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
        _ => Err(not_found()),
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
    let allowed = if to == "CANCELED" {
        !by_recipient
    } else {
        by_recipient
    };
    if !allowed {
        return Err(super::access_denied());
    }
    let current = state_at(&record, now).to_owned();
    if current == to {
        return Err(CoreError::org(
            ErrorCode::HandshakeAlreadyInStateException,
            "The specified handshake is already in the requested state. For example, you can't accept a handshake that was already accepted.",
        ));
    }
    if current != "REQUESTED" && current != "OPEN" {
        return Err(CoreError::org(
            ErrorCode::InvalidHandshakeTransitionException,
            "You can't perform the operation on the handshake in its current state. For example, you can't cancel a handshake that was already accepted or accept a handshake that was already declined.",
        ));
    }
    to.clone_into(&mut record.state);
    txn.put(kind::HANDSHAKE, &record.id, &record)?;
    Ok(record)
}

/// `AcceptHandshake`: the invited account joins, under the root (no role is created).
pub fn accept(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    id: &str,
    now: i64,
) -> Result<HandshakeRecord, CoreError> {
    if &visible(txn.state(), account, id)?.target_account != account {
        return Err(super::access_denied());
    }
    if txn.state().org_member(account).is_some() {
        return Err(CoreError::org_reason(
            ErrorCode::HandshakeConstraintViolationException,
            "ALREADY_IN_AN_ORGANIZATION",
            "The handshake request is invalid because the invited account is already a member of an organization.",
        ));
    }
    let record = transition(txn, account, id, "ACCEPTED", now)?;
    let org = txn
        .state()
        .organization(&record.org)
        .map(|o| crate::model::OrganizationRecord::clone(o))
        .ok_or_else(|| {
            CoreError::org(
                ErrorCode::HandshakeConstraintViolationException,
                "The organization no longer exists.",
            )
        })?;
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

/// `DeclineHandshake`, by the recipient.
pub fn decline(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    id: &str,
    now: i64,
) -> Result<HandshakeRecord, CoreError> {
    transition(txn, account, id, "DECLINED", now)
}

/// `CancelHandshake`, by the sender.
pub fn cancel(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    id: &str,
    now: i64,
) -> Result<HandshakeRecord, CoreError> {
    transition(txn, account, id, "CANCELED", now)
}

/// Whether a handshake is still listed: open, or completed less than 30 days ago.
pub fn listed(record: &HandshakeRecord, now: i64) -> bool {
    is_open(record, now) || now < record.expires.max(record.requested) + LISTED_AFTER_COMPLETION
}

/// Whether a handshake passes a `ListHandshakesFor…` filter.
pub fn matches(record: &HandshakeRecord, filter: Option<&wire::HandshakeFilter>) -> bool {
    filter
        .and_then(|f| f.action_type)
        .is_none_or(|action| action.as_str() == record.action)
}
