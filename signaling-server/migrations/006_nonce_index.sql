-- A message's nonce is checked in memory (the live sessions' nonces are read back at start-up
-- by the primary key's session prefix); the index only cost a second page written at a random
-- place for every chat line.
DROP INDEX messages_nonce;
