-- Adds the import's first "password right" times (staged by lib/ingest/first-rights.ts: per
-- address and username, the earliest sign-in of the import's rollup rows with those codes) to
-- sign_in_first_rights, in the import's transaction, so the table is always min(first_seen) of
-- the rollup's rows with the codes: what the escalations after an append ask of "the user's
-- usual place". Most pairs come back in import after import with a later time: they are left
-- out before the upsert, which would otherwise lock each one's row (a write, a dirty page and
-- WAL per pair) only to change nothing.
-- $1 dataset id
INSERT INTO sign_in_first_rights AS f (dataset_id, ip_address, name_hash, user_principal_name, first_seen)
SELECT $1::int, g.ip_address, g.name_hash, g.user_principal_name, g.first_seen
FROM (
    SELECT ip_address, md5(user_principal_name)::uuid AS name_hash, user_principal_name, first_seen
    FROM ingest_first_rights_staging
) g
WHERE NOT EXISTS (
    SELECT 1 FROM sign_in_first_rights k
    WHERE k.dataset_id = $1::int AND k.ip_address = g.ip_address AND k.name_hash = g.name_hash
      AND k.first_seen <= g.first_seen)
ON CONFLICT (dataset_id, ip_address, name_hash) DO UPDATE SET first_seen = excluded.first_seen
WHERE excluded.first_seen < f.first_seen
