-- The work table of sum-source-totals.sql, once stored (a later full pass in the same transaction
-- makes it again).
DROP TABLE campaign_source_sums
