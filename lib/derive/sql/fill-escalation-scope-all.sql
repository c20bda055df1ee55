-- A full recompute: the escalations of every finding of the dataset. $1 dataset id
INSERT INTO escalation_scope (finding_id)
SELECT id FROM findings WHERE dataset_id = $1::int
