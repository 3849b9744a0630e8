-- veza:not-additive
-- Veza schema 4 (SQLite): live streams. Same meaning as postgresql/004_streams.sql; see
-- ../README.md. Timestamps: BIGINT milliseconds since the Unix epoch, UTC.

-- Schema 1 created streams and stream_sessions without soft delete and with a plain UNIQUE
-- name. A deleted stream's name must be creatable again, so uniqueness moves to a partial
-- index over the rows that are not deleted. SQLite cannot drop a constraint: both tables are
-- rebuilt (with foreign_keys=ON, dropping streams first would cascade into its sessions, so
-- the sessions move to their new table before the old ones go).
CREATE TABLE streams_v4 (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    owner_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    genre TEXT NOT NULL DEFAULT '',
    is_public BOOLEAN NOT NULL DEFAULT TRUE,
    key_hash TEXT NOT NULL,
    key_created_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    deleted_at BIGINT
);

INSERT INTO streams_v4 (id, name, owner_id, title, description, genre, is_public, key_hash,
                        key_created_at, created_at, updated_at)
    SELECT id, name, owner_id, title, description, genre, public, COALESCE(key_hash, ''),
           created_at, created_at, created_at
    FROM streams;

CREATE TABLE stream_sessions_v4 (
    id INTEGER PRIMARY KEY,
    stream_id BIGINT NOT NULL REFERENCES streams_v4 (id) ON DELETE CASCADE,
    started_at BIGINT NOT NULL,
    ended_at BIGINT,
    peak_listeners INTEGER NOT NULL DEFAULT 0,
    bytes_in BIGINT NOT NULL DEFAULT 0,
    bytes_out BIGINT NOT NULL DEFAULT 0
);

-- No session is live while the server migrates: one left open ends where it started.
INSERT INTO stream_sessions_v4 (id, stream_id, started_at, ended_at, peak_listeners, bytes_in)
    SELECT id, stream_id, started_at, COALESCE(ended_at, started_at), peak_listeners, bytes_in
    FROM stream_sessions;

DROP TABLE stream_sessions;

DROP TABLE streams;

-- Renaming also rewrites the reference of stream_sessions_v4 to the new name.
ALTER TABLE streams_v4 RENAME TO streams;

ALTER TABLE stream_sessions_v4 RENAME TO stream_sessions;

-- A name is unique among the streams that are not deleted.
CREATE UNIQUE INDEX idx_streams_live_name ON streams (name) WHERE deleted_at IS NULL;

CREATE INDEX idx_streams_owner ON streams (owner_id) WHERE deleted_at IS NULL;

CREATE INDEX idx_stream_sessions_stream ON stream_sessions (stream_id, started_at);

-- A mount has one source at a time: at most one open session per stream.
CREATE UNIQUE INDEX idx_stream_sessions_open ON stream_sessions (stream_id)
    WHERE ended_at IS NULL;
