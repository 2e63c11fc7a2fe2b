//! The session log: the hub's connection, the only one that records sessions, their messages,
//! settings and notices, in batches (group commit).

use std::path::Path;

use support_core::{Change, Entry};

use super::checkpoint::Checkpointer;
use super::{DB_FILE, Result, Store, StoreError, sessions, wait_a_millisecond};

/// The hub's connection to the database.
pub struct SessionLog {
    store: Store,
    /// Whether [`SessionLog::record`] adds to a batch that [`SessionLog::commit_batch`] commits.
    batch: Batch,
    /// Checkpoints, off the hub's thread.
    checkpointer: Checkpointer,
}

impl SessionLog {
    /// Opens the hub's connection, which leaves checkpoints to a thread of their own: SQLite's
    /// automatic one would run inside a commit on the hub's thread, fsync included.
    pub fn open(data_dir: &Path) -> Result<SessionLog> {
        let store = Store::open(data_dir)?;
        store.conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        // While the HTTP side writes, look again every millisecond rather than after SQLite's
        // growing sleeps, which overshoot a short wait by as much again.
        store.conn.busy_handler(Some(wait_a_millisecond))?;
        // After a burst, the WAL is cut back to this when it starts over (128 MiB).
        store
            .conn
            .pragma_update(None, "journal_size_limit", 128 << 20)?;
        let checkpointer = Checkpointer::start(&data_dir.join(DB_FILE))?;
        Ok(SessionLog {
            store,
            batch: Batch::Off,
            checkpointer,
        })
    }

    /// Stores `change`: committed when this returns, or with the batch when one is open. A
    /// change that fails leaves nothing of itself behind, and the batch's others stand.
    pub fn record(&mut self, change: &Change) -> Result<()> {
        self.record_all(&[Entry::Change(change)])
    }

    /// Stores `entries` together, as [`SessionLog::record`] stores one change: all of them or
    /// none. Sharing is kept in the audit log only.
    pub fn record_all(&mut self, entries: &[Entry<'_>]) -> Result<()> {
        let tx = self.writer()?;
        for entry in entries {
            match entry {
                Entry::Change(change) => sessions::write(&tx, change)?,
                Entry::Sharing(_) => super::audit::append(&tx, *entry)?,
            }
        }
        tx.commit()?;
        Ok(())
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
            Batch::Open if self.store.conn.is_autocommit() => Err(StoreError::BatchLost),
            Batch::Open => {
                let committed = self.store.conn.execute_batch("COMMIT");
                if committed.is_err() && !self.store.conn.is_autocommit() {
                    // End it, so that the next batch starts clean.
                    let _ = self.store.conn.execute_batch("ROLLBACK");
                }
                committed?;
                self.checkpointer.restart_if_due(&self.store.conn);
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
                self.store.conn.execute_batch("BEGIN IMMEDIATE")?;
                self.batch = Batch::Open;
            }
            // After some errors (a full disk, say) SQLite rolls back the whole transaction.
            Batch::Open if self.store.conn.is_autocommit() => {
                self.batch = Batch::Lost;
                return Err(StoreError::BatchLost);
            }
            Batch::Open => {}
            Batch::Lost => return Err(StoreError::BatchLost),
        }
        Ok(self.store.conn.savepoint()?)
    }
}

/// The log reads as any connection does.
impl std::ops::Deref for SessionLog {
    type Target = Store;

    fn deref(&self) -> &Store {
        &self.store
    }
}

/// Where a [`SessionLog`] is with group commit.
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
impl SessionLog {
    pub fn failing_commits(&mut self) -> std::sync::Arc<std::sync::atomic::AtomicBool> {
        let fail = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = fail.clone();
        self.store
            .conn
            .commit_hook(Some(move || flag.load(std::sync::atomic::Ordering::SeqCst)))
            .expect("installing a commit hook");
        fail
    }
}
