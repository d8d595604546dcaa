//! The wire side of centralized root access: `Enable`/`DisableOrganizationsRoot*` and
//! `ListOrganizationsFeatures`. The rules (who may, which organization) live in
//! [`root_access`](super::root_access).

use rampart_wire::iam::{self as wire, Output};

use super::Cx;
use super::root_access::{self, CREDENTIALS_MANAGEMENT, ROOT_SESSIONS};
use crate::error::CoreError;

/// The organization id and enabled features after turning `feature` on or off.
type Features = (Option<String>, Vec<wire::FeatureType>);

fn set(cx: &Cx<'_>, feature: &str, enabled: bool) -> Result<Features, CoreError> {
    cx.write(|txn| root_access::set_feature(txn, cx.account(), feature, enabled))
}

/// `EnableOrganizationsRootCredentialsManagement`.
pub fn enable_organizations_root_credentials_management(
    cx: &Cx<'_>,
    _: &wire::EnableOrganizationsRootCredentialsManagementInput,
) -> Result<Output, CoreError> {
    let (organization_id, enabled_features) = set(cx, CREDENTIALS_MANAGEMENT, true)?;
    Ok(wire::EnableOrganizationsRootCredentialsManagementOutput {
        organization_id,
        enabled_features,
    }
    .into())
}

/// `DisableOrganizationsRootCredentialsManagement`.
pub fn disable_organizations_root_credentials_management(
    cx: &Cx<'_>,
    _: &wire::DisableOrganizationsRootCredentialsManagementInput,
) -> Result<Output, CoreError> {
    let (organization_id, enabled_features) = set(cx, CREDENTIALS_MANAGEMENT, false)?;
    Ok(wire::DisableOrganizationsRootCredentialsManagementOutput {
        organization_id,
        enabled_features,
    }
    .into())
}

/// `EnableOrganizationsRootSessions`.
pub fn enable_organizations_root_sessions(
    cx: &Cx<'_>,
    _: &wire::EnableOrganizationsRootSessionsInput,
) -> Result<Output, CoreError> {
    let (organization_id, enabled_features) = set(cx, ROOT_SESSIONS, true)?;
    Ok(wire::EnableOrganizationsRootSessionsOutput {
        organization_id,
        enabled_features,
    }
    .into())
}

/// `DisableOrganizationsRootSessions`.
pub fn disable_organizations_root_sessions(
    cx: &Cx<'_>,
    _: &wire::DisableOrganizationsRootSessionsInput,
) -> Result<Output, CoreError> {
    let (organization_id, enabled_features) = set(cx, ROOT_SESSIONS, false)?;
    Ok(wire::DisableOrganizationsRootSessionsOutput {
        organization_id,
        enabled_features,
    }
    .into())
}

/// `ListOrganizationsFeatures`.
pub fn list_organizations_features(
    cx: &Cx<'_>,
    _: &wire::ListOrganizationsFeaturesInput,
) -> Result<Output, CoreError> {
    let (organization_id, enabled_features) = root_access::list(&cx.state(), cx.account())?;
    Ok(wire::ListOrganizationsFeaturesOutput {
        organization_id,
        enabled_features,
    }
    .into())
}
