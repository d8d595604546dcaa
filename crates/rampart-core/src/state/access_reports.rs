//! The access advisor part of the snapshot: report jobs, keyed by `ACCOUNT/JOB_ID`.

use std::sync::Arc;

use super::{Map, State, decode};
use crate::error::CoreError;
use crate::model::{AccessReportRecord, AccountId, kind};

/// Every account's report jobs.
#[derive(Debug, Clone, Default)]
pub struct AccessReportState {
    pub(crate) jobs: Map<String, Arc<AccessReportRecord>>,
}

impl AccessReportState {
    /// Applies an upsert of a report job; `false` when `kind_name` is not one.
    pub(super) fn apply(
        &mut self,
        kind_name: &str,
        key: &str,
        body: &str,
    ) -> Result<bool, CoreError> {
        if kind_name != kind::ACCESS_REPORT {
            return Ok(false);
        }
        self.jobs.insert(key.to_owned(), Arc::new(decode(body)?));
        Ok(true)
    }

    /// Applies a deletion of a report job; `false` when `kind_name` is not one.
    pub(super) fn remove(&mut self, kind_name: &str, key: &str) -> bool {
        if kind_name != kind::ACCESS_REPORT {
            return false;
        }
        self.jobs.remove(key);
        true
    }
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
