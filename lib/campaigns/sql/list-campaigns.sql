-- Campaigns of the datasets in $1 (NULL: every dataset), strongest first.
-- $1 dataset ids int[] | NULL
SELECT c.id, c.dataset_id, d.name AS dataset_name, c.verdict, c.source_count, c.ip_count,
       c.user_agent_count, c.unique_usernames, c.attempts, c.confirmed_accounts,
       c.not_found_usernames, c.first_seen, c.last_seen, c.reasons, c.cadence_seconds, c.detected_at,
       EXISTS (SELECT 1 FROM findings f WHERE f.campaign_id = c.id AND f.escalated) AS escalated,
       coalesce(t.status::text, 'new') AS triage_status, o.email AS owner_email,
       coalesce(t.review_status::text, 'not_required') AS review_status
FROM campaigns c
JOIN datasets d ON d.id = c.dataset_id
-- its triage (lib/triage): kept under the campaign key, which survives recomputations
LEFT JOIN triage_records t
       ON t.dataset_id = c.dataset_id AND t.kind = 'campaign'
      AND t.bucket = TIMESTAMPTZ '1970-01-01 00:00:00+00' AND t.key_hash = c.campaign_key
LEFT JOIN users o ON o.id = t.owner_id
WHERE ($1::int[] IS NULL OR c.dataset_id = ANY($1::int[]))
ORDER BY c.unique_usernames DESC, c.attempts DESC, c.first_seen, c.id
