//! The customer's chat inside another site's page: what the host page may say, and where the
//! embedded chat stands. The `postMessage` channel itself is the browser app's.

use serde::Deserialize;

/// What the host page may say.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "type", deny_unknown_fields)]
pub enum FromHost {
    /// The chat's panel was opened: messages are read again.
    #[serde(rename = "support:open")]
    Open {},
    /// The panel was closed: rep messages count as unread.
    #[serde(rename = "support:close")]
    Close {},
    /// The host site knows who asks and why: the entry form starts with these.
    #[serde(rename = "support:prefill")]
    Prefill { name: String, problem: String },
}

/// Where the embedded chat stands. Stays at its default on a page of its own.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Embedding {
    /// The host page's panel is closed.
    pub hidden: bool,
    /// Rep messages that arrived while it was closed.
    pub unread: u32,
    /// The session went on in its own window; this frame is done with it.
    pub moved: bool,
    /// The browser refused to open that window.
    pub blocked: bool,
    /// The name and problem the host page filled in for the entry form.
    pub prefill: Option<(String, String)>,
}

impl Embedding {
    pub(super) fn hear(&mut self, message: FromHost) {
        match message {
            FromHost::Open {} => {
                self.hidden = false;
                self.unread = 0;
            }
            FromHost::Close {} => self.hidden = true,
            FromHost::Prefill { name, problem } => self.prefill = Some((name, problem)),
        }
    }

    pub(super) fn rep_wrote(&mut self) {
        if self.hidden {
            self.unread += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rep_messages_count_as_unread_only_while_the_panel_is_closed() {
        let mut embedding = Embedding::default();
        embedding.rep_wrote();
        assert_eq!(embedding.unread, 0);
        embedding.hear(FromHost::Close {});
        embedding.rep_wrote();
        embedding.rep_wrote();
        assert_eq!(embedding.unread, 2);
        embedding.hear(FromHost::Open {});
        assert_eq!((embedding.hidden, embedding.unread), (false, 0));
    }
}
