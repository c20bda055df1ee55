-- Every source (IP, client app, user agent) of dataset $1 with all its attempts and its failures
-- with the campaign codes $2, from the hourly rollup: the full recompute's one pass over it, into
-- a work table that fill-source-totals.sql stores. A statement that writes a table runs on one
-- core, but CREATE TABLE AS may read in parallel: the pass over the rollup's millions of rows
-- (a seq scan and a hash aggregate into thousands of sources) took 4.3 s in an INSERT and 2.1 s
-- here with two workers, at 10 M events.
CREATE TEMP TABLE campaign_source_sums ON COMMIT DROP AS
SELECT campaign_source_key(ip_address, client_app_used, user_agent) AS key_hash,
       ip_address, client_app_used, user_agent,
       sum(attempts) AS attempts,
       coalesce(sum(attempts) FILTER (WHERE error_code = ANY($2::text[])), 0) AS failed
FROM sign_in_hourly_rollup
WHERE dataset_id = $1::int
GROUP BY ip_address, client_app_used, user_agent
