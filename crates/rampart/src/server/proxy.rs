//! Who the client is: the connection's peer, or — only when that peer is a configured
//! trusted proxy — what the proxy says in `X-Forwarded-For` and `X-Forwarded-Proto`.
//!
//! The address found here is `aws:SourceIp`, the audit event's `sourceIPAddress` and the
//! lockout's per-source key; the scheme is `aws:SecureTransport`, the console's `Secure`
//! cookies and HSTS. A header from a peer that is not trusted is ignored, so a client cannot
//! choose its own address. This module reads headers and addresses only; it decides nothing
//! about authorization.

use std::net::{IpAddr, SocketAddr};

use ipnet::IpNet;

/// The client of a request as the server believes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Client {
    /// The client's address.
    pub ip: IpAddr,
    /// Whether the client reached us (or the trusted proxy) over TLS.
    pub secure: bool,
}

impl Client {
    /// A client connected directly (no proxy in between).
    pub fn direct(peer: IpAddr, tls: bool) -> Client {
        Client {
            ip: canonical(peer),
            secure: tls,
        }
    }
}

/// The address ranges whose forwarding headers are believed (`serve --trusted-proxy`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Trusts the proxies in `nets`.
    pub fn new(nets: Vec<IpNet>) -> TrustedProxies {
        TrustedProxies(nets)
    }

    /// Whether no proxy is trusted (forwarding headers are always ignored).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// The client of a request that arrived from `peer` (over TLS when `tls`) with
    /// `headers`.
    ///
    /// From a trusted peer, `X-Forwarded-For` is read right to left (all such headers, in
    /// order, as one list), skipping the hops that are themselves trusted proxies; the first
    /// hop that is not is the client (when every hop is trusted, the leftmost is). A value
    /// that is not an address ends the walk at the last trusted hop, since nothing to its
    /// left can be believed. `X-Forwarded-Proto`'s rightmost value, set by the trusted peer,
    /// says whether the client used TLS. From any other peer both headers are ignored.
    pub fn client(&self, peer: IpAddr, tls: bool, headers: &[(&str, &[u8])]) -> Client {
        let peer = canonical(peer);
        if !self.trusts(peer) {
            return Client::direct(peer, tls);
        }
        let values = |name: &'static str| {
            headers
                .iter()
                .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
                .filter_map(|(_, v)| std::str::from_utf8(v).ok())
                .flat_map(|v| v.split(','))
                .map(str::trim)
        };
        let hops: Vec<&str> = values("x-forwarded-for").collect();
        let ip = self.client_hop(peer, &hops);
        let secure = match values("x-forwarded-proto").next_back() {
            Some(proto) => proto.eq_ignore_ascii_case("https"),
            None => tls,
        };
        Client { ip, secure }
    }

    /// The rightmost untrusted hop of `hops` (oldest first), starting from the trusted
    /// `peer`.
    fn client_hop(&self, peer: IpAddr, hops: &[&str]) -> IpAddr {
        let mut current = peer;
        for hop in hops.iter().rev() {
            let Some(ip) = parse_hop(hop) else {
                return current;
            };
            current = ip;
            if !self.trusts(ip) {
                return ip;
            }
        }
        current
    }
}

/// An `X-Forwarded-For` entry: an address, possibly with a port (`1.2.3.4:80`,
/// `[2001:db8::1]:443`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .map(canonical)
}

/// An IPv4 address reached over an IPv6 socket (`::ffff:10.0.0.1`) is that IPv4 address, so
/// IPv4 ranges and conditions apply to it.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proxies(nets: &[&str]) -> TrustedProxies {
        TrustedProxies::new(nets.iter().map(|n| n.parse().unwrap()).collect())
    }

    fn client(proxies: &TrustedProxies, peer: &str, tls: bool, headers: &[(&str, &str)]) -> Client {
        let headers: Vec<(&str, &[u8])> = headers.iter().map(|(n, v)| (*n, v.as_bytes())).collect();
        proxies.client(peer.parse().unwrap(), tls, &headers)
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn headers_from_an_untrusted_peer_are_ignored() {
        let none = TrustedProxies::default();
        let spoofed = [
            ("X-Forwarded-For", "10.9.9.9"),
            ("X-Forwarded-Proto", "https"),
        ];
        let seen = client(&none, "203.0.113.7", false, &spoofed);
        assert_eq!(
            seen,
            Client {
                ip: ip("203.0.113.7"),
                secure: false
            }
        );
        let other = proxies(&["10.0.0.0/8"]);
        let seen = client(&other, "203.0.113.7", false, &spoofed);
        assert_eq!(
            seen,
            Client {
                ip: ip("203.0.113.7"),
                secure: false
            }
        );
    }

    #[test]
    fn a_trusted_peer_names_the_rightmost_untrusted_hop() {
        let p = proxies(&["10.0.0.0/8", "192.168.1.1/32"]);
        // The client forged the first entry; the trusted proxies appended the rest.
        let xff = [("x-forwarded-for", "6.6.6.6, 198.51.100.4, 10.1.1.1")];
        assert_eq!(
            client(&p, "192.168.1.1", false, &xff).ip,
            ip("198.51.100.4")
        );
        // A single hop.
        let xff = [("X-Forwarded-For", "198.51.100.4")];
        assert_eq!(client(&p, "10.0.0.5", false, &xff).ip, ip("198.51.100.4"));
    }

    #[test]
    fn several_forwarded_for_headers_are_one_list_in_order() {
        let p = proxies(&["10.0.0.0/8"]);
        let xff = [
            ("X-Forwarded-For", "6.6.6.6"),
            ("X-Forwarded-For", "198.51.100.4, 10.2.2.2"),
        ];
        assert_eq!(client(&p, "10.0.0.1", false, &xff).ip, ip("198.51.100.4"));
    }

    #[test]
    fn when_every_hop_is_trusted_the_leftmost_is_the_client() {
        let p = proxies(&["10.0.0.0/8"]);
        let xff = [("X-Forwarded-For", "10.3.3.3, 10.2.2.2")];
        assert_eq!(client(&p, "10.0.0.1", false, &xff).ip, ip("10.3.3.3"));
        // No header at all: the peer itself.
        assert_eq!(client(&p, "10.0.0.1", false, &[]).ip, ip("10.0.0.1"));
    }

    #[test]
    fn a_malformed_hop_stops_at_the_last_trusted_address() {
        let p = proxies(&["10.0.0.0/8"]);
        let xff = [("X-Forwarded-For", "198.51.100.4, unknown, 10.2.2.2")];
        assert_eq!(client(&p, "10.0.0.1", false, &xff).ip, ip("10.2.2.2"));
        let xff = [("X-Forwarded-For", "not-an-address")];
        assert_eq!(client(&p, "10.0.0.1", false, &xff).ip, ip("10.0.0.1"));
    }

    #[test]
    fn hops_with_ports_and_ipv6_are_read() {
        let p = proxies(&["10.0.0.0/8", "fd00::/8"]);
        let xff = [("X-Forwarded-For", "[2001:db8::7]:5000, 198.51.100.4:443")];
        assert_eq!(client(&p, "fd00::1", false, &xff).ip, ip("198.51.100.4"));
        let xff = [("X-Forwarded-For", "2001:db8::7")];
        assert_eq!(
            client(&p, "::ffff:10.0.0.1", false, &xff).ip,
            ip("2001:db8::7")
        );
    }

    #[test]
    fn an_ipv4_mapped_peer_matches_ipv4_ranges() {
        let p = proxies(&["10.0.0.0/8"]);
        let seen = client(
            &p,
            "::ffff:10.0.0.1",
            false,
            &[("X-Forwarded-For", "198.51.100.4")],
        );
        assert_eq!(seen.ip, ip("198.51.100.4"));
        let direct = client(&TrustedProxies::default(), "::ffff:203.0.113.7", false, &[]);
        assert_eq!(direct.ip, ip("203.0.113.7"));
    }

    #[test]
    fn forwarded_proto_comes_from_the_trusted_peer_only() {
        let p = proxies(&["10.0.0.0/8"]);
        let https = [("X-Forwarded-Proto", "https")];
        assert!(client(&p, "10.0.0.1", false, &https).secure);
        // The trusted proxy appended its own value after a forged one: its value counts.
        let forged = [("X-Forwarded-Proto", "https, http")];
        assert!(!client(&p, "10.0.0.1", false, &forged).secure);
        // Without the header the connection itself decides.
        assert!(client(&p, "10.0.0.1", true, &[]).secure);
        assert!(!client(&p, "10.0.0.1", false, &[]).secure);
        // A plain-HTTP proxy hop behind TLS says so.
        assert!(!client(&p, "10.0.0.1", true, &[("X-Forwarded-Proto", "http")]).secure);
    }
}
