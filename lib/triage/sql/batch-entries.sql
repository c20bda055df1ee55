-- The audit entries of one bulk triage change (their `after` carries its batch id) that the
-- actor made within the last day, with the triage records they changed, locked until the
-- transaction ends: an undo reads what each record was before, and that it still is what the
-- change made it. The day bounds the read to the recent part of the audit trail (index on at).
-- $1 batch id text, $2 actor user id
SELECT a.id AS entry_id, a.action, a.before, a.after, t.id AS triage_id, t.status::text AS status,
       t.owner_id, o.email AS owner_email, t.severity::text AS severity
FROM audit_events a
JOIN triage_records t ON t.id = a.entity_id::int
LEFT JOIN users o ON o.id = t.owner_id
WHERE a.at > now() - interval '1 day'
  AND a.entity_type = 'triage'
  AND a.actor_id = $2::int
  AND a.after ->> 'batch' = $1::text
ORDER BY t.id
FOR UPDATE OF t
