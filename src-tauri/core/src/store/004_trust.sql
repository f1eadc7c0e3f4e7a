-- Version 4: the trust store, certificates the user trusts as anchors of signature chains
-- (NCA's root and CA certificates, or test CAs). Keyed by the SHA-256 of the DER.
CREATE TABLE trusted_certificates (
    id          INTEGER PRIMARY KEY,
    sha256      TEXT NOT NULL UNIQUE,
    subject     TEXT NOT NULL,
    not_after   TEXT NOT NULL,
    der         BLOB NOT NULL,
    added_at    TEXT NOT NULL
);
