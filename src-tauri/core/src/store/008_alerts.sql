-- Version 8: which desktop notifications were shown (or passed over because their kind is off),
-- so each is shown once: new documents, documents waiting too long, ERIR deadlines, errors.
CREATE TABLE alerts_shown (
    key       TEXT PRIMARY KEY,
    shown_at  TEXT NOT NULL
) STRICT;
