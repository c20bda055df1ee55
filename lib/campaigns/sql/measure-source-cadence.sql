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
attempts AS (
    -- The attempts of the sources whose cadence the totals did not keep, read in one pass: a
    -- bitmap scan of the events' (ip_address, created_at) index for all their addresses at once
    -- visits each heap page once, in order (one source at a time visited the pages of a busy
    -- address again for every source behind it: 1 M page reads, four times the table, at 10 M
    -- events), and a hash join keeps the sources' own rows. The addresses are one array (an
    -- InitPlan), so the plan stays an index scan whatever the planner guesses of the sources'
    -- share; a plain join on them could become a scan of the whole events table.
    SELECT n.id, e.created_at AS at
    FROM sign_in_events e
    JOIN neighbours n
      ON n.ip_address = e.ip_address AND n.client_app_used = e.client_app_used
     AND user_agent_key(n.user_agent) = e.user_agent_id AND NOT n.known
    WHERE e.dataset_id = $1::int
      AND e.ip_address = ANY ((SELECT array_agg(DISTINCT ip_address) FROM neighbours WHERE NOT known)::inet[])
      AND e.error_code = ANY($2::text[])
),
gaps AS (
    SELECT id, extract(epoch FROM at - lag(at) OVER (PARTITION BY id ORDER BY at)) AS gap
    FROM attempts
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
