//! The Organizations dispatch: one line per operation into the handler of the resource
//! module that owns it. Handlers read from the snapshot the [`Execution`] took and write in one
//! engine transaction that re-reads the caller's standing; nothing else happens here.

use rampart_wire::organizations::{Operation as Op, Output};

use super::{
    Execution, accounts, attachments, delegation, features, handshakes, organization, ous,
    policies, resource_policy, tags, transfers, validation,
};
use crate::auth::Caller;
use crate::engine::Engine;
use crate::error::CoreError;

/// Executes an Organizations operation for an authenticated, IAM-authorized caller;
/// `delegated` when the organization's delegation policy allowed the call.
pub fn execute(
    engine: &Engine,
    caller: &Caller,
    op: &Op,
    delegated: bool,
    now: i64,
) -> Result<Output, CoreError> {
    let cx = &Execution::new(engine, &caller.account, now).delegated(delegated);
    match op {
        // ---- the organization and its root ----
        Op::CreateOrganization(i) => organization::create_organization(cx, i),
        Op::DescribeOrganization(i) => organization::describe_organization(cx, i),
        Op::DeleteOrganization(i) => organization::delete_organization(cx, i),
        Op::ListRoots(i) => organization::list_roots(cx, i),
        Op::EnableAllFeatures(i) => features::enable_all_features(cx, i),
        Op::EnablePolicyType(i) => organization::enable_policy_type(cx, i),
        Op::DisablePolicyType(i) => organization::disable_policy_type(cx, i),
        // ---- organizational units ----
        Op::CreateOrganizationalUnit(i) => ous::create_organizational_unit(cx, i),
        Op::DescribeOrganizationalUnit(i) => ous::describe_organizational_unit(cx, i),
        Op::UpdateOrganizationalUnit(i) => ous::update_organizational_unit(cx, i),
        Op::DeleteOrganizationalUnit(i) => ous::delete_organizational_unit(cx, i),
        Op::ListOrganizationalUnitsForParent(i) => ous::list_organizational_units_for_parent(cx, i),
        Op::ListChildren(i) => ous::list_children(cx, i),
        Op::ListParents(i) => ous::list_parents(cx, i),
        // ---- accounts ----
        Op::CreateAccount(i) => accounts::create_account(cx, i),
        Op::DescribeCreateAccountStatus(i) => accounts::describe_create_account_status(cx, i),
        Op::ListCreateAccountStatus(i) => accounts::list_create_account_status(cx, i),
        Op::DescribeAccount(i) => accounts::describe_account(cx, i),
        Op::ListAccounts(i) => accounts::list_accounts(cx, i),
        Op::ListAccountsForParent(i) => accounts::list_accounts_for_parent(cx, i),
        Op::MoveAccount(i) => accounts::move_account(cx, i),
        Op::RemoveAccountFromOrganization(i) => accounts::remove_account_from_organization(cx, i),
        Op::LeaveOrganization(i) => accounts::leave_organization(cx, i),
        Op::CloseAccount(i) => accounts::close_account(cx, i),
        Op::CreateGovCloudAccount(i) => accounts::create_gov_cloud_account(cx, i),
        // ---- handshakes ----
        Op::InviteAccountToOrganization(i) => handshakes::invite_account_to_organization(cx, i),
        Op::AcceptHandshake(i) => handshakes::accept_handshake(cx, i),
        Op::DeclineHandshake(i) => handshakes::decline_handshake(cx, i),
        Op::CancelHandshake(i) => handshakes::cancel_handshake(cx, i),
        Op::DescribeHandshake(i) => handshakes::describe_handshake(cx, i),
        Op::ListHandshakesForAccount(i) => handshakes::list_handshakes_for_account(cx, i),
        Op::ListHandshakesForOrganization(i) => handshakes::list_handshakes_for_organization(cx, i),
        // ---- policies ----
        Op::CreatePolicy(i) => policies::create_policy(cx, i),
        Op::UpdatePolicy(i) => policies::update_policy(cx, i),
        Op::DeletePolicy(i) => policies::delete_policy(cx, i),
        Op::DescribePolicy(i) => policies::describe_policy(cx, i),
        Op::ListPolicies(i) => policies::list_policies(cx, i),
        Op::DescribeEffectivePolicy(i) => policies::describe_effective_policy(cx, i),
        Op::ListAccountsWithInvalidEffectivePolicy(i) => {
            validation::list_accounts_with_invalid_effective_policy(cx, i)
        }
        Op::ListEffectivePolicyValidationErrors(i) => {
            validation::list_effective_policy_validation_errors(cx, i)
        }
        // ---- policy attachments ----
        Op::AttachPolicy(i) => attachments::attach_policy(cx, i),
        Op::DetachPolicy(i) => attachments::detach_policy(cx, i),
        Op::ListPoliciesForTarget(i) => attachments::list_policies_for_target(cx, i),
        Op::ListTargetsForPolicy(i) => attachments::list_targets_for_policy(cx, i),
        // ---- tags ----
        Op::TagResource(i) => tags::tag_resource(cx, i),
        Op::UntagResource(i) => tags::untag_resource(cx, i),
        Op::ListTagsForResource(i) => tags::list_tags_for_resource(cx, i),
        // ---- trusted access and delegated administrators ----
        Op::EnableAWSServiceAccess(i) => delegation::enable_aws_service_access(cx, i),
        Op::DisableAWSServiceAccess(i) => delegation::disable_aws_service_access(cx, i),
        Op::ListAWSServiceAccessForOrganization(i) => {
            delegation::list_aws_service_access_for_organization(cx, i)
        }
        Op::RegisterDelegatedAdministrator(i) => {
            delegation::register_delegated_administrator(cx, i)
        }
        Op::DeregisterDelegatedAdministrator(i) => {
            delegation::deregister_delegated_administrator(cx, i)
        }
        Op::ListDelegatedAdministrators(i) => delegation::list_delegated_administrators(cx, i),
        Op::ListDelegatedServicesForAccount(i) => {
            delegation::list_delegated_services_for_account(cx, i)
        }
        // ---- the delegation policy ----
        Op::PutResourcePolicy(i) => resource_policy::put_resource_policy(cx, i),
        Op::DescribeResourcePolicy(i) => resource_policy::describe_resource_policy(cx, i),
        Op::DeleteResourcePolicy(i) => resource_policy::delete_resource_policy(cx, i),
        // ---- responsibility transfers ----
        Op::InviteOrganizationToTransferResponsibility(i) => {
            transfers::invite_organization_to_transfer_responsibility(cx, i)
        }
        Op::DescribeResponsibilityTransfer(i) => transfers::describe_responsibility_transfer(cx, i),
        Op::UpdateResponsibilityTransfer(i) => transfers::update_responsibility_transfer(cx, i),
        Op::TerminateResponsibilityTransfer(i) => {
            transfers::terminate_responsibility_transfer(cx, i)
        }
        Op::ListInboundResponsibilityTransfers(i) => {
            transfers::list_inbound_responsibility_transfers(cx, i)
        }
        Op::ListOutboundResponsibilityTransfers(i) => {
            transfers::list_outbound_responsibility_transfers(cx, i)
        }
    }
}
