//! `SetSecurityTokenServicePreferences`: which version of session tokens the global STS
//! endpoint issues to the account (version 1, AWS's default, works only in the Regions
//! enabled by default; version 2 in every Region). Kept on the account record; read by
//! STS when it seals a token (`ops::sts::token_version`), by authentication when a token
//! is used in an opt-in Region (`auth::check_token_region`) and by `GetAccountSummary`
//! (`GlobalEndpointTokenVersion`).

use rampart_wire::iam::{self as wire, Output};

use super::Cx;
use crate::error::CoreError;

/// `SetSecurityTokenServicePreferences`.
pub fn set_security_token_service_preferences(
    cx: &Cx<'_>,
    i: &wire::SetSecurityTokenServicePreferencesInput,
) -> Result<Output, CoreError> {
    let version = match i.global_endpoint_token_version {
        wire::GlobalEndpointTokenVersion::V1Token => 1,
        wire::GlobalEndpointTokenVersion::V2Token => 2,
    };
    let account = cx.account();
    cx.write(|txn| {
        let mut record = txn
            .state()
            .account(account)
            .ok_or_else(|| CoreError::Internal(format!("account {account} vanished")))?
            .as_ref()
            .clone();
        record.sts_global_token_version = Some(version);
        txn.put(&record)
    })?;
    Ok(Output::Empty)
}

/// The account's `GlobalEndpointTokenVersion` (1 unless it chose 2).
pub fn global_endpoint_token_version(record: Option<&crate::model::AccountRecord>) -> i32 {
    i32::from(record.and_then(|a| a.sts_global_token_version).unwrap_or(1))
}

#[cfg(test)]
mod tests {
    use rampart_wire::iam::{self as wire, Operation as Op, Output};

    use crate::ops::iam::fixture::Fixture;
    use crate::ops::sts::token_version;

    fn summary_version(f: &Fixture) -> i32 {
        match f.run(Op::GetAccountSummary(wire::GetAccountSummaryInput {})) {
            Ok(Output::GetAccountSummary(o)) => o.summary_map["GlobalEndpointTokenVersion"],
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_global_endpoint_issues_the_version_the_account_chose() {
        let f = Fixture::new();
        assert_eq!(summary_version(&f), 1);
        assert_eq!(token_version(&f.state(), f.account(), "us-east-1"), 1);
        assert_eq!(
            token_version(&f.state(), f.account(), "eu-west-1"),
            2,
            "regional endpoints issue v2"
        );
        let set = |v: wire::GlobalEndpointTokenVersion| {
            f.run(Op::SetSecurityTokenServicePreferences(
                wire::SetSecurityTokenServicePreferencesInput {
                    global_endpoint_token_version: v,
                },
            ))
            .unwrap()
        };
        assert_eq!(
            set(wire::GlobalEndpointTokenVersion::V2Token),
            Output::Empty
        );
        assert_eq!(summary_version(&f), 2);
        assert_eq!(token_version(&f.state(), f.account(), "us-east-1"), 2);
        set(wire::GlobalEndpointTokenVersion::V1Token);
        assert_eq!(summary_version(&f), 1);
        assert_eq!(token_version(&f.state(), f.account(), "us-east-1"), 1);
    }
}
