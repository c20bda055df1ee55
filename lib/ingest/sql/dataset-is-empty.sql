-- Whether a dataset holds no events yet: its first import cannot repeat an event stored before it.
-- $1 dataset id
SELECT NOT EXISTS (SELECT 1 FROM sign_in_events WHERE dataset_id = $1) AS empty
