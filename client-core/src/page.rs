//! What every page's state shares: how its own connection stands, how the other side's does,
//! and the word for a server message that is not for this page.

/// Whether the page's connection to the server is up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Link {
    /// The first connection is being made.
    #[default]
    Connecting,
    Online,
    /// The connection dropped and is being made again.
    Reconnecting,
}

impl Link {
    /// The link while a socket is being opened: a first attempt, or a retry after a drop.
    pub fn opening(self) -> Link {
        match self {
            Link::Connecting => Link::Connecting,
            Link::Online | Link::Reconnecting => Link::Reconnecting,
        }
    }
}

/// The other side's connection in a session, as the server tells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PeerLink {
    #[default]
    Online,
    /// It dropped; the server keeps the session for it to come back.
    Reconnecting,
    /// It came back after dropping.
    Back,
}

impl PeerLink {
    pub fn heard(online: bool) -> PeerLink {
        if online {
            PeerLink::Back
        } else {
            PeerLink::Reconnecting
        }
    }
}

/// A server message meant for the other side's pages: the server and this page disagree, so
/// the state ignores it and the driver may log it (the core has no log of its own).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Misdirected;
