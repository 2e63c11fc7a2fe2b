-- Reps, their sign-ins, support sessions and their chat transcripts.
CREATE TABLE reps (
    id            INTEGER PRIMARY KEY,
    login         TEXT    NOT NULL UNIQUE,
    name          TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    admin         INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL
);

-- A signed-in browser: the cookie carries the token, this table only its SHA-256.
CREATE TABLE rep_logins (
    token_hash BLOB    PRIMARY KEY,
    rep_id     INTEGER NOT NULL REFERENCES reps (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE sessions (
    id            INTEGER PRIMARY KEY,
    token_hash    BLOB    NOT NULL UNIQUE,
    customer_name TEXT    NOT NULL,
    problem       TEXT    NOT NULL,
    queued_at     INTEGER NOT NULL,
    rep_id        INTEGER REFERENCES reps (id),
    accepted_at   INTEGER,
    ended_at      INTEGER,
    ended_by      TEXT CHECK (ended_by IN ('customer', 'rep'))
);
CREATE INDEX sessions_live ON sessions (ended_at) WHERE ended_at IS NULL;

CREATE TABLE messages (
    session_id  INTEGER NOT NULL REFERENCES sessions (id),
    seq         INTEGER NOT NULL,
    sender      TEXT    NOT NULL CHECK (sender IN ('customer', 'rep')),
    sender_name TEXT    NOT NULL,
    body        TEXT    NOT NULL,
    sent_at     INTEGER NOT NULL,
    PRIMARY KEY (session_id, seq)
) WITHOUT ROWID;
