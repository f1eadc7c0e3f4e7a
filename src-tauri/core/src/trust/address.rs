//! Which servers a CRL may be downloaded from. The address is written in a certificate, so a
//! download is a request to a place someone else chose: it must never reach this computer, the
//! local network or a cloud metadata service. Only public addresses are used: for an IP
//! address in the URL (first request and every redirect) and for each address a name resolves
//! to (checked after the DNS answer, so a name that points inside is refused too).
//!
//! Tests serve CRLs on loopback; they name those exact servers through `LocalCrlServers`, an
//! explicit test-only setting. A name never resolves to a local server, even for them.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::Url;

/// Test-only: local servers (exact IP and port) that may serve CRLs although they are not
/// public. Empty (the default) everywhere but in tests that serve CRLs on loopback.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LocalCrlServers(pub Vec<SocketAddr>);

impl LocalCrlServers {
    /// The servers of `QOLTANBA_TEST_LOCAL_CRL_SERVERS` (comma-separated IP:port), for the CLI's
    /// end-to-end tests; empty when unset. A wrong entry is ignored, never widened.
    pub fn from_env() -> LocalCrlServers {
        let list = std::env::var("QOLTANBA_TEST_LOCAL_CRL_SERVERS").unwrap_or_default();
        LocalCrlServers(
            list.split(',')
                .filter_map(|s| s.trim().parse::<SocketAddr>().ok())
                .collect(),
        )
    }

    fn allows(&self, ip: IpAddr, port: u16) -> bool {
        self.0.contains(&SocketAddr::new(ip, port))
    }
}

/// Whether `ip` is an address on the public internet (not loopback, private, link-local,
/// shared, unspecified, broadcast, multicast, documentation or reserved).
pub(crate) fn public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => public_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => public_v4(v4),
            None => public_v6(v6),
        },
    }
}

fn public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        // 100.64.0.0/10, carrier-grade NAT (shared address space).
        || (a == 100 && (64..128).contains(&b))
        // 192.0.0.0/24, protocol assignments.
        || (a == 192 && b == 0 && c == 0)
        // 198.18.0.0/15, benchmarking.
        || (a == 198 && (b == 18 || b == 19))
        // 240.0.0.0/4, reserved.
        || a >= 240)
}

fn public_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        // fc00::/7, unique local.
        || (first & 0xfe00) == 0xfc00
        // fe80::/10, link-local.
        || (first & 0xffc0) == 0xfe80
        // 2001:db8::/32, documentation.
        || (first == 0x2001 && ip.segments()[1] == 0x0db8)
        // ::/96, the old IPv4-compatible form (e.g. ::127.0.0.1).
        || ip.segments()[..6].iter().all(|&s| s == 0))
}

/// Why a download to `url` is not made, or None when it may go ahead as far as the address in
/// the URL goes (a name is checked again when it resolves: `PublicResolver`).
pub(crate) fn refused(url: &Url, local: &LocalCrlServers) -> Option<String> {
    if !matches!(url.scheme(), "http" | "https") {
        return Some("адрес не http(s)".into());
    }
    // The URL parser has already normalised the host (0x7f.1 is 127.0.0.1 here).
    let Some(host) = url.host_str() else {
        return Some("в адресе нет сервера".into());
    };
    let Ok(ip) = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<IpAddr>()
    else {
        return None;
    };
    let port = url.port_or_known_default().unwrap_or(0);
    if public(ip) || local.allows(ip, port) {
        None
    } else {
        Some(format!(
            "адрес {ip} во внутренней сети или на этом компьютере"
        ))
    }
}

/// A request this module stopped (a name resolving inside, a redirect to a refused address),
/// with the reason the user reads.
#[derive(Debug)]
pub(crate) struct Refused(pub String);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refused {}

/// The system resolver, keeping only public addresses of each answer.
pub(crate) struct PublicResolver;

impl Resolve for PublicResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_string();
        Box::pin(async move {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .filter(|a| public(a.ip()))
                .collect();
            if found.is_empty() {
                let why = format!("имя {host} указывает во внутреннюю сеть или на этот компьютер");
                return Err(Box::new(Refused(why)) as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(found.into_iter()) as Addrs)
        })
    }
}

/// The reason of a `Refused` somewhere in an error's chain of causes, if any.
pub(crate) fn refusal(e: &(dyn std::error::Error + 'static)) -> Option<String> {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(c) = cause {
        if let Some(n) = c.downcast_ref::<Refused>() {
            return Some(n.to_string());
        }
        cause = c.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn only_public_addresses_are_public() {
        for inside in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "::",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "::127.0.0.1",
        ] {
            assert!(!public(ip(inside)), "{inside}");
        }
        for outside in ["8.8.8.8", "195.12.113.28", "2a00:1450:4001:80b::200e"] {
            assert!(public(ip(outside)), "{outside}");
        }
    }

    #[test]
    fn urls_with_inside_addresses_are_refused_unless_named_for_a_test() {
        let none = LocalCrlServers::default();
        for url in [
            "http://127.0.0.1/ca.crl",
            "http://0x7f.1/ca.crl",
            "http://[::1]:8080/ca.crl",
            "http://169.254.169.254/latest/meta-data/",
            "ftp://crl.pki.gov.kz/nca.crl",
        ] {
            assert!(refused(&Url::parse(url).unwrap(), &none).is_some(), "{url}");
        }
        let ok = Url::parse("http://crl.pki.gov.kz/nca_rsa.crl").unwrap();
        assert!(refused(&ok, &none).is_none());
        let local = LocalCrlServers(vec!["127.0.0.1:8080".parse().unwrap()]);
        let u = |s: &str| Url::parse(s).unwrap();
        assert!(refused(&u("http://127.0.0.1:8080/ca.crl"), &local).is_none());
        assert!(refused(&u("http://127.0.0.1:8081/ca.crl"), &local).is_some());
        assert!(refused(&u("http://127.0.0.1/ca.crl"), &local).is_some());
    }
}
