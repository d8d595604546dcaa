//! Computing a service last accessed report: which IAM entity an ARN names, the policies
//! that apply to it, the services those policies allow (from the service authorization
//! reference), and when each user or role in scope last attempted each service and action
//! (from the audit trail).
//!
//! Cost: the trail is never scanned. Every event of an IAM user or a role session carries
//! one `PrincipalService` lookup key (`audit::PRINCIPAL_SERVICE_KEY`), so a service's last
//! access by one entity is one keyed lookup (LIMIT 1) in the store's `audit_keys` index;
//! a report makes one per (entity in scope, allowed service that Rampart records) pair.
//! `ACTION_LEVEL` pages through that entity's events in the service, newest first, until
//! every allowed action has been seen or [`MAX_ACTION_EVENTS`] were read.

use std::collections::BTreeMap;
use std::sync::Arc;

use rampart_policy::{Effect, Policy};

use crate::audit::{PRINCIPAL_SERVICE_KEY, principal_service_value};
use crate::engine::Engine;
use crate::error::CoreError;
use crate::model::{AccountId, ActionAccess, LastAccess, ReportEntity, ServiceAccess};
use crate::ops::iam::{groups, policies, roles, users};
use crate::service_reference::{Reference, Service};
use crate::state::State;
use crate::store::{AuditCursor, AuditQuery, StoredAudit};

/// How far back access is reported: AWS's tracking period (400 days).
pub const TRACKING_PERIOD: i64 = 400 * 24 * 3600;

/// The services whose calls Rampart itself serves and records: the only ones an entity
/// can have attempted here. Other services a policy allows are listed, never accessed.
pub const RECORDED_SERVICES: [&str; 6] = [
    "account",
    "cloudtrail",
    "events",
    "iam",
    "organizations",
    "sts",
];

/// At most this many of one entity's events in one service are read for action-level
/// data.
pub const MAX_ACTION_EVENTS: usize = 10_000;

/// What an access advisor ARN names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// An IAM user, by name.
    User(String),
    /// An IAM group, by name.
    Group(String),
    /// An IAM role, by name.
    Role(String),
    /// A managed policy (customer or AWS), by ARN.
    Policy(String),
}

/// Parses an IAM entity ARN of `account` (`…:user/path/name`, `…:policy/…`, or an AWS
/// managed policy). Another account's entity is reported as not found, as if it did not
/// exist; a malformed ARN is `InvalidInput`.
pub fn parse_target(account: &AccountId, arn: &str) -> Result<Target, CoreError> {
    let invalid = || CoreError::InvalidInput(format!("ARN {arn} is not valid."));
    let rest = arn.strip_prefix("arn:aws:iam::").ok_or_else(invalid)?;
    let (owner, resource) = rest.split_once(':').ok_or_else(invalid)?;
    let (kind, path_name) = resource.split_once('/').ok_or_else(invalid)?;
    let name = path_name.rsplit('/').next().unwrap_or_default();
    if name.is_empty() {
        return Err(invalid());
    }
    if owner == "aws" && kind == "policy" {
        return Ok(Target::Policy(arn.to_owned()));
    }
    if owner.len() != 12 || !owner.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid());
    }
    let foreign = owner != account.as_str();
    let target = match kind {
        "user" => Target::User(name.to_owned()),
        "group" => Target::Group(name.to_owned()),
        "role" => Target::Role(name.to_owned()),
        "policy" => Target::Policy(arn.to_owned()),
        _ => return Err(invalid()),
    };
    if foreign {
        return Err(not_found(&target));
    }
    Ok(target)
}

/// The NoSuchEntity error for a target that does not exist (IAM's wording per type).
fn not_found(target: &Target) -> CoreError {
    match target {
        Target::User(name) => users::no_such_user(name),
        Target::Group(name) => {
            CoreError::NoSuchEntity(format!("The group with name {name} cannot be found."))
        }
        Target::Role(name) => roles::no_such_role(name),
        Target::Policy(arn) => CoreError::NoSuchEntity(format!("Policy {arn} was not found.")),
    }
}

/// A policy that applies to a target, with where it comes from.
#[derive(Debug, Clone)]
pub struct AppliedPolicy {
    /// The policy's name (inline name, or managed policy name).
    pub name: String,
    /// The managed policy's ARN; `None` for an inline policy.
    pub arn: Option<String>,
    /// For an inline policy: the kind (`USER`, `GROUP`, `ROLE`) and name of its owner.
    pub owner: Option<(&'static str, String)>,
    /// The document.
    pub document: Arc<Policy>,
}

fn inline(
    owner: &'static str,
    owner_name: &str,
    names: &[(String, String)],
    docs: &[Arc<Policy>],
) -> Vec<AppliedPolicy> {
    names
        .iter()
        .zip(docs)
        .map(|((name, _), doc)| AppliedPolicy {
            name: name.clone(),
            arn: None,
            owner: Some((owner, owner_name.to_owned())),
            document: Arc::clone(doc),
        })
        .collect()
}

fn managed(state: &State, arns: &[String]) -> Vec<AppliedPolicy> {
    arns.iter()
        .filter_map(|arn| {
            let entry = state.policy(arn)?;
            Some(AppliedPolicy {
                name: entry.record.name.clone(),
                arn: Some(arn.clone()),
                owner: None,
                document: Arc::clone(entry.document()?),
            })
        })
        .collect()
}

/// The permissions policies of a group.
fn group_policies(
    state: &State,
    account: &AccountId,
    name: &str,
) -> Result<Vec<AppliedPolicy>, CoreError> {
    let group = groups::get(state, account, name)?;
    let r = &group.record;
    let mut out = inline("GROUP", &r.name, &r.inline_policies, &group.inline);
    out.extend(managed(state, &r.attached_policies));
    Ok(out)
}

/// The permissions policies that apply to `target` (a user's include its groups'), or
/// NoSuchEntity. Permissions boundaries are not among them: access advisor lists what
/// permissions policies allow.
pub fn applied_policies(
    state: &State,
    account: &AccountId,
    target: &Target,
) -> Result<Vec<AppliedPolicy>, CoreError> {
    match target {
        Target::User(name) => {
            let user = users::get(state, account, name)?;
            let r = &user.record;
            let mut out = inline("USER", &r.name, &r.inline_policies, &user.inline);
            out.extend(managed(state, &r.attached_policies));
            for group in &r.groups {
                out.extend(group_policies(state, account, group)?);
            }
            Ok(out)
        }
        Target::Group(name) => group_policies(state, account, name),
        Target::Role(name) => {
            let role = roles::get(state, account, name)?;
            let r = &role.record;
            let mut out = inline("ROLE", &r.name, &r.inline_policies, &role.inline);
            out.extend(managed(state, &r.attached_policies));
            Ok(out)
        }
        Target::Policy(arn) => {
            let entry = policies::visible_policy(state, account, arn)?;
            Ok(entry
                .document()
                .map(|doc| AppliedPolicy {
                    name: entry.record.name.clone(),
                    arn: Some(arn.clone()),
                    owner: None,
                    document: Arc::clone(doc),
                })
                .into_iter()
                .collect())
        }
    }
}

/// The users and roles whose access a report on `target` covers: the user or role
/// itself, a group's members, or every user (directly or through a group) and role a
/// managed policy is attached to; ordered by ARN.
pub fn entities_in_scope(state: &State, account: &AccountId, target: &Target) -> Vec<ReportEntity> {
    let user = |r: &crate::model::UserRecord| ReportEntity {
        arn: r.arn(),
        name: r.name.clone(),
        kind: "USER".to_owned(),
        id: r.id.clone(),
        path: r.path.clone(),
    };
    let role = |r: &crate::model::RoleRecord| ReportEntity {
        arn: r.arn(),
        name: r.name.clone(),
        kind: "ROLE".to_owned(),
        id: r.id.clone(),
        path: r.path.clone(),
    };
    let mut out: Vec<ReportEntity> = match target {
        Target::User(name) => state
            .user(account, name)
            .map(|u| user(&u.record))
            .into_iter()
            .collect(),
        Target::Role(name) => state
            .role(account, name)
            .map(|r| role(&r.record))
            .into_iter()
            .collect(),
        Target::Group(name) => state
            .group_members(account, name)
            .map(|u| user(&u.record))
            .collect(),
        Target::Policy(arn) => {
            let holds = |list: &[String]| list.iter().any(|p| p == arn);
            let groups: Vec<String> = state
                .groups(account)
                .filter(|g| holds(&g.record.attached_policies))
                .map(|g| g.record.name.to_ascii_lowercase())
                .collect();
            let users = state.users(account).filter(|u| {
                holds(&u.record.attached_policies)
                    || u.record
                        .groups
                        .iter()
                        .any(|g| groups.contains(&g.to_ascii_lowercase()))
            });
            let roles = state
                .roles(account)
                .filter(|r| holds(&r.record.attached_policies));
            users
                .map(|u| user(&u.record))
                .chain(roles.map(|r| role(&r.record)))
                .collect()
        }
    };
    out.sort_by(|a, b| a.arn.cmp(&b.arn));
    out.dedup_by(|a, b| a.arn == b.arn);
    out
}

/// The services at least one `Allow` statement of `policies` covers, ordered by prefix.
pub fn allowed_services<'r>(
    reference: &'r Reference,
    policies: &[AppliedPolicy],
) -> Vec<&'r Service> {
    let mut found: BTreeMap<&str, &'r Service> = BTreeMap::new();
    for policy in policies {
        for statement in policy.document.document().statements() {
            if statement.effect() != Effect::Allow {
                continue;
            }
            for service in reference.services_of(statement) {
                found.insert(service.prefix.as_str(), service);
            }
        }
    }
    found.into_values().collect()
}

/// Whether an `Allow` statement of `policies` covers `service:action`.
pub fn allows_action(policies: &[AppliedPolicy], action: &str) -> bool {
    policies.iter().any(|p| {
        p.document
            .document()
            .statements()
            .iter()
            .any(|s| s.effect() == Effect::Allow && s.applies_to_action(action))
    })
}

/// The time, region and event name of a stored event.
fn read_event(stored: &StoredAudit) -> (i64, String, String) {
    let body: serde_json::Value = serde_json::from_str(&stored.record.body).unwrap_or_default();
    let text = |key: &str| {
        body.get(key)
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    (stored.record.time, text("awsRegion"), text("eventName"))
}

/// The newest events of `entity` in service `prefix` within the tracking period: one
/// page of at most `limit`, after `after`.
fn events(
    engine: &Engine,
    account: &AccountId,
    entity: &str,
    prefix: &str,
    now: i64,
    after: Option<AuditCursor>,
    limit: usize,
) -> Result<Vec<StoredAudit>, CoreError> {
    let value = principal_service_value(entity, prefix);
    engine.lookup_audit(&AuditQuery {
        account: account.as_str(),
        start: now.saturating_sub(TRACKING_PERIOD),
        end: now,
        key: Some((PRINCIPAL_SERVICE_KEY, &value)),
        after,
        limit,
    })
}

/// Keeps the newer of two last accesses.
fn newer(current: &mut Option<LastAccess>, candidate: LastAccess) {
    if current.as_ref().is_none_or(|c| candidate.at > c.at) {
        *current = Some(candidate);
    }
}

/// Action-level data of `entity` in `service`: the newest attempt at each of `actions`
/// (lower-cased name → slot), merged into `slots`.
fn scan_actions(
    engine: &Engine,
    account: &AccountId,
    entity: &str,
    service: &str,
    now: i64,
    slots: &mut BTreeMap<String, ActionAccess>,
) -> Result<(), CoreError> {
    const PAGE: usize = 500;
    let mut seen = 0;
    let mut after = None;
    let mut found: BTreeMap<String, ()> = BTreeMap::new();
    while seen < MAX_ACTION_EVENTS && found.len() < slots.len() {
        let page = events(engine, account, entity, service, now, after, PAGE)?;
        for stored in &page {
            let (at, region, name) = read_event(stored);
            let key = name.to_ascii_lowercase();
            if found.contains_key(&key) {
                continue;
            }
            if let Some(slot) = slots.get_mut(&key) {
                found.insert(key, ());
                let candidate = LastAccess {
                    at,
                    entity: entity.to_owned(),
                    region,
                };
                newer(&mut slot.last, candidate);
            }
        }
        seen += page.len();
        match page.last() {
            Some(last) if page.len() == PAGE => {
                after = Some(AuditCursor {
                    time: last.record.time,
                    id: last.id,
                });
            }
            _ => break,
        }
    }
    Ok(())
}

/// The report's services: each allowed service with its last access over `entities`,
/// and for `action_level`, each allowed action of the services Rampart records.
pub fn service_report(
    engine: &Engine,
    account: &AccountId,
    services: &[&Service],
    policies: &[AppliedPolicy],
    entities: &[ReportEntity],
    action_level: bool,
    now: i64,
) -> Result<Vec<ServiceAccess>, CoreError> {
    let mut out = Vec::with_capacity(services.len());
    for service in services {
        let recorded = RECORDED_SERVICES.contains(&service.prefix.as_str());
        let mut last = None;
        let mut accessed = Vec::new();
        if recorded {
            for (index, entity) in entities.iter().enumerate() {
                let newest = events(engine, account, &entity.arn, &service.prefix, now, None, 1)?;
                if let Some(stored) = newest.first() {
                    let (at, region, _) = read_event(stored);
                    accessed.push((index, at));
                    newer(
                        &mut last,
                        LastAccess {
                            at,
                            entity: entity.arn.clone(),
                            region,
                        },
                    );
                }
            }
        }
        let actions = if action_level && recorded {
            let mut slots: BTreeMap<String, ActionAccess> = service
                .actions()
                .filter(|a| allows_action(policies, &format!("{}:{}", service.prefix, a.name)))
                .map(|a| {
                    (
                        a.name.to_ascii_lowercase(),
                        ActionAccess {
                            name: a.name.clone(),
                            last: None,
                        },
                    )
                })
                .collect();
            for &(index, _) in &accessed {
                if let Some(entity) = entities.get(index) {
                    scan_actions(
                        engine,
                        account,
                        &entity.arn,
                        &service.prefix,
                        now,
                        &mut slots,
                    )?;
                }
            }
            Some(slots.into_values().collect())
        } else {
            None
        };
        out.push(ServiceAccess {
            prefix: service.prefix.clone(),
            name: service.name.clone(),
            last,
            entities: accessed,
            actions,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_parsed_from_their_arn() {
        let account = AccountId::parse("111111111111").unwrap();
        let parse = |arn: &str| parse_target(&account, arn);
        assert_eq!(
            parse("arn:aws:iam::111111111111:user/team/alice").unwrap(),
            Target::User("alice".to_owned())
        );
        assert_eq!(
            parse("arn:aws:iam::111111111111:role/r").unwrap(),
            Target::Role("r".to_owned())
        );
        assert_eq!(
            parse("arn:aws:iam::111111111111:group/g").unwrap(),
            Target::Group("g".to_owned())
        );
        assert_eq!(
            parse("arn:aws:iam::aws:policy/ReadOnlyAccess").unwrap(),
            Target::Policy("arn:aws:iam::aws:policy/ReadOnlyAccess".to_owned())
        );
        let invalid = |arn: &str| matches!(parse(arn), Err(CoreError::InvalidInput(_)));
        assert!(invalid("arn:aws:s3:::bucket/key"));
        assert!(invalid("arn:aws:iam::111111111111:mfa/x"));
        assert!(invalid("arn:aws:iam::111111111111:user/"));
        assert!(invalid("not an arn at all"));
        assert!(matches!(
            parse("arn:aws:iam::222222222222:user/alice"),
            Err(CoreError::NoSuchEntity(m)) if m.contains("alice")
        ));
    }
}
