//! SQLite storage: reps and their sign-ins, sessions and their transcripts, and what the admin
//! sets (settings, notices), with the surveys customers leave.
//!
//! One file, `support.db`, in the data folder. WAL mode with `synchronous = NORMAL`: a commit
//! survives the process being killed (the WAL is in the OS's hands once `COMMIT` returns); only
//! an OS crash or power loss may lose the last commits. Each [`Store`] is one connection; the hub
//! owns one as its [`SessionLog`], the only one that records sessions, and the HTTP side shares
//! another for accounts.
//!
//! The hub commits in batches (group commit): everything it decided while a burst of requests
//! waited goes to the log in one transaction, before any of them is answered.

mod accounts;
mod audit;
mod checkpoint;
mod log;
mod reports;
mod sessions;
mod site;

use std::path::Path;
use std::sync::LazyLock;

use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};

pub use accounts::{NewRep, Photo};
pub use log::SessionLog;
pub use reports::RecordingRow;
pub use sessions::FileRow;

/// The schema, in order. Never edit a migration that has shipped; add a new one.
static MIGRATIONS: LazyLock<Migrations<'static>> = LazyLock::new(|| {
    Migrations::new(vec![
        M::up(include_str!("../../migrations/001_initial.sql")),
        M::up(include_str!("../../migrations/002_site.sql")),
        M::up(include_str!("../../migrations/003_live.sql")),
        M::up(include_str!("../../migrations/004_audit.sql")),
        M::up(include_str!("../../migrations/005_resume.sql")),
        M::up(include_str!("../../migrations/006_nonce_index.sql")),
        M::up(include_str!("../../migrations/007_recordings.sql")),
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
    #[error("the database rolled the batch back; none of it is stored")]
    BatchLost,
    #[error("cannot start the checkpoint thread: {0}")]
    Thread(std::io::Error),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// One connection to the database, for reading and for what the HTTP side writes (reps and
/// their sign-ins). Sessions, messages, settings and notices are written through the hub's
/// [`SessionLog`] only.
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
        // Takes effect only on a new file. Each chat line lands on a page of its own session's,
        // and the WAL takes the whole page for it: small pages, fewer bytes written per line.
        conn.pragma_update(None, "page_size", 1024)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        // The hub and the HTTP side write through separate connections; wait, don't fail.
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        MIGRATIONS.to_latest(&mut conn)?;
        Ok(Store { conn })
    }
}

/// The hub's busy handler: try again after a millisecond, for about five seconds.
fn wait_a_millisecond(tries: i32) -> bool {
    std::thread::sleep(std::time::Duration::from_millis(1));
    tries < 5000
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
