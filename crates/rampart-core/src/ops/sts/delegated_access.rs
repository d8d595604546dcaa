//! `GetDelegatedAccessToken`: a partner trades the exchange token of a finalized delegation
//! request for temporary credentials in the customer account.
//!
//! The session acts as the identity that accepted the request, with the request's
//! permission policy as its session policy (so it can do at most what both allow), and
//! ends when the delegation period does: finalization plus the request's
//! `SessionDuration`. Like every STS session it is stateless (`session_token`), marked
//! with its request id so IAM admits it as an approved session.

use rampart_wire::sts::{self as wire, Output};

use super::{issue_session, new_credentials, wire_credentials};
use crate::auth::Caller;
use crate::engine::Engine;
use crate::error::CoreError;
use crate::model::{DelegationStatus, SessionRecord};
use crate::ops::iam::delegation_requests::{open_token, status};

fn expired() -> CoreError {
    CoreError::ExpiredTradeInToken("The trade-in token has expired or is not valid.".to_owned())
}

/// `GetDelegatedAccessToken`.
pub fn get_delegated_access_token(
    engine: &Engine,
    caller: &Caller,
    i: &wire::GetDelegatedAccessTokenInput,
    now: i64,
) -> Result<Output, CoreError> {
    let token = open_token(engine.master(), i.trade_in_token.expose()).ok_or_else(expired)?;
    let state = engine.snapshot();
    let request = state
        .delegation_request(&token.request)
        .filter(|r| r.requestor == caller.account)
        .filter(|r| r.owner_account.as_ref() == Some(&token.account))
        .filter(|r| r.finalized == Some(token.finalized))
        .filter(|r| status(r, now) == DelegationStatus::Finalized)
        .ok_or_else(expired)?;
    let expires = token.finalized.saturating_add(request.session_duration);
    let approver = request.approver.as_ref().ok_or_else(expired)?;
    if now >= expires {
        return Err(expired());
    }
    let (id, secret) = new_credentials(&token.account);
    let record = SessionRecord {
        id: id.clone(),
        account: token.account.clone(),
        principal: approver.principal.clone(),
        issued: now,
        expires,
        mfa_authenticated_at: None,
        session_policies: Some(vec![request.permission_policy.clone()]),
        source_identity: None,
        tags: vec![],
        chained: false,
        assumed_root: None,
        delegation_request: Some(request.id.clone()),
    };
    let session_token = issue_session(engine, &record, &secret, None)?;
    Ok(wire::GetDelegatedAccessTokenOutput {
        credentials: Some(wire_credentials(&id, secret, session_token, expires)),
        packed_policy_size: None,
        assumed_principal: Some(approver.arn.clone()),
    }
    .into())
}
