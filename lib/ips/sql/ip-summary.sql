-- Everything one source IP did, in a line: events, failures with the detection's codes,
-- usernames it targeted, its yield (names it learnt do not exist, accounts it learnt do), first
-- and last seen.
-- $1 ip inet, $2 dataset ids int[] (NULL: all), $3 error codes text[], $4 codes confirming an
-- account text[], $5 codes meaning "no such user" text[], $6 probe codes (all three) text[]
-- NULL becomes every dataset's id rather than `$2 IS NULL OR …`: the indexes on the address lead
-- with dataset_id, and without a condition on it the planner reads the whole index.
SELECT count(*)::int AS events,
       count(*) FILTER (WHERE error_code = ANY($3::text[]))::int AS enumeration_failures,
       count(DISTINCT user_principal_name) FILTER (WHERE error_code = ANY($3::text[]) AND user_principal_name <> '')::int AS targeted_usernames,
       count(DISTINCT user_principal_name) FILTER (WHERE error_code = ANY($6::text[]) AND user_principal_name <> '')::int AS probed_usernames,
       count(DISTINCT user_principal_name) FILTER (WHERE error_code = ANY($5::text[]) AND user_principal_name <> '')::int AS not_found_usernames,
       count(DISTINCT user_principal_name) FILTER (WHERE error_code = ANY($4::text[]) AND user_principal_name <> '')::int AS confirmed_accounts,
       count(*) FILTER (WHERE error_code = '0')::int AS successes,
       min(created_at) AS first_seen,
       max(created_at) AS last_seen,
       array_agg(DISTINCT dataset_id) AS dataset_ids
FROM sign_in_events
WHERE ip_address = $1::inet
  AND dataset_id = ANY(coalesce($2::int[], ARRAY(SELECT id FROM datasets)))
