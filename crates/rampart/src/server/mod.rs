//! The HTTP server: listening, the refresh loop, and the request path.

mod listen;
pub mod pipeline;

pub use listen::serve;
