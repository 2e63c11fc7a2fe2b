-- Recordings of shared screens. The segments live in the data folder's `recordings/<id>/`,
-- sealed with the recording's key; the key is kept here only wrapped by the server's master
-- key, so deleting this row destroys the recording, in backups too.
CREATE TABLE recordings (
    id TEXT PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions (id),
    wrapped_key BLOB NOT NULL,
    started_at INTEGER NOT NULL,
    stopped_at INTEGER,
    duration_ms INTEGER,
    segments INTEGER
);
CREATE INDEX recordings_session ON recordings (session_id);
