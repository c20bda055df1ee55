-- Marks the dataset's findings that an active suppression rule covers (they stay visible under
-- a filter). Whether a rule covers a finding is suppression_covers() (migration
-- 20261207600000_suppression_match), which the rule's preview calls too: what a lead was shown
-- before saving is what is applied.
-- $1 dataset id, $2 only these finding ids int[] (after an append, the ones it changed: the
-- others, and the rules, are as they were); NULL: all
WITH matched AS (
    SELECT DISTINCT ON (f.id) f.id, r.id AS rule_id
    FROM findings f
    JOIN suppression_rules r
      ON r.enabled
     AND (r.dataset_id IS NULL OR r.dataset_id = $1::int)
     AND suppression_covers(f, r.cidr, r.upn_pattern, r.user_agent_pattern, r.app_name, r.expires_at)
    WHERE f.dataset_id = $1::int
      AND ($2::int[] IS NULL OR f.id = ANY($2::int[]))
    ORDER BY f.id, r.id
),
looked_at AS (
    SELECT g.id, m.rule_id
    FROM findings g LEFT JOIN matched m ON m.id = g.id
    WHERE g.dataset_id = $1::int
      AND ($2::int[] IS NULL OR g.id = ANY($2::int[]))
),
written AS (
    -- Only the findings whose rule changed get a new row version (each update leaves a dead one).
    UPDATE findings f SET suppressed_by_id = l.rule_id
      FROM looked_at l
     WHERE f.id = l.id AND f.suppressed_by_id IS DISTINCT FROM l.rule_id
    RETURNING f.id
)
-- the findings looked at (the run records how many)
SELECT (SELECT count(*) FROM looked_at)::int AS findings
