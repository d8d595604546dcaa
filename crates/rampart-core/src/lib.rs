//! The domain of Rampart: accounts and root users, IAM entities, credentials, and every
//! operation as a function from (caller, input, `now`) to output over a transaction.
//!
//! It knows the wire's data types (inputs, outputs, error codes) but not its codecs, and it
//! declares the storage it needs (`store`) without knowing SQL.

pub mod alerts;
pub mod arns;
pub mod audit;
pub mod auth;
pub mod authz;
pub mod credential_report;
pub mod delivery;
pub mod engine;
pub mod error;
pub mod jwt;
pub mod lockout;
pub mod mail;
pub mod managed;
pub mod mfa;
pub mod model;
pub mod ops;
pub mod org_tree;
pub mod password;
pub mod password_policy;
pub mod random;
pub mod request;
pub mod secrets;
pub mod security;
pub mod service_reference;
pub mod session_token;
pub mod state;
pub mod store;

pub use error::CoreError;
