//! Centralized root access (organizations.md §10): the management account (or IAM's
//! delegated administrator) turns on root credentials management and root sessions for
//! member accounts. Root sessions (`sts:AssumeRoot`) need `RootSessions`; with
//! `RootCredentialsManagement`, new member accounts get no root credentials at all.

use rampart_wire::iam as wire;

use crate::engine::WriteTxn;
use crate::error::CoreError;
use crate::model::{AccountId, OrganizationRecord};
use crate::ops::organizations::{self, Standing};
use crate::state::State;

/// The feature names, as the API spells them.
pub const CREDENTIALS_MANAGEMENT: &str = "RootCredentialsManagement";
/// See [`CREDENTIALS_MANAGEMENT`].
pub const ROOT_SESSIONS: &str = "RootSessions";

/// The caller's organization, if it may manage centralized root access.
fn managed_org(
    state: &State,
    account: &AccountId,
    management_only: bool,
) -> Result<OrganizationRecord, CoreError> {
    let ctx =
        organizations::context(state, account).map_err(|_| CoreError::OrganizationNotFound)?;
    if ctx.org.feature_set != "ALL" {
        return Err(CoreError::OrganizationNotInAllFeaturesMode);
    }
    let iam_admin = ctx
        .org
        .delegated_admins
        .iter()
        .any(|(a, p, _)| a == account && p == "iam.amazonaws.com");
    match ctx.standing {
        Standing::Management => {}
        _ if iam_admin && !management_only => {}
        _ if management_only => {
            return Err(CoreError::CallerIsNotManagementAccount);
        }
        _ => {
            return Err(CoreError::AccountNotManagementOrDelegatedAdministrator);
        }
    }
    if !organizations::delegation::access_enabled(&ctx.org, "iam.amazonaws.com") {
        return Err(CoreError::ServiceAccessNotEnabled);
    }
    Ok(OrganizationRecord::clone(&ctx.org))
}

fn answer(org: &OrganizationRecord) -> (Option<String>, Vec<wire::FeatureType>) {
    let features = org
        .root_features
        .iter()
        .filter_map(|f| match f.as_str() {
            CREDENTIALS_MANAGEMENT => Some(wire::FeatureType::RootCredentialsManagement),
            ROOT_SESSIONS => Some(wire::FeatureType::RootSessions),
            _ => None,
        })
        .collect();
    (Some(org.id.clone()), features)
}

/// Turns a feature on (`enable`) or off; returns the organization id and its features.
pub fn set_feature(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    feature: &str,
    enable: bool,
) -> Result<(Option<String>, Vec<wire::FeatureType>), CoreError> {
    // Enabling is the management account's decision; a delegated administrator may turn off.
    let mut org = managed_org(txn.state(), account, enable)?;
    org.root_features.retain(|f| f != feature);
    if enable {
        org.root_features.push(feature.to_owned());
        org.root_features.sort();
    }
    txn.put(&org)?;
    Ok(answer(&org))
}

/// `ListOrganizationsFeatures`.
pub fn list(
    state: &State,
    account: &AccountId,
) -> Result<(Option<String>, Vec<wire::FeatureType>), CoreError> {
    Ok(answer(&managed_org(state, account, false)?))
}
