-- Version 7: what the ORD's page shows of contracts and acts.
-- A supplementary agreement is a contract of its own in the ORD, picked under its contract.
ALTER TABLE ord_contracts ADD COLUMN kind TEXT NOT NULL DEFAULT 'contract'
    CHECK (kind IN ('contract', 'supplementary_agreement'));
-- The ORD id (or number) of the contract a supplementary agreement belongs to; '' for a contract.
ALTER TABLE ord_contracts ADD COLUMN parent_id TEXT NOT NULL DEFAULT '';
-- The register's version of the act (`version` in its answers): an accepted act edited and sent
-- again becomes version 2, 3, ...; NULL until the ORD has answered.
ALTER TABLE acts ADD COLUMN register_version INTEGER;
-- 1 while a registered (accepted) act has a change — fields or linked statistics — not yet sent
-- to the ORD: it is sent with the next submission, never left local.
ALTER TABLE acts ADD COLUMN unsent_change INTEGER NOT NULL DEFAULT 0;
