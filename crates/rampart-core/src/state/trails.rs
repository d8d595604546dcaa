//! The CloudTrail part of the snapshot: trails and their delivery progress, by trail ARN.

use std::sync::Arc;

use super::{Map, State, decode};
use crate::error::CoreError;
use crate::model::{AccountId, TrailDeliveryRecord, TrailRecord, kind};

/// Trails and what their delivery has done.
#[derive(Debug, Clone, Default)]
pub struct TrailState {
    pub(crate) trails: Map<String, Arc<TrailRecord>>,
    pub(crate) deliveries: Map<String, Arc<TrailDeliveryRecord>>,
}

impl TrailState {
    /// Applies an upsert of a CloudTrail kind; `false` when `kind_name` is not one.
    pub(super) fn apply(
        &mut self,
        kind_name: &str,
        key: &str,
        body: &str,
    ) -> Result<bool, CoreError> {
        match kind_name {
            kind::TRAIL => {
                self.trails.insert(key.to_owned(), Arc::new(decode(body)?));
            }
            kind::TRAIL_DELIVERY => {
                self.deliveries
                    .insert(key.to_owned(), Arc::new(decode(body)?));
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// Applies a deletion of a CloudTrail kind; `false` when `kind_name` is not one.
    pub(super) fn remove(&mut self, kind_name: &str, key: &str) -> bool {
        match kind_name {
            kind::TRAIL => {
                self.trails.remove(key);
            }
            kind::TRAIL_DELIVERY => {
                self.deliveries.remove(key);
            }
            _ => return false,
        }
        true
    }
}

impl State {
    /// A trail by ARN.
    pub fn trail(&self, arn: &str) -> Option<&Arc<TrailRecord>> {
        self.trails.trails.get(arn)
    }

    /// Every trail of every account, by ARN.
    pub fn all_trails(&self) -> impl Iterator<Item = &Arc<TrailRecord>> {
        self.trails.trails.values()
    }

    /// The trails `account` owns, in every region.
    pub fn trails_of<'s>(
        &'s self,
        account: &'s AccountId,
    ) -> impl Iterator<Item = &'s Arc<TrailRecord>> + 's {
        self.trails
            .trails
            .values()
            .filter(move |t| &t.account == account)
    }

    /// What the delivery of the trail `arn` has done.
    pub fn trail_delivery(&self, arn: &str) -> Option<&Arc<TrailDeliveryRecord>> {
        self.trails.deliveries.get(arn)
    }
}
