-- The campaigns a details refresh rebuilds or extends (collect-stale-details.sql), the member
-- sources of those it extends (collect-extended-members.sql) and the rollup rows they are
-- extended by (collect-extension-rows.sql), private to the session: dropped
-- first in case an earlier refresh in the same session stopped half-way, and again at the end
-- (drop-details-work.sql).
DROP TABLE IF EXISTS campaign_details_work, campaign_details_members, campaign_details_rows;
CREATE TEMP TABLE campaign_details_work (
    campaign_id int PRIMARY KEY,
    inputs_hash text NOT NULL,
    codes_hash  text NOT NULL,
    -- its member sources' campaign_source_totals keys, sorted
    member_keys uuid[] NOT NULL,
    -- its last failure with the campaign codes
    last_seen   timestamptz NOT NULL,
    -- its rows hold everything but the appended hours and the sources that joined: extended by
    -- those (extend-campaign-*.sql) rather than rebuilt (fill-campaign-*.sql)
    extend      boolean NOT NULL
);
CREATE TEMP TABLE campaign_details_members (
    campaign_id     int NOT NULL,
    ip_address      inet NOT NULL,
    client_app_used text NOT NULL,
    user_agent      text NOT NULL,
    -- not a member when its rows were built: all its rows are read, not the appended hours alone
    joined          boolean NOT NULL
);
CREATE TEMP TABLE campaign_details_rows (
    campaign_id         int NOT NULL,
    bucket              timestamptz NOT NULL,
    ip_address          inet NOT NULL,
    user_principal_name text NOT NULL,
    error_code          text NOT NULL,
    attempts            int NOT NULL,
    first_seen          timestamptz NOT NULL,
    last_seen           timestamptz NOT NULL
);
