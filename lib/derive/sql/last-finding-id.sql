-- The highest finding id before a recompute: the findings it adds have higher ones (a sequence).
SELECT coalesce(max(id), 0)::int AS id FROM findings
