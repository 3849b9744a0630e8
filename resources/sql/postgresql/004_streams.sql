-- veza:not-additive
-- Veza schema 4 (PostgreSQL): live streams. Same meaning as sqlite/004_streams.sql; see
-- ../README.md. Timestamps: BIGINT milliseconds since the Unix epoch, UTC.

-- Schema 1 created streams and stream_sessions without soft delete and with a plain UNIQUE
-- name. A deleted stream's name must be creatable again, so uniqueness moves to a partial
-- index over the rows that are not deleted.
ALTER TABLE streams DROP CONSTRAINT streams_name_key;

ALTER TABLE streams RENAME COLUMN public TO is_public;

ALTER TABLE streams ADD COLUMN key_created_at BIGINT;

ALTER TABLE streams ADD COLUMN updated_at BIGINT;

ALTER TABLE streams ADD COLUMN deleted_at BIGINT;

UPDATE streams SET key_hash = COALESCE(key_hash, ''), key_created_at = created_at,
    updated_at = created_at;

ALTER TABLE streams ALTER COLUMN key_hash SET NOT NULL,
    ALTER COLUMN key_created_at SET NOT NULL,
    ALTER COLUMN updated_at SET NOT NULL;

ALTER TABLE stream_sessions ADD COLUMN bytes_out BIGINT NOT NULL DEFAULT 0;

-- A name is unique among the streams that are not deleted.
CREATE UNIQUE INDEX idx_streams_live_name ON streams (name) WHERE deleted_at IS NULL;

CREATE INDEX idx_streams_owner ON streams (owner_id) WHERE deleted_at IS NULL;

-- No session is live while the server migrates: one left open ends where it started.
UPDATE stream_sessions SET ended_at = started_at WHERE ended_at IS NULL;

-- A mount has one source at a time: at most one open session per stream.
CREATE UNIQUE INDEX idx_stream_sessions_open ON stream_sessions (stream_id)
    WHERE ended_at IS NULL;
