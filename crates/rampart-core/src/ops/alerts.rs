//! Alert rules and outbox operations (`request::alerts`): rules are rows of
//! `kind::ALERT_RULE` written through the engine; the outbox is read and changed through
//! the engine's outbox calls. The default rule exists without a row until it is changed,
//! then as a row like any other (deleting it stores it disabled).

use crate::alerts::{
    self, AlertRuleRecord, AlertTarget, DEFAULT_RULE, MAX_RULES, MAX_TARGETS, pattern::EventPattern,
};
use crate::engine::{Engine, WriteTxn};
use crate::error::CoreError;
use crate::model::AccountId;
use crate::request::alerts::{Operation, Output, TargetInput};
use crate::store::DeliveryChange;

/// Longest description (EventBridge's `RuleDescription`).
const MAX_DESCRIPTION: usize = 512;
/// Most outbox rows one listing returns.
const MAX_LISTED: usize = 1000;

/// Runs one alert operation for `account`.
pub fn execute(
    engine: &Engine,
    account: &AccountId,
    op: &Operation,
    now: i64,
) -> Result<Output, CoreError> {
    match op {
        Operation::PutRule {
            name,
            pattern,
            description,
        } => {
            alerts::check_name("name", name)?;
            EventPattern::parse(pattern).map_err(|err| CoreError::Validation(err.to_string()))?;
            if description.chars().count() > MAX_DESCRIPTION {
                return Err(CoreError::Validation(format!(
                    "1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to {MAX_DESCRIPTION}"
                )));
            }
            engine.write(|txn| {
                let mut rule = match current(txn, account, name) {
                    Some(rule) => rule,
                    None if name == DEFAULT_RULE => alerts::default_rule(account, now),
                    None => {
                        if txn.state().alert_rules(account).len() >= MAX_RULES {
                            return Err(CoreError::LimitExceeded(format!(
                                "The requested resource exceeds the maximum number allowed ({MAX_RULES} rules)."
                            )));
                        }
                        AlertRuleRecord {
                            account: account.clone(),
                            name: name.clone(),
                            description: String::new(),
                            pattern: String::new(),
                            enabled: true,
                            targets: Vec::new(),
                            created: now,
                        }
                    }
                };
                rule.pattern.clone_from(pattern);
                rule.description.clone_from(description);
                rule.enabled = true;
                save(txn, &rule)
            })?;
            Ok(Output::Done)
        }
        Operation::DeleteRule { name } => {
            engine.write(|txn| match current(txn, account, name) {
                None if name != DEFAULT_RULE => Err(no_rule(name)),
                _ if name == DEFAULT_RULE => {
                    let mut rule = current(txn, account, name)
                        .unwrap_or_else(|| alerts::default_rule(account, now));
                    rule.enabled = false;
                    save(txn, &rule)
                }
                _ => txn.delete::<AlertRuleRecord>(&alerts::rule_key(account, name)),
            })?;
            Ok(Output::Done)
        }
        Operation::ListRules => Ok(Output::Rules(alerts::rules_listed(
            &engine.snapshot(),
            account,
            now,
        ))),
        Operation::PutTargets { rule, target } => {
            let target_id = match target {
                TargetInput::Email { id, .. } | TargetInput::Webhook { id, .. } => id,
            };
            alerts::check_name("id", target_id)?;
            engine.write(|txn| {
                let mut record = existing(txn, account, rule)?;
                let sealed = stored_target(txn, account, rule, target)?;
                record.targets.retain(|t| t.id() != target_id);
                if record.targets.len() >= MAX_TARGETS {
                    return Err(CoreError::LimitExceeded(format!(
                        "The requested resource exceeds the maximum number allowed ({MAX_TARGETS} targets per rule)."
                    )));
                }
                record.targets.push(sealed);
                save(txn, &record)
            })?;
            Ok(Output::Done)
        }
        Operation::RemoveTargets { rule, id } => {
            engine.write(|txn| {
                let mut record = existing(txn, account, rule)?;
                let before = record.targets.len();
                record.targets.retain(|t| t.id() != id);
                if record.targets.len() == before {
                    return Err(CoreError::ResourceNotFound(format!(
                        "Target {id} does not exist on rule {rule}."
                    )));
                }
                save(txn, &record)
            })?;
            Ok(Output::Done)
        }
        Operation::ListDeliveries { limit } => Ok(Output::Deliveries(
            engine.list_deliveries(account, (*limit).clamp(1, MAX_LISTED))?,
        )),
        Operation::RetryDelivery { delivery_id } => {
            let due = now.saturating_mul(1000);
            if engine.change_delivery(account, delivery_id, DeliveryChange::Retry(due))? {
                Ok(Output::Done)
            } else {
                Err(no_delivery(delivery_id, ""))
            }
        }
        Operation::DropDelivery { delivery_id } => {
            if engine.change_delivery(account, delivery_id, DeliveryChange::Drop)? {
                Ok(Output::Done)
            } else {
                Err(no_delivery(delivery_id, " pending"))
            }
        }
    }
}

fn no_rule(name: &str) -> CoreError {
    CoreError::ResourceNotFound(format!("Rule {name} does not exist on EventBus default."))
}

fn no_delivery(id: &str, qualifier: &str) -> CoreError {
    CoreError::ResourceNotFound(format!("No{qualifier} delivery has the id {id}."))
}

/// The stored rule `name` of `account`, if any.
fn current(txn: &WriteTxn<'_>, account: &AccountId, name: &str) -> Option<AlertRuleRecord> {
    txn.state()
        .alert_rules(account)
        .iter()
        .find(|r| r.record.name == name)
        .map(|r| r.record.clone())
}

/// The rule `name` as it stands (the default one before any change), or `ResourceNotFound`.
fn existing(
    txn: &WriteTxn<'_>,
    account: &AccountId,
    name: &str,
) -> Result<AlertRuleRecord, CoreError> {
    match current(txn, account, name) {
        Some(rule) => Ok(rule),
        None if name == DEFAULT_RULE => Ok(alerts::default_rule(account, 0)),
        None => Err(no_rule(name)),
    }
}

fn save(txn: &mut WriteTxn<'_>, rule: &AlertRuleRecord) -> Result<(), CoreError> {
    txn.put(rule)
}

/// The target as stored: addresses checked, webhook URLs checked, secrets sealed.
fn stored_target(
    txn: &WriteTxn<'_>,
    account: &AccountId,
    rule: &str,
    target: &TargetInput,
) -> Result<AlertTarget, CoreError> {
    match target {
        TargetInput::Email { id, address } => {
            let valid = address
                .split_once('@')
                .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'))
                && !address.chars().any(|c| c.is_whitespace() || c.is_control());
            if !valid || address.len() > 254 {
                return Err(CoreError::Validation(format!(
                    "`{address}` is not an email address"
                )));
            }
            Ok(AlertTarget::Email {
                id: id.clone(),
                address: address.clone(),
            })
        }
        TargetInput::Webhook { id, url, secret } => {
            let authority = url
                .strip_prefix("http://")
                .map(|rest| rest.split('/').next().unwrap_or(""));
            if authority.is_none_or(str::is_empty)
                || url.len() > 2048
                || url.chars().any(char::is_whitespace)
            {
                return Err(CoreError::Validation(format!(
                    "`{url}` is not a webhook URL: give http://host[:port]/path (for https, relay through a local proxy)"
                )));
            }
            if !(16..=256).contains(&secret.0.len()) {
                return Err(CoreError::Validation(
                    "a webhook secret has 16 to 256 characters".to_owned(),
                ));
            }
            let sealed_secret = txn
                .master()
                .seal(
                    secret.0.as_bytes(),
                    &alerts::webhook_secret_context(account, rule, id),
                )
                .map_err(|err| {
                    CoreError::Internal(format!("cannot seal the webhook secret: {err}"))
                })?;
            Ok(AlertTarget::Webhook {
                id: id.clone(),
                url: url.clone(),
                sealed_secret,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::request::alerts::{Alerts, WebhookSecret};
    use crate::request::iam::Iam;
    use crate::request::signin::root_caller;
    use crate::request::{Call, Origin, RequestPath};
    use crate::store::memory::MemoryStore;
    use crate::store::{DeliveryState, Settlement, Store};
    use rampart_wire::iam as wire;

    #[test]
    fn root_calls_fill_the_outbox_in_the_event_transaction_per_rule_and_target() {
        let store = Arc::new(MemoryStore::new());
        let engine = Arc::new(Engine::over(store.clone()));
        let requests = RequestPath::new(Arc::clone(&engine), Some(alerts::RootAlerts));
        let origin = Origin::cli(1_700_000_000);
        let account = requests
            .create_account(&origin, "root@example.com", "a", None)
            .unwrap();
        let root = Call {
            caller: root_caller(account.id.clone()),
            origin: origin.clone(),
        };
        let run = |op: Operation| requests.run::<Alerts>(&root, &op);
        run(Operation::PutTargets {
            rule: DEFAULT_RULE.into(),
            target: TargetInput::Webhook {
                id: "hook".into(),
                url: "http://127.0.0.1:9/alerts".into(),
                secret: WebhookSecret("0123456789abcdef".into()),
            },
        })
        .unwrap();
        run(Operation::PutRule {
            name: "users".into(),
            pattern: r#"{"detail": {"eventName": [{"prefix": "CreateUser"}]}}"#.into(),
            description: String::new(),
        })
        .unwrap();
        run(Operation::PutTargets {
            rule: "users".into(),
            target: TargetInput::Email {
                id: "sec".into(),
                address: "sec@example.com".into(),
            },
        })
        .unwrap();
        let Output::Rules(rules) = run(Operation::ListRules).unwrap() else {
            panic!()
        };
        assert_eq!(rules.len(), 2);
        assert_eq!(rules[0].targets.len(), 2, "root email and the webhook");
        // The sealed secret is not the secret.
        assert!(
            !serde_json::to_string(&rules)
                .unwrap()
                .contains("0123456789abcdef")
        );

        let create = wire::Operation::CreateUser(wire::CreateUserInput {
            user_name: "alice".into(),
            ..Default::default()
        });
        requests.run::<Iam>(&root, &create).unwrap();
        // No flush: the write's own transaction wrote its outbox rows, with the root's
        // earlier (queued) alert-management calls ahead of it.
        let rows = store.list_deliveries(account.id.as_str(), 100).unwrap();
        let create_rows: Vec<_> = rows
            .iter()
            .filter(|d| d.body.contains("\"eventName\":\"CreateUser\""))
            .collect();
        let mut routes: Vec<(&str, &str)> = create_rows
            .iter()
            .map(|d| (d.rule.as_str(), d.target.as_str()))
            .collect();
        routes.sort_unstable();
        assert_eq!(
            routes,
            [
                (DEFAULT_RULE, "hook"),
                (DEFAULT_RULE, "root-email"),
                ("users", "sec")
            ]
        );
        assert!(
            create_rows
                .iter()
                .all(|d| d.state == DeliveryState::Pending)
        );

        // Claiming takes one head per queue, in order, and a lease keeps others off.
        let claimed = store
            .claim_deliveries(i64::MAX / 2, i64::MAX, "node-a", 100)
            .unwrap();
        let queues: std::collections::BTreeSet<_> =
            claimed.iter().map(|d| (&d.rule, &d.target)).collect();
        assert_eq!(queues.len(), claimed.len(), "one row per queue");
        assert!(
            store
                .claim_deliveries(i64::MAX / 2, i64::MAX, "node-b", 100)
                .unwrap()
                .is_empty()
        );
        let first = &claimed[0];
        store
            .settle_delivery(first.id, "node-a", &Settlement::Delivered(5))
            .unwrap();

        // The listing writes queued events first and shows the acknowledgement.
        let listed = requests
            .run::<Alerts>(&root, &Operation::ListDeliveries { limit: 100 })
            .unwrap();
        let Output::Deliveries(listed) = listed else {
            panic!()
        };
        assert!(listed.iter().any(|d| d.state == DeliveryState::Delivered));
        run(Operation::DropDelivery {
            delivery_id: first.delivery_id.clone(),
        })
        .unwrap_err();
        run(Operation::RetryDelivery {
            delivery_id: first.delivery_id.clone(),
        })
        .unwrap();
    }

    #[test]
    fn bad_rules_and_targets_get_eventbridge_errors() {
        let engine = Arc::new(Engine::in_memory());
        let requests = RequestPath::new(Arc::clone(&engine), None);
        let origin = Origin::cli(1_700_000_000);
        let account = requests
            .create_account(&origin, "root@example.com", "a", None)
            .unwrap();
        let root = Call::cli(root_caller(account.id.clone()), 1_700_000_000);
        let run = |op: Operation| requests.run::<Alerts>(&root, &op);
        let err = run(Operation::PutRule {
            name: "r".into(),
            pattern: r#"{"source": "aws.iam"}"#.into(),
            description: String::new(),
        })
        .unwrap_err();
        assert!(
            err.client_message()
                .starts_with("Event pattern is not valid. Reason: ")
        );
        let err = run(Operation::DeleteRule {
            name: "nope".into(),
        })
        .unwrap_err();
        assert_eq!(
            err.client_message(),
            "Rule nope does not exist on EventBus default."
        );
        let err = run(Operation::PutTargets {
            rule: DEFAULT_RULE.into(),
            target: TargetInput::Webhook {
                id: "h".into(),
                url: "ftp://x".into(),
                secret: WebhookSecret("0123456789abcdef".into()),
            },
        })
        .unwrap_err();
        assert!(err.client_message().contains("is not a webhook URL"));
        // Deleting the default rule keeps it, disabled, so it stays deleted.
        run(Operation::DeleteRule {
            name: DEFAULT_RULE.into(),
        })
        .unwrap();
        let Output::Rules(rules) = run(Operation::ListRules).unwrap() else {
            panic!()
        };
        assert_eq!(rules.len(), 1);
        assert!(!rules[0].enabled);
        assert!(alerts::rules_in_force(&engine.snapshot(), &account.id, true).is_empty());
    }
}
