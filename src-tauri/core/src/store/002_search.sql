-- Version 2: search.
-- Full-text index over title, number, counterparty and extracted text (ё folded to е first).
CREATE VIRTUAL TABLE documents_fts USING fts5(
    title, number, counterparty, body,
    tokenize = 'unicode61 remove_diacritics 0'
);
