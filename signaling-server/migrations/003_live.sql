-- The live session: chat lines other than words, files, handovers and reps' photos.

-- text | link | nudge | file | handover (protocol::MessageKind).
ALTER TABLE messages ADD COLUMN kind TEXT NOT NULL DEFAULT 'text';
ALTER TABLE messages ADD COLUMN file_id INTEGER REFERENCES files (id);

-- A file a customer sent; the bytes are in the data folder's `files/{id}`.
CREATE TABLE files (
    id         INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions (id),
    name       TEXT    NOT NULL,
    size       INTEGER NOT NULL,
    sha256     TEXT    NOT NULL,
    stored_at  INTEGER NOT NULL
);

-- Who handed a session to whom, with the note for the next rep.
CREATE TABLE handovers (
    session_id INTEGER NOT NULL REFERENCES sessions (id),
    from_rep   INTEGER NOT NULL REFERENCES reps (id),
    to_rep     INTEGER NOT NULL REFERENCES reps (id),
    note       TEXT    NOT NULL,
    at         INTEGER NOT NULL
);

ALTER TABLE reps ADD COLUMN photo BLOB;
ALTER TABLE reps ADD COLUMN photo_type TEXT;
-- When the photo was uploaded: the version in its address.
ALTER TABLE reps ADD COLUMN photo_at INTEGER;
