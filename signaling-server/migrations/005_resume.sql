-- A page may send a chat message again after its connection dropped; the nonce it chose
-- makes the message stored once per session however often it arrives.
ALTER TABLE messages ADD COLUMN nonce INTEGER;
CREATE UNIQUE INDEX messages_nonce ON messages (session_id, nonce) WHERE nonce IS NOT NULL;

-- A session that ended because a side's connection dropped and did not come back in time
-- (its end_reason is 'ended': that column's CHECK predates this reason).
ALTER TABLE sessions ADD COLUMN connection_lost INTEGER NOT NULL DEFAULT 0
    CHECK (connection_lost IN (0, 1));
