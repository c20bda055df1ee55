-- sign_in_hourly_rollup_failures_idx carried the source's client app and user agent and the
-- username so the scoped detectors could read it alone. Those are the attacker's strings, up to
-- the ingest's field cap (1 MiB): one long user agent made an index row over btree's 2,704 bytes
-- and failed the whole import. The index now carries only the error code, which its condition
-- bounds to six short values; the scoped detectors read the rest from the few heap rows of the
-- addresses they look at.
DROP INDEX "sign_in_hourly_rollup_failures_idx";
CREATE INDEX "sign_in_hourly_rollup_failures_idx" ON "sign_in_hourly_rollup" ("dataset_id", "ip_address", "bucket")
    INCLUDE ("error_code")
    WHERE "error_code" IN ('50034', '50053', '50055', '50056', '50057', '50126');
