-- After an append: the sources with failures of the rule's codes $4 in the range [$2, $3) (whole
-- hours), each from the start of its run of such hours that reaches the range. A run starts at
-- an hour with none of those failures in the $5 before it (the sliding window plus the rule's
-- window plus an hour): every window that starts before it ends before the hours after it, and
-- no window or hourly finding overlaps both sides, so what lies before it cannot change and no
-- choice of peaks crosses it. A source whose run reaches back beyond $6 of lookback is found
-- again from its first event (since NULL): a source failing for days is an attack, and its
-- history is what there is to read.
-- $1 dataset id, $2 from timestamptz, $3 to timestamptz, $4 rule codes text[], $5 gap interval,
-- $6 lookback interval
WITH hours AS (
    SELECT DISTINCT ip_address, client_app_used, user_agent, bucket
    FROM sign_in_hourly_rollup
    WHERE dataset_id = $1::int AND error_code = ANY($4::text[])
      AND ip_address IN (SELECT ip_address FROM derive_scope)
      AND bucket >= date_trunc('hour', $2::timestamptz) - $6::interval AND bucket < $3::timestamptz
),
reached AS (
    -- each source with such failures in the range, and its first hour in it
    SELECT ip_address, client_app_used, user_agent, min(bucket) AS first_in_range
    FROM hours
    WHERE bucket >= date_trunc('hour', $2::timestamptz)
    GROUP BY ip_address, client_app_used, user_agent
),
starts AS (
    -- the hours that open a run: none of those failures in the gap before them (within the lookback)
    SELECT h.ip_address, h.client_app_used, h.user_agent, h.bucket,
           h.bucket - lag(h.bucket) OVER (PARTITION BY h.ip_address, h.client_app_used, h.user_agent ORDER BY h.bucket) AS after
    FROM hours h
    JOIN reached r USING (ip_address, client_app_used, user_agent)
    WHERE h.bucket <= r.first_in_range
)
INSERT INTO derive_window_sources (ip_address, client_app_used, user_agent, since)
SELECT r.ip_address, r.client_app_used, r.user_agent,
       (SELECT s.bucket FROM starts s
         WHERE s.ip_address = r.ip_address AND s.client_app_used = r.client_app_used AND s.user_agent = r.user_agent
           AND (s.after >= $5::interval
                OR (s.after IS NULL AND s.bucket - (date_trunc('hour', $2::timestamptz) - $6::interval) >= $5::interval))
         ORDER BY s.bucket DESC LIMIT 1)
FROM reached r
