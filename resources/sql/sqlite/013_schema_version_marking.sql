-- veza:additive
-- Veza schema 13 (SQLite): expand/contract. Same meaning as
-- postgresql/013_schema_version_marking.sql; see ../README.md.

-- Each applied migration's file name and whether it is additive (its marker line): a binary
-- that finds migrations it does not know (a newer release's, after a rollback) runs on them
-- only when all are recorded additive. NULL: applied before schema 13 (the migrator fills in
-- the versions it knows).
ALTER TABLE schema_version ADD COLUMN name TEXT;

ALTER TABLE schema_version ADD COLUMN additive BOOLEAN;
