//! The `rampart` binary: parse the command line, set up logging, dispatch.

use clap::Parser;

/// mimalloc instead of the C library's allocator: the snapshot is millions of small
/// long-lived objects decoded on several threads at start-up, where glibc's per-thread
/// arenas fragment (measured: RSS and start-up at 100k identities, `bench/scale.sh`), and
/// the request path allocates and frees many short strings per call.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    without_transparent_huge_pages();
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

/// Turns transparent huge pages off for this process. mimalloc asks for them on its
/// arenas (`madvise(MADV_HUGEPAGE)`), so every first touch of a 2 MiB region made the
/// kernel zero all of it: a third of the server's CPU during a write load went to
/// `clear_page_erms`, and start-up at 100k identities took 2.2 CPU-s instead of 0.5
/// (`perf record` of `bench/scale.sh`'s CreateUser load; the figures are in
/// `docs/performance.md`). The snapshot's nodes are small and scattered, so huge pages
/// bought nothing measurable for reads. The flag is per process and taken at the next
/// fault, so memory mapped before this call is covered too.
fn without_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    if let Err(err) = rustix::thread::disable_transparent_huge_pages(true) {
        // Only a slower server; not a reason to refuse to start.
        eprintln!("rampart: transparent huge pages stay on: {err}");
    }
}
