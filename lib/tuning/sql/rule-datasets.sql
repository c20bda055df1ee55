-- The datasets a rule change can touch: one dataset, or every dataset for a global rule.
-- In id order, so two changes locking several datasets take the locks in the same order.
-- $1 dataset id (NULL: all)
SELECT id, name FROM datasets WHERE $1::int IS NULL OR id = $1::int ORDER BY id
