"""Resource-exhaustion probes (issue 13 items 2 and 3) against throwaway release servers on
127.0.0.1, each with short limits so the run stays bounded:

1. descriptors: the server runs with a small RLIMIT_NOFILE and clients open more idle
   connections than it has descriptors. It must not spin (CPU while exhausted), must log the
   failing accept once per episode (not per attempt), and must serve a new client once the
   idle connections time out.
2. connection limit: more idle connections than --max-connections; the excess waits in the
   backlog (never accepted while the slots are full) and a new client is served afterwards.
3. slowloris: many connections sending their request head one byte a second; all are
   closed at the header timeout while signed requests keep being answered.
4. TLS handshakes: silent connections to an HTTPS server are closed at the header timeout.
5. idle connections: many idle keep-alive-less connections; memory before/while/after.

Prints one line of figures per probe; exits non-zero on any violation."""
import argparse
import os
import re
import resource
import socket
import ssl
import subprocess
import sys
import threading
import time

from chaoslib import BIN, Server

ap = argparse.ArgumentParser()
ap.add_argument("--work", required=True)
ap.add_argument("--mode", choices=("short", "long"), default="short")
opts = ap.parse_args()
LONG = opts.mode == "long"
HEADER_TIMEOUT = 3
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
        print(f"   VIOLATION: {what}")


def cpu_seconds(pid):
    """User + system CPU time of a process, from /proc."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        kib = int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))
    return kib / 1024


def open_fds(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def connect_many(port, n):
    """`n` idle TCP connections, one after another (a burst of simultaneous SYNs would be
    partly dropped and retried by the kernel, blurring the figures); a connect that takes
    over 2 s (the listen backlog full) is given up."""
    socks = []
    for _ in range(n):
        s = socket.socket()
        s.settimeout(2)
        try:
            s.connect(("127.0.0.1", port))
        except OSError:
            s.close()
            continue
        socks.append(s)
    return socks


def close_all(socks):
    for s in socks:
        s.close()


def served_after(server, limit):
    """Seconds until a plain GET is answered (None if not within `limit`)."""
    start = time.time()
    try:
        with socket.create_connection(("127.0.0.1", server.port), timeout=limit) as s:
            s.settimeout(limit)
            s.sendall(b"GET /console/ HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
            first = s.recv(16)
            if not first.startswith(b"HTTP/1.1"):
                return None
    except OSError:
        return None
    return time.time() - start


def start(name, args, nofile=None, tls=False):
    server = Server(opts.work, name, args=["--header-timeout-secs", str(HEADER_TIMEOUT), *args],
                    env={"RAMPART_LOG": "warn"})
    if tls:
        os.makedirs(server.data_dir, exist_ok=True)
        subprocess.run([BIN, "tls", "self-signed", "--data-dir", server.data_dir], check=True,
                       capture_output=True)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if nofile:
        # The child inherits the lowered limit; this process gets its own back at once.
        resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, hard))
    try:
        ok = server.start()
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    if not ok:
        sys.exit(f"{name}: the server did not start; see {server.log_path}")
    return server


def log_lines(server, pattern):
    with open(server.log_path, errors="replace") as f:
        return sum(1 for line in f if pattern in line)


def probe_descriptors():
    nofile = 128
    server = start("fds", [], nofile=nofile)
    pid = server.proc.pid
    base = open_fds(pid)
    n = 600 if LONG else 300
    socks = connect_many(server.port, n)
    time.sleep(1.0)   # let the accept loop reach the limit
    peak = open_fds(pid)
    cpu0, t0 = cpu_seconds(pid), time.time()
    time.sleep(2.0)   # exhausted: the accept loop must sleep, not spin
    cpu = cpu_seconds(pid) - cpu0
    window = time.time() - t0
    latency = served_after(server, limit=HEADER_TIMEOUT * (n // nofile + 4))
    close_all(socks)
    after = served_after(server, limit=10)
    failed_logs = log_lines(server, "accept failed")
    log_bytes = os.path.getsize(server.log_path)
    print(f"   RLIMIT_NOFILE {nofile}, {n} idle connections: server fds {base} -> {peak}; "
          f"CPU {cpu:.2f} s over {window:.1f} s exhausted; 'accept failed' logged {failed_logs}x "
          f"(log {log_bytes} bytes); a new client served after {fmt(latency)}; after close {fmt(after)}")
    check(peak >= nofile - 8, f"descriptors never ran out (peak {peak} of {nofile})")
    check(cpu < 0.5 * window, f"accept loop spun: {cpu:.2f} s CPU in {window:.1f} s")
    check(1 <= failed_logs <= 5, f"'accept failed' logged {failed_logs} times")
    check(latency is not None, "a new client was never served while descriptors were exhausted")
    check(after is not None, "not serving after the connections closed")
    server.stop()


def probe_connection_limit():
    limit = 64
    server = start("slots", ["--max-connections", str(limit)])
    pid = server.proc.pid
    base = open_fds(pid)
    n = 2 * limit + 10
    socks = connect_many(server.port, n)
    time.sleep(1.0)
    held = open_fds(pid) - base
    latency = served_after(server, limit=HEADER_TIMEOUT * 6 + 5)
    close_all(socks)
    print(f"   --max-connections {limit}, {n} idle connections: {held} accepted at once; "
          f"a new client served after {fmt(latency)} (idle ones time out after {HEADER_TIMEOUT} s)")
    check(held <= limit + 2, f"{held} connections accepted beyond the limit of {limit}")
    check(latency is not None, "a client waiting beyond the limit was never served")
    server.stop()


def slowloris_client(port, results, stop):
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    head = b"POST / HTTP/1.1\r\nhost: x\r\nx-slow: " + b"a" * 1000
    start = time.time()
    try:
        for byte in head:
            if stop.is_set():
                break
            s.sendall(bytes([byte]))
            time.sleep(1.0)
    except OSError:
        results.append(time.time() - start)
        return
    finally:
        s.close()
    results.append(None)


def probe_slowloris():
    server = start("slowloris", [])
    pid = server.proc.pid
    rss0 = rss_mib(pid)
    n = 400 if LONG else 100
    results, stop = [], threading.Event()
    threads = [threading.Thread(target=slowloris_client, args=(server.port, results, stop), daemon=True)
               for _ in range(n)]
    for t in threads:
        t.start()
    latencies = []
    deadline = time.time() + HEADER_TIMEOUT + 2
    while time.time() < deadline:
        latency = served_after(server, limit=5)
        latencies.append(latency)
        time.sleep(0.2)
    rss1 = rss_mib(pid)
    for t in threads:
        t.join(HEADER_TIMEOUT + 10)
    stop.set()
    closed = [r for r in results if r is not None]
    answered = [x for x in latencies if x is not None]
    worst = max(answered) if answered else None
    print(f"   {n} slowloris heads (1 byte/s): {len(closed)} closed by the server, after "
          f"{min(closed, default=0):.1f}-{max(closed, default=0):.1f} s; {len(answered)}/{len(latencies)} "
          f"requests answered meanwhile (slowest {fmt(worst)}); RSS {rss0:.1f} -> {rss1:.1f} MiB")
    check(len(closed) == n, f"{n - len(closed)} slowloris connections outlived the header timeout")
    check(len(answered) == len(latencies), "requests went unanswered during the slowloris attack")
    server.stop()


def probe_tls_handshakes():
    server = start("tls", [], tls=True)
    n = 300 if LONG else 100
    socks = []
    for _ in range(n):
        s = socket.create_connection(("127.0.0.1", server.port), timeout=HEADER_TIMEOUT + 10)
        socks.append(s)
    start_t = time.time()
    closed = 0
    for s in socks:
        try:
            if s.recv(1) == b"":
                closed += 1
        except OSError:
            closed += 1
    took = time.time() - start_t
    close_all(socks)
    # A real client still gets through.
    ctx = ssl.create_default_context(cafile=os.path.join(server.data_dir, "tls-cert.pem"))
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as raw:
        with ctx.wrap_socket(raw, server_hostname="localhost") as s:
            s.sendall(b"GET /console/ HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n\r\n")
            ok = s.recv(16).startswith(b"HTTP/1.1 200")
    print(f"   {n} silent TLS connections (no ClientHello): {closed} closed by the server within "
          f"{took:.1f} s; an HTTPS client served afterwards: {ok}")
    check(closed == n, f"{n - closed} silent TLS connections stayed open")
    check(ok, "no HTTPS client served after the handshake stall")
    server.stop()


def probe_idle():
    server = start("idle", [])
    pid = server.proc.pid
    base, rss0 = open_fds(pid), rss_mib(pid)
    n = 1000 if LONG else 300
    t0 = time.time()
    socks = connect_many(server.port, n)
    peak, rss1 = base, rss0
    while time.time() - t0 < HEADER_TIMEOUT - 0.5:
        peak, rss1 = max(peak, open_fds(pid)), max(rss1, rss_mib(pid))
        time.sleep(0.1)
    closed_after = None
    while time.time() - t0 < 10 * HEADER_TIMEOUT:
        if open_fds(pid) <= base + 2:
            closed_after = time.time() - t0
            break
        time.sleep(0.2)
    rss2 = rss_mib(pid)
    close_all(socks)
    print(f"   {len(socks)} idle connections: server fds {base} -> {peak} at most, all closed "
          f"{fmt(closed_after)} after the first connect with a {HEADER_TIMEOUT} s timeout; "
          f"RSS {rss0:.1f} -> {rss1:.1f} -> {rss2:.1f} MiB")
    check(closed_after is not None, f"idle connections not closed ({open_fds(pid)} fds left)")
    server.stop()


def fmt(seconds):
    return "never" if seconds is None else f"{seconds:.2f} s"


PROBES = [
    ("descriptor exhaustion", probe_descriptors),
    ("connection limit", probe_connection_limit),
    ("slowloris", probe_slowloris),
    ("TLS handshake stall", probe_tls_handshakes),
    ("idle connections", probe_idle),
]
t0 = time.time()
for name, probe in PROBES:
    print(f"-- {name}")
    probe()
print(f"exhaustion probes ({opts.mode}): {time.time() - t0:.0f} s, "
      f"{'all passed' if not failures else str(len(failures)) + ' violation(s)'}")
sys.exit(1 if failures else 0)
