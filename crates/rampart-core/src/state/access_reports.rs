//! The access advisor part of the snapshot: report jobs, keyed by `ACCOUNT/JOB_ID`.

use std::sync::Arc;

use super::{Map, State};
use crate::model::{AccessReportRecord, AccountId};

/// Every account's report jobs.
#[derive(Debug, Clone, Default)]
pub struct AccessReportState {
    pub(crate) jobs: Map<String, Arc<AccessReportRecord>>,
}

/// The key of job `job_id` of `account`.
pub fn access_report_key(account: &AccountId, job_id: &str) -> String {
    format!("{account}/{job_id}")
}

impl State {
    /// The report job `job_id` of `account`.
    pub fn access_report(
        &self,
        account: &AccountId,
        job_id: &str,
    ) -> Option<&Arc<AccessReportRecord>> {
        self.access_reports
            .jobs
            .get(&access_report_key(account, job_id))
    }

    /// Every report job of `account`, by job id.
    pub fn access_reports(
        &self,
        account: &AccountId,
    ) -> impl Iterator<Item = &Arc<AccessReportRecord>> {
        let from = format!("{account}/");
        self.access_reports
            .jobs
            .range(from.clone()..)
            .take_while(move |(k, _)| k.starts_with(&from))
            .map(|(_, v)| v)
    }
}
