//! Copies the WAL's pages back into the database file, on a thread of its own.
//!
//! SQLite's automatic checkpoint runs inside the commit that crosses its threshold, and with
//! `synchronous = NORMAL` that is the one commit that waits for fsync: 10 to 60 ms here, on the
//! hub's thread, in front of every request behind it. A passive checkpoint from a connection of
//! its own does the same work without blocking the writer.
//!
//! Under a steady stream of writes a passive checkpoint never catches up with the writer, and
//! the WAL only starts over from its beginning once one has: it grew by gigabytes in the relay
//! benchmark, every frame landing in newly allocated file blocks. So once it passes
//! [`RESTART_FRAMES`], a RESTART checkpoint holds the writer back for the little the passive one
//! left, and the next commit writes from the WAL's start again.

use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use rusqlite::Connection;
use tracing::warn;

use super::{Result, StoreError};

/// How often the WAL is copied back.
const EVERY: Duration = Duration::from_millis(100);

/// The WAL's length, in pages, past which the writer is briefly held back so that it can start
/// over: 128 MiB with the session log's 1 KiB pages. Seldom enough that the pause (tens of ms
/// here, mostly the sync) comes every few seconds at full load, and seldom at a real desk's.
const RESTART_FRAMES: i64 = 131072;

/// The checkpoint thread; it stops when this is dropped.
pub struct Checkpointer {
    _stop: mpsc::Sender<()>,
}

impl Checkpointer {
    pub fn start(db: &Path) -> Result<Checkpointer> {
        let conn = Connection::open(db)?;
        conn.busy_handler(Some(super::wait_a_millisecond))?;
        let (stop, stopped) = mpsc::channel::<()>();
        std::thread::Builder::new()
            .name("wal-checkpoint".into())
            .spawn(move || {
                while let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(EVERY) {
                    if let Err(e) = checkpoint(&conn, RESTART_FRAMES) {
                        warn!(error = %e, "checkpointing the database failed; trying again");
                    }
                }
            })
            .map_err(StoreError::Thread)?;
        Ok(Checkpointer { _stop: stop })
    }
}

/// Copies what it can without waiting; restarts the WAL once it is longer than `restart_frames`.
fn checkpoint(conn: &Connection, restart_frames: i64) -> rusqlite::Result<()> {
    // The row: whether it was blocked, the WAL's length in pages, how many of them were copied.
    let wal_pages: i64 = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |row| row.get(1))?;
    if wal_pages > restart_frames {
        // Little is left to copy now, so the writer is held back mostly for the sync.
        conn.query_row("PRAGMA wal_checkpoint(RESTART)", [], |_| Ok(()))?;
    }
    Ok(())
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
            .execute_batch("CREATE TABLE lines (text TEXT)")
            .unwrap();
        let writing = std::thread::spawn(move || {
            for _ in 0..20_000 {
                writer
                    .execute("INSERT INTO lines VALUES (?1)", [" ".repeat(900)])
                    .unwrap();
            }
        });
        let conn = Connection::open(dir.path().join(DB_FILE)).unwrap();
        conn.busy_handler(Some(crate::store::wait_a_millisecond))
            .unwrap();
        let mut longest = 0;
        while !writing.is_finished() {
            checkpoint(&conn, 1_000).unwrap();
            let wal_pages: i64 = conn
                .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |row| row.get(1))
                .unwrap();
            longest = longest.max(wal_pages);
            std::thread::sleep(Duration::from_millis(2));
        }
        writing.join().unwrap();
        // Passive checkpoints alone let it grow to a page or more per line: 20,000 and up.
        assert!(longest < 8_000, "the WAL grew to {longest} pages");
    }
}
