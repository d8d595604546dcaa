//! Mail an operation sends as part of its work (the Account API's one-time code for a
//! new primary email): the core says what to send and to whom; the server binary owns
//! the transport (SMTP or the data directory's outbox) and installs it on the engine.
//!
//! Without a transport installed such operations fail with an internal error rather than
//! pretend to have mailed.

use std::sync::Arc;

use crate::engine::Engine;
use crate::error::CoreError;

/// A way to send one plain-text message.
pub trait Mail: Send + Sync + std::fmt::Debug {
    /// Sends `body` to `to` under `subject`; `now` dates the message.
    ///
    /// # Errors
    /// A description of why the message was not accepted (for the log only).
    fn send(&self, to: &str, subject: &str, body: &str, now: i64) -> Result<(), String>;
}

impl Engine {
    /// Installs the transport operations mail through; the first one installed stays.
    pub fn set_mail(&self, mail: Arc<dyn Mail>) {
        let _ = self.mail.set(mail);
    }

    /// Sends a message through the installed transport.
    ///
    /// # Errors
    /// [`CoreError::Internal`] when no transport is installed or it refused the message.
    pub fn send_mail(
        &self,
        to: &str,
        subject: &str,
        body: &str,
        now: i64,
    ) -> Result<(), CoreError> {
        let mail = self
            .mail
            .get()
            .ok_or_else(|| CoreError::Internal("no mail transport is installed".to_owned()))?;
        mail.send(to, subject, body, now)
            .map_err(|err| CoreError::Internal(format!("mail to the new address failed: {err}")))
    }
}

#[cfg(test)]
pub mod testing {
    //! A transport that keeps what it was asked to send, for tests.
    use std::sync::Mutex;

    /// One message sent: `(to, subject, body)`.
    pub type Sent = (String, String, String);

    /// Keeps every message in memory.
    #[derive(Debug, Default)]
    pub struct Recorder(pub Mutex<Vec<Sent>>);

    impl super::Mail for Recorder {
        fn send(&self, to: &str, subject: &str, body: &str, _now: i64) -> Result<(), String> {
            self.0.lock().map_err(|_| "poisoned".to_owned())?.push((
                to.to_owned(),
                subject.to_owned(),
                body.to_owned(),
            ));
            Ok(())
        }
    }
}
