-- $1 campaign id: how many findings its sources raised, and how many of them are not closed
SELECT count(*)::int AS findings,
       count(*) FILTER (WHERE coalesce(t.status::text, 'new') <> 'closed')::int AS open_findings
FROM findings f
LEFT JOIN triage_records t ON t.dataset_id = f.dataset_id AND t.kind = f.kind AND t.bucket = f.bucket AND t.key_hash = f.key_hash
WHERE f.campaign_id = $1::int
