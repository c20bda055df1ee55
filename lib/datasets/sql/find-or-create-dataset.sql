-- The dataset of that name, created when there is none. One statement, so imports and uploads
-- naming a new dataset at the same moment all land in the same one (Prisma's upsert reads, then
-- inserts, and the second of two concurrent callers failed on the unique name).
-- $1 name text, $2 source dataset_source
INSERT INTO datasets (name, source)
VALUES ($1::text, $2::dataset_source)
ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name
RETURNING id, name
