-- The rhythm of each source that shares a network or an autonomous system with another source
-- (only those can be linked by it): the median gap between its attempts, kept when the middle
-- half of its gaps stays within $4 of that median, the mark of a scheduler rather than of people
-- or of a retry loop.
-- $1 dataset id            int
-- $2 campaign codes        text[]
-- $3 minimum attempts      int     (LINKING.cadenceMinAttempts)
-- $4 tolerance             float8  (LINKING.cadenceTolerance)
WITH neighbours AS (
    SELECT s.id, s.ip_address, s.client_app_used, s.user_agent
    FROM campaign_work_sources s
    WHERE s.attempts >= $3::int
      AND (EXISTS (SELECT 1 FROM campaign_work_sources o WHERE o.network = s.network AND o.id <> s.id)
           OR EXISTS (SELECT 1 FROM campaign_work_sources o
                      WHERE o.autonomous_system = s.autonomous_system AND o.id <> s.id))
),
gaps AS (
    SELECT n.id,
           extract(epoch FROM e.created_at - lag(e.created_at) OVER (PARTITION BY n.id ORDER BY e.created_at)) AS gap
    FROM neighbours n
    JOIN sign_in_events e ON e.dataset_id = $1::int
                         AND e.ip_address = n.ip_address
                         AND e.client_app_used = n.client_app_used
                         AND e.user_agent_id = user_agent_key(n.user_agent)
    WHERE e.error_code = ANY($2::text[])
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
   SET cadence_seconds = r.median
  FROM rhythm r
 WHERE s.id = r.id AND r.median > 0
   AND r.q1 >= (1 - $4::float8) * r.median AND r.q3 <= (1 + $4::float8) * r.median
