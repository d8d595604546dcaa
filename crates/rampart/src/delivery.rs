//! The alert delivery worker: takes the heads of the outbox queues (one row per
//! `(account, rule, target)` at a time, leased so no other node takes it), sends each to
//! its target — mail through the [`Mailer`], webhooks as a signed POST ([`webhook`]) — and
//! settles it: delivered on acknowledgement (SMTP `250`, HTTP 2xx), else retried after
//! `base · 2^(failures-1)`, capped. Delivery is at least once: a node that dies mid-attempt
//! leaves its lease to expire, and the row goes again with the same delivery id.
//!
//! The worker is a thread of the server. It wakes when this process commits outbox rows and
//! polls for rows other processes (the CLI, other nodes) wrote and retries that fall due.
//!
//! [`webhook`]: crate::webhook

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use rampart_core::alerts::{self, AlertTarget};
use rampart_core::engine::Engine;
use rampart_core::model::AccountId;
use rampart_core::store::{Delivery, Settlement};

use crate::mail::Mailer;
use crate::{clock, webhook};

/// How long a claimed row stays leased: longer than an attempt can take (webhook and
/// SMTP timeouts), short enough that a crashed node's rows go again soon.
const LEASE_MS: i64 = 45_000;
/// Rows claimed (and sent in parallel) per pass.
const BATCH: usize = 16;
/// The longest the worker sleeps without looking at the outbox.
const POLL: Duration = Duration::from_millis(250);

/// The retry schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// The wait after the first failure, in milliseconds.
    pub base_ms: i64,
    /// The longest wait, in milliseconds.
    pub cap_ms: i64,
}

/// What a delivery needs besides the row.
struct Worker {
    engine: Arc<Engine>,
    mailer: Mailer,
    backoff: Backoff,
    owner: String,
}

/// Starts the worker thread; it stops soon after `stop` is set.
pub fn spawn(
    engine: Arc<Engine>,
    mailer: Mailer,
    backoff: Backoff,
    stop: Arc<AtomicBool>,
) -> std::io::Result<std::thread::JoinHandle<()>> {
    let mut suffix = [0u8; 6];
    rampart_core::random::fill(&mut suffix);
    let owner = format!(
        "node-{}-{}",
        std::process::id(),
        suffix
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    let worker = Worker {
        engine,
        mailer,
        backoff,
        owner,
    };
    std::thread::Builder::new()
        .name("alert-delivery".to_owned())
        .spawn(move || worker.run(&stop))
}

impl Worker {
    fn run(&self, stop: &AtomicBool) {
        let mut seen = 0;
        while !stop.load(Ordering::Relaxed) {
            let now_ms = clock::now_millis();
            let claimed = match self.engine.claim_deliveries(
                now_ms,
                now_ms.saturating_add(LEASE_MS),
                &self.owner,
                BATCH,
            ) {
                Ok(claimed) => claimed,
                Err(err) => {
                    tracing::error!(%err, "reading the alert outbox failed");
                    Vec::new()
                }
            };
            if claimed.is_empty() {
                seen = self.engine.wait_for_alerts(seen, POLL);
                continue;
            }
            // Each row heads its own queue: send them side by side, so one slow receiver
            // delays only its own queue.
            std::thread::scope(|scope| {
                for delivery in &claimed {
                    scope.spawn(move || self.attempt(delivery));
                }
            });
        }
    }

    /// One attempt, settled in the outbox.
    fn attempt(&self, delivery: &Delivery) {
        let settlement = match self.send(delivery) {
            Ok(()) => Settlement::Delivered(clock::now_millis()),
            Err(Failure::Gone(why)) => {
                tracing::warn!(delivery = %delivery.delivery_id, rule = %delivery.rule, why, "alert dropped");
                Settlement::Dropped(format!("not delivered: {why}"))
            }
            Err(Failure::Failed(error)) => {
                let failures = delivery.attempts.saturating_add(1);
                let wait =
                    alerts::retry_delay_ms(failures, self.backoff.base_ms, self.backoff.cap_ms);
                tracing::warn!(delivery = %delivery.delivery_id, rule = %delivery.rule, target = %delivery.target, failures, %error, "alert delivery failed; will retry");
                Settlement::Retry {
                    next_attempt_ms: clock::now_millis().saturating_add(wait),
                    error,
                }
            }
        };
        if let Err(err) = self
            .engine
            .settle_delivery(delivery.id, &self.owner, &settlement)
        {
            // The lease runs out and the row goes again (at least once).
            tracing::error!(%err, delivery = %delivery.delivery_id, "recording an alert delivery failed");
        }
    }

    fn send(&self, delivery: &Delivery) -> Result<(), Failure> {
        let account = AccountId::parse(&delivery.account)
            .ok_or(Failure::Gone("its account id is malformed"))?;
        let target = match self.target(&account, delivery) {
            Ok(target) => target,
            Err(why) => return Err(Failure::Gone(why)),
        };
        let envelope: serde_json::Value = serde_json::from_str(&delivery.body)
            .map_err(|_| Failure::Gone("its envelope does not parse"))?;
        match target {
            AlertTarget::RootEmail { .. } => {
                let state = self.engine.snapshot();
                let email = state
                    .account(&account)
                    .map(|a| a.email.clone())
                    .ok_or(Failure::Gone("its account no longer exists"))?;
                self.mail(&email, &account, delivery, &envelope)
            }
            AlertTarget::Email { address, .. } => {
                self.mail(&address, &account, delivery, &envelope)
            }
            AlertTarget::Webhook {
                url, sealed_secret, ..
            } => {
                let context =
                    alerts::webhook_secret_context(&account, &delivery.rule, &delivery.target);
                let secret = self
                    .engine
                    .master()
                    .open(&sealed_secret, &context)
                    .map_err(|_| Failure::Gone("its webhook secret does not open"))?;
                let timestamp = clock::now();
                let signature =
                    alerts::webhook_signature(secret.expose(), timestamp, &delivery.body);
                let headers = [
                    ("X-Rampart-Delivery-Id", delivery.delivery_id.clone()),
                    ("X-Rampart-Timestamp", timestamp.to_string()),
                    ("X-Rampart-Signature", signature),
                    ("X-Rampart-Rule", delivery.rule.clone()),
                    (
                        "X-Rampart-Attempt",
                        delivery.attempts.saturating_add(1).to_string(),
                    ),
                ];
                match webhook::post(&url, &headers, &delivery.body) {
                    Ok(status) if (200..300).contains(&status) => Ok(()),
                    Ok(status) => Err(Failure::Failed(format!("HTTP {status}"))),
                    Err(err) => Err(Failure::Failed(err)),
                }
            }
        }
    }

    /// The row's target as its rule stands now. A rule this process has not seen yet may
    /// have been written by another one a moment ago: look again after a refresh before
    /// giving up on the row.
    fn target(
        &self,
        account: &AccountId,
        delivery: &Delivery,
    ) -> Result<AlertTarget, &'static str> {
        let found = alerts::target_of(
            &self.engine.snapshot(),
            account,
            &delivery.rule,
            &delivery.target,
        );
        if found.is_ok() {
            return found;
        }
        if let Err(err) = self.engine.refresh() {
            tracing::error!(%err, "snapshot refresh failed");
        }
        alerts::target_of(
            &self.engine.snapshot(),
            account,
            &delivery.rule,
            &delivery.target,
        )
    }

    fn mail(
        &self,
        to: &str,
        account: &AccountId,
        delivery: &Delivery,
        envelope: &serde_json::Value,
    ) -> Result<(), Failure> {
        let state = self.engine.snapshot();
        let contact = state
            .account(account)
            .and_then(|a| a.alternate_contacts.get("SECURITY").cloned());
        let subject = alerts::text::subject(envelope, &delivery.rule);
        let body = alerts::text::body(
            envelope,
            &delivery.rule,
            &delivery.delivery_id,
            contact.as_ref(),
        );
        self.mailer
            .send_with_headers(
                to,
                &subject,
                &body,
                &[("X-Rampart-Delivery-Id", &delivery.delivery_id)],
                clock::now(),
            )
            .map_err(|err| Failure::Failed(format!("{err:#}")))
    }
}

/// Why an attempt did not deliver.
enum Failure {
    /// Try again later.
    Failed(String),
    /// Never deliverable: the rule or target is gone.
    Gone(&'static str),
}
