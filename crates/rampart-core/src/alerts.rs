//! Alerts on root user activity: what security teams watch for ("monitor and notify on AWS
//! account root user activity"). This module owns the policy — a log line on every root
//! call, a message to the root's address at most once an hour per account — and the
//! message text; delivery is a [`Notifier`] the binary provides (mail today).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::audit::AuditEvent;
use crate::model::AccountId;
use crate::state::State;

/// Root activity messages go out at most this often per account (seconds).
pub const ROOT_ALERT_INTERVAL: i64 = 3600;

/// Delivers an alert message to an address.
pub trait Notifier: Send + Sync {
    /// Sends `subject` and `body` to `to`; the error is for the log.
    fn notify(&self, to: &str, subject: &str, body: &str, now: i64) -> Result<(), String>;
}

/// The root activity alert policy, with the time of the last message per account.
pub struct RootAlerts {
    notifier: Arc<dyn Notifier>,
    last_sent: Mutex<HashMap<AccountId, i64>>,
}

impl std::fmt::Debug for RootAlerts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RootAlerts").finish_non_exhaustive()
    }
}

impl RootAlerts {
    /// Alerts delivered through `notifier`.
    pub fn new(notifier: Arc<dyn Notifier>) -> RootAlerts {
        RootAlerts {
            notifier,
            last_sent: Mutex::new(HashMap::new()),
        }
    }

    /// Logs a root call and sends the message when one is due.
    pub fn observe(&self, state: &State, event: &AuditEvent, now: i64) {
        let Some(account) = AccountId::parse(&event.recipient_account_id) else {
            return;
        };
        let account = &account;
        tracing::warn!(account = %account, event = %event.event_name, source = %event.source_ip_address, "root user activity");
        if !self.due(account, now) {
            return;
        }
        let Some(email) = state.account(account).map(|a| a.email.clone()) else {
            return;
        };
        let body = message(account, event);
        if let Err(err) =
            self.notifier
                .notify(&email, "Root user activity in your account", &body, now)
        {
            tracing::error!(%err, "sending the root activity alert failed");
        }
    }

    /// Whether a message is due for `account` at `now`; marks it sent when it is.
    fn due(&self, account: &AccountId, now: i64) -> bool {
        let Ok(mut last) = self.last_sent.lock() else {
            return false;
        };
        let due = last
            .get(account)
            .is_none_or(|at| now - at >= ROOT_ALERT_INTERVAL);
        if due {
            last.insert(account.clone(), now);
        }
        due
    }
}

/// The alert text: what happened, and what to do if it was not the owner.
fn message(account: &AccountId, event: &AuditEvent) -> String {
    format!(
        "The root user of Rampart account {account} called {} ({}) from {} at {}.\n\n\
         If this was not you, change the root password and review the account's audit trail\n\
         (`rampart audit --account {account}`). Alerts are sent at most once an hour.\n",
        event.event_name, event.event_source, event.source_ip_address, event.event_time,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Discard;
    impl Notifier for Discard {
        fn notify(&self, _: &str, _: &str, _: &str, _: i64) -> Result<(), String> {
            Ok(())
        }
    }

    #[test]
    fn at_most_one_message_an_hour_per_account() {
        let alerts = RootAlerts::new(Arc::new(Discard));
        let a = AccountId::parse("111111111111").unwrap();
        let b = AccountId::parse("222222222222").unwrap();
        assert!(alerts.due(&a, 1000));
        assert!(!alerts.due(&a, 1000 + ROOT_ALERT_INTERVAL - 1));
        assert!(alerts.due(&b, 1001));
        assert!(alerts.due(&a, 1000 + ROOT_ALERT_INTERVAL));
    }
}
