-- One page of stored findings for the findings table, with their triage state, filtered and
-- sorted in SQL. The tier counts above the table come along: counted over every filter except
-- the tier filter itself (they are the tier filter's choices).
-- $1 dataset ids int[] (NULL: all)        $2 verdicts text[] (NULL: all)
-- $3 client apps text[] (NULL: all)       $4 from timestamptz (bucket >=), $5 to (bucket <)
-- $6 search: ILIKE pattern on IP, user agent and every username the finding counted (NULL: none)
-- $7 page size, $8 offset
-- $9 triage statuses text[] (NULL: all)   $10 owner: user id, 0 = unassigned (NULL: anyone)
-- $11 review status text (NULL: any)
-- $12 kinds text[] (NULL: all; the parity view asks for 'hourly' only)
-- $13 suppressed: 'hide' (default), 'show' (with the others) or 'only'
-- $14 escalated only boolean
-- $15 look the search up in the usernames too: true when it is long enough for the trigram index
--     (3 characters); shorter text matches IP, user agent and the username sample only
-- The ORDER BY terms come from a fixed list of sort keys (lib/findings/list-findings.ts); the same
-- terms pick the page and order its rows.
WITH name_matches AS (
    -- The findings (any kind) that counted a username holding the search text: a failed attempt
    -- of the same source, in an hour inside the finding's window, with one of its codes. One join,
    -- so the planner picks its side: a narrow text starts from the rollup's trigram index
    -- (partial, failed attempts only: hence error_code <> '0'), a broad one that matches much of
    -- the rollup starts from the findings and reads only their own sources' hours (the rollup's
    -- (dataset_id, ip_address, bucket) index). A window that does not start on the hour
    -- (sliding) is checked against the events, so a name from the part of the hour outside it
    -- does not match.
    SELECT DISTINCT f.id
    FROM findings f
    JOIN sign_in_hourly_rollup h
      ON h.dataset_id = f.dataset_id AND h.ip_address = f.ip_address
     AND h.bucket > f.bucket - interval '1 hour'
     AND h.bucket < f.bucket + make_interval(mins => f.window_minutes)
     AND h.client_app_used = f.client_app_used AND h.user_agent = f.user_agent
     AND h.error_code = ANY(f.error_codes)
    WHERE $15::boolean
      AND ($1::int[] IS NULL OR f.dataset_id = ANY($1::int[]))
      AND h.error_code <> '0'
      AND h.user_principal_name ILIKE $6::text
      AND ((extract(epoch FROM f.bucket) % 3600 = 0 AND f.window_minutes % 60 = 0)
           OR EXISTS (SELECT 1 FROM sign_in_events e
                      WHERE e.dataset_id = f.dataset_id AND e.ip_address = f.ip_address
                        AND e.created_at >= f.bucket AND e.created_at < f.bucket + make_interval(mins => f.window_minutes)
                        AND e.client_app_used = f.client_app_used AND e.user_agent_id = user_agent_key(f.user_agent)
                        AND e.user_principal_name = h.user_principal_name AND e.error_code = ANY(f.error_codes)))
),
filtered AS (
    SELECT f.id, f.dataset_id, d.name AS dataset_name, f.bucket, f.ip_address AS ip,
           f.client_app_used, f.user_agent, f.unique_usernames, f.attempt_count, f.first_seen, f.last_seen,
           f.duration_minutes, f.enumeration_rate_per_min, f.verdict,
           coalesce(t.status::text, 'new') AS triage_status, t.owner_id, o.email AS owner_email,
           t.severity::text AS severity, t.classification::text AS classification, t.close_reason,
           coalesce(t.review_status::text, 'not_required') AS review_status,
           f.kind, f.not_found_usernames, f.confirmed_accounts, f.sliding_peak_usernames, f.sliding_peak_start,
           f.sliding_verdict, f.escalated, f.suppressed_by_id, s.name AS suppressed_by_name, f.campaign_id,
           count(*) FILTER (WHERE f.verdict = 'High Confidence Enumeration') OVER ()::int AS high_findings,
           count(*) FILTER (WHERE f.verdict = 'Moderate Enumeration') OVER ()::int AS moderate_findings,
           count(*) FILTER (WHERE f.verdict = 'Low-Level Enumeration') OVER ()::int AS low_findings
    FROM findings f
    JOIN datasets d ON d.id = f.dataset_id
    LEFT JOIN triage_records t ON t.dataset_id = f.dataset_id AND t.kind = f.kind AND t.bucket = f.bucket AND t.key_hash = f.key_hash
    LEFT JOIN users o ON o.id = t.owner_id
    LEFT JOIN suppression_rules s ON s.id = f.suppressed_by_id
    WHERE ($1::int[] IS NULL OR f.dataset_id = ANY($1::int[]))
      AND ($3::text[] IS NULL OR f.client_app_used = ANY($3::text[]))
      AND ($4::timestamptz IS NULL OR f.bucket >= $4::timestamptz)
      AND ($5::timestamptz IS NULL OR f.bucket < $5::timestamptz)
      AND ($6::text IS NULL
           OR f.id IN (SELECT id FROM name_matches)
           OR host(f.ip_address) ILIKE $6::text
           OR f.user_agent ILIKE $6::text
           -- the sample is some of the names the finding counted, which name_matches holds
           -- whole when it runs: matching the sample of every finding again (~20 ILIKEs each)
           -- took 58 of the statement's 72 ms at 10 M events
           OR (NOT $15::boolean AND EXISTS (SELECT 1 FROM unnest(f.username_sample) AS u WHERE u ILIKE $6::text)))
      AND ($9::text[] IS NULL OR coalesce(t.status::text, 'new') = ANY($9::text[]))
      AND ($10::int IS NULL OR ($10::int = 0 AND t.owner_id IS NULL) OR t.owner_id = $10::int)
      AND ($11::text IS NULL OR coalesce(t.review_status::text, 'not_required') = $11::text)
      AND ($12::text[] IS NULL OR f.kind = ANY($12::text[]))
      AND CASE $13::text WHEN 'show' THEN true WHEN 'only' THEN f.suppressed_by_id IS NOT NULL ELSE f.suppressed_by_id IS NULL END
      AND (NOT $14::boolean OR f.escalated)
),
page AS (
    SELECT *, count(*) OVER ()::int AS total
    FROM filtered
    WHERE $2::text[] IS NULL OR verdict = ANY($2::text[])
    ORDER BY {{order_by}}
    LIMIT $7::int OFFSET $8::int
)
-- The page's rows get their wide columns (the username sample, the apps) and the address as text
-- only now: the counts and the sort above carry every finding of the view, and at 10 M events
-- carrying those columns through them cost more than the rest of the statement.
SELECT p.*, host(p.ip) AS ip_address, w.username_sample, w.app_list
FROM page p
JOIN (SELECT id AS finding_id, username_sample, app_list FROM findings) w ON w.finding_id = p.id
ORDER BY {{order_by}}
