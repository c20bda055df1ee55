-- Original records of sign-in events; raw is read as text so key order and duplicate keys stay
-- exactly as stored. $1 event ids bigint[]
SELECT id, dataset_id, source_format, raw::text AS raw
FROM sign_in_events
WHERE id = ANY($1::bigint[])
