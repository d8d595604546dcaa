//! Trusted access for AWS services and delegated administrators (organizations.md §6):
//! `EnableAWSServiceAccess`, `DisableAWSServiceAccess`, `ListAWSServiceAccessForOrganization`,
//! `RegisterDelegatedAdministrator`, `DeregisterDelegatedAdministrator`,
//! `ListDelegatedAdministrators` and `ListDelegatedServicesForAccount`, and the rule other
//! services ask: is trusted access on.

use rampart_wire::Timestamp;
use rampart_wire::organizations::{self as wire, Output};

use super::{Execution, OrgCtx, page, put_org};
use crate::engine::WriteTxn;
use crate::error::{ConstraintViolationReason, CoreError, InvalidInputReason};
use crate::model::OrganizationRecord;
use crate::state::State;

/// `EnableAWSServiceAccess` (idempotent, as AWS's is); needs all features.
pub fn enable_aws_service_access(
    cx: &Execution<'_>,
    input: &wire::EnableAWSServiceAccessInput,
) -> Result<Output, CoreError> {
    cx.write_in_org(|txn, ctx| enable_access(txn, ctx, &input.service_principal, cx.now))?;
    Ok(Output::Empty)
}

/// `DisableAWSServiceAccess`.
pub fn disable_aws_service_access(
    cx: &Execution<'_>,
    input: &wire::DisableAWSServiceAccessInput,
) -> Result<Output, CoreError> {
    cx.write_in_org(|txn, ctx| {
        ctx.require_management()?;
        check_principal(&input.service_principal)?;
        let mut org = OrganizationRecord::clone(&ctx.org);
        org.service_access
            .retain(|(p, _)| p != &input.service_principal);
        put_org(txn, &org)
    })?;
    Ok(Output::Empty)
}

/// `ListAWSServiceAccessForOrganization`.
pub fn list_aws_service_access_for_organization(
    cx: &Execution<'_>,
    input: &wire::ListAWSServiceAccessForOrganizationInput,
) -> Result<Output, CoreError> {
    let ctx = cx.reader()?;
    let all: Vec<_> = ctx
        .org
        .service_access
        .iter()
        .map(|(p, at)| wire::EnabledServicePrincipal {
            service_principal: p.clone(),
            date_enabled: Timestamp(*at),
        })
        .collect();
    let (enabled_service_principals, next_token) =
        page(all, input.next_token.as_deref(), input.max_results, |p| {
            p.service_principal.clone()
        })?;
    Ok(wire::ListAWSServiceAccessForOrganizationOutput {
        enabled_service_principals,
        next_token,
    }
    .into())
}

/// `RegisterDelegatedAdministrator`.
pub fn register_delegated_administrator(
    cx: &Execution<'_>,
    input: &wire::RegisterDelegatedAdministratorInput,
) -> Result<Output, CoreError> {
    cx.write_in_org(|txn, ctx| {
        register(
            txn,
            ctx,
            &input.account_id,
            &input.service_principal,
            cx.now,
        )
    })?;
    Ok(Output::Empty)
}

/// `DeregisterDelegatedAdministrator`.
pub fn deregister_delegated_administrator(
    cx: &Execution<'_>,
    input: &wire::DeregisterDelegatedAdministratorInput,
) -> Result<Output, CoreError> {
    cx.write_in_org(|txn, ctx| deregister(txn, ctx, &input.account_id, &input.service_principal))?;
    Ok(Output::Empty)
}

/// `ListDelegatedAdministrators`, optionally for one service.
pub fn list_delegated_administrators(
    cx: &Execution<'_>,
    input: &wire::ListDelegatedAdministratorsInput,
) -> Result<Output, CoreError> {
    let ctx = cx.reader()?;
    if let Some(principal) = &input.service_principal {
        check_principal(principal)?;
    }
    let all = list_admins(cx.state(), &ctx.org, input.service_principal.as_deref());
    let (delegated_administrators, next_token) =
        page(all, input.next_token.as_deref(), input.max_results, |d| {
            d.id.clone()
        })?;
    Ok(wire::ListDelegatedAdministratorsOutput {
        delegated_administrators,
        next_token,
    }
    .into())
}

/// `ListDelegatedServicesForAccount`: the services a member administers, by principal.
pub fn list_delegated_services_for_account(
    cx: &Execution<'_>,
    input: &wire::ListDelegatedServicesForAccountInput,
) -> Result<Output, CoreError> {
    let ctx = cx.reader()?;
    let member = super::accounts::member(cx.state(), &ctx.org, &input.account_id)?;
    let all: Vec<_> = ctx
        .org
        .delegated_admins
        .iter()
        .filter(|(a, _, _)| a == &member.account)
        .map(|(_, p, since)| wire::DelegatedService {
            service_principal: p.clone(),
            delegation_enabled_date: Timestamp(*since),
        })
        .collect();
    if all.is_empty() {
        return Err(CoreError::AccountNotRegistered);
    }
    let (delegated_services, next_token) =
        page(all, input.next_token.as_deref(), input.max_results, |d| {
            d.service_principal.clone()
        })?;
    Ok(wire::ListDelegatedServicesForAccountOutput {
        delegated_services,
        next_token,
    }
    .into())
}

/// Only the services that integrate with Organizations ([`super::services`]).
fn check_principal(principal: &str) -> Result<(), CoreError> {
    if !super::services::recognized(principal) {
        return Err(CoreError::InvalidOrganizationsInput(
            InvalidInputReason::UnrecognizedServicePrincipal,
        ));
    }
    Ok(())
}

/// Whether trusted access is enabled for `principal`.
pub fn access_enabled(org: &OrganizationRecord, principal: &str) -> bool {
    org.service_access.iter().any(|(p, _)| p == principal)
}

/// Turns trusted access on for `principal`; a no-op when it is on.
fn enable_access(
    txn: &mut WriteTxn<'_>,
    ctx: &OrgCtx,
    principal: &str,
    now: i64,
) -> Result<(), CoreError> {
    ctx.require_management()?;
    check_principal(principal)?;
    if ctx.org.feature_set != "ALL" {
        return Err(CoreError::ConstraintViolation(
            ConstraintViolationReason::OrganizationNotInAllFeaturesMode,
        ));
    }
    let mut org = OrganizationRecord::clone(&ctx.org);
    if !access_enabled(&org, principal) {
        org.service_access.push((principal.to_owned(), now));
        put_org(txn, &org)?;
    }
    Ok(())
}

/// Makes a member the delegated administrator for `principal` (one per service).
fn register(
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
        return Err(CoreError::ConstraintViolation(
            ConstraintViolationReason::CannotRegisterMasterAsDelegatedAdministrator,
        ));
    }
    if member.state != "ACTIVE" {
        return Err(CoreError::ConstraintViolation(
            ConstraintViolationReason::CannotRegisterSuspendedAccountAsDelegatedAdministrator,
        ));
    }
    if !access_enabled(&org, principal) {
        return Err(CoreError::ConstraintViolation(
            ConstraintViolationReason::ServiceAccessNotEnabled,
        ));
    }
    if org
        .delegated_admins
        .iter()
        .any(|(a, p, _)| a == &member.account && p == principal)
    {
        return Err(CoreError::AccountAlreadyRegistered);
    }
    if org.delegated_admins.iter().any(|(_, p, _)| p == principal) {
        return Err(CoreError::ConstraintViolation(
            ConstraintViolationReason::DelegatedAdministratorExistsForThisService,
        ));
    }
    org.delegated_admins
        .push((member.account, principal.to_owned(), now));
    put_org(txn, &org)
}

/// Ends a member's delegation for `principal`.
fn deregister(
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
        return Err(CoreError::AccountNotRegistered);
    }
    put_org(txn, &org)
}

/// The delegated administrators, each account once, optionally for one service.
fn list_admins(
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

#[cfg(test)]
mod tests {
    use rampart_wire::ErrorCode;
    use serde_json::json;

    use super::super::testing::{failure, member, organization, run};
    use super::*;

    const PRINCIPAL: &str = "iam.amazonaws.com";

    #[test]
    fn delegation_needs_trusted_access_and_never_names_the_management_account() {
        let (engine, management) = organization();
        let dev = member(&engine, &management, "dev@example.com");
        let register = |account: &str| {
            let input = json!({"AccountId": account, "ServicePrincipal": PRINCIPAL});
            run(
                &engine,
                &management,
                "RegisterDelegatedAdministrator",
                input,
            )
        };
        let got = failure(register(dev.as_str()));
        assert_eq!(got.1, Some("SERVICE_ACCESS_NOT_ENABLED"));
        let enable = json!({"ServicePrincipal": PRINCIPAL});
        run(&engine, &management, "EnableAWSServiceAccess", enable).unwrap();
        let got = failure(register(management.as_str()));
        assert_eq!(
            got.1,
            Some("CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR")
        );
        register(dev.as_str()).unwrap();
        let got = failure(register(dev.as_str()));
        assert_eq!(got.0, ErrorCode::AccountAlreadyRegisteredException);
        // A delegated administrator reads the organization, and must be deregistered to leave.
        run(&engine, &dev, "ListAccounts", json!({})).unwrap();
        let got = failure(run(&engine, &dev, "LeaveOrganization", json!({})));
        assert_eq!(
            got.1,
            Some("CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG")
        );
        let deregister = json!({"AccountId": dev.as_str(), "ServicePrincipal": PRINCIPAL});
        run(
            &engine,
            &management,
            "DeregisterDelegatedAdministrator",
            deregister.clone(),
        )
        .unwrap();
        let got = failure(run(
            &engine,
            &management,
            "DeregisterDelegatedAdministrator",
            deregister,
        ));
        assert_eq!(got.0, ErrorCode::AccountNotRegisteredException);
    }

    #[test]
    fn delegated_services_are_listed_per_member() {
        let (engine, management) = organization();
        let dev = member(&engine, &management, "dev@example.com");
        let list = |account: &str| {
            let input = json!({"AccountId": account});
            run(
                &engine,
                &management,
                "ListDelegatedServicesForAccount",
                input,
            )
        };
        assert_eq!(
            failure(list(dev.as_str())).0,
            ErrorCode::AccountNotRegisteredException
        );
        assert_eq!(
            failure(list("000000000000")).0,
            ErrorCode::AccountNotFoundException
        );
        for principal in ["iam.amazonaws.com", "sso.amazonaws.com"] {
            let enable = json!({"ServicePrincipal": principal});
            run(&engine, &management, "EnableAWSServiceAccess", enable).unwrap();
            let input = json!({"AccountId": dev.as_str(), "ServicePrincipal": principal});
            run(
                &engine,
                &management,
                "RegisterDelegatedAdministrator",
                input,
            )
            .unwrap();
        }
        let Output::ListDelegatedServicesForAccount(out) = list(dev.as_str()).unwrap() else {
            panic!("wrong output");
        };
        let principals: Vec<_> = out
            .delegated_services
            .iter()
            .map(|d| d.service_principal.as_str())
            .collect();
        assert_eq!(principals, ["iam.amazonaws.com", "sso.amazonaws.com"]);
        // The delegated administrator reads its own delegations too.
        run(
            &engine,
            &dev,
            "ListDelegatedServicesForAccount",
            json!({"AccountId": dev.as_str()}),
        )
        .unwrap();
    }

    #[test]
    fn service_principals_must_look_like_aws_services() {
        let (engine, management) = organization();
        let input = json!({"ServicePrincipal": "moto.amazonaws.com"});
        let got = failure(run(&engine, &management, "EnableAWSServiceAccess", input));
        assert_eq!(
            got,
            (
                ErrorCode::InvalidInputException,
                Some("UNRECOGNIZED_SERVICE_PRINCIPAL")
            )
        );
        let enable = json!({"ServicePrincipal": PRINCIPAL});
        run(
            &engine,
            &management,
            "EnableAWSServiceAccess",
            enable.clone(),
        )
        .unwrap();
        run(&engine, &management, "EnableAWSServiceAccess", enable).unwrap();
        let state = engine.snapshot();
        let org = state.org_of(&management).unwrap().0;
        assert!(access_enabled(org, PRINCIPAL));
        assert_eq!(org.service_access.len(), 1);
    }
}
