-- The sources whose sliding windows a recompute finds again, and from when (fill-window-sources.sql).
-- client_app_used and user_agent NULL: every source of the address (a full recompute); since
-- NULL: from the source's first event. Dropped when the recompute's transaction ends.
CREATE TEMP TABLE derive_window_sources (
    ip_address      inet NOT NULL,
    client_app_used text,
    user_agent      text,
    since           timestamptz
) ON COMMIT DROP;
CREATE INDEX ON derive_window_sources (ip_address)
