-- The findings of campaigns $1 (any kind) nobody has closed yet: what "close the campaign with its
-- findings" closes.
-- $1 campaign ids int[]
SELECT f.id
FROM findings f
LEFT JOIN triage_records t ON t.dataset_id = f.dataset_id AND t.kind = f.kind AND t.bucket = f.bucket AND t.key_hash = f.key_hash
WHERE f.campaign_id = ANY($1::int[])
  AND coalesce(t.status::text, 'new') <> 'closed'
ORDER BY f.id
