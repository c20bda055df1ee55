-- $1 dataset id
WITH usernames AS (
    DELETE FROM campaign_source_usernames WHERE dataset_id = $1::int
)
DELETE FROM campaign_source_totals WHERE dataset_id = $1::int
