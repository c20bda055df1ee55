-- One rule change in the append-only audit trail, written in the change's own transaction so
-- that the entry commits with the change (and a change rolled back leaves none).
-- $1 actor id, $2 actor label, $3 action, $4 rule id, $5 before jsonb (NULL: created), $6 after jsonb (NULL: deleted)
INSERT INTO audit_events (actor_id, actor_label, action, entity_type, entity_id, before, after)
VALUES ($1::int, $2::text, $3::text, 'suppression', $4::text, $5::jsonb, $6::jsonb)
