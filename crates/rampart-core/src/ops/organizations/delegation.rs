//! Trusted access for AWS services and delegated administrators (organizations.md §6).

use rampart_wire::organizations as wire;
use rampart_wire::{ErrorCode, Timestamp};

use super::{OrgCtx, constraint, put_org};
use crate::engine::WriteTxn;
use crate::error::CoreError;
use crate::model::OrganizationRecord;
use crate::state::State;

/// Service principals are `<service>.amazonaws.com`.
fn check_principal(principal: &str) -> Result<(), CoreError> {
    let known = principal
        .strip_suffix(".amazonaws.com")
        .is_some_and(|s| !s.is_empty() && !s.contains('/'));
    if !known {
        return Err(super::invalid_input(
            "UNRECOGNIZED_SERVICE_PRINCIPAL",
            "You specified a service principal that isn't recognized.",
        ));
    }
    Ok(())
}

/// Whether trusted access is enabled for `principal`.
pub fn access_enabled(org: &OrganizationRecord, principal: &str) -> bool {
    org.service_access.iter().any(|(p, _)| p == principal)
}

/// `EnableAWSServiceAccess` (idempotent, as AWS's is).
pub fn enable_access(
    txn: &mut WriteTxn<'_>,
    ctx: &OrgCtx,
    principal: &str,
    now: i64,
) -> Result<(), CoreError> {
    ctx.require_management()?;
    check_principal(principal)?;
    if ctx.org.feature_set != "ALL" {
        return Err(constraint(
            "ORGANIZATION_NOT_IN_ALL_FEATURES_MODE",
            "You can't perform the operation on an organization that doesn't have all features enabled.",
        ));
    }
    let mut org = OrganizationRecord::clone(&ctx.org);
    if !access_enabled(&org, principal) {
        org.service_access.push((principal.to_owned(), now));
        put_org(txn, &org)?;
    }
    Ok(())
}

/// `DisableAWSServiceAccess`.
pub fn disable_access(
    txn: &mut WriteTxn<'_>,
    ctx: &OrgCtx,
    principal: &str,
) -> Result<(), CoreError> {
    ctx.require_management()?;
    check_principal(principal)?;
    let mut org = OrganizationRecord::clone(&ctx.org);
    org.service_access.retain(|(p, _)| p != principal);
    put_org(txn, &org)
}

/// `ListAWSServiceAccessForOrganization`.
pub fn list_access(org: &OrganizationRecord) -> Vec<wire::EnabledServicePrincipal> {
    org.service_access
        .iter()
        .map(|(p, at)| wire::EnabledServicePrincipal {
            service_principal: p.clone(),
            date_enabled: Timestamp(*at),
        })
        .collect()
}

/// `RegisterDelegatedAdministrator`.
pub fn register(
    txn: &mut WriteTxn<'_>,
    ctx: &OrgCtx,
    account_id: &str,
    principal: &str,
    now: i64,
) -> Result<(), CoreError> {
    ctx.require_management()?;
    check_principal(principal)?;
    let member = super::accounts::member(txn.state(), &ctx.org, account_id)?.clone();
    let mut org = OrganizationRecord::clone(&ctx.org);
    if member.account == org.management {
        return Err(constraint(
            "CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR",
            "You can't register the management account of your organization as a delegated administrator for an AWS service integrated with Organizations.",
        ));
    }
    if member.state != "ACTIVE" {
        return Err(constraint(
            "CANNOT_REGISTER_SUSPENDED_ACCOUNT_AS_DELEGATED_ADMINISTRATOR",
            "You cannot register a suspended account as a delegated administrator.",
        ));
    }
    if !access_enabled(&org, principal) {
        return Err(constraint(
            "SERVICE_ACCESS_NOT_ENABLED",
            "You attempted to register a delegated administrator for a service that doesn't have trusted access enabled.",
        ));
    }
    if org
        .delegated_admins
        .iter()
        .any(|(a, p, _)| a == &member.account && p == principal)
    {
        return Err(CoreError::org(
            ErrorCode::AccountAlreadyRegisteredException,
            "The provided account is already a delegated administrator for your organization.",
        ));
    }
    if org.delegated_admins.iter().any(|(_, p, _)| p == principal) {
        return Err(constraint(
            "DELEGATED_ADMINISTRATOR_EXISTS_FOR_THIS_SERVICE",
            "You attempted to register more delegated administrators than allowed for the service principal.",
        ));
    }
    org.delegated_admins
        .push((member.account, principal.to_owned(), now));
    put_org(txn, &org)
}

/// `DeregisterDelegatedAdministrator`.
pub fn deregister(
    txn: &mut WriteTxn<'_>,
    ctx: &OrgCtx,
    account_id: &str,
    principal: &str,
) -> Result<(), CoreError> {
    ctx.require_management()?;
    check_principal(principal)?;
    let member = super::accounts::member(txn.state(), &ctx.org, account_id)?.clone();
    let mut org = OrganizationRecord::clone(&ctx.org);
    let before = org.delegated_admins.len();
    org.delegated_admins
        .retain(|(a, p, _)| !(a == &member.account && p == principal));
    if org.delegated_admins.len() == before {
        return Err(CoreError::org(
            ErrorCode::AccountNotRegisteredException,
            "The specified account is not a delegated administrator for this AWS service.",
        ));
    }
    put_org(txn, &org)
}

/// `ListDelegatedAdministrators`, optionally for one service.
pub fn list_admins(
    state: &State,
    org: &OrganizationRecord,
    principal: Option<&str>,
) -> Vec<wire::DelegatedAdministrator> {
    let mut out: Vec<wire::DelegatedAdministrator> = Vec::new();
    for (account, p, since) in &org.delegated_admins {
        if principal.is_some_and(|want| want != p) || out.iter().any(|d| d.id == account.as_str()) {
            continue;
        }
        let Some(member) = state.org_member(account) else {
            continue;
        };
        let a = super::accounts::to_wire(state, org, member);
        out.push(wire::DelegatedAdministrator {
            id: a.id,
            arn: a.arn,
            email: a.email,
            name: a.name,
            status: a.status,
            state: a.state,
            joined_method: a.joined_method,
            joined_timestamp: a.joined_timestamp,
            delegation_enabled_date: Timestamp(*since),
        });
    }
    out
}
