-- veza:additive
-- Veza schema 14 (PostgreSQL): who created each room, for ROOMS_PER_USER_PER_HOUR. Same meaning as
-- sqlite/014_room_creators.sql; see ../README.md.

-- users.id of the user whose create_room (or first join of a public room) created the room;
-- NULL for direct rooms and for rooms created before schema 14.
ALTER TABLE rooms ADD COLUMN created_by BIGINT;

CREATE INDEX idx_rooms_created_by ON rooms (created_by, created_at);
