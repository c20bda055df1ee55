-- A dataset's stored detection settings (no row: the defaults).
-- $1 dataset id
SELECT settings FROM detection_settings WHERE dataset_id = $1::int
