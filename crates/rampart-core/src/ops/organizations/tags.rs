//! Tags on the root, OUs, accounts and policies (`TagResource`, `UntagResource`,
//! `ListTagsForResource`).

use rampart_wire::ErrorCode;
use rampart_wire::organizations as wire;

use super::policies::Target;
use super::{OrgCtx, constraint, put_member, put_org, put_unit};
use crate::engine::WriteTxn;
use crate::error::CoreError;
use crate::model::{OrganizationRecord, Tag, kind};
use crate::state::State;

/// Most tags per root, OU, account or policy.
const MAX_TAGS: usize = 50;

/// Stored tags from the wire.
pub fn from_wire(tags: Option<&[wire::Tag]>) -> Result<Vec<Tag>, CoreError> {
    let tags = tags.unwrap_or_default();
    if tags.len() > MAX_TAGS {
        return Err(constraint(
            "TAG_LIMIT_EXCEEDED",
            "You have exceeded the number of tags allowed on this resource.",
        ));
    }
    Ok(tags
        .iter()
        .map(|t| Tag {
            key: t.key.clone(),
            value: t.value.clone(),
        })
        .collect())
}

/// The wire form.
pub fn to_wire(tags: &[Tag]) -> Vec<wire::Tag> {
    tags.iter()
        .map(|t| wire::Tag {
            key: t.key.clone(),
            value: t.value.clone(),
        })
        .collect()
}

fn not_found() -> CoreError {
    CoreError::org(
        ErrorCode::TargetNotFoundException,
        "We can't find a root, OU, account, or policy with the TargetId that you specified.",
    )
}

/// The tags of a taggable resource.
pub fn list(state: &State, org: &OrganizationRecord, id: &str) -> Result<Vec<Tag>, CoreError> {
    if id.starts_with("p-") {
        return match state.org_policy(id) {
            Some(p) if p.record.org.as_deref() == Some(org.id.as_str()) => {
                Ok(p.record.tags.clone())
            }
            _ => Err(not_found()),
        };
    }
    Ok(
        match super::policies::target(state, org, id).map_err(|_| not_found())? {
            Target::Root => org.root_tags.clone(),
            Target::Ou(u) => u.tags,
            Target::Account(m) => m.tags,
        },
    )
}

/// Changes the tags of a taggable resource.
pub fn edit(
    txn: &mut WriteTxn<'_>,
    ctx: &OrgCtx,
    id: &str,
    change: impl FnOnce(&mut Vec<Tag>),
) -> Result<(), CoreError> {
    ctx.require_management()?;
    let state = txn.state();
    let org = OrganizationRecord::clone(&ctx.org);
    let limit = |tags: &Vec<Tag>| {
        if tags.len() > MAX_TAGS {
            return Err(constraint(
                "TAG_LIMIT_EXCEEDED",
                "You have exceeded the number of tags allowed on this resource.",
            ));
        }
        Ok(())
    };
    if id.starts_with("p-") {
        let mut record = match state.org_policy(id) {
            Some(p) if p.record.org.as_deref() == Some(org.id.as_str()) => p.record.clone(),
            _ => return Err(not_found()),
        };
        change(&mut record.tags);
        limit(&record.tags)?;
        return txn.put(kind::ORG_POLICY, id, &record);
    }
    match super::policies::target(state, &org, id).map_err(|_| not_found())? {
        Target::Root => {
            let mut org = org;
            change(&mut org.root_tags);
            limit(&org.root_tags)?;
            put_org(txn, &org)
        }
        Target::Ou(mut unit) => {
            change(&mut unit.tags);
            limit(&unit.tags)?;
            put_unit(txn, &unit)
        }
        Target::Account(mut member) => {
            change(&mut member.tags);
            limit(&member.tags)?;
            put_member(txn, &member)
        }
    }
}

/// Adds or replaces tags by key.
pub fn merge(existing: &mut Vec<Tag>, new: &[Tag]) {
    for tag in new {
        match existing.iter_mut().find(|t| t.key == tag.key) {
            Some(slot) => slot.value.clone_from(&tag.value),
            None => existing.push(tag.clone()),
        }
    }
}
