//! The HTTP server: listening, the refresh loop, and the request path.

mod listen;
pub mod pipeline;
mod test_partition;

pub use listen::serve;
