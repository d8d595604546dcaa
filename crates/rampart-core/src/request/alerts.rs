//! Alert rules and their outbox on the request path, for the `rampart alerts` CLI and the
//! console's Alerts page. Rampart serves no EventBridge API; these operations borrow its
//! names and actions (`events:PutRule`, `events:PutTargets`, …, on
//! `arn:aws:events:REGION:ACCOUNT:rule/NAME`) so IAM policies can grant them, plus three of
//! Rampart's own for the outbox (`events:ListDeliveries`, `events:RetryDelivery`,
//! `events:DropDelivery`). The work is in `ops::alerts`; events are recorded as
//! `events.amazonaws.com`, webhook secrets never.

use rampart_wire::Protocol;
use rampart_wire::record::Recorded;
use serde_json::{Value, json};

use super::Service;
use crate::alerts::AlertRuleRecord;
use crate::auth::Caller;
use crate::authz::Access;
use crate::engine::Engine;
use crate::error::CoreError;
use crate::ops;
use crate::state::State;
use crate::store::Delivery;

/// A webhook's HMAC secret as given: never printed, never recorded.
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookSecret(pub String);

impl std::fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WebhookSecret(..)")
    }
}

/// A target to add to a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetInput {
    /// Mail to an address.
    Email {
        /// Target id.
        id: String,
        /// The address.
        address: String,
    },
    /// A signed HTTP POST.
    Webhook {
        /// Target id.
        id: String,
        /// `http://…`.
        url: String,
        /// The HMAC key receivers verify with.
        secret: WebhookSecret,
    },
}

/// The alert operations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operation {
    /// Creates a rule or changes its pattern and description (targets are kept).
    PutRule {
        /// Rule name.
        name: String,
        /// EventBridge event pattern (JSON text).
        pattern: String,
        /// Free text.
        description: String,
    },
    /// Deletes a rule (the default rule is disabled instead, so it stays deleted).
    DeleteRule {
        /// Rule name.
        name: String,
    },
    /// Every rule of the account, the default included.
    ListRules,
    /// Adds a target to a rule, or replaces the target with the same id.
    PutTargets {
        /// Rule name.
        rule: String,
        /// The target.
        target: TargetInput,
    },
    /// Removes a target from a rule.
    RemoveTargets {
        /// Rule name.
        rule: String,
        /// Target id.
        id: String,
    },
    /// The newest outbox rows.
    ListDeliveries {
        /// At most this many (1..=1000).
        limit: usize,
    },
    /// Makes a delivery pending again, due now (also a delivered or dropped one).
    RetryDelivery {
        /// Its delivery id.
        delivery_id: String,
    },
    /// Gives up on a pending delivery.
    DropDelivery {
        /// Its delivery id.
        delivery_id: String,
    },
}

impl Operation {
    /// The operation's name, as recorded in the trail.
    pub fn name(&self) -> &'static str {
        match self {
            Operation::PutRule { .. } => "PutRule",
            Operation::DeleteRule { .. } => "DeleteRule",
            Operation::ListRules => "ListRules",
            Operation::PutTargets { .. } => "PutTargets",
            Operation::RemoveTargets { .. } => "RemoveTargets",
            Operation::ListDeliveries { .. } => "ListDeliveries",
            Operation::RetryDelivery { .. } => "RetryDelivery",
            Operation::DropDelivery { .. } => "DropDelivery",
        }
    }

    /// The rule the operation acts on, if one.
    fn rule(&self) -> Option<&str> {
        match self {
            Operation::PutRule { name, .. } | Operation::DeleteRule { name } => Some(name),
            Operation::PutTargets { rule, .. } | Operation::RemoveTargets { rule, .. } => {
                Some(rule)
            }
            _ => None,
        }
    }
}

impl Recorded for Operation {
    fn recorded(&self) -> Option<Value> {
        Some(match self {
            Operation::PutRule {
                name,
                pattern,
                description,
            } => json!({"name": name, "eventPattern": pattern, "description": description}),
            Operation::DeleteRule { name } => json!({"name": name}),
            Operation::ListRules => return None,
            Operation::PutTargets { rule, target } => {
                let target = match target {
                    TargetInput::Email { id, address } => json!({"id": id, "email": address}),
                    // The secret is withheld, as AWS withholds credentials.
                    TargetInput::Webhook { id, url, .. } => json!({"id": id, "webhook": url,
                        "secret": "HIDDEN_DUE_TO_SECURITY_REASONS"}),
                };
                json!({"rule": rule, "targets": [target]})
            }
            Operation::RemoveTargets { rule, id } => json!({"rule": rule, "ids": [id]}),
            Operation::ListDeliveries { limit } => json!({"limit": limit}),
            Operation::RetryDelivery { delivery_id } | Operation::DropDelivery { delivery_id } => {
                json!({"deliveryId": delivery_id})
            }
        })
    }
}

/// What an alert operation answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// The account's rules.
    Rules(Vec<AlertRuleRecord>),
    /// Outbox rows, newest first.
    Deliveries(Vec<Delivery>),
    /// A change was made.
    Done,
}

impl Recorded for Output {
    fn recorded(&self) -> Option<Value> {
        None
    }
}

/// Alert rules and deliveries.
#[derive(Debug)]
pub struct Alerts;

impl Service for Alerts {
    type Op = Operation;
    type Output = Output;
    type Admission = ();

    const NAME: &'static str = "events";
    // EventBridge is an awsJson service; its errors are spelled like the Account API's
    // (`ValidationException`, `ResourceNotFoundException`).
    const PROTOCOL: Protocol = Protocol::RestJson;

    fn operation_name(op: &Operation) -> &'static str {
        op.name()
    }

    fn admit(_: &Engine, _: &State, _: &Caller, _: &Operation, _: i64) -> Result<(), CoreError> {
        Ok(())
    }

    fn access(_: &State, caller: &Caller, op: &Operation, _: &()) -> Option<Access> {
        let resource = match op.rule() {
            Some(rule) => format!(
                "arn:aws:events:{}:{}:rule/{rule}",
                crate::model::DEFAULT_REGION,
                caller.account
            ),
            None => "*".to_owned(),
        };
        Some(Access {
            action: format!("events:{}", op.name()),
            resource,
            keys: Vec::new(),
        })
    }

    fn execute(
        engine: &Engine,
        caller: &Caller,
        op: &Operation,
        _: (),
        now: i64,
    ) -> Result<Output, CoreError> {
        ops::alerts::execute(engine, &caller.account, op, now)
    }
}
