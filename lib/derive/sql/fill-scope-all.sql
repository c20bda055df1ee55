-- A full recompute's scope: every source address of the dataset (fill-scope.sql is the scoped
-- one). Each address is found by one descent of the rollup's (dataset_id, ip_address, bucket)
-- index, the next one after the last (a loose index scan: PostgreSQL 15 has no skip scan),
-- instead of reading every rollup row of the dataset (millions at 10 M events) to keep the
-- distinct addresses (thousands). Rollup addresses are never NULL: a NULL ends the walk.
-- $1 dataset id
WITH RECURSIVE address AS (
    (SELECT ip_address FROM sign_in_hourly_rollup WHERE dataset_id = $1::int ORDER BY ip_address LIMIT 1)
    UNION ALL
    SELECT (SELECT r.ip_address
            FROM sign_in_hourly_rollup r
            WHERE r.dataset_id = $1::int AND r.ip_address > a.ip_address
            ORDER BY r.ip_address
            LIMIT 1)
    FROM address a
    WHERE a.ip_address IS NOT NULL
)
INSERT INTO derive_scope (ip_address)
SELECT ip_address FROM address WHERE ip_address IS NOT NULL
