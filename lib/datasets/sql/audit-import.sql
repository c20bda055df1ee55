-- One import's result in the append-only audit trail: who started it (the user, or the origin
-- for the command line, the demo and scheduled connector pulls), which dataset, which file, what
-- came of it. Run in the import's own transaction, so the entry commits with the import.
INSERT INTO audit_events (actor_id, actor_label, action, entity_type, entity_id, after)
SELECT j.started_by_id,
       coalesce(u.email, j.origin),
       $2,
       'import_job',
       j.id::text,
       jsonb_build_object(
         'datasetId', j.dataset_id,
         'dataset', d.name,
         'origin', j.origin,
         'fileName', j.file_name,
         'status', $3::text,
         'format', $4::text,
         'bytes', $5::bigint,
         'rowsRead', $6::int,
         'rowsInserted', $7::int,
         'rowsDuplicate', $8::int,
         'rowsRejected', $9::int,
         'error', $10::text
       )
  FROM import_jobs j
  JOIN datasets d ON d.id = j.dataset_id
  LEFT JOIN users u ON u.id = j.started_by_id
 WHERE j.id = $1
