-- Username search reaches every name a finding counted, not only its 25-name sample. A finding's
-- names are the hourly rollup's failed attempts of its source and window, so the search looks the
-- typed text up in the rollup's usernames through a trigram index (substring, any case) and joins
-- the hits to the findings by their bucket keys (lib/findings/sql/list-findings.sql).
-- pg_trgm is a trusted contrib extension (PostgreSQL ≥ 13): the database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Only failed attempts: successes are most of the rollup and no finding counts them, so leaving
-- them out keeps the index (and its upkeep during imports) to the attempts that matter.
CREATE INDEX "sign_in_hourly_rollup_user_principal_name_idx"
    ON "sign_in_hourly_rollup" USING gin ("user_principal_name" gin_trgm_ops)
    WHERE "error_code" <> '0';
