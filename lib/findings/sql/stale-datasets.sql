-- Datasets imported into since their findings were computed (or never computed: a database
-- that predates a detection change).
SELECT d.id FROM datasets d
WHERE d.findings_computed_at IS NULL
   OR d.findings_computed_at < (SELECT max(finished_at) FROM import_jobs j WHERE j.dataset_id = d.id)
