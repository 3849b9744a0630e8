-- veza:additive
-- Veza schema 2 (SQLite): chat. Same meaning as postgresql/002_chat.sql; see ../README.md.

-- How a message body is stored. 'text': the server encrypted the plaintext itself
-- (key_id, nonce, body = AES-256-GCM of it). 'e2e': the client sent ciphertext the server
-- cannot read; body holds it byte for byte, key_id and nonce stay NULL, and algorithm and
-- sender_device say how the recipients open it.
ALTER TABLE messages ADD COLUMN content_kind TEXT NOT NULL DEFAULT 'text'
    CHECK (content_kind IN ('text', 'e2e'));
ALTER TABLE messages ADD COLUMN algorithm TEXT;
ALTER TABLE messages ADD COLUMN sender_device TEXT;

-- Resume by (room_id, seq) needs no index of its own: the UNIQUE (room_id, seq) constraint
-- of schema 1 is one. Purging a sender's recent messages (room_id, created_at >= since,
-- not deleted) is served by the partial index idx_messages_room_created of schema 1.

-- One row per (message, user, emoji). Keyed by (room_id, seq), the message's identity in the
-- protocol; the reference to UNIQUE (room_id, seq) removes reactions with their room.
CREATE TABLE reactions (
    room_id BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    emoji TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (room_id, seq, user_id, emoji),
    FOREIGN KEY (room_id, seq) REFERENCES messages (room_id, seq) ON DELETE CASCADE
);
