//! SQLite storage: reps and their sign-ins, sessions and their transcripts, and what the admin
//! sets (settings, notices), with the surveys customers leave.
//!
//! One file, `support.db`, in the data folder. WAL mode with `synchronous = NORMAL`: a commit
//! survives the process being killed (the WAL is in the OS's hands once `COMMIT` returns); only
//! an OS crash or power loss may lose the last commits. Each [`Store`] is one connection; the hub
//! owns one for the session log and the HTTP side shares another for accounts.
//!
//! The hub commits in batches (group commit): everything it decided while a burst of requests
//! waited goes to the log in one transaction, before any of them is answered.

mod accounts;
mod audit;
mod checkpoint;
mod sessions;
mod site;

use std::path::Path;
use std::sync::LazyLock;

use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};

pub use accounts::{NewRep, Photo};
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

/// One connection to the database.
pub struct Store {
    conn: Connection,
    /// Whether [`Store::record`] adds to a batch that [`Store::commit_batch`] commits.
    batch: Batch,
    /// The session log's checkpoints, off the hub's thread; None on other connections.
    checkpointer: Option<checkpoint::Checkpointer>,
}

impl Store {
    /// Opens the hub's connection, which leaves checkpoints to a thread of their own: SQLite's
    /// automatic one would run inside a commit on the hub's thread, fsync included.
    pub fn open_session_log(data_dir: &Path) -> Result<Store> {
        let mut store = Store::open(data_dir)?;
        store.conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        // While the HTTP side writes, look again every millisecond rather than after SQLite's
        // growing sleeps, which overshoot a short wait by as much again.
        store.conn.busy_handler(Some(wait_a_millisecond))?;
        // After a burst, the WAL is cut back to this when it starts over (128 MiB).
        store
            .conn
            .pragma_update(None, "journal_size_limit", 128 << 20)?;
        store.checkpointer = Some(checkpoint::Checkpointer::start(&data_dir.join(DB_FILE))?);
        Ok(store)
    }

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
        Ok(Store {
            conn,
            batch: Batch::Off,
            checkpointer: None,
        })
    }

    /// From now on, changes are recorded into one transaction, opened at the first of them.
    pub fn start_batch(&mut self) {
        self.batch = Batch::Idle;
    }

    /// Commits the batch's changes, if it has any. On failure none of them is stored.
    pub fn commit_batch(&mut self) -> Result<()> {
        match std::mem::replace(&mut self.batch, Batch::Off) {
            Batch::Off | Batch::Idle => Ok(()),
            Batch::Lost => Err(StoreError::BatchLost),
            Batch::Open if self.conn.is_autocommit() => Err(StoreError::BatchLost),
            Batch::Open => {
                let committed = self.conn.execute_batch("COMMIT");
                if committed.is_err() && !self.conn.is_autocommit() {
                    // End it, so that the next batch starts clean.
                    let _ = self.conn.execute_batch("ROLLBACK");
                }
                committed?;
                if let Some(checkpointer) = &self.checkpointer {
                    checkpointer.restart_if_due(&self.conn);
                }
                Ok(())
            }
        }
    }

    /// Where a change is written: a savepoint, inside the batch's transaction when one is open.
    fn writer(&mut self) -> Result<rusqlite::Savepoint<'_>> {
        match self.batch {
            Batch::Off => {}
            Batch::Idle => {
                // IMMEDIATE: take the write lock now (waiting out the HTTP side's writes)
                // rather than fail later upgrading a read.
                self.conn.execute_batch("BEGIN IMMEDIATE")?;
                self.batch = Batch::Open;
            }
            // After some errors (a full disk, say) SQLite rolls back the whole transaction.
            Batch::Open if self.conn.is_autocommit() => {
                self.batch = Batch::Lost;
                return Err(StoreError::BatchLost);
            }
            Batch::Open => {}
            Batch::Lost => return Err(StoreError::BatchLost),
        }
        Ok(self.conn.savepoint()?)
    }
}

/// The hub's busy handler: try again after a millisecond, for about five seconds.
fn wait_a_millisecond(tries: i32) -> bool {
    std::thread::sleep(std::time::Duration::from_millis(1));
    tries < 5000
}

/// Where a [`Store`] is with group commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Batch {
    /// Each change commits on its own.
    Off,
    /// Batching, nothing written yet.
    Idle,
    /// The batch's transaction is open.
    Open,
    /// SQLite rolled the batch's transaction back; it cannot be committed.
    Lost,
}

/// Makes commits fail while the returned flag is set, as a full or failing disk would (which
/// cannot be had here): SQLite's commit hook turns the COMMIT into a rollback.
#[cfg(test)]
impl Store {
    pub fn failing_commits(&mut self) -> std::sync::Arc<std::sync::atomic::AtomicBool> {
        let fail = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = fail.clone();
        self.conn
            .commit_hook(Some(move || flag.load(std::sync::atomic::Ordering::SeqCst)))
            .expect("installing a commit hook");
        fail
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
