//! Tags on IAM entities: merging, removing, and AWS's limits.

use rampart_wire::iam as wire;

use crate::error::CoreError;
use crate::model::Tag;

/// Most tags an IAM entity may carry.
pub const TAGS_PER_ENTITY: usize = 50;

/// The wire form of stored tags.
pub fn to_wire(tags: &[Tag]) -> Vec<wire::Tag> {
    tags.iter()
        .map(|t| wire::Tag {
            key: t.key.clone(),
            value: t.value.clone(),
        })
        .collect()
}

/// Stored tags from the wire, refusing keys that repeat ignoring case.
pub fn from_wire(tags: Option<&[wire::Tag]>) -> Result<Vec<Tag>, CoreError> {
    let mut out: Vec<Tag> = Vec::new();
    for tag in tags.unwrap_or_default() {
        if out.iter().any(|t| t.key.eq_ignore_ascii_case(&tag.key)) {
            return Err(CoreError::InvalidInput(
                "Duplicate tag keys found. Please note that Tag keys are case insensitive."
                    .to_owned(),
            ));
        }
        out.push(Tag {
            key: tag.key.clone(),
            value: tag.value.clone(),
        });
    }
    Ok(out)
}

/// Adds or overwrites `new` tags (keys compare ignoring case) within the limit.
pub fn merge(existing: &mut Vec<Tag>, new: &[Tag]) -> Result<(), CoreError> {
    for tag in new {
        match existing
            .iter_mut()
            .find(|t| t.key.eq_ignore_ascii_case(&tag.key))
        {
            Some(slot) => slot.value = tag.value.clone(),
            None => existing.push(tag.clone()),
        }
    }
    if existing.len() > TAGS_PER_ENTITY {
        return Err(CoreError::LimitExceeded(
            "The number of tags has reached the maximum limit.".to_owned(),
        ));
    }
    Ok(())
}

/// Removes the tags named by `keys` (ignoring case); absent keys are not an error.
pub fn remove(existing: &mut Vec<Tag>, keys: &[String]) {
    existing.retain(|t| !keys.iter().any(|k| k.eq_ignore_ascii_case(&t.key)));
}
