-- The failed attempts' times (campaign codes, with a username) of each source in a component
-- whose times the totals did not know, which measure-campaigns.sql measures a campaign's cadence
-- over. Read by its address from the events' (ip_address, created_at) index, one source at a
-- time (an aggregate in LATERAL is never turned into a join, which the planner makes a scan of
-- the whole events table when it misjudges the sizes). '{}': none.
-- $1 dataset id     int
-- $2 campaign codes text[]
UPDATE campaign_work_sources s
SET failure_times = coalesce(t.times, '{}'),
    times_read = true
FROM campaign_work_sources m
CROSS JOIN LATERAL (
    SELECT array_agg(e.created_at) AS times
    FROM sign_in_events e
    WHERE e.dataset_id = $1::int
      AND e.ip_address = m.ip_address
      AND e.client_app_used = m.client_app_used
      AND e.user_agent_id = user_agent_key(m.user_agent)
      AND e.error_code = ANY($2::text[])
      AND e.user_principal_name <> ''
) t
WHERE s.id = m.id
  AND m.component IS NOT NULL
  AND m.failure_times IS NULL
