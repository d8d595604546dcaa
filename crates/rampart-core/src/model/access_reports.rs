//! Access advisor report jobs (`GenerateServiceLastAccessedDetails`,
//! `GenerateOrganizationsAccessReport`): the report as it was computed when the job ran,
//! so that every page a client reads comes from one consistent result.

use serde::{Deserialize, Serialize};

use super::AccountId;

/// One report job, keyed by `ACCOUNT/JOB_ID`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessReportRecord {
    /// The account that generated it (and alone may read it).
    pub account: AccountId,
    /// The job id, a UUID.
    pub job_id: String,
    /// When the job was created.
    pub created: i64,
    /// When it completed (jobs complete as they are created).
    pub completed: i64,
    /// The result.
    pub report: AccessReport,
}

/// What a job found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AccessReport {
    /// Service last accessed details of a user, group, role or managed policy.
    Services {
        /// `SERVICE_LEVEL` or `ACTION_LEVEL`.
        granularity: String,
        /// The users and roles whose access the report covers.
        entities: Vec<ReportEntity>,
        /// Every service the entity's policies allow, ordered by prefix.
        services: Vec<ServiceAccess>,
    },
    /// Services accessed by the accounts under an organization entity path.
    Organizations {
        /// Services the applicable SCP allows (every service without one).
        accessible: u32,
        /// Every such service, ordered by prefix.
        services: Vec<OrgServiceAccess>,
    },
}

/// A user or role whose access a report covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportEntity {
    /// Its ARN.
    pub arn: String,
    /// Its name.
    pub name: String,
    /// `USER` or `ROLE`.
    pub kind: String,
    /// Its unique id.
    pub id: String,
    /// Its path.
    pub path: String,
}

/// The most recent authenticated attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastAccess {
    /// When (unix seconds).
    pub at: i64,
    /// The user or role ARN that made it.
    pub entity: String,
    /// The region it was made in.
    pub region: String,
}

/// One service of a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceAccess {
    /// The service prefix (`iam`).
    pub prefix: String,
    /// The service name.
    pub name: String,
    /// The most recent attempt by any entity of the report.
    pub last: Option<LastAccess>,
    /// When each entity (index into the report's entities) last attempted it, for those
    /// that did.
    pub entities: Vec<(usize, i64)>,
    /// For `ACTION_LEVEL` jobs and a tracked service: each allowed action and its last
    /// attempt.
    pub actions: Option<Vec<ActionAccess>>,
}

/// One tracked action of a service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionAccess {
    /// The action name (`CreateUser`).
    pub name: String,
    /// Its most recent attempt.
    pub last: Option<LastAccess>,
}

/// One service of an Organizations access report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgServiceAccess {
    /// The service prefix.
    pub prefix: String,
    /// The service name.
    pub name: String,
    /// When an account under the path last attempted it.
    pub last: Option<i64>,
    /// The region of that attempt.
    pub region: Option<String>,
    /// The entity path of the account that made it.
    pub entity_path: Option<String>,
    /// How many accounts under the path attempted it.
    pub accounts: u32,
}
