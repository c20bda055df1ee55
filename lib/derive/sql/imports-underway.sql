-- Whether more of an upload batch or a run is still to come into the dataset: files being
-- uploaded, queued or imported whose process is alive (heartbeat in the last two minutes).
-- $1 dataset id
SELECT EXISTS (
    SELECT 1 FROM import_jobs
    WHERE dataset_id = $1::int AND status IN ('uploading', 'queued', 'running')
      AND coalesce(heartbeat_at, created_at) > now() - interval '2 minutes'
) AS underway
