-- veza:additive
-- Veza schema 1 (SQLite). Same meaning as postgresql/001_initial.sql; see ../README.md.
-- Timestamps: BIGINT milliseconds since the Unix epoch, UTC. Booleans: TRUE/FALSE.

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL DEFAULT '',
    roles TEXT NOT NULL DEFAULT '',
    password_hash TEXT,
    banned BOOLEAN NOT NULL DEFAULT FALSE,
    banned_until BIGINT,
    created_at BIGINT NOT NULL
);

CREATE TABLE rooms (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL DEFAULT 'public' CHECK (kind IN ('public', 'private', 'direct')),
    topic TEXT NOT NULL DEFAULT '',
    slow_mode_s INTEGER NOT NULL DEFAULT 0,
    locked BOOLEAN NOT NULL DEFAULT FALSE,
    e2e BOOLEAN NOT NULL DEFAULT FALSE,
    last_seq BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

CREATE TABLE room_members (
    room_id BIGINT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role TEXT NOT NULL DEFAULT 'member',
    joined_at BIGINT NOT NULL,
    last_read_message_id BIGINT,
    PRIMARY KEY (room_id, user_id)
);

CREATE INDEX idx_room_members_user ON room_members (user_id);

CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    room_id BIGINT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    seq BIGINT NOT NULL,
    sender_id BIGINT NOT NULL REFERENCES users (id),
    client_msg_id TEXT,
    body BLOB NOT NULL,
    key_id TEXT,
    nonce BLOB,
    created_at BIGINT NOT NULL,
    edited_at BIGINT,
    deleted_at BIGINT,
    UNIQUE (room_id, seq),
    UNIQUE (room_id, sender_id, client_msg_id)
);

CREATE INDEX idx_messages_room_created ON messages (room_id, created_at DESC)
    WHERE deleted_at IS NULL;

CREATE TABLE streams (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    owner_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    genre TEXT NOT NULL DEFAULT '',
    public BOOLEAN NOT NULL DEFAULT TRUE,
    key_hash TEXT,
    created_at BIGINT NOT NULL
);

CREATE TABLE stream_sessions (
    id INTEGER PRIMARY KEY,
    stream_id BIGINT NOT NULL REFERENCES streams (id) ON DELETE CASCADE,
    started_at BIGINT NOT NULL,
    ended_at BIGINT,
    peak_listeners INTEGER NOT NULL DEFAULT 0,
    bytes_in BIGINT NOT NULL DEFAULT 0
);

CREATE INDEX idx_stream_sessions_stream ON stream_sessions (stream_id, started_at);

CREATE TABLE moderation_actions (
    id INTEGER PRIMARY KEY,
    actor_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    action TEXT NOT NULL,
    target_user_id BIGINT REFERENCES users (id) ON DELETE CASCADE,
    room_id BIGINT REFERENCES rooms (id) ON DELETE CASCADE,
    reason TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    expires_at BIGINT
);

CREATE INDEX idx_moderation_target ON moderation_actions (target_user_id, created_at);
