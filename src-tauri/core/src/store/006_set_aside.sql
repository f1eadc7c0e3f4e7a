-- Version 6: documents the operator named that could not be taken (a file under a wrong SHA-256,
-- over a limit, unparseable, an id another server already holds). Each is kept here with its
-- reason, retried on later syncs and never blocks the documents after it or the cursor.
CREATE TABLE set_aside (
    account      TEXT NOT NULL,
    operator_id  TEXT NOT NULL,
    code         TEXT NOT NULL,
    reason       TEXT NOT NULL,
    attempts     INTEGER NOT NULL,
    first_at     TEXT NOT NULL,
    last_at      TEXT NOT NULL,
    PRIMARY KEY (account, operator_id)
) STRICT;
