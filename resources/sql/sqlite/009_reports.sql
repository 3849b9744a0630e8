-- veza:additive
-- Veza schema 9 (SQLite): reports and the review queue. Same meaning as
-- postgresql/009_reports.sql; see ../README.md.

-- A reported message, as the queue keeps it: the message's stored body is copied (sealed as the
-- message row is, with its key id and nonce), so moderators still read it after its author
-- deletes it. `source` is who filed it: 'user' today, an automatic moderation later.
CREATE TABLE reports (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL DEFAULT 'user',
    reporter_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    room_id BIGINT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    seq BIGINT NOT NULL,
    author_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    reason TEXT NOT NULL,
    details TEXT NOT NULL DEFAULT '',
    content_kind TEXT NOT NULL,
    body BLOB NOT NULL,
    key_id TEXT,
    nonce BLOB,
    created_at BIGINT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
    outcome TEXT,
    note TEXT NOT NULL DEFAULT '',
    resolved_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    resolved_at BIGINT
);

CREATE INDEX idx_reports_status ON reports (status, id);

CREATE INDEX idx_reports_room ON reports (room_id, status, id);
