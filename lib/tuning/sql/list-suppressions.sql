-- Suppression rules (those of one dataset and the global ones, or all when $1 is NULL) with how
-- many findings each currently suppresses. $1 dataset id
SELECT r.id, r.name, r.dataset_id, r.cidr::text AS cidr, r.upn_pattern, r.user_agent_pattern, r.app_name, r.reason,
       r.owner_id, o.email AS owner_email, r.expires_at, r.enabled, r.template,
       (SELECT count(*) FROM findings f WHERE f.suppressed_by_id = r.id)::int AS suppressed_findings
FROM suppression_rules r
LEFT JOIN users o ON o.id = r.owner_id
WHERE $1::int IS NULL OR r.dataset_id IS NULL OR r.dataset_id = $1::int
ORDER BY r.enabled DESC, r.name
