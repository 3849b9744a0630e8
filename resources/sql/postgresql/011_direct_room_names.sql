-- veza:not-additive
-- Veza schema 11 (PostgreSQL): direct rooms named by their users' public ids. Same meaning as
-- sqlite/011_direct_room_names.sql; see ../README.md.

-- A direct room was named "@direct:<users.id>:<users.id>" (the smaller id first). It becomes
-- "@direct:<name>:<name>": the two users' names (the tokens' `sub`) in the order of their
-- UTF-8 bytes (the "C" collation), each with "\" and ":" escaped by a "\", as
-- ChatRooms::directRoomName() names the rooms it creates. Only the name changes: the room keeps
-- its id, so its members, messages (sealed with the room id, not its name), reactions, read
-- positions and moderation rows stay with it.

-- First every old name is set aside as "@direct::<id>:<id>", which is neither an old name nor
-- a new one (a new name's first id is never empty), so no new name below can meet, in the
-- UNIQUE index, a name still waiting for its turn.
UPDATE rooms SET name = '@direct::' || substr(name, 9)
WHERE kind = 'direct' AND substr(name, 1, 8) = '@direct:';

-- chr(92) is "\" (whatever standard_conforming_strings says). The ids are the third and the
-- fourth ":"-separated parts; a name that is not two numbers is left for the last step.
UPDATE rooms SET name = COALESCE((
    SELECT '@direct:'
        || replace(replace(CASE WHEN a.name COLLATE "C" < b.name COLLATE "C" THEN a.name
                                ELSE b.name END,
                           chr(92), chr(92) || chr(92)), ':', chr(92) || ':')
        || ':'
        || replace(replace(CASE WHEN a.name COLLATE "C" < b.name COLLATE "C" THEN b.name
                                ELSE a.name END,
                           chr(92), chr(92) || chr(92)), ':', chr(92) || ':')
    FROM users a, users b
    WHERE a.id = CAST(split_part(rooms.name, ':', 3) AS BIGINT)
    AND b.id = CAST(split_part(rooms.name, ':', 4) AS BIGINT)
    AND a.id <> b.id
), name)
WHERE kind = 'direct' AND name ~ '^@direct::[0-9]{1,18}:[0-9]{1,18}$';

-- A room whose users could not be found (none should exist) gets its old name back.
UPDATE rooms SET name = '@direct:' || substr(name, 10)
WHERE kind = 'direct' AND substr(name, 1, 9) = '@direct::';
