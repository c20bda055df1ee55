-- Enumeration yield of every finding of a dataset: of the usernames its source probed in its
-- window, how many do not exist (only "not found" codes) and how many the attacker now knows to
-- exist (any code that confirms an account, 50126/50057 included when present).
-- A finding of whole hours reads the rollup; only sliding windows, which start at any minute,
-- read the events. Only the findings of the source IPs the recompute looks at (derive_scope,
-- lib/derive/scope.ts): a finding's yield depends on its own source's events in its window alone.
-- After an append ($4), only those the detectors may have changed (derive_changed_findings: new
-- ones, and those whose window reaches the appended range): a source probing all month has
-- findings all month, and re-reading every one of them after each appended hour made the yield
-- grow with the dataset (2.0 s of a 7.9 s append at 10 M events).
-- $1 dataset id, $2 codes confirming an account text[], $3 "not found" codes text[],
-- $4 scoped: only the findings in derive_changed_findings
WITH scoped AS MATERIALIZED (
    -- The findings to measure, read first: joined in one statement with derive_scope and the
    -- rollup, the planner took the address from derive_scope and read every rollup row (and for
    -- a sliding finding every event) of the address instead of the finding's window: 4.4 s of a
    -- full recompute at 10 M events.
    SELECT f.id, f.ip_address, f.client_app_used, f.user_agent, f.bucket AS window_start,
           f.bucket + make_interval(mins => f.window_minutes) AS window_end,
           extract(epoch FROM f.bucket) % 3600 = 0 AND f.window_minutes % 60 = 0 AS whole_hours
    FROM findings f
    WHERE f.dataset_id = $1::int
      AND f.ip_address IN (SELECT ip_address FROM derive_scope)
      AND (NOT $4::boolean OR f.id IN (SELECT finding_id FROM derive_changed_findings))
),
attempts AS (
    -- Each finding's attempts through the address indexes, one finding at a time: OFFSET 0 keeps
    -- the planner from joining them as sets. It cannot tell how few findings are sliding (a
    -- computed flag), and at 10 M events it once sorted the whole events table for 48 of them (5 s).
    SELECT f.id, a.user_principal_name, a.error_code
    FROM scoped f
    CROSS JOIN LATERAL (
        SELECT r.user_principal_name, r.error_code
        FROM sign_in_hourly_rollup r
        WHERE f.whole_hours
          AND r.dataset_id = $1::int AND r.ip_address = f.ip_address
          AND r.bucket >= f.window_start AND r.bucket < f.window_end
          AND r.client_app_used = f.client_app_used AND r.user_agent = f.user_agent
          AND (r.error_code = ANY($2::text[]) OR r.error_code = ANY($3::text[]))
        UNION ALL
        SELECT e.user_principal_name, e.error_code
        FROM sign_in_events e
        WHERE NOT f.whole_hours
          AND e.dataset_id = $1::int AND e.ip_address = f.ip_address
          AND e.created_at >= f.window_start AND e.created_at < f.window_end
          AND e.client_app_used = f.client_app_used AND e.user_agent_id = user_agent_key(f.user_agent)
          AND e.user_principal_name <> ''
          AND (e.error_code = ANY($2::text[]) OR e.error_code = ANY($3::text[]))
        OFFSET 0
    ) a
),
probed AS (
    SELECT id, user_principal_name, bool_or(error_code = ANY($2::text[])) AS exists
    FROM attempts
    GROUP BY id, user_principal_name
),
per_finding AS (
    SELECT id, count(*) FILTER (WHERE exists)::int AS confirmed, count(*) FILTER (WHERE NOT exists)::int AS not_found
    FROM probed GROUP BY id
),
written AS (
    -- Only the findings whose yield changed get a new row version: every update leaves a dead
    -- one behind, and a full recompute rewrote every finding this way with the same numbers.
    UPDATE findings f
       SET confirmed_accounts = coalesce(p.confirmed, 0), not_found_usernames = coalesce(p.not_found, 0)
      FROM scoped g LEFT JOIN per_finding p ON p.id = g.id
     WHERE f.id = g.id
       AND (f.confirmed_accounts, f.not_found_usernames) IS DISTINCT FROM (coalesce(p.confirmed, 0), coalesce(p.not_found, 0))
    RETURNING f.id
)
-- the findings measured (the run records how many it looked at)
SELECT (SELECT count(*) FROM scoped)::int AS findings
