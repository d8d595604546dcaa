//! The `rampart` binary: parse the command line, set up logging, dispatch.

use clap::Parser;

/// mimalloc instead of the C library's allocator: the snapshot is millions of small
/// long-lived objects decoded on several threads at start-up, where glibc's per-thread
/// arenas fragment (measured: RSS and start-up at 100k identities, `bench/scale.sh`), and
/// the request path allocates and frees many short strings per call.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let cli = rampart::cli::Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("RAMPART_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    match rampart::cli::run(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("rampart: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
