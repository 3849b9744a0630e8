-- veza:additive
-- Veza schema 12 (SQLite): why a broadcast ended. Same meaning as
-- postgresql/012_stream_session_end_reason.sql; see ../README.md.

-- source_left (the source did not come back within STREAM_SOURCE_GRACE_S), deleted (the stream
-- was deleted while live), shutdown (the server stopped; its listeners heard the end),
-- interrupted (left open by a server that did not stop cleanly; closed when the next broadcast
-- of the stream began). NULL while live, and for the broadcasts that ended before schema 12.
ALTER TABLE stream_sessions ADD COLUMN end_reason TEXT;
