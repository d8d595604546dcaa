//! The resolved configuration of one `rampart` process.
//!
//! Precedence is command line, then `RAMPART_*` environment variables (clap reads both),
//! then defaults from the functions below. Library crates never read the environment.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::str::FromStr;

use crate::server::proxy::TrustedProxies;
use crate::server::tls::TlsFiles;

/// Where `serve` listens unless told otherwise.
pub fn default_listen() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 4566))
}

/// The data directory unless told otherwise.
pub fn default_data_dir() -> PathBuf {
    PathBuf::from("rampart-data")
}

/// Settings of the server.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// Address to listen on.
    pub listen: SocketAddr,
    /// Directory holding the master key (and the database, with SQLite).
    pub data_dir: PathBuf,
    /// `smtp://host:port` for outgoing mail; `None` writes mail to the outbox folder.
    pub smtp_url: Option<String>,
    /// The URL that links in mail point at; defaults to the listen address.
    pub public_url: Option<String>,
    /// `Some` in test mode: never-issued access keys are accepted as the default account's
    /// root (or a user of it) and `POST /moto-api/reset` is served (for suites written
    /// against moto or LocalStack).
    pub test_mode: Option<rampart_core::ops::test_mode::TestCaller>,
    /// Where the rows live.
    pub store: StoreChoice,
    /// How much one client may hold of the server.
    pub limits: ConnectionLimits,
    /// Days audit events are kept before the background pruning deletes them.
    pub audit_retention_days: u32,
    /// False only for the load benchmark's baseline: no audit event is recorded.
    pub audited: bool,
    /// The alert outbox's retry schedule.
    pub alert_backoff: crate::delivery::Backoff,
    /// Serve HTTPS with this certificate and key; `None` serves plain HTTP.
    pub tls: Option<TlsFiles>,
    /// Proxies whose `X-Forwarded-For`/`-Proto` headers are believed.
    pub trusted_proxies: TrustedProxies,
    /// Trail delivery: where buckets live and how often files are written.
    pub trails: crate::trails::TrailConfig,
}

/// A delivery round every 60 s (CloudTrail delivers about every 5 minutes).
pub fn default_trail_delivery_interval_secs() -> u64 {
    60
}

/// A digest per folder every hour, as CloudTrail writes them.
pub fn default_trail_digest_interval_secs() -> u64 {
    3600
}

/// The first retry of an alert waits 1 s.
pub fn default_alert_retry_base_ms() -> i64 {
    1000
}

/// Retries of an alert wait at most 5 minutes.
pub fn default_alert_retry_cap_secs() -> i64 {
    300
}

/// 90 days, as CloudTrail's event history.
pub fn default_audit_retention_days() -> u32 {
    90
}

/// Bounds on what connections may hold: a client that stalls or floods is cut off instead
/// of holding memory and descriptors forever.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// Seconds a connection may take to send a request's headers, which is also how long
    /// an idle keep-alive connection stays open.
    pub header_timeout_secs: u64,
    /// Seconds a client may take to send a request's body (1 MiB at most).
    pub body_timeout_secs: u64,
    /// Connections served at once; further clients wait in the listen backlog.
    pub max_connections: usize,
}

/// Headers (and idle keep-alive) time out after 20 s: SDKs send a request in one write, and
/// reconnect transparently when an idle connection has been closed.
pub fn default_header_timeout_secs() -> u64 {
    20
}

/// A body (at most 1 MiB) must arrive within 30 s, about 35 KB/s at the limit.
pub fn default_body_timeout_secs() -> u64 {
    30
}

/// 1,024 connections at once: far above what SDK pools open, below the usual descriptor
/// limit of a process, so the server never spins at the limit.
pub fn default_max_connections() -> usize {
    1024
}

impl Default for ConnectionLimits {
    fn default() -> ConnectionLimits {
        ConnectionLimits {
            header_timeout_secs: default_header_timeout_secs(),
            body_timeout_secs: default_body_timeout_secs(),
            max_connections: default_max_connections(),
        }
    }
}

/// Where the rows live: `--store` / `RAMPART_STORE`.
#[derive(Clone, PartialEq, Eq)]
pub enum StoreChoice {
    /// SQLite, a file in the data directory: one node (the default).
    Sqlite,
    /// A PostgreSQL database by URL (`postgres://user@host/db`), shared by several nodes.
    /// Each node still keeps the master key in its own data directory.
    Postgres(String),
}

impl FromStr for StoreChoice {
    type Err = String;

    fn from_str(value: &str) -> Result<StoreChoice, String> {
        if value == "sqlite" {
            Ok(StoreChoice::Sqlite)
        } else if value.starts_with("postgres://") || value.starts_with("postgresql://") {
            Ok(StoreChoice::Postgres(value.to_owned()))
        } else {
            Err("expected `sqlite` or a `postgres://user@host/dbname` URL".to_owned())
        }
    }
}

/// The URL with its password, if any, replaced by `***`: for logs and messages.
impl fmt::Display for StoreChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreChoice::Sqlite => f.write_str("sqlite"),
            StoreChoice::Postgres(url) => f.write_str(&redact_password(url)),
        }
    }
}

impl fmt::Debug for StoreChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// `scheme://user:secret@host/db` → `scheme://user:***@host/db`; anything else unchanged.
fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}{tail}"),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_choice_parses_sqlite_and_postgres_urls_only() {
        assert_eq!("sqlite".parse::<StoreChoice>(), Ok(StoreChoice::Sqlite));
        assert_eq!(
            "postgres://u@h/db".parse::<StoreChoice>(),
            Ok(StoreChoice::Postgres("postgres://u@h/db".into()))
        );
        assert!("postgresql://h/db".parse::<StoreChoice>().is_ok());
        assert!("mysql://h/db".parse::<StoreChoice>().is_err());
    }

    #[test]
    fn store_choice_never_shows_the_password() {
        let choice: StoreChoice = "postgres://rampart:s3cret@db.internal:5432/iam?sslmode=disable"
            .parse()
            .unwrap();
        assert_eq!(
            choice.to_string(),
            "postgres://rampart:***@db.internal:5432/iam?sslmode=disable"
        );
        assert!(!format!("{choice:?}").contains("s3cret"));
        assert_eq!(
            StoreChoice::Postgres("postgres://rampart@h/db".into()).to_string(),
            "postgres://rampart@h/db"
        );
    }
}
