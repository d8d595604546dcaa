//! The organization tree as the authorizer and the Organizations operations both read it:
//! the authorization policy types, an account's chain of OUs, entity paths, and the
//! policies of one type that guard an account at each level (organizations.md §5,
//! policy-evaluation.md §5).
//!
//! Pure reads of the snapshot: nothing here writes, decides or knows the wire. It sits below
//! both `authz` and `ops::organizations` so that neither reaches into the other.

use rampart_policy::Policy;

use crate::model::{AccountId, OrgPolicyRecord, OrganizationRecord};
pub use crate::model::{RCP, SCP};
use crate::state::State;

/// The OU chain from the root down to `parent` (exclusive of the root), ids only.
pub fn ou_chain(state: &State, org: &OrganizationRecord, parent: &str) -> Vec<String> {
    let mut chain = Vec::new();
    let mut parent = parent.to_owned();
    // INVARIANT: OUs nest at most five deep; the bound also stops a corrupt cycle.
    while parent != org.root_id && chain.len() < 8 {
        let Some(unit) = state.org_unit(&parent) else {
            break;
        };
        chain.push(unit.id.clone());
        parent.clone_from(&unit.parent);
    }
    chain.reverse();
    chain
}

/// The entity path `o-…/r-…/ou-…/…/` down to (and including) `leaf`.
pub fn entity_path(state: &State, org: &OrganizationRecord, parent: &str, leaf: &str) -> String {
    let mut path = format!("{}/{}/", org.id, org.root_id);
    for ou in ou_chain(state, org, parent) {
        path.push_str(&ou);
        path.push('/');
    }
    path.push_str(leaf);
    path.push('/');
    path
}

/// One organization policy that guards an account, with its parsed document.
#[derive(Debug, Clone, Copy)]
pub struct Guardrail<'s> {
    /// The stored (or AWS-managed) record; names the policy in a decision.
    pub record: &'s OrgPolicyRecord,
    /// The parsed document.
    pub document: &'s Policy,
}

/// The policies of `policy_type` at each level from the root down to `account`: one list
/// per level (root, each OU, the account). Empty when the type does not restrict the
/// account: no organization, the management account, or the type not enabled (§5.1).
pub fn levels<'s>(
    state: &'s State,
    account: &AccountId,
    policy_type: &str,
) -> Vec<Vec<Guardrail<'s>>> {
    let Some((org, member)) = state.org_of(account) else {
        return Vec::new();
    };
    if &org.management == account || !org.type_enabled(policy_type) {
        return Vec::new();
    }
    let documents = |ids: &'s [String]| -> Vec<Guardrail<'s>> {
        ids.iter()
            .filter_map(|id| state.org_policy(id))
            .filter(|p| p.record.policy_type == policy_type)
            .filter_map(|p| {
                p.document.as_deref().map(|document| Guardrail {
                    record: &p.record,
                    document,
                })
            })
            .collect()
    };
    let mut out = vec![documents(&org.root_policies)];
    for ou in ou_chain(state, org, &member.parent) {
        if let Some(unit) = state.org_unit(&ou) {
            out.push(documents(&unit.policies));
        }
    }
    out.push(documents(&member.policies));
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::managed::{FULL_AWS_ACCESS, RCP_FULL_AWS_ACCESS};
    use crate::model::{OrgAccountRecord, OrgUnitRecord};

    pub(crate) fn put<R: crate::state::Keyed>(state: &mut State, record: &R) {
        state.apply_record(&record.key(), record.clone()).unwrap();
    }

    /// Applies `record` as a stored row of `kind_name` (the path another node's change
    /// takes), for records written as JSON.
    pub(crate) fn put_row(
        state: &mut State,
        kind_name: &str,
        key: &str,
        record: &serde_json::Value,
    ) {
        let row = crate::store::Row {
            kind: kind_name.to_owned(),
            key: key.to_owned(),
            body: Some(record.to_string()),
            version: 1,
        };
        state.apply(&row).unwrap();
    }

    /// An organization with SCPs and RCPs enabled, one OU holding `member`, and a deny-all
    /// SCP on the OU.
    pub(crate) fn tree() -> (State, AccountId, AccountId) {
        let mgmt = AccountId::parse("111111111111").unwrap();
        let member = AccountId::parse("222222222222").unwrap();
        let mut state = State::with_builtins().unwrap();
        let org = OrganizationRecord {
            id: "o-abcdefghij".into(),
            management: mgmt.clone(),
            feature_set: "ALL".into(),
            root_id: "r-ab12".into(),
            created: 0,
            policy_types: vec![SCP.into(), RCP.into()],
            root_policies: vec![FULL_AWS_ACCESS.into(), RCP_FULL_AWS_ACCESS.into()],
            root_tags: vec![],
            service_access: vec![],
            delegated_admins: vec![],
            root_features: vec![],
        };
        put(&mut state, &org);
        let unit = OrgUnitRecord {
            org: org.id.clone(),
            id: "ou-ab12-abcdefgh".into(),
            name: "Prod".into(),
            parent: org.root_id.clone(),
            created: 0,
            policies: vec![FULL_AWS_ACCESS.into(), "p-denyall1".into()],
            tags: vec![],
        };
        put(&mut state, &unit);
        let deny = OrgPolicyRecord {
            org: Some(org.id.clone()),
            management: Some(mgmt.clone()),
            id: "p-denyall1".into(),
            name: "DenyAll".into(),
            description: String::new(),
            policy_type: SCP.into(),
            content: r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}"#.into(),
            updated: 0,
            tags: vec![],
        };
        put(&mut state, &deny);
        for (account, parent) in [(&mgmt, org.root_id.as_str()), (&member, unit.id.as_str())] {
            let record = OrgAccountRecord {
                org: org.id.clone(),
                account: account.clone(),
                parent: parent.to_owned(),
                joined_method: "CREATED".into(),
                joined: 0,
                state: "ACTIVE".into(),
                policies: vec![FULL_AWS_ACCESS.into(), RCP_FULL_AWS_ACCESS.into()],
                tags: vec![],
            };
            put(&mut state, &record);
        }
        (state, mgmt, member)
    }

    #[test]
    fn members_get_one_level_per_node_and_the_management_account_none() {
        let (state, mgmt, member) = tree();
        let scps = levels(&state, &member, SCP);
        assert_eq!(scps.iter().map(Vec::len).collect::<Vec<_>>(), [1, 2, 1]);
        assert!(levels(&state, &mgmt, SCP).is_empty());
        assert!(levels(&state, &AccountId::parse("333333333333").unwrap(), SCP).is_empty());
        let (scp, rcp) = crate::authz::org_guardrails(&state, &member, &member, "sts:AssumeRole");
        assert_eq!((scp.len(), rcp.len()), (3, 3));
        let (_, rcp) = crate::authz::org_guardrails(&state, &member, &member, "iam:ListUsers");
        assert!(rcp.is_empty(), "IAM actions are not RCP-governed");
        let (_, rcp) = crate::authz::org_guardrails(&state, &member, &mgmt, "sts:AssumeRole");
        assert!(
            rcp.is_empty(),
            "management-account resources are never bound by RCPs"
        );
    }
}
