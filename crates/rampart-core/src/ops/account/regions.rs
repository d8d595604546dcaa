//! Region opt-in (`ListRegions`, `GetRegionOptStatus`, `EnableRegion`, `DisableRegion`).
//!
//! The regions of the `aws` partition launched before March 2019 are
//! `ENABLED_BY_DEFAULT` and cannot be changed; the later ones start `DISABLED`. AWS
//! enables or disables an opt-in region in the background (`ENABLING`, `DISABLING`);
//! here the change completes [`TRANSITION_SECS`] after the request, read lazily from the
//! stored request and `now`, so no job runs and every node agrees.
//! Enabling a region being disabled (or the reverse) is a `ConflictException`, as the
//! Account API reference documents; repeating a request that is already under way or done
//! changes nothing.

use rampart_wire::account::{self as wire, Output, RegionOptStatus};

use super::{record, target};
use crate::auth::Caller;
use crate::engine::Engine;
use crate::error::CoreError;
use crate::model::{AccountRecord, RegionOptRecord};
use crate::state::State;

/// How long an `ENABLING` or `DISABLING` region takes to settle, in seconds.
pub const TRANSITION_SECS: i64 = 5;

/// `ListRegions` answers at most this many per page by default (the model's maximum).
const DEFAULT_PAGE: usize = 50;

/// Every region of the partition and whether it is enabled by default, by name (the
/// opt-in regions are the ones AWS launched from March 2019 on).
const REGIONS: &[(&str, bool)] = &[
    ("af-south-1", false),
    ("ap-east-1", false),
    ("ap-east-2", false),
    ("ap-northeast-1", true),
    ("ap-northeast-2", true),
    ("ap-northeast-3", true),
    ("ap-south-1", true),
    ("ap-south-2", false),
    ("ap-southeast-1", true),
    ("ap-southeast-2", true),
    ("ap-southeast-3", false),
    ("ap-southeast-4", false),
    ("ap-southeast-5", false),
    ("ap-southeast-6", false),
    ("ap-southeast-7", false),
    ("ca-central-1", true),
    ("ca-west-1", false),
    ("eu-central-1", true),
    ("eu-central-2", false),
    ("eu-north-1", true),
    ("eu-south-1", false),
    ("eu-south-2", false),
    ("eu-west-1", true),
    ("eu-west-2", true),
    ("eu-west-3", true),
    ("il-central-1", false),
    ("me-central-1", false),
    ("me-south-1", false),
    ("mx-central-1", false),
    ("sa-east-1", true),
    ("us-east-1", true),
    ("us-east-2", true),
    ("us-west-1", true),
    ("us-west-2", true),
];

/// Whether `region` is one of the partition's Regions enabled by default (not opt-in);
/// `None` for an unknown Region name.
pub fn enabled_by_default(region: &str) -> Option<bool> {
    REGIONS
        .iter()
        .find(|(name, _)| *name == region)
        .map(|(_, by_default)| *by_default)
}

/// The status of `region` for `account` at `now`; `None` for an unknown region name.
pub fn status(account: &AccountRecord, region: &str, now: i64) -> Option<RegionOptStatus> {
    let (_, by_default) = REGIONS.iter().find(|(name, _)| *name == region)?;
    if *by_default {
        return Some(RegionOptStatus::EnabledByDefault);
    }
    Some(match account.regions.get(region) {
        None => RegionOptStatus::Disabled,
        Some(r) => {
            let settled = now >= r.since.saturating_add(TRANSITION_SECS);
            match (r.enabled, settled) {
                (true, true) => RegionOptStatus::Enabled,
                (true, false) => RegionOptStatus::Enabling,
                (false, true) => RegionOptStatus::Disabled,
                (false, false) => RegionOptStatus::Disabling,
            }
        }
    })
}

fn invalid_region(name: &str) -> CoreError {
    CoreError::Validation(format!("The Region name {name} is not valid."))
}

/// `ListRegions`: every region (or those in the statuses asked for), a page at a time;
/// the `NextToken` is the name of the first region of the next page.
pub fn list(
    state: &State,
    caller: &Caller,
    i: &wire::ListRegionsInput,
    now: i64,
) -> Result<Output, CoreError> {
    let account = target(state, caller, i.account_id.as_deref())?;
    let rec = record(state, &account)?;
    let wanted = i.region_opt_status_contains.as_deref().unwrap_or_default();
    let start = match i.next_token.as_deref().filter(|t| !t.is_empty()) {
        None => 0,
        Some(token) => REGIONS
            .iter()
            .position(|(name, _)| *name == token)
            .ok_or_else(|| CoreError::Validation("The NextToken is not valid.".to_owned()))?,
    };
    let page = i
        .max_results
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(DEFAULT_PAGE);
    let mut regions = Vec::new();
    let mut next_token = None;
    for (name, _) in REGIONS.iter().skip(start) {
        let Some(status) = status(&rec, name, now) else {
            continue;
        };
        if !wanted.is_empty() && !wanted.contains(&status) {
            continue;
        }
        if regions.len() == page {
            next_token = Some((*name).to_owned());
            break;
        }
        regions.push(wire::Region {
            region_name: Some((*name).to_owned()),
            region_opt_status: Some(status),
        });
    }
    Ok(wire::ListRegionsOutput {
        next_token,
        regions: Some(regions),
    }
    .into())
}

/// `GetRegionOptStatus`.
pub fn get(
    state: &State,
    caller: &Caller,
    i: &wire::GetRegionOptStatusInput,
    now: i64,
) -> Result<Output, CoreError> {
    let account = target(state, caller, i.account_id.as_deref())?;
    let rec = record(state, &account)?;
    let status = status(&rec, &i.region_name, now).ok_or_else(|| invalid_region(&i.region_name))?;
    Ok(wire::GetRegionOptStatusOutput {
        region_name: Some(i.region_name.clone()),
        region_opt_status: Some(status),
    }
    .into())
}

/// `EnableRegion` (`enable`) or `DisableRegion`.
pub fn change(
    engine: &Engine,
    caller: &Caller,
    account_id: Option<&str>,
    region: &str,
    enable: bool,
    now: i64,
) -> Result<Output, CoreError> {
    let account = target(&engine.snapshot(), caller, account_id)?;
    engine.write(|txn| {
        let mut rec = record(txn.state(), &account)?;
        let current = status(&rec, region, now).ok_or_else(|| invalid_region(region))?;
        use RegionOptStatus as S;
        match (current, enable) {
            (S::EnabledByDefault, _) => {
                return Err(CoreError::Validation(format!(
                    "The Region {region} is enabled by default and cannot be enabled or disabled."
                )));
            }
            (S::Enabled | S::Enabling, true) | (S::Disabled | S::Disabling, false) => {
                return Ok(());
            }
            (S::Disabling, true) => {
                return Err(CoreError::Conflict(format!(
                    "The Region {region} is being disabled; enable it once it is DISABLED."
                )));
            }
            (S::Enabling, false) => {
                return Err(CoreError::Conflict(format!(
                    "The Region {region} is being enabled; disable it once it is ENABLED."
                )));
            }
            (S::Disabled, true) | (S::Enabled, false) => {}
        }
        rec.regions.insert(
            region.to_owned(),
            RegionOptRecord {
                enabled: enable,
                since: now,
            },
        );
        txn.put(&rec)
    })?;
    Ok(Output::Empty)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::account::tests::{Fixture, status_of};

    #[test]
    fn table_is_sorted_and_has_the_seventeen_default_regions() {
        assert!(REGIONS.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(REGIONS.iter().filter(|(_, d)| *d).count(), 17);
        assert_eq!(REGIONS.len(), 34);
    }

    #[test]
    fn enabling_settles_after_the_transition_and_disabling_conflicts_meanwhile() {
        let f = Fixture::standalone();
        let t = 1_000;
        assert_eq!(status_of(&f, "af-south-1", t), RegionOptStatus::Disabled);
        change(&f.engine, &f.root, None, "af-south-1", true, t).unwrap();
        assert_eq!(
            status_of(&f, "af-south-1", t + 1),
            RegionOptStatus::Enabling
        );
        // Asking again while it is under way changes nothing (and keeps the start time).
        change(&f.engine, &f.root, None, "af-south-1", true, t + 2).unwrap();
        let err = change(&f.engine, &f.root, None, "af-south-1", false, t + 2).unwrap_err();
        assert!(matches!(err, CoreError::Conflict(_)), "{err:?}");
        let done = t + TRANSITION_SECS;
        assert_eq!(status_of(&f, "af-south-1", done), RegionOptStatus::Enabled);
        change(&f.engine, &f.root, None, "af-south-1", false, done).unwrap();
        assert_eq!(
            status_of(&f, "af-south-1", done),
            RegionOptStatus::Disabling
        );
        let err = change(&f.engine, &f.root, None, "af-south-1", true, done + 1).unwrap_err();
        assert_eq!(
            err.code(),
            rampart_wire::ErrorCode::AccountApiConflictException
        );
        assert_eq!(
            status_of(&f, "af-south-1", done + TRANSITION_SECS),
            RegionOptStatus::Disabled
        );
    }

    #[test]
    fn default_and_unknown_regions_are_validation_errors() {
        let f = Fixture::standalone();
        let err = change(&f.engine, &f.root, None, "us-east-1", false, 0).unwrap_err();
        assert!(matches!(err, CoreError::Validation(_)), "{err:?}");
        let err = change(&f.engine, &f.root, None, "mars-1", true, 0).unwrap_err();
        assert!(matches!(err, CoreError::Validation(_)), "{err:?}");
        assert_eq!(
            status_of(&f, "us-east-1", 0),
            RegionOptStatus::EnabledByDefault
        );
    }

    #[test]
    fn list_filters_by_status_and_pages_by_region_name() {
        let f = Fixture::standalone();
        change(&f.engine, &f.root, None, "me-south-1", true, 0).unwrap();
        let state = f.engine.snapshot();
        let input = wire::ListRegionsInput {
            region_opt_status_contains: Some(vec![
                RegionOptStatus::Enabled,
                RegionOptStatus::Disabled,
            ]),
            max_results: Some(10),
            ..Default::default()
        };
        let Output::ListRegions(first) = list(&state, &f.root, &input, 100).unwrap() else {
            panic!("wrong output");
        };
        let names = |o: &wire::ListRegionsOutput| -> Vec<String> {
            o.regions
                .iter()
                .flatten()
                .map(|r| r.region_name.clone().unwrap())
                .collect()
        };
        assert_eq!(names(&first).len(), 10);
        assert_eq!(first.next_token.as_deref(), Some("eu-central-2"));
        let Output::ListRegions(rest) = list(
            &state,
            &f.root,
            &wire::ListRegionsInput {
                next_token: first.next_token.clone(),
                ..input.clone()
            },
            100,
        )
        .unwrap() else {
            panic!("wrong output");
        };
        assert_eq!(
            names(&rest),
            [
                "eu-central-2",
                "eu-south-1",
                "eu-south-2",
                "il-central-1",
                "me-central-1",
                "me-south-1",
                "mx-central-1"
            ]
        );
        assert_eq!(rest.next_token, None);
        let Output::ListRegions(all) =
            list(&state, &f.root, &wire::ListRegionsInput::default(), 100).unwrap()
        else {
            panic!("wrong output");
        };
        assert_eq!(names(&all).len(), 34);
        let bad = wire::ListRegionsInput {
            next_token: Some("nope".into()),
            ..Default::default()
        };
        assert!(matches!(
            list(&state, &f.root, &bad, 0),
            Err(CoreError::Validation(_))
        ));
    }

    #[test]
    fn the_management_account_changes_a_members_regions() {
        let f = Fixture::with_member();
        let member = f.member.as_ref().unwrap().as_str().to_owned();
        change(&f.engine, &f.root, Some(&member), "ap-east-1", true, 0).unwrap();
        let rec = f
            .engine
            .snapshot()
            .account(f.member.as_ref().unwrap())
            .unwrap()
            .clone();
        assert_eq!(
            status(&rec, "ap-east-1", 100),
            Some(RegionOptStatus::Enabled)
        );
        assert_eq!(status_of(&f, "ap-east-1", 100), RegionOptStatus::Disabled);
        // Naming its own id is refused, as for every Account API operation.
        let own = f.root.account.as_str().to_owned();
        let err = change(&f.engine, &f.root, Some(&own), "ap-east-1", true, 0).unwrap_err();
        assert!(matches!(err, CoreError::AccessDenied(_)), "{err:?}");
    }
}
