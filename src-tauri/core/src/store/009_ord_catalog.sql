-- Version 9: the ORD's catalogue kept locally. Contracts (whose kind and parent came in version 7)
-- carry the executor's INN and role, and where they came
-- from (ord | csv | manual); statistics carry the initial contract the ORD names and their source.
ALTER TABLE ord_contracts ADD COLUMN executor_inn TEXT NOT NULL DEFAULT '';
ALTER TABLE ord_contracts ADD COLUMN executor_role TEXT NOT NULL DEFAULT '';
ALTER TABLE ord_contracts ADD COLUMN source TEXT NOT NULL DEFAULT 'manual';
CREATE INDEX ord_contracts_ord_id ON ord_contracts(ord_id);
ALTER TABLE act_statistics ADD COLUMN initial_contract TEXT NOT NULL DEFAULT '';
ALTER TABLE act_statistics ADD COLUMN source TEXT NOT NULL DEFAULT 'manual';
-- A notification about an act (the register's rejection): the act and the errors per field, so the
-- window says it in the user's language and opens the act on the field named.
ALTER TABLE notifications ADD COLUMN act_id INTEGER REFERENCES acts(id);
ALTER TABLE notifications ADD COLUMN act_errors TEXT;
