//! Trails: `CreateTrail`, `GetTrail`, `DescribeTrails`, `UpdateTrail`, `DeleteTrail`,
//! `StartLogging`, `StopLogging`, `GetTrailStatus`, `Put`/`GetEventSelectors`,
//! `AddTags`/`RemoveTags`/`ListTags` and `ListTrails`, with CloudTrail's rules: five
//! trails per region, changes only from the home region, organization trails only from
//! the management account with trusted access for `cloudtrail.amazonaws.com`.
//!
//! A trail is stored as a [`TrailRecord`] keyed by its ARN; writing its files is the
//! delivery's (`crate::delivery`), which reads the record and keeps its own progress.

use std::sync::Arc;

use rampart_wire::Timestamp;
use rampart_wire::cloudtrail as wire;

use super::names::{self, Found};
use super::selectors;
use crate::auth::Caller;
use crate::engine::{Engine, WriteTxn};
use crate::error::{CoreError, TrailRule};
use crate::model::{AccountId, TrailDeliveryRecord, TrailRecord};
use crate::ops::organizations::delegation::access_enabled;
use crate::state::State;

/// The service principal an organization trail needs trusted access for.
pub const SERVICE_PRINCIPAL: &str = "cloudtrail.amazonaws.com";
/// The most tags a trail may carry.
const MAX_TAGS: usize = 50;

/// Who calls, from where, when: what every trail operation needs besides its input.
#[derive(Debug, Clone, Copy)]
pub struct TrailCall<'a> {
    /// The caller.
    pub caller: &'a Caller,
    /// The region the call was signed for.
    pub region: &'a str,
    /// The time of the call.
    pub now: i64,
}

impl TrailCall<'_> {
    fn account(&self) -> &AccountId {
        &self.caller.account
    }

    /// The trail `name` names, which the caller may change: in its own account and home
    /// region (`InvalidHomeRegionException` elsewhere; a member account may not change its
    /// organization's trail).
    fn owned(&self, state: &State, name: &str) -> Result<Arc<TrailRecord>, CoreError> {
        // The caller's own trail named by ARN from another region: the wrong region, not
        // an unknown trail.
        if name.starts_with("arn:")
            && let Some(trail) = state.trail(name)
            && &trail.account == self.account()
            && trail.home_region != self.region
        {
            return Err(wrong_region(trail));
        }
        let Found { trail, .. } = names::find(state, self.account(), self.region, name)?;
        if &trail.account != self.account() {
            return Err(TrailRule::NotManagementAccount.error(format!(
                "The trail {} belongs to the organization's management account; only it can change the trail.",
                trail.arn
            )));
        }
        if trail.home_region != self.region {
            return Err(wrong_region(&trail));
        }
        Ok(trail)
    }
}

/// `InvalidHomeRegionException` for a change to `trail` outside its home region.
fn wrong_region(trail: &TrailRecord) -> CoreError {
    TrailRule::WrongHomeRegion.error(format!(
        "The trail {} must be changed from its home region, {}.",
        trail.arn, trail.home_region
    ))
}

/// `CreateTrail`.
pub fn create_trail(
    engine: &Engine,
    call: TrailCall<'_>,
    input: &wire::CreateTrailInput,
) -> Result<wire::CreateTrailOutput, CoreError> {
    names::check_trail_name(&input.name)?;
    let arn = names::trail_arn(call.region, call.account(), &input.name);
    let mut record = TrailRecord {
        arn: arn.clone(),
        account: call.account().clone(),
        name: input.name.clone(),
        home_region: call.region.to_owned(),
        bucket: input.s3_bucket_name.clone(),
        prefix: input.s3_key_prefix.clone().filter(|p| !p.is_empty()),
        sns_topic: input.sns_topic_name.clone(),
        include_global: input.include_global_service_events.unwrap_or(true),
        multi_region: input.is_multi_region_trail.unwrap_or(false),
        log_file_validation: input.enable_log_file_validation.unwrap_or(false),
        cloud_watch_log_group: input.cloud_watch_logs_log_group_arn.clone(),
        cloud_watch_role: input.cloud_watch_logs_role_arn.clone(),
        kms_key_id: input.kms_key_id.clone(),
        organization: input.is_organization_trail.unwrap_or(false),
        org_id: None,
        tags: Vec::new(),
        selectors: None,
        logging: false,
        start_logging: None,
        stop_logging: None,
        created: call.now,
    };
    for tag in input.tags_list.iter().flatten() {
        add_tag(&mut record.tags, tag)?;
    }
    engine.write(|txn| {
        let state = txn.state();
        let taken = state.trails_of(call.account()).any(|t| {
            t.name == input.name
                && (t.home_region == call.region || t.multi_region || record.multi_region)
        });
        if taken {
            return Err(TrailRule::AlreadyExists.error(format!(
                "Trail {} already exists for customer: {}",
                input.name,
                call.account()
            )));
        }
        let in_region = state
            .trails_of(call.account())
            .filter(|t| t.home_region == call.region)
            .count();
        if in_region >= names::TRAILS_PER_REGION {
            return Err(TrailRule::TooManyTrails.error(format!(
                "User: {} already has {} trails in {}.",
                call.account(),
                names::TRAILS_PER_REGION,
                call.region
            )));
        }
        let mut record = record.clone();
        check_settings(state, &mut record)?;
        txn.put(&record)?;
        Ok(wire::CreateTrailOutput::from(trail_output(&record)))
    })
}

/// The rules every trail's settings follow, at creation and after an update: the bucket
/// and prefix are valid, a multi-region trail includes global events, and an
/// organization trail belongs to the management account of an organization with all
/// features and trusted access for CloudTrail (its id is recorded).
fn check_settings(state: &State, record: &mut TrailRecord) -> Result<(), CoreError> {
    names::check_bucket_name(&record.bucket)?;
    if let Some(prefix) = &record.prefix {
        names::check_prefix(prefix)?;
    }
    if record.multi_region && !record.include_global {
        return Err(TrailRule::InvalidCombination
            .error("Multi-Region trail must include global service events."));
    }
    record.org_id = None;
    if !record.organization {
        return Ok(());
    }
    let Some((org, _)) = state.org_of(&record.account) else {
        return Err(TrailRule::NoOrganization.error(format!(
            "This account ({}) is not a member of an organization.",
            record.account
        )));
    };
    if org.management != record.account {
        return Err(TrailRule::NotManagementAccount.error(format!(
            "The request was made by account {}, which is not the management account of organization {}.",
            record.account, org.id
        )));
    }
    if org.feature_set != "ALL" {
        return Err(TrailRule::NotAllFeatures.error(
            "This organization does not have all features enabled; organization trails need all features.",
        ));
    }
    if !access_enabled(org, SERVICE_PRINCIPAL) {
        return Err(TrailRule::TrustedAccessNotEnabled.error(
            "The CloudTrail service principal does not have trusted access to the organization. Enable it with EnableAWSServiceAccess for cloudtrail.amazonaws.com.",
        ));
    }
    record.org_id = Some(org.id.clone());
    Ok(())
}

/// The `Trail` shape of a record.
pub fn trail_output(record: &TrailRecord) -> wire::Trail {
    wire::Trail {
        name: Some(record.name.clone()),
        s3_bucket_name: Some(record.bucket.clone()),
        s3_key_prefix: record.prefix.clone(),
        sns_topic_name: record.sns_topic.clone(),
        sns_topic_arn: record.sns_topic.as_ref().map(|topic| {
            format!(
                "arn:aws:sns:{}:{}:{topic}",
                record.home_region, record.account
            )
        }),
        include_global_service_events: Some(record.include_global),
        is_multi_region_trail: Some(record.multi_region),
        home_region: Some(record.home_region.clone()),
        trail_arn: Some(record.arn.clone()),
        log_file_validation_enabled: Some(record.log_file_validation),
        cloud_watch_logs_log_group_arn: record.cloud_watch_log_group.clone(),
        cloud_watch_logs_role_arn: record.cloud_watch_role.clone(),
        kms_key_id: record.kms_key_id.clone(),
        has_custom_event_selectors: Some(record.selectors.is_some()),
        has_insight_selectors: Some(false),
        is_organization_trail: Some(record.organization),
    }
}

/// `GetTrail`.
pub fn get_trail(
    engine: &Engine,
    call: TrailCall<'_>,
    input: &wire::TrailNameInput,
) -> Result<wire::GetTrailOutput, CoreError> {
    let found = names::find(&engine.snapshot(), call.account(), call.region, &input.name)?;
    Ok(wire::GetTrailOutput {
        trail: Some(trail_output(&found.trail)),
    })
}

/// `DescribeTrails`: the named trails (unknown names are left out), or every trail the
/// caller sees in the region; shadow trails (multi-region trails of other regions,
/// organization trails) unless `includeShadowTrails` is false.
pub fn describe_trails(
    engine: &Engine,
    call: TrailCall<'_>,
    input: &wire::DescribeTrailsInput,
) -> Result<wire::DescribeTrailsOutput, CoreError> {
    let state = engine.snapshot();
    let shadows = input.include_shadow_trails.unwrap_or(true);
    let found: Vec<Found> = match &input.trail_name_list {
        Some(list) if !list.is_empty() => {
            let mut found = Vec::new();
            for name in list {
                match names::find(&state, call.account(), call.region, name) {
                    Ok(f) => found.push(f),
                    Err(CoreError::Trail(TrailRule::NotFound, _)) => {}
                    Err(err) => return Err(err),
                }
            }
            found
        }
        _ => state
            .all_trails()
            .filter(|t| names::visible(&state, t, call.account(), call.region))
            .map(|t| Found {
                trail: Arc::clone(t),
                shadow: &t.account != call.account() || t.home_region != call.region,
            })
            .collect(),
    };
    Ok(wire::DescribeTrailsOutput {
        trail_list: found
            .iter()
            .filter(|f| shadows || !f.shadow)
            .map(|f| trail_output(&f.trail))
            .collect(),
    })
}

/// `UpdateTrail`: absent members keep their value.
pub fn update_trail(
    engine: &Engine,
    call: TrailCall<'_>,
    input: &wire::UpdateTrailInput,
) -> Result<wire::UpdateTrailOutput, CoreError> {
    engine.write(|txn| {
        let mut record = TrailRecord::clone(&*call.owned(txn.state(), &input.name)?);
        let set = |field: &mut Option<String>, value: &Option<String>| {
            if let Some(v) = value {
                *field = (!v.is_empty()).then(|| v.clone());
            }
        };
        if let Some(bucket) = &input.s3_bucket_name {
            record.bucket.clone_from(bucket);
        }
        set(&mut record.prefix, &input.s3_key_prefix);
        set(&mut record.sns_topic, &input.sns_topic_name);
        set(
            &mut record.cloud_watch_log_group,
            &input.cloud_watch_logs_log_group_arn,
        );
        set(
            &mut record.cloud_watch_role,
            &input.cloud_watch_logs_role_arn,
        );
        set(&mut record.kms_key_id, &input.kms_key_id);
        record.include_global = input
            .include_global_service_events
            .unwrap_or(record.include_global);
        record.multi_region = input.is_multi_region_trail.unwrap_or(record.multi_region);
        record.log_file_validation = input
            .enable_log_file_validation
            .unwrap_or(record.log_file_validation);
        record.organization = input.is_organization_trail.unwrap_or(record.organization);
        check_settings(txn.state(), &mut record)?;
        txn.put(&record)?;
        Ok(wire::UpdateTrailOutput::from(trail_output(&record)))
    })
}

/// `DeleteTrail`: the trail and its delivery progress (its files stay).
pub fn delete_trail(
    engine: &Engine,
    call: TrailCall<'_>,
    input: &wire::TrailNameInput,
) -> Result<wire::DeleteTrailOutput, CoreError> {
    engine.write(|txn| {
        let record = call.owned(txn.state(), &input.name)?;
        txn.delete::<TrailRecord>(&record.arn)?;
        if txn.state().trail_delivery(&record.arn).is_some() {
            txn.delete::<TrailDeliveryRecord>(&record.arn)?;
        }
        Ok(wire::DeleteTrailOutput {})
    })
}

/// `StartLogging` / `StopLogging`: idempotent; the times are those of the last change.
pub fn set_logging(
    engine: &Engine,
    call: TrailCall<'_>,
    name: &str,
    logging: bool,
) -> Result<(), CoreError> {
    // Delivery starts after the events stored so far (see `crate::delivery`).
    let high_water = if logging {
        engine.audit_high_water()?
    } else {
        0
    };
    engine.write(|txn| {
        let record = call.owned(txn.state(), name)?;
        if record.logging == logging {
            return Ok(());
        }
        let mut record = TrailRecord::clone(&record);
        record.logging = logging;
        if logging {
            record.start_logging = Some(call.now);
            if txn.state().trail_delivery(&record.arn).is_none() {
                let progress = TrailDeliveryRecord {
                    cursor: high_water,
                    ..TrailDeliveryRecord::default()
                };
                txn.put_under(&record.arn, &progress)?;
            }
        } else {
            record.stop_logging = Some(call.now);
        }
        txn.put(&record)
    })
}

/// `GetTrailStatus`.
pub fn get_trail_status(
    engine: &Engine,
    call: TrailCall<'_>,
    input: &wire::TrailNameInput,
) -> Result<wire::GetTrailStatusOutput, CoreError> {
    let state = engine.snapshot();
    let trail = names::find(&state, call.account(), call.region, &input.name)?.trail;
    let delivery = state.trail_delivery(&trail.arn);
    let latest = |f: fn(&crate::model::TrailDeliveryRecord) -> Option<i64>| {
        delivery.and_then(|d| f(d)).map(Timestamp)
    };
    let iso = |t: Option<i64>| t.map(|t| Timestamp(t).to_iso8601());
    let attempt = delivery.and_then(|d| d.latest_attempt);
    Ok(wire::GetTrailStatusOutput {
        is_logging: Some(trail.logging),
        latest_delivery_error: delivery.and_then(|d| d.latest_error.clone()),
        latest_delivery_time: latest(|d| d.latest_delivery),
        start_logging_time: trail.start_logging.map(Timestamp),
        stop_logging_time: trail.stop_logging.map(Timestamp),
        latest_digest_delivery_time: latest(|d| d.latest_digest),
        latest_digest_delivery_error: None,
        latest_delivery_attempt_time: iso(attempt),
        latest_notification_attempt_time: Some(String::new()),
        latest_notification_attempt_succeeded: Some(String::new()),
        latest_delivery_attempt_succeeded: attempt.map(|_| {
            if delivery.is_some_and(|d| d.latest_error.is_none()) {
                iso(delivery.and_then(|d| d.latest_delivery)).unwrap_or_default()
            } else {
                String::new()
            }
        }),
        time_logging_started: iso(trail.start_logging),
        time_logging_stopped: iso(trail.stop_logging),
    })
}

/// `PutEventSelectors`.
pub fn put_event_selectors(
    engine: &Engine,
    call: TrailCall<'_>,
    input: &wire::PutEventSelectorsInput,
) -> Result<wire::PutEventSelectorsOutput, CoreError> {
    let chosen = selectors::from_input(input)?;
    engine.write(|txn| {
        let mut record = TrailRecord::clone(&*call.owned(txn.state(), &input.trail_name)?);
        record.selectors = Some(chosen.clone());
        txn.put(&record)?;
        let (event_selectors, advanced_event_selectors) =
            selectors::to_output(record.selectors.as_ref());
        Ok(wire::PutEventSelectorsOutput {
            trail_arn: Some(record.arn.clone()),
            event_selectors,
            advanced_event_selectors,
        })
    })
}

/// `GetEventSelectors`.
pub fn get_event_selectors(
    engine: &Engine,
    call: TrailCall<'_>,
    input: &wire::GetEventSelectorsInput,
) -> Result<wire::GetEventSelectorsOutput, CoreError> {
    let state = engine.snapshot();
    let trail = names::find(&state, call.account(), call.region, &input.trail_name)?.trail;
    let (event_selectors, advanced_event_selectors) =
        selectors::to_output(trail.selectors.as_ref());
    Ok(wire::GetEventSelectorsOutput {
        trail_arn: Some(trail.arn.clone()),
        event_selectors,
        advanced_event_selectors,
    })
}

/// The trail a tagging call's `ResourceId` names: a trail ARN the caller owns.
fn tagged(
    state: &State,
    call: TrailCall<'_>,
    resource: &str,
) -> Result<Arc<TrailRecord>, CoreError> {
    names::parse_trail_arn(resource)?;
    let trail = state
        .trail(resource)
        .filter(|t| names::visible(state, t, call.account(), call.region))
        .cloned()
        .ok_or_else(|| {
            TrailRule::ResourceNotFound.error(format!("Resource not found: {resource}"))
        })?;
    if &trail.account != call.account() {
        return Err(TrailRule::NotManagementAccount.error(format!(
            "The trail {resource} belongs to the organization's management account; only it can change its tags."
        )));
    }
    Ok(trail)
}

fn add_tag(tags: &mut Vec<(String, Option<String>)>, tag: &wire::Tag) -> Result<(), CoreError> {
    if tag.key.starts_with("aws:") {
        return Err(TrailRule::InvalidTag.error("Tag keys cannot start with aws:."));
    }
    match tags.iter_mut().find(|(k, _)| *k == tag.key) {
        Some((_, value)) => value.clone_from(&tag.value),
        None => tags.push((tag.key.clone(), tag.value.clone())),
    }
    if tags.len() > MAX_TAGS {
        return Err(TrailRule::TooManyTags.error(
            "The number of tags per trail has exceeded the permitted amount. Currently, the limit is 50.",
        ));
    }
    Ok(())
}

/// `AddTags`: a tag with a key already there replaces its value.
pub fn add_tags(
    engine: &Engine,
    call: TrailCall<'_>,
    input: &wire::TagsInput,
) -> Result<wire::AddTagsOutput, CoreError> {
    retag(engine, call, &input.resource_id, |tags| {
        input
            .tags_list
            .iter()
            .try_for_each(|tag| add_tag(tags, tag))
    })?;
    Ok(wire::AddTagsOutput {})
}

/// `RemoveTags`: by key (a value given must match).
pub fn remove_tags(
    engine: &Engine,
    call: TrailCall<'_>,
    input: &wire::TagsInput,
) -> Result<wire::RemoveTagsOutput, CoreError> {
    retag(engine, call, &input.resource_id, |tags| {
        tags.retain(|(key, value)| {
            !input
                .tags_list
                .iter()
                .any(|t| &t.key == key && (t.value.is_none() || &t.value == value))
        });
        Ok(())
    })?;
    Ok(wire::RemoveTagsOutput {})
}

fn retag(
    engine: &Engine,
    call: TrailCall<'_>,
    resource: &str,
    change: impl Fn(&mut Vec<(String, Option<String>)>) -> Result<(), CoreError>,
) -> Result<(), CoreError> {
    engine.write(|txn: &mut WriteTxn<'_>| {
        let mut record = TrailRecord::clone(&*tagged(txn.state(), call, resource)?);
        change(&mut record.tags)?;
        txn.put(&record)
    })
}

/// `ListTags`: the tags of each trail ARN listed.
pub fn list_tags(
    engine: &Engine,
    call: TrailCall<'_>,
    input: &wire::ListTagsInput,
) -> Result<wire::ListTagsOutput, CoreError> {
    let state = engine.snapshot();
    let mut resource_tag_list = Vec::with_capacity(input.resource_id_list.len());
    for resource in &input.resource_id_list {
        names::parse_trail_arn(resource)?;
        let trail = state
            .trail(resource)
            .filter(|t| names::visible(&state, t, call.account(), call.region))
            .ok_or_else(|| {
                TrailRule::ResourceNotFound.error(format!("Resource not found: {resource}"))
            })?;
        resource_tag_list.push(wire::ResourceTag {
            resource_id: Some(resource.clone()),
            tags_list: trail
                .tags
                .iter()
                .map(|(key, value)| wire::Tag {
                    key: key.clone(),
                    value: value.clone(),
                })
                .collect(),
        });
    }
    Ok(wire::ListTagsOutput {
        resource_tag_list,
        next_token: None,
    })
}

/// `ListTrails`: every trail the account owns, in every region, and its organization's
/// trails.
pub fn list_trails(
    engine: &Engine,
    call: TrailCall<'_>,
    _input: &wire::ListTrailsInput,
) -> Result<wire::ListTrailsOutput, CoreError> {
    let state = engine.snapshot();
    let org = state.org_of(call.account()).map(|(org, _)| org.id.clone());
    let trails = state
        .all_trails()
        .filter(|t| {
            &t.account == call.account()
                || (t.organization && t.org_id.is_some() && t.org_id == org)
        })
        .map(|t| wire::TrailInfo {
            trail_arn: Some(t.arn.clone()),
            name: Some(t.name.clone()),
            home_region: Some(t.home_region.clone()),
        })
        .collect();
    Ok(wire::ListTrailsOutput {
        trails,
        next_token: None,
    })
}
