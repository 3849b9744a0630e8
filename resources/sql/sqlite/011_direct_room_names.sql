-- veza:not-additive
-- Veza schema 11 (SQLite): direct rooms named by their users' public ids. Same meaning as
-- postgresql/011_direct_room_names.sql; see ../README.md.

-- A direct room was named "@direct:<users.id>:<users.id>" (the smaller id first). It becomes
-- "@direct:<name>:<name>": the two users' names (the tokens' `sub`) in the order of their
-- UTF-8 bytes (SQLite's BINARY collation), each with "\" and ":" escaped by a "\", as
-- ChatRooms::directRoomName() names the rooms it creates. Only the name changes: the room keeps
-- its id, so its members, messages (sealed with the room id, not its name), reactions, read
-- positions and moderation rows stay with it.

-- First every old name is set aside as "@direct::<id>:<id>", which is neither an old name nor
-- a new one (a new name's first id is never empty), so no new name below can meet, in the
-- UNIQUE index, a name still waiting for its turn.
UPDATE rooms SET name = '@direct::' || substr(name, 9)
WHERE kind = 'direct' AND substr(name, 1, 8) = '@direct:';

-- char(92) is "\". The ids sit between the second and the third ":".
UPDATE rooms SET name = COALESCE((
    SELECT '@direct:'
        || replace(replace(CASE WHEN a.name < b.name THEN a.name ELSE b.name END,
                           char(92), char(92) || char(92)), ':', char(92) || ':')
        || ':'
        || replace(replace(CASE WHEN a.name < b.name THEN b.name ELSE a.name END,
                           char(92), char(92) || char(92)), ':', char(92) || ':')
    FROM users a, users b
    WHERE a.id = CAST(substr(rooms.name, 10, instr(substr(rooms.name, 10), ':') - 1) AS INTEGER)
    AND b.id = CAST(substr(rooms.name, 10 + instr(substr(rooms.name, 10), ':')) AS INTEGER)
    AND a.id <> b.id
), name)
WHERE kind = 'direct' AND substr(name, 1, 9) = '@direct::';

-- A room whose users could not be found (none should exist) gets its old name back.
UPDATE rooms SET name = '@direct:' || substr(name, 10)
WHERE kind = 'direct' AND substr(name, 1, 9) = '@direct::';
