-- Lays each sliding-window peak over the hourly findings of the same source whose hour it
-- overlaps (the highest peak wins), and says which peaks found no hourly finding at all: those
-- become findings of their own.
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
-- a data-modifying CTE runs whether or not it is read
annotated AS (
    UPDATE findings f
       SET sliding_peak_usernames = b.usernames,
           sliding_peak_start = b.window_start,
           sliding_verdict = CASE WHEN b.usernames >= $10::int THEN 'High Confidence Enumeration'
                                  WHEN b.usernames >= $9::int THEN 'Moderate Enumeration'
                                  WHEN b.usernames >= $8::int THEN 'Low-Level Enumeration' END
      FROM best b
     WHERE f.id = b.id
    RETURNING f.id
)
SELECT p.ord::int AS ord
FROM peaks p
WHERE NOT EXISTS (SELECT 1 FROM overlapping o WHERE o.ord = p.ord)
ORDER BY p.ord
