//! The audit log: one row per session event (joining with the agreement and the recording
//! answer, acceptance, handover, files, the end), written in the same transaction as the event,
//! append-only (triggers refuse changes) and hash-chained, so that a row changed or removed
//! behind the server's back breaks the chain from there on.

use protocol::{Millis, SessionId};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::json;
use sha2::{Digest, Sha256};
use support_core::{Change, Entry, Recording, Sharing};

use super::{Result, Store};

/// One event as the log keeps it.
struct Row {
    at: Millis,
    session: Option<SessionId>,
    event: &'static str,
    detail: serde_json::Value,
}

/// The audit row for a change, if it is a session event.
fn change_row(change: &Change) -> Option<Row> {
    let (at, session, event, detail) = match change {
        Change::Queued(s) => (
            s.queued_at,
            s.id,
            "joined",
            json!({
                "agreement": "accepted",
                "recording": s.recording.map(|c| json!({ "allowed": c.allowed, "at": c.at })),
                "by_key": s.key.is_some(),
            }),
        ),
        Change::Accepted {
            session, rep, at, ..
        } => (*at, *session, "accepted", json!({ "rep": rep })),
        Change::Transferred {
            session,
            from,
            to,
            message,
            ..
        } => (
            message.at,
            *session,
            "handed_over",
            json!({ "from": from, "to": to }),
        ),
        Change::Chat(m) | Change::ChatOnce { message: m, .. } => {
            let file = m.file.as_ref()?;
            (
                m.at,
                m.session,
                "file",
                json!({ "file": file.file, "size": file.size, "sha256": file.sha256 }),
            )
        }
        Change::Ended {
            session,
            by,
            reason,
            at,
        } => (
            *at,
            *session,
            "ended",
            json!({ "by": by, "reason": reason }),
        ),
        Change::Recording(Recording::Started {
            session,
            recording,
            at,
            ..
        }) => (
            *at,
            *session,
            "recording_started",
            json!({ "recording": recording }),
        ),
        Change::Recording(Recording::Stopped {
            session,
            recording,
            at,
            duration_ms,
            segments,
        }) => (
            *at,
            *session,
            "recording_stopped",
            json!({ "recording": recording, "duration_ms": duration_ms, "segments": segments }),
        ),
        Change::Recording(Recording::Deleted {
            session,
            recording,
            at,
        }) => (
            *at,
            *session,
            "recording_deleted",
            json!({ "recording": recording, "reason": "retention" }),
        ),
        Change::Recording(Recording::Viewed {
            session,
            recording,
            by,
            at,
        }) => (
            *at,
            *session,
            "recording_viewed",
            json!({ "recording": recording, "by": by }),
        ),
        _ => return None,
    };
    Some(Row {
        at,
        session: Some(session),
        event,
        detail,
    })
}

fn sharing_row(sharing: &Sharing) -> Row {
    Row {
        at: sharing.at,
        session: Some(sharing.session),
        event: if sharing.started {
            "share_started"
        } else {
            "share_stopped"
        },
        detail: json!({ "by": sharing.by }),
    }
}

/// Appends the entry's event, if it has one, inside the transaction that stores the entry.
pub(super) fn append(tx: &Connection, entry: Entry<'_>) -> Result<()> {
    let row = match entry {
        Entry::Change(change) => change_row(change),
        Entry::Sharing(sharing) => Some(sharing_row(&sharing)),
    };
    let Some(entry) = row else {
        return Ok(());
    };
    let last: Option<(i64, Vec<u8>)> = tx
        .query_row(
            "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?;
    let (id, previous) = match last {
        Some((id, hash)) => (id + 1, hash),
        None => (1, Vec::new()),
    };
    let detail = entry.detail.to_string();
    let hash = chain(&previous, id, entry.at, entry.session, entry.event, &detail);
    tx.execute(
        "INSERT INTO audit (id, at, session_id, event, detail, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![id, entry.at, entry.session.map(|s| s.0), entry.event, detail, hash],
    )?;
    Ok(())
}

/// A row's hash: SHA-256 over the previous row's hash and this row's fields.
fn chain(
    previous: &[u8],
    id: i64,
    at: Millis,
    session: Option<SessionId>,
    event: &str,
    detail: &str,
) -> Vec<u8> {
    let mut hasher = Sha256::new();
    hasher.update(previous);
    hasher.update(id.to_be_bytes());
    hasher.update(at.to_be_bytes());
    hasher.update(session.map_or(-1, |s| s.0).to_be_bytes());
    // Lengths first, so that no two different rows hash the same text.
    for text in [event, detail] {
        hasher.update((text.len() as u64).to_be_bytes());
        hasher.update(text.as_bytes());
    }
    hasher.finalize().to_vec()
}

impl Store {
    /// Checks the whole chain: `Ok(None)` when intact, else the first row that does not match
    /// (changed, or after a removed one).
    pub fn verify_audit(&self) -> Result<Option<i64>> {
        let mut statement = self
            .conn
            .prepare("SELECT id, at, session_id, event, detail, hash FROM audit ORDER BY id")?;
        let mut rows = statement.query([])?;
        let mut previous = Vec::new();
        let mut expected_id = 1;
        while let Some(row) = rows.next()? {
            let id: i64 = row.get(0)?;
            let event: String = row.get(3)?;
            let detail: String = row.get(4)?;
            let hash: Vec<u8> = row.get(5)?;
            let computed = chain(
                &previous,
                id,
                row.get(1)?,
                row.get::<_, Option<i64>>(2)?.map(SessionId),
                &event,
                &detail,
            );
            if id != expected_id || computed != hash {
                return Ok(Some(id));
            }
            previous = hash;
            expected_id = id + 1;
        }
        Ok(None)
    }

    /// A session's audit events, oldest first: (time, event, detail as JSON).
    pub fn audit_of(&self, session: SessionId) -> Result<Vec<(Millis, String, String)>> {
        let mut statement = self
            .conn
            .prepare("SELECT at, event, detail FROM audit WHERE session_id = ?1 ORDER BY id")?;
        let rows = statement.query_map([session.0], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use protocol::{Consent, EndReason, Lang, Party};

    use super::*;
    use crate::store::{NewRep, SessionLog};
    use support_core::NewSession;

    fn session(dir: &std::path::Path) -> SessionLog {
        let mut store = SessionLog::open(dir).unwrap();
        let rep = store
            .add_rep(&NewRep {
                login: "bo".into(),
                name: "Bo".into(),
                password_hash: "h".into(),
                admin: false,
                now: 0,
            })
            .unwrap();
        let joined = Change::Queued(NewSession {
            id: SessionId(1),
            token_hash: [1; 32],
            name: "Ada".into(),
            problem: "printer".into(),
            queued_at: 10,
            lang: Lang::En,
            recording: Some(Consent {
                allowed: true,
                at: 10,
            }),
            for_rep: None,
            key: None,
        });
        let accepted = Change::Accepted {
            session: SessionId(1),
            rep,
            rep_name: "Bo".into(),
            at: 20,
        };
        let ended = Change::Ended {
            session: SessionId(1),
            by: Some(Party::Customer),
            reason: EndReason::Ended,
            at: 30,
        };
        for change in [joined, accepted, ended] {
            store.record(&change).unwrap();
        }
        store
    }

    #[test]
    fn a_session_leaves_a_chain_of_events_that_verifies() {
        let dir = tempfile::tempdir().unwrap();
        let store = session(dir.path());
        let events: Vec<_> = store
            .audit_of(SessionId(1))
            .unwrap()
            .into_iter()
            .map(|(at, event, _)| (at, event))
            .collect();
        assert_eq!(
            events,
            [
                (10, "joined".into()),
                (20, "accepted".into()),
                (30, "ended".into())
            ]
        );
        let (_, _, joined) = &store.audit_of(SessionId(1)).unwrap()[0];
        assert!(
            joined.contains(r#""recording":{"allowed":true,"at":10}"#),
            "{joined}"
        );
        assert_eq!(store.verify_audit().unwrap(), None);
    }

    #[test]
    fn the_log_refuses_changes_and_a_changed_row_breaks_the_chain() {
        let dir = tempfile::tempdir().unwrap();
        let store = session(dir.path());
        let refused = store
            .conn
            .execute("UPDATE audit SET detail = '{}' WHERE id = 2", []);
        assert!(refused.is_err(), "append-only");
        assert!(
            store
                .conn
                .execute("DELETE FROM audit WHERE id = 3", [])
                .is_err()
        );

        // Someone with the database file drops the guard and rewrites a row.
        store
            .conn
            .execute_batch(
                "DROP TRIGGER audit_no_update;
                 UPDATE audit SET detail = '{\"rep\":99}' WHERE id = 2;",
            )
            .unwrap();
        assert_eq!(store.verify_audit().unwrap(), Some(2));
    }

    #[test]
    fn a_removed_row_breaks_the_chain_too() {
        let dir = tempfile::tempdir().unwrap();
        let store = session(dir.path());
        store
            .conn
            .execute_batch("DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id = 2;")
            .unwrap();
        assert_eq!(store.verify_audit().unwrap(), Some(3));
    }
}
