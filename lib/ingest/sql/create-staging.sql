-- What the hourly rollup needs of each event one batch inserted, landed by COPY and aggregated
-- by merge-rollup.sql. Events themselves are copied straight into sign_in_events: staging them
-- too would write every raw record twice. The table lives and dies with the import's transaction.
CREATE TEMP TABLE ingest_rollup_staging (
    created_at          TIMESTAMPTZ(3) NOT NULL,
    ip_address          INET,
    client_app_used     TEXT NOT NULL,
    user_agent          TEXT NOT NULL,
    user_principal_name TEXT NOT NULL,
    error_code          TEXT,
    app_display_name    TEXT NOT NULL
) ON COMMIT DROP
