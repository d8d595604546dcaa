//! The resolved configuration of one `rampart` process.
//!
//! Precedence is command line, then `RAMPART_*` environment variables (clap reads both),
//! then defaults from the functions below. Library crates never read the environment.

use std::net::SocketAddr;
use std::path::PathBuf;

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
    /// Directory holding the database and the master key.
    pub data_dir: PathBuf,
    /// `smtp://host:port` for outgoing mail; `None` writes mail to the outbox folder.
    pub smtp_url: Option<String>,
    /// The URL that links in mail point at; defaults to the listen address.
    pub public_url: Option<String>,
    /// Accept never-issued access keys as the default account's root and serve
    /// `POST /moto-api/reset` (for suites written against moto or LocalStack).
    pub test_mode: bool,
}
