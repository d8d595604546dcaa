//! AWS managed policies: the IAM ones, loaded from the data files shipped with the crate,
//! and the organization ones (`FullAWSAccess`, `RCPFullAWSAccess`).
//!
//! IAM's live at `arn:aws:iam::aws:policy/NAME`; the organization ones at
//! `arn:aws:organizations::aws:policy/TYPE/ID`. All are the same everywhere and never
//! stored: the snapshot holds them from start-up.

use serde::Deserialize;

use crate::error::CoreError;
use crate::model::{ManagedPolicyRecord, OrgPolicyRecord, PolicyVersionRecord, RCP, SCP};

/// Id of the AWS-managed SCP attached everywhere when SCPs are enabled.
pub const FULL_AWS_ACCESS: &str = "p-FullAWSAccess";
/// Id of the AWS-managed RCP attached everywhere when RCPs are enabled.
pub const RCP_FULL_AWS_ACCESS: &str = "p-RCPFullAWSAccess";

const POLICIES_JSON: &str = include_str!("../data/aws-managed-policies/policies.json");
/// The task policies of `sts:AssumeRoot` (`arn:aws:iam::aws:policy/root-task/NAME`,
/// organizations.md §10). AWS did not publish their action lists where we could read
/// them: each grants the calls AWS's description of the task names [choice].
const ROOT_TASK_POLICIES_JSON: &str =
    include_str!("../data/aws-managed-policies/root-task-policies.json");

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ManagedPolicyFile {
    policy_name: String,
    policy_id: String,
    path: String,
    default_version_id: String,
    description: String,
    create_date: String,
    update_date: String,
    document: serde_json::Value,
}

/// Every AWS managed policy Rampart knows, as records.
pub fn aws_managed_policies() -> Result<Vec<ManagedPolicyRecord>, CoreError> {
    let mut files: Vec<ManagedPolicyFile> = serde_json::from_str(POLICIES_JSON)
        .map_err(|err| CoreError::Internal(format!("managed policy data does not parse: {err}")))?;
    let tasks: Vec<ManagedPolicyFile> =
        serde_json::from_str(ROOT_TASK_POLICIES_JSON).map_err(|err| {
            CoreError::Internal(format!("root task policy data does not parse: {err}"))
        })?;
    files.extend(tasks);
    files
        .into_iter()
        .map(|file| {
            let created = parse_date(&file.create_date)?;
            let updated = parse_date(&file.update_date)?;
            Ok(ManagedPolicyRecord {
                account: None,
                name: file.policy_name,
                id: file.policy_id,
                path: file.path,
                description: Some(file.description),
                created,
                updated,
                versions: vec![PolicyVersionRecord {
                    id: file.default_version_id.clone(),
                    document: file.document.to_string(),
                    created: updated,
                }],
                default_version: file.default_version_id,
                tags: vec![],
            })
        })
        .collect()
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
