//! Every operation, as a function over a write transaction or a snapshot.
//!
//! Operations never see HTTP and never authorize themselves: the server's pipeline has
//! authenticated and authorized the caller before calling them.

pub mod accounts;
pub mod organizations;
pub mod paging;
pub mod iam;
pub mod sts;
