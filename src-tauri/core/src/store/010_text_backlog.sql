-- Version 10: the search text past a document's head. A sync or an import indexes the head (the
-- first 4,096 characters, cut at a word boundary) with the document and keeps the rest here; the
-- background indexer adds it to the document's search row in batches and deletes it here in the
-- same transaction, so a crash or a quit in between loses nothing and the indexer resumes.
-- `tail` is the rest of the text, or NULL when only the head was read (a sync reads the first
-- pages of a long PDF): the indexer then reads the main file's text again, whole.
-- `reason` (before the long `tail`, so counting reads no overflow pages) is set when the text
-- could not be indexed: the row is then kept aside with why, and the rest go on.
CREATE TABLE text_backlog (
    document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    reason      TEXT,
    failed_at   TEXT,
    tail        TEXT
) STRICT;
CREATE INDEX text_backlog_waiting ON text_backlog(reason);
