//! Accepting connections (plain or TLS), reading requests within the connection limits,
//! graceful shutdown, snapshot refresh.
//!
//! Start-up is ordered (data directory, engine, listener, alert delivery, refresh loop) and
//! shutdown is the reverse on SIGINT/SIGTERM: stop accepting, let in-flight requests
//! finish, then exit.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::Context;
use bytes::Bytes;
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::Watcher;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::Semaphore;
use tokio_rustls::TlsAcceptor;

use rampart_core::alerts::RootAlerts;
use rampart_core::request::RequestPath;

use super::pipeline::{Pipeline, RawRequest};
use super::proxy::{Client, TrustedProxies};
use super::tls;
use crate::config::ServeConfig;
use crate::console::Console;
use crate::datadir;
use crate::mail::Mailer;

/// The largest request body accepted; IAM's largest inputs (policy documents) are far smaller.
const MAX_BODY_BYTES: usize = 1 << 20;
/// The largest body of a request that cannot be authenticated (no signature, unknown
/// credentials, no console session): every operation such a client can reach (sign-in and
/// recovery forms, errors) fits, and a flood of them holds 64 KiB per connection, not 1 MiB.
const MAX_UNAUTHENTICATED_BODY_BYTES: usize = 64 << 10;
/// How often the snapshot looks for commits made by other processes.
const REFRESH_INTERVAL: Duration = Duration::from_millis(200);
/// Access key last-used times are written every this many refresh ticks (about 5 s).
const USAGE_FLUSH_TICKS: u64 = 25;
/// Audit retention, the deletion of spent records and tombstone compaction run
/// every this many refresh ticks (about 10 minutes), and at start.
const PRUNE_TICKS: u64 = 3000;
/// Requests handled at once; more wait for a thread (tokio's default is 512).
const MAX_BLOCKING_THREADS: usize = 64;
/// Connections the kernel completes and queues while every slot is taken (capped by
/// `net.core.somaxconn`).
const LISTEN_BACKLOG: u32 = 1024;
/// How long the accept loop pauses after a failed accept (descriptors exhausted).
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);
/// How long shutdown waits for in-flight requests.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);
/// `Strict-Transport-Security` on every answer to a client that came over TLS: browsers
/// then use only HTTPS for this host for a year. Not for subdomains, which Rampart does
/// not speak for.
const HSTS: &str = "max-age=31536000";

/// Runs the server until SIGINT or SIGTERM.
pub fn serve(config: ServeConfig) -> anyhow::Result<()> {
    let engine = Arc::new(datadir::open(
        &config.data_dir,
        &config.store,
        datadir::Missing::Create,
    )?);
    // A certificate that cannot be loaded stops the start, before anything listens.
    let tls = config.tls.as_ref().map(tls::acceptor).transpose()?;
    if let Some(files) = &config.tls {
        tracing::info!(cert = %files.cert.display(), "serving HTTPS");
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        // Requests run on blocking threads (a write waits for its commit); each thread keeps
        // its own allocator arena, so their number bounds the memory a flood can pin.
        .max_blocking_threads(MAX_BLOCKING_THREADS)
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let listener = bind(config.listen).with_context(|| format!("cannot listen on {}", config.listen))?;
        let local = listener.local_addr()?;
        let scheme = if tls.is_some() { "https" } else { "http" };
        // The e2e tests and scripts wait for this exact line.
        println!("rampart listening on {scheme}://{local}");
        tracing::info!(%local, data_dir = %config.data_dir.display(), store = %config.store, "rampart serving");
        let public_url = config.public_url.clone().unwrap_or_else(|| format!("{scheme}://{local}"));
        engine.set_public_url(&public_url);
        let mut console = Console::new(
            Mailer::from_config(config.smtp_url.as_deref(), &config.data_dir)?,
            public_url,
        );
        // Operations that mail (the Account API's one-time codes) use the console's transport.
        engine.set_mail(Arc::new(console.mailer.clone()));
        if let Some(caller) = config.test_mode {
            rampart_core::ops::test_mode::ensure_default_account(&engine, crate::clock::now())?;
            tracing::warn!(?caller, "test mode: access keys Rampart never issued act as a principal of account 123456789012");
        }
        // Test suites written against moto make root calls constantly: no alerts there.
        let alerts = config.test_mode.is_none().then_some(RootAlerts);
        let mut requests = RequestPath::new(Arc::clone(&engine), alerts);
        if !config.audited {
            tracing::warn!("benchmark baseline: no audit event is recorded");
            requests = requests.unaudited();
        }
        let requests = Arc::new(requests);
        let stop_delivery = Arc::new(AtomicBool::new(false));
        crate::delivery::spawn(
            Arc::clone(&engine),
            console.mailer.clone(),
            config.alert_backoff,
            Arc::clone(&stop_delivery),
        )
        .context("cannot start the alert delivery worker")?;
        console
            .start_recovery_worker(Arc::clone(&requests))
            .context("cannot start the password recovery worker")?;
        let pipeline = Arc::new(Pipeline::new(requests, console, config.test_mode));
        let retention = i64::from(config.audit_retention_days) * 86_400;
        let refresher = tokio::spawn(refresh_loop(Arc::clone(&engine), retention, config.data_dir.clone()));
        tracing::info!(root = %config.trails.root.display(), "trail buckets are directories here");
        let delivery = tokio::spawn(crate::trails::delivery_loop(Arc::clone(&engine), config.trails.clone()));
        let graceful = hyper_util::server::graceful::GracefulShutdown::new();
        let mut shutdown = std::pin::pin!(shutdown_signal());
        let limits = config.limits;
        let slots = Arc::new(Semaphore::new(limits.max_connections));
        let connections = Arc::new(Connections {
            pipeline,
            tls,
            proxies: config.trusted_proxies.clone(),
            header_timeout: Duration::from_secs(limits.header_timeout_secs),
            body_timeout: Duration::from_secs(limits.body_timeout_secs),
        });
        let mut accept_errors = AcceptErrors::default();
        loop {
            // Back-pressure: take a connection slot before accepting, so at the limit new
            // clients wait in the kernel's backlog instead of costing a descriptor each.
            let slot = tokio::select! {
                slot = Arc::clone(&slots).acquire_owned() => slot?,
                () = &mut shutdown => break,
            };
            let accepted = tokio::select! {
                accepted = listener.accept() => accepted,
                () = &mut shutdown => break,
            };
            let (stream, peer) = match accepted {
                Ok(pair) => pair,
                Err(err) => {
                    accept_errors.note(&err);
                    // Out of descriptors (or another transient failure): pause instead of
                    // spinning on an accept that fails at once.
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                    continue;
                }
            };
            accept_errors.recovered();
            let _ = stream.set_nodelay(true);
            let connections = Arc::clone(&connections);
            let watcher = graceful.watcher();
            tokio::spawn(async move {
                connections.serve(stream, peer, watcher).await;
                drop(slot);
            });
        }
        tracing::info!("shutting down");
        drop(listener);
        // Deliveries in flight finish or their lease runs out; unsent ones stay queued.
        stop_delivery.store(true, Ordering::Relaxed);
        refresher.abort();
        delivery.abort();
        if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown()).await.is_err() {
            tracing::warn!("in-flight requests did not finish in time");
        }
        if let Err(err) = engine.flush_key_usage() {
            tracing::error!(%err, "writing access key usage failed");
        }
        if let Err(err) = engine.flush_audit() {
            tracing::error!(%err, "writing audit events failed");
        }
        anyhow::Ok(())
    })
}

/// A listening socket with a backlog of [`LISTEN_BACKLOG`] (tokio's `bind` keeps std's 128,
/// so a burst of clients beyond it had its SYNs dropped and retried a second later).
fn bind(addr: SocketAddr) -> std::io::Result<TcpListener> {
    let socket = if addr.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    // As std's bind does: a restart may reuse the port while old connections linger.
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(LISTEN_BACKLOG)
}

/// Failed accepts, logged once when they start and once when they stop, never per failure.
#[derive(Debug, Default)]
struct AcceptErrors {
    since_last_success: u64,
}

impl AcceptErrors {
    fn note(&mut self, err: &std::io::Error) {
        if self.since_last_success == 0 {
            tracing::warn!(%err, "accept failed; pausing between attempts until it works again");
        }
        self.since_last_success += 1;
    }

    fn recovered(&mut self) {
        if self.since_last_success > 0 {
            tracing::warn!(
                failed = self.since_last_success,
                "accepting connections again"
            );
            self.since_last_success = 0;
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
        Ok(mut term) => {
            tokio::select! {
                _ = ctrl_c => {}
                _ = term.recv() => {}
            }
        }
        Err(_) => {
            let _ = ctrl_c.await;
        }
    }
}

/// Flushes queued audit events and key usage, writes delegation notices, pulls other
/// nodes' commits, and every prune interval deletes audit events older than `retention`
/// seconds, spent records (`ops::housekeeping`) and the tombstones of the interval before.
async fn refresh_loop(
    engine: Arc<rampart_core::engine::Engine>,
    retention: i64,
    data_dir: std::path::PathBuf,
) {
    let notices = Arc::new(super::outbound::WrittenNotices::default());
    let mut ticker = tokio::time::interval(REFRESH_INTERVAL);
    let mut tick: u64 = 0;
    loop {
        ticker.tick().await;
        let engine = Arc::clone(&engine);
        let flush = tick.is_multiple_of(USAGE_FLUSH_TICKS);
        let prune = tick.is_multiple_of(PRUNE_TICKS);
        tick = tick.wrapping_add(1);
        let data_dir = data_dir.clone();
        let notices = Arc::clone(&notices);
        let work = move || {
            // Delegation notices for partners (their SNS topics), best effort like SNS.
            if let Err(err) = super::outbound::write_notices(&engine, &data_dir, &notices) {
                tracing::error!(%err, "writing delegation notices failed");
            }
            if flush && let Err(err) = engine.flush_key_usage() {
                tracing::error!(%err, "writing access key usage failed");
            }
            if prune {
                let cut = crate::clock::now().saturating_sub(retention);
                match engine.prune_audit(cut) {
                    Ok(0) => {}
                    Ok(pruned) => tracing::info!(pruned, "deleted audit events past retention"),
                    Err(err) => tracing::error!(%err, "pruning the audit trail failed"),
                }
                let now = crate::clock::now();
                match engine.write(|txn| rampart_core::ops::housekeeping::drop_spent(txn, now)) {
                    Ok(0) => {}
                    Ok(dropped) => tracing::info!(dropped, "deleted spent records"),
                    Err(err) => tracing::error!(%err, "deleting spent records failed"),
                }
                match engine.compact_tombstones() {
                    Ok(0) => {}
                    Ok(dropped) => {
                        tracing::info!(dropped, "compacted deletions older than one interval")
                    }
                    Err(err) => tracing::error!(%err, "compacting deletions failed"),
                }
            }
            if let Err(err) = engine.flush_audit() {
                tracing::error!(%err, "writing audit events failed");
            }
            engine.refresh()
        };
        match tokio::task::spawn_blocking(work).await {
            Ok(Ok(_)) => {}
            Ok(Err(err)) => tracing::error!(%err, "snapshot refresh failed"),
            Err(err) => tracing::error!(%err, "snapshot refresh task failed"),
        }
    }
}

/// What every connection shares: the request path, TLS, whom to believe about the client,
/// and the timeouts.
struct Connections {
    pipeline: Arc<Pipeline>,
    tls: Option<TlsAcceptor>,
    proxies: TrustedProxies,
    header_timeout: Duration,
    body_timeout: Duration,
}

impl Connections {
    /// Serves one accepted connection until it ends. A TLS handshake must finish within
    /// the header timeout, like a request head, so a stalled handshake cannot hold a slot.
    async fn serve(self: Arc<Self>, stream: TcpStream, peer: SocketAddr, watcher: Watcher) {
        let Some(acceptor) = self.tls.clone() else {
            self.serve_http(stream, peer, false, watcher).await;
            return;
        };
        match tokio::time::timeout(self.header_timeout, acceptor.accept(stream)).await {
            Ok(Ok(stream)) => self.serve_http(stream, peer, true, watcher).await,
            Ok(Err(err)) => tracing::debug!(%err, %peer, "TLS handshake failed"),
            Err(_) => tracing::debug!(%peer, "TLS handshake timed out"),
        }
    }

    async fn serve_http<I>(self: Arc<Self>, io: I, peer: SocketAddr, tls: bool, watcher: Watcher)
    where
        I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    {
        let shared = Arc::clone(&self);
        let service = service_fn(move |req| handle(Arc::clone(&shared), peer, tls, req));
        let conn = http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(self.header_timeout)
            .serve_connection(TokioIo::new(io), service);
        if let Err(err) = watcher.watch(conn).await {
            tracing::debug!(%err, "connection ended with an error");
        }
    }
}

async fn handle(
    connections: Arc<Connections>,
    peer: SocketAddr,
    tls: bool,
    req: hyper::Request<Incoming>,
) -> Result<hyper::Response<Full<Bytes>>, std::convert::Infallible> {
    let client = if connections.proxies.is_empty() {
        Client::direct(peer.ip(), tls)
    } else {
        let headers: Vec<(&str, &[u8])> = req
            .headers()
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_bytes()))
            .collect();
        connections.proxies.client(peer.ip(), tls, &headers)
    };
    let mut response = respond(&connections, peer, client, req).await;
    if client.secure {
        response.headers_mut().insert(
            hyper::header::STRICT_TRANSPORT_SECURITY,
            hyper::header::HeaderValue::from_static(HSTS),
        );
    }
    Ok(response)
}

async fn respond(
    connections: &Connections,
    peer: SocketAddr,
    client: Client,
    req: hyper::Request<Incoming>,
) -> hyper::Response<Full<Bytes>> {
    let pipeline = Arc::clone(&connections.pipeline);
    let (parts, body) = req.into_parts();
    let limit = body_limit(&pipeline, &parts).await;
    let collected = tokio::time::timeout(
        connections.body_timeout,
        Limited::new(body, limit).collect(),
    )
    .await;
    let body = match collected {
        Ok(Ok(collected)) => collected.to_bytes(),
        Ok(Err(err)) if err.is::<LengthLimitError>() => {
            let headers: Vec<(&str, &str)> = parts
                .headers
                .iter()
                .filter_map(|(name, value)| Some((name.as_str(), value.to_str().ok()?)))
                .collect();
            return to_hyper(pipeline.body_too_large(parts.uri.path(), &headers));
        }
        // A body cut short, malformed chunking or a stall: nothing was received that an
        // AWS error could answer, so end the connection.
        Ok(Err(_)) | Err(_) => return connection_ended(),
    };
    let raw = RawRequest {
        method: parts.method.as_str().to_owned(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().unwrap_or("").to_owned(),
        headers: parts
            .headers
            .iter()
            .map(|(name, value)| {
                (
                    name.as_str().to_owned(),
                    String::from_utf8_lossy(value.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body,
        peer,
        client,
    };
    // A read of the snapshot is answered here: moving it to a blocking thread and back
    // would cost more than answering it.
    if let Some(response) = pipeline.handle_read(&raw) {
        return to_hyper(response);
    }
    // Decided before the request moves to its task, for the answer if that task fails.
    let protocol = {
        let headers: Vec<(&str, &str)> = raw
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        rampart_wire::route::fallback_protocol(&raw.path, &headers)
    };
    // The pipeline may wait on a durable commit; keep that off the async workers.
    let response = match tokio::task::spawn_blocking(move || pipeline.handle(&raw)).await {
        Ok(response) => response,
        Err(err) => {
            tracing::error!(%err, "request task failed");
            rampart_wire::render_error(
                protocol,
                rampart_wire::ErrorCode::InternalFailure,
                "An internal error occurred.",
                "00000000-0000-4000-8000-000000000000",
            )
        }
    };
    to_hyper(response)
}

/// How much of the body to read: a small body always; more only for a request that can be
/// authenticated (decided from its head, before any of the body is buffered).
async fn body_limit(pipeline: &Arc<Pipeline>, parts: &hyper::http::request::Parts) -> usize {
    let declared = parts
        .headers
        .get(hyper::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n <= MAX_UNAUTHENTICATED_BODY_BYTES) {
        return MAX_UNAUTHENTICATED_BODY_BYTES;
    }
    let pipeline = Arc::clone(pipeline);
    let method = parts.method.as_str().to_owned();
    let path = parts.uri.path().to_owned();
    let query = parts.uri.query().unwrap_or("").to_owned();
    let headers: Vec<(String, String)> = parts
        .headers
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    // The check may refresh the snapshot from the store: keep it off the async workers.
    let large = tokio::task::spawn_blocking(move || {
        pipeline.may_send_large_body(&method, &path, &query, &headers)
    })
    .await
    .unwrap_or(false);
    if large {
        MAX_BODY_BYTES
    } else {
        MAX_UNAUTHENTICATED_BODY_BYTES
    }
}

/// `408 Request Timeout` with `Connection: close`, for a body that never fully arrived.
fn connection_ended() -> hyper::Response<Full<Bytes>> {
    let mut response = hyper::Response::new(Full::new(Bytes::new()));
    *response.status_mut() = hyper::StatusCode::REQUEST_TIMEOUT;
    response.headers_mut().insert(
        hyper::header::CONNECTION,
        hyper::header::HeaderValue::from_static("close"),
    );
    response
}

fn to_hyper(response: rampart_wire::WireResponse) -> hyper::Response<Full<Bytes>> {
    let mut builder = hyper::Response::builder()
        .status(response.status)
        .header("content-type", response.content_type);
    for (name, value) in &response.headers {
        builder = builder.header(*name, value.as_str());
    }
    builder
        .body(Full::new(Bytes::from(response.body)))
        .unwrap_or_else(|_| {
            let mut fallback = hyper::Response::new(Full::new(Bytes::new()));
            *fallback.status_mut() = hyper::StatusCode::INTERNAL_SERVER_ERROR;
            fallback
        })
}
