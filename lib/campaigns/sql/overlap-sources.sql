-- The sources as the overlapping-target-lists rule compares them (overlap-pairs.ts): their first
-- and last failure in microseconds (exact in a double), and their distinct usernames.
SELECT id,
       (extract(epoch FROM first_seen) * 1000000)::bigint::text AS first_us,
       (extract(epoch FROM last_seen) * 1000000)::bigint::text AS last_us,
       unique_usernames
FROM campaign_work_sources
