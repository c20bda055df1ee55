-- What the last update of the campaign source totals added, per source, until the transaction
-- ends (add-source-totals.sql). known: whether it was an addition (false: the totals were filled
-- in full, so what changed is not known).
CREATE TEMP TABLE IF NOT EXISTS campaign_source_delta (
    key_hash   uuid PRIMARY KEY,
    ip_address inet NOT NULL,
    attempts   bigint NOT NULL,
    failed     bigint NOT NULL
) ON COMMIT DROP;
TRUNCATE campaign_source_delta
