//! The session log: sessions and their chat transcripts, written by the hub only.

use protocol::api::{SurveyRow, rep_photo_url};
use protocol::{ChatMessage, Consent, EndReason, Lang, Millis, Party, RepId};
use protocol::{FileId, MessageKind, SessionId, StoredFile};
use rusqlite::{OptionalExtension, params};
use support_core::{Change, Entry, LiveSession, NewSession, Recording, SessionKey};

use super::{Result, Store};

/// A stored file as the download needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRow {
    pub name: String,
    pub size: u64,
    /// The rep who served the session last.
    pub rep: Option<RepId>,
    /// The session has not ended.
    pub live: bool,
}

impl Store {
    /// The latest exit surveys, newest first.
    pub fn surveys(&self, limit: u32) -> Result<Vec<SurveyRow>> {
        let mut statement = self.conn.prepare(
            "SELECT v.session_id, s.customer_name, coalesce(r.name, ''), v.rating, v.resolved,
                    v.comment, v.at
             FROM surveys v JOIN sessions s ON s.id = v.session_id
             LEFT JOIN reps r ON r.id = s.rep_id
             ORDER BY v.at DESC, v.session_id DESC LIMIT ?1",
        )?;
        let rows = statement.query_map([limit], |row| {
            Ok(SurveyRow {
                session: SessionId(row.get(0)?),
                customer_name: row.get(1)?,
                rep_name: row.get(2)?,
                rating: row.get(3)?,
                resolved: row.get(4)?,
                comment: row.get(5)?,
                at: row.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How long the latest served sessions lasted from acceptance to end, latest first.
    pub fn recent_handling_times(&self, limit: u32) -> Result<Vec<Millis>> {
        let mut statement = self.conn.prepare(
            "SELECT ended_at - accepted_at FROM sessions
             WHERE accepted_at IS NOT NULL AND ended_at IS NOT NULL
             ORDER BY ended_at DESC LIMIT ?1",
        )?;
        let rows = statement.query_map([limit], |row| row.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Session keys not used and not expired at `now`.
    pub fn open_keys(&self, now: Millis) -> Result<Vec<SessionKey>> {
        let mut statement = self.conn.prepare(
            "SELECT key, rep_id, created_at, expires_at FROM session_keys
             WHERE used_by IS NULL AND expires_at > ?1",
        )?;
        let rows = statement.query_map([now], |row| {
            Ok(SessionKey {
                key: row.get(0)?,
                rep: RepId(row.get(1)?),
                created_at: row.get(2)?,
                expires_at: row.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The id the next session gets.
    pub fn next_session_id(&self) -> Result<SessionId> {
        Ok(self
            .conn
            .query_row("SELECT coalesce(max(id), 0) + 1 FROM sessions", [], |row| {
                row.get(0).map(SessionId)
            })?)
    }

    /// Every session that has not ended, in queue order.
    pub fn live_sessions(&self) -> Result<Vec<LiveSession>> {
        let mut statement = self.conn.prepare(
            "SELECT s.id, s.token_hash, s.customer_name, s.problem, s.queued_at, s.rep_id, r.name,
                    (SELECT coalesce(max(seq), 0) FROM messages m WHERE m.session_id = s.id),
                    s.lang, s.recording, s.recording_at, s.for_rep, r.photo_at,
                    (SELECT coalesce(sum(size), 0) FROM files f WHERE f.session_id = s.id)
             FROM sessions s LEFT JOIN reps r ON r.id = s.rep_id
             WHERE s.ended_at IS NULL
             ORDER BY s.queued_at, s.id",
        )?;
        let rows = statement.query_map([], |row| {
            let rep = row.get::<_, Option<i64>>(5)?.map(RepId);
            let rep_name: Option<String> = row.get(6)?;
            let lang: String = row.get(8)?;
            let allowed: Option<bool> = row.get(9)?;
            let answered_at: Option<Millis> = row.get(10)?;
            let photo_at: Option<Millis> = row.get(12)?;
            Ok(LiveSession {
                session: NewSession {
                    id: SessionId(row.get(0)?),
                    token_hash: row.get(1)?,
                    name: row.get(2)?,
                    problem: row.get(3)?,
                    queued_at: row.get(4)?,
                    lang: Lang::from_tag(&lang).unwrap_or_default(),
                    recording: allowed
                        .zip(answered_at)
                        .map(|(allowed, at)| Consent { allowed, at }),
                    for_rep: row.get::<_, Option<i64>>(11)?.map(RepId),
                    key: None,
                },
                rep: rep.zip(rep_name),
                rep_photo: rep.zip(photo_at).map(|(rep, at)| rep_photo_url(rep, at)),
                last_seq: row.get(7)?,
                nonces: Vec::new(),
                stored_bytes: row.get(13)?,
            })
        })?;
        let mut live: Vec<LiveSession> = rows.collect::<rusqlite::Result<_>>()?;
        let mut nonces = self.conn.prepare(
            "SELECT nonce, seq, sent_at FROM messages WHERE session_id = ?1 AND nonce IS NOT NULL",
        )?;
        for session in &mut live {
            session.nonces = nonces
                .query_map([session.session.id.0], |row| {
                    Ok((row.get::<_, i64>(0)? as u64, row.get(1)?, row.get(2)?))
                })?
                .collect::<rusqlite::Result<_>>()?;
        }
        Ok(live)
    }

    /// The stored chat messages of a session with a sequence number above `after_seq`.
    pub fn transcript(&self, session: SessionId, after_seq: u64) -> Result<Vec<ChatMessage>> {
        self.transcript_page(session, after_seq, usize::MAX)
    }

    /// The first `rows` messages of the transcript after `after_seq`.
    pub fn transcript_page(
        &self,
        session: SessionId,
        after_seq: u64,
        rows: usize,
    ) -> Result<Vec<ChatMessage>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT m.seq, m.sender, m.sender_name, m.body, m.sent_at, m.kind,
                    f.id, f.size, f.sha256
             FROM messages m LEFT JOIN files f ON f.id = m.file_id
             WHERE m.session_id = ?1 AND m.seq > ?2 ORDER BY m.seq LIMIT ?3",
        )?;
        let limit = i64::try_from(rows).unwrap_or(i64::MAX);
        let rows = statement.query_map(params![session.0, after_seq, limit], |row| {
            let sender: String = row.get(1)?;
            let kind: String = row.get(5)?;
            let file = row.get::<_, Option<i64>>(6)?.map(FileId);
            let file = match file {
                Some(file) => Some(StoredFile {
                    file,
                    size: row.get(7)?,
                    sha256: row.get(8)?,
                }),
                None => None,
            };
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
                kind: MessageKind::from_code(&kind).unwrap_or_default(),
                file,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The number the next file gets.
    pub fn next_file_id(&self) -> Result<FileId> {
        Ok(self
            .conn
            .query_row("SELECT coalesce(max(id), 0) + 1 FROM files", [], |row| {
                row.get(0).map(FileId)
            })?)
    }

    /// A stored file: its name and size, and the rep now serving its session (none once the
    /// session has ended).
    pub fn file(&self, file: FileId) -> Result<Option<FileRow>> {
        Ok(self
            .conn
            .query_row(
                "SELECT f.name, f.size, s.rep_id, s.ended_at IS NULL
                 FROM files f JOIN sessions s ON s.id = f.session_id WHERE f.id = ?1",
                [file.0],
                |row| {
                    let live: bool = row.get(3)?;
                    let rep = row.get::<_, Option<i64>>(2)?.map(RepId);
                    Ok(FileRow {
                        name: row.get(0)?,
                        size: row.get(1)?,
                        rep,
                        live,
                    })
                },
            )
            .optional()?)
    }

    /// When and by whom a session ended, if it has.
    pub fn session_end(&self, session: SessionId) -> Result<Option<(Millis, Party)>> {
        let row: Option<(Option<Millis>, Option<String>)> = self
            .conn
            .query_row(
                "SELECT ended_at, ended_by FROM sessions WHERE id = ?1",
                [session.0],
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

/// Stores a chat line, and first the file it carries.
fn insert_message(tx: &rusqlite::Connection, m: &ChatMessage, nonce: Option<u64>) -> Result<()> {
    if let Some(file) = &m.file {
        tx.execute(
            "INSERT INTO files (id, session_id, name, size, sha256, stored_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                file.file.0,
                m.session.0,
                m.text,
                file.size,
                file.sha256,
                m.at
            ],
        )?;
    }
    // The hot path of a chat: prepared once per connection.
    tx.prepare_cached(
        "INSERT INTO messages
             (session_id, seq, sender, sender_name, body, sent_at, kind, file_id, nonce)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        m.session.0,
        m.seq,
        party_name(m.from),
        m.name,
        m.text,
        m.at,
        m.kind.code(),
        m.file.as_ref().map(|f| f.file.0),
        nonce.map(|n| n as i64)
    ])?;
    Ok(())
}

fn reason_name(reason: EndReason) -> &'static str {
    match reason {
        EndReason::Ended => "ended",
        EndReason::Notice => "notice",
        EndReason::Orphaned => "orphaned",
        // Stored as `connection_lost` beside it.
        EndReason::Lost => "ended",
    }
}

fn party_name(party: Party) -> &'static str {
    match party {
        Party::Customer => "customer",
        Party::Rep => "rep",
    }
}

/// Writes one change and its audit event, if it has one.
pub(super) fn write(tx: &rusqlite::Savepoint<'_>, change: &Change) -> Result<()> {
    match change {
        Change::Queued(s) => {
            tx.execute(
                "INSERT INTO sessions (id, token_hash, customer_name, problem, queued_at, lang,
                                       recording, recording_at, for_rep)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    s.id.0,
                    s.token_hash,
                    s.name,
                    s.problem,
                    s.queued_at,
                    s.lang.code(),
                    s.recording.map(|c| c.allowed),
                    s.recording.map(|c| c.at),
                    s.for_rep.map(|rep| rep.0),
                ],
            )?;
            if let Some(key) = &s.key {
                tx.execute(
                    "UPDATE session_keys SET used_by = ?2 WHERE key = ?1",
                    params![key, s.id.0],
                )?;
            }
        }
        Change::Accepted {
            session, rep, at, ..
        } => {
            tx.execute(
                "UPDATE sessions SET rep_id = ?2, accepted_at = ?3 WHERE id = ?1",
                params![session.0, rep.0, at],
            )?;
        }
        Change::Chat(m) => insert_message(tx, m, None)?,
        Change::ChatOnce { message, nonce } => insert_message(tx, message, Some(*nonce))?,
        Change::Transferred {
            session,
            from,
            to,
            note,
            message,
            ..
        } => {
            tx.execute(
                "UPDATE sessions SET rep_id = ?2 WHERE id = ?1",
                params![session.0, to.0],
            )?;
            tx.execute(
                "INSERT INTO handovers (session_id, from_rep, to_rep, note, at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![session.0, from.0, to.0, note, message.at],
            )?;
            insert_message(tx, message, None)?;
        }
        Change::Ended {
            session,
            by,
            reason,
            at,
        } => {
            tx.execute(
                "UPDATE sessions SET ended_at = ?2, ended_by = ?3, end_reason = ?4,
                                     connection_lost = ?5
                 WHERE id = ?1",
                params![
                    session.0,
                    at,
                    by.map(party_name),
                    reason_name(*reason),
                    *reason == EndReason::Lost
                ],
            )?;
        }
        Change::Survey {
            session,
            rating,
            resolved,
            comment,
            at,
        } => {
            tx.execute(
                "INSERT INTO surveys (session_id, rating, resolved, comment, at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![session.0, rating, resolved, comment, at],
            )?;
        }
        Change::KeyIssued(k) => {
            tx.execute(
                "INSERT INTO session_keys (key, rep_id, created_at, expires_at)
                 VALUES (?1, ?2, ?3, ?4)",
                params![k.key, k.rep.0, k.created_at, k.expires_at],
            )?;
        }
        Change::Settings(settings) => {
            tx.execute(
                "INSERT INTO settings (id, json) VALUES (1, ?1)
                 ON CONFLICT (id) DO UPDATE SET json = excluded.json",
                [serde_json::to_string(settings)?],
            )?;
        }
        Change::NoticeSaved(n) => {
            tx.execute(
                "INSERT INTO notices (id, text_en, text_de, active, automatic)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (id) DO UPDATE SET text_en = excluded.text_en,
                    text_de = excluded.text_de, active = excluded.active,
                    automatic = excluded.automatic",
                params![
                    n.id.0,
                    n.draft.text.en,
                    n.draft.text.de,
                    n.draft.active,
                    n.draft.automatic
                ],
            )?;
        }
        Change::NoticeDeleted(id) => {
            tx.execute("DELETE FROM notices WHERE id = ?1", [id.0])?;
        }
        Change::Recording(Recording::Started {
            session,
            recording,
            wrapped_key,
            at,
        }) => {
            tx.execute(
                "INSERT INTO recordings (id, session_id, wrapped_key, started_at)
                 VALUES (?1, ?2, ?3, ?4)",
                params![recording, session.0, wrapped_key, at],
            )?;
        }
        Change::Recording(Recording::Stopped {
            recording,
            at,
            duration_ms,
            segments,
            ..
        }) => {
            tx.execute(
                "UPDATE recordings SET stopped_at = ?2, duration_ms = ?3, segments = ?4
                 WHERE id = ?1",
                params![recording, at, duration_ms, segments],
            )?;
        }
        Change::Recording(Recording::Viewed { .. }) => {}
        Change::Recording(Recording::Deleted { recording, .. }) => {
            tx.execute("DELETE FROM recordings WHERE id = ?1", [recording])?;
        }
    }
    super::audit::append(tx, Entry::Change(change))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{NewRep, SessionLog};

    fn queued(id: SessionId, at: Millis) -> Change {
        Change::Queued(NewSession {
            id,
            token_hash: [id.0 as u8; 32],
            name: format!("customer {id}"),
            problem: "printer".into(),
            queued_at: at,
            lang: Lang::De,
            recording: Some(Consent { allowed: true, at }),
            for_rep: None,
            key: None,
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
            kind: MessageKind::Text,
            file: None,
        })
    }

    #[test]
    fn live_sessions_come_back_in_queue_order_with_their_rep_and_last_seq() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = SessionLog::open(dir.path()).unwrap();
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
            queued(SessionId(1), 30),
            queued(SessionId(2), 10),
            queued(SessionId(3), 20),
            Change::Accepted {
                session: SessionId(3),
                rep,
                rep_name: "Bo".into(),
                at: 40,
            },
            chat(SessionId(3), 1, "one"),
            chat(SessionId(3), 2, "two"),
            Change::Ended {
                session: SessionId(2),
                by: Some(Party::Customer),
                reason: EndReason::Ended,
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
            [
                (SessionId(3), Some((rep, "Bo".to_string())), 2),
                (SessionId(1), None, 0)
            ]
        );
        assert_eq!(store.next_session_id().unwrap(), SessionId(4));
        let texts: Vec<_> = store
            .transcript(SessionId(3), 1)
            .unwrap()
            .into_iter()
            .map(|m| m.text)
            .collect();
        assert_eq!(texts, ["two"]);
        assert_eq!(
            store.session_end(SessionId(2)).unwrap(),
            Some((50, Party::Customer))
        );
        assert_eq!(store.session_end(SessionId(3)).unwrap(), None);
    }

    #[test]
    fn a_sequence_number_is_stored_once() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = SessionLog::open(dir.path()).unwrap();
        store.record(&queued(SessionId(1), 0)).unwrap();
        store.record(&chat(SessionId(1), 1, "first")).unwrap();
        assert!(store.record(&chat(SessionId(1), 1, "again")).is_err());
        let texts: Vec<_> = store
            .transcript(SessionId(1), 0)
            .unwrap()
            .into_iter()
            .map(|m| m.text)
            .collect();
        assert_eq!(texts, ["first"]);
    }

    fn texts(store: &Store, session: SessionId) -> Vec<String> {
        let transcript = store.transcript(session, 0).unwrap();
        transcript.into_iter().map(|m| m.text).collect()
    }

    #[test]
    fn a_batch_is_stored_at_its_commit_and_a_failed_change_undoes_only_itself() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = SessionLog::open(dir.path()).unwrap();
        let other = Store::open(dir.path()).unwrap();
        store.start_batch();
        store.record(&queued(SessionId(1), 0)).unwrap();
        store.record(&chat(SessionId(1), 1, "first")).unwrap();
        assert!(
            store
                .record(&chat(SessionId(1), 1, "the same seq"))
                .is_err()
        );
        store.record(&chat(SessionId(1), 2, "second")).unwrap();
        assert!(
            texts(&other, SessionId(1)).is_empty(),
            "nothing is visible before the commit"
        );
        store.commit_batch().unwrap();
        assert_eq!(texts(&other, SessionId(1)), ["first", "second"]);
    }

    #[test]
    fn a_batch_whose_commit_fails_stores_nothing_and_the_next_batch_works() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = SessionLog::open(dir.path()).unwrap();
        let fail = store.failing_commits();
        store.record(&queued(SessionId(1), 0)).unwrap();
        fail.store(true, std::sync::atomic::Ordering::SeqCst);
        store.start_batch();
        store.record(&chat(SessionId(1), 1, "lost")).unwrap();
        store.record(&chat(SessionId(1), 2, "lost too")).unwrap();
        assert!(store.commit_batch().is_err());
        assert!(texts(&store, SessionId(1)).is_empty());

        fail.store(false, std::sync::atomic::Ordering::SeqCst);
        store.start_batch();
        store.record(&chat(SessionId(1), 1, "again")).unwrap();
        store.commit_batch().unwrap();
        assert_eq!(
            texts(&Store::open(dir.path()).unwrap(), SessionId(1)),
            ["again"]
        );
    }
}

#[cfg(test)]
mod recording_tests {
    use super::*;
    use crate::store::SessionLog;

    fn started(recording: &str, at: Millis) -> Change {
        Change::Recording(Recording::Started {
            session: SessionId(1),
            recording: recording.into(),
            wrapped_key: vec![7; 60],
            at,
        })
    }

    #[test]
    fn a_recording_is_kept_with_its_wrapped_key_until_deleted_and_every_step_is_audited() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = SessionLog::open(dir.path()).unwrap();
        let queued = Change::Queued(NewSession {
            id: SessionId(1),
            token_hash: [1; 32],
            name: "Ada".into(),
            problem: "printer".into(),
            queued_at: 1,
            lang: Lang::En,
            recording: Some(Consent {
                allowed: true,
                at: 1,
            }),
            for_rep: None,
            key: None,
        });
        for change in [queued, started("old", 100), started("new", 200)] {
            store.record(&change).unwrap();
        }
        store
            .record(&Change::Recording(Recording::Stopped {
                session: SessionId(1),
                recording: "old".into(),
                at: 150,
                duration_ms: 50,
                segments: 1,
            }))
            .unwrap();
        assert_eq!(
            store.recordings_before(150).unwrap(),
            [(SessionId(1), "old".to_string())]
        );
        let old = store.recording("old").unwrap().unwrap();
        assert_eq!((old.wrapped_key.len(), old.duration_ms), (60, Some(50)));

        store
            .record(&Change::Recording(Recording::Deleted {
                session: SessionId(1),
                recording: "old".into(),
                at: 300,
            }))
            .unwrap();
        assert_eq!(store.recording("old").unwrap(), None, "the key is gone");
        assert_eq!(store.recordings_before(1000).unwrap().len(), 1);
        let (report, _) = store.session_report(SessionId(1)).unwrap().unwrap();
        let events: Vec<&str> = report.audit.iter().map(|e| e.event.as_str()).collect();
        assert_eq!(
            events,
            [
                "joined",
                "recording_started",
                "recording_started",
                "recording_stopped",
                "recording_deleted"
            ]
        );
        assert_eq!(store.verify_audit().unwrap(), None);
    }
}
