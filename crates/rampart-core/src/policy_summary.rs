//! Plain-English summaries of policy documents, one sentence per statement: what it allows
//! or denies, service by service with the access levels of the actions it names (from the
//! service authorization reference), on which resources and under which conditions.
//!
//! AWS writes `GetHumanReadableSummary`'s text with a language model; Rampart writes the
//! same facts deterministically, in English, so a summary is reproducible and never says
//! more than the document does. Pure: no state, no clock.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use rampart_policy::{Document, Effect, Statement};

use crate::service_reference::{AccessLevel, reference};

/// How many action names a sentence spells out per service before it counts the rest.
const NAMED_ACTIONS: usize = 8;

/// One sentence per statement of `document`.
pub fn summarize(document: &Document) -> Vec<String> {
    document.statements().iter().map(sentence).collect()
}

/// The summary of one statement.
fn sentence(statement: &Statement) -> String {
    let verb = match statement.effect() {
        Effect::Allow => "Allows",
        Effect::Deny => "Denies",
    };
    let (values, negated) = statement.actions();
    let mut text = if negated {
        format!("{verb} every action except {}", list(values))
    } else if values.iter().any(|v| v == "*") {
        format!("{verb} every action of every service")
    } else {
        format!("{verb} {}", actions_phrase(values))
    };
    match statement.resources() {
        Some((resources, false)) if resources.iter().any(|r| r == "*") => {
            text.push_str(" on all resources");
        }
        Some((resources, false)) => {
            let _ = write!(text, " on {}", list(resources));
        }
        Some((resources, true)) => {
            let _ = write!(text, " on every resource except {}", list(resources));
        }
        None => {}
    }
    let keys: Vec<String> = statement.condition_keys().map(str::to_owned).collect();
    if !keys.is_empty() {
        let _ = write!(
            text,
            ", only when the request meets conditions on {}",
            list(&keys)
        );
    }
    text.push('.');
    text
}

/// `a`, `a and b`, `a, b and c`.
fn list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The actions `values` name, grouped by service: `List and Read access to AWS Identity
/// and Access Management (IAM) (iam:GetUser, iam:ListUsers)`; values that name no known
/// action are quoted as written.
fn actions_phrase(values: &[String]) -> String {
    let reference = reference();
    // Service prefix → (service name, levels, action names).
    let mut by_service: BTreeMap<String, (String, Vec<AccessLevel>, Vec<String>)> = BTreeMap::new();
    let mut unknown = Vec::new();
    for value in values {
        let matched = reference.actions_matching(value);
        if matched.is_empty() {
            unknown.push(format!("`{value}`"));
        }
        for (service, action) in matched {
            let entry = by_service
                .entry(service.prefix.clone())
                .or_insert_with(|| (service.name.clone(), Vec::new(), Vec::new()));
            if !entry.1.contains(&action.level) {
                entry.1.push(action.level);
            }
            let name = format!("{}:{}", service.prefix, action.name);
            if !entry.2.contains(&name) {
                entry.2.push(name);
            }
        }
    }
    let mut parts: Vec<String> = by_service
        .into_values()
        .map(|(service, mut levels, actions)| {
            levels.sort();
            let levels: Vec<String> = levels.iter().map(|l| l.as_str().to_owned()).collect();
            let shown: Vec<String> = actions.iter().take(NAMED_ACTIONS).cloned().collect();
            let more = actions.len().saturating_sub(NAMED_ACTIONS);
            let names = if more > 0 {
                format!("{} and {more} more", shown.join(", "))
            } else {
                shown.join(", ")
            };
            format!("{} access to {service} ({names})", list(&levels))
        })
        .collect();
    if !unknown.is_empty() {
        parts.push(format!("the unknown actions {}", list(&unknown)));
    }
    list(&parts)
}

#[cfg(test)]
mod tests {
    use rampart_policy::{Policy, PolicyKind};

    use super::*;

    fn summary(text: &str) -> Vec<String> {
        summarize(
            Policy::parse(text, PolicyKind::Identity)
                .unwrap()
                .document(),
        )
    }

    #[test]
    fn statements_are_summarized_by_service_and_access_level() {
        let lines = summary(
            r#"{"Version":"2012-10-17","Statement":[
                {"Effect":"Allow","Action":["iam:GetUser","iam:ListUsers","s3:GetObject"],"Resource":"*"},
                {"Effect":"Deny","Action":"iam:Delete*","Resource":["arn:aws:iam::111122223333:user/a","arn:aws:iam::111122223333:user/b"],
                 "Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}},
                {"Effect":"Allow","NotAction":"iam:*","Resource":"*"},
                {"Effect":"Allow","Action":["nosuch:Thing"],"Resource":"*"}]}"#,
        );
        assert_eq!(
            lines[0],
            "Allows List and Read access to AWS Identity and Access Management (IAM) \
             (iam:GetUser, iam:ListUsers) and Read access to Amazon S3 (s3:GetObject) on all resources."
        );
        assert!(lines[1].starts_with("Denies Write"), "{}", lines[1]);
        assert!(
            lines[1].contains("and ") && lines[1].contains("more)"),
            "{}",
            lines[1]
        );
        assert!(lines[1].ends_with(
            "on arn:aws:iam::111122223333:user/a and arn:aws:iam::111122223333:user/b, only when \
             the request meets conditions on aws:MultiFactorAuthPresent."
        ));
        assert_eq!(
            lines[2],
            "Allows every action except iam:* on all resources."
        );
        assert_eq!(
            lines[3],
            "Allows the unknown actions `nosuch:Thing` on all resources."
        );
    }
}
