-- Version 3: advertising acts for the Russian register (ERIR) through the ORD, the statistics
-- linked to their allocations, the known contracts, and the Russian VAT rates by date.

-- An act; its fields as entered (acts::ActDraft, JSON) plus the columns lists sort and filter on.
-- Amounts are roubles in kopecks: tenge never enters this table.
CREATE TABLE acts (
    id               INTEGER PRIMARY KEY,
    external_id      TEXT NOT NULL UNIQUE,
    body             TEXT NOT NULL,
    contract         TEXT NOT NULL,
    number           TEXT NOT NULL,
    date             TEXT NOT NULL,
    amount           INTEGER,
    currency         TEXT NOT NULL DEFAULT 'RUB' CHECK (currency = 'RUB'),
    document_id      INTEGER REFERENCES documents(id),
    -- local (never sent) | draft | processing | accepted | rejected: the register's word.
    register_status  TEXT NOT NULL DEFAULT 'local',
    submissions      INTEGER NOT NULL DEFAULT 0,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
) STRICT;
CREATE INDEX acts_date ON acts(date, id);
CREATE INDEX acts_document ON acts(document_id);
-- Acts are never deleted: the register keeps them; a deletion is a request to the ORD.
CREATE TRIGGER acts_no_delete BEFORE DELETE ON acts
BEGIN SELECT RAISE(ABORT, 'acts are never deleted; request a deletion instead'); END;

-- The register's last answer, one row per field it named.
CREATE TABLE act_register_errors (
    act_id   INTEGER NOT NULL REFERENCES acts(id),
    field    TEXT NOT NULL,
    message  TEXT NOT NULL
) STRICT;
CREATE INDEX act_register_errors_act ON act_register_errors(act_id);

CREATE TABLE act_deletion_requests (
    id               INTEGER PRIMARY KEY,
    act_id           INTEGER NOT NULL REFERENCES acts(id),
    reason           TEXT NOT NULL,
    idempotency_key  TEXT NOT NULL UNIQUE,
    remote_id        TEXT,
    created_at       TEXT NOT NULL,
    sent_at          TEXT
) STRICT;

-- Statistics of a creative, linked to one allocation line of an act (or to none yet).
CREATE TABLE act_statistics (
    id           TEXT PRIMARY KEY,
    creative     TEXT NOT NULL,
    platform     TEXT NOT NULL,
    impressions  INTEGER NOT NULL CHECK (impressions >= 0),
    amount       INTEGER NOT NULL,
    first_shown  TEXT NOT NULL,
    deadline     TEXT NOT NULL,
    act_id       INTEGER REFERENCES acts(id),
    allocation   INTEGER,
    created_at   TEXT NOT NULL,
    CHECK ((act_id IS NULL) = (allocation IS NULL))
) STRICT;
CREATE INDEX act_statistics_act ON act_statistics(act_id, allocation);
CREATE INDEX act_statistics_deadline ON act_statistics(deadline);

-- Contracts the user knows: where an initial contract is looked up.
CREATE TABLE ord_contracts (
    id             INTEGER PRIMARY KEY,
    ord_id         TEXT NOT NULL DEFAULT '',
    number         TEXT NOT NULL,
    date           TEXT NOT NULL DEFAULT '',
    customer_name  TEXT NOT NULL,
    customer_inn   TEXT NOT NULL DEFAULT '',
    customer_role  TEXT NOT NULL,
    executor_name  TEXT NOT NULL DEFAULT ''
) STRICT;

-- Russian VAT by act date (425-FZ of 28.11.2025: 22% from 2026-01-01). A table, not a constant.
INSERT OR IGNORE INTO settings (key, value) VALUES
    ('ru_vat_rates', '[{"from":"2019-01-01","percent":20},{"from":"2026-01-01","percent":22}]');
