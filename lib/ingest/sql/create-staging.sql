-- The import's rollup rows, grouped in Node (lib/ingest/hourly-rollup.ts), landed by COPY and
-- added to the rollup by merge-rollup.sql. The table lives and dies with the import's transaction.
CREATE TEMP TABLE ingest_rollup_staging (
    bucket              TIMESTAMPTZ(3) NOT NULL,
    ip_address          INET NOT NULL,
    client_app_used     TEXT NOT NULL,
    user_agent          TEXT NOT NULL,
    user_principal_name TEXT NOT NULL,
    error_code          TEXT NOT NULL,
    attempts            INT NOT NULL,
    first_seen          TIMESTAMPTZ(3) NOT NULL,
    last_seen           TIMESTAMPTZ(3) NOT NULL,
    -- distinct, non-empty, in no particular order; the first 10 in the database's collation are kept
    app_names           TEXT[] NOT NULL
) ON COMMIT DROP;

-- The import's first "password right" time per address and username (lib/ingest/first-rights.ts),
-- one row per pair, added to sign_in_first_rights by merge-first-rights.sql.
CREATE TEMP TABLE ingest_first_rights_staging (
    ip_address          INET NOT NULL,
    user_principal_name TEXT NOT NULL,
    first_seen          TIMESTAMPTZ(3) NOT NULL
) ON COMMIT DROP
