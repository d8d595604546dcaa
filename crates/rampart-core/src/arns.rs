//! IAM names and ARNs derived from request input: an IAM entity ARN's account and name, the name
//! of a service-linked role, and the ARNs of OIDC and SAML providers.
//!
//! Pure functions of their arguments, shared by the authorizer (which names the resource
//! before the operation runs) and the IAM and STS operations (which create or find it).

use crate::error::CoreError;
use crate::model::{AccountId, PARTITION};

/// The account and role name an IAM role ARN names (`arn:aws:iam::ACCOUNT:role/PATH/NAME`).
pub fn parse_role_arn(arn: &str) -> Option<(AccountId, &str)> {
    if !arn.starts_with("arn:aws:") {
        return None;
    }
    match parse_iam_arn(arn)? {
        (account, "role", name) => Some((account, name)),
        _ => None,
    }
}

/// The account, entity type (`user`, `role`, …) and name an IAM entity ARN names
/// (`arn:PARTITION:iam::ACCOUNT:TYPE/PATH/NAME`), in any partition.
pub fn parse_iam_arn(arn: &str) -> Option<(AccountId, &str, &str)> {
    let mut fields = arn.splitn(6, ':');
    if fields.next()? != "arn" {
        return None;
    }
    let _partition = fields.next()?;
    if fields.next()? != "iam" || !fields.next()?.is_empty() {
        return None;
    }
    let account = AccountId::parse(fields.next()?)?;
    let (entity, path_and_name) = fields.next()?.split_once('/')?;
    Some((account, entity, path_and_name.rsplit('/').next()?))
}

/// Service-linked role names that are not the service's first label in title case, as each
/// service's documentation names its role ("Using service-linked roles for …"); the suffix
/// after `_` is part of the name for Application Auto Scaling's per-resource roles.
const SERVICE_LINKED_ROLE_NAMES: &[(&str, &str)] = &[
    ("access-analyzer", "AccessAnalyzer"),
    ("autoscaling", "AutoScaling"),
    ("backup", "Backup"),
    ("compute-optimizer", "ComputeOptimizer"),
    (
        "custom-resource.application-autoscaling",
        "ApplicationAutoScaling_CustomResource",
    ),
    (
        "dynamodb.application-autoscaling",
        "ApplicationAutoScaling_DynamoDBTable",
    ),
    (
        "ec2.application-autoscaling",
        "ApplicationAutoScaling_EC2SpotFleetRequest",
    ),
    ("ecs", "ECS"),
    (
        "ecs.application-autoscaling",
        "ApplicationAutoScaling_ECSService",
    ),
    ("eks", "AmazonEKS"),
    ("eks-nodegroup", "AmazonEKSNodegroup"),
    ("elasticache", "ElastiCache"),
    ("elasticbeanstalk", "ElasticBeanstalk"),
    ("elasticloadbalancing", "ElasticLoadBalancing"),
    ("fms", "FMS"),
    ("guardduty", "AmazonGuardDuty"),
    ("inspector2", "AmazonInspector2"),
    (
        "lambda.application-autoscaling",
        "ApplicationAutoScaling_LambdaConcurrency",
    ),
    ("macie", "AmazonMacie"),
    ("opensearchservice", "AmazonOpenSearchService"),
    ("ram", "ResourceAccessManager"),
    ("rds", "RDS"),
    (
        "rds.application-autoscaling",
        "ApplicationAutoScaling_RDSCluster",
    ),
    ("securityhub", "SecurityHub"),
    ("spot", "EC2Spot"),
    ("spotfleet", "EC2SpotFleet"),
    ("sso", "SSO"),
    ("ssm", "AmazonSSM"),
    ("trustedadvisor", "TrustedAdvisor"),
];

/// The role name AWS gives a service's linked role: `AWSServiceRoleFor` + the name the service
/// documents ([`SERVICE_LINKED_ROLE_NAMES`]), else the service's first label in title case
/// (`organizations.amazonaws.com` → `AWSServiceRoleForOrganizations`).
pub fn service_linked_role_name(service: &str, suffix: Option<&str>) -> Result<String, CoreError> {
    let label = service
        .strip_suffix(".amazonaws.com")
        .filter(|l| {
            !l.is_empty()
                && l.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        })
        .ok_or_else(|| CoreError::InvalidInput(format!("Invalid service name {service}.")))?;
    if let Some((_, known)) = SERVICE_LINKED_ROLE_NAMES.iter().find(|(l, _)| *l == label) {
        return Ok(match suffix {
            Some(suffix) => format!("AWSServiceRoleFor{known}_{suffix}"),
            None => format!("AWSServiceRoleFor{known}"),
        });
    }
    let first = label.split('.').next().unwrap_or(label);
    let title: String = first
        .split('-')
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect();
    Ok(match suffix {
        Some(suffix) => format!("AWSServiceRoleFor{title}_{suffix}"),
        None => format!("AWSServiceRoleFor{title}"),
    })
}

/// The OIDC issuer as IAM keys it: host and path without `https://` or a final `/`, or
/// `InvalidInput` for anything but an `https` URL with a host.
pub fn oidc_issuer(url: &str) -> Result<String, CoreError> {
    let invalid = || CoreError::InvalidInput("Invalid Open ID Connect Provider URL".to_owned());
    let rest = url.strip_prefix("https://").ok_or_else(invalid)?;
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    let host = rest.split('/').next().unwrap_or_default();
    if host.is_empty() || rest.contains(['?', '#', ' ']) {
        return Err(invalid());
    }
    Ok(rest.to_owned())
}

/// The ARN an OIDC provider for `url` would have in `account` (the URL as given when invalid).
pub fn oidc_provider_arn(account: &AccountId, url: &str) -> String {
    let issuer = oidc_issuer(url).unwrap_or_else(|_| url.to_owned());
    format!("arn:{PARTITION}:iam::{account}:oidc-provider/{issuer}")
}

/// The ARN a SAML provider named `name` has in `account`.
pub fn saml_provider_arn(account: &AccountId, name: &str) -> String {
    format!("arn:{PARTITION}:iam::{account}:saml-provider/{name}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_linked_role_names_follow_each_services_documentation() {
        let name = |s: &str, suffix| service_linked_role_name(s, suffix).unwrap();
        assert_eq!(
            name("autoscaling.amazonaws.com", None),
            "AWSServiceRoleForAutoScaling"
        );
        assert_eq!(
            name("elasticbeanstalk.amazonaws.com", None),
            "AWSServiceRoleForElasticBeanstalk"
        );
        assert_eq!(
            name(
                "custom-resource.application-autoscaling.amazonaws.com",
                None
            ),
            "AWSServiceRoleForApplicationAutoScaling_CustomResource"
        );
        assert_eq!(
            name("autoscaling.amazonaws.com", Some("suf")),
            "AWSServiceRoleForAutoScaling_suf"
        );
        assert_eq!(
            name("organizations.amazonaws.com", None),
            "AWSServiceRoleForOrganizations"
        );
    }
}
