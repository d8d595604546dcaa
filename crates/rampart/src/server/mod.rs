//! The HTTP server: listening (plain or TLS), who the client is (trusted proxies), the
//! refresh loop, and the request path.

mod listen;
mod outbound;
pub mod pipeline;
pub mod proxy;
mod test_partition;
pub mod tls;

pub use listen::serve;
