//! The organizations part of the snapshot: organizations, OUs, member accounts, policies
//! (SCPs and RCPs parsed), handshakes and account-creation statuses.

use std::sync::Arc;

use rampart_policy::{Policy, PolicyKind};

use super::{Map, State};
use crate::error::CoreError;
use crate::model::{
    AccountId, CreateAccountStatusRecord, HandshakeRecord, OrgAccountRecord, OrgPolicyRecord,
    OrgResourcePolicyRecord, OrgUnitRecord, OrganizationRecord, RCP, ResponsibilityTransferRecord,
    SCP,
};

/// An organization policy with its document parsed when it is an SCP or RCP.
#[derive(Debug)]
pub struct OrgPolicyEntry {
    /// The stored (or built-in) record.
    pub record: OrgPolicyRecord,
    /// The parsed document, for the authorization policy types.
    pub document: Option<Arc<Policy>>,
}

/// An organization's resource-based delegation policy with its document parsed.
#[derive(Debug)]
pub struct OrgResourcePolicyEntry {
    /// The stored record.
    pub record: OrgResourcePolicyRecord,
    /// The parsed document (a resource policy: `Principal` required).
    pub document: Policy,
}

/// The records of AWS Organizations, indexed by id.
#[derive(Debug, Clone, Default)]
pub struct OrgState {
    pub(crate) organizations: Map<String, Arc<OrganizationRecord>>,
    pub(crate) units: Map<String, Arc<OrgUnitRecord>>,
    pub(crate) members: Map<AccountId, Arc<OrgAccountRecord>>,
    pub(crate) policies: Map<String, Arc<OrgPolicyEntry>>,
    pub(crate) handshakes: Map<String, Arc<HandshakeRecord>>,
    pub(crate) create_statuses: Map<String, Arc<CreateAccountStatusRecord>>,
    /// Resource policies by organization id.
    pub(crate) resource_policies: Map<String, Arc<OrgResourcePolicyEntry>>,
    pub(crate) transfers: Map<String, Arc<ResponsibilityTransferRecord>>,
}

impl State {
    /// An organization by id.
    pub fn organization(&self, id: &str) -> Option<&Arc<OrganizationRecord>> {
        self.orgs.organizations.get(id)
    }

    /// Every organization.
    pub fn organizations(&self) -> impl Iterator<Item = &Arc<OrganizationRecord>> {
        self.orgs.organizations.values()
    }

    /// An account's membership of an organization.
    pub fn org_member(&self, account: &AccountId) -> Option<&Arc<OrgAccountRecord>> {
        self.orgs.members.get(account)
    }

    /// The organization an account belongs to, with its membership.
    pub fn org_of(
        &self,
        account: &AccountId,
    ) -> Option<(&Arc<OrganizationRecord>, &Arc<OrgAccountRecord>)> {
        let member = self.orgs.members.get(account)?;
        Some((self.orgs.organizations.get(&member.org)?, member))
    }

    /// The members of an organization, ordered by account id.
    pub fn org_members<'s>(
        &'s self,
        org: &'s str,
    ) -> impl Iterator<Item = &'s Arc<OrgAccountRecord>> + 's {
        self.orgs.members.values().filter(move |m| m.org == org)
    }

    /// An OU by id.
    pub fn org_unit(&self, id: &str) -> Option<&Arc<OrgUnitRecord>> {
        self.orgs.units.get(id)
    }

    /// The OUs of an organization, ordered by id.
    pub fn org_units<'s>(
        &'s self,
        org: &'s str,
    ) -> impl Iterator<Item = &'s Arc<OrgUnitRecord>> + 's {
        self.orgs.units.values().filter(move |u| u.org == org)
    }

    /// An organization policy (customer or AWS-managed) by id.
    pub fn org_policy(&self, id: &str) -> Option<&Arc<OrgPolicyEntry>> {
        self.orgs.policies.get(id)
    }

    /// Every organization policy, AWS-managed ones included, ordered by id.
    pub fn org_policies(&self) -> impl Iterator<Item = &Arc<OrgPolicyEntry>> {
        self.orgs.policies.values()
    }

    /// A handshake by id.
    pub fn handshake(&self, id: &str) -> Option<&Arc<HandshakeRecord>> {
        self.orgs.handshakes.get(id)
    }

    /// Every handshake, ordered by id.
    pub fn handshakes(&self) -> impl Iterator<Item = &Arc<HandshakeRecord>> {
        self.orgs.handshakes.values()
    }

    /// A create-account request by id.
    pub fn create_account_status(&self, id: &str) -> Option<&Arc<CreateAccountStatusRecord>> {
        self.orgs.create_statuses.get(id)
    }

    /// The resource-based delegation policy of organization `org`.
    pub fn org_resource_policy(&self, org: &str) -> Option<&Arc<OrgResourcePolicyEntry>> {
        self.orgs.resource_policies.get(org)
    }

    /// A responsibility transfer by id.
    pub fn responsibility_transfer(&self, id: &str) -> Option<&Arc<ResponsibilityTransferRecord>> {
        self.orgs.transfers.get(id)
    }

    /// Every responsibility transfer, ordered by id.
    pub fn responsibility_transfers(
        &self,
    ) -> impl Iterator<Item = &Arc<ResponsibilityTransferRecord>> {
        self.orgs.transfers.values()
    }

    /// Every create-account request, ordered by id.
    pub fn create_account_statuses(&self) -> impl Iterator<Item = &Arc<CreateAccountStatusRecord>> {
        self.orgs.create_statuses.values()
    }
}

pub(super) fn org_policy_entry(record: OrgPolicyRecord) -> Result<OrgPolicyEntry, CoreError> {
    let kind = match record.policy_type.as_str() {
        SCP => Some(PolicyKind::ServiceControl),
        RCP => Some(PolicyKind::ResourceControl),
        _ => None,
    };
    let document = match kind {
        Some(kind) => Some(Arc::new(Policy::parse(&record.content, kind).map_err(
            |err| {
                CoreError::Internal(format!(
                    "stored organization policy {} does not parse: {err}",
                    record.id
                ))
            },
        )?)),
        None => None,
    };
    Ok(OrgPolicyEntry { record, document })
}
