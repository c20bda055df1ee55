-- Whether a bulk triage change was already undone (its undo entries carry `undoes`).
-- Read after the records are locked, so of two undos at once the second sees the first.
-- $1 batch id text
SELECT EXISTS (
    SELECT 1 FROM audit_events
    WHERE at > now() - interval '1 day' AND entity_type = 'triage' AND action = 'triage.undo'
      AND after ->> 'undoes' = $1::text
) AS undone
