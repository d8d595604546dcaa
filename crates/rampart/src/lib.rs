//! Rampart: a self-hosted, AWS-compatible IAM service. This crate is the server, the
//! request path and the command line; the domain lives in `rampart_core`.

pub mod cli;
mod cli_alerts;
pub mod clock;
pub mod config;
pub mod console;
pub mod datadir;
pub mod delivery;
pub mod mail;
pub mod profile;
pub mod server;
pub mod trails;
pub mod webhook;
