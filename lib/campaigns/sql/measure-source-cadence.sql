-- The rhythm of each source that shares a network or an autonomous system with another source
-- (only those can be linked by it): the median gap between its attempts, kept when the middle
-- half of its gaps stays within $4 of that median, the mark of a scheduler rather than of people
-- or of a retry loop. A source's cadence depends on its own events alone, so the one the totals
-- kept (save-source-cadence.sql; forgotten when its address gets events) is taken as it is, and
-- only the other sources' events are read.
-- $1 dataset id            int
-- $2 campaign codes        text[]
-- $3 minimum attempts      int     (LINKING.cadenceMinAttempts)
-- $4 tolerance             float8  (LINKING.cadenceTolerance)
WITH neighbours AS (
    SELECT s.id, s.ip_address, s.client_app_used, s.user_agent,
           coalesce(t.cadence_known, false) AS known, t.cadence_seconds AS kept
    FROM campaign_work_sources s
    LEFT JOIN campaign_source_totals t ON t.dataset_id = $1::int AND t.key_hash = s.key_hash
    WHERE s.attempts >= $3::int
      AND (EXISTS (SELECT 1 FROM campaign_work_sources o WHERE o.network = s.network AND o.id <> s.id)
           OR EXISTS (SELECT 1 FROM campaign_work_sources o
                      WHERE o.autonomous_system = s.autonomous_system AND o.id <> s.id))
),
times AS (
    -- Each source's attempts, read by its address from the events' (ip_address, created_at)
    -- index, one source at a time (an aggregate in LATERAL is never turned into a join): a hash
    -- join of every failure of the dataset, which the planner picks when it misjudges the
    -- sources' share, reads the whole events table.
    SELECT n.id, t.times
    FROM neighbours n
    CROSS JOIN LATERAL (
        SELECT array_agg(e.created_at) AS times
        FROM sign_in_events e
        WHERE e.dataset_id = $1::int
          AND e.ip_address = n.ip_address
          AND e.client_app_used = n.client_app_used
          AND e.user_agent_id = user_agent_key(n.user_agent)
          AND e.error_code = ANY($2::text[])
    ) t
    WHERE NOT n.known
),
gaps AS (
    SELECT t.id, extract(epoch FROM a.at - lag(a.at) OVER (PARTITION BY t.id ORDER BY a.at)) AS gap
    FROM times t
    CROSS JOIN LATERAL unnest(t.times) AS a(at)
),
rhythm AS (
    SELECT id,
           percentile_cont(0.25) WITHIN GROUP (ORDER BY gap) AS q1,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY gap) AS median,
           percentile_cont(0.75) WITHIN GROUP (ORDER BY gap) AS q3
    FROM gaps
    WHERE gap IS NOT NULL
    GROUP BY id
)
UPDATE campaign_work_sources s
   SET cadence_seconds = CASE
           WHEN n.known THEN n.kept
           WHEN r.median > 0 AND r.q1 >= (1 - $4::float8) * r.median AND r.q3 <= (1 + $4::float8) * r.median
           THEN r.median
       END,
       cadence_measured = NOT n.known
  FROM neighbours n
  LEFT JOIN rhythm r ON r.id = n.id
 WHERE s.id = n.id
