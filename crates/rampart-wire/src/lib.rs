//! `rampart-wire`: the AWS wire protocols Rampart speaks and the typed input
//! and output of every operation it serves. Pure: no I/O, no clock, no domain
//! rules, no storage.
//!
//! The server's path through this crate (wire-protocols.md §0):
//!
//! ```
//! use rampart_wire::{classify, iam, Protocol, Route};
//! let body = b"Action=GetUser&Version=2010-05-08&UserName=alice";
//! let route = classify("POST", "/", "", &[("content-type", "application/x-www-form-urlencoded")], body).unwrap();
//! if let Route::Query { service, action, params } = route {
//!     match iam::Operation::decode(&action, &params) {
//!         // → authorize, execute, then `iam::Output::encode(&action, request_id)`
//!         Ok(op) => assert_eq!(op.name(), "GetUser"),
//!         Err(e) => { let _resp = e.render(Protocol::Query(service), "request-id"); }
//!     }
//! }
//! ```
//!
//! Modules: [`route`] (protocol detection), [`query`] (awsQuery form input),
//! [`xml`] (awsQuery output), [`json`] (awsJson1.1 / restJson1 responses),
//! [`error`] (codes and error documents), [`schema`] (member tables and
//! constraints), [`timestamp`], and one module per service ([`iam`], [`sts`],
//! [`organizations`], [`account`], [`cloudtrail`]).

#[macro_use]
mod macros;

pub mod account;
pub mod cloudtrail;
pub mod error;
pub mod iam;
pub mod json;
pub mod organizations;
pub mod query;
pub mod record;
pub mod route;
pub mod schema;
pub mod sts;
pub mod timestamp;
pub mod xml;

pub use error::{ErrorCode, Fault, Protocol, WireError, WireResponse, render_error};
pub use query::{QueryParams, QueryService};
pub use route::{JsonService, Route, classify};
pub use timestamp::Timestamp;
