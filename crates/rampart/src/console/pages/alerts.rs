//! Alerts: the account's notification rules (the default `root-user-activity` included)
//! with their EventBridge patterns and targets, and the outbox with each delivery's state.
//! Every action runs an alert operation (`request::alerts`: `ListRules`, `PutRule`,
//! `DeleteRule`, `PutTargets`, `RemoveTargets`, `ListDeliveries`, `RetryDelivery`,
//! `DropDelivery`) as the signed-in principal, so it is authorized (`events:…`) and
//! audited like any call.

use rampart_core::alerts::AlertRuleRecord;
use rampart_core::request::alerts::{Alerts, Operation, Output, TargetInput, WebhookSecret};
use rampart_core::store::Delivery;

use super::{Answer, invalid};
use crate::console::Ctx;
use crate::console::html::{self, esc};

/// How many deliveries the page shows.
const SHOWN: usize = 100;

fn run(ctx: &Ctx<'_>, op: &Operation) -> Result<Output, crate::console::Problem> {
    Ok(ctx.requests.run::<Alerts>(&ctx.call, op)?)
}

/// `GET /console/alerts`.
pub fn show(ctx: &Ctx<'_>) -> Answer {
    let Output::Rules(rules) = run(ctx, &Operation::ListRules)? else {
        return Err(crate::console::Problem::unexpected());
    };
    let Output::Deliveries(deliveries) = run(ctx, &Operation::ListDeliveries { limit: SHOWN })?
    else {
        return Err(crate::console::Problem::unexpected());
    };
    let csrf = ctx.csrf();
    let body = format!(
        "<p>Rules match each event of this account's trail, in its EventBridge envelope, and \
         send it to their targets: mail, or a webhook POST signed with \
         <code>X-Rampart-Signature: sha256=HMAC(secret, timestamp.body)</code>. Failed \
         deliveries are retried with backoff until acknowledged.</p>{}{}{}",
        rules_section(&rules, csrf),
        forms(&rules, csrf),
        deliveries_section(&deliveries, csrf),
    );
    Ok(ctx.page("Alerts", "Alerts", &body))
}

/// The rules with their patterns and targets, and a delete button each.
fn rules_section(rules: &[AlertRuleRecord], csrf: &str) -> String {
    let rule_rows: Vec<Vec<String>> = rules
        .iter()
        .map(|rule| {
            let pattern = serde_json::from_str::<serde_json::Value>(&rule.pattern)
                .and_then(|p| serde_json::to_string_pretty(&p))
                .unwrap_or_else(|_| rule.pattern.clone());
            let targets: String = rule
                .targets
                .iter()
                .map(|t| {
                    format!(
                        "<div>{} → {} {}</div>",
                        esc(t.id()),
                        esc(&t.describe()),
                        html::button_form(
                            "/console/alerts/remove-target",
                            csrf,
                            &[("Rule", &rule.name), ("Id", t.id())],
                            "Remove",
                        )
                    )
                })
                .collect();
            vec![
                format!(
                    "<strong>{}</strong><br>{}",
                    esc(&rule.name),
                    esc(&rule.description)
                ),
                if rule.enabled { "Enabled" } else { "Disabled" }.to_owned(),
                format!("<pre>{}</pre>", esc(&pattern)),
                if targets.is_empty() {
                    "None".to_owned()
                } else {
                    targets
                },
                html::button_form(
                    "/console/alerts/delete-rule",
                    csrf,
                    &[("Name", &rule.name)],
                    "Delete",
                ),
            ]
        })
        .collect();
    let rules_table = html::table(
        &format!("Rules ({})", rules.len()),
        &["Rule", "State", "Event pattern", "Targets", ""],
        &rule_rows,
        "No rules.",
    );
    html::section("", &rules_table)
}

/// The forms that create or change a rule and add a target.
fn forms(rules: &[AlertRuleRecord], csrf: &str) -> String {
    let put_rule = html::form(
        "/console/alerts/rule",
        csrf,
        &format!(
            "{}{}<p class=\"field\"><label for=\"f-EventPattern\">Event pattern (EventBridge JSON)</label>\
             <textarea id=\"f-EventPattern\" name=\"EventPattern\" spellcheck=\"false\">{}</textarea></p>",
            html::input("Rule name", "Name", "text", "", "required"),
            html::input("Description", "Description", "text", "", ""),
            esc(r#"{"source": ["aws.iam"], "detail": {"eventName": [{"prefix": "Create"}]}}"#),
        ),
        "Save rule",
        "stack",
    );
    let rule_options: Vec<(String, String)> = rules
        .iter()
        .map(|r| (r.name.clone(), r.name.clone()))
        .collect();
    let kinds = [
        ("email".to_owned(), "Email address".to_owned()),
        (
            "webhook".to_owned(),
            "Webhook (http:// URL, signed)".to_owned(),
        ),
    ];
    let add_target = html::form(
        "/console/alerts/target",
        csrf,
        &format!(
            "{}{}{}{}{}",
            html::select("Rule", "Rule", &rule_options),
            html::input("Target ID", "Id", "text", "", "required"),
            html::select("Type", "Type", &kinds),
            html::input("Address or URL", "Endpoint", "text", "", "required"),
            html::input(
                "Webhook secret (16 or more characters; receivers verify X-Rampart-Signature with it)",
                "Secret",
                "password",
                "",
                "autocomplete=\"off\""
            ),
        ),
        "Add target",
        "stack",
    );
    format!(
        "{}{}",
        html::section("Create or update a rule", &put_rule),
        html::section("Add a target", &add_target),
    )
}

/// The newest deliveries with their state, and retry and drop buttons.
fn deliveries_section(deliveries: &[Delivery], csrf: &str) -> String {
    let delivery_rows: Vec<Vec<String>> = deliveries
        .iter()
        .map(|d| {
            let actions = format!(
                "{}{}",
                html::button_form(
                    "/console/alerts/retry",
                    csrf,
                    &[("DeliveryId", &d.delivery_id)],
                    "Retry"
                ),
                if d.state.as_str() == "pending" {
                    html::button_form(
                        "/console/alerts/drop",
                        csrf,
                        &[("DeliveryId", &d.delivery_id)],
                        "Drop",
                    )
                } else {
                    String::new()
                }
            );
            vec![
                format!("<code>{}</code>", esc(&d.delivery_id)),
                esc(d.state.as_str()),
                format!("{}/{}", esc(&d.rule), esc(&d.target)),
                format!("<code>{}</code>", esc(&d.event_id)),
                html::when(d.created),
                d.attempts.to_string(),
                esc(d.last_error.as_deref().unwrap_or("")),
                actions,
            ]
        })
        .collect();
    let deliveries_table = html::table(
        &format!("Deliveries (newest {SHOWN})"),
        &[
            "Delivery ID",
            "State",
            "Rule/target",
            "Event ID",
            "Event time",
            "Failed attempts",
            "Last error",
            "",
        ],
        &delivery_rows,
        "No deliveries yet.",
    );
    html::section("", &deliveries_table)
}

/// `POST /console/alerts/ACTION`.
pub fn act(ctx: &Ctx<'_>, action: &str) -> Answer {
    let get = |name: &str| ctx.req.get(name).trim().to_owned();
    let (op, message) = match action {
        "rule" => (
            Operation::PutRule {
                name: get("Name"),
                pattern: get("EventPattern"),
                description: get("Description"),
            },
            format!("Rule {} saved.", get("Name")),
        ),
        "delete-rule" => (
            Operation::DeleteRule { name: get("Name") },
            format!("Rule {} deleted.", get("Name")),
        ),
        "target" => {
            let (id, endpoint) = (get("Id"), get("Endpoint"));
            let target = match get("Type").as_str() {
                "webhook" => TargetInput::Webhook {
                    id,
                    url: endpoint,
                    secret: WebhookSecret(ctx.req.get("Secret").to_owned()),
                },
                _ => TargetInput::Email {
                    id,
                    address: endpoint,
                },
            };
            (
                Operation::PutTargets {
                    rule: get("Rule"),
                    target,
                },
                "Target added.".to_owned(),
            )
        }
        "remove-target" => (
            Operation::RemoveTargets {
                rule: get("Rule"),
                id: get("Id"),
            },
            format!("Target {} removed.", get("Id")),
        ),
        "retry" => (
            Operation::RetryDelivery {
                delivery_id: get("DeliveryId"),
            },
            "Delivery queued again.".to_owned(),
        ),
        "drop" => (
            Operation::DropDelivery {
                delivery_id: get("DeliveryId"),
            },
            "Delivery dropped.".to_owned(),
        ),
        _ => return Err(invalid("Unknown action.")),
    };
    run(ctx, &op)?;
    Ok(ctx.done("/console/alerts", &message))
}
