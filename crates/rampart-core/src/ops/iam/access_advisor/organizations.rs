//! The Organizations access report (`GenerateOrganizationsAccessReport`,
//! `GetOrganizationsAccessReport`): for an entity path of the caller's organization
//! (`o-…/r-…[/ou-…]*[/ACCOUNT]`), run from its management account, which services the
//! accounts under that path attempted, when, from which account and region, and how
//! many accounts did. The services listed are those the SCP `OrganizationsPolicyId`
//! allows, or every service without one.
//!
//! Cost: per account under the path, one keyed lookup (`EventSource`, LIMIT 1) per
//! service Rampart records (`report::RECORDED_SERVICES`); the trail is never scanned.

use rampart_policy::Effect;
use rampart_wire::Timestamp;
use rampart_wire::iam::{self as wire, Output};

use super::report::{RECORDED_SERVICES, TRACKING_PERIOD};
use super::{Cx, job, no_such_job, store_job};
use crate::error::CoreError;
use crate::model::{AccessReport, AccessReportRecord, AccountId, OrgServiceAccess, SCP};
use crate::ops::paging;
use crate::org_tree::entity_path;
use crate::service_reference::{Service, reference};
use crate::state::State;
use crate::store::AuditQuery;

fn invalid_path(path: &str) -> CoreError {
    CoreError::InvalidInput(format!(
        "The entity path {path} does not name an entity of your organization."
    ))
}

/// Every account of the caller's organization under `path`, with its entity path (no
/// trailing slash). The caller must be the organization's management account, and the
/// path must name its root, an OU or an account.
fn accounts_under(
    state: &State,
    caller: &AccountId,
    path: &str,
) -> Result<Vec<(AccountId, String)>, CoreError> {
    let Some((org, _)) = state.org_of(caller) else {
        return Err(invalid_path(path));
    };
    if &org.management != caller {
        return Err(invalid_path(path));
    }
    let wanted = format!("{}/", path.trim_end_matches('/'));
    let accounts: Vec<(AccountId, String)> = state
        .org_members(&org.id)
        .map(|m| {
            let full = entity_path(state, org, &m.parent, m.account.as_str());
            (m.account.clone(), full)
        })
        .collect();
    // The path names an entity when it is the root, an OU's path or an account's path.
    let root = format!("{}/{}/", org.id, org.root_id);
    let names_entity = wanted == root
        || accounts.iter().any(|(_, full)| *full == wanted)
        || state
            .org_units(&org.id)
            .any(|ou| entity_path(state, org, &ou.parent, &ou.id) == wanted);
    if !names_entity {
        return Err(invalid_path(path));
    }
    Ok(accounts
        .into_iter()
        .filter(|(_, full)| full.starts_with(&wanted))
        .map(|(account, full)| (account, full.trim_end_matches('/').to_owned()))
        .collect())
}

/// The services an SCP's `Allow` statements cover, or every service without one.
fn accessible_services(
    state: &State,
    caller: &AccountId,
    policy_id: Option<&str>,
) -> Result<Vec<&'static Service>, CoreError> {
    let reference = reference();
    let Some(id) = policy_id else {
        return Ok(reference.services().collect());
    };
    let org = state.org_of(caller).map(|(org, _)| org.id.clone());
    let entry = state
        .org_policy(id)
        .filter(|p| p.record.policy_type == SCP)
        .filter(|p| p.record.org.is_none() || p.record.org == org)
        .ok_or_else(|| {
            CoreError::InvalidInput(format!("The service control policy {id} was not found."))
        })?;
    let mut services: Vec<&'static Service> = Vec::new();
    if let Some(document) = &entry.document {
        for statement in document.document().statements() {
            if statement.effect() == Effect::Allow {
                services.extend(reference.services_of(statement));
            }
        }
    }
    services.sort_by(|a, b| a.prefix.cmp(&b.prefix));
    services.dedup_by(|a, b| a.prefix == b.prefix);
    Ok(services)
}

/// `GenerateOrganizationsAccessReport`: computes the report and stores it as a completed
/// job.
pub fn generate_organizations_access_report(
    cx: &Cx<'_>,
    i: &wire::GenerateOrganizationsAccessReportInput,
) -> Result<Output, CoreError> {
    let caller = cx.account();
    let state = cx.state();
    let accounts = accounts_under(&state, caller, &i.entity_path)?;
    let services = accessible_services(&state, caller, i.organizations_policy_id.as_deref())?;
    let mut rows = Vec::with_capacity(services.len());
    for service in &services {
        let mut row = OrgServiceAccess {
            prefix: service.prefix.clone(),
            name: service.name.clone(),
            last: None,
            region: None,
            entity_path: None,
            accounts: 0,
        };
        if RECORDED_SERVICES.contains(&service.prefix.as_str()) {
            let source = format!("{}.amazonaws.com", service.prefix);
            for (account, path) in &accounts {
                let newest = cx.engine.lookup_audit(&AuditQuery {
                    account: account.as_str(),
                    start: cx.now.saturating_sub(TRACKING_PERIOD),
                    end: cx.now,
                    key: Some(("EventSource", &source)),
                    after: None,
                    limit: 1,
                })?;
                let Some(event) = newest.first() else {
                    continue;
                };
                row.accounts = row.accounts.saturating_add(1);
                if row.last.is_none_or(|at| event.record.time > at) {
                    let body: serde_json::Value =
                        serde_json::from_str(&event.record.body).unwrap_or_default();
                    row.last = Some(event.record.time);
                    row.region = body
                        .get("awsRegion")
                        .and_then(serde_json::Value::as_str)
                        .map(str::to_owned);
                    row.entity_path = Some(path.clone());
                }
            }
        }
        rows.push(row);
    }
    let record = AccessReportRecord {
        account: caller.clone(),
        job_id: crate::random::request_id(),
        created: cx.now,
        completed: cx.now,
        report: AccessReport::Organizations {
            accessible: u32::try_from(services.len()).unwrap_or(u32::MAX),
            services: rows,
        },
    };
    cx.write(|txn| store_job(txn, &record))?;
    Ok(wire::GenerateOrganizationsAccessReportOutput {
        job_id: Some(record.job_id),
    }
    .into())
}

/// `GetOrganizationsAccessReport`: one page of a job's services in `SortKey` order
/// (namespace ascending by default; services never accessed sort as oldest).
pub fn get_organizations_access_report(
    cx: &Cx<'_>,
    i: &wire::GetOrganizationsAccessReportInput,
) -> Result<Output, CoreError> {
    let job: AccessReportRecord = job(cx, cx.account(), &i.job_id)?;
    let AccessReport::Organizations {
        accessible,
        services,
    } = &job.report
    else {
        return Err(no_such_job(&i.job_id));
    };
    let mut rows: Vec<&OrgServiceAccess> = services.iter().collect();
    use wire::AccessReportSortKey as Key;
    match i.sort_key.unwrap_or(Key::ServiceNamespaceAscending) {
        Key::ServiceNamespaceAscending => rows.sort_by(|a, b| a.prefix.cmp(&b.prefix)),
        Key::ServiceNamespaceDescending => rows.sort_by(|a, b| b.prefix.cmp(&a.prefix)),
        Key::LastAuthenticatedTimeAscending => {
            rows.sort_by(|a, b| a.last.cmp(&b.last).then_with(|| a.prefix.cmp(&b.prefix)));
        }
        Key::LastAuthenticatedTimeDescending => {
            rows.sort_by(|a, b| b.last.cmp(&a.last).then_with(|| a.prefix.cmp(&b.prefix)));
        }
    }
    let accessed = services.iter().filter(|s| s.last.is_some()).count();
    let numbered: Vec<(usize, &OrgServiceAccess)> = rows.into_iter().enumerate().collect();
    let (page, is_truncated, marker) =
        paging::page(numbered, i.marker.as_deref(), i.max_items, |(n, _)| {
            format!("{n:08}")
        })?;
    let access_details = page
        .into_iter()
        .map(|(_, s)| wire::AccessDetail {
            service_name: s.name.clone(),
            service_namespace: s.prefix.clone(),
            region: s.region.clone(),
            entity_path: s.entity_path.clone(),
            last_authenticated_time: s.last.map(Timestamp),
            total_authenticated_entities: i32::try_from(s.accounts).unwrap_or(i32::MAX),
        })
        .collect();
    let accessible = i32::try_from(*accessible).unwrap_or(i32::MAX);
    let accessed = i32::try_from(accessed).unwrap_or(i32::MAX);
    Ok(wire::GetOrganizationsAccessReportOutput {
        job_status: wire::JobStatus::Completed,
        job_creation_date: Timestamp(job.created),
        job_completion_date: Some(Timestamp(job.completed)),
        number_of_services_accessible: Some(accessible),
        number_of_services_not_accessed: Some(accessible.saturating_sub(accessed)),
        access_details: Some(access_details),
        is_truncated,
        marker,
        error_details: None,
    }
    .into())
}
