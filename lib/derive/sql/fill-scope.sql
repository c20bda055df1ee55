-- The source IPs whose findings, windows and yield a recompute looks at again. Both times NULL:
-- every address of the dataset (a full recompute runs fill-scope-all.sql instead, which finds
-- them without reading every rollup row). Else the addresses with a failure of the
-- codes $4 in the time range [$2, $3) (the rule's, the campaigns', those that confirm an account
-- or say it does not exist; whole hours of the rollup, so the events of those hours stored
-- before count too), and the addresses of the range (derive_touched) that have a low-and-slow
-- finding. Nothing else can change: every finding, window and yield counts only failures of
-- those codes, and a sign-in of another code can only lower a source's failure share, which
-- removes a low-and-slow finding and never adds one. An hour of a tenant touches most of its
-- addresses; only a few of them fail.
-- $1 dataset id, $2 from timestamptz, $3 to timestamptz, $4 codes text[]
INSERT INTO derive_scope (ip_address)
SELECT ip_address
FROM sign_in_hourly_rollup
WHERE dataset_id = $1::int
  AND ($2::timestamptz IS NULL OR (bucket >= date_trunc('hour', $2::timestamptz) AND bucket < $3::timestamptz
                                    AND error_code = ANY($4::text[])))
UNION
SELECT f.ip_address
FROM findings f
WHERE $2::timestamptz IS NOT NULL AND f.dataset_id = $1::int AND f.kind = 'low_and_slow'
  AND f.ip_address IN (SELECT ip_address FROM derive_touched)
