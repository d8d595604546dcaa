//! A minimal HTTP/1.1 client for alert webhooks: one `POST` per connection over plain TCP,
//! with connect and I/O timeouts, reading only the status line. Enough for a receiver on
//! a trusted network or a local relay; it speaks no TLS (give `https` receivers a relay)
//! and follows no redirects, so a redirect is a failed attempt.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

/// How long connecting, sending and waiting for the status line may each take.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// The longest status line read.
const MAX_STATUS_LINE: u64 = 8 * 1024;

/// `http://host[:port][/path]` split into the `host:port` to connect to, the `Host`
/// header and the request target.
fn split(url: &str) -> Result<(String, String, String), String> {
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| format!("`{url}` is not an http:// URL"))?;
    let (authority, path) = match rest.find(['/', '?']) {
        Some(at) => rest.split_at(at),
        None => (rest, "/"),
    };
    let path = if path.starts_with('?') {
        format!("/{path}")
    } else {
        path.to_owned()
    };
    if authority.is_empty() || authority.contains('@') {
        return Err(format!("`{url}` names no host"));
    }
    // `[::1]:8080`, `host:8080`, or a host alone (port 80).
    let has_port = match authority.rfind(':') {
        Some(colon) => !authority.get(colon..).unwrap_or("").contains(']'),
        None => false,
    };
    let address = if has_port {
        authority.to_owned()
    } else {
        format!("{authority}:80")
    };
    Ok((address, authority.to_owned(), path))
}

/// POSTs `body` (JSON) to `url` with extra `headers`; the HTTP status, or why there is none.
pub fn post(url: &str, headers: &[(&str, String)], body: &str) -> Result<u16, String> {
    let (address, host, path) = split(url)?;
    let addrs: Vec<_> = address
        .to_socket_addrs()
        .map_err(|err| format!("cannot resolve {host}: {err}"))?
        .collect();
    let mut last = format!("{host} has no address");
    let mut stream = None;
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, TIMEOUT) {
            Ok(s) => {
                stream = Some(s);
                break;
            }
            Err(err) => last = format!("cannot connect to {addr}: {err}"),
        }
    }
    let mut stream = stream.ok_or(last)?;
    stream
        .set_read_timeout(Some(TIMEOUT))
        .and_then(|()| stream.set_write_timeout(Some(TIMEOUT)))
        .map_err(|err| err.to_string())?;
    let mut request = format!(
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: rampart-alerts/{}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
        env!("CARGO_PKG_VERSION"),
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream
        .write_all(request.as_bytes())
        .and_then(|()| stream.write_all(body.as_bytes()))
        .and_then(|()| stream.flush())
        .map_err(|err| format!("cannot send to {host}: {err}"))?;
    let mut line = String::new();
    BufReader::new(std::io::Read::take(&mut stream, MAX_STATUS_LINE))
        .read_line(&mut line)
        .map_err(|err| format!("no answer from {host}: {err}"))?;
    let mut parts = line.split_whitespace();
    match (
        parts.next(),
        parts.next().and_then(|code| code.parse().ok()),
    ) {
        (Some(version), Some(status)) if version.starts_with("HTTP/1.") => Ok(status),
        _ => Err(format!("{host} did not answer HTTP")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_split_into_address_host_and_target() {
        assert_eq!(
            split("http://127.0.0.1:8080/hooks/a?x=1").unwrap(),
            (
                "127.0.0.1:8080".into(),
                "127.0.0.1:8080".into(),
                "/hooks/a?x=1".into()
            )
        );
        assert_eq!(
            split("http://example.com").unwrap(),
            ("example.com:80".into(), "example.com".into(), "/".into())
        );
        assert_eq!(split("http://[::1]:9/").unwrap().0, "[::1]:9");
        assert_eq!(split("http://[::1]/").unwrap().0, "[::1]:80");
        assert!(split("https://example.com/").is_err());
        assert!(split("http:///path").is_err());
        assert!(split("http://user@host/").is_err());
    }

    #[test]
    fn a_post_reads_the_status_of_a_local_receiver() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = std::thread::spawn(move || {
            let (mut conn, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(conn.try_clone().unwrap());
            let mut head = String::new();
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                if line == "\r\n" {
                    break;
                }
                head.push_str(&line);
            }
            conn.write_all(b"HTTP/1.1 204 No Content\r\n\r\n").unwrap();
            head
        });
        let status = post(
            &format!("http://127.0.0.1:{port}/in"),
            &[("X-Rampart-Delivery-Id", "d-1".into())],
            "{}",
        )
        .unwrap();
        assert_eq!(status, 204);
        let head = server.join().unwrap();
        assert!(head.starts_with("POST /in HTTP/1.1\r\n"), "{head}");
        assert!(head.contains("X-Rampart-Delivery-Id: d-1\r\n"));
        assert!(head.contains("Content-Length: 2\r\n"));
    }
}
