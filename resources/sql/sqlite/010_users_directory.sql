-- veza:additive
-- Veza schema 10 (SQLite): the users directory. Same meaning as
-- postgresql/010_users_directory.sql; see ../README.md.

-- When the user last opened a chat session (kept to the minute), with users.roles then.
ALTER TABLE users ADD COLUMN last_seen_at BIGINT;

-- A user's message count and recent messages, for moderators.
CREATE INDEX idx_messages_sender ON messages (sender_id, created_at);
