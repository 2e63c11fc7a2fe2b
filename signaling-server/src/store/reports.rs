//! What the admin's session reports read: past sessions a page at a time, one session's
//! transcript, recordings and audit rows, and a recording's wrapped key.

use protocol::api::{
    AuditEvent, Outcome, SESSIONS_PER_PAGE, SessionPage, SessionReport, SessionSearch,
    SessionSummary,
};
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
    /// The page of the sessions `search` finds, newest first.
    pub fn session_page(&self, search: &SessionSearch) -> Result<SessionPage> {
        let text = search.q.trim().replace(['%', '_', '\\'], "");
        let outcome = search.outcome.map(|outcome| match outcome {
            Outcome::Served => "served",
            Outcome::NotServed => "not_served",
            Outcome::Live => "live",
        });
        // Each condition holds when its parameter is NULL.
        let mut statement = self.conn.prepare(&format!(
            "{SUMMARY} WHERE (s.customer_name LIKE ?1 OR coalesce(r.name, '') LIKE ?1)
               AND (?2 IS NULL OR s.queued_at >= ?2) AND (?3 IS NULL OR s.queued_at < ?3)
               AND (?4 IS NULL
                    OR (?4 = 'served' AND s.rep_id IS NOT NULL AND s.ended_at IS NOT NULL)
                    OR (?4 = 'not_served' AND s.rep_id IS NULL AND s.ended_at IS NOT NULL)
                    OR (?4 = 'live' AND s.ended_at IS NULL))
               AND (?5 IS NULL OR (SELECT v.rating FROM surveys v WHERE v.session_id = s.id) >= ?5)
             ORDER BY s.id DESC LIMIT ?6 OFFSET ?7"
        ))?;
        let rows = u64::from(SESSIONS_PER_PAGE);
        let offset = u64::from(search.page) * rows;
        let parameters = params![
            format!("%{text}%"),
            search.from,
            search.until,
            outcome,
            search.min_rating,
            rows + 1,
            offset
        ];
        let mut sessions = statement
            .query_map(parameters, summary)?
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

#[cfg(test)]
mod tests {
    use protocol::{EndReason, Lang, Party};
    use support_core::{Change, NewSession};

    use super::*;
    use crate::store::{NewRep, SessionLog};

    fn queued(id: i64, name: &str, at: Millis) -> Change {
        Change::Queued(NewSession {
            id: SessionId(id),
            token_hash: [id as u8; 32],
            name: name.into(),
            problem: "printer".into(),
            queued_at: at,
            lang: Lang::En,
            recording: None,
            for_rep: None,
            key: None,
        })
    }

    fn ended(id: i64, at: Millis) -> Change {
        Change::Ended {
            session: SessionId(id),
            by: Some(Party::Customer),
            reason: EndReason::Ended,
            at,
        }
    }

    #[test]
    fn the_list_finds_sessions_by_name_time_outcome_and_rating() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = SessionLog::open(dir.path()).unwrap();
        let bo = store
            .add_rep(&NewRep {
                login: "bo".into(),
                name: "Bo Rep".into(),
                password_hash: "h".into(),
                admin: false,
                now: 0,
            })
            .unwrap();
        let served = Change::Accepted {
            session: SessionId(1),
            rep: bo,
            rep_name: "Bo Rep".into(),
            at: 110,
        };
        let rated = Change::Survey {
            session: SessionId(1),
            rating: 4,
            resolved: true,
            comment: String::new(),
            at: 130,
        };
        for change in [
            queued(1, "Ada", 100),
            served,
            ended(1, 120),
            rated,
            queued(2, "Bea", 200),
            ended(2, 220),
            queued(3, "Cy", 300),
        ] {
            store.record(&change).unwrap();
        }
        let found = |search: SessionSearch| -> Vec<i64> {
            let page = store.session_page(&search).unwrap();
            page.sessions.iter().map(|s| s.session.0).collect()
        };
        assert_eq!(found(SessionSearch::default()), [3, 2, 1], "newest first");
        let by = |q: &str| SessionSearch {
            q: q.into(),
            ..SessionSearch::default()
        };
        assert_eq!(found(by("bea")), [2], "the customer's name, any case");
        assert_eq!(found(by("Bo R")), [1], "the rep's name");
        assert_eq!(
            found(by("A_a")),
            Vec::<i64>::new(),
            "no wildcards: `_` is no letter"
        );
        let between = SessionSearch {
            from: Some(150),
            until: Some(300),
            ..SessionSearch::default()
        };
        assert_eq!(found(between), [2], "from inclusive, until exclusive");
        for (outcome, ids) in [
            (Outcome::Served, vec![1]),
            (Outcome::NotServed, vec![2]),
            (Outcome::Live, vec![3]),
        ] {
            let search = SessionSearch {
                outcome: Some(outcome),
                ..SessionSearch::default()
            };
            assert_eq!(found(search), ids, "{outcome:?}");
        }
        for (min_rating, ids) in [(4, vec![1]), (5, vec![])] {
            let search = SessionSearch {
                min_rating: Some(min_rating),
                ..SessionSearch::default()
            };
            assert_eq!(found(search), ids, "at least {min_rating}");
        }
    }
}
