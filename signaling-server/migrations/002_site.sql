-- What the customer's way in needs: the site's settings, notices, session keys, the answers a
-- customer gives (language, recording consent, exit survey), and why a session ended.
ALTER TABLE reps ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;

ALTER TABLE sessions ADD COLUMN lang TEXT NOT NULL DEFAULT 'en';
-- The answer to the recording prompt and when it was given; NULL when it was not asked.
ALTER TABLE sessions ADD COLUMN recording INTEGER;
ALTER TABLE sessions ADD COLUMN recording_at INTEGER;
-- The rep whose session key brought the customer.
ALTER TABLE sessions ADD COLUMN for_rep INTEGER REFERENCES reps (id);
ALTER TABLE sessions ADD COLUMN end_reason TEXT
    CHECK (end_reason IN ('ended', 'notice', 'orphaned'));

-- One row: the settings as JSON (protocol::Settings), so a new setting needs no migration.
CREATE TABLE settings (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    json TEXT    NOT NULL
);

CREATE TABLE notices (
    id        INTEGER PRIMARY KEY,
    text_en   TEXT    NOT NULL,
    text_de   TEXT    NOT NULL,
    active    INTEGER NOT NULL,
    automatic INTEGER NOT NULL
);

CREATE TABLE session_keys (
    key        TEXT    PRIMARY KEY,
    rep_id     INTEGER NOT NULL REFERENCES reps (id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_by    INTEGER REFERENCES sessions (id)
) WITHOUT ROWID;

CREATE TABLE surveys (
    session_id INTEGER PRIMARY KEY REFERENCES sessions (id),
    rating     INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    resolved   INTEGER NOT NULL,
    comment    TEXT    NOT NULL,
    at         INTEGER NOT NULL
);
