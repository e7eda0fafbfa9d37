//! Which `Host` and `Origin` values `serve` answers: the defence against DNS rebinding.
//!
//! A web page the author visits can point its own domain at 127.0.0.1 and then read the
//! unpublished course (drafts, solutions, hidden checks) as if it were its own site. The
//! browser still sends that domain in `Host`, so only requests that name this server are
//! answered: `localhost` (and `*.localhost`, which browsers resolve to loopback themselves),
//! `127.0.0.1`, `[::1]`, the `--host` value and every `--allow-host` name, each with the port
//! served. Listening on every interface (`--host 0.0.0.0`, a classroom preview), the address
//! a connection reached is accepted too: it is one of the machine's own addresses, written
//! as an IP literal, which no rebinding page can make a browser send.

use std::net::IpAddr;

/// The host names and port a request may name.
#[derive(Debug, Clone)]
pub struct HostPolicy {
    /// Lower-case names without port; IPv6 literals in brackets.
    names: Vec<String>,
    /// The port served.
    port: u16,
    /// Listening on every interface: the connection's own local address is accepted too.
    any_interface: bool,
}

impl HostPolicy {
    /// The policy for a server bound to `bind_host` (as given to `--host`) on `port`,
    /// accepting `allow` (the `--allow-host` names) too.
    pub fn new(bind_host: &str, port: u16, allow: &[String]) -> HostPolicy {
        let mut names: Vec<String> = ["localhost", "127.0.0.1", "[::1]"].iter().map(|s| s.to_string()).collect();
        let any_interface = match bind_host.trim_start_matches('[').trim_end_matches(']').parse::<IpAddr>() {
            Ok(ip) => ip.is_unspecified(),
            Err(_) => false,
        };
        for name in std::iter::once(bind_host).chain(allow.iter().map(String::as_str)) {
            let name = normalise(name);
            if !name.is_empty() && !names.contains(&name) {
                names.push(name);
            }
        }
        HostPolicy { names, port, any_interface }
    }

    /// Whether a request with this `Host` value, which reached the server at `local`, is
    /// answered.
    pub fn allows_host(&self, host: &str, local: IpAddr) -> bool {
        let Some((name, port)) = split_host(host) else { return false };
        let port_ok = match port {
            Some(port) => port == self.port,
            None => self.port == 80,
        };
        port_ok && self.allows_name(&name, local)
    }

    /// Whether an event-stream request from a page of this `Origin` is answered: an
    /// `http://` origin naming an allowed host and the port served. (A same-origin
    /// `EventSource` sends no `Origin`; a page from another site or from `file://` does.)
    pub fn allows_origin(&self, origin: &str, local: IpAddr) -> bool {
        let Some(host) = origin.strip_prefix("http://") else { return false };
        !host.contains('/') && self.allows_host(host, local)
    }

    fn allows_name(&self, name: &str, local: IpAddr) -> bool {
        if self.names.iter().any(|n| n == name) || name.ends_with(".localhost") {
            return true;
        }
        if !self.any_interface {
            return false;
        }
        let ip = name.trim_start_matches('[').trim_end_matches(']').parse::<IpAddr>();
        // An IPv4 client on a dual-stack socket reaches `::ffff:a.b.c.d`.
        let local = match local {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(local, IpAddr::V4),
            v4 => v4,
        };
        ip.is_ok_and(|ip| ip == local)
    }

    /// What a refused request is told.
    pub fn explain(&self, host: Option<&str>) -> String {
        let names: Vec<String> = self.names.iter().map(|n| format!("{n}:{}", self.port)).collect();
        let mut text = match host {
            Some(host) => format!("labbook serve refused this request: it was sent to `{host}`"),
            None => "labbook serve refused this request: it has no Host header".to_string(),
        };
        text.push_str(&format!(
            ", and this server answers only requests for {}{}.\n\n\
             A web page can point its own domain at this machine (DNS rebinding) and read the\n\
             course's drafts, solutions and hidden checks through it; naming the server protects them.\n\
             Open the site at one of those addresses, or start serve with `--allow-host NAME`\n\
             to answer another name.\n",
            names.join(", "),
            if self.any_interface { ", or this machine's own addresses" } else { "" },
        ));
        text
    }
}

/// `name[:port]` with the name lower-cased and without a trailing dot; `None` when the
/// value is not a host (a path, a user part, an empty name, a port that is not a number).
fn split_host(host: &str) -> Option<(String, Option<u16>)> {
    let host = host.trim();
    if host.is_empty() || host.contains(['/', '@', ' ', '\\', '?', '#']) {
        return None;
    }
    let (name, port) = if host.starts_with('[') {
        let end = host.find(']')?;
        let rest = &host[end + 1..];
        let port = match rest.strip_prefix(':') {
            Some(p) => Some(p.parse().ok()?),
            None if rest.is_empty() => None,
            None => return None,
        };
        (&host[..=end], port)
    } else {
        let (name, port) = match host.rsplit_once(':') {
            Some((name, port)) => (name, Some(port.parse().ok()?)),
            None => (host, None),
        };
        if name.contains(':') {
            return None; // an IPv6 literal without brackets
        }
        (name, port)
    };
    let name = normalise(name);
    (!name.is_empty()).then_some((name, port))
}

/// A name as compared: lower case, no trailing dot, IPv6 literals in brackets.
fn normalise(name: &str) -> String {
    let name = name.trim().trim_end_matches('.').to_ascii_lowercase();
    if !name.starts_with('[') && name.parse::<std::net::Ipv6Addr>().is_ok() {
        return format!("[{name}]");
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOOPBACK: IpAddr = IpAddr::V4(std::net::Ipv4Addr::LOCALHOST);

    #[test]
    fn loopback_names_with_the_port_are_answered() {
        let policy = HostPolicy::new("127.0.0.1", 3000, &[]);
        for host in [
            "localhost:3000",
            "127.0.0.1:3000",
            "[::1]:3000",
            "LOCALHOST:3000",
            "localhost.:3000",
            "app.localhost:3000",
        ] {
            assert!(policy.allows_host(host, LOOPBACK), "{host} refused");
        }
        for host in [
            "evil.example.com:3000",
            "evil.example.com",
            "localhost:3001",
            "localhost",
            "127.0.0.1",
            "127.0.0.2:3000",
            "localhost.evil.example.com:3000",
            "user@localhost:3000",
            "localhost:3000/x",
            "[::1]x:3000",
            ":3000",
            "",
            "localhost:port",
        ] {
            assert!(!policy.allows_host(host, LOOPBACK), "{host} answered");
        }
        assert!(HostPolicy::new("127.0.0.1", 80, &[]).allows_host("localhost", LOOPBACK));
    }

    #[test]
    fn the_host_value_and_allowed_names_are_answered() {
        let policy = HostPolicy::new("::1", 8000, &["Course.Example.Lan".to_string()]);
        assert!(policy.allows_host("[::1]:8000", LOOPBACK));
        assert!(policy.allows_host("course.example.lan:8000", LOOPBACK));
        assert!(!policy.allows_host("other.example.lan:8000", LOOPBACK));
        let named = HostPolicy::new("devbox", 8000, &[]);
        assert!(named.allows_host("devbox:8000", LOOPBACK));
    }

    #[test]
    fn every_interface_accepts_the_address_a_connection_reached() {
        let lan: IpAddr = "192.168.1.20".parse().unwrap();
        let policy = HostPolicy::new("0.0.0.0", 3000, &["classroom".to_string()]);
        assert!(policy.allows_host("192.168.1.20:3000", lan));
        assert!(policy.allows_host("192.168.1.20:3000", "::ffff:192.168.1.20".parse().unwrap()));
        assert!(policy.allows_host("classroom:3000", lan));
        assert!(!policy.allows_host("192.168.1.21:3000", lan));
        assert!(!policy.allows_host("evil.example.com:3000", lan));
        // Bound to one address, another address of the machine is not named.
        assert!(!HostPolicy::new("127.0.0.1", 3000, &[]).allows_host("192.168.1.20:3000", lan));
    }

    #[test]
    fn origins_must_name_an_allowed_host_and_the_port() {
        let policy = HostPolicy::new("127.0.0.1", 3000, &[]);
        assert!(policy.allows_origin("http://localhost:3000", LOOPBACK));
        assert!(policy.allows_origin("http://127.0.0.1:3000", LOOPBACK));
        for origin in ["null", "https://localhost:3000", "http://evil.example.com", "http://localhost:3001", "file://"]
        {
            assert!(!policy.allows_origin(origin, LOOPBACK), "{origin} answered");
        }
    }

    #[test]
    fn the_refusal_says_why_and_what_to_do() {
        let text = HostPolicy::new("127.0.0.1", 3000, &[]).explain(Some("evil.example.com:3000"));
        assert!(text.contains("`evil.example.com:3000`") && text.contains("localhost:3000"), "{text}");
        assert!(text.contains("DNS rebinding") && text.contains("--allow-host"), "{text}");
    }
}
