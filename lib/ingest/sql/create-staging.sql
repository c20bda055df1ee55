-- One import's batches land here by COPY before they are merged into sign_in_events; the
-- table lives and dies with the import's transaction.
CREATE TEMP TABLE ingest_staging (
    source_event_id     TEXT NOT NULL,
    created_at          TIMESTAMPTZ(3) NOT NULL,
    user_principal_name TEXT NOT NULL,
    ip_address          INET,
    client_app_used     TEXT NOT NULL,
    user_agent          TEXT NOT NULL,
    app_display_name    TEXT NOT NULL,
    app_id              TEXT,
    error_code          TEXT,
    failure_reason      TEXT,
    location_city       TEXT,
    location_state      TEXT,
    location_country    TEXT,
    autonomous_system   INTEGER,
    is_interactive      BOOLEAN,
    raw                 JSON NOT NULL
) ON COMMIT DROP
