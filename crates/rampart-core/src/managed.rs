//! AWS managed policies, loaded from the data file shipped with the crate.
//!
//! They live at `arn:aws:iam::aws:policy/NAME`, are the same in every account and are
//! never stored: the snapshot holds them from start-up.

use serde::Deserialize;

use crate::error::CoreError;
use crate::model::{ManagedPolicyRecord, PolicyVersionRecord};

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

fn parse_date(text: &str) -> Result<i64, CoreError> {
    rampart_wire::Timestamp::parse_iso8601(text)
        .map(|t| t.0)
        .ok_or_else(|| CoreError::Internal(format!("bad date `{text}` in managed policy data")))
}

#[cfg(test)]
mod tests {
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
}
