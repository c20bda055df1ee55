-- The campaigns a details refresh rebuilds (collect-stale-details.sql), private to the session:
-- dropped first in case an earlier refresh in the same session stopped half-way, and again at
-- the end (drop-details-work.sql).
DROP TABLE IF EXISTS campaign_details_work;
CREATE TEMP TABLE campaign_details_work (
    campaign_id int PRIMARY KEY,
    inputs_hash text NOT NULL
);
