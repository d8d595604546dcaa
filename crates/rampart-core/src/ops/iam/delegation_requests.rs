//! IAM temporary delegation: a partner account's request for temporary, limited access to
//! a customer account, its life cycle and the exchange token that ends it.
//!
//! States and their timeouts follow "Building your integration" (IAM User Guide,
//! temporary delegation): `UNASSIGNED` (1 day) → `ASSIGNED` (`AssociateDelegationRequest`)
//! → `PENDING_APPROVAL` (`UpdateDelegationRequest`, forwarded to an administrator) →
//! `ACCEPTED` → `FINALIZED` (`SendDelegationToken`); `ASSIGNED`, `PENDING_APPROVAL` and
//! `ACCEPTED` may be `REJECTED`; every state but `UNASSIGNED` times out after 7 days into
//! `EXPIRED`. Expiry is derived from the stored deadline at read time, never written.
//!
//! Who sees what: the partner sees its own requests; a request without an owner account
//! is visible to every account, one with an owner account only to that account
//! (others get `NoSuchEntity`, as for a request that does not exist). The owner identity
//! gets default permission to get, update and send (`authz::iam::implicitly_allowed`).
//!
//! Rampart's choices where AWS documents nothing (docs/delegation.md): the policy template
//! is a managed policy (the partner's own or AWS's) whose `{{Name}}` placeholders the
//! parameters fill; the partner's SNS topic is a notice file per state change written by
//! the server ([`notices`]); the exchange token is sealed like a session token.

use std::collections::BTreeMap;

use rampart_wire::Timestamp;
use rampart_wire::iam::{self as wire, Output};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::Cx;
use crate::auth::{Caller, Principal};
use crate::engine::WriteTxn;
use crate::error::CoreError;
use crate::model::{
    AccountId, DelegatedIdentity, DelegationParameter, DelegationRequestRecord, DelegationStatus,
    SessionPrincipal,
};
use crate::ops::paging;
use crate::random;
use crate::secrets::MasterKey;
use crate::state::State;

/// An unassigned request times out after a day.
pub const UNASSIGNED_TTL: i64 = 86_400;
/// Every later state times out after seven days.
pub const STATE_TTL: i64 = 7 * 86_400;
/// Root may approve requests of at most four hours.
pub const ROOT_MAX_SESSION: i64 = 4 * 3600;
/// Requests a partner account may hold (Rampart's bound on the per-partner quota).
pub const REQUESTS_PER_REQUESTOR: usize = 1000;

/// The exchange token's prefix and sealing key id.
const TOKEN_PREFIX: &str = "Rd1";

/// What an exchange token seals.
#[derive(Debug, Serialize, Deserialize)]
pub struct ExchangeToken {
    /// The request.
    pub request: String,
    /// The customer account sessions act in.
    pub account: AccountId,
    /// When the request was finalized (a token of an earlier finalization does not open).
    pub finalized: i64,
}

fn token_key(master: &MasterKey) -> MasterKey {
    master.derive("rampart/delegation-exchange-token/1")
}

/// Seals `token` into the text the partner receives.
pub fn seal_token(master: &MasterKey, token: &ExchangeToken) -> Result<String, CoreError> {
    let json = serde_json::to_vec(token)
        .map_err(|_| CoreError::Internal("exchange token does not encode".to_owned()))?;
    let sealed = token_key(master)
        .seal(&json, "delegation_exchange_token")
        .map_err(|_| CoreError::Internal("exchange token does not seal".to_owned()))?;
    Ok(format!("{TOKEN_PREFIX}{sealed}"))
}

/// The token `text` seals; `None` when it is not one this server issued.
pub fn open_token(master: &MasterKey, text: &str) -> Option<ExchangeToken> {
    let sealed = text.strip_prefix(TOKEN_PREFIX)?;
    let json = token_key(master)
        .open(sealed, "delegation_exchange_token")
        .ok()?;
    serde_json::from_slice(json.expose()).ok()
}

fn stored_token_context(id: &str) -> String {
    format!("delegation_request/{id}")
}

/// The state a request is in at `now`.
pub fn status(record: &DelegationRequestRecord, now: i64) -> DelegationStatus {
    if now >= record.expires {
        DelegationStatus::Expired
    } else {
        record.status
    }
}

fn not_found(id: &str) -> CoreError {
    CoreError::NoSuchEntity(format!(
        "The delegation request with id {id} cannot be found."
    ))
}

/// Whether `caller` may see `record` at all.
pub fn visible(record: &DelegationRequestRecord, caller: &Caller) -> bool {
    caller.account == record.requestor
        || record
            .owner_account
            .as_ref()
            .is_none_or(|owner| owner == &caller.account)
}

/// Whether `caller` is the identity that owns `record`.
pub fn is_owner(record: &DelegationRequestRecord, caller: &Caller) -> bool {
    record.owned_by(&caller.account, &caller.arn())
}

fn visible_request(
    state: &State,
    caller: &Caller,
    id: &str,
) -> Result<DelegationRequestRecord, CoreError> {
    match state.delegation_request(id) {
        Some(r) if visible(r, caller) => Ok(DelegationRequestRecord::clone(r)),
        _ => Err(not_found(id)),
    }
}

/// The request as the customer account acting on it sees it: it must be that account's.
fn customer_request(
    state: &State,
    caller: &Caller,
    id: &str,
) -> Result<DelegationRequestRecord, CoreError> {
    match state.delegation_request(id) {
        Some(r) if r.owner_account.as_ref() == Some(&caller.account) => {
            Ok(DelegationRequestRecord::clone(r))
        }
        _ => Err(not_found(id)),
    }
}

fn wrong_state(id: &str, now_state: DelegationStatus) -> CoreError {
    CoreError::InvalidInput(format!(
        "The delegation request {id} is in state {} and cannot be changed this way.",
        wire_state(now_state).as_str()
    ))
}

fn wire_state(s: DelegationStatus) -> wire::DelegationState {
    match s {
        DelegationStatus::Unassigned => wire::DelegationState::Unassigned,
        DelegationStatus::Assigned => wire::DelegationState::Assigned,
        DelegationStatus::PendingApproval => wire::DelegationState::PendingApproval,
        DelegationStatus::Accepted => wire::DelegationState::Accepted,
        DelegationStatus::Finalized => wire::DelegationState::Finalized,
        DelegationStatus::Rejected => wire::DelegationState::Rejected,
        DelegationStatus::Expired => wire::DelegationState::Expired,
    }
}

/// The permission policy `permissions` resolve to for `requestor`: the template (a
/// managed policy of the requestor or of AWS) with its `{{Name}}` placeholders filled.
pub fn resolve_policy(
    state: &State,
    requestor: &AccountId,
    permissions: &wire::DelegationPermission,
) -> Result<(String, Vec<DelegationParameter>), CoreError> {
    let arn = permissions.policy_template_arn.as_deref().ok_or_else(|| {
        CoreError::InvalidInput("Permissions must name a PolicyTemplateArn.".to_owned())
    })?;
    let owned = arn.starts_with(&format!("arn:aws:iam::{requestor}:policy/"))
        || arn.starts_with("arn:aws:iam::aws:policy/");
    let template = state
        .policy(arn)
        .filter(|_| owned)
        .and_then(|p| p.record.default_document().map(str::to_owned))
        .ok_or_else(|| {
            CoreError::InvalidInput(format!("The policy template {arn} does not exist."))
        })?;
    let mut text = template;
    let mut parameters = Vec::new();
    for p in permissions.parameters.as_deref().unwrap_or_default() {
        let name = p.name.clone().unwrap_or_default();
        let values = p.values.clone().unwrap_or_default();
        let list = p.r#type == Some(wire::PolicyParameterType::StringList);
        let placeholder = format!("{{{{{name}}}}}");
        if list {
            let array = serde_json::to_string(&values).unwrap_or_default();
            text = text.replace(&format!("\"{placeholder}\""), &array);
        } else {
            let [value] = values.as_slice() else {
                return Err(CoreError::InvalidInput(format!(
                    "The policy parameter {name} of type string takes exactly one value."
                )));
            };
            let escaped = serde_json::to_string(value).unwrap_or_default();
            let inner = escaped
                .strip_prefix('"')
                .and_then(|e| e.strip_suffix('"'))
                .unwrap_or_default();
            text = text.replace(&placeholder, inner);
        }
        parameters.push(DelegationParameter { name, values, list });
    }
    if let Some(start) = text.find("{{") {
        let rest = text.get(start + 2..).unwrap_or_default();
        let name = rest.split("}}").next().unwrap_or_default();
        return Err(CoreError::InvalidInput(format!(
            "The policy template requires a value for the parameter {name}."
        )));
    }
    rampart_policy::Policy::parse(&text, rampart_policy::PolicyKind::Session).map_err(|err| {
        CoreError::InvalidInput(format!(
            "The resolved permission policy is not valid: {err}"
        ))
    })?;
    Ok((text, parameters))
}

/// The permissions boundaries `policy` requires on roles it lets the holder create (the
/// values of its `iam:PermissionsBoundary` conditions).
fn restriction_arns(policy: &str) -> Vec<String> {
    let mut out = Vec::new();
    let Ok(doc) = serde_json::from_str::<Value>(policy) else {
        return out;
    };
    let statements = match doc.get("Statement") {
        Some(Value::Array(s)) => s.clone(),
        Some(s) => vec![s.clone()],
        None => vec![],
    };
    for st in statements {
        let Some(Value::Object(ops)) = st.get("Condition") else {
            continue;
        };
        for block in ops.values() {
            let Some(v) = block.get("iam:PermissionsBoundary") else {
                continue;
            };
            let values = match v {
                Value::Array(a) => a.clone(),
                other => vec![other.clone()],
            };
            for s in values.iter().filter_map(Value::as_str) {
                if !out.iter().any(|o| o == s) {
                    out.push(s.to_owned());
                }
            }
        }
    }
    out
}

/// `CreateDelegationRequest`: a partner asks for access.
pub fn create_delegation_request(
    cx: &Cx<'_>,
    i: &wire::CreateDelegationRequestInput,
) -> Result<Output, CoreError> {
    let requestor = cx.account().clone();
    let owner_account =
        match &i.owner_account_id {
            Some(id) => Some(AccountId::parse(id).ok_or_else(|| {
                CoreError::InvalidInput(format!("{id} is not a valid account id."))
            })?),
            None => None,
        };
    if owner_account.as_ref() == Some(&requestor) {
        return Err(CoreError::InvalidInput(
            "A delegation request cannot target the requesting account.".to_owned(),
        ));
    }
    if !i.notification_channel.starts_with("arn:aws:sns:") {
        return Err(CoreError::InvalidInput(
            "NotificationChannel must be an SNS topic ARN.".to_owned(),
        ));
    }
    let now = cx.now;
    let record = cx.write(|txn| {
        let state = txn.state();
        if state
            .delegation_request_by_workflow(&requestor, &i.requestor_workflow_id)
            .is_some()
        {
            return Err(CoreError::EntityAlreadyExists(format!(
                "A delegation request with workflow id {} already exists.",
                i.requestor_workflow_id
            )));
        }
        if state.delegation_requests_created_by(&requestor).count() >= REQUESTS_PER_REQUESTOR {
            return Err(CoreError::LimitExceeded(format!(
                "Cannot exceed quota for DelegationRequestsPerAccount: {REQUESTS_PER_REQUESTOR}"
            )));
        }
        let (permission_policy, parameters) = resolve_policy(state, &requestor, &i.permissions)?;
        let record = DelegationRequestRecord {
            id: format!("dr-{}", random::lower_alnum(24)),
            requestor: requestor.clone(),
            requestor_name: state.account(&requestor).and_then(|a| a.alias.clone()),
            owner_account: owner_account.clone(),
            owner_id: None,
            approver: None,
            description: i.description.clone(),
            request_message: i.request_message.clone(),
            policy_template_arn: i.permissions.policy_template_arn.clone(),
            parameters,
            role_permission_restriction_arns: restriction_arns(&permission_policy),
            permission_policy,
            workflow_id: i.requestor_workflow_id.clone(),
            redirect_url: i.redirect_url.clone(),
            notification_channel: i.notification_channel.clone(),
            session_duration: i64::from(i.session_duration),
            only_send_by_owner: i.only_send_by_owner.unwrap_or(false),
            status: DelegationStatus::Unassigned,
            notes: None,
            rejection_reason: None,
            created: now,
            updated: now,
            expires: now + UNASSIGNED_TTL,
            finalized: None,
            sealed_token: None,
        };
        txn.put(&record)?;
        Ok(record)
    })?;
    Ok(wire::CreateDelegationRequestOutput {
        console_deep_link: Some(format!(
            "{}/console/iam/delegation-requests/{}",
            cx.engine.public_url(),
            record.id
        )),
        delegation_request_id: Some(record.id),
    }
    .into())
}

/// The wire form of `r` at `now`.
pub fn to_wire(r: &DelegationRequestRecord, now: i64) -> wire::DelegationRequest {
    let parameters = r
        .parameters
        .iter()
        .map(|p| wire::PolicyParameter {
            name: Some(p.name.clone()),
            values: Some(p.values.clone()),
            r#type: Some(if p.list {
                wire::PolicyParameterType::StringList
            } else {
                wire::PolicyParameterType::String
            }),
        })
        .collect();
    wire::DelegationRequest {
        delegation_request_id: Some(r.id.clone()),
        owner_account_id: r.owner_account.as_ref().map(|a| a.as_str().to_owned()),
        description: Some(r.description.clone()),
        request_message: r.request_message.clone(),
        permissions: Some(wire::DelegationPermission {
            policy_template_arn: r.policy_template_arn.clone(),
            parameters: Some(parameters),
        }),
        permission_policy: Some(r.permission_policy.clone()),
        role_permission_restriction_arns: Some(r.role_permission_restriction_arns.clone()),
        owner_id: r.owner_id.clone(),
        approver_id: r.approver.as_ref().map(|a| a.arn.clone()),
        state: Some(wire_state(status(r, now))),
        expiration_time: Some(Timestamp(r.expires)),
        requestor_id: Some(r.requestor.as_str().to_owned()),
        requestor_name: r.requestor_name.clone(),
        create_date: Some(Timestamp(r.created)),
        session_duration: i32::try_from(r.session_duration).ok(),
        redirect_url: r.redirect_url.clone(),
        notes: r.notes.clone(),
        rejection_reason: r.rejection_reason.clone(),
        only_send_by_owner: Some(r.only_send_by_owner),
        updated_time: Some(Timestamp(r.updated)),
    }
}

/// `GetDelegationRequest`.
pub fn get_delegation_request(
    cx: &Cx<'_>,
    i: &wire::GetDelegationRequestInput,
) -> Result<Output, CoreError> {
    let record = visible_request(&cx.state(), cx.caller, &i.delegation_request_id)?;
    // The check is approximate in AWS too; Rampart does not run one and says so.
    let check = i.delegation_permission_check == Some(true);
    Ok(wire::GetDelegationRequestOutput {
        delegation_request: Some(to_wire(&record, cx.now)),
        permission_check_status: check.then_some(wire::PermissionCheckStatus::Complete),
        permission_check_result: check.then_some(wire::PermissionCheckResult::Unsure),
    }
    .into())
}

/// `ListDelegationRequests`: the requests the caller's account owns (once an identity
/// owns them) and those it created, by id.
pub fn list_delegation_requests(
    cx: &Cx<'_>,
    i: &wire::ListDelegationRequestsInput,
) -> Result<Output, CoreError> {
    let state = cx.state();
    let account = cx.account();
    let mut all: BTreeMap<String, DelegationRequestRecord> = BTreeMap::new();
    for r in state
        .delegation_requests_owned_by(account)
        .filter(|r| r.owner_id.is_some())
        .chain(state.delegation_requests_created_by(account))
    {
        if i.owner_id
            .as_ref()
            .is_none_or(|o| r.owner_id.as_ref() == Some(o))
        {
            all.insert(r.id.clone(), DelegationRequestRecord::clone(r));
        }
    }
    let (page, is_truncated, marker) = paging::page(
        all.into_values().collect(),
        i.marker.as_deref(),
        i.max_items,
        |r| r.id.clone(),
    )?;
    Ok(wire::ListDelegationRequestsOutput {
        delegation_requests: page.iter().map(|r| to_wire(r, cx.now)).collect(),
        marker,
        is_truncated,
    }
    .into())
}

/// Reads request `id` in `txn`, checks `allowed`, applies `change` and stores it.
fn transition(
    txn: &mut WriteTxn<'_>,
    caller: &Caller,
    id: &str,
    now: i64,
    change: impl FnOnce(&mut DelegationRequestRecord, DelegationStatus) -> Result<(), CoreError>,
) -> Result<(), CoreError> {
    let mut record = customer_request(txn.state(), caller, id)?;
    let current = status(&record, now);
    change(&mut record, current)?;
    record.updated = now;
    record.expires = now + STATE_TTL;
    txn.put(&record)
}

/// `AssociateDelegationRequest`: the calling identity becomes the owner.
pub fn associate_delegation_request(
    cx: &Cx<'_>,
    i: &wire::AssociateDelegationRequestInput,
) -> Result<Output, CoreError> {
    let (caller, id, now) = (cx.caller, &i.delegation_request_id, cx.now);
    cx.write(|txn| {
        let mut record = match txn.state().delegation_request(id) {
            Some(r)
                if r.requestor != caller.account
                    && r.owner_account
                        .as_ref()
                        .is_none_or(|o| o == &caller.account) =>
            {
                DelegationRequestRecord::clone(r)
            }
            _ => return Err(not_found(id)),
        };
        let current = status(&record, now);
        if current != DelegationStatus::Unassigned {
            return Err(wrong_state(id, current));
        }
        record.owner_account = Some(caller.account.clone());
        record.owner_id = Some(caller.arn());
        record.status = DelegationStatus::Assigned;
        record.updated = now;
        record.expires = now + STATE_TTL;
        txn.put(&record)
    })?;
    Ok(Output::Empty)
}

/// `UpdateDelegationRequest`: notes for the administrator; the request awaits approval.
pub fn update_delegation_request(
    cx: &Cx<'_>,
    i: &wire::UpdateDelegationRequestInput,
) -> Result<Output, CoreError> {
    let id = &i.delegation_request_id;
    cx.write(|txn| {
        transition(txn, cx.caller, id, cx.now, |r, current| {
            if !matches!(
                current,
                DelegationStatus::Assigned | DelegationStatus::PendingApproval
            ) {
                return Err(wrong_state(id, current));
            }
            r.status = DelegationStatus::PendingApproval;
            r.notes = i.notes.clone();
            Ok(())
        })
    })?;
    Ok(Output::Empty)
}

/// The session principal delegated sessions of an approval by `caller` act as.
fn delegated_identity(caller: &Caller) -> Result<SessionPrincipal, CoreError> {
    let delegated = caller
        .session
        .as_ref()
        .and_then(|s| s.sts.as_ref())
        .is_some_and(|s| s.0.record.delegation_request.is_some());
    if delegated {
        return Err(CoreError::InvalidInput(
            "A delegated session cannot approve a delegation request.".to_owned(),
        ));
    }
    match &caller.principal {
        Principal::Root => Ok(SessionPrincipal::Root),
        Principal::User { name, .. } => Ok(SessionPrincipal::User { name: name.clone() }),
        Principal::AssumedRole {
            role_name,
            session_name,
            ..
        } => Ok(SessionPrincipal::AssumedRole {
            role: role_name.clone(),
            session_name: session_name.clone(),
        }),
        Principal::FederatedUser { .. } => Err(CoreError::InvalidInput(
            "A federated user cannot approve a delegation request.".to_owned(),
        )),
    }
}

/// `AcceptDelegationRequest`: records the approving identity, which delegated sessions
/// will act as.
pub fn accept_delegation_request(
    cx: &Cx<'_>,
    i: &wire::AcceptDelegationRequestInput,
) -> Result<Output, CoreError> {
    let id = &i.delegation_request_id;
    let principal = delegated_identity(cx.caller)?;
    cx.write(|txn| {
        transition(txn, cx.caller, id, cx.now, |r, current| {
            if !matches!(
                current,
                DelegationStatus::Assigned | DelegationStatus::PendingApproval
            ) {
                return Err(wrong_state(id, current));
            }
            if principal == SessionPrincipal::Root && r.session_duration > ROOT_MAX_SESSION {
                return Err(CoreError::InvalidInput(
                    "The root user can approve only delegation requests with a session duration of 4 hours or less.".to_owned(),
                ));
            }
            r.status = DelegationStatus::Accepted;
            r.approver = Some(DelegatedIdentity {
                principal: principal.clone(),
                arn: cx.caller.arn(),
            });
            Ok(())
        })
    })?;
    Ok(Output::Empty)
}

/// `RejectDelegationRequest`: possible until the exchange token is sent.
pub fn reject_delegation_request(
    cx: &Cx<'_>,
    i: &wire::RejectDelegationRequestInput,
) -> Result<Output, CoreError> {
    let id = &i.delegation_request_id;
    cx.write(|txn| {
        transition(txn, cx.caller, id, cx.now, |r, current| {
            if !matches!(
                current,
                DelegationStatus::Assigned
                    | DelegationStatus::PendingApproval
                    | DelegationStatus::Accepted
            ) {
                return Err(wrong_state(id, current));
            }
            r.status = DelegationStatus::Rejected;
            r.rejection_reason = i.notes.clone();
            r.approver = None;
            Ok(())
        })
    })?;
    Ok(Output::Empty)
}

/// `SendDelegationToken`: releases the exchange token to the partner; the delegation
/// period starts now.
pub fn send_delegation_token(
    cx: &Cx<'_>,
    i: &wire::SendDelegationTokenInput,
) -> Result<Output, CoreError> {
    let id = &i.delegation_request_id;
    let (caller, now, master) = (cx.caller, cx.now, cx.engine.master());
    cx.write(|txn| {
        transition(txn, caller, id, now, |r, current| {
            if current != DelegationStatus::Accepted {
                return Err(wrong_state(id, current));
            }
            if r.only_send_by_owner && !is_owner(r, caller) {
                return Err(CoreError::InvalidInput(
                    "Only the owner of this delegation request can send its token.".to_owned(),
                ));
            }
            let token = seal_token(
                master,
                &ExchangeToken {
                    request: r.id.clone(),
                    account: caller.account.clone(),
                    finalized: now,
                },
            )?;
            r.sealed_token = Some(
                master
                    .seal(token.as_bytes(), &stored_token_context(&r.id))
                    .map_err(|err| CoreError::Internal(format!("exchange token: {err}")))?,
            );
            r.status = DelegationStatus::Finalized;
            r.finalized = Some(now);
            Ok(())
        })
    })?;
    Ok(Output::Empty)
}

/// A message for a partner's notification channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// A file name unique per request and state.
    pub name: String,
    /// The SNS topic ARN.
    pub topic: String,
    /// An SNS notification document.
    pub body: String,
}

/// The notices every live request's current state calls for (expired ones are past
/// telling): one per state change a partner hears of; the `FINALIZED` one carries the
/// exchange token. Notices named in `known` are skipped (their tokens stay sealed).
pub fn notices(
    state: &State,
    master: &MasterKey,
    now: i64,
    known: impl Fn(&str) -> bool,
) -> Vec<Notice> {
    state
        .all_delegation_requests()
        .filter(|r| status(r, now) != DelegationStatus::Expired)
        .filter_map(|r| {
            let name = wire_state(r.status).as_str();
            let file = format!("{}-{name}.json", r.id);
            if r.status == DelegationStatus::Unassigned || known(&file) {
                return None;
            }
            let mut message = serde_json::json!({
                "delegationRequestId": r.id,
                "requestorWorkflowId": r.workflow_id,
                "state": name,
            });
            if r.status == DelegationStatus::Finalized {
                let token = r
                    .sealed_token
                    .as_deref()
                    .and_then(|s| master.open(s, &stored_token_context(&r.id)).ok())?;
                if let Value::Object(m) = &mut message {
                    m.insert(
                        "exchangeToken".to_owned(),
                        Value::from(String::from_utf8_lossy(token.expose()).into_owned()),
                    );
                }
            }
            let body = serde_json::json!({
                "Type": "Notification",
                "TopicArn": r.notification_channel,
                "Subject": format!("Delegation request {name}"),
                "Message": message.to_string(),
                "Timestamp": Timestamp(r.updated).to_iso8601(),
            });
            Some(Notice {
                name: file,
                topic: r.notification_channel.clone(),
                body: body.to_string(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use rampart_wire::iam::Operation as Op;

    use super::*;
    use crate::engine::Engine;
    use crate::ops::iam::execute::execute;
    use crate::ops::signup;

    const NOW: i64 = 1_700_000_000;
    const TEMPLATE: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::{{Bucket}}/*"},{"Effect":"Allow","Action":"iam:CreateRole","Resource":"*","Condition":{"StringEquals":{"iam:PermissionsBoundary":"arn:aws:iam::aws:policy/ReadOnlyAccess"}}},{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"StringEquals":{"s3:prefix":"{{Buckets}}"}}}]}"#;

    fn root(engine: &Engine, email: &str) -> Caller {
        let account = engine
            .write(|txn| signup::create_account(txn, email, "test", None, NOW))
            .unwrap();
        Caller {
            account: account.id,
            principal: Principal::Root,
            access_key_id: String::new(),
            session: None,
        }
    }

    fn run(engine: &Engine, caller: &Caller, op: Op, now: i64) -> Result<Output, CoreError> {
        execute(engine, caller, &op, now)
    }

    /// A partner with a template, a customer, and a request from one to the other.
    fn setup(owner: bool) -> (Engine, Caller, Caller, String) {
        let engine = Engine::in_memory();
        let partner = root(&engine, "partner@example.com");
        let customer = root(&engine, "customer@example.com");
        run(
            &engine,
            &partner,
            Op::CreatePolicy(wire::CreatePolicyInput {
                policy_name: "tmpl".into(),
                policy_document: TEMPLATE.into(),
                ..Default::default()
            }),
            NOW,
        )
        .unwrap();
        let out = run(
            &engine,
            &partner,
            create_op(&partner, &customer, owner, "wf-1"),
            NOW,
        )
        .unwrap();
        let Output::CreateDelegationRequest(out) = out else {
            panic!("wrong output")
        };
        (
            engine,
            partner,
            customer,
            out.delegation_request_id.unwrap(),
        )
    }

    fn create_op(partner: &Caller, customer: &Caller, owner: bool, workflow: &str) -> Op {
        Op::CreateDelegationRequest(wire::CreateDelegationRequestInput {
            owner_account_id: owner.then(|| customer.account.as_str().to_owned()),
            description: "d".into(),
            permissions: wire::DelegationPermission {
                policy_template_arn: Some(format!("arn:aws:iam::{}:policy/tmpl", partner.account)),
                parameters: Some(vec![
                    wire::PolicyParameter {
                        name: Some("Bucket".into()),
                        values: Some(vec!["logs\"x".into()]),
                        r#type: Some(wire::PolicyParameterType::String),
                    },
                    wire::PolicyParameter {
                        name: Some("Buckets".into()),
                        values: Some(vec!["arn:aws:s3:::a".into(), "arn:aws:s3:::b".into()]),
                        r#type: Some(wire::PolicyParameterType::StringList),
                    },
                ]),
            },
            requestor_workflow_id: workflow.into(),
            notification_channel: format!("arn:aws:sns:us-east-1:{}:t", partner.account),
            session_duration: 3600,
            ..Default::default()
        })
    }

    fn get(
        engine: &Engine,
        caller: &Caller,
        id: &str,
        now: i64,
    ) -> Result<wire::DelegationRequest, CoreError> {
        let op = Op::GetDelegationRequest(wire::GetDelegationRequestInput {
            delegation_request_id: id.into(),
            delegation_permission_check: None,
        });
        match run(engine, caller, op, now)? {
            Output::GetDelegationRequest(o) => Ok(o.delegation_request.unwrap()),
            _ => panic!("wrong output"),
        }
    }

    fn associate(id: &str) -> Op {
        Op::AssociateDelegationRequest(wire::AssociateDelegationRequestInput {
            delegation_request_id: id.into(),
        })
    }

    #[test]
    fn the_template_is_filled_and_its_boundaries_are_listed() {
        let (engine, partner, _, id) = setup(true);
        let r = get(&engine, &partner, &id, NOW).unwrap();
        let policy: Value = serde_json::from_str(&r.permission_policy.unwrap()).unwrap();
        assert_eq!(policy["Statement"][0]["Resource"], "arn:aws:s3:::logs\"x/*");
        assert_eq!(
            policy["Statement"][2]["Condition"]["StringEquals"]["s3:prefix"],
            serde_json::json!(["arn:aws:s3:::a", "arn:aws:s3:::b"])
        );
        assert_eq!(
            r.role_permission_restriction_arns,
            Some(vec!["arn:aws:iam::aws:policy/ReadOnlyAccess".to_owned()])
        );
        assert_eq!(r.state, Some(wire::DelegationState::Unassigned));
        assert_eq!(r.expiration_time, Some(Timestamp(NOW + UNASSIGNED_TTL)));
    }

    #[test]
    fn a_missing_parameter_or_foreign_template_is_invalid_input() {
        let engine = Engine::in_memory();
        let partner = root(&engine, "p@example.com");
        let other = root(&engine, "o@example.com");
        run(
            &engine,
            &other,
            Op::CreatePolicy(wire::CreatePolicyInput {
                policy_name: "tmpl".into(),
                policy_document: TEMPLATE.into(),
                ..Default::default()
            }),
            NOW,
        )
        .unwrap();
        // `other`'s template is not the partner's to use.
        let err = run(
            &engine,
            &partner,
            create_op(&other, &other, false, "wf-1"),
            NOW,
        )
        .unwrap_err();
        assert!(
            matches!(err, CoreError::InvalidInput(ref m) if m.contains("does not exist")),
            "{err:?}"
        );
        let mut op = create_op(&other, &partner, false, "wf-2");
        if let Op::CreateDelegationRequest(i) = &mut op {
            i.permissions.parameters = None;
        }
        let err = run(&engine, &other, op, NOW).unwrap_err();
        assert!(
            matches!(err, CoreError::InvalidInput(ref m) if m.contains("Bucket")),
            "{err:?}"
        );
    }

    #[test]
    fn an_unassigned_request_expires_after_a_day_and_cannot_be_associated() {
        let (engine, _, customer, id) = setup(false);
        let later = NOW + UNASSIGNED_TTL;
        assert_eq!(
            get(&engine, &customer, &id, later).unwrap().state,
            Some(wire::DelegationState::Expired)
        );
        let err = run(&engine, &customer, associate(&id), later).unwrap_err();
        assert!(matches!(err, CoreError::InvalidInput(_)), "{err:?}");
        run(&engine, &customer, associate(&id), later - 1).unwrap();
        let r = get(&engine, &customer, &id, later).unwrap();
        assert_eq!(r.state, Some(wire::DelegationState::Assigned));
        assert_eq!(r.expiration_time, Some(Timestamp(later - 1 + STATE_TTL)));
    }

    #[test]
    fn an_owned_request_is_hidden_from_other_accounts() {
        let (engine, partner, customer, id) = setup(false);
        let third = root(&engine, "third@example.com");
        assert!(
            get(&engine, &third, &id, NOW).is_ok(),
            "no owner account yet: any account sees it"
        );
        run(&engine, &customer, associate(&id), NOW).unwrap();
        assert!(matches!(
            get(&engine, &third, &id, NOW),
            Err(CoreError::NoSuchEntity(_))
        ));
        assert!(get(&engine, &partner, &id, NOW).is_ok());
        // The partner cannot act for the customer; the third account cannot take it over.
        let accept = Op::AcceptDelegationRequest(wire::AcceptDelegationRequestInput {
            delegation_request_id: id.clone(),
        });
        assert!(matches!(
            run(&engine, &partner, accept, NOW),
            Err(CoreError::NoSuchEntity(_))
        ));
        assert!(matches!(
            run(&engine, &third, associate(&id), NOW),
            Err(CoreError::NoSuchEntity(_))
        ));
    }

    #[test]
    fn root_approves_only_short_sessions_and_the_token_opens_once_finalized() {
        let (engine, partner, customer, id) = setup(true);
        run(&engine, &customer, associate(&id), NOW).unwrap();
        let accept = || {
            Op::AcceptDelegationRequest(wire::AcceptDelegationRequestInput {
                delegation_request_id: id.clone(),
            })
        };
        run(&engine, &customer, accept(), NOW).unwrap();
        let send = Op::SendDelegationToken(wire::SendDelegationTokenInput {
            delegation_request_id: id.clone(),
        });
        run(&engine, &customer, send, NOW + 10).unwrap();
        let state = engine.snapshot();
        let notices = notices(&state, engine.master(), NOW + 10, |_| false);
        let notice = notices
            .iter()
            .find(|n| n.name.ends_with("-FINALIZED.json"))
            .unwrap();
        let body: Value = serde_json::from_str(&notice.body).unwrap();
        let message: Value = serde_json::from_str(body["Message"].as_str().unwrap()).unwrap();
        let token =
            open_token(engine.master(), message["exchangeToken"].as_str().unwrap()).unwrap();
        assert_eq!(
            (token.request.as_str(), token.finalized),
            (id.as_str(), NOW + 10)
        );
        assert_eq!(token.account, customer.account);
        assert!(open_token(engine.master(), "Rd1garbage").is_none());
        let r = get(&engine, &partner, &id, NOW + 10).unwrap();
        assert_eq!(r.state, Some(wire::DelegationState::Finalized));
        assert_eq!(r.approver_id, Some(customer.arn()));
    }

    #[test]
    fn root_cannot_approve_a_session_over_four_hours() {
        let engine = Engine::in_memory();
        let partner = root(&engine, "p@example.com");
        let customer = root(&engine, "c@example.com");
        run(
            &engine,
            &partner,
            Op::CreatePolicy(wire::CreatePolicyInput {
                policy_name: "tmpl".into(),
                policy_document: TEMPLATE.into(),
                ..Default::default()
            }),
            NOW,
        )
        .unwrap();
        let mut op = create_op(&partner, &customer, true, "wf-long");
        if let Op::CreateDelegationRequest(i) = &mut op {
            i.session_duration = 5 * 3600;
        }
        let Output::CreateDelegationRequest(out) = run(&engine, &partner, op, NOW).unwrap() else {
            panic!("wrong output")
        };
        let id = out.delegation_request_id.unwrap();
        run(&engine, &customer, associate(&id), NOW).unwrap();
        let accept = Op::AcceptDelegationRequest(wire::AcceptDelegationRequestInput {
            delegation_request_id: id,
        });
        let err = run(&engine, &customer, accept, NOW).unwrap_err();
        assert!(
            matches!(err, CoreError::InvalidInput(ref m) if m.contains("4 hours")),
            "{err:?}"
        );
    }
}
