//! Every operation, as a function over a write transaction or a snapshot.
//!
//! Operations never see HTTP and never authorize themselves: the server's pipeline has
//! authenticated and authorized the caller before calling them.

pub mod account;
pub mod alerts;
pub mod cloudtrail;
pub mod housekeeping;
pub mod iam;
pub mod organizations;
pub mod organizations_bridge;
pub mod paging;
pub mod root;
pub mod signup;
pub mod sts;
pub mod test_mode;
