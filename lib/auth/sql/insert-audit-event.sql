-- One entry of the append-only audit trail, written on the connection of the change it records
-- (inside that change's transaction), for changes made with SQL rather than Prisma.
-- $1 actor's user id (NULL: a system actor), $2 actor label, $3 action, $4 entity type,
-- $5 entity id, $6 before (jsonb or NULL), $7 after (jsonb or NULL)
INSERT INTO audit_events (actor_id, actor_label, action, entity_type, entity_id, before, after)
VALUES ($1::int, $2, $3, $4, $5::text, $6::jsonb, $7::jsonb)
