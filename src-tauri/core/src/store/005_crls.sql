-- Version 5: certificate revocation lists downloaded from the certificates' CRL distribution
-- points, cached for offline checks. One row per URL (the latest list fetched from it); the
-- list's own signature is checked by the chain checks, against its issuer, each time it is used.
CREATE TABLE crls (
    url          TEXT PRIMARY KEY,
    der          BLOB NOT NULL,
    issuer       TEXT NOT NULL,
    this_update  TEXT NOT NULL,
    next_update  TEXT,
    fetched_at   TEXT NOT NULL
) STRICT;
