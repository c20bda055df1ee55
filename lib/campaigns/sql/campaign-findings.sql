-- $1 campaign id: the findings of its sources, with their triage; $2 how many (NULL: all). A month of
-- rotating sprays is one campaign with thousands of findings: the page lists the first ones.
SELECT f.id, f.kind, f.bucket, host(f.ip_address) AS ip_address, f.unique_usernames, f.verdict,
       coalesce(t.status::text, 'new') AS triage_status, o.email AS owner_email
FROM findings f
LEFT JOIN triage_records t ON t.dataset_id = f.dataset_id AND t.kind = f.kind AND t.bucket = f.bucket AND t.key_hash = f.key_hash
LEFT JOIN users o ON o.id = t.owner_id
WHERE f.campaign_id = $1::int
ORDER BY f.bucket, f.ip_address, f.kind, f.id
LIMIT $2::int
