-- veza:additive
-- Veza schema 8 (SQLite): moderation that holds. Same meaning as
-- postgresql/008_moderation_holds.sql; see ../README.md.

-- Slow mode counts from the stored time of the member's last message in the room, taken in the
-- same transaction as the message, so parallel sends and reconnects get one turn per interval.
ALTER TABLE room_members ADD COLUMN last_sent_at BIGINT;

-- Every parameter of a moderation action (slow mode seconds, purge minutes and count, lock or
-- unlock...), as a JSON object.
ALTER TABLE moderation_actions ADD COLUMN params TEXT NOT NULL DEFAULT '{}';
