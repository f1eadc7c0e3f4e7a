-- Version 1 of Qoltanba's store: documents, blobs, signatures, outbox, history.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- File contents, stored once by SHA-256.
CREATE TABLE blobs (
    sha256 TEXT PRIMARY KEY,
    size   INTEGER NOT NULL,
    bytes  BLOB NOT NULL
) STRICT;

CREATE TABLE documents (
    id                        INTEGER PRIMARY KEY,
    operator_id               TEXT UNIQUE,
    origin                    TEXT NOT NULL,
    kind                      TEXT NOT NULL,
    number                    TEXT,
    date                      TEXT,
    title                     TEXT NOT NULL,
    period_from               TEXT,
    period_to                 TEXT,
    sender_bin                TEXT,
    sender_name               TEXT,
    recipient_bin             TEXT,
    recipient_name            TEXT,
    amount                    INTEGER,
    vat_amount                INTEGER,
    currency                  TEXT NOT NULL DEFAULT 'KZT',
    correction_of             INTEGER REFERENCES documents(id),
    correction_of_number      TEXT,
    correction_of_operator_id TEXT,
    status                    TEXT NOT NULL,
    decision                  TEXT,
    reject_reason             TEXT,
    content_sha256            TEXT NOT NULL REFERENCES blobs(sha256),
    received_at               TEXT NOT NULL,
    received_ms               INTEGER NOT NULL,
    updated_at                TEXT NOT NULL
) STRICT;
CREATE INDEX documents_status ON documents(status, id);
CREATE INDEX documents_content ON documents(content_sha256);
CREATE INDEX documents_kind ON documents(kind, id);
CREATE INDEX documents_sender ON documents(sender_bin);
CREATE INDEX documents_date ON documents(date);
CREATE INDEX documents_number ON documents(number, kind);
-- Corrections that arrived before their original wait here to be linked.
CREATE INDEX documents_correction_pending ON documents(correction_of_operator_id)
    WHERE correction_of IS NULL AND correction_of_operator_id IS NOT NULL;

CREATE TABLE attachments (
    document_id   INTEGER NOT NULL REFERENCES documents(id),
    attachment_id TEXT NOT NULL,
    role          TEXT NOT NULL,
    file_name     TEXT NOT NULL,
    mime_type     TEXT NOT NULL,
    size          INTEGER NOT NULL,
    sha256        TEXT NOT NULL REFERENCES blobs(sha256),
    PRIMARY KEY (document_id, attachment_id)
) STRICT;

-- Signatures: our own (made here) and the sender's (arrived with the document).
CREATE TABLE signatures (
    id             INTEGER PRIMARY KEY,
    document_id    INTEGER NOT NULL REFERENCES documents(id),
    party          TEXT NOT NULL CHECK (party IN ('own', 'sender')),
    attachment_id  TEXT,
    signed_sha256  TEXT NOT NULL,
    cms            BLOB NOT NULL,
    signer         TEXT,
    verdict        TEXT,
    verified_at    TEXT,
    created_at     TEXT NOT NULL
) STRICT;
CREATE INDEX signatures_document ON signatures(document_id);

-- Decisions waiting to reach the operator; the idempotency key makes a resend harmless.
CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY,
    document_id      INTEGER NOT NULL REFERENCES documents(id),
    kind             TEXT NOT NULL CHECK (kind IN ('signature', 'rejection')),
    idempotency_key  TEXT NOT NULL UNIQUE,
    payload          TEXT NOT NULL,
    state            TEXT NOT NULL DEFAULT 'pending',
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT,
    receipt_id       TEXT,
    last_error       TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
) STRICT;
CREATE INDEX outbox_state ON outbox(state, id);

CREATE TABLE sync_cursor (
    account TEXT PRIMARY KEY,
    cursor  TEXT,
    synced_at TEXT
) STRICT;

CREATE TABLE notifications (
    id          INTEGER PRIMARY KEY,
    category    TEXT NOT NULL,
    document_id INTEGER REFERENCES documents(id),
    message     TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    read_at     TEXT
) STRICT;

-- Append-only, hash-chained history of every change.
CREATE TABLE history (
    seq         INTEGER PRIMARY KEY,
    subject     TEXT NOT NULL,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    from_status TEXT,
    to_status   TEXT,
    reason      TEXT,
    detail      TEXT NOT NULL,
    prev_mac    TEXT NOT NULL,
    mac         TEXT NOT NULL
) STRICT;
CREATE INDEX history_subject ON history(subject, seq);
CREATE TRIGGER history_no_update BEFORE UPDATE ON history
BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
CREATE TRIGGER history_no_delete BEFORE DELETE ON history
BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;

