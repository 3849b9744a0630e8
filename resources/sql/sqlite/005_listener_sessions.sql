-- veza:additive
-- Veza schema 5 (SQLite): listener sessions. Same meaning as
-- postgresql/005_listener_sessions.sql; see ../README.md. Timestamps: BIGINT milliseconds
-- since the Unix epoch, UTC.

-- One row per listener that left a live stream: written in batches (ListenerLog) when the
-- listener's connection ends, for the stream's listening history.
-- kind: http (GET /live/{name}[.ext]) or websocket. rendition: source (the source's own
-- bytes), opus64, opus128, mp3, aac, ... end_reason: left (the client closed), slow (dropped
-- for not keeping up), stream_ended, shutdown (the server stopped). user_agent is cut to 256
-- characters. stream_session_id: the broadcast the listener heard, NULL when unknown.
CREATE TABLE listener_sessions (
    id INTEGER PRIMARY KEY,
    stream_id BIGINT NOT NULL REFERENCES streams (id) ON DELETE CASCADE,
    stream_session_id BIGINT REFERENCES stream_sessions (id) ON DELETE SET NULL,
    kind TEXT NOT NULL,
    rendition TEXT NOT NULL,
    connected_at BIGINT NOT NULL,
    ended_at BIGINT NOT NULL,
    bytes_sent BIGINT NOT NULL DEFAULT 0,
    user_agent TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    end_reason TEXT NOT NULL
);

-- The history is listed per stream, newest first.
CREATE INDEX idx_listener_sessions_stream ON listener_sessions (stream_id, connected_at DESC);
