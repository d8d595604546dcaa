//! `rampart alerts`: an account's notification rules, their targets and the outbox, run on
//! the request path as the account's root like the other admin commands (each call is in
//! the trail as an `events.amazonaws.com` event).

use anyhow::Context;
use clap::{Args, Subcommand};
use rampart_core::alerts::AlertRuleRecord;
use rampart_core::model::AccountId;
use rampart_core::request::alerts::{Alerts, Operation, Output, TargetInput, WebhookSecret};
use rampart_core::request::signin::root_caller;
use rampart_core::request::{Call, RequestPath};
use rampart_core::store::Delivery;

use crate::cli::{DataDirArg, with_requests};
use crate::clock;
use crate::datadir::Missing;

/// `rampart alerts …`.
#[derive(Debug, Args)]
pub struct AlertsArgs {
    #[command(flatten)]
    on: On,
    #[command(subcommand)]
    command: AlertsCommand,
}

/// Where and how: every `alerts` subcommand takes these.
#[derive(Debug, Args)]
struct On {
    #[command(flatten)]
    data: DataDirArg,
    /// The account whose rules and deliveries to manage.
    #[arg(long, global = true)]
    account: Option<String>,
    /// Print JSON (one object per line) instead of text.
    #[arg(long, global = true)]
    json: bool,
}

#[derive(Debug, Subcommand)]
enum AlertsCommand {
    /// List the rules (the default `root-user-activity` included) and their targets.
    Rules,
    /// Create a rule, or change its EventBridge event pattern and description.
    PutRule {
        /// Rule name (`[.-_A-Za-z0-9]`, up to 64).
        #[arg(long)]
        name: String,
        /// EventBridge event pattern (JSON) matched against each event's envelope.
        #[arg(long)]
        pattern: String,
        /// What the rule is for.
        #[arg(long, default_value = "")]
        description: String,
    },
    /// Delete a rule (deleting `root-user-activity` disables it).
    DeleteRule {
        /// Rule name.
        #[arg(long)]
        name: String,
    },
    /// Add a target to a rule (or replace the one with the same id).
    AddTarget(AddTargetArgs),
    /// Remove a target from a rule.
    RemoveTarget {
        /// Rule name.
        #[arg(long)]
        rule: String,
        /// Target id.
        #[arg(long)]
        id: String,
    },
    /// List the newest outbox rows with their state.
    Deliveries {
        /// At most this many.
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// Send a delivery again now (pending, delivered or dropped).
    Retry {
        /// The delivery id.
        #[arg(long)]
        delivery_id: String,
    },
    /// Give up on a pending delivery.
    Drop {
        /// The delivery id.
        #[arg(long)]
        delivery_id: String,
    },
}

#[derive(Debug, Args)]
struct AddTargetArgs {
    /// Rule name.
    #[arg(long)]
    rule: String,
    /// Target id, unique in the rule.
    #[arg(long)]
    id: String,
    /// Mail matches to this address.
    #[arg(long, conflicts_with = "webhook", required_unless_present = "webhook")]
    email: Option<String>,
    /// POST matches to this http:// URL, signed with the secret.
    #[arg(long)]
    webhook: Option<String>,
    /// The webhook's HMAC secret (16 to 256 characters); generated and printed once when
    /// absent.
    #[arg(
        long,
        env = "RAMPART_WEBHOOK_SECRET",
        hide_env_values = true,
        requires = "webhook"
    )]
    secret: Option<String>,
}

/// Runs `rampart alerts …`.
pub fn run(args: AlertsArgs) -> anyhow::Result<()> {
    let account = args
        .on
        .account
        .as_deref()
        .context("--account is required")
        .and_then(|a| AccountId::parse(a).context("--account must be a 12-digit account id"))?;
    let mut generated = None;
    let op = match args.command {
        AlertsCommand::Rules => Operation::ListRules,
        AlertsCommand::PutRule {
            name,
            pattern,
            description,
        } => Operation::PutRule {
            name,
            pattern,
            description,
        },
        AlertsCommand::DeleteRule { name } => Operation::DeleteRule { name },
        AlertsCommand::AddTarget(target) => Operation::PutTargets {
            rule: target.rule,
            target: match (target.email, target.webhook) {
                (Some(address), _) => TargetInput::Email {
                    id: target.id,
                    address,
                },
                (None, Some(url)) => {
                    let secret = target.secret.unwrap_or_else(|| {
                        let secret = rampart_core::random::base32(32);
                        generated = Some(secret.clone());
                        secret
                    });
                    TargetInput::Webhook {
                        id: target.id,
                        url,
                        secret: WebhookSecret(secret),
                    }
                }
                (None, None) => anyhow::bail!("give --email or --webhook"),
            },
        },
        AlertsCommand::RemoveTarget { rule, id } => Operation::RemoveTargets { rule, id },
        AlertsCommand::Deliveries { limit } => Operation::ListDeliveries { limit },
        AlertsCommand::Retry { delivery_id } => Operation::RetryDelivery { delivery_id },
        AlertsCommand::Drop { delivery_id } => Operation::DropDelivery { delivery_id },
    };
    let output = with_requests(&args.on.data, Missing::Refuse, |requests: &RequestPath| {
        if requests.engine().snapshot().account(&account).is_none() {
            anyhow::bail!("account {account} does not exist in this data directory");
        }
        let call = Call::cli(root_caller(account.clone()), clock::now());
        Ok(requests.run::<Alerts>(&call, &op)?)
    })?;
    match output {
        Output::Rules(rules) => print_rules(&rules, args.on.json),
        Output::Deliveries(deliveries) => print_deliveries(&deliveries, args.on.json),
        Output::Done => {
            if let Some(secret) = generated {
                println!(
                    "webhook secret: {secret}   (shown once; receivers verify X-Rampart-Signature with it)"
                );
            }
        }
    }
    Ok(())
}

fn print_rules(rules: &[AlertRuleRecord], json: bool) {
    for rule in rules {
        let targets: Vec<(String, String)> = rule
            .targets
            .iter()
            .map(|t| (t.id().to_owned(), t.describe()))
            .collect();
        if json {
            let targets: Vec<serde_json::Value> = targets
                .iter()
                .map(|(id, to)| serde_json::json!({"id": id, "to": to}))
                .collect();
            println!(
                "{}",
                serde_json::json!({"name": rule.name, "enabled": rule.enabled,
                    "description": rule.description, "pattern": rule.pattern, "targets": targets})
            );
            continue;
        }
        let pattern = serde_json::from_str::<serde_json::Value>(&rule.pattern)
            .map(|p| p.to_string())
            .unwrap_or_else(|_| rule.pattern.clone());
        println!(
            "{} ({}){}",
            rule.name,
            if rule.enabled { "enabled" } else { "disabled" },
            if rule.description.is_empty() {
                String::new()
            } else {
                format!(": {}", rule.description)
            }
        );
        println!("  pattern {pattern}");
        for (id, to) in targets {
            println!("  target  {id} -> {to}");
        }
    }
}

fn print_deliveries(deliveries: &[Delivery], json: bool) {
    for d in deliveries {
        let next = rampart_wire::Timestamp(d.next_attempt_ms.div_euclid(1000)).to_iso8601();
        if json {
            println!(
                "{}",
                serde_json::json!({"deliveryId": d.delivery_id, "state": d.state.as_str(),
                    "rule": d.rule, "target": d.target, "eventId": d.event_id,
                    "attempts": d.attempts, "nextAttempt": next, "lastError": d.last_error,
                    "deliveredMs": d.delivered_ms})
            );
            continue;
        }
        println!(
            "{}  {:<9}  {}/{}  event {}  attempts {}{}",
            d.delivery_id,
            d.state.as_str(),
            d.rule,
            d.target,
            d.event_id,
            d.attempts,
            d.last_error
                .as_deref()
                .map(|e| format!("  last error: {e}"))
                .unwrap_or_default()
        );
    }
}
