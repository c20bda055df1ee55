-- The failed attempts' times (campaign codes, with a username) of each source in a component
-- whose times the totals did not know, which measure-campaigns.sql measures a campaign's cadence
-- over. '{}': none. Read in one pass: a bitmap scan of the events' (ip_address, created_at)
-- index for all those sources' addresses at once visits each heap page once, in order (one
-- source at a time visited the pages of a busy address again for every source behind it), and
-- a hash join keeps the sources' own rows. The addresses are one array (an InitPlan), so the
-- plan stays an index scan whatever the planner guesses of the sources' share; a plain join on
-- them could become a scan of the whole events table.
-- $1 dataset id     int
-- $2 campaign codes text[]
WITH unread AS (
    SELECT id, ip_address, client_app_used, user_agent
    FROM campaign_work_sources
    WHERE component IS NOT NULL AND failure_times IS NULL
),
times AS (
    SELECT u.id, array_agg(e.created_at ORDER BY e.created_at) AS times
    FROM sign_in_events e
    JOIN unread u
      ON u.ip_address = e.ip_address AND u.client_app_used = e.client_app_used
     AND user_agent_key(u.user_agent) = e.user_agent_id
    WHERE e.dataset_id = $1::int
      AND e.ip_address = ANY ((SELECT array_agg(DISTINCT ip_address) FROM unread)::inet[])
      AND e.error_code = ANY($2::text[])
      AND e.user_principal_name <> ''
    GROUP BY u.id
)
UPDATE campaign_work_sources s
SET failure_times = coalesce(t.times, '{}'),
    times_read = true
FROM unread u
LEFT JOIN times t ON t.id = u.id
WHERE s.id = u.id
