-- Writes the measured campaigns of dataset $1: one found again (same key) keeps its id and its
-- detected_at; the new ids go back into campaign_work_campaigns for the next statements.
WITH upserted AS (
    INSERT INTO campaigns AS c (
        dataset_id, campaign_key, first_seen, last_seen, ip_count, user_agent_count, source_count,
        unique_usernames, attempts, confirmed_accounts, not_found_usernames, verdict, reasons,
        cadence_seconds, detected_at)
    SELECT $1::int, campaign_key, first_seen, last_seen, ip_count, user_agent_count, source_count,
           unique_usernames, attempts, confirmed_accounts, not_found_usernames, verdict, reasons,
           cadence_seconds, now()
    FROM campaign_work_campaigns
    ORDER BY first_seen, campaign_key
    ON CONFLICT (dataset_id, campaign_key) DO UPDATE SET
        first_seen          = excluded.first_seen,
        last_seen           = excluded.last_seen,
        ip_count            = excluded.ip_count,
        user_agent_count    = excluded.user_agent_count,
        source_count        = excluded.source_count,
        unique_usernames    = excluded.unique_usernames,
        attempts            = excluded.attempts,
        confirmed_accounts  = excluded.confirmed_accounts,
        not_found_usernames = excluded.not_found_usernames,
        verdict             = excluded.verdict,
        reasons             = excluded.reasons,
        cadence_seconds     = excluded.cadence_seconds,
        detected_at         = c.detected_at
    RETURNING id, campaign_key
)
UPDATE campaign_work_campaigns w
SET campaign_id = u.id
FROM upserted u
WHERE w.campaign_key = u.campaign_key
