//! The `rampart` binary: parse the command line, set up logging, dispatch.

use clap::Parser;

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
