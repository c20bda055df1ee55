-- A dataset that an upload created and that nothing arrived in goes again when the upload fails
-- (every file refused, cancelled or failed): an analyst whose only file was the wrong one does
-- not leave an empty dataset behind. Kept: any dataset with a sign-in, a job that did not fail,
-- a connector, a suppression rule or settings of its own (someone made it on purpose).
-- Its failed jobs go with it (cascade); their errors were shown on the upload page.
-- $1 dataset id
DELETE FROM datasets d
 WHERE d.id = $1::int
   AND d.source = 'upload'
   AND NOT EXISTS (SELECT 1 FROM sign_in_events e WHERE e.dataset_id = d.id)
   AND NOT EXISTS (SELECT 1 FROM import_jobs j WHERE j.dataset_id = d.id AND j.status NOT IN ('failed', 'not_applicable'))
   AND NOT EXISTS (SELECT 1 FROM connectors c WHERE c.dataset_id = d.id)
   AND NOT EXISTS (SELECT 1 FROM suppression_rules s WHERE s.dataset_id = d.id)
   AND NOT EXISTS (SELECT 1 FROM detection_settings s WHERE s.dataset_id = d.id)
RETURNING d.id
