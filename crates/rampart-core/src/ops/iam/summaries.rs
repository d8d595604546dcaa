//! `GetHumanReadableSummary`: a plain-language summary of an entity; as in AWS, the only
//! entity type is a delegation request. Who may read it follows `GetDelegationRequest`
//! (the request is visible to its requestor and to the account it is for; its owner
//! needs no policy).
//!
//! AWS writes the summary with a language model in the console locale asked for; Rampart
//! writes the request's facts deterministically in English (`policy_summary` for its
//! permissions), answers `NOT_SUPPORTED` for the other console locales, and
//! `InvalidInput` for a locale that is not one of them.

use rampart_policy::{Policy, PolicyKind};
use rampart_wire::iam::{self as wire, Output};

use super::Cx;
use super::delegation_requests::{status, visible};
use crate::error::CoreError;
use crate::model::{DelegationRequestRecord, DelegationStatus};
use crate::policy_summary;

/// The console's languages (AWS Management Console "Supported languages").
const CONSOLE_LOCALES: [&str; 13] = [
    "en", "en-US", "de", "es", "fr", "it", "id", "ja", "ko", "pt-BR", "tr", "zh-CN", "zh-TW",
];

/// `summaryContentType`'s maximum length.
const MAX_SUMMARY: usize = 10_000;

/// The delegation request id an entity ARN names, or `InvalidInput`.
fn delegation_request_id(arn: &str) -> Result<&str, CoreError> {
    let unsupported = || {
        CoreError::InvalidInput(format!(
            "The entity {arn} is not supported: only delegation-request entities can be summarized."
        ))
    };
    let rest = arn.strip_prefix("arn:aws:iam::").ok_or_else(unsupported)?;
    let (_, resource) = rest.split_once(':').ok_or_else(unsupported)?;
    resource
        .strip_prefix("delegation-request/")
        .filter(|id| !id.is_empty() && !id.contains('/'))
        .ok_or_else(unsupported)
}

fn state_name(status: DelegationStatus) -> &'static str {
    match status {
        DelegationStatus::Unassigned => "unassigned (no customer has associated it yet)",
        DelegationStatus::Assigned => "assigned, awaiting review",
        DelegationStatus::PendingApproval => "pending an administrator's approval",
        DelegationStatus::Accepted => "accepted",
        DelegationStatus::Finalized => "finalized (the partner received its token)",
        DelegationStatus::Rejected => "rejected",
        DelegationStatus::Expired => "expired",
    }
}

/// `3600` → `1 hour`, `5400` → `90 minutes`.
fn duration(seconds: i64) -> String {
    let plural = |n: i64, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
    if seconds % 3600 == 0 {
        plural(seconds / 3600, "hour")
    } else if seconds % 60 == 0 {
        plural(seconds / 60, "minute")
    } else {
        plural(seconds, "second")
    }
}

/// The English summary of a delegation request at `now`.
pub fn delegation_summary(r: &DelegationRequestRecord, now: i64) -> String {
    let requestor = match &r.requestor_name {
        Some(name) => format!("{name} (account {})", r.requestor),
        None => format!("Account {}", r.requestor),
    };
    let target = r.owner_account.as_ref().map_or_else(
        || "an AWS account that associates this request".to_owned(),
        |a| format!("AWS account {a}"),
    );
    let mut lines = vec![format!(
        "{requestor} requests temporary access to {target} for {} after the request is finalized.",
        duration(r.session_duration)
    )];
    if !r.description.is_empty() {
        lines.push(format!("Purpose: {}", r.description));
    }
    if let Some(message) = &r.request_message {
        lines.push(format!("Message from the requester: {message}"));
    }
    match Policy::parse(&r.permission_policy, PolicyKind::Session) {
        Ok(policy) => {
            lines.push("The delegated sessions would be limited to these permissions:".to_owned());
            lines.extend(
                policy_summary::summarize(policy.document())
                    .into_iter()
                    .map(|s| format!("- {s}")),
            );
        }
        Err(_) => lines.push("The requested permissions could not be read.".to_owned()),
    }
    if !r.role_permission_restriction_arns.is_empty() {
        lines.push(format!(
            "Roles created through this access must have one of these permissions boundaries: {}.",
            r.role_permission_restriction_arns.join(", ")
        ));
    }
    if r.only_send_by_owner {
        lines.push("Only the request's owner can release the access to the requester.".to_owned());
    }
    lines.push(format!("The request is {}.", state_name(status(r, now))));
    let mut text = lines.join("\n");
    if text.len() > MAX_SUMMARY {
        let mut cut = MAX_SUMMARY.saturating_sub(1);
        while !text.is_char_boundary(cut) {
            cut = cut.saturating_sub(1);
        }
        text.truncate(cut);
        text.push('…');
    }
    text
}

/// `GetHumanReadableSummary`.
pub fn get_human_readable_summary(
    cx: &Cx<'_>,
    i: &wire::GetHumanReadableSummaryInput,
) -> Result<Output, CoreError> {
    let locale = i.locale.clone().unwrap_or_else(|| "en".to_owned());
    if !CONSOLE_LOCALES.contains(&locale.as_str()) {
        return Err(CoreError::InvalidInput(format!(
            "The locale {locale} is not supported."
        )));
    }
    let id = delegation_request_id(&i.entity_arn)?;
    let state = cx.state();
    let record = state
        .delegation_request(id)
        .filter(|r| visible(r, cx.caller))
        .ok_or_else(|| {
            CoreError::NoSuchEntity(format!(
                "The delegation request with id {id} cannot be found."
            ))
        })?;
    let english = locale == "en" || locale == "en-US";
    Ok(wire::GetHumanReadableSummaryOutput {
        summary_content: english.then(|| delegation_summary(record, cx.now)),
        locale: Some(locale),
        summary_state: Some(if english {
            wire::SummaryState::Available
        } else {
            wire::SummaryState::NotSupported
        }),
    }
    .into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_delegation_request_arns_are_summarized() {
        assert_eq!(
            delegation_request_id("arn:aws:iam::111122223333:delegation-request/dr-abc").unwrap(),
            "dr-abc"
        );
        for arn in [
            "arn:aws:iam::111122223333:user/alice",
            "arn:aws:iam::111122223333:delegation-request/",
            "arn:aws:s3:::bucket",
        ] {
            assert!(
                matches!(delegation_request_id(arn), Err(CoreError::InvalidInput(_))),
                "{arn}"
            );
        }
        assert_eq!(duration(3600), "1 hour");
        assert_eq!(duration(7200), "2 hours");
        assert_eq!(duration(5400), "90 minutes");
        assert_eq!(duration(61), "61 seconds");
    }
}
