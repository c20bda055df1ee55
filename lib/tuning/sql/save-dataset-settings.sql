-- Stores a dataset's detection settings, replacing what a lead saved before.
-- $1 dataset id, $2 settings jsonb, $3 user id of the lead
INSERT INTO detection_settings (dataset_id, settings, updated_by_id, updated_at)
VALUES ($1::int, $2::jsonb, $3::int, now())
ON CONFLICT (dataset_id) DO UPDATE
   SET settings = excluded.settings, updated_by_id = excluded.updated_by_id, updated_at = now()
