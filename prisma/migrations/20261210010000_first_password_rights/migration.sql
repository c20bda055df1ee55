-- Per dataset, source address and username: when the name first proved its password right from
-- that address (a "password right" code: success, MFA asked, expired password …;
-- PASSWORD_RIGHT_CODES in lib/detection/extended-settings.ts). The escalations after an append
-- ask this of the addresses near the appended findings ("the user's usual place": where they
-- signed in before the probing began); from the rollup it read every row of each address up to
-- its latest probing, ~650 rows an address of which ~60 had such a code, scattered over a month
-- of heap (0.15-0.4 s of the appended hour's recompute at 10 M events). Kept by the import in the
-- transaction that merges its rollup rows (lib/ingest/sql/merge-first-rights.sql), so it is
-- exactly min(first_seen) of the rollup's rows with those codes: at 10 M events ~33,000 rows
-- against ~4.5 M rollup rows with the codes.
-- Keyed by md5 of the name: usernames are the log's (or an attacker's) text and may not fit a
-- btree entry.
CREATE TABLE "sign_in_first_rights" (
    "dataset_id" INTEGER NOT NULL,
    "ip_address" INET NOT NULL,
    "name_hash" UUID NOT NULL,
    "user_principal_name" TEXT NOT NULL,
    "first_seen" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sign_in_first_rights_pkey" PRIMARY KEY ("dataset_id", "ip_address", "name_hash")
);

ALTER TABLE "sign_in_first_rights" ADD CONSTRAINT "sign_in_first_rights_dataset_id_fkey"
    FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The stored datasets' rows, from their rollup (the same codes as PASSWORD_RIGHT_CODES).
INSERT INTO "sign_in_first_rights" ("dataset_id", "ip_address", "name_hash", "user_principal_name", "first_seen")
SELECT dataset_id, ip_address, md5(user_principal_name)::uuid, user_principal_name, min(first_seen)
FROM "sign_in_hourly_rollup"
WHERE error_code IN ('0', '50055', '50074', '50076', '50079', '50158', '53003', '500121')
GROUP BY dataset_id, ip_address, user_principal_name;
