//! Outgoing mail: SMTP when a server is configured, else an outbox folder in the data
//! directory, so a single machine works with no mail server.
//!
//! SMTP here is plain (no TLS): point it at a local relay or a trusted private network.

use std::path::PathBuf;

use anyhow::Context;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, SinglePart};
use lettre::{Message, SmtpTransport, Transport};

/// Where mail goes.
#[derive(Debug, Clone)]
pub enum Mailer {
    /// Each message becomes an `.eml` file in this folder.
    Outbox(PathBuf),
    /// Sent to an SMTP server (`smtp://host:port`).
    Smtp {
        /// Host name or address.
        host: String,
        /// Port.
        port: u16,
        /// The sender address.
        from: String,
    },
}

impl rampart_core::mail::Mail for Mailer {
    fn send(&self, to: &str, subject: &str, body: &str, now: i64) -> Result<(), String> {
        Mailer::send(self, to, subject, body, now).map_err(|err| format!("{err:#}"))
    }
}

/// The sender used when none is configured.
pub const DEFAULT_FROM: &str = "no-reply@rampart.local";

impl Mailer {
    /// SMTP when `smtp_url` is given, else the data directory's outbox.
    pub fn from_config(
        smtp_url: Option<&str>,
        data_dir: &std::path::Path,
    ) -> anyhow::Result<Mailer> {
        match smtp_url {
            Some(url) => {
                let rest = url
                    .strip_prefix("smtp://")
                    .context("the SMTP URL must look like smtp://host:port")?;
                let (host, port) = match rest.rsplit_once(':') {
                    Some((host, port)) => (
                        host.to_owned(),
                        port.trim_end_matches('/')
                            .parse()
                            .context("bad SMTP port")?,
                    ),
                    None => (rest.trim_end_matches('/').to_owned(), 25),
                };
                Ok(Mailer::Smtp {
                    host,
                    port,
                    from: DEFAULT_FROM.to_owned(),
                })
            }
            None => Ok(Mailer::Outbox(data_dir.join("outbox"))),
        }
    }

    /// Sends one plain-text message.
    pub fn send(&self, to: &str, subject: &str, body: &str, now: i64) -> anyhow::Result<()> {
        self.send_with_headers(to, subject, body, &[], now)
    }

    /// Sends one plain-text message with extra header lines (`X-Rampart-Delivery-Id`).
    /// Success means the SMTP server accepted it (`250`) or the outbox file was written.
    pub fn send_with_headers(
        &self,
        to: &str,
        subject: &str,
        body: &str,
        headers: &[(&str, &str)],
        now: i64,
    ) -> anyhow::Result<()> {
        let from = match self {
            Mailer::Smtp { from, .. } => from.as_str(),
            Mailer::Outbox(_) => DEFAULT_FROM,
        };
        let mut builder = Message::builder();
        for (name, value) in headers {
            let name = HeaderName::new_from_ascii((*name).to_owned()).context("bad header name")?;
            builder = builder.raw_header(HeaderValue::new(name, (*value).to_owned()));
        }
        let message = builder
            .from(from.parse::<Mailbox>().context("bad sender address")?)
            .to(to.parse::<Mailbox>().context("bad recipient address")?)
            .subject(subject)
            .singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_PLAIN)
                    .body(body.to_owned()),
            )
            .context("cannot build the message")?;
        match self {
            Mailer::Outbox(dir) => {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("cannot create {}", dir.display()))?;
                let mut suffix = [0u8; 6];
                rampart_core::random::fill(&mut suffix);
                let name = format!(
                    "{now}-{}.eml",
                    suffix
                        .iter()
                        .map(|b| format!("{b:02x}"))
                        .collect::<String>()
                );
                std::fs::write(dir.join(name), message.formatted())
                    .context("cannot write to the outbox")
            }
            Mailer::Smtp { host, port, .. } => {
                let transport = SmtpTransport::builder_dangerous(host.as_str())
                    .port(*port)
                    .timeout(Some(std::time::Duration::from_secs(20)))
                    .build();
                transport
                    .send(&message)
                    .map(|_| ())
                    .context("the SMTP server refused the message")
            }
        }
    }
}
