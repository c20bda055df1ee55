-- Holds the import's dataset row until the import commits: the row-level lock a foreign key
-- check would take for each event, taken once. $1 dataset id
SELECT id FROM datasets WHERE id = $1 FOR KEY SHARE
