-- Campaigns of the datasets in $1 (NULL: every dataset), strongest first.
-- $1 dataset ids int[] | NULL
SELECT c.id, c.dataset_id, d.name AS dataset_name, c.verdict, c.source_count, c.ip_count,
       c.user_agent_count, c.unique_usernames, c.attempts, c.confirmed_accounts,
       c.not_found_usernames, c.first_seen, c.last_seen, c.reasons, c.cadence_seconds, c.detected_at
FROM campaigns c
JOIN datasets d ON d.id = c.dataset_id
WHERE ($1::int[] IS NULL OR c.dataset_id = ANY($1::int[]))
ORDER BY c.unique_usernames DESC, c.attempts DESC, c.first_seen, c.id
