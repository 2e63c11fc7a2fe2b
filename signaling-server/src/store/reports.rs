//! What the admin's session reports read: past sessions a page at a time, one session's
//! transcript, recordings and audit rows, and a recording's wrapped key.

use protocol::api::{AuditEvent, SESSIONS_PER_PAGE, SessionPage, SessionReport, SessionSummary};
use protocol::{Millis, SessionId};
use rusqlite::{OptionalExtension, Row, params};

use super::{Result, Store};

/// A stored recording, as the report and the player need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordingRow {
    pub name: String,
    pub session: SessionId,
    pub wrapped_key: Vec<u8>,
    pub started_at: Millis,
    pub duration_ms: Option<u64>,
}

const SUMMARY: &str = "SELECT s.id, s.customer_name, r.name, s.queued_at, s.ended_at,
        EXISTS (SELECT 1 FROM recordings g WHERE g.session_id = s.id)
    FROM sessions s LEFT JOIN reps r ON r.id = s.rep_id";

fn summary(row: &Row<'_>) -> rusqlite::Result<SessionSummary> {
    Ok(SessionSummary {
        session: SessionId(row.get(0)?),
        customer_name: row.get(1)?,
        rep_name: row.get(2)?,
        queued_at: row.get(3)?,
        ended_at: row.get(4)?,
        recorded: row.get(5)?,
    })
}

impl Store {
    /// Page `page` (from 0) of the sessions whose customer's or rep's name contains `text`,
    /// newest first.
    pub fn session_page(&self, text: &str, page: u32) -> Result<SessionPage> {
        let pattern = format!("%{}%", text.replace(['%', '_', '\\'], ""));
        let mut statement = self.conn.prepare(&format!(
            "{SUMMARY} WHERE s.customer_name LIKE ?1 OR coalesce(r.name, '') LIKE ?1
             ORDER BY s.id DESC LIMIT ?2 OFFSET ?3"
        ))?;
        let rows = u64::from(SESSIONS_PER_PAGE);
        let offset = u64::from(page) * rows;
        let mut sessions = statement
            .query_map(params![pattern, rows + 1, offset], summary)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let more = sessions.len() as u64 > rows;
        sessions.truncate(rows as usize);
        Ok(SessionPage { sessions, more })
    }

    /// Session `session`'s report, with its recordings as stored (their segments are counted
    /// on disk by the caller).
    pub fn session_report(
        &self,
        session: SessionId,
    ) -> Result<Option<(SessionReport, Vec<RecordingRow>)>> {
        let found = self
            .conn
            .query_row(&format!("{SUMMARY} WHERE s.id = ?1"), [session.0], summary)
            .optional()?;
        let Some(summary) = found else {
            return Ok(None);
        };
        let problem = self.conn.query_row(
            "SELECT problem FROM sessions WHERE id = ?1",
            [session.0],
            |row| row.get(0),
        )?;
        let mut statement = self
            .conn
            .prepare("SELECT at, event, detail FROM audit WHERE session_id = ?1 ORDER BY id")?;
        let audit = statement
            .query_map([session.0], |row| {
                Ok(AuditEvent {
                    at: row.get(0)?,
                    event: row.get(1)?,
                    detail: row.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let report = SessionReport {
            summary,
            problem,
            transcript: self.transcript(session, 0)?,
            recordings: Vec::new(),
            audit,
        };
        Ok(Some((report, self.recordings_of(session)?)))
    }

    fn recordings_of(&self, session: SessionId) -> Result<Vec<RecordingRow>> {
        let mut statement = self.conn.prepare(
            "SELECT id, session_id, wrapped_key, started_at, duration_ms FROM recordings
             WHERE session_id = ?1 ORDER BY started_at",
        )?;
        let rows = statement.query_map([session.0], recording)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The recordings that began before `cutoff`: their sessions and names.
    pub fn recordings_before(&self, cutoff: Millis) -> Result<Vec<(SessionId, String)>> {
        let mut statement = self
            .conn
            .prepare("SELECT session_id, id FROM recordings WHERE started_at < ?1")?;
        let rows =
            statement.query_map([cutoff], |row| Ok((SessionId(row.get(0)?), row.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The recording named `name`.
    pub fn recording(&self, name: &str) -> Result<Option<RecordingRow>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id, session_id, wrapped_key, started_at, duration_ms FROM recordings
                 WHERE id = ?1",
                [name],
                recording,
            )
            .optional()?)
    }
}

fn recording(row: &Row<'_>) -> rusqlite::Result<RecordingRow> {
    Ok(RecordingRow {
        name: row.get(0)?,
        session: SessionId(row.get(1)?),
        wrapped_key: row.get(2)?,
        started_at: row.get(3)?,
        duration_ms: row.get(4)?,
    })
}
