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
)
UPDATE findings f SET suppressed_by_id = m.rule_id
  FROM findings g LEFT JOIN matched m ON m.id = g.id
 WHERE f.id = g.id AND g.dataset_id = $1::int
   AND ($2::int[] IS NULL OR g.id = ANY($2::int[]))
