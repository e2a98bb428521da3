//! The NATS server the document names (`servers`), from a URL as the bus connects to it.

use std::fmt;
use std::str::FromStr;

use super::node::{Map, Node};

/// A NATS server: `nats://host:port` (or `tls://host:port`, a server that requires TLS).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    host: String,
    tls: bool,
}

/// A server URL the document cannot name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidServer {
    /// Not `nats://` or `tls://`.
    #[error("`{0}` is not a NATS URL: expected `nats://host:port` or `tls://host:port`")]
    Scheme(String),
    /// No host after the scheme.
    #[error("`{0}` names no host: expected `nats://host:port`")]
    NoHost(String),
    /// User name or password in the URL, which would end up in the document; the URL is
    /// given with them masked (`nats://***@host:4222`).
    #[error(
        "`{0}` holds credentials, which the document would publish: give the URL without `user:password@`"
    )]
    Credentials(String),
    /// A path, query or fragment, which NATS URLs do not have.
    #[error("`{0}` has a path, query or fragment: expected `nats://host:port`")]
    Path(String),
}

impl Server {
    /// The server of the bus's default URL, `nats://127.0.0.1:4222`.
    pub const DEFAULT_URL: &str = "nats://127.0.0.1:4222";

    /// The server at `url`.
    ///
    /// ```
    /// use novel_events_cli::asyncapi::Server;
    ///
    /// let server = Server::parse("nats://nats.internal:4222").unwrap();
    /// assert_eq!(server.host(), "nats.internal:4222");
    /// assert!(Server::parse("http://nats.internal").is_err());
    /// ```
    pub fn parse(url: &str) -> Result<Self, InvalidServer> {
        let trimmed = url.trim();
        let lower = trimmed.to_ascii_lowercase();
        let (tls, rest) = if lower.starts_with("nats://") {
            (false, &trimmed["nats://".len()..])
        } else if lower.starts_with("tls://") {
            (true, &trimmed["tls://".len()..])
        } else {
            return Err(InvalidServer::Scheme(url.to_owned()));
        };
        if let Some((_, host)) = rest.rsplit_once('@') {
            // The credentials are not repeated in the message (nor in a CI log).
            let scheme = if tls { "tls" } else { "nats" };
            return Err(InvalidServer::Credentials(format!("{scheme}://***@{host}")));
        }
        let host = rest.strip_suffix('/').unwrap_or(rest);
        if host.contains(['/', '?', '#']) {
            return Err(InvalidServer::Path(url.to_owned()));
        }
        if host.is_empty() || host.starts_with(':') || host.contains(char::is_whitespace) {
            return Err(InvalidServer::NoHost(url.to_owned()));
        }
        Ok(Self {
            host: host.to_owned(),
            tls,
        })
    }

    /// `host:port` (or `host` alone when the URL gave no port).
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The Server Object.
    pub(super) fn object(&self) -> Node {
        let description = if self.tls {
            "The NATS server with JetStream the bus connects to, over TLS (`tls://`)."
        } else {
            "The NATS server with JetStream the bus connects to."
        };
        Map::new()
            .with("host", self.host.as_str())
            .with("protocol", "nats")
            .with("title", "NATS JetStream")
            .with("description", description)
            .into()
    }
}

impl Default for Server {
    fn default() -> Self {
        Self {
            host: "127.0.0.1:4222".to_owned(),
            tls: false,
        }
    }
}

impl FromStr for Server {
    type Err = InvalidServer;

    fn from_str(url: &str) -> Result<Self, Self::Err> {
        Self::parse(url)
    }
}

impl fmt::Display for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = if self.tls { "tls" } else { "nats" };
        write!(f, "{scheme}://{}", self.host)
    }
}

/// The id of the one server in `servers`.
pub(super) const ID: &str = "nats";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(
            Server::parse(Server::DEFAULT_URL).unwrap(),
            Server::default()
        );
        assert_eq!(Server::parse("NATS://h:1/").unwrap().host(), "h:1");
        let tls = Server::parse("tls://h:4443").unwrap();
        assert_eq!(tls.to_string(), "tls://h:4443");
        assert!(matches!(
            Server::parse("h:4222"),
            Err(InvalidServer::Scheme(_))
        ));
        let error = Server::parse("nats://u:secret@h:4222").unwrap_err();
        assert!(matches!(error, InvalidServer::Credentials(_)));
        assert!(!error.to_string().contains("secret"), "{error}");
        assert!(error.to_string().contains("nats://***@h:4222"), "{error}");
        assert!(matches!(
            Server::parse("nats://h:4222/x"),
            Err(InvalidServer::Path(_))
        ));
        assert!(matches!(
            Server::parse("nats://"),
            Err(InvalidServer::NoHost(_))
        ));
    }
}
