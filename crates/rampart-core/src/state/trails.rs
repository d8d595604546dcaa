//! The CloudTrail part of the snapshot: trails and their delivery progress, by trail ARN.

use std::sync::Arc;

use super::{Map, State};
use crate::model::{AccountId, TrailDeliveryRecord, TrailRecord};

/// Trails and what their delivery has done.
#[derive(Debug, Clone, Default)]
pub struct TrailState {
    pub(crate) trails: Map<String, Arc<TrailRecord>>,
    pub(crate) deliveries: Map<String, Arc<TrailDeliveryRecord>>,
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
