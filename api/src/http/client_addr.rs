//! Who is on the other end of a request, for the per-address rate limits (login, register).
//! The TCP peer, unless the peer is one of the reverse proxies named in
//! `CRM_TRUSTED_PROXIES`: then the nearest address in `X-Forwarded-For` that is not itself a
//! trusted proxy. A header from anyone else is ignored, so a client cannot choose its own
//! bucket by sending one.

use std::net::IpAddr;

use axum::http::HeaderMap;
use ipnet::IpNet;

/// The reverse proxies whose `X-Forwarded-For` is believed: addresses or CIDR ranges.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Parses a comma-separated list such as `10.0.0.0/8, 127.0.0.1, ::1`. Errors name the
    /// entry that is neither an address nor a CIDR range.
    pub fn parse(list: &str) -> Result<TrustedProxies, String> {
        list.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse::<IpNet>()
                    .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| format!("{s:?} is neither an IP address nor a CIDR range"))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(TrustedProxies)
    }

    fn contains(&self, ip: &IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(ip))
    }

    /// The client's address: see the module doc. Empty when the peer is unknown (a call
    /// inside the process).
    pub fn client_addr(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> String {
        let Some(peer) = peer else {
            return String::new();
        };
        if !self.contains(&peer) {
            return peer.to_string();
        }
        // Right to left: each proxy appends the address it received the request from.
        let forwarded: Vec<IpAddr> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|a| a.trim().parse::<IpAddr>().ok())
            .collect();
        forwarded
            .iter()
            .rev()
            .find(|ip| !self.contains(ip))
            .or(forwarded.first())
            .unwrap_or(&peer)
            .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(xff: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", xff.parse().unwrap());
        h
    }

    #[test]
    fn forwarded_addresses_count_only_from_trusted_proxies() {
        let proxies = TrustedProxies::parse("10.0.0.0/8, ::1").unwrap();
        let proxy: IpAddr = [10, 1, 2, 3].into();
        let stranger: IpAddr = [203, 0, 113, 9].into();
        // Through the proxy: the address it saw, not what the client claimed before it.
        assert_eq!(
            proxies.client_addr(Some(proxy), &headers("1.2.3.4, 198.51.100.7")),
            "198.51.100.7"
        );
        // Through two trusted proxies.
        assert_eq!(
            proxies.client_addr(Some(proxy), &headers("198.51.100.7, 10.9.9.9")),
            "198.51.100.7"
        );
        // A client that is not a proxy cannot pick its address.
        assert_eq!(
            proxies.client_addr(Some(stranger), &headers("1.2.3.4")),
            "203.0.113.9"
        );
        // No proxies configured: always the peer.
        assert_eq!(
            TrustedProxies::default().client_addr(Some(proxy), &headers("1.2.3.4")),
            "10.1.2.3"
        );
        assert!(TrustedProxies::parse("10.0.0.0/8, nonsense").is_err());
    }
}
