//! One session's chat as the page shows it: lines from the system (the customer's hold
//! messages), stored messages in `seq` order, our own messages still on their way, and how far
//! each side has seen the other's.

use std::cell::Cell;

use protocol::{ChatMessage, MessageKind, Millis, Party, SessionId};

/// Where one of our own messages stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// On its way to the server.
    Sending,
    /// Stored by the server.
    Sent,
    /// The other side's page has shown it.
    Delivered,
}

/// A message we sent that the server has not confirmed yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    /// Ours alone, to find it again when the reply comes.
    pub local_id: u64,
    pub from: Party,
    pub name: String,
    pub text: String,
    /// The request failed; the message was not stored.
    pub failed: bool,
}

/// A line from the system rather than a person, such as a hold message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub at: Millis,
    pub text: String,
}

/// The messages of one session.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChatLog {
    /// In arrival order. They come while waiting, so before any chat message.
    notes: Vec<Note>,
    /// Sorted by `seq`, each `seq` once.
    messages: Vec<ChatMessage>,
    pending: Vec<Pending>,
    /// The highest `seq` the customer's page has shown (from `received` events).
    seen_by_customer: u64,
    /// The highest `seq` the rep's page has shown.
    seen_by_rep: u64,
}

thread_local! {
    static LAST_LOCAL_ID: Cell<u64> = const { Cell::new(0) };
}

/// A fresh id for a [`Pending`] message.
pub fn next_local_id() -> u64 {
    LAST_LOCAL_ID.with(|last| {
        last.set(last.get() + 1);
        last.get()
    })
}

impl ChatLog {
    /// The system's lines, oldest first.
    pub fn notes(&self) -> &[Note] {
        &self.notes
    }

    /// Adds a line from the system.
    /// A note already shown (the server repeats its hold messages to a page that reconnects)
    /// is kept once.
    pub fn add_note(&mut self, note: Note) {
        if !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }

    /// The stored messages, oldest first.
    pub fn messages(&self) -> &[ChatMessage] {
        &self.messages
    }

    /// Our messages not stored yet, in the order they were sent.
    pub fn pending(&self) -> &[Pending] {
        &self.pending
    }

    /// Adds a stored message; one already known (the same `seq`) is kept once. Says whether
    /// the message was new.
    pub fn insert(&mut self, message: ChatMessage) -> bool {
        // Messages almost always arrive in order, so this is usually a push.
        match self
            .messages
            .binary_search_by_key(&message.seq, |known| known.seq)
        {
            Ok(_) => false,
            Err(at) => {
                self.messages.insert(at, message);
                true
            }
        }
    }

    /// Adds stored messages, for instance a history answer.
    pub fn merge(&mut self, messages: impl IntoIterator<Item = ChatMessage>) {
        for message in messages {
            self.insert(message);
        }
    }

    /// Shows one of our messages as "sending…".
    pub fn add_pending(&mut self, pending: Pending) {
        self.pending.push(pending);
    }

    /// The server stored a pending message: it joins the log under its `seq` (the `Chat` event
    /// for it may come before or after this reply; either way it is shown once).
    pub fn confirm(&mut self, session: SessionId, local_id: u64, seq: u64, at: Millis) {
        let Some(index) = self.pending.iter().position(|p| p.local_id == local_id) else {
            return;
        };
        let pending = self.pending.remove(index);
        let _ = self.insert(ChatMessage {
            session,
            seq,
            from: pending.from,
            name: pending.name,
            text: pending.text,
            at,
            kind: MessageKind::Text,
            file: None,
        });
    }

    /// The `by` side's page has shown the messages up to `seq`.
    pub fn mark_received(&mut self, by: Party, seq: u64) {
        let seen = match by {
            Party::Customer => &mut self.seen_by_customer,
            Party::Rep => &mut self.seen_by_rep,
        };
        *seen = (*seen).max(seq);
    }

    /// Whether the other side has seen a stored message.
    pub fn delivery(&self, message: &ChatMessage) -> Delivery {
        let seen = match message.from {
            Party::Customer => self.seen_by_rep,
            Party::Rep => self.seen_by_customer,
        };
        if message.seq <= seen {
            Delivery::Delivered
        } else {
            Delivery::Sent
        }
    }

    /// The newest stored message from `party`, for telling the server what this page showed.
    pub fn last_seq_from(&self, party: Party) -> Option<u64> {
        self.messages
            .iter()
            .rev()
            .find(|m| m.from == party)
            .map(|m| m.seq)
    }

    /// A pending message could not be stored.
    pub fn fail(&mut self, local_id: u64) {
        if let Some(pending) = self.pending.iter_mut().find(|p| p.local_id == local_id) {
            pending.failed = true;
        }
    }

    /// Whether nothing is shown yet.
    pub fn is_empty(&self) -> bool {
        self.notes.is_empty() && self.messages.is_empty() && self.pending.is_empty()
    }
}

/// A text message of session 7 for tests: from Ada or Rita, numbered and timed by `seq`.
#[cfg(test)]
pub fn message(seq: u64, from: Party, text: &str) -> ChatMessage {
    ChatMessage {
        session: SessionId(7),
        seq,
        from,
        name: match from {
            Party::Customer => "Ada".into(),
            Party::Rep => "Rita".into(),
        },
        text: text.into(),
        at: 1_700_000_000_000 + seq as i64 * 1000,
        kind: MessageKind::Text,
        file: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(log: &ChatLog) -> Vec<&str> {
        log.messages().iter().map(|m| m.text.as_str()).collect()
    }

    fn pending(local_id: u64, text: &str) -> Pending {
        Pending {
            local_id,
            from: Party::Customer,
            name: "Ada".into(),
            text: text.into(),
            failed: false,
        }
    }

    #[test]
    fn messages_are_kept_in_seq_order_once() {
        let mut log = ChatLog::default();
        log.insert(message(2, Party::Rep, "two"));
        log.insert(message(1, Party::Customer, "one"));
        log.insert(message(2, Party::Rep, "two again"));
        log.merge([
            message(3, Party::Rep, "three"),
            message(1, Party::Customer, "x"),
        ]);
        assert_eq!(texts(&log), ["one", "two", "three"]);
    }

    #[test]
    fn a_confirmed_message_leaves_pending_and_is_not_doubled_by_its_event() {
        let mut log = ChatLog::default();
        log.add_pending(pending(1, "hello"));
        assert_eq!(log.pending().len(), 1);
        log.confirm(SessionId(7), 1, 5, 1234);
        assert!(log.pending().is_empty());
        log.insert(message(5, Party::Customer, "hello"));
        assert_eq!(texts(&log), ["hello"]);
        assert_eq!(log.messages()[0].at, 1234);
    }

    #[test]
    fn the_event_may_come_before_the_reply() {
        let mut log = ChatLog::default();
        log.add_pending(pending(1, "hi"));
        log.insert(message(1, Party::Customer, "hi"));
        log.confirm(SessionId(7), 1, 1, 99);
        assert_eq!(texts(&log), ["hi"]);
        assert!(log.pending().is_empty());
    }

    #[test]
    fn a_failed_message_stays_visible_and_marked() {
        let mut log = ChatLog::default();
        log.add_pending(pending(1, "lost"));
        log.add_pending(pending(2, "kept"));
        log.fail(1);
        assert!(log.pending()[0].failed);
        assert!(!log.pending()[1].failed);
        // A reply for an unknown id changes nothing.
        log.confirm(SessionId(7), 9, 1, 0);
        assert_eq!(log.pending().len(), 2);
    }

    #[test]
    fn notes_make_the_log_non_empty() {
        let mut log = ChatLog::default();
        assert!(log.is_empty());
        log.add_note(Note {
            at: 1,
            text: "still waiting".into(),
        });
        assert!(!log.is_empty());
        assert_eq!(log.notes()[0].text, "still waiting");
        // A reconnected page hears the same hold message again: shown once.
        log.add_note(Note {
            at: 1,
            text: "still waiting".into(),
        });
        assert_eq!(log.notes().len(), 1);
    }

    #[test]
    fn own_messages_are_delivered_once_the_other_side_has_seen_them() {
        let mut log = ChatLog::default();
        log.merge([
            message(1, Party::Customer, "one"),
            message(2, Party::Rep, "two"),
            message(3, Party::Customer, "three"),
        ]);
        let states = |log: &ChatLog| -> Vec<Delivery> {
            log.messages().iter().map(|m| log.delivery(m)).collect()
        };
        assert_eq!(states(&log), [Delivery::Sent; 3]);
        log.mark_received(Party::Rep, 1);
        assert_eq!(
            states(&log),
            [Delivery::Delivered, Delivery::Sent, Delivery::Sent]
        );
        // An older acknowledgement arriving late does not undo a newer one.
        log.mark_received(Party::Rep, 3);
        log.mark_received(Party::Rep, 2);
        log.mark_received(Party::Customer, 2);
        assert_eq!(states(&log), [Delivery::Delivered; 3]);
    }

    #[test]
    fn the_last_message_of_each_side_is_found() {
        let mut log = ChatLog::default();
        assert_eq!(log.last_seq_from(Party::Rep), None);
        log.merge([
            message(1, Party::Rep, "a"),
            message(2, Party::Customer, "b"),
            message(3, Party::Rep, "c"),
            message(4, Party::Customer, "d"),
        ]);
        assert_eq!(log.last_seq_from(Party::Rep), Some(3));
        assert_eq!(log.last_seq_from(Party::Customer), Some(4));
    }

    #[test]
    fn local_ids_are_unique() {
        assert_ne!(next_local_id(), next_local_id());
    }
}
