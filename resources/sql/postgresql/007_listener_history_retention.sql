-- veza:additive
-- Veza schema 7 (PostgreSQL): listener history retention. Same meaning as
-- sqlite/007_listener_history_retention.sql; see ../README.md.

-- Listener sessions older than LISTENER_HISTORY_DAYS are deleted, oldest first, a chunk at a
-- time (ListenerLog): this index finds them without reading the whole table.
CREATE INDEX idx_listener_sessions_connected ON listener_sessions (connected_at);
