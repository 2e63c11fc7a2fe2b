//! What the admin sets: settings, notices and the reps' flags.

use protocol::api::RepRow;
use protocol::site::{Localized, NoticeDraft};
use protocol::{Notice, NoticeId, RepId, Settings};
use rusqlite::{OptionalExtension, params};

use super::{Result, Store};

impl Store {
    /// The saved settings, or the defaults before the admin has saved any.
    pub fn settings(&self) -> Result<Settings> {
        let json: Option<String> = self
            .conn
            .query_row("SELECT json FROM settings WHERE id = 1", [], |row| {
                row.get(0)
            })
            .optional()?;
        Ok(match json {
            Some(json) => serde_json::from_str(&json)?,
            None => Settings::default(),
        })
    }

    /// Every notice, oldest first.
    pub fn notices(&self) -> Result<Vec<Notice>> {
        let mut statement = self
            .conn
            .prepare("SELECT id, text_en, text_de, active, automatic FROM notices ORDER BY id")?;
        let rows = statement.query_map([], |row| {
            Ok(Notice {
                id: NoticeId(row.get(0)?),
                draft: NoticeDraft {
                    text: Localized {
                        en: row.get(1)?,
                        de: row.get(2)?,
                    },
                    active: row.get(3)?,
                    automatic: row.get(4)?,
                },
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn next_notice_id(&self) -> Result<NoticeId> {
        Ok(self
            .conn
            .query_row("SELECT coalesce(max(id), 0) + 1 FROM notices", [], |row| {
                row.get(0).map(NoticeId)
            })?)
    }

    pub fn reps(&self) -> Result<Vec<RepRow>> {
        let mut statement = self
            .conn
            .prepare("SELECT id, login, name, admin, disabled FROM reps ORDER BY login")?;
        let rows = statement.query_map([], |row| {
            Ok(RepRow {
                id: RepId(row.get(0)?),
                login: row.get(1)?,
                name: row.get(2)?,
                admin: row.get(3)?,
                disabled: row.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Sets a rep's flags; false when there is no such rep. Disabling ends their sign-ins.
    pub fn set_rep_flags(&mut self, rep: RepId, admin: bool, disabled: bool) -> Result<bool> {
        let tx = self.conn.transaction()?;
        let changed = tx.execute(
            "UPDATE reps SET admin = ?2, disabled = ?3 WHERE id = ?1",
            params![rep.0, admin, disabled],
        )?;
        if disabled {
            tx.execute("DELETE FROM rep_logins WHERE rep_id = ?1", [rep.0])?;
        }
        tx.commit()?;
        Ok(changed == 1)
    }
}
