//! Connection limits (issue 13): stalled headers, idle keep-alive connections, stalled and
//! truncated bodies are cut off, and the number of connections served at once is bounded.
//! Each test starts a server with short limits and waits at most a bounded time.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use crate::harness::Server;

/// Reads until the server closes the connection (or `limit` passes, which fails the test).
fn read_until_closed(stream: &mut TcpStream, limit: Duration) -> String {
    stream.set_read_timeout(Some(limit)).unwrap();
    let mut received = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => received.extend_from_slice(&buf[..n]),
            Err(err) if err.kind() == std::io::ErrorKind::ConnectionReset => break,
            Err(err) => panic!("the server kept the connection open: {err}"),
        }
    }
    String::from_utf8_lossy(&received).into_owned()
}

#[test]
fn a_stalled_request_head_is_closed_after_the_header_timeout() {
    let server = Server::start_with(&["--header-timeout-secs", "1"]);
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream.write_all(b"POST / HTTP/1.1\r\nhost: x\r\n").unwrap();
    read_until_closed(&mut stream, Duration::from_secs(15));
}

#[test]
fn an_idle_keep_alive_connection_is_closed() {
    let server = Server::start_with(&["--header-timeout-secs", "1"]);
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream
        .write_all(b"GET /console/ HTTP/1.1\r\nhost: x\r\n\r\n")
        .unwrap();
    let answered = read_until_closed(&mut stream, Duration::from_secs(15));
    assert!(answered.starts_with("HTTP/1.1 200"), "{answered}");
}

#[test]
fn a_stalled_or_truncated_body_ends_the_connection_without_a_too_large_error() {
    let server = Server::start_with(&["--body-timeout-secs", "1"]);
    let head = b"POST / HTTP/1.1\r\nhost: x\r\ncontent-type: application/x-www-form-urlencoded\r\ncontent-length: 1000\r\n\r\nAction=";
    let mut stalled = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stalled.write_all(head).unwrap();
    let answer = read_until_closed(&mut stalled, Duration::from_secs(15));
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");

    let mut truncated = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    truncated.write_all(head).unwrap();
    truncated.shutdown(std::net::Shutdown::Write).unwrap();
    let answer = read_until_closed(&mut truncated, Duration::from_secs(15));
    assert!(!answer.contains("too large"), "{answer}");
}

#[test]
fn connections_beyond_the_limit_wait_for_a_free_slot() {
    let server = Server::start_with(&["--max-connections", "2", "--header-timeout-secs", "60"]);
    let holders: Vec<TcpStream> = (0..2)
        .map(|_| TcpStream::connect(("127.0.0.1", server.port)).unwrap())
        .collect();
    let mut waiting = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    waiting
        .write_all(b"GET /console/ HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
        .unwrap();
    waiting
        .set_read_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    let mut buf = [0u8; 64];
    let early = waiting.read(&mut buf);
    assert!(
        early.is_err(),
        "served beyond the connection limit: {early:?}"
    );
    drop(holders);
    let answer = read_until_closed(&mut waiting, Duration::from_secs(15));
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[test]
fn password_reset_mails_are_limited_per_address_and_refusals_are_audited() {
    let server = Server::start_with_init_args(&["--root-email", "limits-root@example.com"]);
    let host = format!("127.0.0.1:{}", server.port);
    let post = |email: &str| {
        server.raw(
            "POST",
            "/console/root/recover",
            &[
                ("host", &host),
                ("content-type", "application/x-www-form-urlencoded"),
            ],
            format!("email={email}").as_bytes(),
        )
    };
    for _ in 0..3 {
        let (status, body) = post("limits-root%40example.com");
        assert_eq!(status, 200, "{body}");
    }
    let (status, body) = post("limits-root%40example.com");
    assert_eq!(status, 429, "{body}");
    assert!(body.contains("Too many password reset attempts"), "{body}");
    // Only the three allowed requests send mail (the refused one was never queued).
    assert_eq!(server.reset_mails(3).len(), 3);
    // Another address (known or not) is not affected by this one's limit.
    let (status, body) = post("nobody%40example.com");
    assert_eq!(status, 200, "{body}");

    let account = server.aws(&["sts", "get-caller-identity"]).json()["Account"]
        .as_str()
        .unwrap()
        .to_owned();
    let out = server.rampart(&[
        "audit",
        "--account",
        &account,
        "--event-name",
        "PasswordRecoveryRequested",
    ]);
    let events = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(events.lines().count(), 4, "{events}");
    assert_eq!(
        events
            .lines()
            .filter(|e| e.contains("Too many password reset attempts"))
            .count(),
        1,
        "{events}"
    );
}

#[test]
fn guessed_reset_links_lock_the_source_address() {
    let server = Server::start();
    let host = format!("127.0.0.1:{}", server.port);
    let guess = |n: usize| {
        server.raw(
            "POST",
            "/console/root/reset",
            &[
                ("host", &host),
                ("content-type", "application/x-www-form-urlencoded"),
            ],
            format!("token=guess{n}&password=Whatever-Passw0rd!").as_bytes(),
        )
    };
    // 20 failures from one address are free (as for sign-in); the 20th locks it.
    for n in 0..20 {
        let (status, body) = guess(n);
        assert_eq!(status, 403, "{body}");
    }
    let (status, body) = guess(20);
    assert_eq!(status, 429, "{body}");
}

#[test]
fn only_authenticated_requests_may_send_bodies_over_64_kib() {
    use crate::harness::{Keys, amz_date, unix_now};
    let server = Server::start();
    let form = format!(
        "Action=ListUsers&Version=2010-05-08&Marker={}",
        "a".repeat(100 << 10)
    );
    // No signature: refused as too large before the body is read.
    let (status, body) = server.raw(
        "POST",
        "/",
        &[("content-type", "application/x-www-form-urlencoded")],
        form.as_bytes(),
    );
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("too large"), "{body}");
    // Signed with credentials that do not exist: the same.
    let stranger = Keys {
        access_key_id: "AKIAZZZZZZZZZZZZZZZZ".into(),
        secret_access_key: "A".repeat(40),
    };
    let (status, body) = server.signed_form(&stranger, "iam", &form, &amz_date(unix_now()));
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("too large"), "{body}");
    // The administrator's signed request is read whole and answered by IAM itself.
    let (status, body) =
        server.signed_form(&server.admin_keys(), "iam", &form, &amz_date(unix_now()));
    assert!(!body.contains("too large"), "{status} {body}");
    // A small unsigned body is still answered as before.
    let (status, body) = server.raw(
        "POST",
        "/",
        &[("content-type", "application/x-www-form-urlencoded")],
        b"Action=ListUsers&Version=2010-05-08",
    );
    assert_eq!(status, 403, "{body}");
    assert!(body.contains("MissingAuthenticationToken"), "{body}");
}
