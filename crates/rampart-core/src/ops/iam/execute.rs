//! The IAM dispatch: a decoded wire operation goes to its handler, one line per operation,
//! grouped by resource in the order of the wire crate's operation table.
//!
//! Nothing else happens here. Each handler lives in its resource's module and owns its
//! wire conversion and rules; every `Tag*`/`Untag*`/`List*Tags` shares [`tags`]'s generic
//! implementation.

use rampart_wire::iam::{Operation as Op, Output};

use super::{
    Cx, access_advisor, access_keys, account_aliases, account_summary, authorization_details,
    credential_report, delegation_requests, groups, inline_policies, instance_profiles,
    mfa_devices, oidc_providers, organizations_features, outbound_federation, passwords, policies,
    policy_versions, roles, saml_providers, server_certificates, service_credentials,
    service_linked_roles, signing_certificates, simulate, ssh_public_keys, tags, users,
};
use crate::auth::Caller;
use crate::engine::Engine;
use crate::error::CoreError;

/// Executes an IAM operation for an authenticated, authorized caller at time `now`.
pub fn execute(engine: &Engine, caller: &Caller, op: &Op, now: i64) -> Result<Output, CoreError> {
    let cx = &Cx {
        engine,
        caller,
        now,
    };
    match op {
        // ---- users ----
        Op::CreateUser(i) => users::create_user(cx, i),
        Op::GetUser(i) => users::get_user(cx, i),
        Op::ListUsers(i) => users::list_users(cx, i),
        Op::UpdateUser(i) => users::update_user(cx, i),
        Op::DeleteUser(i) => users::delete_user(cx, i),
        Op::TagUser(i) => tags::tag(cx, i),
        Op::UntagUser(i) => tags::untag(cx, i),
        Op::ListUserTags(i) => tags::list(cx, i),
        Op::PutUserPermissionsBoundary(i) => users::put_user_permissions_boundary(cx, i),
        Op::DeleteUserPermissionsBoundary(i) => users::delete_user_permissions_boundary(cx, i),
        // ---- groups ----
        Op::CreateGroup(i) => groups::create_group(cx, i),
        Op::GetGroup(i) => groups::get_group(cx, i),
        Op::ListGroups(i) => groups::list_groups(cx, i),
        Op::UpdateGroup(i) => groups::update_group(cx, i),
        Op::DeleteGroup(i) => groups::delete_group(cx, i),
        Op::AddUserToGroup(i) => groups::add_user_to_group(cx, i),
        Op::RemoveUserFromGroup(i) => groups::remove_user_from_group(cx, i),
        Op::ListGroupsForUser(i) => groups::list_groups_for_user(cx, i),
        // ---- access keys ----
        Op::CreateAccessKey(i) => access_keys::create_access_key(cx, i),
        Op::ListAccessKeys(i) => access_keys::list_access_keys(cx, i),
        Op::UpdateAccessKey(i) => access_keys::update_access_key(cx, i),
        Op::DeleteAccessKey(i) => access_keys::delete_access_key(cx, i),
        Op::GetAccessKeyLastUsed(i) => access_keys::get_access_key_last_used(cx, i),
        // ---- managed policies and their attachments ----
        Op::CreatePolicy(i) => policies::create_policy(cx, i),
        Op::GetPolicy(i) => policies::get_policy(cx, i),
        Op::ListPolicies(i) => policies::list_policies(cx, i),
        Op::DeletePolicy(i) => policies::delete_policy(cx, i),
        Op::TagPolicy(i) => tags::tag(cx, i),
        Op::UntagPolicy(i) => tags::untag(cx, i),
        Op::ListPolicyTags(i) => tags::list(cx, i),
        Op::AttachUserPolicy(i) => policies::attach_user_policy(cx, i),
        Op::DetachUserPolicy(i) => policies::detach_user_policy(cx, i),
        Op::ListAttachedUserPolicies(i) => policies::list_attached_user_policies(cx, i),
        Op::AttachGroupPolicy(i) => policies::attach_group_policy(cx, i),
        Op::DetachGroupPolicy(i) => policies::detach_group_policy(cx, i),
        Op::ListAttachedGroupPolicies(i) => policies::list_attached_group_policies(cx, i),
        Op::AttachRolePolicy(i) => policies::attach_role_policy(cx, i),
        Op::DetachRolePolicy(i) => policies::detach_role_policy(cx, i),
        Op::ListAttachedRolePolicies(i) => policies::list_attached_role_policies(cx, i),
        // ---- policy versions ----
        Op::GetPolicyVersion(i) => policy_versions::get_policy_version(cx, i),
        Op::CreatePolicyVersion(i) => policy_versions::create_policy_version(cx, i),
        Op::ListPolicyVersions(i) => policy_versions::list_policy_versions(cx, i),
        Op::DeletePolicyVersion(i) => policy_versions::delete_policy_version(cx, i),
        Op::SetDefaultPolicyVersion(i) => policy_versions::set_default_policy_version(cx, i),
        Op::ListEntitiesForPolicy(i) => policy_versions::list_entities_for_policy(cx, i),
        // ---- inline policies ----
        Op::PutUserPolicy(i) => inline_policies::put_user_policy(cx, i),
        Op::GetUserPolicy(i) => inline_policies::get_user_policy(cx, i),
        Op::DeleteUserPolicy(i) => inline_policies::delete_user_policy(cx, i),
        Op::ListUserPolicies(i) => inline_policies::list_user_policies(cx, i),
        Op::PutGroupPolicy(i) => inline_policies::put_group_policy(cx, i),
        Op::GetGroupPolicy(i) => inline_policies::get_group_policy(cx, i),
        Op::DeleteGroupPolicy(i) => inline_policies::delete_group_policy(cx, i),
        Op::ListGroupPolicies(i) => inline_policies::list_group_policies(cx, i),
        Op::PutRolePolicy(i) => inline_policies::put_role_policy(cx, i),
        Op::GetRolePolicy(i) => inline_policies::get_role_policy(cx, i),
        Op::DeleteRolePolicy(i) => inline_policies::delete_role_policy(cx, i),
        Op::ListRolePolicies(i) => inline_policies::list_role_policies(cx, i),
        // ---- account summary ----
        Op::GetAccountSummary(i) => account_summary::get_account_summary(cx, i),
        // ---- roles ----
        Op::CreateRole(i) => roles::create_role(cx, i),
        Op::GetRole(i) => roles::get_role(cx, i),
        Op::ListRoles(i) => roles::list_roles(cx, i),
        Op::UpdateRole(i) => roles::update_role(cx, i),
        Op::UpdateRoleDescription(i) => roles::update_role_description(cx, i),
        Op::UpdateAssumeRolePolicy(i) => roles::update_assume_role_policy(cx, i),
        Op::DeleteRole(i) => roles::delete_role(cx, i),
        Op::TagRole(i) => tags::tag(cx, i),
        Op::UntagRole(i) => tags::untag(cx, i),
        Op::ListRoleTags(i) => tags::list(cx, i),
        Op::PutRolePermissionsBoundary(i) => roles::put_role_permissions_boundary(cx, i),
        Op::DeleteRolePermissionsBoundary(i) => roles::delete_role_permissions_boundary(cx, i),
        // ---- console passwords and the password policy ----
        Op::CreateLoginProfile(i) => passwords::create_login_profile(cx, i),
        Op::GetLoginProfile(i) => passwords::get_login_profile(cx, i),
        Op::UpdateLoginProfile(i) => passwords::update_login_profile(cx, i),
        Op::DeleteLoginProfile(i) => passwords::delete_login_profile(cx, i),
        Op::ChangePassword(i) => passwords::change_password(cx, i),
        Op::GetAccountPasswordPolicy(i) => passwords::get_account_password_policy(cx, i),
        Op::UpdateAccountPasswordPolicy(i) => passwords::update_account_password_policy(cx, i),
        Op::DeleteAccountPasswordPolicy(i) => passwords::delete_account_password_policy(cx, i),
        // ---- credential report ----
        Op::GenerateCredentialReport(i) => credential_report::generate_credential_report(cx, i),
        Op::GetCredentialReport(i) => credential_report::get_credential_report(cx, i),
        // ---- account aliases ----
        Op::CreateAccountAlias(i) => account_aliases::create_account_alias(cx, i),
        Op::DeleteAccountAlias(i) => account_aliases::delete_account_alias(cx, i),
        Op::ListAccountAliases(i) => account_aliases::list_account_aliases(cx, i),
        // ---- MFA devices ----
        Op::CreateVirtualMFADevice(i) => mfa_devices::create_virtual_mfa_device(cx, i),
        Op::EnableMFADevice(i) => mfa_devices::enable_mfa_device(cx, i),
        Op::ResyncMFADevice(i) => mfa_devices::resync_mfa_device(cx, i),
        Op::DeactivateMFADevice(i) => mfa_devices::deactivate_mfa_device(cx, i),
        Op::DeleteVirtualMFADevice(i) => mfa_devices::delete_virtual_mfa_device(cx, i),
        Op::ListMFADevices(i) => mfa_devices::list_mfa_devices(cx, i),
        Op::ListVirtualMFADevices(i) => mfa_devices::list_virtual_mfa_devices(cx, i),
        Op::GetMFADevice(i) => mfa_devices::get_mfa_device(cx, i),
        Op::TagMFADevice(i) => tags::tag(cx, i),
        Op::UntagMFADevice(i) => tags::untag(cx, i),
        Op::ListMFADeviceTags(i) => tags::list(cx, i),
        // ---- simulation and context keys ----
        Op::SimulatePrincipalPolicy(i) => simulate::simulate_principal_policy(cx, i),
        Op::SimulateCustomPolicy(i) => simulate::simulate_custom_policy(cx, i),
        Op::GetContextKeysForPrincipalPolicy(i) => {
            simulate::get_context_keys_for_principal_policy(cx, i)
        }
        Op::GetContextKeysForCustomPolicy(i) => simulate::get_context_keys_for_custom_policy(cx, i),
        // ---- account authorization details ----
        Op::GetAccountAuthorizationDetails(i) => {
            authorization_details::get_account_authorization_details(cx, i)
        }
        // ---- instance profiles ----
        Op::CreateInstanceProfile(i) => instance_profiles::create_instance_profile(cx, i),
        Op::GetInstanceProfile(i) => instance_profiles::get_instance_profile(cx, i),
        Op::ListInstanceProfiles(i) => instance_profiles::list_instance_profiles(cx, i),
        Op::ListInstanceProfilesForRole(i) => {
            instance_profiles::list_instance_profiles_for_role(cx, i)
        }
        Op::DeleteInstanceProfile(i) => instance_profiles::delete_instance_profile(cx, i),
        Op::AddRoleToInstanceProfile(i) => instance_profiles::add_role_to_instance_profile(cx, i),
        Op::RemoveRoleFromInstanceProfile(i) => {
            instance_profiles::remove_role_from_instance_profile(cx, i)
        }
        Op::TagInstanceProfile(i) => tags::tag(cx, i),
        Op::UntagInstanceProfile(i) => tags::untag(cx, i),
        Op::ListInstanceProfileTags(i) => tags::list(cx, i),
        // ---- service-linked roles ----
        Op::CreateServiceLinkedRole(i) => service_linked_roles::create_service_linked_role(cx, i),
        Op::DeleteServiceLinkedRole(i) => service_linked_roles::delete_service_linked_role(cx, i),
        Op::GetServiceLinkedRoleDeletionStatus(i) => {
            service_linked_roles::get_service_linked_role_deletion_status(cx, i)
        }
        // ---- centralized root access ----
        Op::EnableOrganizationsRootCredentialsManagement(i) => {
            organizations_features::enable_organizations_root_credentials_management(cx, i)
        }
        Op::EnableOrganizationsRootSessions(i) => {
            organizations_features::enable_organizations_root_sessions(cx, i)
        }
        Op::DisableOrganizationsRootCredentialsManagement(i) => {
            organizations_features::disable_organizations_root_credentials_management(cx, i)
        }
        Op::DisableOrganizationsRootSessions(i) => {
            organizations_features::disable_organizations_root_sessions(cx, i)
        }
        Op::ListOrganizationsFeatures(i) => {
            organizations_features::list_organizations_features(cx, i)
        }
        // ---- signing certificates ----
        Op::UploadSigningCertificate(i) => signing_certificates::upload_signing_certificate(cx, i),
        Op::ListSigningCertificates(i) => signing_certificates::list_signing_certificates(cx, i),
        Op::UpdateSigningCertificate(i) => signing_certificates::update_signing_certificate(cx, i),
        Op::DeleteSigningCertificate(i) => signing_certificates::delete_signing_certificate(cx, i),
        // ---- SSH public keys ----
        Op::UploadSSHPublicKey(i) => ssh_public_keys::upload_ssh_public_key(cx, i),
        Op::GetSSHPublicKey(i) => ssh_public_keys::get_ssh_public_key(cx, i),
        Op::ListSSHPublicKeys(i) => ssh_public_keys::list_ssh_public_keys(cx, i),
        Op::UpdateSSHPublicKey(i) => ssh_public_keys::update_ssh_public_key(cx, i),
        Op::DeleteSSHPublicKey(i) => ssh_public_keys::delete_ssh_public_key(cx, i),
        // ---- OpenID Connect providers ----
        Op::CreateOpenIDConnectProvider(i) => {
            oidc_providers::create_open_id_connect_provider(cx, i)
        }
        Op::GetOpenIDConnectProvider(i) => oidc_providers::get_open_id_connect_provider(cx, i),
        Op::ListOpenIDConnectProviders(i) => oidc_providers::list_open_id_connect_providers(cx, i),
        Op::DeleteOpenIDConnectProvider(i) => {
            oidc_providers::delete_open_id_connect_provider(cx, i)
        }
        Op::AddClientIDToOpenIDConnectProvider(i) => {
            oidc_providers::add_client_id_to_open_id_connect_provider(cx, i)
        }
        Op::RemoveClientIDFromOpenIDConnectProvider(i) => {
            oidc_providers::remove_client_id_from_open_id_connect_provider(cx, i)
        }
        Op::UpdateOpenIDConnectProviderThumbprint(i) => {
            oidc_providers::update_open_id_connect_provider_thumbprint(cx, i)
        }
        Op::TagOpenIDConnectProvider(i) => tags::tag(cx, i),
        Op::UntagOpenIDConnectProvider(i) => tags::untag(cx, i),
        Op::ListOpenIDConnectProviderTags(i) => tags::list(cx, i),
        // ---- SAML providers ----
        Op::CreateSAMLProvider(i) => saml_providers::create_saml_provider(cx, i),
        Op::GetSAMLProvider(i) => saml_providers::get_saml_provider(cx, i),
        Op::ListSAMLProviders(i) => saml_providers::list_saml_providers(cx, i),
        Op::UpdateSAMLProvider(i) => saml_providers::update_saml_provider(cx, i),
        Op::DeleteSAMLProvider(i) => saml_providers::delete_saml_provider(cx, i),
        Op::TagSAMLProvider(i) => tags::tag(cx, i),
        Op::UntagSAMLProvider(i) => tags::untag(cx, i),
        Op::ListSAMLProviderTags(i) => tags::list(cx, i),
        // ---- server certificates ----
        Op::UploadServerCertificate(i) => server_certificates::upload_server_certificate(cx, i),
        Op::GetServerCertificate(i) => server_certificates::get_server_certificate(cx, i),
        Op::ListServerCertificates(i) => server_certificates::list_server_certificates(cx, i),
        Op::UpdateServerCertificate(i) => server_certificates::update_server_certificate(cx, i),
        Op::DeleteServerCertificate(i) => server_certificates::delete_server_certificate(cx, i),
        Op::TagServerCertificate(i) => tags::tag(cx, i),
        Op::UntagServerCertificate(i) => tags::untag(cx, i),
        Op::ListServerCertificateTags(i) => tags::list(cx, i),
        // ---- service-specific credentials ----
        Op::CreateServiceSpecificCredential(i) => {
            service_credentials::create_service_specific_credential(cx, i)
        }
        Op::ListServiceSpecificCredentials(i) => {
            service_credentials::list_service_specific_credentials(cx, i)
        }
        Op::UpdateServiceSpecificCredential(i) => {
            service_credentials::update_service_specific_credential(cx, i)
        }
        Op::ResetServiceSpecificCredential(i) => {
            service_credentials::reset_service_specific_credential(cx, i)
        }
        Op::DeleteServiceSpecificCredential(i) => {
            service_credentials::delete_service_specific_credential(cx, i)
        }
        // ---- access advisor ----
        Op::GenerateServiceLastAccessedDetails(i) => {
            access_advisor::generate_service_last_accessed_details(cx, i)
        }
        Op::GetServiceLastAccessedDetails(i) => {
            access_advisor::get_service_last_accessed_details(cx, i)
        }
        Op::GetServiceLastAccessedDetailsWithEntities(i) => {
            access_advisor::get_service_last_accessed_details_with_entities(cx, i)
        }
        Op::ListPoliciesGrantingServiceAccess(i) => {
            access_advisor::list_policies_granting_service_access(cx, i)
        }
        Op::GenerateOrganizationsAccessReport(i) => {
            access_advisor::generate_organizations_access_report(cx, i)
        }
        Op::GetOrganizationsAccessReport(i) => {
            access_advisor::get_organizations_access_report(cx, i)
        }
        // ---- temporary delegation ----
        Op::CreateDelegationRequest(i) => delegation_requests::create_delegation_request(cx, i),
        Op::GetDelegationRequest(i) => delegation_requests::get_delegation_request(cx, i),
        Op::ListDelegationRequests(i) => delegation_requests::list_delegation_requests(cx, i),
        Op::AssociateDelegationRequest(i) => {
            delegation_requests::associate_delegation_request(cx, i)
        }
        Op::UpdateDelegationRequest(i) => delegation_requests::update_delegation_request(cx, i),
        Op::AcceptDelegationRequest(i) => delegation_requests::accept_delegation_request(cx, i),
        Op::RejectDelegationRequest(i) => delegation_requests::reject_delegation_request(cx, i),
        Op::SendDelegationToken(i) => delegation_requests::send_delegation_token(cx, i),
        // ---- outbound web identity federation ----
        Op::EnableOutboundWebIdentityFederation(i) => outbound_federation::enable(cx, i),
        Op::DisableOutboundWebIdentityFederation(i) => outbound_federation::disable(cx, i),
        Op::GetOutboundWebIdentityFederationInfo(i) => outbound_federation::get_info(cx, i),
    }
}
