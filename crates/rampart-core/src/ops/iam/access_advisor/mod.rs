//! IAM access advisor: `GenerateServiceLastAccessedDetails` and the reads of its job
//! (`GetServiceLastAccessedDetails`, `…WithEntities`), `ListPoliciesGrantingServiceAccess`,
//! and the Organizations access report (`organizations`).
//!
//! A job runs when it is created: the report is computed from the snapshot and the audit
//! trail (`report`), stored as one `AccessReportRecord` and read back page by page, so a
//! client polling for `COMPLETED` sees it at once and every page comes from one result.
//! An account keeps its newest [`JOBS_PER_ACCOUNT`] jobs.

use rampart_wire::Timestamp;
use rampart_wire::iam::{self as wire, Output};

use super::Cx;
use crate::engine::WriteTxn;
use crate::error::CoreError;
use crate::model::{AccessReport, AccessReportRecord, AccountId, ReportEntity};
use crate::ops::paging;
use crate::service_reference::reference;
use crate::state::access_report_key;

pub mod organizations;
pub mod report;
#[cfg(test)]
mod tests;

pub use organizations::{generate_organizations_access_report, get_organizations_access_report};

/// How many report jobs an account keeps; generating another drops the oldest.
pub const JOBS_PER_ACCOUNT: usize = 100;

/// The error for a job id the account does not have.
fn no_such_job(job_id: &str) -> CoreError {
    CoreError::NoSuchEntity(format!("No report job with id {job_id} was found."))
}

/// Stores `record`, dropping the account's oldest jobs beyond [`JOBS_PER_ACCOUNT`].
pub fn store_job(txn: &mut WriteTxn<'_>, record: &AccessReportRecord) -> Result<(), CoreError> {
    let mut older: Vec<(i64, String)> = txn
        .state()
        .access_reports(&record.account)
        .map(|j| (j.created, j.job_id.clone()))
        .collect();
    older.sort();
    let excess = (older.len() + 1).saturating_sub(JOBS_PER_ACCOUNT);
    for (_, job_id) in older.iter().take(excess) {
        txn.delete::<AccessReportRecord>(&access_report_key(&record.account, job_id))?;
    }
    txn.put(record)
}

/// The job `job_id` of `account`, or NoSuchEntity.
fn job(cx: &Cx<'_>, account: &AccountId, job_id: &str) -> Result<AccessReportRecord, CoreError> {
    cx.state()
        .access_report(account, job_id)
        .map(|j| j.as_ref().clone())
        .ok_or_else(|| no_such_job(job_id))
}

/// `GenerateServiceLastAccessedDetails`: computes the report on the user, group, role or
/// managed policy `Arn` and stores it as a completed job.
pub fn generate_service_last_accessed_details(
    cx: &Cx<'_>,
    i: &wire::GenerateServiceLastAccessedDetailsInput,
) -> Result<Output, CoreError> {
    let account = cx.account();
    let target = report::parse_target(account, &i.arn)?;
    let state = cx.state();
    let policies = report::applied_policies(&state, account, &target)?;
    let entities = report::entities_in_scope(&state, account, &target);
    let reference = reference();
    let services = report::allowed_services(reference, &policies);
    let granularity = i.granularity.unwrap_or_default();
    let action_level = granularity == wire::AccessAdvisorGranularity::ActionLevel;
    let services = report::service_report(
        cx.engine,
        account,
        &services,
        &policies,
        &entities,
        action_level,
        cx.now,
    )?;
    let record = AccessReportRecord {
        account: account.clone(),
        job_id: crate::random::request_id(),
        created: cx.now,
        completed: cx.now,
        report: AccessReport::Services {
            granularity: granularity.as_str().to_owned(),
            entities,
            services,
        },
    };
    cx.write(|txn| store_job(txn, &record))?;
    Ok(wire::GenerateServiceLastAccessedDetailsOutput {
        job_id: Some(record.job_id),
    }
    .into())
}

/// The services report of a job, or InvalidInput for an Organizations job.
fn services_of(
    job: &AccessReportRecord,
) -> Result<(&str, &[ReportEntity], &[crate::model::ServiceAccess]), CoreError> {
    match &job.report {
        AccessReport::Services {
            granularity,
            entities,
            services,
        } => Ok((granularity, entities, services)),
        AccessReport::Organizations { .. } => Err(no_such_job(&job.job_id)),
    }
}

fn last_accessed(access: &crate::model::ServiceAccess) -> wire::ServiceLastAccessed {
    let last = access.last.as_ref();
    wire::ServiceLastAccessed {
        service_name: access.name.clone(),
        last_authenticated: last.map(|l| Timestamp(l.at)),
        service_namespace: access.prefix.clone(),
        last_authenticated_entity: last.map(|l| l.entity.clone()),
        last_authenticated_region: last.map(|l| l.region.clone()),
        total_authenticated_entities: i32::try_from(access.entities.len()).unwrap_or(i32::MAX),
        tracked_actions_last_accessed: access.actions.as_ref().map(|actions| {
            actions
                .iter()
                .map(|a| wire::TrackedActionLastAccessed {
                    action_name: Some(a.name.clone()),
                    last_accessed_entity: a.last.as_ref().map(|l| l.entity.clone()),
                    last_accessed_time: a.last.as_ref().map(|l| Timestamp(l.at)),
                    last_accessed_region: a.last.as_ref().map(|l| l.region.clone()),
                })
                .collect()
        }),
    }
}

/// `GetServiceLastAccessedDetails`: one page of a job's services, by namespace.
pub fn get_service_last_accessed_details(
    cx: &Cx<'_>,
    i: &wire::GetServiceLastAccessedDetailsInput,
) -> Result<Output, CoreError> {
    let job = job(cx, cx.account(), &i.job_id)?;
    let (granularity, _, services) = services_of(&job)?;
    let (page, is_truncated, marker) = paging::page(
        services.iter().collect(),
        i.marker.as_deref(),
        i.max_items,
        |s| s.prefix.clone(),
    )?;
    Ok(wire::GetServiceLastAccessedDetailsOutput {
        job_status: wire::JobStatus::Completed,
        job_type: wire::AccessAdvisorGranularity::from_wire(granularity),
        job_creation_date: Timestamp(job.created),
        services_last_accessed: page.into_iter().map(last_accessed).collect(),
        job_completion_date: Timestamp(job.completed),
        is_truncated,
        marker,
        error: None,
    }
    .into())
}

/// `GetServiceLastAccessedDetailsWithEntities`: the users and roles of a job that could
/// have used its permissions for one service, those that did first (newest first), then
/// the others by ARN.
pub fn get_service_last_accessed_details_with_entities(
    cx: &Cx<'_>,
    i: &wire::GetServiceLastAccessedDetailsWithEntitiesInput,
) -> Result<Output, CoreError> {
    let job = job(cx, cx.account(), &i.job_id)?;
    let (_, entities, services) = services_of(&job)?;
    if reference().service(&i.service_namespace).is_none() {
        return Err(CoreError::InvalidInput(format!(
            "The service namespace {} is not valid.",
            i.service_namespace
        )));
    }
    // A service the entity's policies do not allow has no entity that could use it.
    let accessed: &[(usize, i64)] = services
        .iter()
        .find(|s| s.prefix.eq_ignore_ascii_case(&i.service_namespace))
        .map_or(&[], |s| s.entities.as_slice());
    let in_scope = !accessed.is_empty()
        || services
            .iter()
            .any(|s| s.prefix.eq_ignore_ascii_case(&i.service_namespace));
    let mut rows: Vec<(Option<i64>, &ReportEntity)> = if in_scope {
        entities
            .iter()
            .enumerate()
            .map(|(n, e)| (accessed.iter().find(|(i, _)| *i == n).map(|(_, at)| *at), e))
            .collect()
    } else {
        Vec::new()
    };
    rows.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.arn.cmp(&b.1.arn)));
    let numbered: Vec<(usize, (Option<i64>, &ReportEntity))> =
        rows.into_iter().enumerate().collect();
    let (page, is_truncated, marker) =
        paging::page(numbered, i.marker.as_deref(), i.max_items, |(n, _)| {
            format!("{n:08}")
        })?;
    let entity_details_list = page
        .into_iter()
        .map(|(_, (at, e))| wire::EntityDetails {
            entity_info: wire::EntityInfo {
                arn: e.arn.clone(),
                name: e.name.clone(),
                entity_type: wire::PolicyOwnerEntityType::from_wire(&e.kind).unwrap_or_default(),
                id: e.id.clone(),
                path: Some(e.path.clone()),
            },
            last_authenticated: at.map(Timestamp),
        })
        .collect();
    Ok(wire::GetServiceLastAccessedDetailsWithEntitiesOutput {
        job_status: wire::JobStatus::Completed,
        job_creation_date: Timestamp(job.created),
        job_completion_date: Timestamp(job.completed),
        entity_details_list,
        is_truncated,
        marker,
        error: None,
    }
    .into())
}

/// `ListPoliciesGrantingServiceAccess`: for each namespace, the permissions policies of
/// the user (and its groups), group or role whose `Allow` statements cover an action of
/// that service.
pub fn list_policies_granting_service_access(
    cx: &Cx<'_>,
    i: &wire::ListPoliciesGrantingServiceAccessInput,
) -> Result<Output, CoreError> {
    let account = cx.account();
    let target = report::parse_target(account, &i.arn)?;
    if matches!(target, report::Target::Policy(_)) {
        return Err(CoreError::InvalidInput(format!(
            "ARN {} is not valid: it must name a user, group or role.",
            i.arn
        )));
    }
    let state = cx.state();
    let policies = report::applied_policies(&state, account, &target)?;
    let reference = reference();
    // Each policy's services, once (a `NotAction` statement matches every action).
    let granted: Vec<Vec<String>> = policies
        .iter()
        .map(|p| {
            report::allowed_services(reference, std::slice::from_ref(p))
                .iter()
                .map(|s| s.prefix.clone())
                .collect()
        })
        .collect();
    let entries: Vec<(usize, wire::ListPoliciesGrantingServiceAccessEntry)> = i
        .service_namespaces
        .iter()
        .enumerate()
        .map(|(n, namespace)| {
            let granting = policies
                .iter()
                .zip(&granted)
                .filter(|(_, prefixes)| prefixes.iter().any(|p| p.eq_ignore_ascii_case(namespace)))
                .map(|(p, _)| wire::PolicyGrantingServiceAccess {
                    policy_name: p.name.clone(),
                    policy_type: if p.arn.is_some() {
                        wire::GrantingPolicyType::Managed
                    } else {
                        wire::GrantingPolicyType::Inline
                    },
                    policy_arn: p.arn.clone(),
                    entity_type: p
                        .owner
                        .as_ref()
                        .and_then(|(kind, _)| wire::PolicyOwnerEntityType::from_wire(kind)),
                    entity_name: p.owner.as_ref().map(|(_, name)| name.clone()),
                })
                .collect();
            (
                n,
                wire::ListPoliciesGrantingServiceAccessEntry {
                    service_namespace: Some(namespace.clone()),
                    policies: granting,
                },
            )
        })
        .collect();
    let (page, is_truncated, marker) =
        paging::page(entries, i.marker.as_deref(), None, |(n, _)| {
            format!("{n:08}")
        })?;
    Ok(wire::ListPoliciesGrantingServiceAccessOutput {
        policies_granting_service_access: page.into_iter().map(|(_, e)| e).collect(),
        is_truncated,
        marker,
    }
    .into())
}
