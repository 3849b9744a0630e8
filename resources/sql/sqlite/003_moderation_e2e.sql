-- veza:additive
-- Veza schema 3 (SQLite): moderation by people and end-to-end key distribution.
-- Same meaning as postgresql/003_moderation_e2e.sql; see ../README.md.
-- Timestamps: BIGINT milliseconds since the Unix epoch, UTC.

-- Per-room moderators, granted by a person (kept as the audit trail's "who").
CREATE TABLE room_moderators (
    room_id BIGINT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    granted_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (room_id, user_id)
);

CREATE INDEX idx_room_moderators_user ON room_moderators (user_id);

-- Sanctions in force: room_id NULL is global, until_ms NULL is permanent. Expired rows are
-- ignored by readers and pruned later. One row per (user, scope, kind): a new ban or timeout
-- replaces the previous one in the same scope.
CREATE TABLE sanctions (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('ban', 'timeout')),
    room_id BIGINT REFERENCES rooms (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    until_ms BIGINT,
    actor_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    reason TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);

-- COALESCE: a global sanction (NULL room) must conflict with another global one, and NULLs
-- are distinct in unique indexes. Room ids start at 1, so 0 never names a room. This index
-- also answers "is this user sanctioned in this room now" (user_id, scope IN (room, 0)).
CREATE UNIQUE INDEX idx_sanctions_active ON sanctions (user_id, (COALESCE(room_id, 0)), kind);

-- The moderation log is listed per room, newest first.
CREATE INDEX idx_moderation_room ON moderation_actions (room_id, id);

-- E2E: the server stores public keys only. device_id is chosen by the client.
CREATE TABLE devices (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    device_id TEXT NOT NULL,
    identity_key BLOB NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, device_id)
);

-- One-time prekeys; a claimed key is marked, not deleted, so its key_id is never reused.
CREATE TABLE one_time_prekeys (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL,
    device_id TEXT NOT NULL,
    key_id BIGINT NOT NULL,
    public_key BLOB NOT NULL,
    claimed_at BIGINT,
    FOREIGN KEY (user_id, device_id) REFERENCES devices (user_id, device_id) ON DELETE CASCADE,
    UNIQUE (user_id, device_id, key_id)
);

CREATE INDEX idx_prekeys_unclaimed ON one_time_prekeys (user_id, device_id, id)
    WHERE claimed_at IS NULL;
