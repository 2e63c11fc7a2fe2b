//! SQLite storage: reps and their sign-ins, sessions and their transcripts, and what the admin
//! sets (settings, notices), with the surveys customers leave.
//!
//! One file, `support.db`, in the data folder. WAL mode with `synchronous = NORMAL`: a commit
//! survives the process being killed (the WAL is in the OS's hands once `COMMIT` returns); only
//! an OS crash or power loss may lose the last commits. Each [`Store`] is one connection; the hub
//! owns one for the session log and the HTTP side shares another for accounts.

mod accounts;
mod audit;
mod sessions;
mod site;

use std::path::Path;
use std::sync::LazyLock;

use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};

pub use accounts::{NewRep, Photo, RepAccount};
pub use sessions::{Change, FileRow, LiveSession, NewSession, SessionKey};

/// The schema, in order. Never edit a migration that has shipped; add a new one.
static MIGRATIONS: LazyLock<Migrations<'static>> = LazyLock::new(|| {
    Migrations::new(vec![
        M::up(include_str!("../../migrations/001_initial.sql")),
        M::up(include_str!("../../migrations/002_site.sql")),
        M::up(include_str!("../../migrations/003_live.sql")),
        M::up(include_str!("../../migrations/004_audit.sql")),
        M::up(include_str!("../../migrations/005_resume.sql")),
    ])
});

/// The database file's name inside the data folder.
pub const DB_FILE: &str = "support.db";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot create the data folder {path}: {source}")]
    DataDir {
        path: String,
        source: std::io::Error,
    },
    #[error("database: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("database schema: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("a rep with the login `{0}` exists already")]
    LoginTaken(String),
    #[error("the stored settings cannot be read: {0}")]
    Settings(#[from] serde_json::Error),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// One connection to the database.
pub struct Store {
    conn: Connection,
}

impl Store {
    /// Opens (creating the folder and the file if needed) and migrates the database.
    pub fn open(data_dir: &Path) -> Result<Store> {
        std::fs::create_dir_all(data_dir).map_err(|source| StoreError::DataDir {
            path: data_dir.display().to_string(),
            source,
        })?;
        let mut conn = Connection::open(data_dir.join(DB_FILE))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        // The hub and the HTTP side write through separate connections; wait, don't fail.
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        MIGRATIONS.to_latest(&mut conn)?;
        Ok(Store { conn })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        MIGRATIONS.validate().unwrap();
    }

    #[test]
    fn opening_twice_keeps_the_data() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("nested/data");
        let store = Store::open(&data).unwrap();
        store
            .add_rep(&NewRep {
                login: "ann".into(),
                name: "Ann".into(),
                password_hash: "x".into(),
                admin: false,
                now: 1,
            })
            .unwrap();
        drop(store);
        let store = Store::open(&data).unwrap();
        assert_eq!(store.rep_count().unwrap(), 1);
    }
}
