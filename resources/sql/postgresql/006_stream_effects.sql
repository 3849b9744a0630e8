-- veza:additive
-- Veza schema 6 (PostgreSQL): a stream's effects chain, kept with its definition. Same meaning as
-- sqlite/006_stream_effects.sql; see ../README.md.

-- The settings of PATCH /api/streams/{name}/effects as JSON (the API's form; '{}' = none set):
-- applied to every broadcast of the stream from its start, changed live by the API.
ALTER TABLE streams ADD COLUMN effects TEXT NOT NULL DEFAULT '{}';
