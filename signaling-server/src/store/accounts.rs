//! Reps and their signed-in browsers.

use protocol::api::rep_photo_url;
use protocol::{Millis, RepId};
use rusqlite::{OptionalExtension, params};
use support_core::RepAccount;

use super::{Result, Store, StoreError};

/// What `rep add` stores.
pub struct NewRep {
    pub login: String,
    pub name: String,
    pub password_hash: String,
    pub admin: bool,
    pub now: Millis,
}

impl Store {
    pub fn add_rep(&self, rep: &NewRep) -> Result<RepId> {
        let inserted = self.conn.execute(
            "INSERT INTO reps (login, name, password_hash, admin, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (login) DO NOTHING",
            params![rep.login, rep.name, rep.password_hash, rep.admin, rep.now],
        )?;
        if inserted == 0 {
            return Err(StoreError::LoginTaken(rep.login.clone()));
        }
        Ok(protocol::RepId(self.conn.last_insert_rowid()))
    }

    pub fn rep_count(&self) -> Result<u64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM reps", [], |row| row.get(0))?)
    }

    /// The enabled rep with this login and their password hash.
    pub fn rep_by_login(&self, login: &str) -> Result<Option<(RepAccount, String)>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id, login, name, admin, photo_at, password_hash FROM reps
                 WHERE login = ?1 AND disabled = 0",
                [login],
                |row| Ok((account(row)?, row.get(5)?)),
            )
            .optional()?)
    }

    pub fn add_login(
        &self,
        token_hash: &[u8],
        rep: RepId,
        now: Millis,
        expires: Millis,
    ) -> Result<()> {
        // Sign-ins past their expiry are of no use to anyone; sweep them while we are here.
        self.conn
            .execute("DELETE FROM rep_logins WHERE expires_at <= ?1", [now])?;
        self.conn.execute(
            "INSERT INTO rep_logins (token_hash, rep_id, created_at, expires_at)
             VALUES (?1, ?2, ?3, ?4)",
            params![token_hash, rep.0, now, expires],
        )?;
        Ok(())
    }

    /// The rep signed in with this token, unless the sign-in has expired.
    pub fn rep_by_login_token(&self, token_hash: &[u8], now: Millis) -> Result<Option<RepAccount>> {
        Ok(self
            .conn
            .query_row(
                "SELECT r.id, r.login, r.name, r.admin, r.photo_at FROM rep_logins l
                 JOIN reps r ON r.id = l.rep_id
                 WHERE l.token_hash = ?1 AND l.expires_at > ?2 AND r.disabled = 0",
                params![token_hash, now],
                account,
            )
            .optional()?)
    }

    pub fn remove_login(&self, token_hash: &[u8]) -> Result<()> {
        self.conn
            .execute("DELETE FROM rep_logins WHERE token_hash = ?1", [token_hash])?;
        Ok(())
    }

    /// Replaces a rep's photo (checked by the caller); `None` removes it. Returns its address.
    pub fn set_photo(
        &self,
        rep: RepId,
        photo: Option<Photo>,
        now: Millis,
    ) -> Result<Option<String>> {
        let at = photo.as_ref().map(|_| now);
        let (bytes, content_type) = photo.map(|p| (p.bytes, p.content_type)).unzip();
        self.conn.execute(
            "UPDATE reps SET photo = ?2, photo_type = ?3, photo_at = ?4 WHERE id = ?1",
            params![rep.0, bytes, content_type, at],
        )?;
        Ok(at.map(|at| rep_photo_url(rep, at)))
    }

    /// Renames a rep (the name is checked by the caller).
    pub fn set_rep_name(&self, rep: RepId, name: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE reps SET name = ?2 WHERE id = ?1",
            params![rep.0, name],
        )?;
        Ok(())
    }

    /// A rep's photo, if they have one.
    pub fn photo(&self, rep: RepId) -> Result<Option<Photo>> {
        let found: Option<(Option<Vec<u8>>, Option<String>)> = self
            .conn
            .query_row(
                "SELECT photo, photo_type FROM reps WHERE id = ?1",
                [rep.0],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?;
        Ok(found.and_then(|(bytes, content_type)| {
            Some(Photo {
                bytes: bytes?,
                content_type: content_type?,
            })
        }))
    }
}

/// A rep's photo as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Photo {
    pub bytes: Vec<u8>,
    pub content_type: String,
}

/// Reads a rep from the columns id, login, name, admin, photo_at.
fn account(row: &rusqlite::Row<'_>) -> rusqlite::Result<RepAccount> {
    let id = RepId(row.get(0)?);
    let photo_at: Option<Millis> = row.get(4)?;
    Ok(RepAccount {
        id,
        login: row.get(1)?,
        name: row.get(2)?,
        admin: row.get(3)?,
        photo: photo_at.map(|at| rep_photo_url(id, at)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        (dir, store)
    }

    fn ann() -> NewRep {
        NewRep {
            login: "ann".into(),
            name: "Ann Example".into(),
            password_hash: "hash".into(),
            admin: true,
            now: 10,
        }
    }

    #[test]
    fn a_login_is_taken_once() {
        let (_dir, store) = store();
        store.add_rep(&ann()).unwrap();
        let again = store.add_rep(&ann()).unwrap_err();
        assert!(matches!(again, StoreError::LoginTaken(login) if login == "ann"));
    }

    #[test]
    fn a_sign_in_token_finds_its_rep_until_it_expires() {
        let (_dir, store) = store();
        let id = store.add_rep(&ann()).unwrap();
        store.add_login(b"token", id, 100, 200).unwrap();
        let rep = store.rep_by_login_token(b"token", 150).unwrap().unwrap();
        assert_eq!(
            (rep.id, rep.name.as_str(), rep.admin),
            (id, "Ann Example", true)
        );
        assert_eq!(store.rep_by_login_token(b"token", 200).unwrap(), None);
        assert_eq!(store.rep_by_login_token(b"other", 150).unwrap(), None);
        store.remove_login(b"token").unwrap();
        assert_eq!(store.rep_by_login_token(b"token", 150).unwrap(), None);
    }

    #[test]
    fn a_photo_is_stored_versioned_and_removed() {
        let (_dir, store) = store();
        let id = store.add_rep(&ann()).unwrap();
        let photo = Photo {
            bytes: vec![1, 2, 3],
            content_type: "image/png".into(),
        };
        let url = store.set_photo(id, Some(photo.clone()), 77).unwrap();
        assert_eq!(url, Some(rep_photo_url(id, 77)));
        assert_eq!(store.photo(id).unwrap(), Some(photo));
        store.add_login(b"token", id, 100, 200).unwrap();
        let rep = store.rep_by_login_token(b"token", 150).unwrap().unwrap();
        assert_eq!(rep.photo, url);
        assert_eq!(store.set_photo(id, None, 80).unwrap(), None);
        assert_eq!(store.photo(id).unwrap(), None);
    }
}
