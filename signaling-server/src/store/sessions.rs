//! The session log: sessions and their chat transcripts, written by the hub only.

use protocol::{ChatMessage, Millis, Party, RepId, SessionId};
use rusqlite::{OptionalExtension, params};

use super::{Result, Store};

/// A customer entering the queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSession {
    pub id: SessionId,
    pub token_hash: [u8; 32],
    pub name: String,
    pub problem: String,
    pub queued_at: Millis,
}

/// A durable change to the session log, decided by the core and stored before it takes effect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Queued(NewSession),
    Accepted {
        session: SessionId,
        rep: RepId,
        rep_name: String,
        at: Millis,
    },
    Chat(ChatMessage),
    Ended {
        session: SessionId,
        by: Party,
        at: Millis,
    },
}

/// A session that had not ended when the server stopped, as the core needs it back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveSession {
    pub session: NewSession,
    /// The rep serving it, if one had accepted it.
    pub rep: Option<(RepId, String)>,
    pub last_seq: u64,
}

impl Store {
    /// Stores `change`, committed when this returns.
    pub fn record(&mut self, change: &Change) -> Result<()> {
        match change {
            Change::Queued(s) => self.conn.execute(
                "INSERT INTO sessions (id, token_hash, customer_name, problem, queued_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![s.id, s.token_hash, s.name, s.problem, s.queued_at],
            )?,
            Change::Accepted {
                session, rep, at, ..
            } => self.conn.execute(
                "UPDATE sessions SET rep_id = ?2, accepted_at = ?3 WHERE id = ?1",
                params![session, rep, at],
            )?,
            Change::Chat(m) => self.conn.execute(
                "INSERT INTO messages (session_id, seq, sender, sender_name, body, sent_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![m.session, m.seq, party_name(m.from), m.name, m.text, m.at],
            )?,
            Change::Ended { session, by, at } => self.conn.execute(
                "UPDATE sessions SET ended_at = ?2, ended_by = ?3 WHERE id = ?1",
                params![session, at, party_name(*by)],
            )?,
        };
        Ok(())
    }

    /// The id the next session gets.
    pub fn next_session_id(&self) -> Result<SessionId> {
        Ok(self
            .conn
            .query_row("SELECT coalesce(max(id), 0) + 1 FROM sessions", [], |row| {
                row.get(0)
            })?)
    }

    /// Every session that has not ended, in queue order.
    pub fn live_sessions(&self) -> Result<Vec<LiveSession>> {
        let mut statement = self.conn.prepare(
            "SELECT s.id, s.token_hash, s.customer_name, s.problem, s.queued_at, s.rep_id, r.name,
                    (SELECT coalesce(max(seq), 0) FROM messages m WHERE m.session_id = s.id)
             FROM sessions s LEFT JOIN reps r ON r.id = s.rep_id
             WHERE s.ended_at IS NULL
             ORDER BY s.queued_at, s.id",
        )?;
        let rows = statement.query_map([], |row| {
            let rep: Option<RepId> = row.get(5)?;
            let rep_name: Option<String> = row.get(6)?;
            Ok(LiveSession {
                session: NewSession {
                    id: row.get(0)?,
                    token_hash: row.get(1)?,
                    name: row.get(2)?,
                    problem: row.get(3)?,
                    queued_at: row.get(4)?,
                },
                rep: rep.zip(rep_name),
                last_seq: row.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The stored chat messages of a session with a sequence number above `after_seq`.
    pub fn transcript(&self, session: SessionId, after_seq: u64) -> Result<Vec<ChatMessage>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT seq, sender, sender_name, body, sent_at FROM messages
             WHERE session_id = ?1 AND seq > ?2 ORDER BY seq",
        )?;
        let rows = statement.query_map(params![session, after_seq], |row| {
            let sender: String = row.get(1)?;
            Ok(ChatMessage {
                session,
                seq: row.get(0)?,
                from: if sender == "rep" {
                    Party::Rep
                } else {
                    Party::Customer
                },
                name: row.get(2)?,
                text: row.get(3)?,
                at: row.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// When and by whom a session ended, if it has.
    pub fn session_end(&self, session: SessionId) -> Result<Option<(Millis, Party)>> {
        let row: Option<(Option<Millis>, Option<String>)> = self
            .conn
            .query_row(
                "SELECT ended_at, ended_by FROM sessions WHERE id = ?1",
                [session],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?;
        Ok(row.and_then(|(at, by)| {
            Some((
                at?,
                if by? == "rep" {
                    Party::Rep
                } else {
                    Party::Customer
                },
            ))
        }))
    }
}

fn party_name(party: Party) -> &'static str {
    match party {
        Party::Customer => "customer",
        Party::Rep => "rep",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::NewRep;

    fn queued(id: SessionId, at: Millis) -> Change {
        Change::Queued(NewSession {
            id,
            token_hash: [id as u8; 32],
            name: format!("customer {id}"),
            problem: "printer".into(),
            queued_at: at,
        })
    }

    fn chat(session: SessionId, seq: u64, text: &str) -> Change {
        Change::Chat(ChatMessage {
            session,
            seq,
            from: Party::Customer,
            name: "Ada".into(),
            text: text.into(),
            at: 5,
        })
    }

    #[test]
    fn live_sessions_come_back_in_queue_order_with_their_rep_and_last_seq() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let rep = store
            .add_rep(&NewRep {
                login: "bo".into(),
                name: "Bo".into(),
                password_hash: "h".into(),
                admin: false,
                now: 0,
            })
            .unwrap();
        for change in [
            queued(1, 30),
            queued(2, 10),
            queued(3, 20),
            Change::Accepted {
                session: 3,
                rep,
                rep_name: "Bo".into(),
                at: 40,
            },
            chat(3, 1, "one"),
            chat(3, 2, "two"),
            Change::Ended {
                session: 2,
                by: Party::Customer,
                at: 50,
            },
        ] {
            store.record(&change).unwrap();
        }
        drop(store);

        let store = Store::open(dir.path()).unwrap();
        let live = store.live_sessions().unwrap();
        let summary: Vec<_> = live
            .iter()
            .map(|s| (s.session.id, s.rep.clone(), s.last_seq))
            .collect();
        assert_eq!(
            summary,
            [(3, Some((rep, "Bo".to_string())), 2), (1, None, 0)]
        );
        assert_eq!(store.next_session_id().unwrap(), 4);
        let texts: Vec<_> = store
            .transcript(3, 1)
            .unwrap()
            .into_iter()
            .map(|m| m.text)
            .collect();
        assert_eq!(texts, ["two"]);
        assert_eq!(store.session_end(2).unwrap(), Some((50, Party::Customer)));
        assert_eq!(store.session_end(3).unwrap(), None);
    }

    #[test]
    fn a_sequence_number_is_stored_once() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        store.record(&queued(1, 0)).unwrap();
        store.record(&chat(1, 1, "first")).unwrap();
        assert!(store.record(&chat(1, 1, "again")).is_err());
        let texts: Vec<_> = store
            .transcript(1, 0)
            .unwrap()
            .into_iter()
            .map(|m| m.text)
            .collect();
        assert_eq!(texts, ["first"]);
    }
}
