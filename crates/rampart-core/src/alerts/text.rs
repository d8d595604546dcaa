//! The alert's words: what happened, how to check it, whom to tell and what to do if it was
//! not the account's owner ("ensure the people who receive it know how to validate and
//! escalate"). Mail carries this text with the envelope; webhooks carry the envelope only.

use serde_json::Value;

use crate::model::AlternateContact;

/// A field of the envelope's `detail` at a `/`-separated path, or `-`.
fn field<'a>(envelope: &'a Value, path: &str) -> &'a str {
    path.split('/')
        .try_fold(envelope.get("detail"), |value, key| {
            value.map(|v| v.get(key))
        })
        .flatten()
        .and_then(Value::as_str)
        .unwrap_or("-")
}

/// The subject line: `Rampart alert (root-user-activity): ConsoleLogin by Root in 123456789012`.
pub fn subject(envelope: &Value, rule: &str) -> String {
    format!(
        "Rampart alert ({rule}): {} by {} in {}",
        field(envelope, "eventName"),
        field(envelope, "userIdentity/type"),
        envelope
            .get("account")
            .and_then(Value::as_str)
            .unwrap_or("-"),
    )
}

/// The outcome as a person reads it: `succeeded`, `failed (AccessDenied: …)`.
fn outcome(envelope: &Value) -> String {
    let code = field(envelope, "errorCode");
    if code != "-" {
        return format!("failed ({code}: {})", field(envelope, "errorMessage"));
    }
    let detail = envelope.get("detail");
    let sign_in = detail
        .and_then(|d| d.get("responseElements"))
        .and_then(|r| r.get("ConsoleLogin"))
        .and_then(Value::as_str);
    match sign_in {
        Some("Failure") => "failed (sign-in refused)".to_owned(),
        _ => "succeeded".to_owned(),
    }
}

/// Whether MFA was used, from the session or the sign-in details.
fn mfa(envelope: &Value) -> &str {
    match field(
        envelope,
        "userIdentity/sessionContext/attributes/mfaAuthenticated",
    ) {
        "true" => "yes",
        "false" => "no",
        _ => match field(envelope, "additionalEventData/MFAUsed") {
            "Yes" => "yes",
            "No" => "no",
            _ => "not applicable (access key)",
        },
    }
}

/// The body of an alert mail.
pub fn body(
    envelope: &Value,
    rule: &str,
    delivery_id: &str,
    security_contact: Option<&AlternateContact>,
) -> String {
    let account = envelope
        .get("account")
        .and_then(Value::as_str)
        .unwrap_or("-");
    let event_id = field(envelope, "eventID");
    let contact = match security_contact {
        Some(c) => format!(
            "the account's security contact, {} ({}), {} / {}",
            c.name, c.title, c.email_address, c.phone_number
        ),
        None => "your security team (no SECURITY alternate contact is registered: \
                 `aws account put-alternate-contact --alternate-contact-type SECURITY ...`)"
            .to_owned(),
    };
    let json = serde_json::to_string_pretty(envelope).unwrap_or_default();
    format!(
        "Rule `{rule}` of Rampart account {account} matched this event:\n\n\
         \x20 what:       {name} ({source}), {outcome}\n\
         \x20 who:        {kind} {arn} (access key {key})\n\
         \x20 MFA:        {mfa}\n\
         \x20 from:       {ip}, user agent {agent}\n\
         \x20 when:       {time} in {region}\n\
         \x20 event id:   {event_id} (request id {request})\n\
         \x20 delivery:   {delivery_id}\n\n\
         HOW TO VALIDATE\n\
         1. Find the event in the trail and what else happened around it:\n\
         \x20    aws cloudtrail lookup-events --lookup-attributes AttributeKey=EventId,AttributeValue={event_id}\n\
         \x20    aws cloudtrail lookup-events --lookup-attributes AttributeKey=Username,AttributeValue=root\n\
         \x20  or, on the Rampart server: rampart audit --account {account} --event-id {event_id}\n\
         2. Ask the people who hold this account's root credentials whether they did it, and\n\
         \x20  check the source address and user agent against theirs.\n\n\
         HOW TO ESCALATE (if nobody you trust did this)\n\
         - Tell {contact} now; quote the event id and delivery id above.\n\
         - Change the root password at once (sign in as root, or use \"Forgot password?\" on the\n\
         \x20  root sign-in page), which also ends the console sessions it opened.\n\
         - Check the root user's MFA: remove any device you do not recognise and enable MFA if\n\
         \x20  none is active (console: Security credentials).\n\
         - Review keys: delete root access keys (root should have none), and review IAM users'\n\
         \x20  access keys and recent CreateUser, CreateAccessKey, Attach*Policy and Put*Policy events.\n\n\
         The full event (EventBridge envelope) follows.\n\n{json}\n",
        name = field(envelope, "eventName"),
        source = field(envelope, "eventSource"),
        outcome = outcome(envelope),
        kind = field(envelope, "userIdentity/type"),
        arn = field(envelope, "userIdentity/arn"),
        key = field(envelope, "userIdentity/accessKeyId"),
        mfa = mfa(envelope),
        ip = field(envelope, "sourceIPAddress"),
        agent = field(envelope, "userAgent"),
        time = field(envelope, "eventTime"),
        region = field(envelope, "awsRegion"),
        request = field(envelope, "requestID"),
    )
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_mail_says_what_happened_how_to_check_and_what_to_do() {
        let envelope = json!({"account": "123456789012", "detail": {
            "eventName": "ConsoleLogin", "eventSource": "signin.amazonaws.com",
            "eventID": "e-1", "userIdentity": {"type": "Root", "arn": "arn:aws:iam::123456789012:root"},
            "responseElements": {"ConsoleLogin": "Failure"}, "additionalEventData": {"MFAUsed": "No"},
            "sourceIPAddress": "192.0.2.1"}});
        assert_eq!(
            subject(&envelope, "root-user-activity"),
            "Rampart alert (root-user-activity): ConsoleLogin by Root in 123456789012"
        );
        let text = body(&envelope, "root-user-activity", "d-1", None);
        for needle in [
            "ConsoleLogin (signin.amazonaws.com), failed (sign-in refused)",
            "MFA:        no",
            "AttributeKey=EventId,AttributeValue=e-1",
            "rampart audit --account 123456789012 --event-id e-1",
            "Change the root password",
            "delivery:   d-1",
            "no SECURITY alternate contact",
        ] {
            assert!(text.contains(needle), "{needle}\n{text}");
        }
        let contact = AlternateContact {
            name: "Sam".into(),
            title: "CISO".into(),
            email_address: "sec@example.com".into(),
            phone_number: "+1 555".into(),
        };
        assert!(body(&envelope, "r", "d", Some(&contact)).contains("Sam (CISO), sec@example.com"));
    }
}
