-- $1 dataset id
DELETE FROM campaign_source_totals WHERE dataset_id = $1::int
