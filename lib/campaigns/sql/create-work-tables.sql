-- Scratch tables of one campaign refresh, private to the session (and, inside the import's
-- transaction, gone with a rollback). Dropped first in case an earlier refresh in the same
-- session stopped half-way; dropped again at the end (drop-work-tables.sql).
DROP TABLE IF EXISTS campaign_work_edges, campaign_work_sources, campaign_work_campaigns, campaign_work_rows;

-- The rollup rows of the sources whose profile is read (read-source-rows.sql), by their key in
-- campaign_source_totals.
CREATE TEMP TABLE campaign_work_rows (
    key_hash            uuid NOT NULL,
    user_principal_name text NOT NULL,
    error_code          text NOT NULL,
    attempts            int NOT NULL,
    first_seen          timestamptz NOT NULL,
    last_seen           timestamptz NOT NULL,
    app_names           text[] NOT NULL,
    -- one of the campaign codes
    failed              boolean NOT NULL
);

-- One row per source: (IP, client app, user agent) with its failed sign-ins.
CREATE TEMP TABLE campaign_work_sources (
    id               serial PRIMARY KEY,
    -- its key in campaign_source_totals, which keeps what was measured of it (asn, cadence)
    key_hash         uuid NOT NULL,
    ip_address       inet NOT NULL,
    client_app_used  text NOT NULL,
    user_agent       text NOT NULL,
    -- the app most of its attempts went to: part of the tool fingerprint
    app_name         text NOT NULL,
    -- /24 for IPv4, /48 for IPv6
    network          cidr NOT NULL,
    autonomous_system int,
    -- the ASN of its address's events came from the totals (else it was read here and is saved)
    asn_known        boolean NOT NULL DEFAULT false,
    unique_usernames int NOT NULL,
    attempts         int NOT NULL,
    first_seen       timestamptz NOT NULL,
    last_seen        timestamptz NOT NULL,
    -- median seconds between its attempts, when they keep a steady rhythm (measure-source-cadence.sql)
    cadence_seconds  float8,
    -- its cadence was measured from the events here (not taken from the totals), to be saved
    cadence_measured boolean NOT NULL DEFAULT false,
    -- bands of alike cadences within its network and within its AS (cadence-bands.ts)
    network_band     int,
    asn_band         int,
    -- set once the pairs are joined into components (the smallest source id of the component)
    component        int,
    -- its failed attempts' times, which its campaign's cadence is measured over (member-times-*.sql)
    failure_times    timestamptz[],
    -- read from the events here (not taken from the totals), to be saved
    times_read       boolean NOT NULL DEFAULT false
);

-- Why two sources belong together; a pair may have several reasons.
CREATE TEMP TABLE campaign_work_edges (
    source_a int NOT NULL,
    source_b int NOT NULL,
    reason   text NOT NULL
);

CREATE TEMP TABLE campaign_work_campaigns (
    component          int PRIMARY KEY,
    campaign_key       uuid NOT NULL UNIQUE,
    campaign_id        int,
    first_seen         timestamptz NOT NULL,
    last_seen          timestamptz NOT NULL,
    ip_count           int NOT NULL,
    user_agent_count   int NOT NULL,
    source_count       int NOT NULL,
    unique_usernames   int NOT NULL,
    attempts           int NOT NULL,
    confirmed_accounts int NOT NULL,
    not_found_usernames int NOT NULL,
    verdict            text NOT NULL,
    reasons            text[] NOT NULL,
    cadence_seconds    float8
);
