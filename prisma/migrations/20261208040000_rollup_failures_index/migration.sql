-- The rollup's failures of the codes the detectors count (the rule's default codes and the
-- campaigns' 50126/50057, which hold the "account exists" and "not found" ones), by source
-- address. A recompute after an append reads the history of the few addresses failing in the
-- appended hours (lib/derive/scope.ts): by (dataset_id, ip_address, bucket) it read every
-- sign-in of those addresses, an office NAT's successes included, and by (dataset_id,
-- error_code, bucket) every failure of the tenant. Partial: a few percent of the rows, so it
-- costs the imports next to nothing. A query with other codes (custom settings) is planned
-- without it, as before; with a subset of these codes as a constant (node-postgres binds
-- parameters, and an unnamed statement is planned with their values) the planner proves the
-- index's condition and uses it. It carries the columns those queries read (source, username,
-- code), so they are answered from the index alone (the rollup's older pages are all-visible).
CREATE INDEX "sign_in_hourly_rollup_failures_idx" ON "sign_in_hourly_rollup" ("dataset_id", "ip_address", "bucket")
    INCLUDE ("client_app_used", "user_agent", "user_principal_name", "error_code")
    WHERE "error_code" IN ('50034', '50053', '50055', '50056', '50057', '50126');
