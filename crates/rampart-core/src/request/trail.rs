//! The account's audit trail as CloudTrail `LookupEvents` shows it (the console's Event
//! history): authorized as `cloudtrail:LookupEvents` for the caller and audited like
//! every call.

use super::{Call, RequestPath};
use crate::authz::{self, Access};
use crate::error::CoreError;

/// How far back `LookupEvents` looks (CloudTrail: 90 days).
const LOOKBACK_SECONDS: i64 = 90 * 86_400;

impl RequestPath {
    /// Up to `limit` events of the caller's account from the last 90 days, newest first.
    pub fn lookup_events(
        &self,
        call: &Call,
        limit: usize,
    ) -> Result<Vec<serde_json::Value>, CoreError> {
        let result = self.read_events(call, limit);
        let error = result
            .as_ref()
            .err()
            .map(|err| (err.code().code().to_owned(), err.client_message()));
        self.audit(
            call,
            "cloudtrail",
            "LookupEvents",
            error.as_ref().map(|(c, m)| (c.as_str(), m.as_str())),
        );
        result
    }

    fn read_events(&self, call: &Call, limit: usize) -> Result<Vec<serde_json::Value>, CoreError> {
        let state = self.engine.snapshot();
        let access = Access {
            action: "cloudtrail:LookupEvents".to_owned(),
            resource: "*".to_owned(),
            keys: Vec::new(),
        };
        authz::authorize(&state, &call.caller, &access, &call.origin.env, None).check()?;
        self.engine.flush_audit()?;
        let since = call.origin.env.now - LOOKBACK_SECONDS;
        let records = self
            .engine
            .audit_events(&call.caller.account, since, limit)?;
        Ok(records
            .iter()
            .filter_map(|r| serde_json::from_str(&r.body).ok())
            .collect())
    }
}
