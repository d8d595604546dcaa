//! The Organizations operation table: a decoded wire operation in, a wire output out.
//!
//! Reads are answered from the snapshot; writes run in one engine transaction that first
//! re-reads the caller's standing in its organization. This file only translates.

use rampart_wire::organizations::{self as wire, Operation as Op, Output};
use rampart_wire::{ErrorCode, Timestamp};

use super::{
    OrgCtx, accounts, context, delegation, handshakes, organization, ous, page, policies, tags,
};
use crate::auth::Caller;
use crate::engine::{Engine, WriteTxn};
use crate::error::CoreError;
use crate::state::State;

/// Runs a write with the caller's organization context.
fn write_in_org<T>(
    engine: &Engine,
    caller: &Caller,
    mut f: impl FnMut(&mut WriteTxn<'_>, &OrgCtx) -> Result<T, CoreError>,
) -> Result<T, CoreError> {
    engine.write(|txn| {
        let ctx = context(txn.state(), &caller.account)?;
        f(txn, &ctx)
    })
}

/// Executes an Organizations operation for an authenticated, IAM-authorized caller.
pub fn execute(engine: &Engine, caller: &Caller, op: &Op, now: i64) -> Result<Output, CoreError> {
    let account = &caller.account;
    let snapshot = engine.snapshot();
    let state: &State = &snapshot;
    // The caller's organization, for the read operations (re-read inside each write).
    let read_ctx = || context(state, account);
    let reader = || {
        let ctx = read_ctx()?;
        ctx.require_reader()?;
        Ok::<OrgCtx, CoreError>(ctx)
    };
    match op {
        // ---- the organization ----
        Op::CreateOrganization(i) => {
            let feature_set = i.feature_set.unwrap_or(wire::OrganizationFeatureSet::All);
            let org = engine.write(|txn| organization::create(txn, account, feature_set, now))?;
            let snapshot = engine.snapshot();
            Ok(wire::CreateOrganizationOutput {
                organization: organization::to_wire(&snapshot, &org),
            }
            .into())
        }
        Op::DescribeOrganization(_) => {
            let ctx = read_ctx()?;
            Ok(wire::DescribeOrganizationOutput {
                organization: organization::to_wire(state, &ctx.org),
            }
            .into())
        }
        Op::DeleteOrganization(_) => {
            engine.write(|txn| organization::delete(txn, account))?;
            Ok(Output::Empty)
        }
        Op::ListRoots(i) => {
            let ctx = reader()?;
            let (roots, next_token) = page(
                vec![organization::root_to_wire(&ctx.org)],
                i.next_token.as_deref(),
                i.max_results,
                |r| r.id.clone(),
            )?;
            Ok(wire::ListRootsOutput { roots, next_token }.into())
        }
        Op::EnablePolicyType(i) => {
            let org = write_in_org(engine, caller, |txn, ctx| {
                organization::enable_policy_type(txn, ctx, &i.root_id, i.policy_type)
            })?;
            Ok(wire::EnablePolicyTypeOutput {
                root: organization::root_to_wire(&org),
            }
            .into())
        }
        Op::DisablePolicyType(i) => {
            let org = write_in_org(engine, caller, |txn, ctx| {
                organization::disable_policy_type(txn, ctx, &i.root_id, i.policy_type)
            })?;
            Ok(wire::DisablePolicyTypeOutput {
                root: organization::root_to_wire(&org),
            }
            .into())
        }
        // ---- organizational units ----
        Op::CreateOrganizationalUnit(i) => {
            let tags = tags::from_wire(i.tags.as_deref())?;
            let unit = write_in_org(engine, caller, |txn, ctx| {
                ous::create(txn, ctx, &i.parent_id, &i.name, tags.clone(), now)
            })?;
            let snapshot = engine.snapshot();
            let org = context(&snapshot, account)?.org;
            Ok(wire::CreateOrganizationalUnitOutput {
                organizational_unit: ous::to_wire(&snapshot, &org, &unit),
            }
            .into())
        }
        Op::DescribeOrganizationalUnit(i) => {
            let ctx = reader()?;
            let unit = ous::get(state, &ctx.org, &i.organizational_unit_id)?;
            Ok(wire::DescribeOrganizationalUnitOutput {
                organizational_unit: ous::to_wire(state, &ctx.org, unit),
            }
            .into())
        }
        Op::UpdateOrganizationalUnit(i) => {
            let unit = write_in_org(engine, caller, |txn, ctx| {
                ous::rename(txn, ctx, &i.organizational_unit_id, i.name.as_deref())
            })?;
            let snapshot = engine.snapshot();
            let org = context(&snapshot, account)?.org;
            Ok(wire::UpdateOrganizationalUnitOutput {
                organizational_unit: ous::to_wire(&snapshot, &org, &unit),
            }
            .into())
        }
        Op::DeleteOrganizationalUnit(i) => {
            write_in_org(engine, caller, |txn, ctx| {
                ous::delete(txn, ctx, &i.organizational_unit_id)
            })?;
            Ok(Output::Empty)
        }
        Op::ListOrganizationalUnitsForParent(i) => {
            let ctx = reader()?;
            super::parent(state, &ctx.org, &i.parent_id).ok_or_else(ous::parent_not_found)?;
            let all: Vec<_> = state
                .org_units(&ctx.org.id)
                .filter(|u| u.parent == i.parent_id)
                .map(|u| ous::to_wire(state, &ctx.org, u))
                .collect();
            let (organizational_units, next_token) =
                page(all, i.next_token.as_deref(), i.max_results, |u| {
                    u.id.clone()
                })?;
            Ok(wire::ListOrganizationalUnitsForParentOutput {
                organizational_units,
                next_token,
            }
            .into())
        }
        Op::ListChildren(i) => {
            let ctx = reader()?;
            let all = ous::children(state, &ctx.org, &i.parent_id, i.child_type)?;
            let (children, next_token) = page(all, i.next_token.as_deref(), i.max_results, |c| {
                c.id.clone()
            })?;
            Ok(wire::ListChildrenOutput {
                children,
                next_token,
            }
            .into())
        }
        Op::ListParents(i) => {
            let ctx = reader()?;
            let all = vec![ous::parent_of(state, &ctx.org, &i.child_id)?];
            let (parents, next_token) = page(all, i.next_token.as_deref(), i.max_results, |p| {
                p.id.clone()
            })?;
            Ok(wire::ListParentsOutput {
                parents,
                next_token,
            }
            .into())
        }
        // ---- accounts ----
        Op::CreateAccount(i) => {
            let tags = tags::from_wire(i.tags.as_deref())?;
            let status = write_in_org(engine, caller, |txn, ctx| {
                accounts::create(txn, ctx, i, tags.clone(), now)
            })?;
            Ok(wire::CreateAccountOutput {
                create_account_status: accounts::as_first_answer(&status),
            }
            .into())
        }
        Op::DescribeCreateAccountStatus(i) => {
            let ctx = reader()?;
            let status = accounts::status(state, &ctx.org, &i.create_account_request_id)?;
            Ok(wire::DescribeCreateAccountStatusOutput {
                create_account_status: accounts::status_to_wire(status),
            }
            .into())
        }
        Op::ListCreateAccountStatus(i) => {
            let ctx = reader()?;
            let wanted = |s: &str| {
                i.states
                    .as_ref()
                    .is_none_or(|states| states.iter().any(|w| w.as_str() == s))
            };
            let all: Vec<_> = state
                .create_account_statuses()
                .filter(|s| s.org == ctx.org.id && wanted(&s.state))
                .map(|s| accounts::status_to_wire(s))
                .collect();
            let (create_account_statuses, next_token) =
                page(all, i.next_token.as_deref(), i.max_results, |s| {
                    s.id.clone()
                })?;
            Ok(wire::ListCreateAccountStatusOutput {
                create_account_statuses,
                next_token,
            }
            .into())
        }
        Op::DescribeAccount(i) => {
            let ctx = reader()?;
            let member = accounts::member(state, &ctx.org, &i.account_id)?;
            Ok(wire::DescribeAccountOutput {
                account: accounts::to_wire(state, &ctx.org, member),
            }
            .into())
        }
        Op::ListAccounts(i) => {
            let ctx = reader()?;
            let all: Vec<_> = state
                .org_members(&ctx.org.id)
                .map(|m| accounts::to_wire(state, &ctx.org, m))
                .collect();
            let (accounts, next_token) = page(all, i.next_token.as_deref(), i.max_results, |a| {
                a.id.clone()
            })?;
            Ok(wire::ListAccountsOutput {
                accounts,
                next_token,
            }
            .into())
        }
        Op::ListAccountsForParent(i) => {
            let ctx = reader()?;
            super::parent(state, &ctx.org, &i.parent_id).ok_or_else(ous::parent_not_found)?;
            let all: Vec<_> = state
                .org_members(&ctx.org.id)
                .filter(|m| m.parent == i.parent_id)
                .map(|m| accounts::to_wire(state, &ctx.org, m))
                .collect();
            let (accounts, next_token) = page(all, i.next_token.as_deref(), i.max_results, |a| {
                a.id.clone()
            })?;
            Ok(wire::ListAccountsForParentOutput {
                accounts,
                next_token,
            }
            .into())
        }
        Op::MoveAccount(i) => {
            write_in_org(engine, caller, |txn, ctx| {
                accounts::move_account(txn, ctx, i)
            })?;
            Ok(Output::Empty)
        }
        Op::RemoveAccountFromOrganization(i) => {
            write_in_org(engine, caller, |txn, ctx| {
                accounts::remove(txn, ctx, &i.account_id)
            })?;
            Ok(Output::Empty)
        }
        Op::LeaveOrganization(_) => {
            write_in_org(engine, caller, accounts::leave)?;
            Ok(Output::Empty)
        }
        Op::CloseAccount(i) => {
            write_in_org(engine, caller, |txn, ctx| {
                accounts::close(txn, ctx, &i.account_id)
            })?;
            Ok(Output::Empty)
        }
        // ---- handshakes ----
        Op::InviteAccountToOrganization(i) => {
            let record = write_in_org(engine, caller, |txn, ctx| {
                handshakes::invite(txn, ctx, i, now)
            })?;
            Ok(wire::InviteAccountToOrganizationOutput {
                handshake: handshakes::to_wire(&engine.snapshot(), &record, now),
            }
            .into())
        }
        Op::AcceptHandshake(i) => {
            let record =
                engine.write(|txn| handshakes::accept(txn, account, &i.handshake_id, now))?;
            Ok(wire::AcceptHandshakeOutput {
                handshake: handshakes::to_wire(&engine.snapshot(), &record, now),
            }
            .into())
        }
        Op::DeclineHandshake(i) => {
            let record =
                engine.write(|txn| handshakes::decline(txn, account, &i.handshake_id, now))?;
            Ok(wire::DeclineHandshakeOutput {
                handshake: handshakes::to_wire(&engine.snapshot(), &record, now),
            }
            .into())
        }
        Op::CancelHandshake(i) => {
            let record =
                engine.write(|txn| handshakes::cancel(txn, account, &i.handshake_id, now))?;
            Ok(wire::CancelHandshakeOutput {
                handshake: handshakes::to_wire(&engine.snapshot(), &record, now),
            }
            .into())
        }
        Op::DescribeHandshake(i) => {
            let record = handshakes::visible(state, account, &i.handshake_id)?;
            Ok(wire::DescribeHandshakeOutput {
                handshake: handshakes::to_wire(state, record, now),
            }
            .into())
        }
        Op::ListHandshakesForAccount(i) => {
            let all: Vec<_> = state
                .handshakes()
                .filter(|h| {
                    &h.target_account == account
                        && handshakes::listed(h, now)
                        && handshakes::matches(h, i.filter.as_ref())
                })
                .map(|h| handshakes::to_wire(state, h, now))
                .collect();
            let (handshakes, next_token) =
                page(all, i.next_token.as_deref(), i.max_results, |h| {
                    h.id.clone()
                })?;
            Ok(wire::ListHandshakesForAccountOutput {
                handshakes,
                next_token,
            }
            .into())
        }
        Op::ListHandshakesForOrganization(i) => {
            let ctx = reader()?;
            let all: Vec<_> = state
                .handshakes()
                .filter(|h| {
                    h.org == ctx.org.id
                        && handshakes::listed(h, now)
                        && handshakes::matches(h, i.filter.as_ref())
                })
                .map(|h| handshakes::to_wire(state, h, now))
                .collect();
            let (handshakes, next_token) =
                page(all, i.next_token.as_deref(), i.max_results, |h| {
                    h.id.clone()
                })?;
            Ok(wire::ListHandshakesForOrganizationOutput {
                handshakes,
                next_token,
            }
            .into())
        }
        // ---- policies ----
        Op::CreatePolicy(i) => {
            let tags = tags::from_wire(i.tags.as_deref())?;
            let record = write_in_org(engine, caller, |txn, ctx| {
                policies::create(txn, ctx, i, tags.clone(), now)
            })?;
            Ok(wire::CreatePolicyOutput {
                policy: policies::to_wire(&record),
            }
            .into())
        }
        Op::UpdatePolicy(i) => {
            let record = write_in_org(engine, caller, |txn, ctx| {
                policies::update(txn, ctx, i, now)
            })?;
            Ok(wire::UpdatePolicyOutput {
                policy: policies::to_wire(&record),
            }
            .into())
        }
        Op::DeletePolicy(i) => {
            write_in_org(engine, caller, |txn, ctx| {
                policies::delete(txn, ctx, &i.policy_id)
            })?;
            Ok(Output::Empty)
        }
        Op::DescribePolicy(i) => {
            let ctx = reader()?;
            let entry = policies::get(state, &ctx.org, &i.policy_id)?;
            Ok(wire::DescribePolicyOutput {
                policy: policies::to_wire(&entry.record),
            }
            .into())
        }
        Op::ListPolicies(i) => {
            let ctx = reader()?;
            let all: Vec<_> = state
                .org_policies()
                .filter(|p| p.record.policy_type == i.filter.as_str())
                .filter(|p| {
                    p.record.org.is_none() || p.record.org.as_deref() == Some(ctx.org.id.as_str())
                })
                .map(|p| policies::summary(&p.record))
                .collect();
            let (policies, next_token) = page(all, i.next_token.as_deref(), i.max_results, |p| {
                p.id.clone()
            })?;
            Ok(wire::ListPoliciesOutput {
                policies,
                next_token,
            }
            .into())
        }
        Op::ListPoliciesForTarget(i) => {
            let ctx = reader()?;
            let all: Vec<_> =
                policies::for_target(state, &ctx.org, &i.target_id, i.filter.as_str())?
                    .into_iter()
                    .map(|p| policies::summary(&p.record))
                    .collect();
            let (policies, next_token) = page(all, i.next_token.as_deref(), i.max_results, |p| {
                p.id.clone()
            })?;
            Ok(wire::ListPoliciesForTargetOutput {
                policies,
                next_token,
            }
            .into())
        }
        Op::ListTargetsForPolicy(i) => {
            let ctx = reader()?;
            policies::get(state, &ctx.org, &i.policy_id)?;
            let all = policies::targets(state, &ctx.org, &i.policy_id);
            let (targets, next_token) = page(all, i.next_token.as_deref(), i.max_results, |t| {
                t.target_id.clone()
            })?;
            Ok(wire::ListTargetsForPolicyOutput {
                targets,
                next_token,
            }
            .into())
        }
        Op::AttachPolicy(i) => {
            write_in_org(engine, caller, |txn, ctx| {
                policies::attach(txn, ctx, &i.policy_id, &i.target_id)
            })?;
            Ok(Output::Empty)
        }
        Op::DetachPolicy(i) => {
            write_in_org(engine, caller, |txn, ctx| {
                policies::detach(txn, ctx, &i.policy_id, &i.target_id)
            })?;
            Ok(Output::Empty)
        }
        Op::DescribeEffectivePolicy(i) => {
            let ctx = read_ctx()?;
            let target_id = i
                .target_id
                .clone()
                .unwrap_or_else(|| account.as_str().to_owned());
            // A member may ask only about itself (§3).
            if ctx.standing == super::Standing::Member && target_id != account.as_str() {
                return Err(super::access_denied());
            }
            let member = match policies::target(state, &ctx.org, &target_id)? {
                policies::Target::Account(member) => member,
                policies::Target::Root | policies::Target::Ou(_) => {
                    return Err(super::invalid_input(
                        "TARGET_NOT_SUPPORTED",
                        "You can't perform the specified operation on that target entity.",
                    ));
                }
            };
            let policy_type = i.policy_type.as_str();
            if !ctx.org.type_enabled(policy_type) {
                return Err(CoreError::org(
                    ErrorCode::PolicyTypeNotEnabledException,
                    "This operation can be performed only for enabled policy types.",
                ));
            }
            let (policy_content, updated) =
                policies::effective(state, &ctx.org, &member, policy_type).ok_or_else(|| {
                    CoreError::org(
                        ErrorCode::EffectivePolicyNotFoundException,
                        "We can't find an effective policy of the specified type for the target.",
                    )
                })?;
            Ok(wire::DescribeEffectivePolicyOutput {
                effective_policy: wire::EffectivePolicy {
                    policy_content,
                    last_updated_timestamp: Timestamp(updated),
                    target_id,
                    policy_type: i.policy_type,
                },
            }
            .into())
        }
        // ---- tags ----
        Op::TagResource(i) => {
            let new = tags::from_wire(Some(&i.tags))?;
            write_in_org(engine, caller, |txn, ctx| {
                tags::edit(txn, ctx, &i.resource_id, |list| tags::merge(list, &new))
            })?;
            Ok(Output::Empty)
        }
        Op::UntagResource(i) => {
            write_in_org(engine, caller, |txn, ctx| {
                tags::edit(txn, ctx, &i.resource_id, |list| {
                    list.retain(|t| !i.tag_keys.contains(&t.key))
                })
            })?;
            Ok(Output::Empty)
        }
        Op::ListTagsForResource(i) => {
            let ctx = reader()?;
            let all = tags::list(state, &ctx.org, &i.resource_id)?;
            let (list, next_token) = page(all, i.next_token.as_deref(), None, |t| t.key.clone())?;
            Ok(wire::ListTagsForResourceOutput {
                tags: tags::to_wire(&list),
                next_token,
            }
            .into())
        }
        // ---- trusted access and delegated administrators ----
        Op::EnableAWSServiceAccess(i) => {
            write_in_org(engine, caller, |txn, ctx| {
                delegation::enable_access(txn, ctx, &i.service_principal, now)
            })?;
            Ok(Output::Empty)
        }
        Op::DisableAWSServiceAccess(i) => {
            write_in_org(engine, caller, |txn, ctx| {
                delegation::disable_access(txn, ctx, &i.service_principal)
            })?;
            Ok(Output::Empty)
        }
        Op::ListAWSServiceAccessForOrganization(i) => {
            let ctx = reader()?;
            let all = delegation::list_access(&ctx.org);
            let (enabled_service_principals, next_token) =
                page(all, i.next_token.as_deref(), i.max_results, |p| {
                    p.service_principal.clone()
                })?;
            Ok(wire::ListAWSServiceAccessForOrganizationOutput {
                enabled_service_principals,
                next_token,
            }
            .into())
        }
        Op::RegisterDelegatedAdministrator(i) => {
            write_in_org(engine, caller, |txn, ctx| {
                delegation::register(txn, ctx, &i.account_id, &i.service_principal, now)
            })?;
            Ok(Output::Empty)
        }
        Op::DeregisterDelegatedAdministrator(i) => {
            write_in_org(engine, caller, |txn, ctx| {
                delegation::deregister(txn, ctx, &i.account_id, &i.service_principal)
            })?;
            Ok(Output::Empty)
        }
        Op::ListDelegatedAdministrators(i) => {
            let ctx = reader()?;
            let all = delegation::list_admins(state, &ctx.org, i.service_principal.as_deref());
            let (delegated_administrators, next_token) =
                page(all, i.next_token.as_deref(), i.max_results, |d| {
                    d.id.clone()
                })?;
            Ok(wire::ListDelegatedAdministratorsOutput {
                delegated_administrators,
                next_token,
            }
            .into())
        }
    }
}
