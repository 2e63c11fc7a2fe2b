//! Copies the WAL's pages back into the database file, on a thread of its own.
//!
//! SQLite's automatic checkpoint runs inside the commit that crosses its threshold, and with
//! `synchronous = NORMAL` that is the one commit that waits for fsync: 10 to 60 ms here, on the
//! hub's thread, in front of every request behind it. A passive checkpoint from a connection of
//! its own does the same work without blocking the writer.
//!
//! Under a steady stream of writes a passive checkpoint never catches up with the writer, and
//! the WAL only starts over from its beginning once one has: it grew by gigabytes in the relay
//! benchmark. So once it passes [`RESTART_FRAMES`], the writer itself, between two batches,
//! runs a RESTART checkpoint: it copies the little the passive one left and syncs, and its next
//! commit writes from the WAL's start. Run by the thread instead, RESTART had to wait for the
//! writer's lock and then held it, pausing the hub for 50 to 100 ms each time.
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use rusqlite::Connection;
use tracing::warn;

use super::{Result, StoreError};

/// How often the WAL is copied back.
const EVERY: Duration = Duration::from_millis(100);

/// The WAL's length, in pages, past which the writer restarts it: 128 MiB with the session
/// log's 1 KiB pages.
const RESTART_FRAMES: i64 = 131_072;

/// The checkpoint thread; it stops when this is dropped.
pub struct Checkpointer {
    _stop: mpsc::Sender<()>,
    restart_due: Arc<AtomicBool>,
}

impl Checkpointer {
    pub fn start(db: &Path) -> Result<Checkpointer> {
        let conn = Connection::open(db)?;
        let restart_due = Arc::new(AtomicBool::new(false));
        let due = restart_due.clone();
        let (stop, stopped) = mpsc::channel::<()>();
        std::thread::Builder::new()
            .name("wal-checkpoint".into())
            .spawn(move || {
                while let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(EVERY) {
                    if let Err(e) = passive(&conn, RESTART_FRAMES, &due) {
                        warn!(error = %e, "checkpointing the database failed; trying again");
                    }
                }
            })
            .map_err(StoreError::Thread)?;
        Ok(Checkpointer {
            _stop: stop,
            restart_due,
        })
    }

    /// For the writer, between two transactions: restarts the WAL if it has grown long.
    pub fn restart_if_due(&self, writer: &Connection) {
        if !self.restart_due.load(Ordering::Relaxed) {
            return;
        }
        match restart(writer) {
            Ok(true) => self.restart_due.store(false, Ordering::Relaxed),
            // A passive checkpoint is running: again after the next batch.
            Ok(false) => {}
            Err(e) => warn!(error = %e, "restarting the WAL failed; trying again"),
        }
    }
}

/// Copies what no reader needs without waiting for anyone, and notes in `restart_due` whether
/// the WAL is longer than `restart_frames`.
fn passive(
    conn: &Connection,
    restart_frames: i64,
    restart_due: &AtomicBool,
) -> rusqlite::Result<()> {
    // The row: whether it was blocked, the WAL's length in pages, how many of them were copied.
    let wal_pages: i64 = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |row| row.get(1))?;
    restart_due.store(wal_pages > restart_frames, Ordering::Relaxed);
    Ok(())
}

/// The writer's RESTART checkpoint; false when another checkpoint is running, as it does not
/// wait for that one.
fn restart(writer: &Connection) -> rusqlite::Result<bool> {
    writer.busy_handler(None)?;
    let blocked = writer.query_row("PRAGMA wal_checkpoint(RESTART)", [], |row| {
        row.get::<_, i64>(0)
    });
    writer.busy_handler(Some(super::wait_a_millisecond))?;
    match blocked {
        Ok(blocked) => Ok(blocked == 0),
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy) => Ok(false),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{DB_FILE, Store};

    #[test]
    fn under_a_steady_stream_of_writes_the_wal_starts_over_past_its_limit() {
        let dir = tempfile::tempdir().unwrap();
        let writer = Store::open(dir.path()).unwrap().conn;
        writer.pragma_update(None, "wal_autocheckpoint", 0).unwrap();
        writer
            .busy_handler(Some(crate::store::wait_a_millisecond))
            .unwrap();
        writer
            .execute_batch("CREATE TABLE lines (text TEXT)")
            .unwrap();
        let due = Arc::new(AtomicBool::new(false));
        let checkpointer = Checkpointer {
            _stop: mpsc::channel().0,
            restart_due: due.clone(),
        };
        let writing = std::thread::spawn(move || {
            for _ in 0..20_000 {
                writer
                    .execute("INSERT INTO lines VALUES (?1)", [" ".repeat(900)])
                    .unwrap();
                checkpointer.restart_if_due(&writer);
            }
        });
        let conn = Connection::open(dir.path().join(DB_FILE)).unwrap();
        let mut longest = 0;
        while !writing.is_finished() {
            passive(&conn, 1_000, &due).unwrap();
            let wal_pages: i64 = conn
                .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |row| row.get(1))
                .unwrap();
            longest = longest.max(wal_pages);
            // Still ten times as often as the server's checkpoints: back to back every 2 ms, a
            // loaded machine had the writer's RESTART find one running every time.
            std::thread::sleep(Duration::from_millis(10));
        }
        writing.join().unwrap();
        // Passive checkpoints alone let it grow to a page or more per line: 20,000 and up.
        assert!(longest < 8_000, "the WAL grew to {longest} pages");
    }
}
