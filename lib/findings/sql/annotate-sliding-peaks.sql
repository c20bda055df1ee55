-- Lays each sliding-window peak over the hourly findings of the same source whose hour it
-- overlaps (the highest peak wins), clears the peak of the other hourly findings of the scope's
-- addresses, and says which peaks found no hourly finding at all: those become findings of their
-- own.
-- $1 dataset id, $2 IPs text[], $3 client apps text[], $4 user agents text[],
-- $5 window starts timestamptz[], $6 distinct usernames int[], $7 window interval,
-- $8/$9/$10 low/moderate/high thresholds
WITH peaks AS (
    SELECT ip::inet AS ip_address, client_app_used, user_agent, window_start, usernames, ord
    FROM unnest($2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::int[])
         WITH ORDINALITY AS p(ip, client_app_used, user_agent, window_start, usernames, ord)
),
overlapping AS (
    SELECT f.id, p.ord, p.window_start, p.usernames
    FROM peaks p
    JOIN findings f
      ON f.dataset_id = $1::int AND f.kind = 'hourly' AND f.ip_address = p.ip_address
     AND f.client_app_used = p.client_app_used AND f.user_agent = p.user_agent
     AND f.bucket < p.window_start + $7::interval
     AND f.bucket + make_interval(mins => f.window_minutes) > p.window_start
),
best AS (
    SELECT DISTINCT ON (id) id, window_start, usernames FROM overlapping ORDER BY id, usernames DESC, window_start
),
laid AS (
    -- What each hourly finding's peak is now: the best overlapping peak, or none for a finding of
    -- the scope's addresses (derive_scope, lib/derive/scope.ts) that had one and is no longer
    -- overlapped.
    SELECT g.id, b.usernames, b.window_start,
           CASE WHEN b.usernames >= $10::int THEN 'High Confidence Enumeration'
                WHEN b.usernames >= $9::int THEN 'Moderate Enumeration'
                WHEN b.usernames >= $8::int THEN 'Low-Level Enumeration' END AS verdict
    FROM findings g
    LEFT JOIN best b ON b.id = g.id
    WHERE g.dataset_id = $1::int AND g.kind = 'hourly'
      AND (b.id IS NOT NULL OR (g.sliding_peak_usernames IS NOT NULL AND g.ip_address IN (SELECT ip_address FROM derive_scope)))
),
-- A data-modifying CTE runs whether or not it is read. Only a finding whose peak changed gets a
-- new row version: cleared, then laid again, every peak of the scope was written twice.
annotated AS (
    UPDATE findings f
       SET sliding_peak_usernames = l.usernames, sliding_peak_start = l.window_start, sliding_verdict = l.verdict
      FROM laid l
     WHERE f.id = l.id
       AND (f.sliding_peak_usernames, f.sliding_peak_start, f.sliding_verdict) IS DISTINCT FROM (l.usernames, l.window_start, l.verdict)
    RETURNING f.id
)
SELECT p.ord::int AS ord
FROM peaks p
WHERE NOT EXISTS (SELECT 1 FROM overlapping o WHERE o.ord = p.ord)
ORDER BY p.ord
