//! AWS managed policies: the IAM ones (the whole catalogue AWS publishes, in `catalogue`,
//! loaded on first use) and the organization ones (`FullAWSAccess`, `RCPFullAWSAccess`).
//!
//! IAM's live at `arn:aws:iam::aws:policy/PATH/NAME`; the organization ones at
//! `arn:aws:organizations::aws:policy/TYPE/ID`. All are the same everywhere and never
//! stored: the state answers IAM's from the catalogue, and holds the organization ones
//! from start-up.

pub mod catalogue;

use crate::error::CoreError;
use crate::model::{ManagedPolicyRecord, OrgPolicyRecord, RCP, SCP};

/// Id of the AWS-managed SCP attached everywhere when SCPs are enabled.
pub const FULL_AWS_ACCESS: &str = "p-FullAWSAccess";
/// Id of the AWS-managed RCP attached everywhere when RCPs are enabled.
pub const RCP_FULL_AWS_ACCESS: &str = "p-RCPFullAWSAccess";

/// Every AWS managed IAM policy, as records: a copy of the catalogue (which loads it).
pub fn aws_managed_policies() -> Result<Vec<ManagedPolicyRecord>, CoreError> {
    let catalogue = catalogue::catalogue();
    if catalogue.is_empty() {
        return Err(CoreError::Internal(
            "the AWS managed policy catalogue does not load".to_owned(),
        ));
    }
    Ok(catalogue.iter().map(|p| p.record.clone()).collect())
}

/// The AWS-managed organization policies (organizations.md §5.2).
pub fn aws_managed_org_policies() -> Vec<OrgPolicyRecord> {
    let managed = |id: &str, name: &str, policy_type: &str, content: &str| OrgPolicyRecord {
        org: None,
        management: None,
        id: id.to_owned(),
        name: name.to_owned(),
        description: "Allows access to every operation".to_owned(),
        policy_type: policy_type.to_owned(),
        content: content.to_owned(),
        updated: 0,
        tags: vec![],
    };
    vec![
        managed(
            FULL_AWS_ACCESS,
            "FullAWSAccess",
            SCP,
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
        ),
        managed(
            RCP_FULL_AWS_ACCESS,
            "RCPFullAWSAccess",
            RCP,
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}"#,
        ),
    ]
}

fn parse_date(text: &str) -> Result<i64, CoreError> {
    rampart_wire::Timestamp::parse_iso8601(text)
        .map(|t| t.0)
        .ok_or_else(|| CoreError::Internal(format!("bad date `{text}` in managed policy data")))
}

#[cfg(test)]
mod tests {
    use rampart_policy::{Policy, PolicyKind};

    use super::*;

    #[test]
    fn the_issue_two_policies_are_present_and_parse() {
        let policies = super::aws_managed_policies().unwrap();
        for name in [
            "AdministratorAccess",
            "IAMFullAccess",
            "IAMReadOnlyAccess",
            "PowerUserAccess",
            "IAMUserChangePassword",
            "AWSOrganizationsFullAccess",
            "AWSOrganizationsReadOnlyAccess",
            "ReadOnlyAccess",
        ] {
            let policy = policies.iter().find(|p| p.name == name).unwrap();
            assert_eq!(policy.arn(), format!("arn:aws:iam::aws:policy/{name}"));
            rampart_policy::Policy::parse(
                policy.default_document().unwrap(),
                rampart_policy::PolicyKind::Identity,
            )
            .unwrap();
        }
    }

    #[test]
    fn the_root_task_policies_live_under_root_task() {
        let policies = super::aws_managed_policies().unwrap();
        let audit = policies
            .iter()
            .find(|p| p.name == "IAMAuditRootUserCredentials")
            .unwrap();
        assert_eq!(
            audit.arn(),
            "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials"
        );
        assert_eq!(
            policies.iter().filter(|p| p.path == "/root-task/").count(),
            5
        );
    }

    #[test]
    fn the_aws_managed_policies_parse_as_their_kinds() {
        for record in aws_managed_org_policies() {
            let kind = if record.policy_type == SCP {
                PolicyKind::ServiceControl
            } else {
                PolicyKind::ResourceControl
            };
            Policy::parse(&record.content, kind).unwrap();
        }
        assert_eq!(
            aws_managed_org_policies()
                .first()
                .map(OrgPolicyRecord::arn)
                .as_deref(),
            Some("arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess")
        );
    }
}
