//! The AWS services that integrate with Organizations: the service principals that may be
//! given trusted access (`EnableAWSServiceAccess`) and delegated administrators. Data only,
//! from the Organizations User Guide page "AWS services that you can use with AWS
//! Organizations" (each service's "service principal" entry); any other principal is
//! `InvalidInputException` / `UNRECOGNIZED_SERVICE_PRINCIPAL`, as AWS answers.

/// Service principals of the services that support trusted access, sorted.
pub const TRUSTED_ACCESS: &[&str] = &[
    "access-analyzer.amazonaws.com",
    "account.amazonaws.com",
    "auditmanager.amazonaws.com",
    "aws-artifact-account-sync.amazonaws.com",
    "backup.amazonaws.com",
    "bcm-pricing-calculator.amazonaws.com",
    "cloudtrail.amazonaws.com",
    "compute-optimizer.amazonaws.com",
    "config-multiaccountsetup.amazonaws.com",
    "config.amazonaws.com",
    "controltower.amazonaws.com",
    "cost-optimization-hub.bcm.amazonaws.com",
    "detective.amazonaws.com",
    "devops-guru.amazonaws.com",
    "ds.amazonaws.com",
    "fms.amazonaws.com",
    "guardduty.amazonaws.com",
    "health.amazonaws.com",
    "iam.amazonaws.com",
    "inspector2.amazonaws.com",
    "ipam.amazonaws.com",
    "license-management.marketplace.amazonaws.com",
    "license-manager-linux-subscriptions.amazonaws.com",
    "license-manager.amazonaws.com",
    "license-manager.member-account.amazonaws.com",
    "macie.amazonaws.com",
    "malware-protection.guardduty.amazonaws.com",
    "member.org.stacksets.cloudformation.amazonaws.com",
    "mgn.amazonaws.com",
    "networkmanager.amazonaws.com",
    "ram.amazonaws.com",
    "reachabilityanalyzer.networkinsights.amazonaws.com",
    "reporting.trustedadvisor.amazonaws.com",
    "resource-explorer-2.amazonaws.com",
    "securityhub.amazonaws.com",
    "securitylake.amazonaws.com",
    "servicecatalog.amazonaws.com",
    "servicequotas.amazonaws.com",
    "ssm.amazonaws.com",
    "sso.amazonaws.com",
    "storage-lens.s3.amazonaws.com",
    "tagpolicies.tag.amazonaws.com",
    "wellarchitected.amazonaws.com",
];

/// Whether `principal` names a service that integrates with Organizations.
pub fn recognized(principal: &str) -> bool {
    TRUSTED_ACCESS.binary_search(&principal).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_and_knows_the_services_rampart_uses() {
        let mut sorted = TRUSTED_ACCESS.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, TRUSTED_ACCESS);
        for p in [
            "iam.amazonaws.com",
            "account.amazonaws.com",
            "sso.amazonaws.com",
            "cloudtrail.amazonaws.com",
        ] {
            assert!(recognized(p), "{p}");
        }
        assert!(!recognized("moto.amazonaws.com"));
        assert!(!recognized("not-a-service"));
    }
}
