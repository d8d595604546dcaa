//! Policy warnings in the manner of IAM Access Analyzer's policy validation: an action
//! whose service prefix no AWS service has (`UNKNOWN_SERVICE`), an action no such service
//! has (`UNKNOWN_ACTION`), and a condition key that is neither a global key nor one of its
//! service's (`UNKNOWN_CONDITION_KEY`), checked against the service authorization
//! reference. Warnings never reject a policy (IAM accepts such policies); they are for
//! editors to show. Pure: no state.

use rampart_policy::Document;

use crate::service_reference::{key_matches, reference};

/// AWS's global condition context keys (IAM User Guide, "AWS global condition context
/// keys"); `${TagKey}` stands for any tag key.
const GLOBAL_KEYS: &[&str] = &[
    "aws:AssumedRoot",
    "aws:CalledVia",
    "aws:CalledViaFirst",
    "aws:CalledViaLast",
    "aws:CurrentTime",
    "aws:Ec2InstanceSourcePrivateIPv4",
    "aws:Ec2InstanceSourceVpc",
    "aws:EpochTime",
    "aws:FederatedProvider",
    "aws:MultiFactorAuthAge",
    "aws:MultiFactorAuthPresent",
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:PrincipalIsAWSService",
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalServiceName",
    "aws:PrincipalServiceNamesList",
    "aws:PrincipalTag/${TagKey}",
    "aws:PrincipalType",
    "aws:Referer",
    "aws:RequestedRegion",
    "aws:RequestTag/${TagKey}",
    "aws:ResourceAccount",
    "aws:ResourceOrgID",
    "aws:ResourceOrgPaths",
    "aws:ResourceTag/${TagKey}",
    "aws:SecureTransport",
    "aws:SourceAccount",
    "aws:SourceArn",
    "aws:SourceIdentity",
    "aws:SourceIp",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
    "aws:SourceVpc",
    "aws:SourceVpcArn",
    "aws:SourceVpce",
    "aws:TagKeys",
    "aws:TokenIssueTime",
    "aws:UserAgent",
    "aws:userid",
    "aws:username",
    "aws:ViaAWSService",
    "aws:VpcSourceIp",
];

/// One warning about a statement of a policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyWarning {
    /// `UNKNOWN_SERVICE`, `UNKNOWN_ACTION` or `UNKNOWN_CONDITION_KEY`.
    pub code: &'static str,
    /// The statement's index in the document (0-based).
    pub statement: usize,
    /// What was found, for a person.
    pub detail: String,
}

/// The warnings about `document`, statement by statement.
pub fn warnings(document: &Document) -> Vec<PolicyWarning> {
    let reference = reference();
    let mut out = Vec::new();
    for (index, statement) in document.statements().iter().enumerate() {
        let mut warn = |code: &'static str, detail: String| {
            out.push(PolicyWarning {
                code,
                statement: index,
                detail,
            });
        };
        for action in statement.actions().0 {
            let Some((prefix, _)) = action.split_once(':') else {
                continue;
            };
            if prefix.contains(['*', '?']) {
                continue;
            }
            match reference.service(prefix) {
                None => warn(
                    "UNKNOWN_SERVICE",
                    format!(
                        "The service prefix `{prefix}` in action `{action}` is not an AWS service."
                    ),
                ),
                Some(_) if reference.actions_matching(action).is_empty() => warn(
                    "UNKNOWN_ACTION",
                    format!("The action `{action}` does not exist in the service `{prefix}`."),
                ),
                Some(_) => {}
            }
        }
        for key in statement.condition_keys() {
            let Some((prefix, _)) = key.split_once(':') else {
                continue;
            };
            let known = if prefix.eq_ignore_ascii_case("aws") {
                GLOBAL_KEYS.iter().any(|k| key_matches(k, key))
            } else {
                reference
                    .service(prefix)
                    .is_some_and(|s| s.has_condition_key(key))
            };
            if !known {
                warn(
                    "UNKNOWN_CONDITION_KEY",
                    format!(
                        "The condition key `{key}` is not a global key nor one of its service's."
                    ),
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use rampart_policy::{Policy, PolicyKind};

    use super::*;

    fn codes(text: &str) -> Vec<(&'static str, usize)> {
        let policy = Policy::parse(text, PolicyKind::Identity).unwrap();
        warnings(policy.document())
            .into_iter()
            .map(|w| (w.code, w.statement))
            .collect()
    }

    #[test]
    fn unknown_services_actions_and_condition_keys_are_reported() {
        let found = codes(
            r#"{"Version":"2012-10-17","Statement":[
                {"Effect":"Allow","Action":["iam:GetUser","iam:Get*","s3:*","*"],"Resource":"*",
                 "Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"},
                              "StringEquals":{"aws:ResourceTag/team":"red","iam:PassedToService":"ec2.amazonaws.com"}}},
                {"Effect":"Allow","Action":["iam:GetUsr","nosuch:Thing","iam:Nothing*"],"Resource":"*",
                 "Condition":{"StringEquals":{"aws:NoSuchKey":"x","iam:NoSuchKey":"y","nosuch:Key":"z"}}}]}"#,
        );
        assert_eq!(
            found,
            [
                ("UNKNOWN_ACTION", 1),
                ("UNKNOWN_SERVICE", 1),
                ("UNKNOWN_ACTION", 1),
                ("UNKNOWN_CONDITION_KEY", 1),
                ("UNKNOWN_CONDITION_KEY", 1),
                ("UNKNOWN_CONDITION_KEY", 1),
            ]
        );
    }
}
